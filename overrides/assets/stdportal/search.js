/* stdportal search engine: the analyzer of generator/search/analyzer.py and the ranking of
   generator/search/ranking.py, over the sharded index of generator/render/search_index.py.
   Runs in the browser (window.StdportalSearch) and in Node (module.exports) for tests. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.StdportalSearch = factory(); }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

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

  function queryTerms(query) {
    var seen = {};
    return analyze(query).concat(numberTerms(query)).filter(function (term) {
      if (seen[term]) { return false; }
      seen[term] = true;
      return true;
    });
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

  /* score = sum over distinct query terms of idf(t) * weight(doc, t), times (0.5 + 0.5 * matched / total) */
  function rank(terms, postingsOf, docCount) {
    var scores = new Map();
    var matched = new Map();
    terms.forEach(function (term) {
      var postings = postingsOf(term);
      if (!postings || !postings.length) { return; }
      var idf = Math.log(1 + docCount / (postings.length / 2));
      for (var i = 0; i < postings.length; i += 2) {
        var doc = postings[i];
        scores.set(doc, (scores.get(doc) || 0) + idf * postings[i + 1]);
        matched.set(doc, (matched.get(doc) || 0) + 1);
      }
    });
    var ranked = [];
    scores.forEach(function (score, doc) {
      ranked.push({ id: doc, score: score * (0.5 + 0.5 * matched.get(doc) / terms.length) });
    });
    // Scores compared rounded to 9 places (as generator/search/ranking.py does); ids follow number order.
    ranked.sort(function (a, b) { return round9(b.score) - round9(a.score) || a.id - b.id; });
    return ranked;
  }

  function create(base, fetchJson) {
    var cache = {};
    function load(path) {
      if (!cache[path]) { cache[path] = fetchJson(base + "search-index/" + path); }
      return cache[path];
    }

    function matches(filters, attrs) {
      return function (hit) {
        var doc = attrs.docs[hit.id];
        if (filters.level && doc[0] !== filters.level) { return false; }
        if (filters.status && doc[1] !== filters.status) { return false; }
        if (filters.domain) {
          var bit = attrs.domains.indexOf(filters.domain);
          if (bit < 0 || !(doc[2] & (1 << bit))) { return false; }
        }
        if (filters.region) {
          var prefix = filters.region.replace(/(00)+$/, "");
          if (!doc[3] || doc[3].indexOf(prefix) !== 0) { return false; }
        }
        return true;
      };
    }

    function search(query, filters, limit) {
      filters = filters || {};
      limit = limit || 20;
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
          var hits = rank(terms, function (term) { return shards[shardOf[term]][term]; }, manifest.docs);
          if (filtered) { hits = hits.filter(matches(filters, loaded[1])); }
          var top = hits.slice(0, limit);
          var chunks = top.map(function (hit) { return Math.floor(hit.id / manifest.chunk); })
            .filter(function (n, i, all) { return all.indexOf(n) === i; });
          return Promise.all(chunks.map(function (n) { return load("d/" + n + ".json"); })).then(function (rows) {
            var byChunk = {};
            chunks.forEach(function (n, i) { byChunk[n] = rows[i]; });
            return {
              terms: terms,
              total: hits.length,
              results: top.map(function (hit) {
                var row = byChunk[Math.floor(hit.id / manifest.chunk)][hit.id % manifest.chunk];
                return { id: hit.id, score: hit.score, number: row[0], title: row[1], titleEn: row[2],
                  status: row[3], statusLabel: row[4], level: row[5], url: row[6] };
              }),
            };
          });
        });
      });
    }

    return { search: search };
  }

  return { analyze: analyze, numberTerms: numberTerms, queryTerms: queryTerms, fnv1a: fnv1a, rank: rank,
    create: create, fold: fold };
});
