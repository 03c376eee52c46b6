// The scan viewer: the document's page images in OpenSeadragon (vendored, see
// vendor/openseadragon/README.md), read from the archive's IIIF image service. Zoom, pan and page
// turning; the thumbnails below turn to their page. Without JavaScript (or without the viewer)
// the thumbnails stay plain links to the full images.
(function () {
  "use strict";
  var element = document.getElementById("viewer");
  var data = document.getElementById("page-images");
  if (!element || !data || !window.OpenSeadragon) return;
  var pages = JSON.parse(data.textContent);
  var status = document.getElementById("viewer-page");
  element.hidden = false;
  status.hidden = false;
  var viewer = window.OpenSeadragon({
    element: element,
    prefixUrl: element.dataset.prefix,
    tileSources: pages.map(function (page) { return page.info; }),
    sequenceMode: pages.length > 1,
    showRotationControl: true,
    preserveViewport: false,
    gestureSettingsMouse: {clickToZoom: false}
  });
  function show(index) {
    status.textContent = (status.dataset.template || "Page {n} of {total}: {label}").replace("{n}", String(index + 1))
      .replace("{total}", String(pages.length)).replace("{label}", pages[index].label);
    element.dataset.page = String(index);
  }
  viewer.addHandler("page", function (event) { show(event.page); });
  show(0);
  Array.prototype.forEach.call(document.querySelectorAll("#scans a[data-page]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var index = Number(link.dataset.page);
      if (pages.length > 1) viewer.goToPage(index);
      show(index);
      element.scrollIntoView({block: "nearest"});
    });
  });
})();
