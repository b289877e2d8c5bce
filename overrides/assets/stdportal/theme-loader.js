// The search page with a query in its address: the theme's script (its menus and header) waits until the
// first result is shown (search-ui.js says so), so that its parsing and start-up do not delay it; without a
// query, or after 2 s at most, it loads at once. The theme's scripts wait in <template id="sp-theme-scripts">
// (scripts in a template do not run); this file copies them into the page. A file, not an inline script, so
// that a Content-Security-Policy of script-src 'self' lets the page run.
(function () {
  var template = document.getElementById("sp-theme-scripts");
  var started = false;
  var loaded = false;
  document.addEventListener("DOMContentLoaded", function () { loaded = true; });
  function start() {
    if (started) { return; }
    started = true;
    var scripts = Array.prototype.slice.call(template.content.querySelectorAll("script"));
    var left = scripts.filter(function (old) { return old.src; }).length;
    scripts.forEach(function (old) {
      var script = document.createElement("script");
      Array.prototype.forEach.call(old.attributes, function (a) { script.setAttribute(a.name, a.value); });
      script.async = false;
      script.text = old.text;
      // The theme starts on DOMContentLoaded: when that has passed already, it is told again.
      script.onload = script.onerror = function () {
        if (--left === 0 && loaded) { document.dispatchEvent(new Event("DOMContentLoaded")); }
      };
      document.body.appendChild(script);
    });
  }
  if (!new URLSearchParams(location.search).get("q")) { start(); return; }
  document.addEventListener("stdportal:search-shown", start);
  setTimeout(start, 2000);
})();
