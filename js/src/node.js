// Node entry: instantiates the wasm synchronously from the file beside this one, so
// `import { matrix } from "huntkit"` works with no init call.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";

initSync(readFileSync(new URL("./wasm/huntkit_bg.wasm", import.meta.url)));

export * from "./index.js";
