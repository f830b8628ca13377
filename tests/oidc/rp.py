"""A relying party of Tessera's OpenID Provider, written with Authlib (PyPI), a client
library no one here wrote: its OAuth2Session builds the authorization request with PKCE
and exchanges the code, and its JOSE and OpenID Connect code validates every ID token
(signature by `kid` from the JWKS, iss, aud, exp, iat, nonce). CIBA, which Authlib lacks,
is plain form posts (CIBA Core 1.0 §7, §10), the client authenticated with HTTP Basic or
with `private_key_jwt`, its assertion signed by Authlib (RFC 7523).

Driven by tests/e2e/oidc.rs, one step per run; state between steps is kept in a JSON file.
SECRET is a client secret, or key:FILE for private_key_jwt with the key keygen wrote.
Each command prints one JSON object on stdout, and exits non-zero when the provider
answered something the specs do not allow.

  rp.py keygen PRIVATE_KEY_FILE            (prints the public JWKS to register)
  rp.py discover ISSUER
  rp.py refusals ISSUER CLIENT_ID SECRET REDIRECT
  rp.py authorize ISSUER CLIENT_ID SECRET REDIRECT STATE_FILE
  rp.py callback ISSUER CLIENT_ID SECRET REDIRECT STATE_FILE CALLBACK_URL
  rp.py ciba-start ISSUER CLIENT_ID SECRET STATE_FILE USER [AUTHORIZATION_DETAILS]
  rp.py ciba-poll ISSUER CLIENT_ID SECRET STATE_FILE
  rp.py ciba-ping ISSUER CLIENT_ID SECRET USER NOTIFY_PORT
  rp.py ciba-expired ISSUER CLIENT_ID SECRET USER
"""

import base64
import http.server
import json
import secrets
import sys
import threading
import time
import warnings

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
# Authlib's OpenID claims classes still build on authlib.jose, which warns about its move
# to joserfc; the validation is the same.
warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
warnings.filterwarnings("ignore", message="Please use joserfc")
from authlib.jose import JsonWebKey, jwt  # noqa: E402
from authlib.oauth2.rfc7523 import private_key_jwt_sign  # noqa: E402
from authlib.oidc.core import CodeIDToken, IDToken  # noqa: E402

CIBA_GRANT = "urn:openid:params:grant-type:ciba"
TIMEOUT = 10


def fail(message):
    print(json.dumps({"failed": message}))
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def metadata(issuer):
    answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
    answer.raise_for_status()
    meta = answer.json()
    expect(meta["issuer"] == issuer, f"issuer {meta['issuer']!r} is not {issuer!r}")
    return meta


def validate(meta, id_token, client_id, nonce=None, claims_cls=IDToken):
    """The ID token, validated by Authlib: signature under the JWKS key its kid names,
    then the claims (iss, aud, exp, iat, nonce, auth_time)."""
    jwks = requests.get(meta["jwks_uri"], timeout=TIMEOUT).json()
    keys = JsonWebKey.import_key_set(
        {"keys": [k for k in jwks["keys"] if k.get("tessera_role") == "id_token"]}
    )
    part = id_token.split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    expect(header.get("alg") == "ES256", f"alg {header.get('alg')!r}")
    params = {"client_id": client_id}
    if nonce is not None:
        params["nonce"] = nonce
    claims = jwt.decode(
        id_token,
        keys,
        claims_cls=claims_cls,
        claims_options={
            "iss": {"essential": True, "value": meta["issuer"]},
            "aud": {"essential": True, "value": client_id},
            "sub": {"essential": True},
            "auth_time": {"essential": True},
        },
        claims_params=params,
    )
    claims.validate(leeway=60)
    return dict(claims)


def session(client_id, secret, redirect=None):
    return OAuth2Session(
        client_id,
        secret,
        scope="openid",
        redirect_uri=redirect,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )


