// The written test's countdown: shows the time left and hands the paper in at the deadline.
// The server enforces the deadline on its own; this only spares the candidate a refused paper.
// The time left comes from the server's clock; the browser only counts it down.
(function () {
  "use strict";
  var el = document.getElementById("countdown");
  var form = document.getElementById("test-form");
  if (!el || !form) return;
  var due = Date.now() + parseInt(el.getAttribute("data-left"), 10);
  var sent = false;
  function tick() {
    var left = Math.max(0, Math.floor((due - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = "剩余时间 " + m + " 分 " + (s < 10 ? "0" : "") + s + " 秒";
    if (left === 0 && !sent) {
      sent = true;
      el.textContent = "时间到，正在自动交卷……";
      // The deadline does not wait for a confirmation.
      if (form.elements.confirmed) form.elements.confirmed.value = "1";
      form.submit();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  form.addEventListener("submit", function () { sent = true; });
  tick();
})();
