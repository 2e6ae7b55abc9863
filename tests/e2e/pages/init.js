// Test page: `init(source)` with the source named by `?form=`, from this origin's package, or
// `?from=<origin>` to import the package from another origin (a CDN's shape) with no argument.
// Writes `refang("evil[.]com")` (or the error) into #result.
const params = new URLSearchParams(location.search);
const form = params.get("form") ?? "none";
const base = params.get("from") ? `${params.get("from")}/huntkit/` : "/npm/";
const out = document.getElementById("result");
try {
  const hk = await import(`${base}dist/index.js`);
  const wasmUrl = new URL(`${base}dist/wasm/huntkit_bg.wasm`, location.href);
  const bytes = async () => (await fetch(wasmUrl)).arrayBuffer();
  const sources = {
    none: async () => undefined,
    string: async () => wasmUrl.href,
    url: async () => wasmUrl,
    request: async () => new Request(wasmUrl),
    response: async () => fetch(wasmUrl),
    promise: async () => ({ promise: fetch(wasmUrl) }),
    bytes: async () => new Uint8Array(await bytes()),
    arraybuffer: bytes,
    module: async () => WebAssembly.compile(await bytes()),
    options: async () => ({ module_or_path: wasmUrl }),
    "options-bytes": async () => ({ module_or_path: new Uint8Array(await bytes()) }),
  };
  const source = await sources[form]();
  await hk.init(source?.promise ?? source);
  out.textContent = hk.refang("evil[.]com");
} catch (err) {
  out.textContent = `error: ${err.message}`;
}
out.dataset.done = "1";