def discover(issuer):
    meta = metadata(issuer)
    for field, wanted in [
        ("id_token_signing_alg_values_supported", ["ES256"]),
        ("code_challenge_methods_supported", ["S256"]),
        ("response_types_supported", ["code"]),
    ]:
        expect(meta.get(field) == wanted, f"{field} is {meta.get(field)!r}")
    expect(CIBA_GRANT in meta["grant_types_supported"], "no CIBA grant")
    expect("poll" in meta["backchannel_token_delivery_modes_supported"], "no poll mode")
    expect("ping" in meta["backchannel_token_delivery_modes_supported"], "no ping mode")
    print(json.dumps({"issuer": meta["issuer"], "endpoints": sorted(k for k in meta if k.endswith("endpoint"))}))


def refusals(issuer, client_id, secret, redirect):
    """What must not redirect, and what must: RFC 6749 §4.1.2.1."""
    meta = metadata(issuer)
    client = session(client_id, secret, redirect)
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"], nonce="n", code_verifier=verifier
    )
    seen = {}
    unknown = requests.get(url.replace(f"client_id={client_id}", "client_id=nobody"), allow_redirects=False, timeout=TIMEOUT)
    expect(unknown.status_code == 400 and "location" not in unknown.headers, "an unknown client was redirected")
    seen["unknown_client"] = unknown.status_code
    foreign = session(client_id, secret, "http://127.0.0.1:9/elsewhere")
    url2, _ = foreign.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier)
    answer = requests.get(url2, allow_redirects=False, timeout=TIMEOUT)
    expect(answer.status_code == 400 and "location" not in answer.headers, "an unregistered redirect URI was used")
    seen["unregistered_redirect_uri"] = answer.status_code
    plain = requests.get(url.replace("code_challenge_method=S256", "code_challenge_method=plain"), allow_redirects=False, timeout=TIMEOUT)
    location = plain.headers.get("location", "")
    expect(location.startswith(redirect) and "error=invalid_request" in location, f"plain PKCE: {location!r}")
    seen["plain_pkce"] = "invalid_request"
    print(json.dumps(seen))


def authorize(issuer, client_id, secret, redirect, state_file):
    meta = metadata(issuer)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session(client_id, secret, redirect).create_authorization_url(
        meta["authorization_endpoint"], nonce=nonce, code_verifier=verifier
    )
    with open(state_file, "w") as f:
        json.dump({"state": state, "nonce": nonce, "verifier": verifier}, f)
    print(json.dumps({"url": url}))


def callback(issuer, client_id, secret, redirect, state_file, callback_url):
    meta = metadata(issuer)
    with open(state_file) as f:
        saved = json.load(f)
    client = session(client_id, secret, redirect)
    errors = {}
    # A wrong verifier first: refused, and the code stays for the right one (RFC 7636 §4.6).
    try:
        client.fetch_token(meta["token_endpoint"], authorization_response=callback_url, state=saved["state"], code_verifier=generate_token(48))
        fail("a wrong code_verifier was accepted")
    except OAuthError as e:
        errors["wrong_verifier"] = e.error
    token = client.fetch_token(
        meta["token_endpoint"],
        authorization_response=callback_url,
        state=saved["state"],
        code_verifier=saved["verifier"],
    )
    claims = validate(meta, token["id_token"], client_id, saved["nonce"], CodeIDToken)
    try:
        client.fetch_token(meta["token_endpoint"], authorization_response=callback_url, state=saved["state"], code_verifier=saved["verifier"])
        fail("a code was accepted twice")
    except OAuthError as e:
        errors["reused_code"] = e.error
    userinfo = requests.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=TIMEOUT)
    errors["userinfo_after_reuse"] = userinfo.status_code
    print(json.dumps({"claims": claims, "errors": errors}))


def keygen(private_file):
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    with open(private_file, "w") as f:
        f.write(key.as_json(is_private=True))
    print(json.dumps({"keys": [key.as_dict(is_private=False)]}))


def authenticated(meta, client_id, secret, url, data):
    """POSTs `data` to `url` as the client: HTTP Basic, or private_key_jwt (key:FILE)."""
    if secret.startswith("key:"):
        with open(secret[4:]) as f:
            key = JsonWebKey.import_key(json.load(f))
        assertion = private_key_jwt_sign(key, client_id, meta["token_endpoint"], alg="ES256")
        data = {
            **data,
            "client_id": client_id,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion.decode() if isinstance(assertion, bytes) else assertion,
        }
        return requests.post(url, data=data, timeout=TIMEOUT)
    return requests.post(url, data=data, auth=(client_id, secret), timeout=TIMEOUT)


