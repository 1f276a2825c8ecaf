// The search page: a small interface on Pagefind's JS API (pagefind.js in the bundle).
//
// A reader's words are read in three steps. Spaces inside Han text go (刘 静 怡 -> 刘静怡).
// Names the catalogue knows (names.json, beside this page: lecturers, sites, organisations,
// programme titles, tags) are taken out, longest first, and searched as their tokens: every
// page whose text contains a name carries the name's token (namefilters.py), so a name finds
// every such page, however the indexer split it into words, and loads only the index chunk
// its token is in. What is left, if anything, is searched as words beside them. A query of
// names alone is listed by the rank of each page's kind (a person's, site's or organisation's
// own page, then programmes, then news), the page titled with the name first.
//
// Results: one per page; its sections only where they are another part of the page with the
// words; excerpts cut from the page's text around the first name or word, at a sentence or
// at least a character boundary (never inside a number), with the whole names and words
// marked. Wording comes from the labels on #brochure-search, in the page's language.
//
// The page keeps still while results arrive: the results area has its height reserved
// (brochure.css), and the count, the kind filters and the first results go in at once.
//
// Pagefind searches in a web worker, so that its WebAssembly and unpacking keep off the page's
// thread (on Lighthouse's phone the first results came 0.3 s sooner). The worker splits the
// reader's words itself, so it is started through this file, which installs joinUnknownWords
// there too and then runs Pagefind's own worker script (see pagefindWorker below).
joinUnknownWords(self);
if (typeof document === "undefined") pagefindWorker();
else startPagefindWorkersHere();

