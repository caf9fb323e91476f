// Evidence notes: autosave as the reviewer types, and lose nothing when the connection drops.
//
// Every keystroke keeps the box's text in localStorage (keyed by review, area and user); a
// debounced POST sends it to the server with the note's version, and the server answers with the
// new version. A refused save (the note changed elsewhere) is shown and the text kept. On load, a
// kept text newer than the saved note is put back in its box and saved. Without JavaScript the
// page's button saves the form as usual.
(function () {
  "use strict";
  var form = document.querySelector("[data-note-form]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-autosave-url");
  var review = form.getAttribute("data-review");
  var user = form.getAttribute("data-user");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector("[data-note-status]");
  var DELAY = 2000;
  var timers = {};
  var busy = {};
  var again = {};

  function key(area) {
    return "reviews:note:" + review + ":" + area + ":" + user;
  }
  function read(area) {
    try {
      return JSON.parse(window.localStorage.getItem(key(area)) || "null");
    } catch (e) {
      return null;
    }
  }
  function keep(box) {
    try {
      window.localStorage.setItem(
        key(box.getAttribute("data-area")),
        JSON.stringify({ text: box.value, at: Date.now(), base: Number(box.getAttribute("data-version") || 0) })
      );
    } catch (e) {
      /* storage full or blocked: the server save still runs */
    }
  }
  function forget(area, text) {
    var kept = read(area);
    if (kept && kept.text === text) {
      try {
        window.localStorage.removeItem(key(area));
      } catch (e) {
        /* ignore */
      }
    }
  }
  function say(area, text, isError) {
    var el = form.querySelector('[data-note-state="' + area + '"]');
    if (el) {
      el.textContent = text;
      el.className = isError ? "govuk-error-message govuk-!-margin-top-1" : "govuk-hint govuk-!-margin-top-1";
    }
    if (status && isError) status.textContent = text;
  }
  function activityOf(area) {
    var select = form.querySelector('[data-activity-for="' + area + '"]');
    return select ? select.value : "";
  }
  function time() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function save(box) {
    var area = box.getAttribute("data-area");
    if (busy[area]) {
      again[area] = true;
      return;
    }
    busy[area] = true;
    var text = box.value;
    say(area, "Saving…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({
        area: area,
        text: text,
        version: Number(box.getAttribute("data-version") || 0),
        activity: activityOf(area),
      }),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          box.setAttribute("data-version", String(result.data.version));
          box.setAttribute("data-saved-ms", String(result.data.saved_ms));
          var hidden = form.querySelector('[data-version-for="' + area + '"]');
          if (hidden) hidden.value = String(result.data.version);
          forget(area, text);
          say(area, "Saved at " + time());
        } else {
          say(area, result.data.error || "Your note could not be saved. It is kept on this device.", true);
        }
      })
      .catch(function () {
        say(area, "Not saved yet: no connection. Your note is kept on this device and is saved when you are back online.", true);
      })
      .then(function () {
        busy[area] = false;
        if (again[area]) {
          again[area] = false;
          save(box);
        }
      });
  }

  function later(box) {
    var area = box.getAttribute("data-area");
    window.clearTimeout(timers[area]);
    timers[area] = window.setTimeout(function () {
      save(box);
    }, DELAY);
  }

  var boxes = form.querySelectorAll("textarea[data-area]");
  Array.prototype.forEach.call(boxes, function (box) {
    var area = box.getAttribute("data-area");
    box.addEventListener("input", function () {
      keep(box);
      say(area, "Not saved yet");
      later(box);
    });
    var select = form.querySelector('[data-activity-for="' + area + '"]');
    if (select) {
      select.addEventListener("change", function () {
        save(box);
      });
    }
    var kept = read(area);
    if (kept && typeof kept.text === "string") {
      var version = Number(box.getAttribute("data-version") || 0);
      var newer = kept.at > Number(box.getAttribute("data-saved-ms") || 0) && kept.text !== box.value;
      if (newer && (kept.base === undefined || kept.base === version)) {
        box.value = kept.text;
        say(area, "Your unsaved note was restored from this device; saving it now.");
        save(box);
      } else if (newer) {
        // The note was saved elsewhere after this text was typed: show it, overwrite nothing.
        var aside = document.createElement("div");
        aside.className = "govuk-inset-text";
        aside.setAttribute("data-unsaved-for", area);
        aside.textContent = "Not saved from this device (the note changed elsewhere since): " + kept.text;
        box.parentNode.insertBefore(aside, box.nextSibling);
        say(area, "This device has text you typed that was not saved. Copy what you need into the box.", true);
      } else {
        forget(area, kept.text);
        if (kept.text === box.value) forget(area, box.value);
      }
    }
  });

  window.addEventListener("online", function () {
    Array.prototype.forEach.call(boxes, function (box) {
      if (read(box.getAttribute("data-area"))) save(box);
    });
  });
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(boxes, function (box) {
      window.clearTimeout(timers[box.getAttribute("data-area")]);
    });
  });
})();
