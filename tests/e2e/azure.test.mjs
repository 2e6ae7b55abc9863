// AzureClient in headless Chromium against the mock Azure APIs (demo/mock-azure), served on
// another origin than the page so every call goes through CORS as it would to Azure.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { openDemo, shots } from "./browser.mjs";
import { startMockAzure } from "../../demo/mock-azure/server.mjs";

let demo, mock;
before(async () => {
  mock = await startMockAzure();
  demo = await openDemo("/demo/azure.html");
});
after(async () => {
  await demo?.close();
  await mock?.close();
});

/** Runs `fn({ hk, fakeToken, endpointsFor, base }, arg)` in the page; returns its result. */
function inPage(fn, arg) {
  return demo.page.evaluate(
    async ({ src, arg, base }) => {
      const hk = await import("/npm/dist/index.js");
      const b64 = (s) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
      const fakeToken = (aud, extra = {}) =>
        `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ aud, exp: Math.floor(Date.now() / 1000) + 3600, ...extra }))}.sig`;
      const endpointsFor = (cloud) => ({
        resourceManager: `${base}/${cloud}/arm/`,
        logAnalytics: `${base}/${cloud}/la/`,
        microsoftGraph: `${base}/${cloud}/graph/`,
        defender: `${base}/${cloud}/mde/`,
      });
      const fn = (0, eval)(`(${src})`);
      return fn({ hk, fakeToken, endpointsFor, base }, arg);
    },
    { src: fn.toString(), arg, base: mock.url },
  );
}

const since = (n) => mock.log.slice(n);

test("each cloud: endpoints, token scopes and audiences", async () => {
  const expected = {
    global: ["https://api.loganalytics.io", "https://management.azure.com", "https://graph.microsoft.com", "https://login.microsoftonline.com"],
    usgov: ["https://api.loganalytics.us", "https://management.usgovcloudapi.net", "https://graph.microsoft.us", "https://login.microsoftonline.us"],
    cn: ["https://api.loganalytics.azure.cn", "https://management.chinacloudapi.cn", "https://api.securitycenter.microsoft.com", "https://login.chinacloudapi.cn"],
  };
  for (const [cloud, [la, arm, hunt, login]] of Object.entries(expected)) {
    const n = mock.log.length;
    const out = await inPage(async ({ hk, fakeToken, endpointsFor }, cloud) => {
      const scopes = [];
      const az = new hk.AzureClient({
        cloud,
        workspaceId: "ws-1",
        endpoints: endpointsFor(cloud),
        getToken: (scope) => {
          scopes.push(scope);
          return fakeToken(scope.replace(/\/\.default$/, ""));
        },
      });
      const la = await az.logAnalytics.query("print");
      const arg = await az.resourceGraph.query("Resources | project name");
      const hunt = await az.hunting.query("DeviceInfo | take 2");
      await az.logAnalytics.query("print"); // the cached token is reused
      return { scopes, authority: az.authority, rows: [la.table.numRows, arg.table.numRows, hunt.table.numRows] };
    }, cloud);
    assert.deepEqual(out.scopes, [`${la}/.default`, `${arm}/.default`, `${hunt}/.default`], cloud);
    assert.equal(out.authority, login);
    assert.deepEqual(out.rows, [2, 5, cloud === "cn" ? 1 : 2]);
    const seen = since(n);
    assert.ok(seen.every((e) => e.cloud === cloud));
    assert.deepEqual(
      seen.map((e) => `${e.api} ${e.audience}`),
      [`la ${la}`, `arm ${arm}`, `arm ${arm}`, `arm ${arm}`, `${cloud === "cn" ? "mde" : "graph"} ${hunt}`, `la ${la}`],
    );
  }
});

