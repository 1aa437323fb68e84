// The proposal form's "Find an option" box: hides options of the ranked lists that do not
// contain every typed word (in the option or its mechanism), ignoring case and accents.
// Without JavaScript the lists work as they are.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filters]").forEach(function (box) {
    var selects = document.querySelectorAll(box.dataset.filters);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      selects.forEach(function (select) {
        select.querySelectorAll("optgroup").forEach(function (group) {
          var shown = 0;
          group.querySelectorAll("option").forEach(function (option) {
            var text = fold(group.label + " " + option.textContent);
            var match = option.selected || words.every(function (w) { return text.indexOf(w) !== -1; });
            option.hidden = !match;
            if (match) { shown += 1; }
          });
          group.hidden = shown === 0;
        });
      });
    });
  });
})();
