/* The scan screens (wms/scan/panel.html): the scan input keeps the focus so that a keyboard-wedge
   scanner always types into it, Enter posts the scan (the form's hx-post), Escape starts over,
   and each answer beeps: high for a scan taken, two rising tones for work done, low for an
   error. No files: the tones are made with WebAudio. */
(function () {
  "use strict";

  var audio = null;

  function beep(tones) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var start = audio.currentTime;
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = tone[2] || "sine";
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(0.2, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + tone[1]);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + tone[1]);
        start += tone[1];
      });
    } catch (e) { /* no sound on this device: the colour still tells */ }
  }

  var SOUNDS = {
    ok: [[1200, 0.08]],
    done: [[880, 0.1], [1320, 0.18]],
    error: [[220, 0.35, "square"]],
  };

  function input() { return document.querySelector("[data-scan-input]"); }

  function focusInput() {
    var field = input();
    if (field && document.activeElement !== field) field.focus({ preventScroll: true });
  }

  // Keep the focus on the scan input: when a new panel comes in (htmx:load fires on the new
  // element, which is in the page, unlike the panel it replaced), and whenever it is lost.
  document.addEventListener("htmx:load", function (event) {
    var panel = event.target;
    if (!panel || panel.id !== "scan-panel") return;
    var sound = SOUNDS[panel.dataset.scanResult];
    if (sound) beep(sound);
    focusInput();
  });
  document.addEventListener("htmx:afterSettle", focusInput);
  document.addEventListener("focusout", function () { setTimeout(focusInput, 0); });
  document.addEventListener("DOMContentLoaded", focusInput);

  // Escape: drop what was scanned and start over.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !input()) return;
    event.preventDefault();
    window.location.assign(window.location.pathname);
  });
})();
