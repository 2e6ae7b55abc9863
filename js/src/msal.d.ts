// Types of msal.js: Token providers for `AzureClient`.
import type { GetToken } from "./azure.js";

/** Options of {@link msalTokenProvider}. */
export interface MsalTokenProviderOptions {
  cloud?: string;
  /** Default *organizations*. */
  tenantId?: string;
  /** The app registration's id (registered as a single-page application). */
  clientId: string;
  /** msal-browser v5: a same-origin page running `broadcastResponseToMainFrame()`. */
  redirectUri?: string;
  /** msal-browser v5: a same-origin relay page for popups from cross-origin iframes (`runPopupRelay()`). */
  popupRelayUri?: string;
  /** Sign-in host, overriding the cloud's. */
  authority?: string;
  /** Default *popup*. */
  interaction?: "popup" | "redirect";
  loginHint?: string;
  /** Default *sessionStorage*. */
  cacheLocation?: "sessionStorage" | "localStorage" | "memoryStorage";
  /** The `@azure/msal-browser` module (default: `import("@azure/msal-browser")`). */
  msal?: { PublicClientApplication: new (config: unknown) => unknown };
}

/** A {@link GetToken} on `@azure/msal-browser`: silent first, then popup (or redirect) when interaction is required. */
export function msalTokenProvider(options: MsalTokenProviderOptions): GetToken;

/** A {@link GetToken} for pasted tokens (`az account get-access-token`), each used only for the API its `aud` names. */
export function pastedTokenProvider(tokens: string | string[]): GetToken;
