// The judging screen's keyboard: ArrowLeft or 1 chooses the left script, ArrowRight or 2 the right,
// "p" pauses. The page works without this: the keys press the same buttons a mouse or tap would.
// The time on a pair runs from when the server sent the page (its hidden "started" value).
(function () {
  "use strict";
  var form = document.getElementById("judge-form");
  if (!form) return;
  var pause = document.getElementById(form.getAttribute("data-pause-form"));
  var sent = false;
  function press(button) {
    if (sent || !button) return;
    sent = true;
    button.click();
  }
  form.addEventListener("submit", function () { sent = true; });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "ArrowLeft" || event.key === "1") {
      event.preventDefault();
      press(form.querySelector('[data-key="left"]'));
    } else if (event.key === "ArrowRight" || event.key === "2") {
      event.preventDefault();
      press(form.querySelector('[data-key="right"]'));
    } else if (event.key === "p" || event.key === "P") {
      event.preventDefault();
      if (pause && !sent) { sent = true; pause.submit(); }
    }
  });
})();
