/* stdportal search page: reads ?q=&level=&status=&domain=&region=, searches as the reader types, and shows
   number, title, status and level of each result. Builds every node with textContent: no markup from data. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sp-search-page]");
  if (!form || !window.StdportalSearch) { return; }
  var script = document.querySelector("script[src*='assets/stdportal/search-ui.js']");
  var base = script.src.replace(/assets\/stdportal\/search-ui\.js.*$/, "");
  var engine = window.StdportalSearch.create(base, function (url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + " " + response.status); }
      return response.json();
    });
  });
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var summary = document.getElementById("sp-summary");
  var list = document.getElementById("sp-results");
  var suggest = document.getElementById("sp-suggest");
  var latest = 0;
  var timer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function filters() {
    var out = {};
    selects.forEach(function (select) { if (select.value) { out[select.name] = select.value; } });
    return out;
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    var f = filters();
    Object.keys(f).forEach(function (key) { params.set(key, f[key]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function result(hit) {
    var item = el("li");
    item.setAttribute("data-search-result", "");
    var head = el("p", "sp-stdlist__head");
    var link = el("a", "sp-number", hit.number);
    link.href = base + hit.url;
    head.appendChild(link);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "sp-status sp-status--" + hit.status, hit.statusLabel));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "sp-level", hit.level));
    item.appendChild(head);
    var title = el("p", "sp-stdlist__title", hit.title || hit.titleEn);
    if (!hit.title) { title.appendChild(el("span", "sp-missing", "（中文名称未收录）")); }
    item.appendChild(title);
    return item;
  }

  function suggestions(query, f) {
    var tips = [];
    if (Object.keys(f).length) { tips.push("去掉筛选条件再试"); }
    if (/[0-9]{3,}/.test(query)) { tips.push("只输入标准号中的数字，如 35796，或去掉年份"); }
    if (query.replace(/\s/g, "").length > 4) { tips.push("换用更短的词，如“" + query.replace(/\s/g, "").slice(0, 2) + "”"); }
    tips.push("检查是否有错别字");
    return tips;
  }

  function show(query, f, found) {
    list.textContent = "";
    suggest.hidden = true;
    suggest.textContent = "";
    if (!query) { summary.textContent = "请输入要查找的标准号或名称。"; return; }
    if (!found.total) {
      summary.textContent = "没有找到与“" + query + "”相关的标准。";
      suggest.appendChild(el("p", "", "建议："));
      var tips = el("ul");
      suggestions(query, f).forEach(function (tip) { tips.appendChild(el("li", "", tip)); });
      suggest.appendChild(tips);
      suggest.hidden = false;
      return;
    }
    summary.textContent = "找到 " + found.total + " 项标准" + (found.total > found.results.length ?
      "，显示最相关的 " + found.results.length + " 项" : "") + "。";
    found.results.forEach(function (hit) { list.appendChild(result(hit)); });
  }

  function run() {
    var query = input.value.trim();
    var f = filters();
    var ticket = ++latest;
    remember();
    if (!query) { show("", f, null); return; }
    summary.textContent = "正在搜索……";
    engine.search(query, f, 20).then(function (found) {
      if (ticket === latest) { show(query, f, found); }
    }, function () {
      if (ticket === latest) { summary.textContent = "搜索索引加载失败，请刷新页面重试。"; }
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (select) { select.value = params.get(select.name) || ""; });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  selects.forEach(function (select) { select.addEventListener("change", run); });
  run();
})();
