// A mock of the Azure APIs huntkit calls, for tests: a real HTTP server on 127.0.0.1 that
// speaks the JSON shapes of Log Analytics, Resource Graph, Microsoft Sentinel, Graph and
// Defender hunting and Key Vault (../../../shared/reference/azure.md §2), with CORS headers
// (Key Vault excepted, as in Azure), a bearer-token audience check per API and per cloud,
// paging, throttling, partial results and error bodies.
//
// Every cloud's hosts are stood in for by a path prefix: `/{cloud}/{api}/…` with cloud
// `global`, `usgov` or `cn` and api `arm`, `la`, `graph`, `mde` or `kv`. Point a client at it
// with `endpointsFor(base, cloud)`. Tokens are unsigned JWTs (`fakeToken(aud)`); a token whose
// claims hold `stale: true` is refused with 401, as an expired one would be.
//
// Scenarios are picked by the query text: `throttle` (429 + Retry-After: 1, once),
// `throttle-ms` (429 + x-ms-retry-after-ms: 50, once), `throttle-date` (429 + Retry-After as an
// HTTP date 1–2 s ahead, once), `busy` (503 with no hint, twice),
// `partial` (PartialError with tables), `syntax error` (400 with a OneAPI error), `echo-token`
// (an error that repeats the Authorization header), `slow` (answers after 5 s), `print` (one
// row of every column type), and process events (`SecurityEvent`, from win_proc_test).
//
//   node tests/mock-azure/server.mjs [port]   runs it on its own.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const AUDIENCES = {
  global: {
    arm: "https://management.azure.com",
    la: "https://api.loganalytics.io",
    graph: "https://graph.microsoft.com",
    mde: "https://api.securitycenter.microsoft.com",
    kv: "https://vault.azure.net",
  },
  usgov: {
    arm: "https://management.usgovcloudapi.net",
    la: "https://api.loganalytics.us",
    graph: "https://graph.microsoft.us",
    mde: "https://api-gov.securitycenter.microsoft.us",
    kv: "https://vault.usgovcloudapi.net",
  },
  cn: {
    arm: "https://management.chinacloudapi.cn",
    la: "https://api.loganalytics.azure.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    mde: "https://api.securitycenter.microsoft.com",
    kv: "https://vault.azure.cn",
  },
};

/** The `endpoints` option that points a client of `cloud` at the mock. */
export function endpointsFor(base, cloud) {
  return {
    resourceManager: `${base}/${cloud}/arm/`,
    logAnalytics: `${base}/${cloud}/la/`,
    microsoftGraph: `${base}/${cloud}/graph/`,
    defender: `${base}/${cloud}/mde/`,
  };
}

const b64url = (s) => Buffer.from(s).toString("base64url");

/** An unsigned JWT for `aud` (valid for an hour), with extra claims. */
export function fakeToken(aud, extra = {}) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return [b64url('{"alg":"none","typ":"JWT"}'), b64url(JSON.stringify({ aud, exp, ...extra })), "sig"].join(".");
}

function claimsOf(header) {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  if (!m) return null;
  try {
    return JSON.parse(Buffer.from(m[1].split(".")[1] ?? "", "base64url").toString());
  } catch {
    return null;
  }
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, content-type, prefer, accept",
  "access-control-allow-methods": "GET, POST, PUT, DELETE",
  "access-control-expose-headers": "retry-after, x-ms-retry-after-ms, x-ms-request-id",
  "access-control-max-age": "600",
};

/** win_proc_test as a Log Analytics result table (made by make_la_json.mjs). */
function processEvents() {
  return JSON.parse(readFileSync(new URL("./win_proc_test.la.json", import.meta.url), "utf8"));
}

const PRINT = {
  name: "PrimaryResult",
  columns: [
    { name: "when", type: "datetime" },
    { name: "count", type: "long" },
    { name: "small", type: "int" },
    { name: "ratio", type: "real" },
    { name: "ok", type: "bool" },
    { name: "bag", type: "dynamic" },
    { name: "text", type: "string" },
    { name: "id", type: "guid" },
    { name: "span", type: "timespan" },
    { name: "money", type: "decimal" },
  ],
  rows: [
    ["2024-05-01T10:00:00.1234567Z", 1234567890123, 7, 0.25, true, '{"a":[1,2]}', "héllo", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "01:02:03", "12.50"],
    [null, null, null, "NaN", false, null, null, null, null, null],
  ],
};

