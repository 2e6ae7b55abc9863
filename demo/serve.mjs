// Serves the repository root on 127.0.0.1 so /demo/ can import /npm/dist/ (the built package),
// and the mock Azure APIs under /mock-azure/ for the Azure page's sample mode.
// Usage: node demo/serve.mjs [port]   (port 0 = any free port). Prints the demo URL.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { createMockAzure } from "../tests/mock-azure/server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
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
};

export function startServer(port = 8080) {
  const mock = createMockAzure({ prefix: "/mock-azure" });
  const server = createServer(async (req, res) => {
    if (req.url.startsWith("/mock-azure/")) {
      req.url = req.url.slice("/mock-azure".length);
      return mock.handler(req, res);
    }
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root) || file.split(sep).includes("node_modules")) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startServer(Number(process.argv[2] ?? process.env.PORT ?? 8080));
  console.log(`huntkit demo: http://127.0.0.1:${server.address().port}/demo/`);
}