(function () {
  if (typeof document === "undefined") return;
  var root = document.getElementById("brochure-search");
  if (!root) return;
  var BATCH = 10;
  var form = root.querySelector(".brochure-search__form");
  var input = root.querySelector(".brochure-search__input");
  var status = root.querySelector(".brochure-search__status");
  var kindsBox = root.querySelector(".brochure-search__kinds");
  var list = root.querySelector(".brochure-search__results");
  var more = root.querySelector(".brochure-search__more");
  var label = function (name) { return root.getAttribute("data-label-" + name) || ""; };
  var kindOrder = (root.getAttribute("data-kind-order") || "").split(/\s+/).filter(Boolean);

  var state = { seq: 0, query: null, kind: null, results: [], shown: 0, counts: null, allKinds: null };

  var bundle = new URL(root.getAttribute("data-bundle"), location.href).href;
  // The index comes in parts (search.py): this bundle is the first, and parts.json names the
  // others, which are merged into it.
  var partsReady = fetch(bundle + "parts.json", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : []; });
  var pagefindReady = import(bundle + "pagefind.js").then(function (pagefind) {
    return Promise.resolve(pagefind.options({ excerptLength: 40 }))
      .then(function () {
        // Its entry file, metadata and WebAssembly load now, beside names.json, not after it.
        pagefind.init();
        return partsReady;
      })
      .then(function (parts) {
        return Promise.all(parts.map(function (part) {
          // By path, as the first part's is: its results' addresses are made from it.
          return pagefind.mergeIndex(new URL(bundle).pathname + "parts/" + part + "/", { excerptLength: 40 });
        }));
      })
      .then(function () { return pagefind; });
  });
  // filters() loads every filter chunk, after which a search also counts its results by kind
  // (before, its counts cover only the filters it used). It is not waited for: the first
  // results go up without it, and the kind buttons follow into their reserved row.
  var kindsReady = pagefindReady
    .then(function (pagefind) { return pagefind.filters(); })
    .then(function (all) { state.allKinds = (all && all.kind) || {}; })
    .catch(function () { state.allKinds = {}; }); // no buttons, the results still show
  var namesReady = fetch(root.getAttribute("data-names"), { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { names: {} }; })
    .catch(function () { return { names: {} }; })
    .then(function (data) {
      var tokens = (data && data.names) || {};
      var map = {};
      Object.keys(tokens).forEach(function (name) { map[name] = name; });
      Object.assign(map, (data && data.typed) || {}); // the Simplified forms, on the Traditional copy
      var typed = Object.keys(map).sort(function (a, b) { return b.length - a.length; });
      // The kinds by rank: [[师资, 现场教学点, 合作单位], [班次], [新闻]].
      var kinds = Object.values((data && data.sections) || {}).concat(data && data.news ? [data.news.slice(1)] : []);
      var ranks = {};
      kinds.forEach(function (k) { (ranks[k[1]] = ranks[k[1]] || []).push(k[0]); });
      var tiers = Object.keys(ranks).sort(function (a, b) { return a - b; }).map(function (r) { return ranks[r]; });
      return { map: map, typed: typed, tokens: tokens, tiers: tiers };
    });



  // --- Reading the query ---------------------------------------------------------------

  // Spaces typed between single Han characters go (刘 静 怡, 刘静 怡 -> 刘静怡); spaces
  // between words stay (社会保险 研修班 is two words).
  function tidy(q) {
    var single = /^\p{Script=Han}$/u;
    var out = [];
    q.replace(/[\s\u3000]+/g, " ").trim().split(" ").forEach(function (part) {
      var last = out[out.length - 1];
      var hanEdge = last && /\p{Script=Han}$/u.test(last) && /^\p{Script=Han}/u.test(part);
      if (hanEdge && (single.test(part) || single.test(last))) {
        out[out.length - 1] = last + part;
      } else if (part) {
        out.push(part);
      }
    });
    return out.join(" ");
  }

  function parse(q, names) {
    var rest = q;
    var found = [];
    var marks = [];
    var lower = rest.toLowerCase();
    names.typed.forEach(function (typed) {
      var key = typed.toLowerCase();
      if (!key || lower.indexOf(key) < 0) return;
      var value = names.map[typed];
      if (found.indexOf(value) < 0) found.push(value);
      marks.push(typed, value);
      while (lower.indexOf(key) >= 0) {
        var at = lower.indexOf(key);
        rest = rest.slice(0, at) + " " + rest.slice(at + key.length);
        lower = rest.toLowerCase();
      }
    });
    rest = rest.replace(/[\s\p{P}]+/gu, " ").trim();
    var words = rest ? rest.split(" ") : [];
    // The words as Pagefind will split them too, so that 社保经办研修班 marks 研修班; single
    // characters are not marked (they would light up half the page).
    words.slice().forEach(function (word) {
      segmentWords(word).forEach(function (part) {
        if (Array.from(part).length > 1 && words.indexOf(part) < 0) words.push(part);
      });
    });
    var tokens = found.map(function (value) { return names.tokens[value]; }).filter(Boolean);
    return { names: found, term: tokens.concat(rest ? [rest] : []).join(" ") || null, words: rest || null,
      marks: unique(marks.concat(words)) };
  }

  function segmentWords(text) {
    if (!(window.Intl && Intl.Segmenter)) return [];
    var lang = document.documentElement.lang || "zh";
    return Array.from(new Intl.Segmenter(lang, { granularity: "word" }).segment(text))
      .filter(function (s) { return s.isWordLike !== false; })
      .map(function (s) { return s.segment; });
  }

  function unique(items) {
    return items.filter(function (item, i) { return item && items.indexOf(item) === i; });
  }

  // --- Searching -----------------------------------------------------------------------

  function run(q, kind) {
    var seq = ++state.seq;
    q = tidy(q || "");
    remember(q);
    if (!q) {
      state.query = null;
      state.kindsFor = null;
      status.textContent = "";
      kindsBox.replaceChildren();
      list.replaceChildren();
      more.hidden = true;
      root.setAttribute("data-state", "empty");
      return Promise.resolve();
    }
    root.setAttribute("data-state", "searching");
    more.disabled = false;
    root.removeAttribute("data-query");
    if (!list.childElementCount) status.textContent = label("searching");
    return Promise.all([pagefindReady, namesReady])
      .then(function (ready) {
        var pagefind = ready[0];
        var query = parse(q, ready[1]);
        var filters = {};
        var options = { filters: filters };
        var term = query.term;
        var byRank = query.names.length && query.words === null;
        var searches = [byRank ? searchByRank(pagefind, term, options, ready[1].tiers) : pagefind.search(term, options)];
        if (kind) {
          var narrowed = Object.assign({}, filters, { kind: kind });
          searches.push(pagefind.search(term, Object.assign({}, options, { filters: narrowed })));
        }
        return Promise.all(searches).then(function (found) {
          if (seq !== state.seq) return;
          var all = found[0];
          var shown = found[found.length - 1];
          state.query = query;
          state.text = q;
          state.kind = kind && shown ? kind : null;
          state.counts = { total: all.results.length, kinds: {} };
          state.results = shown.results;
          state.shown = 0;
          return nextBatch(seq, true)
            .then(function () { return kindsReady; })
            .then(function () { return pagefind.search(term, options); })
            .then(function (again) {
              if (seq !== state.seq) return;
              state.counts.kinds = (again.filters && again.filters.kind) || {};
              kindsBox.replaceChildren.apply(kindsBox, kindButtons());
              state.kindsFor = state.text;
              root.setAttribute("data-query", state.text);
              root.setAttribute("data-state", "done");
            });
        });
      })
      .catch(function (err) {
        if (seq !== state.seq) return;
        console.error(err);
        status.textContent = label("error");
        list.replaceChildren();
        kindsBox.replaceChildren();
        state.kindsFor = null;
        more.hidden = true;
        root.setAttribute("data-state", "error");
      });
  }

  // A query of names alone lists by rank: one search for each rank's kinds, then the pages of
  // no kind, each in Pagefind's order. (Pagefind's own sort does not hold across merged
  // parts: it orders their results by score alone.) The counts are those of the search of all.
  function searchByRank(pagefind, term, options, tiers) {
    var searches = tiers.map(function (kinds) {
      var filters = Object.assign({}, options.filters, { kind: { any: kinds } });
      return pagefind.search(term, Object.assign({}, options, { filters: filters }));
    });
    searches.push(pagefind.search(term, options));
    return Promise.all(searches).then(function (found) {
      var seen = {};
      var results = [];
      found.forEach(function (f) {
        f.results.forEach(function (r) {
          if (!seen[r.id]) results.push(r);
          seen[r.id] = true;
        });
      });
      return Object.assign({}, found[found.length - 1], { results: results });
    });
  }

  function nextBatch(seq, first) {
    var batch = state.results.slice(state.shown, state.shown + BATCH);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (seq !== state.seq) return;
      var query = state.query;
      if (first && query.words === null && query.names.length === 1) {
        // The page titled with the name (the person's own page) goes first.
        var name = query.names[0];
        var own = pages.findIndex(function (p) { return plainTitle(p) === name; });
        if (own > 0) pages.unshift(pages.splice(own, 1)[0]);
      }
      var items = pages.map(function (p) { return resultItem(p, query); });
      if (first) {
        status.textContent = format(state.counts.total ? label("count") : label("none"), {
          n: state.counts.total,
          q: state.text,
        });
        // The buttons follow, with the counts; a kind chosen for the same words keeps them.
        if (state.kindsFor !== state.text) kindsBox.replaceChildren();
        list.replaceChildren.apply(list, items);
      } else {
        items.forEach(function (item) { list.appendChild(item); });
      }
      state.shown += batch.length;
      more.hidden = state.shown >= state.results.length;
      if (!first) root.setAttribute("data-state", "done");
    });
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function remember(q) {
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }

  // --- Showing results -----------------------------------------------------------------

  function kindButtons() {
    var kinds = state.counts.kinds;
    var present = Object.keys(state.allKinds || kinds).filter(function (k) { return kinds[k] > 0; });
    if (!present.length) return [];
    present.sort(function (a, b) {
      var i = kindOrder.indexOf(a), j = kindOrder.indexOf(b);
      return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || (a < b ? -1 : 1);
    });
    var buttons = [button(label("all"), state.counts.total, null)];
    present.forEach(function (k) { buttons.push(button(k, kinds[k], k)); });
    return buttons;
  }

  function button(text, count, kind) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "brochure-search__kind";
    b.setAttribute("aria-pressed", String(state.kind === kind));
    if (kind) b.setAttribute("data-kind", kind);
    b.append(text + " ");
    var n = document.createElement("span");
    n.className = "brochure-search__kind-count";
    n.textContent = count;
    b.appendChild(n);
    b.addEventListener("click", function () {
      if (state.kind === kind) return;
      kindsBox.querySelectorAll(".brochure-search__kind").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === b));
      });
      run(input.value, kind);
    });
    return b;
  }

  function plainTitle(page) {
    return cleanText((page.meta && page.meta.title) || page.url);
  }

  // The name tokens are the index's, not the page's words.
  function cleanText(text) {
    return text.replace(/\u200b/g, "").replace(/\bqx[a-z]{10}\b\s*/g, "").replace(/\s*¶/g, "").trim();
  }

  function resultItem(page, query) {
    var li = document.createElement("li");
    li.className = "brochure-search__result";
    var title = plainTitle(page);
    var link = document.createElement("a");
    link.className = "brochure-search__title";
    link.href = page.url;
    link.innerHTML = highlight(title, query.marks);
    var heading = document.createElement("h2");
    heading.appendChild(link);
    li.appendChild(heading);
    var text = excerpt(pageText(page, title), query.marks);
    if (text) {
      var p = document.createElement("p");
      p.className = "brochure-search__excerpt";
      p.innerHTML = text;
      li.appendChild(p);
    }
    var sections = (page.sub_results || []).filter(function (sub) {
      var name = cleanText(sub.title || "");
      return sub.url !== page.url && sub.url.indexOf("#") > 0 && name && name !== title &&
        sub.locations && sub.locations.length;
    }).slice(0, 3);
    if (sections.length) {
      var nav = document.createElement("ul");
      nav.className = "brochure-search__sections";
      nav.setAttribute("aria-label", label("in-page"));
      sections.forEach(function (sub) {
        var item = document.createElement("li");
        var a = document.createElement("a");
        a.href = sub.url;
        a.innerHTML = highlight(cleanText(sub.title), query.marks);
        item.appendChild(a);
        nav.appendChild(item);
      });
      li.appendChild(nav);
    }
    return li;
  }

  // The page's text as Pagefind keeps it: words joined by zero-width spaces, blocks by a
  // space, or by ". " where the block did not end in a stop (it is not the page's own).
  function pageText(page, title) {
    var text = cleanText(page.content || "")
      .replace(/([^A-Za-z\s])\.( |$)/g, "$1$2")
      .replace(/\. (?=[^\x00-\x7F]|\d)/g, " ")
      .replace(/\s+/g, " ");
    if (title && text.indexOf(title) === 0) text = text.slice(title.length).trim();
    return text;
  }

  var STOP = /[。！？；!?;]/;
  var TIGHT = /[0-9A-Za-z.:：%／\/\-–—~～·]/; // characters that hold a number or a word together
  var WIDTH = 90;

  function excerpt(text, marks) {
    if (!text) return "";
    var lower = text.toLowerCase();
    var at = -1, len = 0;
    marks.forEach(function (m) {
      var i = lower.indexOf(m.toLowerCase());
      if (i >= 0 && (at < 0 || i < at || (i === at && m.length > len))) { at = i; len = m.length; }
    });
    var start = 0;
    if (at > 30) {
      start = at - 30;
      // Start after the last stop or block break shortly before the word, if there is one.
      for (var i = at - 1; i >= Math.max(0, at - 45); i--) {
        if (STOP.test(text[i]) || text[i] === " ") { start = i + 1; break; }
      }
      while (start > 0 && TIGHT.test(text[start - 1])) start--; // not inside a number or word
    }
    var end = Math.min(text.length, Math.max(start + WIDTH, at + len + 20));
    if (end < text.length) {
      var stop = -1;
      for (var j = Math.max(at + len, start + 40); j < Math.min(text.length, end + 15); j++) {
        if (STOP.test(text[j])) { stop = j + 1; if (j >= end - 10) break; }
      }
      if (stop > 0) end = stop;
      else {
        while (end < text.length && TIGHT.test(text[end - 1]) && TIGHT.test(text[end])) end++;
        if (end < text.length && /[0-9]/.test(text[end - 1])) end++; // a number keeps its unit (22日)
      }
    }
    var piece = text.slice(start, end).replace(/^[\s.,:：，、·]+/, "").replace(/[\s,:：，、·]+$/, "");
    if (start > 0) piece = "…" + piece;
    if (end < text.length && !STOP.test(piece[piece.length - 1])) piece += "…";
    return highlight(piece, marks);
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlight(text, marks) {
    var words = marks.filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    if (!words.length) return escapeHtml(text);
    var pattern = new RegExp(words.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    var out = "", last = 0, m;
    while ((m = pattern.exec(text))) {
      if (!m[0]) { pattern.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  // --- Wiring --------------------------------------------------------------------------

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value, null); }, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value, null);
  });
  more.addEventListener("click", function () {
    more.disabled = true;
    root.setAttribute("data-state", "searching");
    nextBatch(state.seq, false).then(function () { more.disabled = false; });
  });

  // For tests and for the header form: the same path a reader's typing takes.
  window.brochureSearch = { run: function (q, kind) { input.value = q; return run(q, kind || null); } };

  var words = new URLSearchParams(location.search).get("q");
  if (words) {
    input.value = words;
    run(words, null);
  } else {
    input.focus();
  }
})();

