// The date histogram: a click on a bar follows its link (one year); a drag across bars narrows
// the search to the years covered. Without JavaScript the bars are still plain links. It is set up
// again when counts.js puts in a histogram that came after the page.
(function () {
  function setUp() {
    const figure = document.getElementById("histogram");
    if (!figure) return;
    const svg = figure.querySelector("svg");
    const selection = svg.querySelector("#selection");
    const first = Number(figure.dataset.first), last = Number(figure.dataset.last);
    const span = last - first + 1;
    let start = null, moved = false;

    function yearAt(event) {
      const box = svg.getBoundingClientRect();
      const fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 0.9999);
      return first + Math.floor(fraction * span);
    }
    function show(a, b) {
      const low = Math.min(a, b), high = Math.max(a, b);
      selection.setAttribute("x", ((low - first) * 100) / span);
      selection.setAttribute("width", ((high - low + 1) * 100) / span);
    }
    svg.addEventListener("pointerdown", (event) => { start = yearAt(event); moved = false; svg.setPointerCapture(event.pointerId); });
    svg.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const year = yearAt(event);
      if (year !== start) moved = true;
      if (moved) show(start, year);
    });
    svg.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const end = yearAt(event), from = Math.min(start, end), to = Math.max(start, end);
      start = null;
      if (!moved) {
        // A click. The pointer capture sends it to the SVG rather than the bar, so follow the bar's link here.
        const bar = svg.querySelector(`a.bar[data-year="${end}"]`);
        if (bar) window.location.assign(bar.getAttribute("href"));
        return;
      }
      const url = new URL(figure.dataset.baseUrl, window.location.href);
      url.searchParams.set("from", String(from));
      url.searchParams.set("to", String(to));
      window.location.assign(url.toString());
    });
    // Pointer clicks are handled above; keyboard activation (Enter on a focused bar) still follows the link.
    svg.addEventListener("click", (event) => { if (event.detail > 0) event.preventDefault(); }, true);
  }
  setUp();
  document.addEventListener("fonds:counts", setUp);
})();
