/* stdportal: fill the feedback link with this page's real address, and send the home page's search box to
   the site search. No request leaves the site. */
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

  var form = document.querySelector("[data-sp-search]");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = form.querySelector("input").value;
      var toggle = document.querySelector("[data-md-toggle=search]");
      var input = document.querySelector("[data-md-component=search-query]");
      if (!toggle || !input) { return; }
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      input.value = query;
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    });
  }
})();
