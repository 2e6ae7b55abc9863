// node --test: the token providers (MSAL through a stub PublicClientApplication, pasted
// tokens) and AzureClient in Node against the mock Azure APIs.
import { test } from "node:test";
import assert from "node:assert/strict";

import { AzureClient, msalTokenProvider, pastedTokenProvider } from "huntkit";
import { endpointsFor, fakeToken, startMockAzure } from "../../demo/mock-azure/server.mjs";

/** A stub of @azure/msal-browser's PublicClientApplication that records every call. */
function stubMsal({ accounts = [], silent = [] } = {}) {
  const calls = [];
  let active = null;
  class PublicClientApplication {
    constructor(config) {
      calls.push(["new", config]);
    }
    async initialize() {
      calls.push(["initialize"]);
    }
    async handleRedirectPromise() {
      calls.push(["handleRedirectPromise"]);
      return null;
    }
    getActiveAccount() {
      return active;
    }
    setActiveAccount(a) {
      calls.push(["setActiveAccount", a.username]);
      active = a;
    }
    getAllAccounts() {
      return accounts;
    }
    async loginPopup(r) {
      calls.push(["loginPopup", r.scopes, r.prompt ?? null]);
      return { account: { username: "new@contoso.com" } };
    }
    async acquireTokenSilent(r) {
      calls.push(["acquireTokenSilent", r.scopes, r.account.username, r.forceRefresh]);
      const next = silent.shift();
      if (next instanceof Error) throw next;
      return { accessToken: next ?? `silent:${r.scopes[0]}` };
    }
    async acquireTokenPopup(r) {
      calls.push(["acquireTokenPopup", r.scopes, r.account.username]);
      return { accessToken: `popup:${r.scopes[0]}` };
    }
    async acquireTokenRedirect(r) {
      calls.push(["acquireTokenRedirect", r.scopes]);
    }
  }
  return { msal: { PublicClientApplication }, calls };
}

const needsInteraction = () => Object.assign(new Error("https://aka.ms/msal"), { errorCode: "interaction_required" });

test("msalTokenProvider: authority per cloud, sign-in, silent first, popup when interaction is required", async () => {
  const { msal, calls } = stubMsal({ silent: [undefined, needsInteraction()] });
  const getToken = msalTokenProvider({ cloud: "gov", tenantId: "tid", clientId: "cid", msal, redirectUri: "https://app/redirect.html" });
  const scope = "https://api.loganalytics.us/.default";
  assert.equal(await getToken(scope), `silent:${scope}`);
  assert.equal(await getToken(scope, { forceRefresh: true }), `popup:${scope}`);
  assert.deepEqual(calls, [
    ["new", { auth: { clientId: "cid", authority: "https://login.microsoftonline.us/tid", redirectUri: "https://app/redirect.html" }, cache: { cacheLocation: "sessionStorage" } }],
    ["initialize"],
    ["loginPopup", [scope], null],
    ["setActiveAccount", "new@contoso.com"],
    ["acquireTokenSilent", [scope], "new@contoso.com", false],
    ["acquireTokenSilent", [scope], "new@contoso.com", true],
    ["acquireTokenPopup", [scope], "new@contoso.com"],
  ]);
});

test("msalTokenProvider: account by login hint or the only one; other errors pass through; redirect mode", async () => {
  const accounts = [{ username: "a@contoso.com" }, { username: "B@contoso.com" }];
  const hinted = stubMsal({ accounts });
  const get = msalTokenProvider({ clientId: "c", loginHint: "b@contoso.com", msal: hinted.msal });
  await get("https://management.azure.com/.default");
  assert.deepEqual(hinted.calls[0][1].auth.authority, "https://login.microsoftonline.com/organizations");
  assert.deepEqual(hinted.calls.slice(2), [
    ["setActiveAccount", "B@contoso.com"],
    ["acquireTokenSilent", ["https://management.azure.com/.default"], "B@contoso.com", false],
  ]);
  // Two accounts and no hint: the popup asks which.
  const two = stubMsal({ accounts });
  await msalTokenProvider({ clientId: "c", cloud: "cn", msal: two.msal })("https://management.chinacloudapi.cn/.default");
  assert.deepEqual(two.calls[0][1].auth.authority, "https://login.chinacloudapi.cn/organizations");
  assert.deepEqual(two.calls[2], ["loginPopup", ["https://management.chinacloudapi.cn/.default"], "select_account"]);
  // A failure that is not "interaction required" is the caller's to see.
  const broken = stubMsal({ accounts: [accounts[0]], silent: [Object.assign(new Error("net"), { errorCode: "network_error" })] });
  await assert.rejects(msalTokenProvider({ clientId: "c", msal: broken.msal })("s/.default"), /net/);
  // Redirect mode handles the redirect response and redirects for interaction.
  const redirect = stubMsal({ accounts: [accounts[0]], silent: [needsInteraction()] });
  const pending = msalTokenProvider({ clientId: "c", interaction: "redirect", msal: redirect.msal })("s/.default");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(redirect.calls.map((c) => c[0]), ["new", "initialize", "handleRedirectPromise", "setActiveAccount", "acquireTokenSilent", "acquireTokenRedirect"]);
  assert.equal(await Promise.race([pending, new Promise((r) => setTimeout(() => r("still pending"), 20))]), "still pending");
  assert.throws(() => msalTokenProvider({}), /needs `clientId`/);
  assert.throws(() => msalTokenProvider({ clientId: "c", cloud: "de" }), /Azure Germany \(`de`\) closed on 2021-10-29/);
});

