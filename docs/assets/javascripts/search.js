// The search page: Pagefind's own interface, started with the words from the header form
// (?q=...), and keeping the current words in the address so a search can be shared.
(function () {
  joinUnknownWords();
  var box = document.getElementById("brochure-search");
  if (!box || !window.PagefindUI) return;
  var ui = new PagefindUI({
    element: box,
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    autofocus: true,
    noWorker: true, // the query is split on this page, where joinUnknownWords applies
    processTerm: function (term) {
      var url = new URL(location.href);
      if (term) url.searchParams.set("q", term);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      return term;
    },
  });
  var words = new URLSearchParams(location.search).get("q");
  if (words) ui.triggerSearch(words);
})();

// Pagefind splits Chinese with jieba's dictionary when it indexes, but splits the reader's
// words with the browser's (ICU) dictionary. ICU knows fewer proper nouns and breaks one it
// does not know into single characters (孟良崮 -> 孟 良 崮), which then match nothing, since
// the index holds 孟良崮 whole. Runs of single Han characters are joined back into one word
// here; words ICU does know (社会 保险) pass through unchanged.
function joinUnknownWords() {
  var Segmenter = window.Intl && Intl.Segmenter;
  if (!Segmenter) return;
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
  Intl.Segmenter = Joining;
}
