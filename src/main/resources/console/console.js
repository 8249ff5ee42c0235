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

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (form) clearFieldErrors(form);
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var problem = null;
    try { problem = JSON.parse(xhr.responseText); } catch (ignored) { /* not problem+json */ }
    if (xhr.status === 401 && xhr.getResponseHeader("HX-Redirect")) return;
    var form = e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (problem && problem.errors && form) {
      var rest = showFieldErrors(form, problem.errors);
      toast("error", rest.length ? rest.join("; ")
          : problem.errors.length === 1 ? "Not saved: fix the highlighted field." : "Not saved: fix the highlighted fields.");
      return;
    }
    toast("error", problem && problem.detail ? problem.detail : "The server answered " + xhr.status + ". Try again.");
  });

  document.addEventListener("htmx:sendError", function () {
    toast("error", "The server cannot be reached. Is it still running?");
  });

  // ---- live channel: SSE first, polling while it is down ---------------------------------------------------------
  var pollTimer = null;
  function refreshLive() {
    document.querySelectorAll("[data-live]").forEach(function (el) { htmx.trigger(el, "poll"); });
  }
  function startPolling() {
    document.body.classList.add("sse-down");
    document.body.classList.remove("sse-open");
    if (!pollTimer) pollTimer = setInterval(refreshLive, 5000);
  }
  function stopPolling() {
    document.body.classList.remove("sse-down");
    document.body.classList.add("sse-open");
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; refreshLive(); }
  }
  document.body.addEventListener("htmx:sseOpen", stopPolling);
  document.body.addEventListener("htmx:sseError", startPolling);
  document.body.addEventListener("htmx:sseClose", startPolling);
  if (typeof EventSource === "undefined") startPolling();

  // ---- small conveniences ---------------------------------------------------------------------------------------
  // A file input with data-autosubmit sends its form as soon as a file is picked.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (input.matches && input.matches("input[type=file][data-autosubmit]") && input.files.length) {
      htmx.trigger(input.form, "submit");
    }
  });
  // A button with data-reset-target clears the form it belongs to after a successful request.
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    if (e.detail.successful && elt.matches && elt.matches("form[data-reset-on-success]")) elt.reset();
  });
})();
