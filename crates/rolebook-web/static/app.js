// rolebook: progressive enhancement only. Every page works without this
// file; it adds instant search, index filtering, the print button and the
// table-of-contents highlight.
(function () {
  "use strict";

  // ---------------------------------------------------------- instant search
  function instantSearch(input) {
    var form = input.form;
    if (!form) return;
    var list = document.createElement("ul");
    var listId = input.id + "-results";
    list.id = listId;
    list.className = "instant";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search suggestions");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var timer = null;
    var active = -1;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function options() { return list.querySelectorAll("a"); }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (a, i) { a.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function render(hits) {
      list.textContent = "";
      hits.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "presentation");
        var a = document.createElement("a");
        a.href = hit.href;
        a.id = listId + "-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.textContent = hit.title;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = hit.kind;
        a.appendChild(title);
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q.slice(0, 200)), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (body) { if (ticket === latest) render(body.hits || []); })
          .catch(function () { close(); });
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = options()[active].href; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-instant]").forEach(instantSearch);

  // ---------------------------------------------------------- index filter
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var scope = document.querySelector(input.getAttribute("data-filter"));
    var label = input.closest("label");
    if (!scope || !label) return;
    label.hidden = false;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      scope.querySelectorAll("[data-filter-text]").forEach(function (item) {
        item.hidden = q !== "" && item.getAttribute("data-filter-text").toLowerCase().indexOf(q) === -1;
      });
      scope.querySelectorAll("section").forEach(function (section) {
        section.hidden = !section.querySelector("[data-filter-text]:not([hidden])");
      });
    });
  });

  // ---------------------------------------------------------- print button
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // ---------------------------------------------------------- graph zoom
  // The graph fits the width by default; a wide one can be read at its
  // actual size, scrolling.
  // The graph is drawn at its actual size; scroll the highlighted role
  // into the middle, and offer an overview that fits the width.
  document.querySelectorAll(".graph-canvas").forEach(function (canvas) {
    function centre() {
      var focus = canvas.querySelector("a.focus rect") || canvas.querySelector("a.focus");
      if (!focus) return;
      var box = focus.getBoundingClientRect();
      var frame = canvas.getBoundingClientRect();
      canvas.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
      canvas.scrollTop += box.top + box.height / 2 - (frame.top + frame.height / 2);
    }
    centre();
    var tools = document.createElement("div");
    tools.className = "graph-tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button ghost";
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Fit to width";
    button.addEventListener("click", function () {
      var fit = canvas.classList.toggle("fit");
      button.setAttribute("aria-pressed", fit ? "true" : "false");
      if (!fit) centre();
    });
    tools.appendChild(button);
    canvas.parentNode.insertBefore(tools, canvas);
  });

  // ---------------------------------------------------------- toc highlight
  var toc = document.querySelector(".toc");
  if (toc && "IntersectionObserver" in window) {
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        Object.keys(links).forEach(function (id) { links[id].removeAttribute("aria-current"); });
        var link = links[entry.target.id];
        if (link) link.setAttribute("aria-current", "true");
      });
    }, { rootMargin: "-20% 0px -70% 0px" });
    Object.keys(links).forEach(function (id) {
      var section = document.getElementById(id);
      if (section) observer.observe(section);
    });
  }
})();
