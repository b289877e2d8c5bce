/* Runs requests against the site's real search engine (overrides/assets/stdportal/search.js) for
   tests/relevance/evaluate.py, in Node or, when Node is missing, in headless Chromium.

   request = {base: "<site root>/", search: [{q, filters, limit}], terms: [string], fnv1a: [string],
              highlight: [[text, query]], expand: {synonyms, places, queries: [string]}, totals: [{q, filters}],
              places: [string], apart: [{q, filters}], manifest: the search page's manifest (optional)}
   answer  = {search: [[{number, title, status, score}]], terms: [[term]], fnv1a: [int],
              highlight: [[[piece, matched]]], expand: [{variants: [{terms, factor, numbers, qualifiers}], place, widened}],
              totals: [int], places: [code or null], apart: [{total, alone, apart, missing, numbers}]}
              (places: the region a query names, found by find() through the index's place shards; apart: when the
              words together find nothing, or drop one, the words searched one at a time and the one the results
              are for; missing: the words that alone find nothing, when the others found standards)

   Node:     node search_runner.js SEARCH_JS < request.json > answer.json   (reads the index files from disk)
   Chromium: search.js and this file as script tags, then handle(StdportalSearch, readJson, request). */
"use strict";

function handle(S, readJson, request) {
  var engine = S.create(request.base || "", function (path) {
    return Promise.resolve().then(function () { return readJson(path); });
  }, request.manifest);  // the manifest a search page carries, when the request gives one
  var searches = request.search || [];
  var answer = {
    terms: (request.terms || []).map(function (text) { return S.queryTerms(text); }),
    fnv1a: (request.fnv1a || []).map(function (text) { return S.fnv1a(text); }),
    highlight: (request.highlight || []).map(function (pair) { return S.highlight(pair[0], S.queryTerms(pair[1])); }),
    search: [],
    expand: request.expand ? request.expand.queries.map(function (q) {
      var e = S.expand(q, request.expand.synonyms, request.expand.places);
      return { variants: e.variants, place: e.place, widened: e.widened };
    }) : [],
    totals: [],
    places: [],
  };
  // One query after another, as a reader types them: the engine's shard cache is shared between them.
  return searches.reduce(function (done, item) {
    return done.then(function () {
      return engine.search(item.q, item.filters || {}, item.limit || 20).then(function (found) {
        answer.search.push(found.results.map(function (hit) {
          return { number: hit.number, title: hit.title || hit.titleEn || "", status: hit.status, score: hit.score };
        }));
      });
    });
  }, Promise.resolve()).then(function () {
    return (request.totals || []).reduce(function (done, item) {
      return done.then(function () {
        return engine.find(item.q, item.filters || {}, 10).then(function (found) { answer.totals.push(found.total); });
      });
    }, Promise.resolve());
  }).then(function () {
    return (request.places || []).reduce(function (done, q) {
      return done.then(function () {
        return engine.find(q, {}, 1).then(function (found) {
          answer.places.push(found.terms.length ? found.place : null);
        });
      });
    }, Promise.resolve());
  }).then(function () {
    answer.apart = [];
    return (request.apart || []).reduce(function (done, item) {
      return done.then(function () {
        return engine.find(item.q, item.filters || {}, 10).then(function (found) {
          return Promise.all(found.results).then(function (results) {
            answer.apart.push({ total: found.total, alone: found.alone || null, apart: found.apart || [],
              missing: found.missing || [],
              numbers: results.map(function (hit) { return hit.number; }) });
          });
        });
      });
    }, Promise.resolve());
  }).then(function () { return answer; });
}

if (typeof module === "object" && typeof require === "function" && require.main === module) {
  var fs = require("fs");
  var S = require(require("path").resolve(process.argv[2]));
  var input = fs.readFileSync(0, "utf8");
  handle(S, function (path) { return JSON.parse(fs.readFileSync(path, "utf8")); }, JSON.parse(input))
    .then(function (answer) { process.stdout.write(JSON.stringify(answer)); }, function (error) {
      process.stderr.write(String(error && error.stack || error) + "\n");
      process.exit(1);
    });
}
