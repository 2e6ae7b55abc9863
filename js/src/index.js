// huntkit: threat hunting in the browser. Browser/bundler entry: call `await init()` first.
export { init, initSync, memoryUsage, setMemoryLimit } from "./core.js";
export { matrix, plotMatrix } from "./matrix.js";
export { buildProcessTree } from "./processTree.js";
export { plotProcessTree } from "./treePlot.js";
export { timelineSeries, timelineDuration, plotTimeline, plotTimelineValues, plotTimelineDuration } from "./timeline.js";
export { describeTable, readTable } from "./table.js";
export { IocExtractor, extractIocs, extractIocsFromTable, refang, defang } from "./ioc.js";
export { AzureClient } from "./azure.js";
export { msalTokenProvider, pastedTokenProvider } from "./msal.js";
