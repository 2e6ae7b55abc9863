// Token providers for AzureClient: MSAL in the page (interactive sign-in) and a pasted token.

import { assertReady } from "./core.js";
import { huntkitError } from "./errors.js";
import { cloudAuthority } from "./wasm/huntkit.js";

const INTERACTION_REQUIRED = new Set(["interaction_required", "consent_required", "login_required"]);

// The optional peer's name is kept in a variable so that no bundler (Vite, Rollup, webpack,
// esbuild, Observable) tries to resolve it when building an app that does not use MSAL.
const MSAL_PACKAGE = "@azure/msal-browser";

/** `@azure/msal-browser`, imported at run time (where import maps or Node resolve it). */
async function importMsal() {
  try {
    return await import(/* @vite-ignore */ /* webpackIgnore: true */ MSAL_PACKAGE);
  } catch (err) {
    throw fail(
      `msalTokenProvider needs @azure/msal-browser v5, which could not be imported (${err?.message ?? err}): ` +
        "install it and pass it in, `import * as msal from \"@azure/msal-browser\"` then `msalTokenProvider({ ..., msal })`",
      "missing-dependency",
    );
  }
}

function fail(message, code = "invalid-config") {
  return huntkitError(message, code);
}

/**
 * A `getToken(scope, { forceRefresh })` built on `@azure/msal-browser` (v5): one
 * PublicClientApplication for the cloud's authority and tenant; the account is the active
 * one, the one matching `loginHint`, the only one, or chosen by signing in; tokens are got
 * silently first and interactively (popup, or redirect) when MSAL says interaction is needed.
 * `msal` may pass the library (or `{ PublicClientApplication }`) instead of importing it.
 */
export function msalTokenProvider({
  cloud = "global",
  tenantId = "organizations",
  clientId,
  redirectUri,
  popupRelayUri,
  authority,
  interaction = "popup",
  loginHint,
  cacheLocation = "sessionStorage",
  msal,
} = {}) {
  if (!clientId) throw fail("msalTokenProvider needs `clientId` (an app registered as a single-page application)");
  if (interaction !== "popup" && interaction !== "redirect") {
    throw fail(`msalTokenProvider: \`interaction\` is "popup" or "redirect", got ${JSON.stringify(interaction)}`);
  }
  // The cloud's sign-in host comes from the Rust side's table (one copy of the clouds).
  if (!authority) assertReady();
  const host = authority ?? cloudAuthority(String(cloud));
  const auth = { clientId, authority: `${host.replace(/\/+$/, "")}/${tenantId}` };
  // A sign-in host of your own (a proxy, a test authority) is trusted as given: MSAL would
  // otherwise ask Microsoft's instance discovery about it.
  if (authority) auth.knownAuthorities = [new URL(host).host];
  if (redirectUri) auth.redirectUri = redirectUri;
  if (popupRelayUri) auth.popupRelayUri = popupRelayUri;
  let app = null;
  const application = () => {
    app ??= (async () => {
      const lib = msal ?? (await importMsal());
      const pca = new lib.PublicClientApplication({ auth, cache: { cacheLocation } });
      await pca.initialize();
      if (interaction === "redirect") {
        const back = await pca.handleRedirectPromise();
        if (back?.account) pca.setActiveAccount(back.account);
      }
      return pca;
    })();
    app.catch(() => {
      app = null;
    });
    return app;
  };
  const never = () => new Promise(() => {}); // the page is navigating away (redirect flow)
  async function account(pca, scope) {
    const active = pca.getActiveAccount();
    if (active) return active;
    const all = pca.getAllAccounts();
    const hinted = loginHint && all.find((a) => a.username?.toLowerCase() === loginHint.toLowerCase());
    let chosen = hinted || (all.length === 1 ? all[0] : null);
    if (!chosen) {
      const request = { scopes: [scope], loginHint, prompt: all.length > 1 ? "select_account" : undefined };
      if (interaction === "redirect") {
        await pca.loginRedirect(request);
        return never();
      }
      chosen = (await pca.loginPopup(request)).account;
    }
    pca.setActiveAccount(chosen);
    return chosen;
  }
  return async function getToken(scope, { forceRefresh = false } = {}) {
    const pca = await application();
    const acc = await account(pca, scope);
    try {
      return (await pca.acquireTokenSilent({ scopes: [scope], account: acc, forceRefresh })).accessToken;
    } catch (err) {
      const needed = INTERACTION_REQUIRED.has(err?.errorCode) || err?.name === "InteractionRequiredAuthError";
      if (!needed) throw err;
      if (interaction === "redirect") {
        await pca.acquireTokenRedirect({ scopes: [scope], account: acc });
        return never();
      }
      return (await pca.acquireTokenPopup({ scopes: [scope], account: acc })).accessToken;
    }
  };
}

/** The claims of a JWT, or null when it is not one. */
function claims(token) {
  const part = String(token).split(".")[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

/** Microsoft Graph's app id, which Graph tokens may carry as `aud`. */
const AUDIENCE_IDS = { "00000003-0000-0000-c000-000000000000": "https://graph.microsoft.com" };

/**
 * A `getToken` for tokens the user pastes (e.g. from `az account get-access-token`): one token,
 * or several as an array. Each is used only for the API its `aud` claim names; a missing or
 * expired one is an error that says which resource to get a token for (never the token).
 */
export function pastedTokenProvider(tokens) {
  const list = (Array.isArray(tokens) ? tokens : [tokens]).map((t) => String(t ?? "").trim()).filter(Boolean);
  if (list.length === 0) throw fail("pastedTokenProvider: no token given");
  const known = list.map((token) => {
    const c = claims(token);
    if (!c || typeof c.aud !== "string") throw fail("pastedTokenProvider: a pasted token is not a JWT access token (no `aud` claim)");
    const aud = (AUDIENCE_IDS[c.aud] ?? c.aud).replace(/\/+$/, "");
    return { token, aud, exp: typeof c.exp === "number" ? c.exp : null };
  });
  return async function getToken(scope, { forceRefresh = false } = {}) {
    const resource = String(scope).replace(/\/[^/]*$/, "").replace(/\/+$/, "");
    const match = known.find((k) => k.aud.toLowerCase() === resource.toLowerCase());
    if (!match) {
      const have = known.map((k) => k.aud).join(", ");
      throw fail(`no pasted token is for ${resource} (pasted tokens are for ${have}); get one with \`az account get-access-token --resource ${resource}\``);
    }
    if (forceRefresh || (match.exp !== null && match.exp * 1000 <= Date.now())) {
      throw fail(`the pasted token for ${resource} ${forceRefresh ? "was refused" : "has expired"}; paste a new one (\`az account get-access-token --resource ${resource}\`)`);
    }
    return match.token;
  };
}