test("Log Analytics: request shape and typed columns", async () => {
  const n = mock.log.length;
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({ cloud: "global", endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const r = await az.logAnalytics.query("print", {
      workspaceId: "w 1",
      timespan: { start: new Date("2024-05-01T00:00:00Z"), end: "2024-05-02T00:00:00Z" },
      additionalWorkspaces: ["w2"],
      serverTimeout: 60,
    });
    const rows = r.table.toRows();
    return {
      names: r.tables.map((t) => t.name),
      columns: r.table.columns,
      first: { ...rows[0], when: rows[0].when.toISOString(), count: String(rows[0].count) },
      second: rows[1],
    };
  });
  const entry = since(n)[0];
  assert.equal(entry.path, "v1/workspaces/w%201/query");
  assert.deepEqual(entry.body, { query: "print", timespan: "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00Z", workspaces: ["w2"] });
  assert.equal(entry.prefer, "wait=60");
  assert.deepEqual(out.names, ["PrimaryResult"]);
  assert.deepEqual(
    out.columns.map((c) => `${c.name}:${c.type}`),
    ["when:Timestamp(ns, \"UTC\")", "count:Int64", "small:Int32", "ratio:Float64", "ok:Boolean", "bag:Utf8", "text:Utf8", "id:Utf8", "span:Utf8", "money:Utf8"],
  );
  assert.deepEqual(out.first, {
    when: "2024-05-01T10:00:00.123Z",
    count: "1234567890123",
    small: 7,
    ratio: 0.25,
    ok: true,
    bag: '{"a":[1,2]}',
    text: "héllo",
    id: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
    span: "01:02:03",
    money: "12.50",
  });
  assert.deepEqual(out.second, { when: null, count: null, small: null, ratio: null, ok: false, bag: null, text: null, id: null, span: null, money: null });
});

test("paging to the end: Resource Graph $skipToken and Sentinel nextLink, with limits", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({
      endpoints: endpointsFor("global"),
      workspace: { subscriptionId: "sub-1", resourceGroup: "soc-rg", workspaceName: "soc-ws" },
      getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")),
    });
    const all = await az.resourceGraph.query("Resources", { subscriptions: ["sub-1"] });
    const some = await az.resourceGraph.query("Resources", { limit: 3 });
    const inc = await az.sentinel.incidents({ top: 2, orderBy: "properties/createdTimeUtc desc" });
    const inc3 = await az.sentinel.incidents({ top: 2, limit: 3 });
    const names = (r) => r.table.toRows().map((x) => x.name);
    return {
      all: [all.pages, names(all)],
      some: [some.pages, names(some)],
      inc: [inc.pages, inc.requests, names(inc), inc.table.toRows()[0]["properties.title"]],
      inc3: [inc3.pages, names(inc3)],
    };
  });
  assert.deepEqual(out.all, [3, ["vm0", "vm1", "vm2", "vm3", "vm4"]]);
  assert.deepEqual(out.some, [2, ["vm0", "vm1", "vm2"]]);
  assert.deepEqual(out.inc, [3, 3, ["inc-1", "inc-2", "inc-3", "inc-4", "inc-5"], "Incident 1"]);
  assert.deepEqual(out.inc3, [2, ["inc-1", "inc-2", "inc-3"]]);
  const incidents = mock.log.filter((e) => e.path.endsWith("/incidents"));
  assert.equal(incidents[0].search, "?api-version=2025-06-01&$orderby=properties%2FcreatedTimeUtc%20desc&$top=2");
  assert.equal(incidents[1].search, "?api-version=2025-06-01&$top=2&$skipToken=2");
});

test("retries: Retry-After in seconds and as an HTTP date, x-ms-retry-after-ms, backoff, bounded attempts", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const make = (retry) =>
      new hk.AzureClient({ workspaceId: "w", retry, endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const t0 = performance.now();
    const a = await make().logAnalytics.query("throttle 1");
    const waited = performance.now() - t0;
    const b = await make().logAnalytics.query("throttle-ms 1");
    const t1 = performance.now();
    const dated = await make().logAnalytics.query("throttle-date 1");
    const waitedDate = performance.now() - t1;
    const c = await make({ baseDelayMs: 20 }).logAnalytics.query("busy 1");
    let d;
    try {
      await make({ baseDelayMs: 20, maxAttempts: 2 }).logAnalytics.query("busy 2");
    } catch (e) {
      d = { code: e.code, status: e.status, message: e.message };
    }
    return { a: a.requests, waited, b: b.requests, dated: dated.requests, waitedDate, c: c.requests, d };
  });
  assert.equal(out.a, 2);
  assert.ok(out.waited >= 950, `waited ${out.waited} ms for Retry-After: 1`);
  assert.equal(out.b, 2);
  assert.equal(out.dated, 2);
  assert.ok(out.waitedDate >= 900 && out.waitedDate < 2600, `waited ${out.waitedDate} ms for a Retry-After date 1–2 s ahead`);
  assert.equal(out.c, 3);
  assert.deepEqual(out.d, { code: "http", status: 503, message: `Log Analytics: HTTP 503 ServiceUnavailable: The service is busy. (request id req-${out.d.message.match(/req-(\d+)/)[1]})` });
});

