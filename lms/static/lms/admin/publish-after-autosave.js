/*
 * Wagtail's editor autosaves in the background (w-autosave). A Publish (or Save draft) pressed
 * while an autosave is waiting or in flight raced it on the server: the autosave, begun on the
 * draft, could land after the publish and save the page as a draft again. Here the editor's
 * own submission waits for the autosave to finish, and no autosave starts once it is sent.
 */
(function () {
  "use strict";

  function isAutosaveForm(form) {
    var controllers = (form.getAttribute("data-controller") || "").split(/\s+/);
    return controllers.indexOf("w-autosave") !== -1;
  }

  var pending = new WeakMap();

  document.addEventListener("w-autosave:save", function (event) {
    if (!event.defaultPrevented) pending.set(event.target, true);
  });
  ["w-autosave:success", "w-autosave:error"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      pending.set(event.target, false);
    });
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !isAutosaveForm(form)) return;
      // Nothing more is autosaved from this page: the editor's own submission takes over.
      form.setAttribute("data-w-autosave-active-value", "false");
      if (!pending.get(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var action = document.createElement("input");
        action.type = "hidden";
        action.name = submitter.name;
        action.value = submitter.value || submitter.name;
        form.appendChild(action);
      }
      var resubmit = function () {
        form.removeEventListener("w-autosave:success", resubmit);
        form.removeEventListener("w-autosave:error", resubmit);
        // After the success handlers (new revision id, create view's new address) have run.
        window.setTimeout(function () {
          form.requestSubmit();
        }, 0);
      };
      form.addEventListener("w-autosave:success", resubmit);
      form.addEventListener("w-autosave:error", resubmit);
    },
    true
  );
})();
