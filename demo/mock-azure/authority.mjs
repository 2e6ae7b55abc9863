// A mock Entra ID sign-in authority, for the demo and the tests: the OAuth 2.0 authorization
// code flow with PKCE that msal-browser runs (OpenID configuration, `authorize`, `token` with
// the `authorization_code` and `refresh_token` grants), answering at once as one signed-in user.
// Access tokens are the mock APIs' unsigned JWTs (`fakeToken`), one audience per token, taken
// from the scope asked for (`https://api.loganalytics.io/.default` → `https://api.loganalytics.io`).
//
// MSAL accepts only https authorities, so this one is served over TLS (`startMockAuthority`),
// with a self-signed certificate for 127.0.0.1 made by openssl on first use and kept under
// target/. A browser must be told to accept it (Playwright: `ignoreHTTPSErrors`; a person:
// open the authority's URL once and accept the warning).
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import { fileURLToPath } from "node:url";

import { fakeToken } from "./server.mjs";

const b64url = (s) => Buffer.from(s).toString("base64url");
const USER = { oid: "00000000-0000-0000-0000-0000000000a1", name: "Ada Analyst", username: "analyst@contoso.com" };
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "content-type, client-request-id, x-client-sku, x-client-ver, x-client-os, x-ms-lib-capability, x-client-current-telemetry, x-client-last-telemetry, x-app-name, x-app-ver",
  "access-control-allow-methods": "GET, POST",
};
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** The resource a scope list asks for (the first non-OpenID scope, without `/.default`). */
export function audienceOf(scope) {
  const first = String(scope ?? "")
    .split(/\s+/)
    .find((s) => s && !OIDC_SCOPES.has(s));
  return first ? first.replace(/\/\.default$/, "").replace(/\/+$/, "") : null;
}

/**
 * The authority's request handler. `base` is its URL (`https://127.0.0.1:PORT`); paths are
 * `/{tenant}/…`. `log` records `{ grant, audience, clientId }` of every token issued.
 */
export function createMockAuthority(base) {
  const codes = new Map(); // code → { nonce, challenge, clientId, scope, tenant }
  const refresh = new Map(); // refresh token → { clientId, tenant }
  const log = [];
  const clientInfo = (tenant) => b64url(JSON.stringify({ uid: USER.oid, utid: tenant }));
  const idToken = (tenant, clientId, nonce) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: clientId,
      iss: `${base}/${tenant}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: USER.name,
      preferred_username: USER.username,
      oid: USER.oid,
      sub: USER.oid,
      tid: tenant,
      ver: "2.0",
      ...(nonce ? { nonce } : {}),
    };
    return [b64url('{"alg":"none","typ":"JWT"}'), b64url(JSON.stringify(claims)), ""].join(".");
  };
  const tokens = (grant, { clientId, tenant, scope, nonce }) => {
    const audience = audienceOf(scope);
    const rt = randomBytes(16).toString("hex");
    refresh.set(rt, { clientId, tenant });
    log.push({ grant, audience, clientId });
    return {
      token_type: "Bearer",
      scope: audience ? `${audience}/.default` : "openid profile offline_access",
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: fakeToken(audience ?? clientId, { tid: tenant, oid: USER.oid, upn: USER.username }),
      refresh_token: rt,
      id_token: idToken(tenant, clientId, nonce),
      client_info: clientInfo(tenant),
    };
  };

  const handler = async (req, res) => {
    const url = new URL(req.url, base);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...CORS, ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (req.method === "OPTIONS") return send(204);
    const [, tenant, ...rest] = url.pathname.split("/");
    const path = rest.join("/");
    if (!tenant) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end("<!doctype html><title>mock sign-in</title><p>huntkit's mock Entra ID authority (a local test certificate). You can close this tab.</p>");
    }
    const at = `${base}/${tenant}`;
    if (path === "v2.0/.well-known/openid-configuration") {
      return send(200, {
        issuer: `${at}/v2.0`,
        authorization_endpoint: `${at}/oauth2/v2.0/authorize`,
        token_endpoint: `${at}/oauth2/v2.0/token`,
        end_session_endpoint: `${at}/oauth2/v2.0/logout`,
        jwks_uri: `${at}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        response_types_supported: ["code"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["none"],
        tenant_region_scope: "WW",
        cloud_instance_name: "mock.huntkit",
      });
    }
    if (path === "oauth2/v2.0/authorize" && req.method === "GET") {
      const q = url.searchParams;
      const redirect = q.get("redirect_uri");
      if (!redirect || q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256") {
        return send(400, { error: "invalid_request", error_description: "needs redirect_uri, response_type=code and an S256 code_challenge" });
      }
      const code = randomBytes(16).toString("hex");
      codes.set(code, { nonce: q.get("nonce"), challenge: q.get("code_challenge"), clientId: q.get("client_id"), scope: q.get("scope"), tenant });
      const answer = new URLSearchParams({ code, state: q.get("state") ?? "", client_info: clientInfo(tenant) });
      const sep = q.get("response_mode") === "query" ? "?" : "#";
      res.writeHead(302, { location: `${redirect}${sep}${answer}`, "cache-control": "no-store" });
      return res.end();
    }
    if (path === "oauth2/v2.0/token" && req.method === "POST") {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const grant = form.get("grant_type");
      if (grant === "authorization_code") {
        const entry = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        if (!entry) return send(400, { error: "invalid_grant", error_description: "AADSTS70008: the code is unknown or was used" });
        if (createHash("sha256").update(verifier).digest("base64url") !== entry.challenge) {
          return send(400, { error: "invalid_grant", error_description: "AADSTS501481: the code verifier does not match the code challenge" });
        }
        return send(200, tokens(grant, { ...entry, scope: form.get("scope") ?? entry.scope }));
      }
      if (grant === "refresh_token") {
        const entry = refresh.get(form.get("refresh_token") ?? "");
        if (!entry) return send(400, { error: "invalid_grant", error_description: "AADSTS700082: the refresh token is unknown" });
        return send(200, tokens(grant, { ...entry, scope: form.get("scope") }));
      }
      return send(400, { error: "unsupported_grant_type", error_description: `grant_type ${grant}` });
    }
    return send(404, { error: "not_found", error_description: `no route ${req.method} ${url.pathname}` });
  };
  return { handler, log };
}

/** The test certificate for 127.0.0.1 (made with openssl on first use). */
function certificate() {
  const dir = fileURLToPath(new URL("../../target/mock-azure-tls/", import.meta.url));
  const key = `${dir}key.pem`;
  const cert = `${dir}cert.pem`;
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * The base64 SHA-256 of the test certificate's public key: Chromium trusts it when started with
 * `--ignore-certificate-errors-spki-list=<this>` (the tests do; nothing else is trusted so).
 */
export function certificateSpki() {
  const { cert } = certificate();
  return createHash("sha256").update(new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" })).digest("base64");
}

/** Serves the mock authority over TLS on 127.0.0.1; resolves to `{ url, log, close }`. */
export function startMockAuthority(port = 0) {
  const server = createServer(certificate());
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const url = `https://127.0.0.1:${server.address().port}`;
      const { handler, log } = createMockAuthority(url);
      server.on("request", handler);
      resolve({ url, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
