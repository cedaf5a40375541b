// 电子台账: scan a product code with the phone camera into the add form. Uses the browser's
// BarcodeDetector where it exists, else the vendored ZXing decoder (/static/zxing.min.js,
// loaded only when needed). Progressive enhancement: typing the number always works.
(function () {
  "use strict";
  var start = document.getElementById("scan-start");
  var box = document.getElementById("scan-box");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var code = document.getElementById("code");
  if (!start || !code) return;
  var stream = null;
  var stopped = true;

  function say(text) { status.textContent = text; }

  function stop() {
    stopped = true;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    box.hidden = true;
  }

  function set(id, value) {
    var field = document.getElementById(id);
    if (field && value && !field.value) field.value = value;
  }

  // Fills the batch, dates and the product master's name from a scanned or typed code.
  function lookup() {
    if (!code.value) return;
    fetch("/ledger/lookup?code=" + encodeURIComponent(code.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : r.json().then(function (e) { throw e; }); })
      .then(function (d) {
        set("batch", d.batch); set("production", d.production); set("expiry", d.expiry);
        set("product_name", d.product_name); set("specification", d.specification);
        say(d.product_name ? "已识别：" + d.product_name : "新商品：请填写品名和规格");
      }, function (e) { say(e && e.error ? e.error.message : "条码无法识别"); });
  }
  code.addEventListener("change", lookup);
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  start.hidden = false;

  function fill(text) {
    stop();
    code.value = text;
    box.hidden = false;
    lookup();
  }

  function loadZxing() {
    return new Promise(function (resolve, reject) {
      if (window.ZXing) return resolve(window.ZXing);
      var s = document.createElement("script");
      s.src = "/static/zxing.min.js";
      s.onload = function () { resolve(window.ZXing); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function withDetector(detector) {
    (function tick() {
      if (stopped) return;
      detector.detect(video).then(function (found) {
        if (found.length) fill(found[0].rawValue); else setTimeout(tick, 200);
      }, function () { setTimeout(tick, 400); });
    })();
  }

  function withZxing(Z) {
    var hints = new Map();
    hints.set(Z.DecodeHintType.POSSIBLE_FORMATS, [Z.BarcodeFormat.DATA_MATRIX, Z.BarcodeFormat.CODE_128,
      Z.BarcodeFormat.EAN_13, Z.BarcodeFormat.EAN_8, Z.BarcodeFormat.QR_CODE]);
    hints.set(Z.DecodeHintType.TRY_HARDER, true);
    var reader = new Z.MultiFormatReader();
    reader.setHints(hints);
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    (function tick() {
      if (stopped) return;
      if (video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        try {
          var source = new Z.HTMLCanvasElementLuminanceSource(canvas);
          var result = reader.decode(new Z.BinaryBitmap(new Z.HybridBinarizer(source)));
          return fill(result.getText());
        } catch (e) { /* nothing readable in this frame */ }
      }
      setTimeout(tick, 250);
    })();
  }

  start.addEventListener("click", function () {
    say("正在打开摄像头…");
    box.hidden = false;
    stopped = false;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      return video.play();
    }).then(function () {
      say("请把条码对准取景框");
      var formats = ["data_matrix", "code_128", "ean_13", "ean_8", "qr_code"];
      if ("BarcodeDetector" in window) {
        window.BarcodeDetector.getSupportedFormats().then(function (ok) {
          var use = formats.filter(function (f) { return ok.indexOf(f) >= 0; });
          if (use.length) withDetector(new window.BarcodeDetector({ formats: use }));
          else loadZxing().then(withZxing);
        });
      } else {
        loadZxing().then(withZxing, function () { say("无法加载扫码程序，请手工输入条码"); });
      }
    }).catch(function () {
      stop();
      say("无法使用摄像头，请手工输入条码");
      box.hidden = false;
    });
  });
})();
