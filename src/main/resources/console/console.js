// CHL console behaviour, loaded as a file (the CSP forbids inline script): CSRF header on every htmx request, toasts,
// inline field errors from problem+json answers, and polling while the live channel (SSE) is down.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // ---- toasts -------------------------------------------------------------------------------------------------
  function toast(level, message) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    var item = document.createElement("div");
    item.className = "toast " + (level || "info");
    item.setAttribute("role", level === "error" ? "alert" : "status");
    var text = document.createElement("span");
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(text);
    item.appendChild(close);
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, level === "error" ? 12000 : 6000);
  }

  document.body.addEventListener("chl-toast", function (e) {
    toast(e.detail.level, e.detail.message);
  });
  // What an action that redirected here had to say (the server keeps it for the next page).
  var flashBox = document.getElementById("toasts");
  if (flashBox && flashBox.dataset.flash) toast(flashBox.dataset.flashLevel, flashBox.dataset.flash);

  // ---- errors next to the fields they are about ------------------------------------------------------------------
  function clearFieldErrors(form) {
    form.querySelectorAll(".field-error[data-generated]").forEach(function (n) { n.remove(); });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (n) { n.removeAttribute("aria-invalid"); });
  }

  function showFieldErrors(form, errors) {
    var unplaced = [];
    errors.forEach(function (err) {
      var input = form.querySelector('[name="' + CSS.escape(err.field) + '"]');
      if (!input) { unplaced.push(err.field + " " + err.message); return; }
      input.setAttribute("aria-invalid", "true");
      var note = document.createElement("p");
      note.className = "field-error";
      note.setAttribute("data-generated", "");
      note.id = "error-" + err.field;
      note.textContent = err.message;
      input.setAttribute("aria-describedby", note.id);
      input.insertAdjacentElement("afterend", note);
    });
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    return unplaced;
  }

  // Only the form's own submission clears its errors: a background request inside it (the duplicate check as you
  // type) used to wipe errors on fields still unfixed.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.tagName === "FORM") clearFieldErrors(elt);
  });

  // ---- a page whose session is gone (the server restarted) ---------------------------------------------------------
  // One notice that stays, with a reload button; live blocks stop asking (each refused poll used to raise a toast).
  var sessionEnded = false;
  function endSession(message) {
    if (sessionEnded) return;
    sessionEnded = true;
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    liveLabel("offline");
    var notice = document.createElement("div");
    notice.className = "notice bad session-ended";
    notice.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = (message || "Your console session has ended (did the server restart?).") + " ";
    var reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload the page";
    reload.addEventListener("click", function () { window.location.reload(); });
    notice.appendChild(text);
    notice.appendChild(reload);
    var main = document.getElementById("content");
    (main || document.body).prepend(notice);
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (sessionEnded && e.detail.elt && e.detail.elt.hasAttribute && e.detail.elt.hasAttribute("data-live")) e.preventDefault();
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var problem = null;
    try { problem = JSON.parse(xhr.responseText); } catch (ignored) { /* not problem+json */ }
    if (xhr.status === 401 && xhr.getResponseHeader("HX-Redirect")) return;
    if (xhr.getResponseHeader("X-CHL-Session") === "ended" || xhr.status === 401) {
      endSession(problem && problem.detail ? capitalize(problem.detail) + "." : null);
      return;
    }
    var form = e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (problem && problem.errors && form) {
      var rest = showFieldErrors(form, problem.errors);
      // Forms that only look something up or start a job say so (data-refused); the rest are saves.
      var lead = form.getAttribute("data-refused") || "Not saved";
      toast("error", rest.length ? rest.join("; ")
          : lead + ": fix the highlighted field" + (problem.errors.length === 1 ? "." : "s."));
      return;
    }
    toast("error", problem && problem.detail ? problem.detail : "The server answered " + xhr.status + ". Try again.");
  });

  function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  document.addEventListener("htmx:sendError", function () {
    toast("error", "The server cannot be reached. Is it still running?");
  });

  // ---- live channel: SSE first, polling while it is down ---------------------------------------------------------
  var pollTimer = null;
  function refreshLive() {
    document.querySelectorAll("[data-live]").forEach(function (el) { htmx.trigger(el, "poll"); });
  }
  function liveLabel(text) {
    var label = document.querySelector(".topbar .live");
    if (label) label.textContent = text;
  }
  function startPolling() {
    if (sessionEnded) return;
    liveLabel("polling");
    document.body.classList.add("sse-down");
    document.body.classList.remove("sse-open");
    if (!pollTimer) pollTimer = setInterval(refreshLive, 5000);
  }
  function stopPolling() {
    liveLabel("live");
    document.body.classList.remove("sse-down");
    document.body.classList.add("sse-open");
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; refreshLive(); }
  }
  document.body.addEventListener("htmx:sseOpen", function (e) {
    // "reset": the server could not replay what this page missed (it restarted, or we were away too long).
    // Same function each time, so reconnects do not stack listeners.
    if (e.detail && e.detail.source) e.detail.source.addEventListener("reset", refreshLive);
    stopPolling();
  });
  document.body.addEventListener("htmx:sseError", startPolling);
  document.body.addEventListener("htmx:sseClose", startPolling);
  if (typeof EventSource === "undefined") startPolling();

  // ---- live blocks: skip a swap that would change nothing the block offers -------------------------------------------
  // Blocks with buttons carry data-v, a version of what they offer; replacing one with the same version would only
  // swap its buttons out from under the pointer (a click lost between mouse-down and mouse-up) and drop focus.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    if (pointerDown) {
      e.detail.shouldSwap = false;
      return;
    }
    var incoming = e.detail.fragment && (e.detail.fragment.firstElementChild || e.detail.fragment);
    var current = e.detail.target;
    if (incoming && current && current.dataset && incoming.dataset && current.dataset.v !== undefined
        && current.dataset.v === incoming.dataset.v) {
      e.detail.shouldSwap = false;
    }
  });

  // A live refresh arriving while a mouse button or finger is down on the page waits for the next one: swapping the
  // block under the pointer would lose the click being made.
  var pointerDown = false;
  document.addEventListener("pointerdown", function () { pointerDown = true; }, true);
  document.addEventListener("pointerup", function () { setTimeout(function () { pointerDown = false; }, 0); }, true);
  document.addEventListener("pointercancel", function () { pointerDown = false; }, true);
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (pointerDown && e.detail.elt && e.detail.elt.hasAttribute && e.detail.elt.hasAttribute("data-live")) {
      e.detail.shouldSwap = false;
    }
  });

  // ---- an import preview belongs to the file it previewed ----------------------------------------------------------
  // Choosing another workbook removes the preview of the earlier one (its Apply would import that file, not the one
  // just chosen); a live refresh of the card must not bring it back, so its dry run's id is remembered.
  var dismissedPreviews = {};
  function dropDismissedPreview() {
    var preview = document.getElementById("import-preview");
    if (preview && dismissedPreviews[preview.dataset.job]) preview.remove();
  }
  document.addEventListener("change", function (e) {
    if (e.target.id !== "import-file") return;
    var preview = document.getElementById("import-preview");
    if (preview) dismissedPreviews[preview.dataset.job] = true;
    dropDismissedPreview();
  }, true);
  document.addEventListener("htmx:afterSettle", dropDismissedPreview);
  document.addEventListener("htmx:oobAfterSwap", dropDismissedPreview);

  // ---- the duplicate check and a held-back save ---------------------------------------------------------------------
  // A save held back for a close match shows "Save anyway"; the as-you-type check still pending from the last keystroke
  // must not replace that answer with one that does not ask. The check is skipped while the form is as it was saved.
  var savedForm = null;
  function formState(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt && e.detail.elt.id === "entry-form") savedForm = formState(e.detail.elt);
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.id === "dup-check" && savedForm !== null && elt.querySelector('[name="confirm_duplicates"]')) {
      var form = document.getElementById("entry-form");
      if (form && formState(form) === savedForm) e.detail.shouldSwap = false;
    }
  });

  // ---- keyboard focus ---------------------------------------------------------------------------------------------
  // "Show more" replaces its own row: focus moves to the first row it loaded, not back to the top of the page.
  var moreFocus = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    if (target && target.id === "more-row" && target.contains(document.activeElement)) {
      moreFocus = { body: target.parentNode, before: target.previousElementSibling };
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!moreFocus) return;
    var row = moreFocus.before ? moreFocus.before.nextElementSibling : moreFocus.body.firstElementChild;
    moreFocus = null;
    var link = row && row.querySelector("a, button");
    if (link) link.focus();
  });

  // ---- small conveniences ---------------------------------------------------------------------------------------
  // A workbook just uploaded becomes the import's source (the dry run must read what was uploaded).
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.successful && e.detail.elt.id === "import-file") {
      var radio = document.querySelector('#import-form input[name="source"][value="upload"]');
      if (radio) radio.checked = true;
    }
  });
})();
