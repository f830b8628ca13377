// The companion's service worker: the app shell offline, and Web Push while no page is
// open. Plain JS copied as is by Trunk (copy-file): it must keep its name and place
// (/companion/sw.js, scope /companion/), so it is served with Cache-Control: no-cache.
//
// A push names only the session, its partner and its kind; the request's details are
// fetched from the server once the user opens it (payload: {"v":1,"session":..,
// "partner":..,"kind":"login"|"confirm"|"sign","lang":"en"|"fr"|"de"|"nl"}); a device
// added to the account pushes {"v":1,"notice":"device_added","title","body","link","lang"}.
"use strict";

const CACHE = "tessera-shell-v2";
const SCOPE = new URL("./", self.location).pathname; // "/companion/"

// What the notification says, in the user's language (the one the companion sent with
// its subscription). Every push shows one: browsers revoke subscriptions that push
// silently (userVisibleOnly).
const TEXTS = {
  en: {
    login: (p) => `${p} asks you to log in`,
    confirm: (p) => `${p} asks you to confirm a payment`,
    sign: (p) => `${p} asks you to sign a document`,
    body: "Open Tessera to check the request and answer it.",
    fallback: "Tessera has a request for you",
  },
  fr: {
    login: (p) => `${p} vous demande de vous connecter`,
    confirm: (p) => `${p} vous demande de confirmer un paiement`,
    sign: (p) => `${p} vous demande de signer un document`,
    body: "Ouvrez Tessera pour vérifier la demande et y répondre.",
    fallback: "Tessera a une demande pour vous",
  },
  de: {
    login: (p) => `${p} bittet Sie, sich anzumelden`,
    confirm: (p) => `${p} bittet Sie, eine Zahlung zu bestätigen`,
    sign: (p) => `${p} bittet Sie, ein Dokument zu unterschreiben`,
    body: "Öffnen Sie Tessera, um die Anfrage zu prüfen und zu beantworten.",
    fallback: "Tessera hat eine Anfrage für Sie",
  },
  nl: {
    login: (p) => `${p} vraagt u om aan te melden`,
    confirm: (p) => `${p} vraagt u een betaling te bevestigen`,
    sign: (p) => `${p} vraagt u een document te ondertekenen`,
    body: "Open Tessera om het verzoek te controleren en te beantwoorden.",
    fallback: "Tessera heeft een verzoek voor u",
  },
};

/**
 * A device was added to the account (issue 17): the server wrote the texts in the
 * device's language; the link, on this server only, opens the page that suspends the
 * new device. Anything else is not this notice (null).
 */
function deviceAddedNotification(message) {
  if (message.notice !== "device_added" || typeof message.link !== "string") return null;
  let link;
  try {
    link = new URL(message.link);
  } catch (_) {
    return null;
  }
  if (link.origin !== self.location.origin || !link.pathname.startsWith("/device-added/")) return null;
  const text = (value) => (typeof value === "string" ? value.slice(0, 200) : "");
  return {
    title: text(message.title) || (TEXTS[message.lang] || TEXTS.en).fallback,
    options: {
      body: text(message.body),
      tag: "device-added",
      data: { url: link.href, notice: true },
      icon: SCOPE + "icons/icon-192.png",
      requireInteraction: true,
    },
  };
}

/** The notification for a push payload (text); never throws. */
function notificationFor(text) {
  let message = {};
  try {
    message = JSON.parse(text) || {};
  } catch (_) {}
  const notice = deviceAddedNotification(message);
  if (notice) return notice;
  const t = TEXTS[message.lang] || TEXTS.en;
  const session = typeof message.session === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(message.session)
    ? message.session : null;
  const partner = typeof message.partner === "string" ? message.partner.slice(0, 80) : "";
  const title = session && partner && t[message.kind] ? t[message.kind](partner) : t.fallback;
  // The request screen: the companion opens the session named in the hash.
  const url = SCOPE + (session ? "#open=" + session : "");
  return {
    title,
    options: {
      body: t.body,
      tag: session || "tessera",
      data: { url, session },
      icon: SCOPE + "icons/icon-192.png",
      requireInteraction: true,
    },
  };
}

self.addEventListener("push", (event) => {
  const { title, options } = notificationFor(event.data ? event.data.text() : "");
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || SCOPE, self.location).href;
  // The new-device notice opens the server's page, outside the companion.
  if (event.notification.data && event.notification.data.notice) {
    event.waitUntil(self.clients.openWindow(url));
    return;
  }
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((c) => new URL(c.url).pathname.startsWith(SCOPE));
    if (open) {
      await open.focus();
      // The daily part opens the request: on its page only the hash changes (its
      // hashchange listener), from the setup part's page (setup/) it is a navigation.
      if (open.navigate) return open.navigate(url);
      return undefined;
    }
    return self.clients.openWindow(url);
  })());
});

// --- the app shell, offline ---

// The setup part (the rare flows, src/part.rs) is a page of its own; cached with the
// daily part so that every screen opens offline.
const SETUP = SCOPE + "setup/";

/** The files of the page at `path`: the page, and every file it and its wasm glue name. */
async function pageFiles(path, files) {
  const base = new URL(path, self.location);
  const page = await (await fetch(base, { cache: "no-store" })).text();
  files.add(path);
  for (const [, ref] of page.matchAll(/(?:href|src|data-tessera-glue|data-tessera-wasm)="([^"]+)"/g)) {
    files.add(new URL(ref, base).pathname);
  }
  const glue = page.match(/data-tessera-glue="([^"]+)"/);
  if (glue) {
    const glueUrl = new URL(glue[1], base);
    const js = await (await fetch(glueUrl)).text();
    for (const [, snippet] of js.matchAll(/['"]\.\/(snippets\/[^'"]+)['"]/g)) {
      files.add(new URL(snippet, glueUrl).pathname);
    }
  }
}

/** The shell's files: both parts' pages and what they name. */
async function shellFiles() {
  const files = new Set([SCOPE + "manifest.webmanifest", SCOPE + "icons/icon-192.png"]);
  await pageFiles(SCOPE, files);
  await pageFiles(SETUP, files);
  return [...files].filter((f) => f.startsWith(SCOPE));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(await shellFiles());
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Only the shell's own GETs; the API (/v1/…) and the event streams always go to the
// network. Network first, so a new build (new hashed file names, a new boot.js) is used
// as soon as it is online; the cache when offline. A navigation anywhere in the scope is
// one of the two pages (the companion routes by its hash): the setup part's under setup/.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) {
    return;
  }
  const page = url.pathname.startsWith(SETUP) ? SETUP : SCOPE;
  const key = request.mode === "navigate" ? page : request;
  event.respondWith((async () => {
    try {
      const fresh = await fetch(request);
      if (fresh.ok) await (await caches.open(CACHE)).put(key, fresh.clone());
      return fresh;
    } catch (error) {
      const cached = await caches.match(key);
      if (cached) return cached;
      throw error;
    }
  })());
});