test("msalTokenProvider without `msal` and without the optional peer: a clear error at sign-in, not at import", async () => {
  // tests/ does not install @azure/msal-browser, as an app that never signs in would not.
  const getToken = msalTokenProvider({ clientId: "c" }); // no error yet: nothing imported
  await assert.rejects(getToken("https://api.loganalytics.io/.default"), (err) => {
    assert.equal(err.name, "HuntkitError");
    assert.equal(err.code, "missing-dependency");
    assert.match(err.message, /^msalTokenProvider needs @azure\/msal-browser v5, which could not be imported \(.+\): install it and pass it in, `import \* as msal from "@azure\/msal-browser"` then `msalTokenProvider\(\{ \.\.\., msal \}\)`$/);
    return true;
  });
});

test("pastedTokenProvider: each token only for its audience; expired and refused tokens named, never shown", async () => {
  const la = fakeToken("https://api.loganalytics.io");
  const graph = fakeToken("00000003-0000-0000-c000-000000000000");
  const getToken = pastedTokenProvider(`  ${la}\n`);
  assert.equal(await getToken("https://api.loganalytics.io/.default"), la);
  const both = pastedTokenProvider([la, graph]);
  assert.equal(await both("https://graph.microsoft.com/.default"), graph);
  const wrong = await both("https://management.azure.com/.default").catch((e) => e);
  assert.equal(
    wrong.message,
    "no pasted token is for https://management.azure.com (pasted tokens are for https://api.loganalytics.io, https://graph.microsoft.com); get one with `az account get-access-token --resource https://management.azure.com`",
  );
  assert.ok(!wrong.message.includes(la));
  const old = fakeToken("https://api.loganalytics.io", { exp: 1_600_000_000 });
  await assert.rejects(pastedTokenProvider(old)("https://api.loganalytics.io/.default"), /the pasted token for https:\/\/api.loganalytics.io has expired; paste a new one/);
  await assert.rejects(getToken("https://api.loganalytics.io/.default", { forceRefresh: true }), /was refused; paste a new one/);
  assert.throws(() => pastedTokenProvider("not-a-jwt"), /not a JWT access token/);
  assert.throws(() => pastedTokenProvider(""), /no token given/);
});

test("AzureClient in Node: a pasted token drives a query; the wrong one fails before any request", async () => {
  const mock = await startMockAzure();
  try {
    const token = fakeToken("https://api.loganalytics.io");
    const az = new AzureClient({ workspaceId: "w", endpoints: endpointsFor(mock.url, "global"), getToken: pastedTokenProvider(token) });
    const r = await az.logAnalytics.query("print");
    assert.equal(r.table.numRows, 2);
    const err = await az.resourceGraph.query("Resources").catch((e) => e);
    assert.equal(err.code, "invalid-config");
    assert.match(err.message, /^configuration: getToken\(https:\/\/management.azure.com\/.default\) failed: no pasted token is for https:\/\/management.azure.com/);
    assert.deepEqual(mock.log.map((e) => e.api), ["la"]);
    assert.throws(() => new AzureClient({ getToken: "x" }), /option `getToken`: expected a function/);
    assert.throws(() => new AzureClient({ getToken: () => "", cloud: "mars" }), /unknown cloud "mars"/);
    assert.throws(() => new AzureClient({ getToken: () => "", endpoint: {} }), /did you mean `endpoints`\?/);
    assert.throws(() => new AzureClient({ getToken: () => "", workspace: "Hunting" }), /"Hunting" names a msticpyconfig workspace, and there is no config/);
    assert.throws(() => new AzureClient({ getToken: () => "", workspace: { subscriptionId: "s" } }), /option `workspace`: needs `resourceGroup`/);
    az.free();
  } finally {
    await mock.close();
  }
});