test("one silent token refresh on 401, then the error", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const calls = [];
    const az = new hk.AzureClient({
      workspaceId: "w",
      endpoints: endpointsFor("global"),
      getToken: async (scope, { forceRefresh }) => {
        calls.push(forceRefresh);
        return { accessToken: fakeToken(scope.replace(/\/\.default$/, ""), { stale: !forceRefresh }) };
      },
    });
    const ok = await az.logAnalytics.query("print");
    const stale = new hk.AzureClient({
      workspaceId: "w",
      endpoints: endpointsFor("global"),
      getToken: (scope) => fakeToken(scope.replace(/\/\.default$/, ""), { stale: true }),
    });
    let err;
    try {
      await stale.logAnalytics.query("print");
    } catch (e) {
      err = { code: e.code, status: e.status, azureCode: e.azureCode };
    }
    return { calls, requests: ok.requests, err };
  });
  assert.deepEqual(out.calls, [false, true]);
  assert.equal(out.requests, 2);
  assert.deepEqual(out.err, { code: "http", status: 401, azureCode: "ExpiredAuthenticationToken" });
});

test("Azure error bodies become JS Errors with status, code and request id, never the token", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const token = fakeToken("https://api.loganalytics.io");
    const az = new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: () => token });
    const fail = async (p) => {
      try {
        await p;
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, status: e.status, azureCode: e.azureCode, requestId: e.requestId, message: e.message };
      }
    };
    const syntax = await fail(az.logAnalytics.query("syntax error"));
    const echo = await fail(az.logAnalytics.query("echo-token"));
    const wrong = await fail(
      new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: () => fakeToken("https://management.azure.com") }).logAnalytics.query("print"),
    );
    const badOption = await fail(az.logAnalytics.query("print", { timspan: "P1D" }));
    const noWorkspace = await fail(new hk.AzureClient({ getToken: () => token }).logAnalytics.query("print"));
    return { syntax, echo, leaked: echo.message.includes(token), wrong, badOption, noWorkspace };
  });
  assert.deepEqual(out.syntax, {
    name: "HuntkitError",
    code: "http",
    status: 400,
    azureCode: "BadArgumentError",
    requestId: "corr-42",
    message:
      "Log Analytics: HTTP 400 BadArgumentError: The request had some invalid properties — SyntaxError: A recognition error occurred in the query. — SYN0002: Query could not be parsed at 'error' on line [1,7] (request id corr-42)",
  });
  assert.equal(out.leaked, false);
  assert.match(out.echo.message, /^Log Analytics: HTTP 400 BadRequest: Bad request with header Bearer \[token\] \(request id req-\d+\)$/);
  assert.equal(out.wrong.status, 401);
  assert.equal(out.wrong.azureCode, "InvalidAuthenticationTokenAudience");
  assert.equal(out.badOption.message, "option `options`: unknown option `timspan`; did you mean `timespan`?");
  assert.equal(out.noWorkspace.message, "option `workspaceId`: no workspace: pass `workspaceId` or create the client with one");
});

test("partial results: a warning with the tables, or an error when asked", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const r = await az.logAnalytics.query("partial");
    let err;
    try {
      await az.logAnalytics.query("partial", { failOnPartial: true });
    } catch (e) {
      err = { status: e.status, azureCode: e.azureCode };
    }
    return { rows: r.table.numRows, warnings: r.warnings, err };
  });
  assert.equal(out.rows, 2);
  assert.deepEqual(out.warnings, [
    "partial result (possibly a timeout): Log Analytics: HTTP 200 PartialError: There were some errors when processing your query. — details: EngineError: Query exceeded the memory limit.; the tables hold what came back",
  ]);
  assert.deepEqual(out.err, { status: 200, azureCode: "PartialError" });
});

