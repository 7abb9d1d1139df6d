// Below 992 px DSFR hides the main navigation inside the closed menu: the "Menu" skip
// link then leads to the button that opens it, not to an element nobody can reach.
(function () {
  var link = document.querySelector('.fr-skiplinks a[href="#navigation-principale"]');
  var button = document.getElementById("bouton-menu-mobile");
  if (!link || !button) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 61.9375em)");
  function aim() {
    link.setAttribute("href", narrow.matches ? "#bouton-menu-mobile" : "#navigation-principale");
  }
  aim();
  narrow.addEventListener("change", aim);
})();
