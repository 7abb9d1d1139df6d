// After a refused submission, the page opens on its error summary: a screen reader
// reads it first and the keyboard starts from it (RGAA 11.10, WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
