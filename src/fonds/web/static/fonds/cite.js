// Copy buttons of the Cite panel. Without JavaScript the citations stay visible and selectable;
// the buttons are hidden until this script shows them.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http pages have no Clipboard API: copy through a selected, off-screen textarea.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  // The words are the page's own (the Cite panel's data-* attributes), in the page's language.
  var panel = document.getElementById("cite");
  var words = panel ? panel.dataset : {};

  function flash(button, label) {
    button.textContent = label;
    window.setTimeout(function () { button.textContent = words.copyLabel || "Copy"; }, 2000);
  }

  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.hidden = false;
    button.setAttribute("aria-label", words.copyAria || "Copy citation");
    button.addEventListener("click", function () {
      copyText(target.textContent.trim()).then(
        function () { flash(button, words.copied || "Copied"); },
        function () { flash(button, words.copyFailed || "Select and copy"); });
    });
  });
})();
