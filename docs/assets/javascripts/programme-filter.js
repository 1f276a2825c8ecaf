// Filter the programme index by type, year and status in the browser: no server needed.
// The choice is kept in the address (?type=研修班&year=2025), so a filtered list can be shared.
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector(".programme-filter");
    if (!form) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".programme-card"));
    var empty = document.querySelector(".programme-filter-empty");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);

    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted !== null) select.value = wanted;
      select.addEventListener("change", apply);
    });

    function apply() {
      var query = new URLSearchParams();
      var shown = 0;
      selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
      cards.forEach(function (card) {
        var match = selects.every(function (s) {
          return !s.value || card.dataset[s.name] === s.value;
        });
        card.hidden = !match;
        if (match) shown += 1;
      });
      // Hide a section heading whose cards are all filtered out.
      document.querySelectorAll(".md-content h2").forEach(function (heading) {
        var any = false;
        for (var el = heading.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
          if (el.classList.contains("programme-card") && !el.hidden) any = true;
        }
        heading.hidden = !any;
      });
      if (empty) empty.hidden = shown > 0;
      var search = query.toString();
      history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
