// The print view's Print button (no inline script: the site's CSP allows none).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-button");
  if (button) button.addEventListener("click", function () { window.print(); });
});
