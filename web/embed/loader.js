// The Tessera widget's loader. scripts/dist.sh appends it to wasm-bindgen's glue (--target
// web) in one ES module, tessera-<hash>.js, so the partner's one <script integrity=…>
// covers the glue and this loader; the loader fetches the .wasm with its own SRI hash
// (filled in by dist.sh), so a changed .wasm is refused by the browser. No eval, no inline
// script, no third-party host: it runs under script-src 'self' 'wasm-unsafe-eval'.
const TESSERA_WASM = new URL("__TESSERA_WASM__", import.meta.url);
const TESSERA_WASM_SRI = "__TESSERA_WASM_SRI__";

const tesseraReady = __wbg_init({
  module_or_path: fetch(TESSERA_WASM, { integrity: TESSERA_WASM_SRI }),
});

function report(onError, code, error) {
  if (typeof onError === "function") {
    onError({ code, message: String(error && error.message ? error.message : error) });
  }
}

// The widget's frame, drawn at once while the wasm is still on its way (no text: the
// language is the wasm's to choose), so the page does not shift when the widget appears.
function tesseraSkeleton(element) {
  const frame = document.createElement("section");
  frame.className = "tessera tessera--loading";
  frame.setAttribute("aria-busy", "true");
  frame.setAttribute("aria-label", "Tessera");
  for (const part of ["title", "text", "button"]) {
    const bar = document.createElement("div");
    bar.className = `tessera-skeleton__${part}`;
    frame.append(bar);
  }
  element.append(frame);
  return frame;
}

// Tessera.mount(element, { config | configUrl [, configBody], kind, lang, onResult, onError })
// → { cancel() }. Usable at once: the frame shows now, the widget when the wasm is ready.
function tesseraMount(element, options = {}) {
  let handle = null;
  let cancelled = false;
  const skeleton = tesseraSkeleton(element);
  tesseraReady.then(
    () => {
      skeleton.remove();
      if (cancelled) return;
      try {
        handle = mount(element, options);
      } catch (error) {
        report(options.onError, "invalid_options", error);
      }
    },
    (error) => {
      skeleton.remove();
      report(options.onError, "load_failed", error);
    },
  );
  return {
    cancel() {
      cancelled = true;
      skeleton.remove();
      if (handle) {
        handle.cancel();
        handle.free();
        handle = null;
      }
    },
  };
}

// <tessera-login config-url="/my/session" config-body='{…}' lang="fr">, or config='{WidgetConfig}';
// <tessera-confirm …> the same for a transaction. Events (bubbling): tessera-result and
// tessera-error, with the same detail as onResult and onError.
class TesseraElement extends HTMLElement {
  connectedCallback() {
    if (this.tesseraHandle) return;
    const emit = (type) => (detail) =>
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    const options = {
      kind: this.localName === "tessera-confirm" ? "confirm" : "login",
      lang: this.getAttribute("lang") || undefined,
      onResult: emit("tessera-result"),
      onError: emit("tessera-error"),
    };
    const config = this.getAttribute("config") || this.getAttribute("session");
    if (config) {
      options.config = config;
    } else {
      options.configUrl = this.getAttribute("config-url") || undefined;
      options.configBody = this.getAttribute("config-body") || "{}";
    }
    this.tesseraHandle = tesseraMount(this, options);
  }

  disconnectedCallback() {
    if (this.tesseraHandle) {
      this.tesseraHandle.cancel();
      this.tesseraHandle = null;
    }
  }
}

if (!customElements.get("tessera-login")) {
  customElements.define("tessera-login", class extends TesseraElement {});
  customElements.define("tessera-confirm", class extends TesseraElement {});
}

window.Tessera = Object.freeze({
  mount: tesseraMount,
  ready: tesseraReady.then(() => undefined),
});
