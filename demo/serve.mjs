// Serves the repository root on 127.0.0.1 so /demo/ can import /npm/dist/ (the built package),
// the built sites (the JupyterLite site at /lite/, the Observable notebook at /observable/, the
// dashboard example at /dashboard/),
// and the mock Azure APIs under /mock-azure/ for the Azure page and the notebooks, with a mock
// sign-in authority over TLS on a second port (`/mock-azure/info` says where).
// Usage: node demo/serve.mjs [port]   (port 0 = any free port). Prints the demo URL.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { startMockAuthority } from "./mock-azure/authority.mjs";
import { createMockAzure, endpointsFor } from "./mock-azure/server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Built sites served under a path of their own (each built by a build.sh under demo/). */
const mounts = {
  "/lite/": fileURLToPath(new URL("../target/jupyterlite/site/", import.meta.url)),
  "/observable/": fileURLToPath(new URL("../target/observable/", import.meta.url)),
  "/dashboard/": fileURLToPath(new URL("../target/dashboard/", import.meta.url)),
};
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".csv": "text/csv",
  ".ts": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ipynb": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".zip": "application/zip",
};

/** The strict policy the demo pages are held to (tests/e2e/csp.test.mjs): no inline scripts or styles. */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/**
 * Serves the demo on 127.0.0.1:`port`; resolves to the HTTP server, with `authority` (the mock
 * sign-in authority: `{ url, log }`) and `mock` (the mock APIs' request `log`). `close()` stops both.
 * `csp`: a Content-Security-Policy header for every file served (e.g. {@link STRICT_CSP}).
 */
export async function startServer(port = 8080, authorityPort = 0, { csp } = {}) {
  const mock = createMockAzure({ prefix: "/mock-azure" });
  const authority = await startMockAuthority(authorityPort);
  const server = createServer(async (req, res) => {
    if (req.url === "/mock-azure/info") {
      const base = `http://${req.headers.host}/mock-azure`;
      const clouds = ["global", "usgov", "cn"];
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      return res.end(JSON.stringify({ authority: authority.url, endpoints: Object.fromEntries(clouds.map((c) => [c, endpointsFor(base, c)])) }));
    }
    if (req.url.startsWith("/mock-azure/")) {
      req.url = req.url.slice("/mock-azure".length);
      return mock.handler(req, res);
    }
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      const mount = Object.keys(mounts).find((m) => path === m.slice(0, -1) || path.startsWith(m));
      const base = mount ? mounts[mount] : root;
      let file = normalize(join(base, mount ? path.slice(mount.length - 1) : path));
      if (!file.startsWith(base) || (base === root && file.split(sep).includes("node_modules"))) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...(csp ? { "content-security-policy": csp } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  server.authority = authority;
  server.mock = mock;
  const close = server.close.bind(server);
  server.close = (done) => {
    authority.close();
    return close(done);
  };
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const server = await startServer(port, port ? port + 1 : 0);
  const at = `http://127.0.0.1:${server.address().port}`;
  console.log(`huntkit demo: ${at}/demo/`);
  console.log(`JupyterLite:  ${at}/lite/lab/index.html`);
  console.log(`Observable:   ${at}/observable/`);
  console.log(`dashboard:    ${at}/dashboard/`);
  console.log(`mock sign-in: ${server.authority.url}/ (a local test certificate: open it once and accept it to sign in from the notebooks)`);
}
