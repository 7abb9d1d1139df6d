// The panel's grid: the weighted total follows the scores as the lead chooses them
// (the server computes the same total once the grid is saved).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-grid-weights]");
  var output = document.querySelector("[data-grid-total]");
  if (!form || !output) {
    return;
  }
  var weights = {};
  form.getAttribute("data-grid-weights").split(",").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2) {
      weights["score_" + parts[0]] = parseInt(parts[1], 10);
    }
  });
  function update() {
    var points = 0;
    var scored = 0;
    Object.keys(weights).forEach(function (name) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      if (checked) {
        points += weights[name] * parseInt(checked.value, 10);
        scored += 1;
      }
    });
    output.textContent = scored ? String(points) : "—";
  }
  form.addEventListener("change", update);
  update();
});