function incidents(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: `/subscriptions/sub-1/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights/Incidents/inc-${i + 1}`,
    name: `inc-${i + 1}`,
    etag: `"${i}"`,
    type: "Microsoft.SecurityInsights/Incidents",
    properties: { title: `Incident ${i + 1}`, severity: i % 2 ? "Medium" : "High", incidentNumber: i + 1, labels: [] },
  }));
}

/**
 * The mock's request handler (for a server of your own, e.g. the demo's under `/mock-azure`:
 * `prefix` is that path, used in the `nextLink`s it writes) and its request `log`.
 */
export function createMockAzure({ prefix = "" } = {}) {
  const log = [];
  const seen = new Map(); // scenario → times seen
  const once = (key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };
  let events = null;
  const handler = async (req, res) => {
    const url = new URL(req.url, "http://x");
    const [, cloud, api, ...rest] = url.pathname.split("/");
    const path = rest.join("/");
    const cors = api === "kv" ? {} : CORS;
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...cors, ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const error = (status, code, message, extra = {}, headers = {}) =>
      send(status, { error: { code, message, ...extra } }, { "x-ms-request-id": `req-${log.length}`, ...headers });
    if (req.method === "OPTIONS") {
      if (api === "kv") return res.writeHead(404).end();
      return send(204);
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : null;
    const claims = claimsOf(req.headers.authorization);
    const entry = {
      method: req.method,
      cloud,
      api,
      path,
      search: url.search,
      audience: claims?.aud ?? null,
      prefer: req.headers.prefer ?? null,
      body,
    };
    log.push(entry);
    const expected = AUDIENCES[cloud]?.[api];
    if (!expected) return error(404, "NotFound", `no API at /${cloud}/${api}`);
    if (!claims) return error(401, "AuthenticationFailed", "Authentication failed: no bearer token.");
    if (claims.aud !== expected) {
      return error(401, "InvalidAuthenticationTokenAudience", `The access token has the wrong audience '${claims.aud}'; this API needs '${expected}'.`);
    }
    if (claims.stale) return error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");

    const query = body?.query ?? body?.Query ?? "";
    if (query.includes("slow")) await new Promise((r) => setTimeout(r, 5000));
    if (query.includes("throttle-ms") && once(`${cloud}:${query}`) === 1) {
      return error(429, "TooManyRequests", "Rate limit.", {}, { "x-ms-retry-after-ms": "50" });
    }
    if (query.includes("throttle-date") && once(`${cloud}:${query}`) === 1) {
      // An HTTP date in whole seconds, 1–2 s ahead.
      const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000).toUTCString();
      return error(429, "TooManyRequests", "Rate limit.", {}, { "retry-after": at });
    }
    if (query.includes("throttle") && !/throttle-(ms|date)/.test(query) && once(`${cloud}:${query}`) === 1) {
      return error(429, "TooManyRequests", "Rate limit; retry after 1 s.", {}, { "retry-after": "1" });
    }
    if (query.includes("busy") && once(`${cloud}:${query}`) <= 2) return error(503, "ServiceUnavailable", "The service is busy.");
    if (query.includes("echo-token")) return error(400, "BadRequest", `Bad request with header ${req.headers.authorization}`);

    if (api === "la" && /^v1\/workspaces\/[^/]+\/query$/.test(path) && req.method === "POST") {
      if (query.includes("syntax error")) {
        return error(400, "BadArgumentError", "The request had some invalid properties", {
          correlationId: "corr-42",
          innererror: { code: "SyntaxError", message: "A recognition error occurred in the query.", innererror: { code: "SYN0002", message: "Query could not be parsed at 'error' on line [1,7]" } },
        });
      }
      if (query.includes("partial")) {
        return send(200, {
          tables: [PRINT],
          error: { code: "PartialError", message: "There were some errors when processing your query.", details: [{ code: "EngineError", message: "Query exceeded the memory limit." }] },
        });
      }
      if (query.includes("SecurityEvent")) {
        events ??= processEvents();
        return send(200, { tables: [events] });
      }
      return send(200, { tables: [PRINT] });
    }
    if (api === "arm" && path === "providers/Microsoft.ResourceGraph/resources" && req.method === "POST") {
      const all = Array.from({ length: 5 }, (_, i) => ({ id: `/subscriptions/sub-1/vm${i}`, name: `vm${i}`, type: "microsoft.compute/virtualmachines", properties: { vmSize: i % 2 ? "B2s" : "D4s" } }));
      const start = Number(body?.options?.$skipToken ?? 0);
      const size = Math.min(2, body?.options?.$top ?? 1000);
      const data = all.slice(start, start + size);
      const next = start + size < all.length ? { $skipToken: String(start + size) } : {};
      return send(200, { totalRecords: all.length, count: data.length, resultTruncated: "false", data, ...next });
    }
    const ws = /^subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/(.+)$/.exec(path);
    if (api === "arm" && ws) {
      const what = ws[4];
      const base = `http://${req.headers.host}${prefix}/${cloud}/arm/${path}`;
      const list = (items) => {
        const top = Number(url.searchParams.get("$top") ?? 2);
        const skip = Number(url.searchParams.get("$skipToken") ?? 0);
        const page = items.slice(skip, skip + top);
        const next = skip + top < items.length ? { nextLink: `${base}?api-version=${url.searchParams.get("api-version")}&$top=${top}&$skipToken=${skip + top}` } : {};
        return send(200, { value: page, ...next });
      };
      if (what === "incidents" && req.method === "GET") return list(incidents(5));
      const one = /^incidents\/([^/]+)(?:\/(entities|alerts|comments))?$/.exec(what);
      if (one) {
        const found = incidents(5).find((i) => i.name === one[1]);
        if (!found) return error(404, "NotFound", `Incident ${one[1]} not found`);
        if (!one[2] && req.method === "GET") return send(200, found);
        if (one[2] === "entities" && req.method === "POST") {
          return send(200, {
            entities: [
              { kind: "Ip", properties: { address: "10.1.2.3", friendlyName: "10.1.2.3" } },
              { kind: "Host", properties: { hostName: "ws1", friendlyName: "ws1" } },
            ],
            metaData: [],
          });
        }
        if (one[2] === "alerts" && req.method === "POST") {
          return send(200, { value: [{ name: "a1", properties: { systemAlertId: "a1", alertDisplayName: "Suspicious PowerShell", severity: "High" } }] });
        }
        if (one[2] === "comments" && req.method === "GET") {
          return list([{ name: "c1", properties: { message: "Looking into it", author: { name: "analyst" } } }]);
        }
      }
      if (what === "bookmarks") return list([{ name: "b1", properties: { displayName: "Odd logon", query: "SigninLogs" } }]);
      if (what === "watchlists") return list([{ name: "vip", properties: { watchlistAlias: "vip", displayName: "VIP users" } }]);
      if (what === "watchlists/vip/watchlistItems") {
        return list([1, 2, 3].map((i) => ({ name: `item${i}`, properties: { itemsKeyValue: { User: `user${i}@contoso.com` } } })));
      }
      if (what === "alertRules") return list([{ name: "r1", kind: "Scheduled", properties: { displayName: "Rare process", enabled: true } }]);
      return error(404, "NotFound", `no Sentinel resource ${what}`);
    }
    if (api === "graph" && path === "v1.0/security/runHuntingQuery" && req.method === "POST") {
      return send(200, {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults",
        schema: [
          { name: "Timestamp", type: "DateTime" },
          { name: "DeviceName", type: "String" },
          { name: "ProcessId", type: "Int64" },
        ],
        results: [
          { Timestamp: "2024-05-01T10:00:00Z", DeviceName: "ws1", ProcessId: 4242 },
          { Timestamp: "2024-05-01T10:00:05Z", DeviceName: "ws2", ProcessId: 4343 },
        ],
      });
    }
    if (api === "mde" && path === "api/advancedqueries/run" && req.method === "POST") {
      return send(200, {
        Stats: { ExecutionTime: 0.1 },
        Schema: [
          { Name: "DeviceId", Type: "String" },
          { Name: "Onboarded", Type: "Boolean" },
        ],
        Results: [{ DeviceId: "d1", Onboarded: true }],
      });
    }
    if (api === "kv" && /^[^/]+\/secrets\//.test(path)) {
      return send(200, { value: "s3cret", id: `https://x.vault.azure.net/${path}`, attributes: { enabled: true } });
    }
    return error(404, "NotFound", `no route ${req.method} /${cloud}/${api}/${path}`);
  };
  return { handler, log };
}

/** Starts the mock; resolves to `{ url, log, close }`. `log` lists every request seen. */
export function startMockAzure(port = 0) {
  const { handler, log } = createMockAzure();
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startMockAzure(Number(process.argv[2] ?? 8090));
  console.log(`mock Azure: ${url}/{global,usgov,cn}/{arm,la,graph,mde,kv}/`);
}
