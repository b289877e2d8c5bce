/* stdportal search page: reads ?q=&level=&status=&domain=&region=, searches as the reader types, and shows
   number, title, status and level of each result. Builds every node with textContent: no markup from data.
   The region is chosen in steps, province → prefecture → county: the provinces are in the page, the regions
   below them in search-index/regions.json, fetched when the reader first goes to the choice. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sp-search-page]");
  var page = window.StdportalSearch && window.StdportalSearch.page;
  if (!form || !page) { return; }
  var base = page.base;
  var engine = page.engine;
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
  var steps = Array.prototype.slice.call(form.querySelectorAll("select[data-sp-region]"));
  var regionBox = steps.length ? steps[0].closest("fieldset") : null;
  var summary = document.getElementById("sp-summary");
  var list = document.getElementById("sp-results");
  var suggest = document.getElementById("sp-suggest");
  var more = document.getElementById("sp-more");
  var retry = document.getElementById("sp-retry");
  var PAGE = window.StdportalSearch.PAGE;
  var shown = PAGE;
  var latest = 0;
  var timer = null;
  var told = false;

  /* Once, when the page's first search has shown something (a result, no result, a failure): the search page
     loads the theme's script only then (overrides/main.html), so that it does not delay the first result. */
  function tell() {
    if (told) { return; }
    told = true;
    setTimeout(function () { document.dispatchEvent(new Event("stdportal:search-shown")); }, 0);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* ---- the region, in steps ---- */
  var tree = null;  // promise of regions.json: {parent code: [[code, name], ...]}
  var wanted = "";  // the address's region while the steps cannot show it yet (regions.json not in)
  var placed = null;  // puts the address's region in the steps, given regions.json (showWanted)
  var regionPage = form.getAttribute("data-sp-region-page") || "";  // a region's page, its code as 000000

  function regionTree() {
    if (!tree) {
      tree = fetch(base + "search-index/regions.json").then(function (response) {
        if (!response.ok) { throw new Error("regions.json " + response.status); }
        return response.json();
      });
      tree.catch(function () { tree = null; });  // asked for again next time: a network cut is not forever
    }
    return tree;
  }

  function stepBox(i) { return steps[i].parentNode; }

  /* Step i (1 or 2) lists the children of code; hidden when there are none. */
  function fill(i, code, regions) {
    var select = steps[i];
    var kids = (regions && regions[code]) || [];
    select.textContent = "";
    select.appendChild(el("option", "", "全部")).value = "";
    kids.forEach(function (kid) { select.appendChild(el("option", "", kid[1])).value = kid[0]; });
    if (i === 1) {
      // Municipalities have districts and counties right below them, not prefectures.
      stepBox(1).querySelector("label").textContent = kids.length && kids.every(function (kid) {
        return !/00$/.test(kid[0]);
      }) ? "区、县" : "市";
    }
    stepBox(i).hidden = !kids.length;
    for (var j = i + 1; j < steps.length; j++) { steps[j].textContent = ""; stepBox(j).hidden = true; }
  }

  /* The deepest step chosen, as the reader sees it (a <select>), or null. */
  function deepest() {
    for (var i = steps.length - 1; i >= 0; i--) {
      if (!stepBox(i).hidden && steps[i].value) { return steps[i]; }
    }
    return null;
  }

  /* The region the search is for: the deepest step chosen (or the address's, until the steps can show it). */
  function region() {
    if (wanted) { return wanted; }
    var step = deepest();
    return step ? step.value : "";
  }

  /* Step i changed: the steps below it are emptied, and the next lists its regions once regions.json is in (the
     search does not wait for that: it is for the step just chosen). */
  function stepped(i) {
    wanted = "";
    var code = steps[i].value;
    for (var j = i + 1; j < steps.length; j++) { steps[j].textContent = ""; stepBox(j).hidden = true; }
    if (code && i + 1 < steps.length) {
      regionTree().then(function (regions) {
        if (steps[i].value === code && !wanted) { fill(i + 1, code, regions); }
      }, function () { /* the choice stays at this step */ });
    }
    run();
  }

  /* The address's region in the steps: its province at once (in the page), the rest when regions.json is in. */
  function showWanted(code) {
    var province = code.slice(0, 2) + "0000";
    steps[0].value = province;
    if (steps[0].value !== province || !/^[0-9]{6}$/.test(code)) { steps[0].value = ""; return; }
    wanted = code;
    placed = function place(regions) {
      if (wanted !== code) { return; }  // the reader chose something else meanwhile
      wanted = "";
      fill(1, province, regions);
      if (code !== province) {
        var kids = regions[province] || [];
        var parent = kids.filter(function (kid) {
          return kid[0] === code || (regions[kid[0]] || []).some(function (k) { return k[0] === code; });
        })[0];
        if (parent) {
          steps[1].value = parent[0];
          fill(2, parent[0], regions);
          if (parent[0] !== code) { steps[2].value = code; }
        }
        if (region() !== code) { run(); }  // a code not in the list: the search is for what the steps show
      }
    };
    // After the first result: its files come first.
    document.addEventListener("stdportal:search-shown", function () {
      regionTree().then(placed, function () { /* the search stays for the address's region */ });
    }, { once: true });
  }

  /* done() once the steps show the address's region (or regions.json cannot be had): a message that names the
     region waits for it, as the steps show only its province until then. */
  function whenPlaced(done) {
    regionTree().then(function (regions) { if (placed) { placed(regions); } }).then(done, done);
  }


  function filters() {
    var out = {};
    selects.forEach(function (select) { if (select.value) { out[select.name] = select.value; } });
    if (region()) { out.region = region(); }
    return out;
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    var f = filters();
    Object.keys(f).forEach(function (key) { params.set(key, f[key]); });
    var query = params.toString();
    var address = location.pathname + (query ? "?" + query : "");
    // Unchanged (the page's first search, for its own address): no call, it costs the loading page time.
    if (address === location.pathname + location.search && shown === ((history.state || {}).shown || PAGE)) { return; }
    history.replaceState({ shown: shown }, "", address);
  }

  /* Before the reader leaves (opens a result): how long the list was and where they were, for Back. */
  function leave() {
    history.replaceState({ shown: shown, scroll: window.scrollY }, "");
  }

  /* text with the query's terms in <mark>: built from text nodes, never from markup. */
  function marked(className, text, terms) {
    var node = el("p", className);
    window.StdportalSearch.highlight(text, terms).forEach(function (part) {
      node.appendChild(part[1] ? el("mark", "", part[0]) : document.createTextNode(part[0]));
    });
    return node;
  }

  function result(hit, terms) {
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
    var title = marked("sp-stdlist__title", hit.title || hit.titleEn, terms);
    if (!hit.title) {  // the English title, marked as English, then the note in Chinese
      var english = el("span");
      english.lang = "en";
      while (title.firstChild) { english.appendChild(title.firstChild); }
      title.appendChild(english);
      title.appendChild(document.createTextNode(" "));
      title.appendChild(el("span", "sp-missing", "（中文名称未收录）"));
    }
    item.appendChild(title);
    return item;
  }

  /* The filters in use, as a reader chose them: "层级：地方标准、地区：北京市". */
  function chosen() {
    var out = selects.filter(function (select) { return select.value; }).map(function (select) {
      var name = select.parentNode.firstChild.textContent.trim();
      return name + "：" + select.options[select.selectedIndex].textContent.trim();
    });
    var places = steps.filter(function (select, i) { return !stepBox(i).hidden && select.value; });
    if (places.length) {
      out.push("地区：" + places.map(function (select) {
        return select.options[select.selectedIndex].textContent.trim();
      }).join(" "));
    }
    return out.join("、");
  }

  function clearFilters() {
    selects.forEach(function (select) { select.value = ""; });
    if (steps.length) { wanted = ""; steps[0].value = ""; fill(1, null, null); }
    run();
  }

  function suggestions(query, known) {
    var tips = [];
    if (/[0-9]{3,}/.test(query)) {
      tips.push("只输入标准号中的数字，如 35796，或去掉年份");
      tips.push("本站可能尚未收录这项标准，可用页面下方的反馈链接告诉我们");
    } else {
      // A shorter word only from Chinese (not "ya" of "yanglao"), two characters of a query with three or more,
      // and one that some standard holds: a suggestion that finds nothing again helps nobody.
      var han = query.match(/[\u3400-\u9fff\uf900-\ufaff]/g) || [];
      var piece = (known || []).filter(function (term) { return /^[\u3400-\u9fff\uf900-\ufaff]{2}$/.test(term); })[0];
      if (han.length >= 3 && piece) { tips.push("换用更短的词，如“" + piece + "”"); }
    }
    tips.push("检查是否有错别字");
    return tips;
  }

  /* The summary, or the no-result advice; the list is emptied unless keep. */
  function show(query, f, found, keep, waited) {
    if (!keep) { list.textContent = ""; }
    more.hidden = true;
    suggest.hidden = true;
    suggest.textContent = "";
    if (!waited && wanted && wanted !== steps[0].value && (!query || !found.total)) {
      // The message names the region: once the steps show all of it, not just its province.
      var ticket = latest;
      whenPlaced(function () { if (ticket === latest) { show(query, f, found, keep, true); } });
      return;
    }
    if (!query) {
      summary.textContent = "请输入要查找的标准号或名称。";
      var place = deepest();
      if (place && regionPage) {
        // No list for filters alone: the region's page lists what applies there.
        var name = place.options[place.selectedIndex].textContent.trim();
        summary.appendChild(document.createTextNode("要查看在" + name + "适用的全部标准，请打开"));
        var link = summary.appendChild(el("a", "", name + "的地区页面"));
        link.setAttribute("href", regionPage.replace("000000", place.value));
        summary.appendChild(document.createTextNode("。"));
      }
      return;
    }
    var onlyPlace = found.place &&
      (found.simplified || query).normalize("NFKC").toLowerCase().trim() === found.placeName;
    if (!found.total && onlyPlace && !Object.keys(f).length && regionPage) {
      // Only a place's name, and no standard names it: what applies there is on its page, not a mistyped query.
      summary.textContent = "没有找到名称、发布单位或地区中有“" + found.placeName + "”的标准。";
      summary.appendChild(document.createTextNode("在" + found.placeName +
        "适用的全部标准（国家标准、行业标准，以及当地和上级地区的地方标准）见"));
      var page = summary.appendChild(el("a", "", found.placeName + "的地区页面"));
      page.setAttribute("href", regionPage.replace("000000", found.place));
      summary.appendChild(document.createTextNode("。"));
      return;
    }
    if (!found.total) {
      var filtered = Object.keys(f).length;
      summary.textContent = (filtered ? "在所选条件（" + chosen() + "）下" : "") +
        "没有找到与“" + query + "”相关的标准。" + simplifiedNote(found);
      regionLink(found);
      if (filtered) {
        var clear = el("button", "sp-more", "清除筛选条件，重新搜索");
        clear.type = "button";
        clear.addEventListener("click", clearFilters);
        suggest.appendChild(clear);
      }
      suggest.appendChild(el("p", "", "建议："));
      var tips = el("ul");
      suggestions(query, found.known).forEach(function (tip) { tips.appendChild(el("li", "", tip)); });
      suggest.appendChild(tips);
      suggest.hidden = false;
      return;
    }
    summary.textContent = "找到 " + found.total + " 项标准" + (found.total > found.results.length ?
      "，显示最相关的 " + found.results.length + " 项" : "") + "。" + (found.alone ? "没有同时与“" +
      found.apart.join("”“") + "”相关的标准，下面列出的是与“" + found.alone + "”相关的标准。" : "") +
      (found.missing && found.missing.length ? "没有与“" + found.missing.join("”“") +
      "”相关的标准，下面列出的是按其余的词找到的标准。" : "") + (onlyPlace ?
      "查询只有地区名称“" + found.placeName + "”，列出名称、发布单位或地区中有这个地名的标准。" :
      found.place && !f.region ?
      "查询中有地区名称“" + found.placeName + "”，只列出在该地区适用的标准（国家标准、行业标准和当地的地方标准）。" : "") +
      (found.widened && found.widened.length ? "同时按标准中的用语“" + found.widened.join("”“") + "”查找。" : "") +
      simplifiedNote(found);
    regionLink(found);
    more.hidden = found.total <= found.results.length;
  }

  /* A query in traditional characters is searched in simplified ones: the summary says so. */
  function simplifiedNote(found) {
    return found.simplified ? "（按简体字“" + found.simplified.trim() + "”查找）" : "";
  }

  /* A query naming a region: the region's page, which lists everything that applies there, is one tap away. */
  function regionLink(found) {
    if (!found.place || !regionPage) { return; }
    summary.appendChild(document.createTextNode("在该地区适用的全部标准见"));
    var link = summary.appendChild(el("a", "", found.placeName + "的地区页面"));
    link.setAttribute("href", regionPage.replace("000000", found.place));
    summary.appendChild(document.createTextNode("。"));
  }

  /* back: the state leave() saved, when the reader comes back to this page: as long a list, at the same place.
     keep: the same query with a longer list (显示更多): the shown results stay, the new ones are added and the
     first of them takes the focus (keyboard and screen readers go on from there). */
  /* The answer in view: after a search the reader asked for as a whole (an address with ?q=, the 搜索 button),
     a summary below the first screen (a phone, where the filters fill it) is brought up under the header. */
  /* The focus goes with it when it was in the form: else it would stay on a search box scrolled out of view,
     where a keyboard's reader cannot see it (and a phone's keyboard would stay open over the results). */
  function bringUp() {
    var header = document.querySelector(".md-header");
    var top = summary.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.5) {
      window.scrollTo(0, window.scrollY + top - (header ? header.offsetHeight : 0) - 8);
      if (form.contains(document.activeElement)) {
        summary.setAttribute("tabindex", "-1");
        summary.focus({ preventScroll: true });
      }
    }
  }

  function run(keep, back, asked) {
    // Words typed, then sent (Enter, 搜索, 显示更多, a filter) within the typing pause: the pending search of them
    // would come after this one and take its place (no answer brought up, a longer list redrawn).
    clearTimeout(timer);
    var query = input.value.trim();
    var f = filters();
    var ticket = ++latest;
    retry.hidden = true;
    if (back) { shown = Math.max(PAGE, back.shown || PAGE); } else if (!keep) { shown = PAGE; }
    remember();
    if (!query) { show("", f, null); list.setAttribute("aria-busy", "false"); tell(); return; }
    if (!keep) { summary.textContent = "正在搜索……"; }
    list.setAttribute("aria-busy", "true");  // until the last result of this search is in the list
    function done() {
      tell();
      if (ticket !== latest) { return; }
      list.setAttribute("aria-busy", "false");
      if (back && back.scroll) { window.scrollTo(0, back.scroll); }
    }
    function failed() {
      if (ticket !== latest) { return; }
      // No stale list under the message: what is shown must belong to what was asked.
      list.textContent = "";
      more.hidden = true;
      suggest.hidden = true;
      summary.textContent = "搜索索引加载失败，可能是网络中断。请检查网络后点“重试”；网络恢复后也会自动重试。";
      retry.hidden = false;
      done();
    }
    engine.find(query, f, shown).then(function (found) {
      if (ticket !== latest) { return; }
      var from = keep ? list.children.length : 0;
      show(query, f, found, keep);
      if (asked && !keep && !found.results.length) { bringUp(); }  // the advice in view
      // Each result as soon as its data is in, in rank order: the first shows before the last has arrived.
      found.results.slice(from).reduce(function (previous, next, i) {
        return previous.then(function () { return next; }).then(function (hit) {
          if (ticket !== latest) { return; }
          var item = result(hit, found.terms);
          list.appendChild(item);
          if (asked && !keep && i === 0) { bringUp(); }
          tell();
          if (keep && i === 0) { item.querySelector("a").focus(); }
        });
      }, Promise.resolve()).then(done, failed);
    }, failed);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (select) { select.value = params.get(select.name) || ""; });
  if (steps.length) {
    if (params.get("region")) { showWanted(params.get("region")); }
    steps.forEach(function (select, i) { select.addEventListener("change", function () { stepped(i); }); });
    // The regions below the provinces are fetched when the reader goes to the choice, before they pick one.
    ["focusin", "pointerdown"].forEach(function (type) {
      regionBox.addEventListener(type, function () { regionTree().catch(function () { /* tried again */ }); });
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(false, null, true); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  selects.forEach(function (select) { select.addEventListener("change", function () { run(); }); });
  more.addEventListener("click", function () { shown += PAGE; run(true); });
  retry.addEventListener("click", function () { run(); });
  window.addEventListener("online", function () { if (!retry.hidden) { run(); } });
  list.addEventListener("click", leave, true);
  window.addEventListener("pagehide", leave);
  var back = history.state;
  if (back && back.scroll) { history.scrollRestoration = "manual"; }  // the list is not there yet to scroll to
  run(false, back, !(back && back.scroll));
})();
