// The weighted total follows the choices as they are made (the server computes it again on save).
  (function () {
    const form = document.querySelector(".qualification form");
    const total = document.querySelector("[data-total]");
    form.addEventListener("change", function () {
      let sum = 0, weights = 0;
      form.querySelectorAll("fieldset[data-weight]").forEach(function (fieldset) {
        const checked = fieldset.querySelector("input[type=radio]:checked");
        if (checked && checked.value) {
          const weight = Number(fieldset.dataset.weight);
          sum += Number(checked.value) * weight;
          weights += weight;
        }
      });
      total.textContent = weights ? (sum / weights).toLocaleString(document.documentElement.lang || "fr", {minimumFractionDigits: 2, maximumFractionDigits: 2}) : "—";
    });
  })();
