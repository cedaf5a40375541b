// Evidence redaction page: drag on the picture to add a box (x,y,w,h in the image's own pixels)
// to the form's text; the boxes typed or drawn are outlined. The form works without this script.
(function () {
  "use strict";
  var img = document.getElementById("evidence-image");
  var frame = document.getElementById("redact-frame");
  var text = document.getElementById("boxes");
  if (!img || !frame || !text) return;
  frame.classList.add("drawing");
  function scale() {
    return img.naturalWidth && img.clientWidth ? img.naturalWidth / img.clientWidth : 1;
  }
  function outline() {
    frame.querySelectorAll(".redact-box").forEach(function (b) { b.remove(); });
    var s = scale();
    text.value.split(/[\n;；]/).forEach(function (line) {
      var n = line.split(/[,，\s]+/).filter(Boolean).map(Number);
      if (n.length !== 4 || n.some(isNaN)) return;
      var d = document.createElement("div");
      d.className = "redact-box";
      d.style.left = n[0] / s + "px";
      d.style.top = n[1] / s + "px";
      d.style.width = n[2] / s + "px";
      d.style.height = n[3] / s + "px";
      frame.appendChild(d);
    });
  }
  var start = null;
  function point(e) {
    var r = img.getBoundingClientRect(), s = scale();
    var x = Math.min(Math.max(e.clientX - r.left, 0), r.width);
    var y = Math.min(Math.max(e.clientY - r.top, 0), r.height);
    return { x: Math.round(x * s), y: Math.round(y * s) };
  }
  img.addEventListener("pointerdown", function (e) {
    e.preventDefault();
    start = point(e);
  });
  window.addEventListener("pointerup", function (e) {
    if (!start) return;
    var end = point(e);
    var x = Math.min(start.x, end.x), y = Math.min(start.y, end.y);
    var w = Math.min(Math.abs(end.x - start.x), img.naturalWidth - x);
    var h = Math.min(Math.abs(end.y - start.y), img.naturalHeight - y);
    start = null;
    if (w < 1 || h < 1) return;
    text.value = (text.value.trim() ? text.value.trim() + "\n" : "") + [x, y, w, h].join(",");
    outline();
  });
  text.addEventListener("input", outline);
  if (img.complete) outline(); else img.addEventListener("load", outline);
  window.addEventListener("resize", outline);
})();