def backchannel(meta, client_id, secret, **params):
    url = meta["backchannel_authentication_endpoint"]
    return authenticated(meta, client_id, secret, url, {"scope": "openid", **params})


def poll(meta, client_id, secret, auth_req_id):
    data = {"grant_type": CIBA_GRANT, "auth_req_id": auth_req_id}
    return authenticated(meta, client_id, secret, meta["token_endpoint"], data)


def ciba_start(issuer, client_id, secret, state_file, user, details=None):
    meta = metadata(issuer)
    params = {"login_hint": user, "binding_message": "Tessera test " + secrets.token_hex(2)}
    if details:
        params["authorization_details"] = details
    answer = backchannel(meta, client_id, secret, **params)
    expect(answer.status_code == 200, f"bc-authorize: {answer.status_code} {answer.text}")
    started = answer.json()
    first = poll(meta, client_id, secret, started["auth_req_id"])
    expect(first.json().get("error") == "authorization_pending", f"first poll: {first.text}")
    started["polled_at"] = time.time()
    started["first_poll"] = "authorization_pending"
    with open(state_file, "w") as f:
        json.dump(started, f)
    print(json.dumps(started))


def ciba_poll(issuer, client_id, secret, state_file):
    meta = metadata(issuer)
    with open(state_file) as f:
        started = json.load(f)
    interval, last = started["interval"], started["polled_at"]
    deadline = time.time() + started["expires_in"]
    while time.time() < deadline:
        time.sleep(max(0.0, last + interval - time.time()) + 0.2)
        last = time.time()
        answer = poll(meta, client_id, secret, started["auth_req_id"])
        error = answer.json().get("error")
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += 5
            continue
        expect(answer.status_code == 200, f"token: {answer.text}")
        claims = validate(meta, answer.json()["id_token"], client_id)
        print(json.dumps({"claims": claims}))
        return
    fail("the request expired while polling")


def ciba_ping(issuer, client_id, secret, user, port):
    meta = metadata(issuer)
    token = secrets.token_urlsafe(32)
    pinged = {}
    done = threading.Event()

    class Notified(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            pinged["authorization"] = self.headers.get("authorization")
            pinged["body"] = json.loads(body)
            self.send_response(204)
            self.end_headers()
            done.set()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", int(port)), Notified)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    answer = backchannel(meta, client_id, secret, login_hint=user, client_notification_token=token)
    expect(answer.status_code == 200, f"bc-authorize: {answer.text}")
    started = answer.json()
    print(json.dumps(started), flush=True)
    expect(done.wait(started["expires_in"]), "no ping came")
    server.shutdown()
    expect(pinged["authorization"] == f"Bearer {token}", "the ping did not carry our token")
    expect(pinged["body"] == {"auth_req_id": started["auth_req_id"]}, f"ping body {pinged['body']}")
    answer = poll(meta, client_id, secret, started["auth_req_id"])
    expect(answer.status_code == 200, f"token after the ping: {answer.text}")
    claims = validate(meta, answer.json()["id_token"], client_id)
    print(json.dumps({"claims": claims}))


def ciba_expired(issuer, client_id, secret, user):
    meta = metadata(issuer)
    answer = backchannel(meta, client_id, secret, login_hint=user, requested_expiry="1")
    expect(answer.status_code == 200, f"bc-authorize: {answer.text}")
    started = answer.json()
    expect(started["expires_in"] == 1, f"expires_in {started['expires_in']}")
    time.sleep(2.5)
    late = poll(meta, client_id, secret, started["auth_req_id"]).json().get("error")
    unknown = poll(meta, client_id, secret, "no-such-request").json().get("error")
    print(json.dumps({"expired": late, "unknown": unknown}))


COMMANDS = {
    "keygen": keygen,
    "discover": discover,
    "refusals": refusals,
    "authorize": authorize,
    "callback": callback,
    "ciba-start": ciba_start,
    "ciba-poll": ciba_poll,
    "ciba-ping": ciba_ping,
    "ciba-expired": ciba_expired,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
