// rolebook: the job-posting builder's live preview. The page works without
// this file (the form's button renders the preview on the server); with it,
// the preview follows the form as one types: a debounced fetch of
// /roles/{id}/posting/preview with the form's query, swapped into place,
// and the address bar kept on the same query so a reload keeps the text.
(function () {
  "use strict";
  var form = document.getElementById("posting-form");
  var target = document.getElementById("posting-preview");
  if (!form || !target || !window.fetch) return;
  var url = form.getAttribute("data-posting-preview");
  var timer = null;
  var latest = 0;

  function query() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function refresh() {
    var ticket = ++latest;
    var q = query();
    target.setAttribute("aria-busy", "true");
    fetch(url + "?" + q, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (ticket !== latest) return;
        target.innerHTML = html;
        target.removeAttribute("aria-busy");
        target.setAttribute("data-updated", String(ticket));
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", form.getAttribute("action") + "?" + q);
        }
      })
      .catch(function () { target.removeAttribute("aria-busy"); });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
