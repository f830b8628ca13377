// The example partner page's own script (no framework). It uses only the JS API of the
// Tessera widget loaded from dist-widget/: window.Tessera.mount.
//
// 1. The partner's backend creates the session with the partner API and answers the
//    WidgetConfig (here the Demo Bank's backend: POST /bank/session).
// 2. Tessera.mount(element, { config, onResult, onError }) shows the QR / push form;
//    onResult runs only after the widget verified the phone's approval in wasm.
// 3. The page posts { session_id, result } to its backend, which verifies it again
//    (here POST /bank/login) and answers who logged in.
const widget = document.getElementById("partner-widget");
const start = document.getElementById("partner-start");
const result = document.getElementById("partner-result");
let handle = null;

// A strict Content-Security-Policy is part of the contract: record any violation, so a
// test (or the partner's own monitoring) sees it.
const violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  document.body.dataset.cspViolations = violations.join("; ");
});

function show(state, text) {
  result.dataset.state = state;
  result.textContent = text;
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { ok: response.ok, answer };
}

async function onResult({ session_id, result: approval, user_id }) {
  show("checking", `The widget verified ${user_id}; the backend checks again…`);
  const { ok, answer } = await postJson(widget.dataset.completeUrl, {
    session_id,
    result: approval,
  });
  if (ok) {
    show("logged_in", `Welcome, ${answer.user_id}. Our backend verified the approval too.`);
  } else {
    show("refused", `Our backend refused: ${answer.code || "no answer"}`);
  }
}

function onError({ code, message }) {
  show("error", `${message} (${code})`);
  start.disabled = false;
}

start.addEventListener("click", async () => {
  start.disabled = true;
  if (handle) handle.cancel();
  show("starting", "");
  const { ok, answer } = await postJson(widget.dataset.sessionUrl, {});
  if (!ok) {
    onError({ code: answer.code || "start_failed", message: "No session from our backend." });
    return;
  }
  handle = window.Tessera.mount(widget, { config: answer, lang: "en", onResult, onError });
});
