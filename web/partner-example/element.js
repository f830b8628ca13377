// The custom element pages' own script (element.html: <tessera-login>, confirm.html:
// <tessera-confirm>): listens to the element's DOM events and sends the verified approval
// to the partner's backend (the element's data-complete-url; here the Demo Bank's
// POST /bank/login or /bank/transfer/confirm), which verifies it again before it logs the
// user in or books the transfer.
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

// What the backend's answer means for the user: a login or a booked transfer.
function done(answer) {
  if (!answer.booked) {
    show("logged_in", `Welcome, ${answer.user_id}. Our backend verified the approval too.`);
    return;
  }
  const { amount_minor, currency, payee_name } = answer;
  const amount = new Intl.NumberFormat("en", { style: "currency", currency }).format(amount_minor / 100);
  show("booked", `Booked: ${amount} to ${payee_name}, confirmed by ${answer.user_id}. ` +
    "Our backend verified the approval too, against the transfer it recorded.");
}

element.addEventListener("tessera-result", async (event) => {
  const { session_id, result: approval, user_id } = event.detail;
  show("checking", `The widget verified ${user_id}; the backend checks again…`);
  const response = await fetch(element.dataset.completeUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ session_id, result: approval }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    done(answer);
  } else {
    show("refused", `Our backend refused: ${answer.code || "no answer"}`);
  }
});

element.addEventListener("tessera-error", (event) => {
  show("error", `${event.detail.message} (${event.detail.code})`);
});
