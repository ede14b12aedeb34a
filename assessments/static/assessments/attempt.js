// Saves the attempt on every change and counts down the time left. The page works without it.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var busy = false;
  var pending = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (busy) { pending = true; return; }
    busy = true;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.dataset.autosaveUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) {
        if (body.submitted) { window.location.reload(); return; }
        say(form.dataset.savedText || "✓");
      })
      .catch(function () { say(form.dataset.offlineText || "…"); })
      .then(function () { busy = false; if (pending) { pending = false; save(); } });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 400);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 2000);
    }
  });

  var deadline = document.getElementById("deadline");
  var left = document.getElementById("time-left");
  if (deadline && left) {
    var end = Date.now() + parseInt(deadline.dataset.secondsLeft, 10) * 1000;
    var template = deadline.dataset.leftText || "%s";
    var shown = null;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      // Announce at most once a minute (every 15 s in the last minute): a live region that
      // speaks every second would drown the questions.
      var text = s >= 60 ? Math.ceil(s / 60) + " min" : (Math.ceil(s / 15) * 15) + " s";
      if (text !== shown) { left.textContent = template.replace("%s", text); shown = text; }
      if (s === 0) { save(); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
}());
