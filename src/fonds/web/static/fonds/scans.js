// The scan viewer: the document's page images in OpenSeadragon (vendored, see
// vendor/openseadragon/README.md), read from the archive's IIIF image service. Zoom, pan and page
// turning; the thumbnails below turn to their page. When the text is split into pages (an OCR'd
// scan), the text of the page shown is marked, and on a wide screen, where the viewer stays in
// place beside the text, a page turn brings that text into view; a page's "page image" link turns
// the viewer to it. Without JavaScript (or without the viewer) the thumbnails stay plain links to
// the full images, with a link to the text of their page.
(function () {
  "use strict";
  var element = document.getElementById("viewer");
  var data = document.getElementById("page-images");
  if (!element || !data || !window.OpenSeadragon) return;
  var pages = JSON.parse(data.textContent);
  var status = document.getElementById("viewer-page");
  var scans = document.getElementById("scans");
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

  function markText(index, scroll) {
    var previous = document.querySelector(".text-page.current");
    if (previous) {
      previous.classList.remove("current");
      previous.removeAttribute("aria-current");
    }
    var anchor = pages[index].text_anchor;
    var text = anchor && document.getElementById(anchor);
    if (!text) return;
    text.classList.add("current");
    text.setAttribute("aria-current", "true");
    // Only where the viewer stays beside the text (sticky); on a phone the viewer is below the
    // text, and scrolling would take it out of sight.
    if (scroll && window.getComputedStyle(scans).position === "sticky") {
      var box = text.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight * 0.6) text.scrollIntoView({block: "start"});
    }
  }

  function show(index, scroll) {
    status.textContent = (status.dataset.template || "Page {n} of {total}: {label}").replace("{n}", String(index + 1))
      .replace("{total}", String(pages.length)).replace("{label}", pages[index].label);
    element.dataset.page = String(index);
    markText(index, scroll);
  }

  function turnTo(index) {
    if (pages.length > 1) viewer.goToPage(index);
    show(index, false);
  }

  viewer.addHandler("page", function (event) { show(event.page, true); });
  show(0, false);
  Array.prototype.forEach.call(document.querySelectorAll("#scans a[data-page]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      turnTo(Number(link.dataset.page));
      element.scrollIntoView({block: "nearest"});
    });
  });
  // "page image" beside a page of the text: the viewer turns to it (the text stays where it is).
  Array.prototype.forEach.call(document.querySelectorAll(".text-page a.to-scan"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      turnTo(Number(link.dataset.page));
      element.scrollIntoView({block: "nearest"});
    });
  });
})();
