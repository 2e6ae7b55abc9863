// The TypeScript declarations cannot drift from the options the wasm accepts: each options
// interface of the published .d.ts has exactly the keys the Rust core declares for it (plus the
// ones only the JS half reads).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import ts from "typescript";
import { initSync, optionKeys } from "../../npm/dist/wasm/huntkit.js";
import { JS_ONLY } from "../../npm/dist/plot.js";

const dist = new URL("../../npm/dist/", import.meta.url).pathname;
initSync({ module: readFileSync(`${dist}wasm/huntkit_bg.wasm`) });

/** Every interface of the published declarations with its property names (inherited too). */
function declaredInterfaces() {
  const files = readdirSync(dist).filter((f) => f.endsWith(".d.ts")).map((f) => dist + f);
  const program = ts.createProgram(files, { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map();
  for (const file of files) {
    ts.forEachChild(program.getSourceFile(file), function visit(node) {
      if (ts.isInterfaceDeclaration(node)) {
        const type = checker.getTypeAtLocation(node);
        out.set(node.name.text, checker.getPropertiesOfType(type).map((p) => p.name).sort());
      }
      ts.forEachChild(node, visit);
    });
  }
  return out;
}

test("every options interface has the keys the wasm takes, and the wasm takes every declared key", () => {
  const declared = declaredInterfaces();
  const accepted = optionKeys();
  assert.ok(Object.keys(accepted).length >= 19, "the wasm lists its options interfaces");
  for (const [name, keys] of Object.entries(accepted)) {
    const dts = declared.get(name);
    assert.ok(dts, `index.d.ts declares ${name}`);
    const missing = keys.filter((k) => !dts.includes(k));
    assert.deepEqual(missing, [], `${name}: keys the wasm takes but the .d.ts does not declare`);
    const unknown = dts.filter((k) => !keys.includes(k) && !JS_ONLY.includes(k));
    assert.deepEqual(unknown, [], `${name}: declared keys the wasm would refuse`);
  }
});

test("the check catches drift: a declared key the wasm does not know is reported", () => {
  const accepted = optionKeys();
  const dts = [...accepted.MatrixOptions, "logScale"];
  assert.deepEqual(dts.filter((k) => !accepted.MatrixOptions.includes(k)), ["logScale"]);
  assert.ok(accepted.PlotMatrixOptions.includes("minRadius"));
  assert.ok(!accepted.MatrixOptions.includes("minRadius"), "matrix() alone refuses plot keys");
});
