/* stdportal search engine: the analyzer of generator/search/analyzer.py and the ranking of
   generator/search/ranking.py, over the sharded index of generator/render/search_index.py.
   Runs in the browser (window.StdportalSearch) and in Node (module.exports) for tests. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.StdportalSearch = factory(); root.StdportalSearch.startPage(document.currentScript); }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var PAGE = 10;  // results per page of the search page: the first screen or two on a phone
  var FILTERS = ["level", "status", "domain", "region"];
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var NUMBER = /[a-z]+[0-9]*[a-z]?[0-9]+(?:\.[0-9]+)*(?:-[0-9]{2,4})?/g;

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/[\u2014\u2013\u2015\uff0d]/g, "-");
  }

  function analyze(text) {
    var out = [];
    (fold(text).match(TOKEN) || []).forEach(function (token) {
      if (IS_HAN.test(token) && token.length > 1) {
        for (var i = 0; i < token.length - 1; i++) { out.push(token.slice(i, i + 2)); }
      } else {
        out.push(token);
      }
    });
    return out;
  }

  function numberTerms(text) {
    var compact = fold(text).replace(/[ \t\n\r\f\v/]+/g, "");
    var out = [];
    (compact.match(NUMBER) || []).forEach(function (match) {
      out.push(match);
      if (match.indexOf("-") >= 0) { out.push(match.split("-")[0]); }
    });
    return out;
  }

  /* As query_terms in analyzer.py: the year of a number in the query is not a term of its own. */
  function queryTerms(query) {
    var numbers = numberTerms(query);
    var seen = {};
    numbers.forEach(function (n) { if (n.indexOf("-") >= 0) { seen[n.split("-")[1]] = true; } });
    return analyze(query).concat(numbers).filter(function (term) {
      if (seen[term]) { return false; }
      seen[term] = true;
      return true;
    });
  }

  /* The parts of text that a query's terms match, for marking them in a result: [[piece, matched], ...] in
     order, joined they give text back. Han terms match anywhere; Latin and digit terms as whole words. */
  function highlight(text, terms) {
    var chars = Array.from(String(text));
    var folded = "";
    var owner = [];  // folded position -> index in chars
    chars.forEach(function (ch, i) {
      var f = fold(ch);
      folded += f;
      for (var k = 0; k < f.length; k++) { owner.push(i); }
    });
    var marked = chars.map(function () { return false; });
    var WORD = /[a-z0-9]/;
    terms.forEach(function (term) {
      if (!term) { return; }
      var latin = WORD.test(term.charAt(0));
      for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
        var end = at + term.length;
        if (latin && (WORD.test(folded.charAt(at - 1)) || WORD.test(folded.charAt(end)))) { continue; }
        for (var j = at; j < end; j++) { marked[owner[j]] = true; }
      }
    });
    var parts = [];
    chars.forEach(function (ch, i) {
      var last = parts[parts.length - 1];
      if (last && last[1] === marked[i]) { last[0] += ch; } else { parts.push([ch, marked[i]]); }
    });
    return parts;
  }

  function fnv1a(term) {
    var bytes = new TextEncoder().encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  function round9(x) { return Math.round(x * 1e9) / 1e9; }

  /* Does hit a rank before hit b? Higher score first (rounded to 9 places, as generator/search/ranking.py
     compares them), then lower id: ids follow number order. */
  function before(a, b) { return a.key > b.key || (a.key === b.key && a.id < b.id); }

  /* score = sum over distinct query terms of idf(t) * weight(doc, t), times (0.5 + 0.5 * matched / total).
     postingsOf(term) gives [gap, weight, gap, weight, ...]: ids in ascending order, each as the gap from the one
     before. accept(id) keeps a document (filters); only the best `limit` are sorted, so a term found in most of
     100,000 documents costs one pass, not a sort of them all. Returns {total, top: [{id, score}]}. */
  function rank(terms, postingsOf, docCount, limit, accept) {
    var sums = new Float64Array(docCount);
    var matched = new Uint16Array(docCount);
    var seen = [];
    terms.forEach(function (term) {
      var postings = postingsOf(term);
      if (!postings || !postings.length) { return; }
      var idf = Math.log(1 + docCount / (postings.length / 2));
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        if (!matched[doc]) { seen.push(doc); }
        sums[doc] += idf * postings[i + 1];
        matched[doc] += 1;
      }
    });
    var total = 0;
    var top = [];
    for (var j = 0; j < seen.length; j++) {
      var id = seen[j];
      if (accept && !accept(id)) { continue; }
      total += 1;
      var score = sums[id] * (0.5 + 0.5 * matched[id] / terms.length);
      var hit = { id: id, score: score, key: round9(score) };
      if (top.length === limit && !before(hit, top[limit - 1])) { continue; }
      var at = top.length;
      while (at > 0 && before(hit, top[at - 1])) { at -= 1; }
      top.splice(at, 0, hit);
      if (top.length > limit) { top.pop(); }
    }
    return { total: total, top: top };
  }

  /* manifest: the index's manifest when the page carries it (saves one request before the first query). */
  function create(base, fetchJson, manifest) {
    var cache = {};
    function load(path) {
      if (!cache[path]) {
        // A file that failed to load (network cut) is asked for again next time, not remembered as failed.
        cache[path] = fetchJson(base + "search-index/" + path).catch(function (error) {
          delete cache[path];
          throw error;
        });
      }
      return cache[path];
    }
    if (manifest) { cache["manifest.json"] = Promise.resolve(manifest); }
    var lastKey = null;
    var lastFound = null;

    /* The filter test for a document id, over attrs.json's columns (see generator/render/search_index.py). */
    function matches(filters, attrs) {
      var level = filters.level ? String(attrs.levels.indexOf(filters.level)) : null;
      var status = filters.status ? String(attrs.statuses.indexOf(filters.status)) : null;
      var bit = filters.domain ? attrs.domains.indexOf(filters.domain) : 0;
      var prefix = filters.region ? filters.region.replace(/(00)+$/, "") : "";
      var inRegion = [false].concat(attrs.regions.map(function (code) { return code.indexOf(prefix) === 0; }));
      return function (id) {
        if (level !== null && attrs.level.charAt(id) !== level) { return false; }
        if (status !== null && attrs.status.charAt(id) !== status) { return false; }
        if (filters.domain && (bit < 0 || !(attrs.domain[id] & (1 << bit)))) { return false; }
        if (filters.region && !inRegion[attrs.region[id]]) { return false; }
        return true;
      };
    }

    /* The query's ranked hits as soon as its term shards are in; results[i] is a promise of hit i's display
       data, which comes with its result chunk: a page can show the first result before the twentieth. */
    function find(query, filters, limit) {
      filters = filters || {};
      limit = limit || PAGE;
      // The page asks twice for the query in its address (search.js in the head, then search-ui.js): the
      // second gets the first's answer, not a second ranking of the same postings.
      var key = [query, limit].concat(FILTERS.map(function (name) { return filters[name] || ""; })).join("\u0001");
      if (key !== lastKey) {
        lastKey = key;
        lastFound = ranked(query, filters, limit, forget).catch(function (error) {
          forget();
          throw error;
        });
      }
      return lastFound;
      function forget() { if (lastKey === key) { lastKey = null; } }  // a failed load is tried again next time
    }

    /* find's work; onFailure is told when a result's data fails to load. */
    function ranked(query, filters, limit, onFailure) {
      var terms = queryTerms(query);
      return load("manifest.json").then(function (manifest) {
        if (!terms.length) { return { terms: terms, total: 0, results: [] }; }
        var shardOf = {};
        terms.forEach(function (term) { shardOf[term] = fnv1a(term) % manifest.shards; });
        var ids = Object.keys(shardOf).map(function (t) { return shardOf[t]; })
          .filter(function (n, i, all) { return all.indexOf(n) === i; });
        var filtered = filters.level || filters.status || filters.domain || filters.region;
        return Promise.all([
          Promise.all(ids.map(function (n) { return load("t/" + n + ".json"); })),
          filtered ? load("attrs.json") : null,
        ]).then(function (loaded) {
          var shards = {};
          ids.forEach(function (n, i) { shards[n] = loaded[0][i]; });
          var ranked = rank(terms, function (term) { return shards[shardOf[term]][term]; }, manifest.docs, limit,
            filtered ? matches(filters, loaded[1]) : null);
          return {
            terms: terms,
            total: ranked.total,
            // In rank order, so the best result's chunk is requested first.
            results: ranked.top.map(function (hit) {
              var row = load("d/" + Math.floor(hit.id / manifest.chunk) + ".json").then(function (rows) {
                var data = rows[hit.id % manifest.chunk];
                return { id: hit.id, score: hit.score, number: data[0], title: data[1], titleEn: data[2],
                  status: data[3], statusLabel: data[4], level: data[5], url: data[6] };
              });
              row.catch(onFailure);  // and the caller learns of it from the first result it waits for
              return row;
            }),
          };
        });
      });
    }

    /* find, with every result's data in. */
    function search(query, filters, limit) {
      return find(query, filters, limit).then(function (found) {
        return Promise.all(found.results).then(function (results) {
          return { terms: found.terms, total: found.total, results: results };
        });
      });
    }

    return { find: find, search: search };
  }


  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + " " + response.status); }
      return response.json();
    });
  }

  /* On the search page this script sits in the head with the index manifest (data-sp-index): it creates the
     page's engine and starts the query in the address (?q=&level=…) while styles and scripts load, so that
     search-ui.js finds the files fetched already. The result is not used here; the engine caches the files. */
  function startPage(script) {
    if (!script || !script.hasAttribute("data-sp-index")) { return; }
    var base = script.src.replace(/assets\/stdportal\/search\.js.*$/, "");
    var engine = create(base, fetchJson, JSON.parse(script.getAttribute("data-sp-index")));
    api.page = { base: base, engine: engine };
    var params = new URLSearchParams(location.search);
    var query = (params.get("q") || "").trim();
    var filters = {};
    FILTERS.forEach(function (name) { if (params.get(name)) { filters[name] = params.get(name); } });
    if (query) { engine.find(query, filters, PAGE).catch(function () { /* search-ui.js reports it */ }); }
  }

  var api = { PAGE: PAGE, startPage: startPage, analyze: analyze, numberTerms: numberTerms,
    queryTerms: queryTerms, highlight: highlight, fnv1a: fnv1a, rank: rank, create: create, fold: fold };
  return api;
});
