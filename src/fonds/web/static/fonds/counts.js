// The search page went out before its facet counts and histogram were ready: fetch them and put
// them in place. Without JavaScript (or if the fetch fails) the "Wait for the counts" link stays.
(function () {
  "use strict";
  var pending = document.querySelector("[data-counts-url]");
  if (!pending || !window.fetch) return;
  fetch(pending.dataset.countsUrl, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (html) {
      var counted = new DOMParser().parseFromString(html, "text/html");
      ["facet-panels", "histogram-slot"].forEach(function (id) {
        var fresh = counted.getElementById(id), old = document.getElementById(id);
        if (fresh && old) old.replaceWith(document.adoptNode(fresh));
      });
      document.dispatchEvent(new Event("fonds:counts"));
    })
    .catch(function () {});
})();
