// The custom element page's own script: listens to the element's DOM events and sends the
// verified approval to the partner's backend (here the Demo Bank's POST /bank/login),
// which verifies it again.
const element = document.getElementById("partner-element");
const result = document.getElementById("partner-result");

document.addEventListener("securitypolicyviolation", (event) => {
  document.body.dataset.cspViolations =
    `${document.body.dataset.cspViolations || ""}${event.violatedDirective} ${event.blockedURI}; `;
});

function show(state, text) {
  result.dataset.state = state;
  result.textContent = text;
}

element.addEventListener("tessera-result", async (event) => {
  const { session_id, result: approval, user_id } = event.detail;
  show("checking", `The widget verified ${user_id}; the backend checks again…`);
  const response = await fetch("/bank/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ session_id, result: approval }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    show("logged_in", `Welcome, ${answer.user_id}. Our backend verified the approval too.`);
  } else {
    show("refused", `Our backend refused: ${answer.code || "no answer"}`);
  }
});

element.addEventListener("tessera-error", (event) => {
  show("error", `${event.detail.message} (${event.detail.code})`);
});
