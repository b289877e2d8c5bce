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
  var INDEX_VERSION = 5;  // the layout this file reads: INDEX_VERSION in generator/render/search_index.py
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var HAS_HAN = new RegExp("[" + HAN + "]");
  var NUMBER = /[a-z]+[0-9]*[a-z]?[0-9]+(?:\.[0-9]+)*(?:-[0-9]{2,4})?/g;
  var CODE = /(?<![a-z0-9])(db[0-9]{2,6}|[a-z]{1,4})(?:\/([tzj]))?(?![ \t\n\r\f\v]*[a-z0-9/])/g;  // as _CODE
  var AROUND_SLASH = /[ \t\n\r\f\v]*\/[ \t\n\r\f\v]*/g;
  var REGION_CODE = /^db[0-9]{2}(?:[0-9]{2})?$/;

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

  /* As code_terms in analyzer.py: the terms of the standard codes typed in text (MZ/T → mz t mzt). */
  function codeTerms(text) {
    var out = [];
    var folded = fold(text).replace(AROUND_SLASH, "/");
    var han = HAS_HAN.test(folded);
    folded.replace(CODE, function (all, code, kind) {
      // Letters alone (GB, MZ) are a code beside Chinese words or on their own, not in English: old age care.
      if (kind || code.indexOf("db") === 0 || han || folded.trim() === all) {
        analyze(all).concat(kind ? [code + kind] : []).forEach(function (t) {
          if (out.indexOf(t) < 0) { out.push(t); }
        });
      }
      return all;
    });
    return out;
  }

  /* As query_terms in analyzer.py: the year of a number in the query is not a term of its own. */
  function queryTerms(query) {
    var numbers = numberTerms(query);
    var seen = {};
    numbers.forEach(function (n) { if (n.indexOf("-") >= 0) { seen[n.split("-")[1]] = true; } });
    return analyze(query).concat(numbers, codeTerms(query)).filter(function (term) {
      if (seen[term]) { return false; }
      seen[term] = true;
      return true;
    });
  }

  var WORD_GAP = /[ \t\n\r\f\v]+/;  // as _WORD_GAP in analyzer.py: \s differs between Python and JavaScript

  /* As words_apart in analyzer.py: the words of a query to search one at a time too (ranked says when their
     results replace the query's): those holding a Chinese character, but the region's name it named; none when
     fewer than two. */
  function wordsApart(query, placeName) {
    var words = fold(query).split(WORD_GAP).filter(function (word, i, all) {
      return HAS_HAN.test(word) && word !== placeName && all.indexOf(word) === i;
    });
    return words.length >= 2 ? words : [];
  }

  /* As find_place in analyzer.py: the code of the longest region name that begins a word of the query (the
     first in sorted order among equally long ones) and that name. */
  function findPlace(query, places) {
    places = places || {};
    var words = fold(query).split(WORD_GAP).filter(Boolean);
    var best = "";
    // Each word's beginnings looked up, longest first: a query is short, the table has thousands of names.
    var own = Object.prototype.hasOwnProperty;
    var size = words.reduce(function (n, word) { return Math.max(n, word.length); }, 0);
    for (; size > 0 && !best; size--) {
      for (var w = 0; w < words.length; w++) {
        var name = words[w].slice(0, size);
        if (name.length === size && own.call(places, name) && (!best || name < best)) { best = name; }
      }
    }
    return best ? { place: places[best], name: best } : { place: null, name: "" };
  }

  function variant(text, factor, named) {
    var terms = queryTerms(text);
    var numbers = numberTerms(text);
    var inName = function (t) { return named.indexOf(t) >= 0; };
    return { terms: terms, factor: factor, numbers: terms.filter(function (t) {
      return (numbers.indexOf(t) >= 0 && !REGION_CODE.test(t)) || /^[0-9]{3,}$/.test(t);
    }), qualifiers: terms.some(function (t) { return !inName(t); }) ? terms.filter(inName) : [] };
  }

  var SYNONYM_FACTOR = 0.8;
  var MAX_VARIANTS = 8;

  /* As expand in analyzer.py: the variants a query is searched as ({terms, factor, numbers}), and the region
     it names (whose terms, with those of the codes it types, are each variant's `qualifiers`). */
  function expand(query, synonyms, places) {
    var found = findPlace(query, places);
    var text = fold(query);
    var named = (found.name ? queryTerms(found.name) : []).concat(codeTerms(text));
    var variants = [variant(text, 1, named)];
    var gapless = joined(text);
    var matches = synonymMatches(gapless.text, synonyms || {});
    var spans = matches.map(function (match) {
      return [gapless.where[match[0]], gapless.where[match[0] + match[1].length - 1] + 1, match[2]];
    });
    var seen = {};
    seen[variants[0].terms.join("\u0001")] = true;
    spans.forEach(function (match, m) {
      match[2].forEach(function (choice) {
        var out = "";
        var last = 0;
        spans.forEach(function (other, k) {
          out += text.slice(last, other[0]) + (k === m ? choice : other[2][0]);
          last = other[1];
        });
        out += text.slice(last);
        var next = variant(out, SYNONYM_FACTOR, named);
        var key = next.terms.join("\u0001");
        if (next.terms.length && !seen[key] && variants.length < MAX_VARIANTS) {
          seen[key] = true;
          variants.push(next);
        }
      });
    });
    return { variants: variants[0].terms.length ? variants : [], place: found.place, placeName: found.name,
      widened: variants.length > 1 ? widenedWords(matches) : [] };
  }

  /* As Expanded.widened: the official words a query was also searched with, once each. */
  function widenedWords(matches) {
    var out = [];
    matches.forEach(function (match) {
      match[2].forEach(function (word) { if (out.indexOf(word) < 0) { out.push(word); } });
    });
    return out;
  }

  /* As analyzer.simplified: each traditional character of the table ([traditional, simplified], two strings of
     one character each) in its simplified form. */
  function simplified(text, table) {
    if (!table || !table[0]) { return text; }
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var at = table[0].indexOf(text[i]);
      out += at < 0 ? text[i] : table[1][at];
    }
    return out;
  }

  /* As _joined: the text without the gaps between two Chinese characters, and where each of its characters is. */
  var GAP_CHAR = /[ \t\n\r\f\v]/;
  function joined(text) {
    var out = "";
    var where = [];
    for (var i = 0; i < text.length; i++) {
      if (GAP_CHAR.test(text[i])) {
        var end = i;
        while (end < text.length && GAP_CHAR.test(text[end])) { end++; }
        if (i > 0 && IS_HAN.test(text[i - 1]) && end < text.length && IS_HAN.test(text[end])) { i = end - 1; continue; }
      }
      out += text[i];
      where.push(i);
    }
    return { text: out, where: where };
  }

  /* As _synonym_matches: [[at, word, targets]] left to right, the longest word at each place, not overlapping;
     a word that is part of one of its own targets there (小学 in 中小学) is not one. */
  function synonymMatches(text, synonyms) {
    var keys = Object.keys(synonyms).sort(function (a, b) {
      return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
    });
    var out = [];
    var at = 0;
    while (at < text.length) {
      var key = null;
      for (var i = 0; i < keys.length; i++) {
        if (text.startsWith(keys[i], at) && !insideTarget(text, at, keys[i], synonyms[keys[i]])) { key = keys[i]; break; }
      }
      if (key === null) { at += 1; continue; }
      out.push([at, key, synonyms[key]]);
      at += key.length;
    }
    return out;
  }

  function insideTarget(text, at, key, targets) {
    return targets.some(function (target) {
      for (var offset = target.indexOf(key); offset >= 0; offset = target.indexOf(key, offset + 1)) {
        var start = at - offset;
        if (start >= 0 && text.slice(start, start + target.length) === target) { return true; }
      }
      return false;
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

  /* As generator/search/ranking.py: per variant, score = factor * sum over its distinct terms of
     idf(t) * weight(doc, t), times (matched / terms)^2, per term of the variant; a document counts for a variant when it holds at least half
     of its terms and more than one of several, or one of its standard-number terms, and scores its best over
     those. The terms of a region the query names and of the codes it types (variant.qualifiers) add to the sum but
     are not counted in matched or terms; a document holding one term alone is shown only when no other term of the
     query is in the index (needed). postingsOf(term) gives
     [gap, weight, gap, weight, ...]: ids in ascending order, each as the gap from the one before. accept(id) keeps a
     document (filters); only the best `limit` are sorted, so a term found in most of 100,000 documents costs one
     pass, not a sort of them all. Returns {total, top: [{id, score}], ids}: total counts the documents shown, ids
     lists them (in no order). */
  function rank(variants, postingsOf, docCount, limit, accept) {
    var best = new Float64Array(docCount).fill(-1);
    var sums = new Float64Array(docCount);
    var matched = new Uint16Array(docCount);
    var numbered = new Uint8Array(docCount);
    var touched = new Uint8Array(docCount);
    var shownIds = [];
    variants.forEach(function (variant) {
      var terms = variant.terms.filter(function (t, i, all) { return all.indexOf(t) === i; });
      var qualifiers = variant.qualifiers || [];
      var counted = terms.filter(function (t) { return qualifiers.indexOf(t) < 0; }).length;
      var needed = terms.filter(function (t) {
        var found = postingsOf(t);
        return qualifiers.indexOf(t) < 0 && ((found && found.length) || variant.numbers.indexOf(t) >= 0);
      }).length;
      var seen = [];
      terms.forEach(function (term) {
        var postings = postingsOf(term);
        if (!postings || !postings.length) { return; }
        var idf = Math.log(1 + docCount / (postings.length / 2));
        var number = variant.numbers.indexOf(term) >= 0;
        var counts = qualifiers.indexOf(term) < 0 ? 1 : 0;
        var doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          if (!postings[i + 1]) { continue; }
          if (!touched[doc]) { touched[doc] = 1; seen.push(doc); }
          sums[doc] += idf * postings[i + 1];
          matched[doc] += counts;
          if (number) { numbered[doc] = 1; }
        }
      });
      for (var j = 0; j < seen.length; j++) {
        var id = seen[j];
        if (matched[id] && (numbered[id] || (2 * matched[id] >= counted && (matched[id] >= 2 || needed < 2)))) {
          var share = matched[id] / counted;
          var value = variant.factor * sums[id] * (share * share) / terms.length;
          if (best[id] < 0) { shownIds.push(id); }
          if (value > best[id]) { best[id] = value; }
        }
        sums[id] = 0;
        matched[id] = 0;
        numbered[id] = 0;
        touched[id] = 0;
      }
    });
    var ids = [];
    var top = [];
    for (var k = 0; k < shownIds.length; k++) {
      var doc = shownIds[k];
      if (accept && !accept(doc)) { continue; }
      ids.push(doc);
      var hit = { id: doc, score: best[doc], key: round9(best[doc]) };
      if (top.length === limit && !before(hit, top[limit - 1])) { continue; }
      var at = top.length;
      while (at > 0 && before(hit, top[at - 1])) { at -= 1; }
      top.splice(at, 0, hit);
      if (top.length > limit) { top.pop(); }
    }
    return { total: ids.length, top: top, ids: ids };
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
    // A page kept from an earlier build may carry a manifest of another layout: then the site's own file.
    if (manifest && manifest.version === INDEX_VERSION) { cache["manifest.json"] = Promise.resolve(manifest); }
    var lastKey = null;
    var lastFound = null;

    /* The filter test for a document id, over attrs.json's columns (see generator/render/search_index.py). A region
       keeps what applies there: national and industry standards, and the local standards of the region, of the
       regions above it and of those within it (codes sharing its prefix either way). */
    function matches(filters, attrs) {
      var level = filters.level ? String(attrs.levels.indexOf(filters.level)) : null;
      var status = filters.status ? String(attrs.statuses.indexOf(filters.status)) : null;
      var bit = filters.domain ? attrs.domains.indexOf(filters.domain) : 0;
      var local = String(attrs.levels.indexOf("local"));
      var prefix = filters.region ? filters.region.replace(/(00)+$/, "") : "";
      var inRegion = [false].concat(attrs.regions.map(function (code) {
        var own = code.replace(/(00)+$/, "");
        return code.indexOf(prefix) === 0 || prefix.indexOf(own) === 0;
      }));
      return function (id) {
        if (level !== null && attrs.level.charAt(id) !== level) { return false; }
        if (status !== null && attrs.status.charAt(id) !== status) { return false; }
        if (filters.domain && (bit < 0 || !(attrs.domain[id] & (1 << bit)))) { return false; }
        if (filters.region && attrs.level.charAt(id) === local && !inRegion[attrs.region[id]]) { return false; }
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

    /* find's work; onFailure is told when a result's data fails to load. As search_database in
       generator/search/local_index.py: a query of several words (wordsApart) is searched word by word too, where
       its region says; when the words together find nothing, or nothing that holds a word which alone finds
       standards (殡葬 图书馆: 图书馆's two terms outweigh 殡葬's one), the word with the fewest results but none is
       shown instead, but not in place of what a standard number typed found (35796 学校 校车); otherwise the words
       that alone find nothing are named (missing: 婴儿 游泳, 游泳). A word that cannot be searched alone (its
       index file failed to load) leaves the results of the words together as they are. */
    function ranked(query, filters, limit, onFailure) {
      return scored(query, filters, limit).then(function (found) {
        var apart = wordsApart(found.simplified || query, found.placeName);
        if (!apart.length) { return withRows(found, onFailure); }
        return Promise.all(apart.map(function (word) { return scored(word, found.filters, limit); }))
          .catch(function () { return null; })
          .then(function (each) {
            if (!each) { return withRows(found, onFailure); }
            var together = {};
            found.ids.forEach(function (id) { together[id] = true; });
            var lost = !found.total || !found.numbered && each.some(function (one) {
              return one.total && !one.ids.some(function (id) { return together[id]; });
            });
            var best = -1;
            each.forEach(function (one, i) {
              if (lost && one.total && (best < 0 || one.total < each[best].total)) { best = i; }
            });
            if (best < 0) {
              var missing = found.total ? apart.filter(function (word, i) { return !each[i].total; }) : [];
              return withRows(Object.assign({}, found, { missing: missing }), onFailure);
            }
            return withRows(Object.assign({}, found, { total: each[best].total, top: each[best].top,
              widened: each[best].widened, apart: apart, alone: apart[best] }), onFailure);
          });
      });
    }

    /* The query as typed, ranked (its top hits and the ids of every document shown), without result data. */
    function scored(query, filters, limit) {
      return load("manifest.json").then(function (manifest) {
        var asked = query;
        query = simplified(query, manifest.simplified);
        // A query's terms do not depend on the regions it may name: their shards are fetched beside the region
        // names that may begin a word of the query (generator/render/search_index.py place_shard).
        var terms = expand(query, manifest.synonyms, {}).variants.reduce(function (all, v) {
          v.terms.forEach(function (t) { if (all.indexOf(t) < 0) { all.push(t); } });
          return all;
        }, []);
        if (!terms.length) { return { terms: terms, total: 0, top: [], ids: [], filters: filters }; }
        var shardOf = {};
        terms.forEach(function (term) { shardOf[term] = fnv1a(term) % manifest.shards; });
        var ids = Object.keys(shardOf).map(function (t) { return shardOf[t]; })
          .filter(function (n, i, all) { return all.indexOf(n) === i; });
        var chosen = filters.level || filters.status || filters.domain || filters.region;
        var named = placesFor(query, manifest.places).then(function (places) {
          var expanded = expand(query, manifest.synonyms, places);
          if (!filters.region && expanded.place) {
            filters = Object.assign({}, filters, { region: expanded.place });
          }
          return expanded;
        });
        return Promise.all([
          Promise.all(ids.map(function (n) { return load("t/" + n + ".json"); })),
          named,
          // The filter data: at once for a chosen filter; for a region the query names, as soon as its small place
          // shard says so, while the term shards are still coming.
          chosen ? load("attrs.json") : named.then(function (expanded) {
            return expanded.place ? load("attrs.json") : null;
          }),
        ]).then(function (loaded) {
          var expanded = loaded[1];
          var shards = {};
          ids.forEach(function (n, i) { shards[n] = loaded[0][i]; });
          var ranked = rank(expanded.variants, function (term) { return shards[shardOf[term]][term]; }, manifest.docs,
            limit, loaded[2] ? matches(filters, loaded[2]) : null);
          return {
            terms: terms,
            // The query's terms some standard holds: what a shorter query could still find (the no-result advice).
            known: terms.filter(function (term) {
              var postings = shards[shardOf[term]][term];
              return Boolean(postings && postings.length);
            }),
            total: ranked.total,
            place: expanded.place,
            placeName: expanded.placeName,
            widened: expanded.widened,
            simplified: query !== asked ? query : "",
            filters: filters,  // with the region the query names
            top: ranked.top,
            ids: ranked.ids,
            numbered: expanded.variants.some(function (v) { return v.numbers.length > 0; }),
          };
        });
      });
    }

    /* found with its results: promises of each top hit's display data. The best result's chunk is requested at
       once, the others' once it is in (or has failed): on a page still loading, each request costs the main thread
       time the first result would wait for. */
    function withRows(found, onFailure) {
      return load("manifest.json").then(function (manifest) {
        return Object.assign({}, found, {
          results: found.top.map(function (hit, i, top) {
            var path = "d/" + Math.floor(hit.id / manifest.chunk) + ".json";
            var head = i && cache["d/" + Math.floor(top[0].id / manifest.chunk) + ".json"];
            var rows = head ? head.then(function () { return load(path); }, function () { return load(path); })
              : load(path);
            var row = rows.then(function (rows) {
              var data = rows[hit.id % manifest.chunk];
              return { id: hit.id, score: hit.score, number: data[0], title: data[1], titleEn: data[2],
                status: data[3], statusLabel: data[4], level: data[5], url: data[6] };
            });
            row.catch(onFailure);  // and the caller learns of it from the first result it waits for
            return row;
          }),
        });
      });
    }

    /* The region names (name → code) that may begin a word of the query: the place shards of each word's first
       two characters, as one table. */
    function placesFor(query, count) {
      var ids = fold(query).split(WORD_GAP).map(function (word) { return Array.from(word).slice(0, 2).join(""); })
        .filter(function (head) { return Array.from(head).length === 2; })
        .map(function (head) { return fnv1a(head) % count; })
        .filter(function (n, i, all) { return all.indexOf(n) === i; });
      return Promise.all(ids.map(function (n) { return load("p/" + n + ".json"); })).then(function (tables) {
        return tables.reduce(function (all, table) { return Object.assign(all, table); }, {});
      });
    }

    /* find, with every result's data in. */
    function search(query, filters, limit) {
      return find(query, filters, limit).then(function (found) {
        return Promise.all(found.results).then(function (results) {
          return { terms: found.terms, total: found.total, results: results, place: found.place };
        });
      });
    }

    return { find: find, search: search };
  }


  /* High priority: on the search page these requests are what the first result waits for, not the theme's. */
  function fetchJson(url) {
    return fetch(url, { priority: "high" }).then(function (response) {
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
    deferScripts(Boolean(query));
  }

  /* The search page's other scripts (the theme's: its menus and header; stdportal.js: the feedback link's address
     and the 适老化 buttons) wait in <template id="sp-theme-scripts"> (scripts in a template do not run) until the
     first result is shown (search-ui.js says so) when the address has a query, so that neither their requests
     nor their start-up delay it; without a query, or after 2 s at most, they load once the page is parsed. Done
     here rather than by a script of its own: on a host speaking HTTP/1.1 a browser opens 6 connections per
     host, and the query's term shards should not queue behind one more file. */
  function deferScripts(query) {
    var started = false;
    var wanted = !query;
    var parsed = false;
    function start() {
      wanted = true;
      if (started || !parsed) { return; }  // not parsed yet: DOMContentLoaded starts them
      started = true;
      var template = document.getElementById("sp-theme-scripts");
      if (!template) { return; }
      var scripts = Array.prototype.slice.call(template.content.querySelectorAll("script"));
      var left = scripts.filter(function (old) { return old.src; }).length;
      scripts.forEach(function (old) {
        var script = document.createElement("script");
        Array.prototype.forEach.call(old.attributes, function (a) { script.setAttribute(a.name, a.value); });
        script.async = false;
        script.text = old.text;
        // The theme starts on DOMContentLoaded, which has passed: it is told again.
        script.onload = script.onerror = function () {
          if (--left === 0) { document.dispatchEvent(new Event("DOMContentLoaded")); }
        };
        document.body.appendChild(script);
      });
    }
    document.addEventListener("DOMContentLoaded", function () {
      if (parsed) { return; }  // the one dispatched again for the theme
      parsed = true;
      if (wanted) { start(); }
    });
    if (query) {
      document.addEventListener("stdportal:search-shown", start);
      setTimeout(start, 2000);
    }
  }

  var api = { PAGE: PAGE, startPage: startPage, analyze: analyze, numberTerms: numberTerms, codeTerms: codeTerms,
    queryTerms: queryTerms, expand: expand, findPlace: findPlace, highlight: highlight, fnv1a: fnv1a, rank: rank,
    create: create, fold: fold, simplified: simplified, wordsApart: wordsApart };
  return api;
});
