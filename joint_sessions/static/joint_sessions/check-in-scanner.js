// Camera check-in on the organiser's check-in page: reads attendees' QR
// codes with the phone's camera and checks each in through the same form
// (and the same idempotent service) as a typed code. Progressive
// enhancement: without a camera, or without permission, the page says so
// and the typed code keeps working. Decoding: jsQR (vendor/jsqr), loaded
// before this file. Loaded as a file: the site's CSP allows no inline code.
(function () {
  "use strict";
  var SCAN_EVERY_MS = 150; // about 6 frames a second: enough, and spares the battery
  var SAME_CODE_PAUSE_MS = 3000; // a code held in view is sent once, not per frame
  var MAX_WIDTH = 640;

  var root = document.querySelector("[data-scanner]");
  var form = document.querySelector("[data-checkin-form]");
  if (!root || !form) return;
  var startButton = root.querySelector("[data-scanner-start]");
  var stopButton = root.querySelector("[data-scanner-stop]");
  var video = root.querySelector("video");
  var status = root.querySelector("[data-scanner-status]");
  var count = document.querySelector("[data-testid=checkin-count]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var busy = false;
  var last = { code: null, at: 0 };

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
    status.hidden = !text;
  }

  function send(code) {
    busy = true;
    var data = new FormData(form);
    data.set("code", code);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          say(body.message, body.ok ? "success" : "errors");
          if (body.count && count) count.textContent = body.count;
        });
      })
      .catch(function () {
        say(root.dataset.msgNetwork, "errors");
      })
      .then(function () {
        busy = false;
      });
  }

  function scan() {
    if (!stream) return;
    if (!busy && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert",
      });
      var code = found && found.data ? found.data.trim() : "";
      var now = Date.now();
      if (code && (code !== last.code || now - last.at > SAME_CODE_PAUSE_MS)) {
        last = { code: code, at: now };
        say(root.dataset.msgChecking + " " + code, "");
        send(code);
      }
    }
    window.setTimeout(scan, SCAN_EVERY_MS);
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function start() {
    say(root.dataset.msgStarting, "");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () {
        say(root.dataset.msgScanning, "");
        scan();
      })
      .catch(function (error) {
        stop();
        var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
        say(denied ? root.dataset.msgDenied : root.dataset.msgNoCamera, "errors");
      });
  }

  if (!window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // e.g. a page not served over HTTPS: browsers offer no camera there
    say(root.dataset.msgUnsupported, "errors");
    return;
  }
  startButton.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
})();
