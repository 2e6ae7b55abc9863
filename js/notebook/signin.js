// The anywidget front end of `huntkit.SignIn`: signs in with MSAL in the page and hands the
// tokens, one per API audience, to the Python kernel of the same browser tab.
//
// It only ever does so in JupyterLite, where the kernel (Pyodide) runs in a worker of this very
// page: the tokens then never leave the browser except towards the APIs they are for. With a
// kernel on a server (JupyterLab, VS Code, Colab) the comm would carry them to that server, so
// the widget refuses, whatever the kernel claims.
import { PublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";

/** Whether this page is a JupyterLite app (the page's own config, which no kernel can change). */
export function inJupyterLite(doc = globalThis.document) {
  const el = doc?.getElementById("jupyter-config-data");
  if (!el) return false;
  try {
    const config = JSON.parse(el.textContent);
    return typeof config?.litePluginSettings === "object" || config?.appName === "JupyterLite";
  } catch {
    return false;
  }
}

/** Where MSAL's popup returns to: `huntkit-auth.html` at the root of the JupyterLite site. */
function defaultRedirect() {
  let base = "/";
  try {
    base = JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl ?? "/";
  } catch {
    // no config: the origin's root
  }
  return new URL(`${base.replace(/\/?$/, "/")}huntkit-auth.html`, location.origin).href;
}

const REFRESH_EARLY_MS = 5 * 60 * 1000; // refresh tokens 5 minutes before they expire

async function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "huntkit-signin";
  Object.assign(box.style, { font: "13px sans-serif", display: "flex", gap: "10px", alignItems: "center", padding: "4px 0" });
  const button = document.createElement("button");
  button.type = "button";
  const line = document.createElement("span");
  line.className = "huntkit-signin-status";
  box.append(button, line);
  el.replaceChildren(box);

  const cloud = model.get("cloud");
  const say = (text, error = false) => {
    line.textContent = text;
    line.style.color = error ? "#b00020" : "#333";
    model.set("status", text);
    model.save_changes();
  };
  button.textContent = `Sign in to Azure (${cloud})`;

  if (model.get("_kernel") !== "pyodide" || !inJupyterLite()) {
    button.disabled = true;
    say("huntkit.SignIn runs only in JupyterLite (Pyodide kernel): with a kernel on a server, tokens would leave the browser. Paste a token instead.", true);
    return undefined;
  }

  const scopes = model.get("_scopes");
  const pca = new PublicClientApplication({
    auth: {
      clientId: model.get("client_id"),
      authority: model.get("_authority"),
      knownAuthorities: [new URL(model.get("_authority")).host],
      redirectUri: model.get("redirect_uri") || defaultRedirect(),
    },
    cache: { cacheLocation: "memoryStorage" }, // tokens in memory only
  });
  const ready = pca.initialize();
  let account = null;
  let timer = 0;

  /** A token for `scope`: silently, else with a popup. */
  const tokenFor = async (scope, forceRefresh = false) => {
    try {
      return await pca.acquireTokenSilent({ scopes: [scope], account, forceRefresh });
    } catch (err) {
      if (!(err instanceof InteractionRequiredAuthError)) throw err;
      return pca.acquireTokenPopup({ scopes: [scope], account });
    }
  };
  const hand = (results) => {
    const tokens = results.map((r, i) => ({ scope: scopes[i], token: r.accessToken, expiresOn: r.expiresOn?.getTime() ?? null }));
    model.send({ type: "huntkit:tokens", tokens });
    const soonest = Math.min(...tokens.map((t) => t.expiresOn ?? Infinity));
    clearTimeout(timer);
    if (Number.isFinite(soonest)) timer = setTimeout(refresh, Math.max(10_000, soonest - Date.now() - REFRESH_EARLY_MS));
  };
  const refresh = async () => {
    try {
      hand(await Promise.all(scopes.map((s) => tokenFor(s, true))));
    } catch (err) {
      say(`token refresh failed: ${err?.errorCode ?? err?.message ?? err}; sign in again`, true);
    }
  };
  const signIn = async () => {
    button.disabled = true;
    say("signing in…");
    try {
      await ready;
      const login = await pca.loginPopup({ scopes: [scopes[0]], loginHint: model.get("login_hint") || undefined, prompt: "select_account" });
      account = login.account;
      pca.setActiveAccount(account);
      hand(await Promise.all(scopes.map((s) => tokenFor(s))));
      model.set("account", account?.username ?? "");
      say(`signed in as ${account?.username ?? "?"}: tokens for ${scopes.length} APIs handed to the kernel`);
      button.textContent = "Sign in again";
    } catch (err) {
      say(`sign-in failed: ${err?.errorCode ?? err?.message ?? err}`, true);
    } finally {
      button.disabled = false;
    }
  };
  const onMessage = async (msg) => {
    if (msg?.type !== "huntkit:token?" || !account) return;
    try {
      const r = await tokenFor(msg.scope, Boolean(msg.forceRefresh));
      model.send({ type: "huntkit:tokens", tokens: [{ scope: msg.scope, token: r.accessToken, expiresOn: r.expiresOn?.getTime() ?? null }] });
    } catch (err) {
      say(`no token for ${msg.scope}: ${err?.errorCode ?? err?.message ?? err}`, true);
    }
  };
  button.addEventListener("click", signIn);
  model.on("msg:custom", onMessage);
  say("not signed in");
  return () => {
    clearTimeout(timer);
    button.removeEventListener("click", signIn);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
