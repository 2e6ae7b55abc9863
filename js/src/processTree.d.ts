// Types of processTree.js: `buildProcessTree` and the `ProcessTree` class.
import type { TableInput, ResultTable } from "./table.js";

/** MSTICPy's schema fields (snake_case or camelCase) mapped to column names. */
export interface ProcessSchemaMapping {
  process_name: string;
  process_id: string;
  parent_id: string;
  time_stamp: string;
  cmd_line?: string;
  /** A value: the separator of process paths. Default *"\\"*. */
  path_separator?: string;
  user_name?: string;
  logon_id?: string;
  host_name_column?: string;
  /** Parent image name; when set, parents are matched by PID **and** name. */
  parent_name?: string;
  target_logon_id?: string;
  user_id?: string;
  event_id_column?: string;
  /** A value: rows whose **event_id_column** equals it are process creations. */
  event_id_identifier?: string | number;
  /** The process's unique id (Sysmon `ProcessGuid`, ECS `process.entity_id`): parents are linked by it first, exactly. */
  process_guid?: string;
  /** The parent's unique id (`ParentProcessGuid`, `process.parent.entity_id`). */
  parent_guid?: string;
  /**
   * A value: the build that reads the table. *"mde"* and *"mde_internal"* flatten Defender rows
   * (created, initiating and initiating-parent processes). Default *"generic"*.
   */
  builder?: "generic" | "mde" | "mde_internal";
}

/** Options of {@link buildProcessTree}. */
export interface ProcessTreeOptions {
  /**
   * A built-in schema (*"windows"*, *"linux"*, *"mde"* (Sentinel/M365D `DeviceProcessEvents`),
   * *"mde_internal"*, *"sysmon"*, *"osquery"*, *"hx"*, *"ecs"* (Elastic); MSTICPy's names
   * such as *"WIN_EVENT_SCH"* work too) or a custom mapping. Default: inferred from the columns
   * as MSTICPy does.
   */
  schema?: string | ProcessSchemaMapping;
  /**
   * Keep only process creations when the schema has an event-id column (4688, Sysmon 1,
   * `SYSCALL_EXECVE`, `ProcessCreated`); the other rows are counted in `rowsFilteredOut`.
   * Default *true*.
   */
  eventFilter?: boolean;
  /**
   * A text time that does not parse (ISO 8601, `M/D/YYYY h:mm:ss AM`, epoch numbers and
   * FILETIME do): an error naming the row and value (*"error"*, the default), or a flagged
   * root counted in `timesUnparsed` (*"flag"*).
   */
  badTimes?: "error" | "flag";
}

/** One process of a tree. */
export interface ProcessNode {
  /** MSTICPy's `proc_key`: `lower(name)|pid|time` (time rounded to 10 µs). */
  key: string | null;
  parentKey: string | null;
  name: string | null;
  pid: string | null;
  host: string | null;
  /** Creation time in ms since the epoch (`new Date(time)`); 0 for inferred parents. */
  time: number | null;
  /** 1 for roots. */
  depth: number;
  path: string;
  isRoot: boolean;
  isLeaf: boolean;
  isBranch: boolean;
  /** A parent synthesized because it is not in the data. */
  inferred: boolean;
  /** The input row, or `null` for an inferred parent. */
  row: number | null;
  /** Why the row is odd (missing PID or time, part of a PID-reuse cycle), if it is. */
  flag: string | null;
}

/** Counts of a tree. Data rows out + inferred = processes + duplicates dropped. */
export interface ProcessTreeSummary {
  rowsIn: number;
  /** Rows that are not process-creation events under the schema's event filter. */
  rowsFilteredOut: number;
  processes: number;
  roots: number;
  leaves: number;
  branches: number;
  isolated: number;
  maxDepth: number;
  inferred: number;
  duplicatesDropped: number;
  flagged: number;
  /** Parent links made by unique process ids (exact). */
  linkedById: number;
  /** Parent links made by PID and time to a process in the data. */
  linkedByPid: number;
  /** Rows whose time did not parse (with `badTimes: "flag"`). */
  timesUnparsed: number;
}

/**
 * A process: its key (`node.key`, the first process with that key), or a node object, which
 * also names its host (the same key can occur on several hosts).
 */
export type ProcessRef = string | Pick<ProcessNode, "key" | "host">;

/** A built process tree. */
export class ProcessTree {
  private constructor();
  readonly schemaName: string;
  summary(): ProcessTreeSummary;
  /** Every node, in tree order (by path, then time). */
  nodes(): ProcessNode[];
  node(process: ProcessRef): ProcessNode;
  roots(): ProcessNode[];
  parent(process: ProcessRef): ProcessNode | null;
  children(process: ProcessRef): ProcessNode[];
  /** Root first, down to the node's parent. */
  ancestors(process: ProcessRef): ProcessNode[];
  /** Everything below the node in tree order, down to **depth** levels (default: all). */
  descendants(process: ProcessRef, depth?: number): ProcessNode[];
  siblings(process: ProcessRef): ProcessNode[];
  /** Every input column (null on inferred rows) plus the tree columns, as Arrow IPC stream bytes. */
  toArrow(): Uint8Array;
  /** The same as row objects (64-bit integers as BigInt, times as `Date`). */
  toRows(): Array<Record<string, unknown>>;
  /**
   * MSTICPy's `tree_to_text`: a block per process (`Process/PID`, `Time`, `Cmdline`, `Account`
   * lines), indented by depth, wrapped at **width** columns as Python's textwrap does. Default *80*.
   */
  toText(width?: number): string;
  /** Frees the wasm memory now instead of at garbage collection. */
  free(): void;
}

/**
 * Builds the process tree of process-creation events (MSTICPy's `build_process_tree`): parents
 * are matched by PID (and parent name where the schema has one) within a host to the latest
 * process started at or before the child; missing parents are inferred and flagged. Defender for
 * Endpoint rows are flattened (created / initiating / initiating-parent) and missing parents and
 * grandparents inferred.
 */
export function buildProcessTree(table: TableInput, options?: ProcessTreeOptions): ProcessTree;
