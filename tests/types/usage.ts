// Type-checked (not run) by tests/run.sh: the published .d.ts describes the API as used.
import {
  init,
  matrix,
  plotMatrix,
  describeTable,
  buildProcessTree,
  plotProcessTree,
  type MatrixResult,
  type ProcessSelection,
  type HuntkitError,
  type ProcessNode,
  type IocMatch,
  IocExtractor,
  extractIocs,
  extractIocsFromTable,
  refang,
  defang,
} from "huntkit";

await init();
const m: MatrixResult = matrix([{ a: "x", b: "y" }], { x: "a", y: "b", sort: "asc", logSize: true });
const first: number = m.cells[0].plotSize;
const cols: string[] = describeTable(new Uint8Array()).columns.map((c) => c.name);
const plot = plotMatrix(document.body, new ArrayBuffer(0), { x: "a", y: "b", title: "t", height: 300 });
plot.update({ invert: true }).destroy();
const zoom: number = plot.zoom;
function code(e: unknown): string {
  return (e as HuntkitError).code;
}
const tree = buildProcessTree([], { schema: { process_name: "a", process_id: "b", parent_id: "c", time_stamp: "d" } });
const roots: ProcessNode[] = tree.roots();
const depth: number = tree.summary().maxDepth;
const below: ProcessNode[] = tree.descendants(roots[0].key ?? "", 2);
const view = plotProcessTree(document.body, tree, { legendCol: "User", showTable: true, height: 500 });
const stop = view.on("select", (sel: ProcessSelection | null) => sel?.row?.["CommandLine"]);
view.on("toggle", ({ index, collapsed }) => index + Number(collapsed));
const hits: number[] = view.highlight("powershell");
const box = view.nodeBox(hits[0] ?? 0)?.[2];
view.update({ legendCol: null }).destroy();
stop();
plotProcessTree(document.body, new Uint8Array(), { schema: "windows" }).destroy();
tree.free();
const iocs: IocMatch[] = extractIocs("hxxp://evil[.]com", { types: ["url", "dns"], excludePrivate: true, maxDepth: 2 });
const where: [number, number, boolean, readonly string[]] = [iocs[0].start, iocs[0].end, iocs[0].defanged, iocs[0].decoded];
const ex = new IocExtractor().addIocType("ticket", "INC-(\\d+)", { group: 1, priority: 0 });
const names: string[] = ex.types;
const rules: number = ex.setPublicSuffixList("com");
const found: IocMatch[] = ex.extract("INC-1", { types: "ticket" });
const t = extractIocsFromTable([{ c: "x" }], { columns: "c", includePaths: true });
const firstRow: bigint = t.toRows()[0].Start;
const bytes: Uint8Array = t.toArrow();
const plain: string = refang(defang("evil.com", "dns"));
export { first, cols, zoom, code, depth, below, box, where, names, rules, found, firstRow, bytes, plain };

// Azure
import { AzureClient, msalTokenProvider, pastedTokenProvider, type AzureResult, type ResultTable } from "huntkit";
const az = new AzureClient({
  cloud: "usgov",
  getToken: msalTokenProvider({ clientId: "c", tenantId: "t", cloud: "usgov" }),
  workspace: { subscriptionId: "s", resourceGroup: "r", workspaceName: "w" },
});
const fromYaml = AzureClient.fromMsticpyConfig("Azure:\n  cloud: global\n", { getToken: pastedTokenProvider(["a.b.c"]) });
const ctl = new AbortController();
const res: AzureResult = await az.logAnalytics.query("T", { timespan: { start: new Date(), end: new Date() }, signal: ctl.signal });
const resultTable: ResultTable | null = res.table;
if (resultTable) buildProcessTree(resultTable).summary();
const incidents = await az.sentinel.incidents({ filter: "properties/severity eq 'High'", top: 10, limit: 50 });
const secret: string = (await fromYaml.keyVault.getSecret("kv", "name")).value;
const status: number | undefined = ({} as HuntkitError).status;

// Timelines
import { plotTimeline, plotTimelineDuration, plotTimelineValues, timelineSeries, timelineDuration, type TimelineSelection } from "huntkit";
const tl = timelineSeries({ logons: { data: [{ TimeGenerated: new Date() }], color: "red" } }, { refTimes: [[new Date(), "x"], "2024-01-01", { time: 1 }] });
const firstTimes: number[] = tl.series[0].times;
const vals: number[] | undefined = timelineSeries(new Uint8Array(), { valueColumn: "v", kind: ["vbar", "line"] }).series[0].values;
const spans: number = timelineDuration(new Uint8Array(), { groupBy: ["a", "b"], ylabelCols: "a" }).numRows;
const tlp = plotTimeline(null, new Uint8Array(), { groupBy: "Account", legend: "right", refTime: "2024-01-01T00:00:00Z", freeWhenDetached: false });
const sel: TimelineSelection | null = tlp.select(new Date(0), 1_700_000_000);
const winStart: Date = tlp.window[0];
tlp.setWindow("2024-01-01", "2024-01-02").toggleSeries(0).update({ rangeTool: false });
plotTimelineValues(document.body, new Uint8Array(), { valueColumn: "v" }).destroy();
plotTimelineDuration(document.body, new Uint8Array(), { groupBy: "a", endTimeColumn: "End" }).destroy();
export { firstTimes, vals, spans, sel, winStart };
