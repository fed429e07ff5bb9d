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
        // The static site has no server: it searches its own index.
        var hits = isStaticSite()
          ? staticSearch(q, 8)
          : fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q.slice(0, 200)), { headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
            .then(function (body) { return body.hits || []; });
        hits
          .then(function (found) { if (ticket === latest) render(found); })
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

  // ====================================================== static site only
  // `rolebook build` writes the catalog as files, marked <html data-static>.
  // With no server, search runs here over static/search-index.js (a script
  // that sets window.ROLEBOOK_INDEX, loaded on first use: browsers refuse
  // fetch() from file:// pages), and the search page reads ?q= itself.
  // Links in the index are relative to the site root (<html data-root>).
  function isStaticSite() {
    return document.documentElement.hasAttribute("data-static");
  }

  function normalise(text) {
    return String(text || "").toLowerCase().normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  var staticIndex = null;
  function loadStaticIndex() {
    if (staticIndex) return staticIndex;
    staticIndex = new Promise(function (resolve, reject) {
      if (window.ROLEBOOK_INDEX) { resolve(window.ROLEBOOK_INDEX); return; }
      var script = document.createElement("script");
      script.src = document.documentElement.getAttribute("data-search-index");
      script.onload = function () {
        if (window.ROLEBOOK_INDEX) resolve(window.ROLEBOOK_INDEX);
        else reject(new Error("the search index is empty"));
      };
      script.onerror = function () { reject(new Error("the search index did not load")); };
      document.head.appendChild(script);
    }).then(function (entries) {
      return entries.map(function (entry) {
        var names = [entry.title].concat(entry.aliases || []).map(normalise);
        return {
          entry: entry,
          names: names,
          words: " " + names.join(" ") + " " + normalise(entry.url.replace(/^.*\/|\.html$/g, "")),
          meta: " " + normalise(entry.meta),
          summary: " " + normalise(entry.summary)
        };
      });
    });
    staticIndex.catch(function () { staticIndex = null; });
    return staticIndex;
  }

  var KIND_ORDER = { role: 0, skill: 1, kpi: 2 };

  // Every query word must match: a name (title or alias) equal to the
  // query ranks first, then names starting with it, then words found at
  // the start of a name's word, of the family, level or category, or of
  // the summary, in that order of weight.
  function staticMatches(prepared, query) {
    var q = normalise(query);
    if (!q) return [];
    var words = q.split(" ");
    var found = [];
    prepared.forEach(function (p) {
      var score = 0;
      p.names.forEach(function (name) {
        if (name === q) score = Math.max(score, 100);
        else if (name.indexOf(q) === 0) score = Math.max(score, 60);
      });
      for (var i = 0; i < words.length; i++) {
        var w = " " + words[i];
        var best = p.words.indexOf(w) >= 0 ? 10
          : p.words.indexOf(words[i]) >= 0 ? 6
          : p.meta.indexOf(w) >= 0 ? 3
          : p.summary.indexOf(w) >= 0 ? 2
          : 0;
        if (!best) return;
        score += best;
      }
      if (p.entry.kind === "role") score += 1;
      found.push({ score: score, entry: p.entry });
    });
    found.sort(function (a, b) {
      return b.score - a.score
        || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind]
        || (a.entry.title < b.entry.title ? -1 : a.entry.title > b.entry.title ? 1 : 0);
    });
    return found.map(function (f) { return f.entry; });
  }

  function staticHref(entry) {
    return (document.documentElement.getAttribute("data-root") || "") + entry.url;
  }

  function staticSearch(query, limit) {
    return loadStaticIndex().then(function (prepared) {
      return staticMatches(prepared, query).slice(0, limit).map(function (entry) {
        return { href: staticHref(entry), title: entry.title, kind: entry.kind };
      });
    });
  }

  // The search page: results for ?q=, drawn like the server's.
  var staticResults = document.querySelector("[data-search-results]");
  if (staticResults && isStaticSite()) {
    var staticStatus = document.querySelector("[data-search-status]");
    var staticQuery = (new URLSearchParams(window.location.search).get("q") || "").trim().slice(0, 200);
    document.querySelectorAll("input[name=q]").forEach(function (input) { input.value = staticQuery; });
    if (!staticQuery) {
      staticStatus.textContent = "Search by role title or alias (“CISO”, “Head of SRE”), skill or KPI name.";
    } else {
      document.title = "Search: " + staticQuery + " · rolebook";
      staticStatus.textContent = "Searching…";
      loadStaticIndex().then(function (prepared) {
        var found = staticMatches(prepared, staticQuery);
        var shown = found.slice(0, 50);
        staticResults.textContent = "";
        shown.forEach(function (entry) {
          var li = document.createElement("li");
          li.className = "result kind-" + entry.kind;
          var a = document.createElement("a");
          a.href = staticHref(entry);
          var title = document.createElement("span");
          title.className = "result-title";
          title.textContent = entry.title;
          a.appendChild(title);
          var meta = document.createElement("span");
          meta.className = "result-meta";
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = entry.kind;
          meta.appendChild(badge);
          meta.appendChild(document.createTextNode(" " + entry.meta));
          var summary = document.createElement("p");
          summary.textContent = entry.summary;
          li.appendChild(a);
          li.appendChild(meta);
          li.appendChild(summary);
          staticResults.appendChild(li);
        });
        staticResults.hidden = shown.length === 0;
        staticStatus.textContent = found.length
          ? found.length + " result" + (found.length === 1 ? "" : "s") + " for “" + staticQuery + "”"
            + (shown.length < found.length ? "; the best " + shown.length + " shown" : "")
          : "No results for “" + staticQuery + "”. Try a shorter word or an abbreviation such as “CTO”.";
      }).catch(function () {
        staticStatus.textContent = "The search index (static/search-index.js) could not be loaded.";
      });
    }
  }
  // ================================================== end of static site only

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

  // ---------------------------------------------------------- graph focus
  // The graph is drawn at its actual size (its text at the page's size);
  // scroll the highlighted role into the middle.
  document.querySelectorAll(".graph-canvas").forEach(function (canvas) {
    var focus = canvas.querySelector("a.focus rect") || canvas.querySelector("a.focus");
    if (!focus) return;
    var box = focus.getBoundingClientRect();
    var frame = canvas.getBoundingClientRect();
    canvas.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
    canvas.scrollTop += box.top + box.height / 2 - (frame.top + frame.height / 2);
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
  // ------------------------------------------------ what waits for you
  // Pages are cached for every editor alike; the count is each person's.
  var changes = document.querySelector(".main-nav a[href='/changes']");
  if (changes && window.fetch) {
    fetch("/changes/awaiting", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || !body.awaiting) return;
        var badge = document.createElement("span");
        badge.className = "count";
        badge.textContent = String(body.awaiting);
        changes.appendChild(document.createTextNode(" "));
        changes.appendChild(badge);
        changes.setAttribute("aria-label", "Changes, " + body.awaiting + " waiting for you");
      })
      .catch(function () {});
  }

  // ------------------------------------------------------------ skill gap
  // At the person's request only, the rating form's answers are kept in
  // this browser's own storage (never sent anywhere but with the form) and
  // can be put back on a later visit, for any target role.
  var rateForm = document.querySelector("form.rate-form");
  var keepBox = document.getElementById("keep-local");
  if (rateForm && keepBox) {
    var KEY = "rolebook.gap.ratings";
    var keepRow = rateForm.querySelector(".keep-local");
    var forget = document.getElementById("forget-local");
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { stored = null; }
    keepRow.hidden = false;
    keepBox.checked = !!stored;
    forget.hidden = !stored;
    var collect = function () {
      var kept = { fields: {} };
      rateForm.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (field.type === "hidden" && field.name === "target") return;
        if (field.type === "radio" && !field.checked) return;
        if (field.type === "checkbox") return;
        if (field.value !== "") kept.fields[field.name] = field.value;
      });
      return kept;
    };
    var restore = function (kept) {
      Object.keys(kept.fields || {}).forEach(function (name) {
        var value = kept.fields[name];
        rateForm.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (field) {
          if (field.type === "radio") field.checked = field.value === value;
          else if (field.type !== "hidden") field.value = value;
        });
      });
    };
    if (stored && !document.getElementById("readiness")) {
      var use = document.createElement("button");
      use.type = "button";
      use.className = "button ghost small";
      use.id = "restore-local";
      use.textContent = "Use my saved ratings";
      use.addEventListener("click", function () { restore(stored); use.remove(); });
      keepRow.appendChild(document.createTextNode(" "));
      keepRow.appendChild(use);
    }
    rateForm.addEventListener("submit", function () {
      if (keepBox.checked) window.localStorage.setItem(KEY, JSON.stringify(collect()));
    });
    keepBox.addEventListener("change", function () {
      if (!keepBox.checked) { window.localStorage.removeItem(KEY); forget.hidden = true; }
    });
    forget.addEventListener("click", function () {
      window.localStorage.removeItem(KEY);
      keepBox.checked = false;
      forget.hidden = true;
      var use = document.getElementById("restore-local");
      if (use) use.remove();
    });
  }

  // ---------------------------------------------------------------- editor
  // The form works without this; it puts the focus back where a list
  // button left it, and asks before leaving with unsaved changes.
  var editor = document.querySelector(".editor[data-focus]");
  if (editor) {
    var focus = editor.getAttribute("data-focus");
    var place = focus && document.getElementById("field-" + focus);
    var control = place && place.querySelector("input:not([type=hidden]), select, textarea");
    if (control) control.focus();
    // A skill's level: say what the chosen level means for that skill.
    editor.querySelectorAll(".record").forEach(function (record) {
      var select = record.querySelector("select[name$='.level']");
      var now = record.querySelector(".level-now");
      if (!select || !now) return;
      select.addEventListener("change", function () {
        var item = record.querySelector(".level-help li[data-level='" + select.value + "']");
        if (!item) return;
        now.querySelector("strong").textContent = "Level " + select.value + " · " + item.getAttribute("data-name") + " for " + now.getAttribute("data-skill") + ":";
        now.querySelector("span").textContent = item.querySelector(".level-text").textContent;
      });
    });
    var form = document.getElementById("editor-form");
    if (form) {
      var dirty = editor.hasAttribute("data-unsaved");
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    }
  }
})();
