// Starts the companion's wasm. An external module instead of Trunk's inline loader, so
// the page runs under a Content-Security-Policy without 'unsafe-inline'. Trunk fills in
// the hashed file names as data attributes (top-level Trunk.toml, pattern_script).
//
// The daily part (data-part="daily" on <html>) is for a browser with a device; without
// one, every screen is the setup part's (src/part.rs), so go there before loading a wasm.
const root = document.documentElement;
let activated = true;
try {
  activated = localStorage.getItem("tessera.device_id") !== null;
} catch (_) {
  // No storage: the daily part finds no device either and moves on itself.
}
if (root.dataset.part === "daily" && !activated) {
  const manifest = document.querySelector('link[rel="manifest"]');
  location.replace(new URL("setup/" + location.hash, manifest.href));
} else {
  const tag = document.querySelector('script[data-tessera-glue]');
  const { default: init } = await import(tag.dataset.tesseraGlue);
  await init({ module_or_path: tag.dataset.tesseraWasm });
}
