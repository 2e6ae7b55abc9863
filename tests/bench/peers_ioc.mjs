// IoC extraction side by side in Node: huntkit's `extractIocs` (wasm) against the npm
// `ioc-extractor` on the same text, timed (best of 5 after a warm-up, a forced GC before each
// run), with each library's distinct values per type scored against the indicators the text
// generator planted (tests/bench/ioc_text.py, TRUTH; URLs compared percent-decoded). Prints a
// table.
//   node --expose-gc tests/bench/peers_ioc.mjs TEXT TRUTH_JSON
import { readFileSync } from "node:fs";
import { extractIocs } from "../../npm/dist/node.js";
import { extractIOC } from "./peers/node_modules/ioc-extractor/dist/index.mjs";

const [textPath, truthPath] = process.argv.slice(2);
const text = readFileSync(textPath, "utf8");
const truth = JSON.parse(readFileSync(truthPath, "utf8"));

/** The types both report, by the scoring's name: huntkit's type and ioc-extractor's key. */
const TYPES = {
  ipv4: ["ipv4", "ipv4s"],
  domain: ["dns", "domains"],
  url: ["url", "urls"],
  email: ["email", "emails"],
  md5: ["md5_hash", "md5s"],
  sha256: ["sha256_hash", "sha256s"],
  cve: ["cve", "cves"],
};

function best(run) {
  run();
  let best = Infinity;
  let out;
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    out = run();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, out };
}

const huntkit = best(() => extractIocs(text));
const peer = best(() => extractIOC(text, { refang: true }));

/** URLs compared percent-decoded (one indicator however its query is encoded). */
const norm = (type, v) => {
  if (type !== "url") return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};
const setsHuntkit = {};
for (const m of huntkit.out) (setsHuntkit[m.type] ??= new Set()).add(m.value);
const score = (found, want) => {
  const hit = [...found].filter((v) => want.has(v)).length;
  return { found: found.size, precision: found.size ? hit / found.size : 1, recall: want.size ? hit / want.size : 1 };
};
const pct = (x) => `${(100 * x).toFixed(1)} %`;
console.log(`text: ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`| library | time | MB/s |`);
console.log(`|---|---:|---:|`);
for (const [name, r] of [["huntkit `extractIocs` (wasm)", huntkit], ["ioc-extractor 8.2.0 `extractIOC`", peer]]) {
  console.log(`| ${name} | ${r.ms.toFixed(0)} ms | ${(text.length / 1e6 / (r.ms / 1000)).toFixed(1)} |`);
}
console.log(`\nspeed: huntkit ${(peer.ms / huntkit.ms).toFixed(1)}× ioc-extractor\n`);
console.log(`| type | planted | huntkit found | precision | recall | ioc-extractor found | precision | recall |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
const totals = { h: [0, 0, 0], p: [0, 0, 0] };
for (const [type, [hk, pk]] of Object.entries(TYPES)) {
  const want = new Set(truth[type].map((v) => norm(type, v)));
  const h = score(new Set([...(setsHuntkit[hk] ?? [])].map((v) => norm(type, v))), want);
  const p = score(new Set(peer.out[pk].map((v) => norm(type, v))), want);
  console.log(`| ${type} | ${want.size} | ${h.found} | ${pct(h.precision)} | ${pct(h.recall)} | ${p.found} | ${pct(p.precision)} | ${pct(p.recall)} |`);
  for (const [k, s] of [["h", h], ["p", p]]) {
    totals[k][0] += s.found;
    totals[k][1] += s.precision * s.found;
    totals[k][2] += s.recall * want.size;
  }
}
const planted = Object.keys(TYPES).reduce((n, t) => n + new Set(truth[t].map((v) => norm(t, v))).size, 0);
const row = ([found, hits, rec]) => `${found} | ${pct(hits / found)} | ${pct(rec / planted)}`;
console.log(`| all | ${planted} | ${row(totals.h)} | ${row(totals.p)} |`);
