// The browser APIs the companion uses that web-sys would make larger or clumsier, in one
// module: one snippet for the page to fetch (and for its SRI), not one per API.
// No eval, no inline script: works under a strict Content-Security-Policy.

// --- the device key ---
// The device key: a non-extractable ECDSA P-256 WebCrypto key pair, kept as the
// CryptoKeyPair object itself (structured clone) in IndexedDB. The private key can be
// used to sign but never read, not even by this page. No eval, no inline script: works
// under a strict Content-Security-Policy.
const DB_NAME = "tessera-companion";
const STORE = "keys";
const KEY_ID = "device";
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256" };

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, operation) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = operation(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Creates and stores a new device key; returns the raw public key (65 bytes, 04||x||y). */
export async function generateDeviceKey() {
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]);
  await withStore("readwrite", (store) => store.put(pair, KEY_ID));
  return new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
}

/** Signs `data` (Uint8Array) with ECDSA P-256 SHA-256; returns raw r||s (64 bytes). */
export async function sign(data) {
  const pair = await withStore("readonly", (store) => store.get(KEY_ID));
  if (!pair) throw new Error("no device key");
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, data);
  return new Uint8Array(signature);
}

/** Whether a device key is stored. */
export async function hasKey() {
  return Boolean(await withStore("readonly", (store) => store.get(KEY_ID)));
}

/** Deletes the device key. */
export async function deleteKey() {
  await withStore("readwrite", (store) => store.delete(KEY_ID));
}

// --- geolocation ---
// The phone's position for an approval, if its user shares it: one coarse reading (no
// GPS fix: low accuracy), a recent one if the browser has it, given up after `timeoutMs`.
// Never rejects: a refusal, a timeout or no geolocation at all resolve to null, and the
// approval goes without a location.
export function currentPosition(timeoutMs) {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve([position.coords.latitude, position.coords.longitude]),
      () => resolve(null),
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 600000 },
    );
  });
}

// --- biometrics ---
// Biometrics: a WebAuthn platform credential (fingerprint, face) created and used with
// user verification required. ES256 only and no attestation: the server checks every
// byte of what comes back (crates/server/src/webauthn.rs). Byte arrays in and out.

/** Creates the credential; returns its raw id, client data and attestation object. */
export async function createCredential(challenge, rpId, userHandle, userName) {
  const credential = await navigator.credentials.create({
    publicKey: {
      challenge,
      rp: { id: rpId, name: "Tessera" },
      user: { id: userHandle, name: userName, displayName: userName },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: {
        authenticatorAttachment: "platform",
        userVerification: "required",
        residentKey: "discouraged",
      },
      attestation: "none",
      timeout: 120000,
    },
  });
  return [
    new Uint8Array(credential.rawId),
    new Uint8Array(credential.response.clientDataJSON),
    new Uint8Array(credential.response.attestationObject),
  ];
}

/** Asks the platform to verify the user and sign `challenge` with the credential. */
export async function getAssertion(challenge, rpId, credentialId) {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge,
      rpId,
      allowCredentials: [{ type: "public-key", id: credentialId, transports: ["internal"] }],
      userVerification: "required",
      timeout: 120000,
    },
  });
  return [
    new Uint8Array(credential.rawId),
    new Uint8Array(credential.response.clientDataJSON),
    new Uint8Array(credential.response.authenticatorData),
    new Uint8Array(credential.response.signature),
  ];
}

// --- the installable app and Web Push (issue 16) ---
// The service worker (sw.js, next to boot.js) caches the app shell and shows pushes as
// notifications while no page is open. The browser's install offer is kept until the
// user asks for it from Settings.
let installOffer = null;
addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installOffer = event;
});

/** Registers sw.js from the directory boot.js was loaded from; false where unsupported. */
export async function registerServiceWorker() {
  const manifest = document.querySelector('link[rel="manifest"]');
  if (!("serviceWorker" in navigator) || !manifest) return false;
  // Beside the manifest, at the app's root: the setup part's page is one level down.
  const url = new URL("sw.js", manifest.href);
  await navigator.serviceWorker.register(url, { scope: new URL("./", url).pathname, updateViaCache: "none" });
  return true;
}

/** Whether the browser offered to install the app (Chromium; never on iOS). */
export function canInstall() {
  return installOffer !== null;
}

/** Shows the browser's install dialog; whether the user accepted. */
export async function install() {
  if (!installOffer) return false;
  const offer = installOffer;
  installOffer = null;
  await offer.prompt();
  return (await offer.userChoice).outcome === "accepted";
}

/** "unsupported", or the notification permission: "default", "granted", "denied". */
export function pushPermission() {
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  return supported ? Notification.permission : "unsupported";
}

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms)),
  ]);
}

/**
 * Asks for the notification permission (call from a click: Safari requires a gesture) and
 * subscribes with the server's VAPID key (base64url). Returns PushSubscription.toJSON()
 * as JSON text; throws "unsupported", "denied" or "timeout" (a browser that cannot reach
 * its push service may never settle subscribe()).
 */
export async function pushSubscribe(vapidKey, timeoutMs) {
  if (pushPermission() === "unsupported") throw new Error("unsupported");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error("denied");
  const registration = await withTimeout(navigator.serviceWorker.ready, timeoutMs);
  const key = Uint8Array.from(atob(vapidKey.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made for another key (the server's key changed) cannot be reused.
  if (subscription && subscription.options && subscription.options.applicationServerKey) {
    const old = new Uint8Array(subscription.options.applicationServerKey);
    if (old.length !== key.length || old.some((b, i) => b !== key[i])) {
      await subscription.unsubscribe();
      subscription = null;
    }
  }
  if (!subscription) {
    subscription = await withTimeout(
      registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
      timeoutMs,
    );
  }
  return JSON.stringify(subscription.toJSON());
}

/** Ends this browser's subscription, if any. */
export async function pushUnsubscribe() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && (await registration.pushManager.getSubscription());
  if (subscription) await subscription.unsubscribe();
}

// --- the offline key (issue 17) ---
// A non-extractable HMAC-SHA-256 WebCrypto key, kept like the device key. The offline
// code's OCRA key is its MAC over the PIN (see tessera_protocol::offline): this page can
// derive it, never read the key itself.
const OFFLINE_KEY_ID = "offline";

/** Creates and stores a new offline key, replacing any old one. */
export async function generateOfflineKey() {
  const key = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
  await withStore("readwrite", (store) => store.put(key, OFFLINE_KEY_ID));
}

/** HMAC-SHA-256 of `message` (Uint8Array) under the offline key; 32 bytes. */
export async function offlineMac(message) {
  const key = await withStore("readonly", (store) => store.get(OFFLINE_KEY_ID));
  if (!key) throw new Error("no offline key");
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

/** Deletes the offline key. */
export async function deleteOfflineKey() {
  await withStore("readwrite", (store) => store.delete(OFFLINE_KEY_ID));
}

// --- the two parts (src/part.rs) ---

/** Replaces this page by the setup part (`setup/` beside the manifest), opened with `hash`. */
export function moveToSetup(hash) {
  const manifest = document.querySelector('link[rel="manifest"]');
  location.replace(new URL("setup/" + hash, manifest ? manifest.href : location.href));
}
