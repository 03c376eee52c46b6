// Next/previous through the marked hits of ?q= on a document page. Without JavaScript the links
// still lead to the first hit; with it they step through #first-match, #hit-2, ... in order and
// say which hit is current.
(function () {
  "use strict";
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-hit]"));
  var current = document.getElementById("hit-current");
  if (!marks.length || !current) return;
  var landed = marks.findIndex(function (m) { return "#" + m.id === location.hash; });
  var index = Math.max(0, landed);

  function show(i) {
    marks[index].classList.remove("current");
    index = (i + marks.length) % marks.length;
    var mark = marks[index];
    mark.classList.add("current");
    mark.scrollIntoView({block: "center"});
    current.hidden = false;
    var of = document.getElementById("hit-nav").dataset.of || "{n} of ";  // in the page's language
    current.textContent = of.replace("{n}", String(index + 1));
    history.replaceState(null, "", "#" + mark.id);
  }

  ["hit-prev", "hit-next"].forEach(function (id) {
    var link = document.getElementById(id);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(index + Number(link.dataset.step));
    });
  });
  if (landed >= 0) show(landed);
})();
