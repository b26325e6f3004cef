// Public pages may come from a cache shared by every visitor, so they carry no CSRF token: each form
// and htmx request that changes something gets the visitor's own token from their csrftoken cookie,
// which /csrf/ sets when they have none yet (marketplace.pagecache).
(function () {
  "use strict";
  var FIELD = "csrfmiddlewaretoken";
  var FROM_COOKIE = "from-cookie"; // the token of a page rendered for the cache (marketplace.pagecache)
  var endpoint = (document.currentScript && document.currentScript.getAttribute("data-csrf-url")) || "/csrf/";

  function cookieToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function token() {
    var known = cookieToken();
    if (known) {
      return Promise.resolve(known);
    }
    return fetch(endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (body) { return cookieToken() || body.token; });
  }

  function safe(method) {
    return /^(get|head|options|trace)$/i.test(method || "get");
  }

  // A form posted without a token: fetch one, add it, and send the form again with the same button.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[hx-get],[hx-post],[hx-put],[hx-patch],[hx-delete],[data-hx-get],[data-hx-post]")) {
      return; // htmx sends it (with the method of the button pressed): held below until there is a token
    }
    var submitter = event.submitter;
    // A button's formmethod overrides the form's: a GET form may have a button that posts.
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method");
    var present = form.elements[FIELD];
    if (safe(method) || (present && present.value && present.value !== FROM_COOKIE)) {
      return;
    }
    event.preventDefault();
    token().then(function (value) {
      var field = form.elements[FIELD];
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = FIELD;
        form.appendChild(field);
      }
      field.value = value;
      // After the current submission has finished firing: a form ignores a submit requested
      // while its submit event is still being dispatched (the token may come from a resolved promise).
      setTimeout(function () {
        if (form.requestSubmit) {
          form.requestSubmit(submitter || undefined);
        } else {
          if (submitter && submitter.name) { // form.submit() sends no button: send its value as a field
            var pressed = document.createElement("input");
            pressed.type = "hidden";
            pressed.name = submitter.name;
            pressed.value = submitter.value;
            form.appendChild(pressed);
          }
          form.submit();
        }
      }, 0);
    });
  }, true);

  // htmx: hold a request that changes something until the visitor has a token, then send it with it.
  document.addEventListener("htmx:confirm", function (event) {
    if (safe(event.detail.verb) || cookieToken()) {
      return;
    }
    event.preventDefault();
    token().then(function () { event.detail.issueRequest(); });
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var value = cookieToken();
    var sent = event.detail.headers["X-CSRFToken"];
    if (value && (!sent || sent === FROM_COOKIE)) {
      event.detail.headers["X-CSRFToken"] = value;
    }
    // htmx also sends the form's fields: the field must not contradict the header.
    if (value && event.detail.parameters && event.detail.parameters[FIELD] === FROM_COOKIE) {
      event.detail.parameters[FIELD] = value;
    }
  });
})();
