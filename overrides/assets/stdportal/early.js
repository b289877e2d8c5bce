/* stdportal, in the page head before anything is drawn:
   - the globals Material's bundle expects (__md_scope, __md_get, …), which Material writes as an inline script;
     here they come from a file so that a Content-Security-Policy without 'unsafe-inline' lets them run;
   - a ResizeObserver stand-in for older phones (Material's bundle would fetch a polyfill from another host);
   - the reader's 适老化 choices (larger text, high contrast), applied before the first paint. */
(function () {
  "use strict";
  var script = document.currentScript;
  var scope = (script && script.getAttribute("data-md-scope")) || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (text) {
    return Array.prototype.reduce.call(text, function (hash, ch) { return (hash << 5) - hash + ch.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  };

  if (!window.ResizeObserver) {
    window.ResizeObserver = function (callback) {
      var targets = [];
      function notify() {
        callback(targets.map(function (t) { return { target: t, contentRect: t.getBoundingClientRect() }; }));
      }
      window.addEventListener("resize", notify);
      this.observe = function (t) { targets.push(t); setTimeout(notify, 0); };
      this.unobserve = function (t) { targets = targets.filter(function (x) { return x !== t; }); };
      this.disconnect = function () { targets = []; window.removeEventListener("resize", notify); };
    };
  }

  var root = document.documentElement;
  root.classList.add("sp-js");
  try {
    ["large", "contrast"].forEach(function (pref) {
      if (localStorage.getItem("stdportal." + pref) === "1") { root.classList.add("sp-" + pref); }
    });
  } catch (e) { /* storage blocked: the defaults */ }
})();