test("cancellation and timeouts", async () => {
  const n = mock.log.length;
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const fail = async (p) => {
      const t0 = performance.now();
      try {
        await p;
        return null;
      } catch (e) {
        return { code: e.code, message: e.message, ms: performance.now() - t0 };
      }
    };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 150);
    const cancelled = await fail(az.logAnalytics.query("slow", { signal: ctl.signal }));
    const timedOut = await fail(az.logAnalytics.query("slow", { timeout: 0.3 }));
    const early = new AbortController();
    early.abort();
    const before = await fail(az.resourceGraph.query("Resources", { signal: early.signal }));
    // A throttled call cancelled during its Retry-After wait.
    const ctl2 = new AbortController();
    setTimeout(() => ctl2.abort(), 300);
    const sleeping = await fail(az.logAnalytics.query("throttle 2", { signal: ctl2.signal }));
    return { cancelled, timedOut, before, sleeping };
  });
  assert.equal(out.cancelled.code, "cancelled");
  assert.equal(out.cancelled.message, "the call was cancelled");
  assert.ok(out.cancelled.ms < 2000, `${out.cancelled.ms} ms`);
  assert.equal(out.timedOut.code, "timeout");
  assert.equal(out.timedOut.message, "Log Analytics: no answer within 0.3 s (the call timed out)");
  assert.ok(out.timedOut.ms < 2000);
  assert.equal(out.before.code, "cancelled");
  assert.equal(out.sleeping.code, "cancelled");
  assert.ok(out.sleeping.ms < 900, `${out.sleeping.ms} ms`);
  assert.equal(since(n).filter((e) => e.api === "arm").length, 0, "an aborted call sends nothing");
});

test("Sentinel: incident, entities, alerts, comments, bookmarks, watchlists, rules", async () => {
  const n = mock.log.length;
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({
      endpoints: endpointsFor("global"),
      workspace: { subscriptionId: "sub-1", resourceGroup: "soc-rg", workspaceName: "soc-ws" },
      sentinelApiVersion: "2024-09-01",
      getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")),
    });
    const col = (r, c) => r.table.toRows().map((x) => x[c]);
    const s = az.sentinel;
    const incident = await s.incident("inc-2");
    let missing;
    try {
      await new hk.AzureClient({ getToken: () => "x" }).sentinel.bookmarks();
    } catch (e) {
      missing = e.message;
    }
    return {
      incident: [incident.json.properties.title, col(incident, "properties.severity")],
      entities: col(await s.incidentEntities("inc-2"), "kind"),
      alerts: col(await s.incidentAlerts("inc-2"), "properties.alertDisplayName"),
      comments: col(await s.incidentComments("inc-2"), "properties.author.name"),
      bookmarks: col(await s.bookmarks(), "properties.displayName"),
      watchlists: col(await s.watchlists(), "properties.watchlistAlias"),
      items: col(await s.watchlistItems("vip", { apiVersion: "2025-06-01" }), "properties.itemsKeyValue.User"),
      rules: col(await s.analyticsRules(), "kind"),
      missing,
    };
  });
  assert.deepEqual(out.incident, ["Incident 2", ["Medium"]]);
  assert.deepEqual(out.entities, ["Ip", "Host"]);
  assert.deepEqual(out.alerts, ["Suspicious PowerShell"]);
  assert.deepEqual(out.comments, ["analyst"]);
  assert.deepEqual(out.bookmarks, ["Odd logon"]);
  assert.deepEqual(out.watchlists, ["vip"]);
  assert.deepEqual(out.items, ["user1@contoso.com", "user2@contoso.com", "user3@contoso.com"]);
  assert.deepEqual(out.rules, ["Scheduled"]);
  assert.match(out.missing, /Sentinel calls need the workspace's \{ subscriptionId, resourceGroup, workspaceName \}/);
  const calls = since(n).map((e) => `${e.method} ${e.path.split("Microsoft.SecurityInsights/")[1]}${e.search}`);
  assert.deepEqual(calls, [
    "GET incidents/inc-2?api-version=2024-09-01",
    "POST incidents/inc-2/entities?api-version=2024-09-01",
    "POST incidents/inc-2/alerts?api-version=2024-09-01",
    "GET incidents/inc-2/comments?api-version=2024-09-01",
    "GET bookmarks?api-version=2024-09-01",
    "GET watchlists?api-version=2024-09-01",
    "GET watchlists/vip/watchlistItems?api-version=2025-06-01",
    "GET watchlists/vip/watchlistItems?api-version=2025-06-01&$top=2&$skipToken=2",
    "GET alertRules?api-version=2024-09-01",
  ]);
});

