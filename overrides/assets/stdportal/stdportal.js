/* stdportal: fill the feedback link with this page's real address; the 适老化 buttons; remember where the site
   starts (for the 404 page, which is served at any address). No request leaves the site. */
(function () {
  "use strict";

  function fill(template, title, url) {
    return template
      .split("{title}").join(encodeURIComponent(title))
      .split("{url}").join(encodeURIComponent(url));
  }

  document.querySelectorAll("[data-feedback][data-feedback-template]").forEach(function (link) {
    var template = link.getAttribute("data-feedback-template");
    if (template) {
      link.setAttribute("href", fill(template, link.getAttribute("data-feedback-title") || document.title,
        location.href));
    }
  });

  document.querySelectorAll("[data-sp-address]").forEach(function (node) { node.textContent = location.href; });

  function store(key, value) {
    try { localStorage.setItem("stdportal." + key, value); } catch (e) { /* private mode: this page only */ }
  }

  // 适老化: each button switches one class on <html> (early.js applies the stored ones before drawing).
  var root = document.documentElement;
  document.querySelectorAll("[data-sp-pref]").forEach(function (button) {
    var pref = button.getAttribute("data-sp-pref");
    button.setAttribute("aria-pressed", String(root.classList.contains("sp-" + pref)));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("sp-" + pref);
      root.classList.toggle("sp-" + pref, on);
      button.setAttribute("aria-pressed", String(on));
      store(pref, on ? "1" : "0");
    });
  });

  // The menu button: Material's drawer toggle is a <label>, which a keyboard cannot reach (at 200 % zoom the menu
  // is only in the drawer). Here it is a button: a Tab stop that Enter and Space open and close; Escape closes.
  var drawer = document.getElementById("__drawer");
  var toggle = document.querySelector(".md-header label[for=__drawer]");
  if (drawer && toggle) {
    toggle.setAttribute("role", "button");
    toggle.setAttribute("tabindex", "0");
    toggle.setAttribute("aria-label", "菜单");
    var expanded = function () { toggle.setAttribute("aria-expanded", String(drawer.checked)); };
    expanded();
    drawer.addEventListener("change", expanded);
    toggle.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();  // the theme clicks a focused <label> on Enter: that would undo this
        drawer.click();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        drawer.click();
        toggle.focus();
      }
    });
  }

  // The site's root path, from this script's own address: the 404 page reads it to find the stylesheets.
  var me = document.currentScript && document.currentScript.src;
  var at = me ? me.indexOf("assets/stdportal/stdportal.js") : -1;
  if (at > 0) {
    store("root", new URL(me.slice(0, at)).pathname);
  }
})();
