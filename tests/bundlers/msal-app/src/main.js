// huntkit's msalTokenProvider with the app's own MSAL (`msal` passed in), against the demo's mock
// authority and APIs (`/mock-azure/info` says where they are).
import * as msal from "@azure/msal-browser";
import { AzureClient, init, msalTokenProvider } from "huntkit";

await init();
const info = await (await fetch("/mock-azure/info")).json();
const scopes = [];
const signIn = msalTokenProvider({
  clientId: "11111111-2222-3333-4444-555555555555",
  tenantId: "contoso.onmicrosoft.com",
  authority: info.authority,
  msal,
  redirectUri: new URL("./redirect.html", location.href).href,
});
const az = new AzureClient({
  workspaceId: "00000000-0000-0000-0000-000000000001",
  endpoints: info.endpoints.global,
  getToken: (scope, options) => {
    scopes.push(scope);
    return signIn(scope, options);
  },
});
const out = document.getElementById("out");
const go = document.getElementById("go");
go.addEventListener("click", async () => {
  try {
    const r = await az.logAnalytics.query("SecurityEvent");
    out.textContent = `${r.table.numRows} rows; tokens asked for ${scopes.join(", ")}`;
  } catch (err) {
    out.textContent = `error: ${err.message}`;
  }
  document.body.dataset.done = "1";
});
go.disabled = false;