test("msalTokenProvider drives the client (a stub PublicClientApplication in the page)", async () => {
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const calls = [];
    let active = null;
    class PublicClientApplication {
      constructor(config) {
        calls.push(`new ${config.auth.authority}`);
      }
      async initialize() {}
      getActiveAccount() {
        return active;
      }
      setActiveAccount(a) {
        active = a;
      }
      getAllAccounts() {
        return [];
      }
      async loginPopup() {
        calls.push("loginPopup");
        return { account: { username: "analyst@contoso.us" } };
      }
      async acquireTokenSilent({ scopes, forceRefresh }) {
        calls.push(`silent ${scopes[0]} ${forceRefresh}`);
        return { accessToken: fakeToken(scopes[0].replace(/\/\.default$/, "")) };
      }
    }
    const getToken = hk.msalTokenProvider({ cloud: "usgov", tenantId: "tid", clientId: "cid", msal: { PublicClientApplication } });
    const az = new hk.AzureClient({ cloud: "usgov", workspaceId: "w", endpoints: endpointsFor("usgov"), getToken });
    const r = await az.logAnalytics.query("print");
    return { calls, rows: r.table.numRows };
  });
  assert.deepEqual(out, {
    calls: ["new https://login.microsoftonline.us/tid", "loginPopup", "silent https://api.loganalytics.us/.default false"],
    rows: 2,
  });
});

test("Key Vault from a page: blocked by CORS, explained; the token is never sent", async () => {
  const n = mock.log.length;
  const out = await inPage(async ({ hk, fakeToken, base }) => {
    const az = new hk.AzureClient({ getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    try {
      await az.keyVault.getSecret(`${base}/global/kv/soc-kv`, "ti-key");
      return null;
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  });
  assert.equal(out.code, "network");
  assert.match(out.message, /^Key Vault: the request to 127\.0\.0\.1:\d+ was blocked or failed \(TypeError: Failed to fetch\)\. Key Vault's data plane sends no CORS headers/);
  assert.deepEqual(since(n).map((e) => e.method), [], "the preflight failed, so no GET (and no token) reached the vault");
  // Chromium logs the CORS refusal as a console error.
  demo.problems.splice(0, demo.problems.length, ...demo.problems.filter((p) => !/CORS|ERR_FAILED/.test(p)));
});

test("msticpyconfig.yaml: cloud, workspaces and Sentinel workspace; `de` is retired", async () => {
  const yaml = `
AzureSentinel:
  Workspaces:
    Default:
      WorkspaceId: 11111111-0000-0000-0000-000000000001
      TenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
    Hunting:
      WorkspaceId: 22222222-0000-0000-0000-000000000002
      SubscriptionId: sub-1
      ResourceGroup: soc-rg
      WorkspaceName: soc-ws
Azure:
  cloud: gov
  auth_methods: [cli, interactive]
`;
  const n = mock.log.length;
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }, yaml) => {
    const getToken = (s) => fakeToken(s.replace(/\/\.default$/, ""));
    const az = hk.AzureClient.fromMsticpyConfig(yaml, { getToken, endpoints: endpointsFor("usgov") });
    await az.logAnalytics.query("print");
    const hunting = hk.AzureClient.fromMsticpyConfig(yaml, { getToken, endpoints: endpointsFor("usgov"), workspace: "Hunting" });
    const inc = await hunting.sentinel.incidents({ top: 5 });
    let de, bad;
    try {
      await new hk.AzureClient({ cloud: "de", getToken, workspaceId: "w" }).logAnalytics.query("print");
    } catch (e) {
      de = { code: e.code, message: e.message };
    }
    try {
      hk.AzureClient.fromMsticpyConfig("AzureSentinel: [oops", { getToken });
    } catch (e) {
      bad = e.code;
    }
    return { cloud: az.cloud, tenant: az.tenantId, ws: az.workspaceId, names: az.workspaces, hws: hunting.workspaceId, incidents: inc.table.numRows, de, bad };
  }, yaml);
  assert.deepEqual([out.cloud, out.tenant, out.ws, out.names, out.hws, out.incidents], [
    "usgov",
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "11111111-0000-0000-0000-000000000001",
    ["Default", "Hunting"],
    "22222222-0000-0000-0000-000000000002",
    5,
  ]);
  const seen = since(n);
  assert.equal(seen[0].path, "v1/workspaces/11111111-0000-0000-0000-000000000001/query");
  assert.equal(seen[0].audience, "https://api.loganalytics.us");
  assert.match(seen[1].path, /^subscriptions\/sub-1\/resourceGroups\/soc-rg\/.*\/incidents$/);
  assert.deepEqual(out.de, {
    code: "invalid-config",
    message:
      "configuration: Azure Germany (`de`) closed on 2021-10-29 and has no built-in endpoints: use `global`, or give every endpoint you call (here `endpoints.logAnalytics` for Log Analytics)",
  });
  assert.equal(out.bad, "invalid-config");
});

test("results go straight into the process tree, matrix and IoC engines", async () => {
  const golden = JSON.parse(readFileSync(new URL("../golden/proctree/win_proc_test.summary.json", import.meta.url), "utf8"));
  const out = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const r = await az.logAnalytics.query("SecurityEvent | where EventID == 4688");
    const s = hk.buildProcessTree(r.table).summary();
    const m = hk.matrix(r.table, { x: "Computer", y: "SubjectUserName" });
    const iocs = hk.extractIocsFromTable(r.table, { columns: ["CommandLine"] }).toRows();
    // The same engines on the Arrow file the mock's JSON was made from: the round trip
    // through Log Analytics' JSON changes nothing they see.
    const file = new Uint8Array(await (await fetch("/demo/data/win_proc_test.arrow")).arrayBuffer());
    const fm = hk.matrix(file, { x: "Computer", y: "SubjectUserName" });
    const fiocs = hk.extractIocsFromTable(file, { columns: ["CommandLine"] }).toRows();
    const key = (c) => `${c.x}|${c.y}|${c.value}`;
    const ioc = (r) => `${r.IoCType}|${r.Observable}|${r.SourceIndex}|${r.Start}`;
    return {
      s,
      rows: m.rows,
      cells: [m.cells.map(key), fm.cells.map(key)],
      iocs: [iocs.map(ioc), fiocs.map(ioc)],
    };
  });
  assert.deepEqual(
    [out.s.processes, out.s.roots, out.s.leaves, out.s.branches, out.s.maxDepth, out.s.inferred],
    [golden.rows_out, golden.roots, golden.leaves, golden.branches, golden.max_depth, golden.inferred_parents],
  );
  assert.equal(out.rows, 1000);
  assert.ok(out.cells[1].length > 0 && out.iocs[1].length > 0);
  assert.deepEqual(out.cells[0], out.cells[1]);
  assert.deepEqual(out.iocs[0], out.iocs[1]);
});

