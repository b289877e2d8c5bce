/* stdportal: fill the feedback link with this page's real address. No request leaves the site. */
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

})();
