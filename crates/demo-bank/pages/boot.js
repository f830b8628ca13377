// Starts the Demo Bank page's wasm. An external module instead of Trunk's inline loader,
// so the page runs under a Content-Security-Policy without 'unsafe-inline'. Trunk fills
// in the hashed file names as data attributes (Trunk.toml, pattern_script).
const tag = document.querySelector('script[data-tessera-glue]');
const { default: init } = await import(tag.dataset.tesseraGlue);
await init({ module_or_path: tag.dataset.tesseraWasm });
