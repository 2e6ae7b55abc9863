// Types of azure.js: `AzureClient`: the Azure APIs through fetch.
import type { ResultTable } from "./table.js";

/** A token for **scope** (`<resource>/.default`), or a promise of one; MSAL's `{ accessToken }` is accepted. */
export type GetToken = (
  scope: string,
  context: { forceRefresh: boolean; tenantId?: string; authority?: string },
) => string | { accessToken: string } | Promise<string | { accessToken: string }>;

/** Endpoint overrides: URLs (a proxy, a test server, Azure Germany's) keep the cloud's token audience unless `<name>Audience` is given too. */
export interface AzureEndpoints {
  authority?: string;
  resourceManager?: string;
  logAnalytics?: string;
  microsoftGraph?: string;
  defender?: string;
  keyVaultSuffix?: string;
  resourceManagerAudience?: string;
  logAnalyticsAudience?: string;
  microsoftGraphAudience?: string;
  defenderAudience?: string;
}

/** The workspace Sentinel calls address. */
export interface SentinelWorkspace {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

/** Options of `new AzureClient(...)`. */
export interface AzureClientOptions {
  /** `global` (alias `public`), `usgov` (`gov`) or `cn` (`china`). `de` needs every endpoint given: Azure Germany closed on 2021-10-29. Default *global*. */
  cloud?: string;
  tenantId?: string;
  /** Asked for one token per API; see {@link msalTokenProvider} and {@link pastedTokenProvider}. */
  getToken: GetToken;
  endpoints?: AzureEndpoints;
  /** Defender for Endpoint environment: `global`, `us`, `eu`, `uk`, `gcc`, `gcc-high` or `dod` (default `global`, `gcc-high` in usgov). */
  defender?: string;
  /** Default Log Analytics workspace id. */
  workspaceId?: string;
  /** Sentinel workspace, or (from a msticpyconfig) the name of a configured workspace. */
  workspace?: SentinelWorkspace | string;
  /** Retries of 408/429/5xx: `Retry-After`/`x-ms-retry-after-ms` honoured, else exponential backoff with jitter. Defaults: 4 attempts, 500 ms base, 8 s cap, server waits up to 60 s. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Sentinel api-version (default `2025-06-01`). */
  sentinelApiVersion?: string;
}

/** Options every call takes. */
export interface AzureCallOptions {
  /** Cancels the call (it rejects with `code: "cancelled"`). */
  signal?: AbortSignal;
  /** Client timeout per request, seconds (rejects with `code: "timeout"`). */
  timeout?: number;
}

/** What a call resolves to. */
export interface AzureResult {
  /** The first table (null when there is none, e.g. a Key Vault secret). */
  table: ResultTable | null;
  /** Every table by name (`PrimaryResult`, `resources`, `incidents`, `results`, …). */
  tables: Array<{ name: string; table: ResultTable }>;
  /** Non-fatal problems: a partial Log Analytics result, a truncated Resource Graph result. */
  warnings: string[];
  /** The object itself for single-object results (an incident, a secret); Log Analytics: `{ statistics, render }` when sent. */
  json: unknown;
  pages: number;
  /** Requests sent, retries and the token refresh included. */
  requests: number;
}

export interface LogAnalyticsQueryOptions extends AzureCallOptions {
  /** Default: the client's. */
  workspaceId?: string;
  /** ISO 8601 duration (`P1D`) or interval, or `{ start, end }` as `Date`s or ISO strings. */
  timespan?: string | { start: Date | string; end: Date | string };
  additionalWorkspaces?: string[];
  /** Seconds the service may run the query (`Prefer: wait=`). Default *300*. */
  serverTimeout?: number;
  /** Reject a partial result instead of resolving with a warning. */
  failOnPartial?: boolean;
  statistics?: boolean;
}

export interface ResourceGraphQueryOptions extends AzureCallOptions {
  subscriptions?: string[];
  managementGroups?: string[];
  /** Most rows (default: every page). */
  limit?: number;
  apiVersion?: string;
}

export interface SentinelOptions extends AzureCallOptions {
  /** Most rows over all `nextLink` pages. */
  limit?: number;
  apiVersion?: string;
  /** Default: the client's. */
  workspace?: SentinelWorkspace;
}

/** Options of `hunting.query`. */
export interface HuntingQueryOptions extends AzureCallOptions {
  /** ISO 8601 interval, or `{ start, end }`. */
  timespan?: string | { start: Date | string; end: Date | string };
  /** *"graph"* (`security/runHuntingQuery`, the default where the cloud has it) or *"defender"*. */
  api?: "graph" | "defender";
}

/** Options of `keyVault.getSecret`. */
export interface KeyVaultSecretOptions extends AzureCallOptions {
  /** The secret's version. Default: the current one. */
  version?: string;
  /** Key Vault's api-version. Default *"7.5"*. */
  apiVersion?: string;
}

export interface SentinelIncidentsOptions extends SentinelOptions {
  /** OData `$filter`, e.g. `properties/severity eq 'High'`. */
  filter?: string;
  /** OData `$orderby`, e.g. `properties/createdTimeUtc desc`. */
  orderBy?: string;
  /** Page size (`$top`). */
  top?: number;
}

/** Azure APIs of one cloud through `fetch`; tokens stay in memory and go only to their API. */
export class AzureClient {
  constructor(options: AzureClientOptions);
  /** A client from the text of a `msticpyconfig.yaml` (`Azure.cloud`, `AzureSentinel.Workspaces`, the Defender environment). */
  static fromMsticpyConfig(yamlText: string, options: Omit<AzureClientOptions, "cloud"> & { cloud?: string }): AzureClient;
  readonly cloud: "global" | "usgov" | "cn" | "de";
  readonly tenantId: string | undefined;
  readonly workspaceId: string | undefined;
  /** Names of the configured workspaces (from a msticpyconfig). */
  readonly workspaces: string[];
  /** The sign-in host, e.g. `https://login.microsoftonline.us`. */
  readonly authority: string;
  endpoint(api: "resourceManager" | "logAnalytics" | "microsoftGraph" | "defender" | "keyVault"): { url: string; scope: string };
  readonly logAnalytics: { query(query: string, options?: LogAnalyticsQueryOptions): Promise<AzureResult> };
  readonly resourceGraph: { query(query: string, options?: ResourceGraphQueryOptions): Promise<AzureResult> };
  readonly sentinel: {
    incidents(options?: SentinelIncidentsOptions): Promise<AzureResult>;
    incident(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentEntities(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentAlerts(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentComments(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    bookmarks(options?: SentinelOptions): Promise<AzureResult>;
    watchlists(options?: SentinelOptions): Promise<AzureResult>;
    watchlistItems(alias: string, options?: SentinelOptions): Promise<AzureResult>;
    analyticsRules(options?: SentinelOptions): Promise<AzureResult>;
  };
  /** Defender advanced hunting: Graph `security/runHuntingQuery` (default where the cloud has it), or the Defender API. */
  readonly hunting: {
    query(query: string, options?: HuntingQueryOptions): Promise<AzureResult>;
  };
  /** Key Vault's data plane sends no CORS headers: from a page this rejects (`code: "network"`) saying so. */
  readonly keyVault: {
    getSecret(vault: string, name: string, options?: KeyVaultSecretOptions): Promise<{ value: string; id: string; attributes?: Record<string, unknown> }>;
  };
  /** Forgets the cached tokens. */
  clearTokens(): void;
  free(): void;
}
