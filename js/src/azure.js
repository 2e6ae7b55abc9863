import { assertReady } from "./core.js";
import { AzureClient as WasmAzureClient } from "./wasm/huntkit.js";

const FROM_CONFIG = Symbol("fromMsticpyConfig");

/**
 * Azure APIs of one cloud through `fetch`, with tokens from `getToken(scope)`. See azure.d.ts.
 * Calls return promises of `{ table, tables, warnings, json, pages, requests }`; `table` is a
 * `ResultTable` that `buildProcessTree`, `matrix` and `extractIocsFromTable` take as it is.
 */
export class AzureClient {
  #c;

  constructor(options, config) {
    assertReady();
    this.#c =
      options === FROM_CONFIG
        ? WasmAzureClient.fromMsticpyConfig(String(config[0]), config[1] ?? {})
        : new WasmAzureClient(options ?? {});
    const c = this.#c;
    const o = (x) => x ?? {};
    this.logAnalytics = Object.freeze({
      /** KQL against a workspace → tables typed from the response. */
      query: (query, options) => c.logAnalyticsQuery(query, o(options)),
    });
    this.resourceGraph = Object.freeze({
      /** Resource Graph KQL, every page (or `limit` rows). */
      query: (query, options) => c.resourceGraphQuery(query, o(options)),
    });
    const sentinel = (what) => (options) => c.sentinelCall(what, undefined, o(options));
    const sentinelOf = (what) => (id, options) => c.sentinelCall(what, id, o(options));
    this.sentinel = Object.freeze({
      incidents: sentinel("incidents"),
      incident: sentinelOf("incident"),
      incidentEntities: sentinelOf("incidentEntities"),
      incidentAlerts: sentinelOf("incidentAlerts"),
      incidentComments: sentinelOf("incidentComments"),
      bookmarks: sentinel("bookmarks"),
      watchlists: sentinel("watchlists"),
      watchlistItems: sentinelOf("watchlistItems"),
      analyticsRules: sentinel("analyticsRules"),
    });
    this.hunting = Object.freeze({
      /** Defender advanced hunting: Graph `runHuntingQuery`, or `api: "defender"`. */
      query: (query, options) => c.huntingQuery(query, o(options)),
    });
    this.keyVault = Object.freeze({
      /** Resolves to `{ value, id, attributes, … }`; from a page it fails (no CORS). */
      getSecret: (vault, name, options) => c.keyVaultSecret(vault, name, o(options)).then((r) => r.json),
    });
  }

  /** A client from the text of a `msticpyconfig.yaml`. */
  static fromMsticpyConfig(yamlText, options) {
    return new AzureClient(FROM_CONFIG, [yamlText, options]);
  }

  get cloud() {
    return this.#c.cloud;
  }
  get tenantId() {
    return this.#c.tenantId;
  }
  get workspaceId() {
    return this.#c.workspaceId;
  }
  get workspaces() {
    return this.#c.workspaces;
  }
  get authority() {
    return this.#c.authority;
  }
  /** `{ url, scope }` of `resourceManager`, `logAnalytics`, `microsoftGraph`, `defender`, `keyVault`. */
  endpoint(api) {
    return this.#c.endpoint(api);
  }
  /** Forgets the cached tokens. */
  clearTokens() {
    this.#c.clearTokens();
  }
  /** Releases the wasm memory (calls in flight finish). */
  free() {
    this.#c.free();
  }
}