// Pagefind splits Chinese with jieba's dictionary when it indexes, but splits the reader's
// words with the browser's (ICU) dictionary. ICU knows fewer proper nouns and breaks one it
// does not know into single characters (孟良崮 -> 孟 良 崮), which then match nothing, since
// the index holds 孟良崮 whole. Runs of single Han characters are joined back into one word
// here; words ICU does know (社会 保险) pass through unchanged.
function joinUnknownWords(scope) {
  var Intl = scope.Intl;
  var Segmenter = Intl && Intl.Segmenter;
  if (!Segmenter || Segmenter.joinsUnknownWords) return;
  var han = /^\p{Script=Han}$/u;
  function Joining(locale, options) {
    this.inner = new Segmenter(locale, options);
    this.byWord = options && options.granularity === "word";
  }
  Joining.prototype.resolvedOptions = function () { return this.inner.resolvedOptions(); };
  Joining.prototype.segment = function (text) {
    var parts = Array.from(this.inner.segment(text));
    if (!this.byWord) return parts;
    var out = [];
    parts.forEach(function (part) {
      var last = out[out.length - 1];
      if (last && last.single && han.test(part.segment)) {
        last.segment += part.segment;
      } else {
        out.push({ segment: part.segment, index: part.index, isWordLike: part.isWordLike, single: han.test(part.segment) });
      }
    });
    return out;
  };
  Joining.supportedLocalesOf = Segmenter.supportedLocalesOf;
  Joining.joinsUnknownWords = true;
  Intl.Segmenter = Joining;
}

// On the page: Pagefind's worker (pagefind-worker.js, beside pagefind.js) is started as this
// file, with the worker's address after ?pagefind=. Other workers start as they asked.
function startPagefindWorkersHere() {
  var Native = window.Worker;
  var script = document.currentScript;
  if (!Native || !script) return;
  var thisFile = script.src;
  function Starting(url, options) {
    var asked = new URL(url, location.href);
    if (asked.origin === location.origin && /\/pagefind-worker\.js$/.test(asked.pathname)) {
      url = thisFile.split("?")[0] + "?pagefind=" + encodeURIComponent(asked.href);
    }
    return new Native(url, options);
  }
  Starting.prototype = Native.prototype;
  window.Worker = Starting;
}

// In that worker: Pagefind's own worker script, from this site only.
function pagefindWorker() {
  var asked = new URL(location.href).searchParams.get("pagefind");
  if (!asked) return;
  var url = new URL(asked, location.href);
  if (url.origin === location.origin && /\/pagefind-worker\.js$/.test(url.pathname)) importScripts(url.href);
}
