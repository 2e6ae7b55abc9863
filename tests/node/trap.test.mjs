// A trap in the wasm (an out-of-memory abort the estimates missed, or a bug) leaves the module
// unusable: the call fails with `wasm-trap`, and every later one with `wasm-stopped`, instead of
// an opaque `RuntimeError: unreachable` and then whatever the broken module does. (Its own file:
// node --test runs each file in its own process, and this one stops the module for good.)
import { test } from "node:test";
import assert from "node:assert/strict";

import * as huntkit from "huntkit";

test("a trap stops huntkit with errors that say so", () => {
  assert.equal(huntkit.matrix([{ a: "x", b: "y" }], { x: "a", y: "b" }).cells.length, 1);
  // A real trap cannot be provoked on purpose (that is what the memory checks are for), so the
  // wasm is handed one from a callback it makes: a result table's `toArrow()`.
  const trapping = { toArrow: () => { throw new WebAssembly.RuntimeError("unreachable"); } };
  assert.throws(
    () => huntkit.matrix(trapping, { x: "a", y: "b" }),
    (e) => e.name === "HuntkitError" && e.code === "wasm-trap" && /^huntkit's wasm module stopped: unreachable \(out of memory, or a bug/.test(e.message) && e.cause instanceof WebAssembly.RuntimeError,
  );
  for (const call of [
    () => huntkit.matrix([{ a: "x", b: "y" }], { x: "a", y: "b" }),
    () => huntkit.extractIocs("10.0.0.1"),
    () => huntkit.buildProcessTree([]),
    () => huntkit.memoryUsage(),
  ]) {
    assert.throws(call, (e) => e.code === "wasm-stopped" && /stopped in an earlier call \(unreachable\) and cannot be used again: reload the page/.test(e.message));
  }
});
