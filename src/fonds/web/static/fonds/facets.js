// On a narrow screen the facets start folded behind their "Refine results" button, so the results
// come first; wide screens (and browsers without JavaScript) keep them open beside the results.
(function () {
  "use strict";
  var facets = document.getElementById("facets");
  if (facets && window.matchMedia("(max-width: 800px)").matches) facets.open = false;
})();