test("the demo's Azure panel: query (sample mode), table, then the tree, matrix and IoC views", async () => {
  const { page } = demo;
  // The matrix of the bundled events, computed from the Arrow file the mock's JSON was made from.
  const cells = await inPage(async ({ hk }) => {
    const bytes = new Uint8Array(await (await fetch("/demo/data/win_proc_test.arrow")).arrayBuffer());
    return hk.matrix(bytes, { x: "Computer", y: "SubjectUserName" }).cells.length;
  });
  await page.click("#run");
  await page.waitForFunction(() => /rows, 1 table/.test(document.getElementById("status").textContent));
  assert.match(await page.textContent("#status"), /^1000 rows, 1 table\(s\), 1 page\(s\), 1 request\(s\) in \d+ ms$/);
  assert.equal(await page.locator("#result tbody tr").count(), 200);
  assert.equal(await page.textContent("#result thead th:nth-child(6)"), "Computer");
  await page.click("#toTree");
  assert.equal(await page.textContent("#status"), "process tree (windows): 1010 processes, 10 roots, 10 inferred, depth 7");
  assert.equal(await page.locator("#view canvas").count() > 0, true);
  await page.selectOption("#mx", "Computer");
  await page.selectOption("#my", "SubjectUserName");
  await page.click("#toMatrix");
  assert.equal(await page.textContent("#status"), `matrix: 1000 rows → ${cells} cells`);
  assert.equal(await page.locator("#view canvas").count() > 0, true);
  await page.click("#toIocs");
  const expected = await inPage(async ({ hk, fakeToken, endpointsFor }) => {
    const az = new hk.AzureClient({ workspaceId: "w", endpoints: endpointsFor("global"), getToken: (s) => fakeToken(s.replace(/\/\.default$/, "")) });
    const r = await az.logAnalytics.query("SecurityEvent | where EventID == 4688");
    const columns = hk.describeTable(r.table).columns.filter((c) => c.type === "Utf8").map((c) => c.name);
    return `IoCs: ${hk.extractIocsFromTable(r.table, { columns }).numRows} in ${columns.length} text columns`;
  });
  assert.equal(await page.textContent("#status"), expected);
  // A wrong query is an error in the status line, not an exception.
  await page.fill("#query", "syntax error");
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").className === "error");
  assert.match(await page.textContent("#status"), /^HuntkitError \(http\): Log Analytics: HTTP 400 BadArgumentError/);
  await page.screenshot({ path: `${shots}azure.png` });
  // Chromium logs each HTTP error response (the tests provoke many) as a console error.
  const unexpected = demo.problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|401|429|503)/.test(p));
  assert.deepEqual(unexpected, []);
});
