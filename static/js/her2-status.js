// Shows the derived HER2 status as IHC and ISH change, asking the server (one source of truth).
(function () {
  var box = document.getElementById("her2-status");
  var ihc = document.getElementById("id_her2_ihc");
  var ish = document.getElementById("id_her2_ish");
  if (!box || !ihc || !ish) return;
  function update() {
    var url = box.dataset.url + "?ihc=" + encodeURIComponent(ihc.value) + "&ish=" + encodeURIComponent(ish.value);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.querySelector("strong").textContent = data.label;
        box.querySelector("small").textContent = data.source;
      });
  }
  ihc.addEventListener("change", update);
  ish.addEventListener("change", update);
  update();
})();
