//! Process event schemas: which column holds what (MSTICPy's `ProcSchema`).

use crate::options::{Opt, OptionSource, Options, check_keys};
use crate::{Error, Result};

/// The value that marks process-creation events in [`ProcSchema::event_id_column`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventId {
    /// An integer event id (Windows 4688, Sysmon 1).
    Int(i64),
    /// A text event type (`SYSCALL_EXECVE`, `ProcessCreated`, `start`).
    Text(String),
}

impl EventId {
    /// Whether a cell's text (integers as decimal) is this id. MSTICPy needs the types to
    /// match exactly (int 4688 ≠ "4688"); huntkit compares the text, so both match.
    pub fn matches(&self, cell: &str) -> bool {
        match self {
            EventId::Int(i) => cell.trim().parse::<i64>().is_ok_and(|v| v == *i),
            EventId::Text(t) => cell == t,
        }
    }
}

/// Column mapping of process events: 12 column names and 2 values (the path separator and
/// the event id), as MSTICPy's `ProcSchema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcSchema {
    /// Image path or name of the created process (required).
    pub process_name: String,
    /// PID of the created process (required).
    pub process_id: String,
    /// PID of the parent (required).
    pub parent_id: String,
    /// Process creation time (required).
    pub time_stamp: String,
    /// Command line.
    pub cmd_line: Option<String>,
    /// Separator of `process_name` paths, for display (a value, not a column).
    pub path_separator: String,
    /// Account name.
    pub user_name: Option<String>,
    /// Logon/session id of the subject.
    pub logon_id: Option<String>,
    /// Host name.
    pub host_name_column: Option<String>,
    /// Parent image path/name (used in parent matching when present).
    pub parent_name: Option<String>,
    /// Target logon id (Windows 4688).
    pub target_logon_id: Option<String>,
    /// User SID/uid.
    pub user_id: Option<String>,
    /// Column holding the event type.
    pub event_id_column: Option<String>,
    /// Value of `event_id_column` that marks process creation (a value, not a column).
    pub event_id_identifier: Option<EventId>,
    /// A unique id of the process (Sysmon `ProcessGuid`, ECS `process.entity_id`): parents are
    /// found by it first, exactly, and by PID and time only where it is missing.
    pub process_guid: Option<String>,
    /// The parent's unique id (Sysmon `ParentProcessGuid`, ECS `process.parent.entity_id`).
    pub parent_guid: Option<String>,
    /// Which build reads the table.
    pub builder: Builder,
}

/// The build a schema's table goes through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Builder {
    /// One event per process; parents by unique id, else PID (and name) and time.
    #[default]
    Generic,
    /// Defender for Endpoint, Sentinel/M365D columns: three generations per row, flattened.
    Mde,
    /// Defender for Endpoint, internal columns (`CreatedProcess*`).
    MdeInternal,
}

impl Builder {
    /// From its name (`generic`, `mde`, `mde_internal`), as a custom mapping's `builder`.
    pub fn parse(name: &str) -> Option<Builder> {
        match name {
            "generic" => Some(Builder::Generic),
            "mde" => Some(Builder::Mde),
            "mde_internal" => Some(Builder::MdeInternal),
            _ => None,
        }
    }
}

/// The field names, as MSTICPy spells them (and as custom mappings name them).
pub const FIELDS: [&str; 17] = [
    "process_name",
    "process_id",
    "parent_id",
    "time_stamp",
    "cmd_line",
    "path_separator",
    "user_name",
    "logon_id",
    "host_name_column",
    "parent_name",
    "target_logon_id",
    "user_id",
    "event_id_column",
    "event_id_identifier",
    "process_guid",
    "parent_guid",
    "builder",
];

/// `snake_case` as `camelCase` (`process_name` → `processName`).
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut up = false;
    for ch in snake.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

impl ProcSchema {
    /// A custom mapping (`{ process_name: "Image", … }`) with MSTICPy's field names
    /// ([`FIELDS`]), snake_case or the same in camelCase. `process_name`, `process_id`,
    /// `parent_id` and `time_stamp` are required; `builder` picks the build.
    pub fn from_mapping(mapping: &dyn OptionSource) -> Result<ProcSchema> {
        let known: Vec<String> = FIELDS
            .iter()
            .flat_map(|f| [(*f).to_owned(), camel(f)])
            .collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        check_keys(mapping, &[&known])?;
        let get = |field: &str| match mapping.get(field) {
            Opt::Absent => mapping.get(&camel(field)),
            v => v,
        };
        let text = |field: &'static str| -> Result<Option<String>> {
            match get(field) {
                Opt::Absent => Ok(None),
                Opt::Text(s) => Ok(Some(s)),
                v => Err(Options::wrong(field, &v, "a column name (string)")),
            }
        };
        let required = |field: &'static str| -> Result<String> {
            text(field)?.ok_or_else(|| {
                Error::invalid_option(
                    "schema",
                    format!("a custom schema needs `{field}` (the column name)"),
                )
            })
        };
        Ok(ProcSchema {
            process_name: required("process_name")?,
            process_id: required("process_id")?,
            parent_id: required("parent_id")?,
            time_stamp: required("time_stamp")?,
            cmd_line: text("cmd_line")?,
            path_separator: text("path_separator")?.unwrap_or_else(|| "\\".to_owned()),
            user_name: text("user_name")?,
            logon_id: text("logon_id")?,
            host_name_column: text("host_name_column")?,
            parent_name: text("parent_name")?,
            target_logon_id: text("target_logon_id")?,
            user_id: text("user_id")?,
            event_id_column: text("event_id_column")?,
            event_id_identifier: match get("event_id_identifier") {
                Opt::Number(n) => Some(EventId::Int(n as i64)),
                Opt::Text(t) => Some(EventId::Text(t)),
                _ => None,
            },
            process_guid: text("process_guid")?,
            parent_guid: text("parent_guid")?,
            builder: match text("builder")? {
                None => Builder::Generic,
                Some(b) => Builder::parse(&b).ok_or_else(|| {
                    Error::invalid_option(
                        "schema",
                        format!("`builder` is \"generic\", \"mde\" or \"mde_internal\", not {b:?}"),
                    )
                })?,
            },
        })
    }
}

/// The Defender columns the MDE builds read, per export: the created (child) process, the
/// initiating process (its parent) and the initiating process's parent (the grandparent).
/// The built-in `mde` and `mde_internal` schemas name their columns from these.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MdeColumns {
    pub created_name: &'static str,
    pub created_pid: &'static str,
    pub created_time: &'static str,
    pub initiating_name: &'static str,
    pub initiating_pid: &'static str,
    pub initiating_time: &'static str,
    pub grandparent_name: &'static str,
    pub grandparent_pid: &'static str,
    pub grandparent_time: &'static str,
}

/// Sentinel's and Microsoft 365 Defender's `DeviceProcessEvents`.
pub(crate) const MDE_SENTINEL: MdeColumns = MdeColumns {
    created_name: "FileName",
    created_pid: "ProcessId",
    created_time: "ProcessCreationTime",
    initiating_name: "InitiatingProcessFileName",
    initiating_pid: "InitiatingProcessId",
    initiating_time: "InitiatingProcessCreationTime",
    grandparent_name: "InitiatingProcessParentFileName",
    grandparent_pid: "InitiatingProcessParentId",
    grandparent_time: "InitiatingProcessParentCreationTime",
};

/// Defender for Endpoint's internal export (MSTICPy's `MDE_INT_EVENT_SCH`).
pub(crate) const MDE_INTERNAL: MdeColumns = MdeColumns {
    created_name: "CreatedProcessName",
    created_pid: "CreatedProcessId",
    created_time: "CreatedProcessCreationTime",
    initiating_name: "InitiatingProcessName",
    initiating_pid: "InitiatingProcessId",
    initiating_time: "InitiatingProcessCreationTime",
    grandparent_name: "InitiatingProcessParentProcessName",
    grandparent_pid: "InitiatingProcessParentProcessId",
    grandparent_time: "InitiatingProcessParentCreationTime",
};

#[allow(clippy::too_many_arguments)]
fn schema(
    [
        time,
        name,
        pid,
        parent_name,
        ppid,
        logon,
        target_logon,
        cmd,
        user,
        user_id,
        host,
        event_col,
    ]: [&str; 12],
    event_id: Option<EventId>,
    sep: &str,
) -> ProcSchema {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    ProcSchema {
        process_name: name.to_owned(),
        process_id: pid.to_owned(),
        parent_id: ppid.to_owned(),
        time_stamp: time.to_owned(),
        cmd_line: opt(cmd),
        path_separator: sep.to_owned(),
        user_name: opt(user),
        logon_id: opt(logon),
        host_name_column: opt(host),
        parent_name: opt(parent_name),
        target_logon_id: opt(target_logon),
        user_id: opt(user_id),
        event_id_column: opt(event_col),
        event_id_identifier: event_id,
        process_guid: None,
        parent_guid: None,
        builder: Builder::Generic,
    }
}

/// `schema` read by another build.
fn built_by(mut s: ProcSchema, builder: Builder) -> ProcSchema {
    s.builder = builder;
    s
}

/// `schema` with unique process ids.
fn with_guids(mut s: ProcSchema, guid: &str, parent_guid: &str) -> ProcSchema {
    s.process_guid = Some(guid.to_owned());
    s.parent_guid = Some(parent_guid.to_owned());
    s
}

/// The built-in schemas in MSTICPy's `SUPPORTED_SCHEMAS` order (which decides inference ties):
/// `(name, schema)`. Names are huntkit's; [`builtin`] also takes MSTICPy's constant names.
pub fn builtins() -> Vec<(&'static str, ProcSchema)> {
    let text = |s: &str| Some(EventId::Text(s.to_owned()));
    // Columns: time, name, pid, parent name, ppid, logon, target logon, cmd line, user,
    // user id, host, event column.
    vec![
        (
            "windows",
            schema(
                [
                    "TimeGenerated",
                    "NewProcessName",
                    "NewProcessId",
                    "ParentProcessName",
                    "ProcessId",
                    "SubjectLogonId",
                    "TargetLogonId",
                    "CommandLine",
                    "SubjectUserName",
                    "SubjectUserSid",
                    "Computer",
                    "EventID",
                ],
                Some(EventId::Int(4688)),
                "\\",
            ),
        ),
        (
            "linux",
            schema(
                [
                    "TimeGenerated",
                    "exe",
                    "pid",
                    "",
                    "ppid",
                    "ses",
                    "",
                    "cmdline",
                    "acct",
                    "uid",
                    "Computer",
                    "EventType",
                ],
                text("SYSCALL_EXECVE"),
                "/",
            ),
        ),
        (
            "mde_internal",
            built_by(
                schema(
                    [
                        MDE_INTERNAL.created_time,
                        MDE_INTERNAL.created_name,
                        MDE_INTERNAL.created_pid,
                        "ParentProcessName",
                        "CreatedProcessParentId",
                        "InitiatingProcessLogonId",
                        "LogonId",
                        "CreatedProcessCommandLine",
                        "CreatedProcessAccountName",
                        "CreatedProcessAccountSid",
                        "ComputerDnsName",
                        "",
                    ],
                    None,
                    "\\",
                ),
                Builder::MdeInternal,
            ),
        ),
        (
            "mde",
            built_by(
                with_guids(
                    schema(
                        [
                            "Timestamp",
                            MDE_SENTINEL.created_name,
                            MDE_SENTINEL.created_pid,
                            MDE_SENTINEL.initiating_name,
                            MDE_SENTINEL.initiating_pid,
                            "InitiatingProcessLogonId",
                            "LogonId",
                            "ProcessCommandLine",
                            "AccountName",
                            "AccountSid",
                            "DeviceName",
                            "ActionType",
                        ],
                        text("ProcessCreated"),
                        "\\",
                    ),
                    "ProcessUniqueId",
                    "InitiatingProcessUniqueId",
                ),
                Builder::Mde,
            ),
        ),
        (
            "sysmon",
            with_guids(
                schema(
                    [
                        "UtcTime",
                        "Image",
                        "ProcessId",
                        "ParentImage",
                        "ParentProcessId",
                        "LogonId",
                        "",
                        "CommandLine",
                        "User",
                        "",
                        "Computer",
                        "EventID",
                    ],
                    Some(EventId::Int(1)),
                    "\\",
                ),
                "ProcessGuid",
                "ParentProcessGuid",
            ),
        ),
        (
            "osquery",
            schema(
                [
                    "calendarTime",
                    "name",
                    "pid",
                    "pcmdline",
                    "parent",
                    "",
                    "",
                    "cmdline",
                    "username",
                    "uid",
                    "",
                    "",
                ],
                None,
                "/",
            ),
        ),
        (
            "hx",
            schema(
                [
                    "starttime",
                    "process",
                    "pid",
                    "parentprocess",
                    "parentpid",
                    "",
                    "",
                    "processcmdline",
                    "username",
                    "",
                    "hostname",
                    "eventtype",
                ],
                text("start"),
                "\\",
            ),
        ),
        (
            // Elastic Common Schema: Elastic Endpoint, Winlogbeat and Auditbeat exports, whose
            // nested objects are read as dotted columns.
            "ecs",
            with_guids(
                schema(
                    [
                        "@timestamp",
                        "process.executable",
                        "process.pid",
                        "process.parent.executable",
                        "process.parent.pid",
                        "",
                        "",
                        "process.command_line",
                        "user.name",
                        "user.id",
                        "host.name",
                        "",
                    ],
                    None,
                    "\\",
                ),
                "process.entity_id",
                "process.parent.entity_id",
            ),
        ),
    ]
}

/// A built-in schema by huntkit name (`windows`, `linux`, `mde_internal`, `mde`, `sysmon`,
/// `osquery`, `hx`, `ecs`; `elastic` for the last) or MSTICPy constant name (`WIN_EVENT_SCH`, `LX_EVENT_SCH`,
/// `MDE_INT_EVENT_SCH`, `MDE_EVENT_SCH`, `SYSMON_PROCESS_CREATE_EVENT_SCH`,
/// `OSQUERY_EVENT_SCH`, `HX_PROCESSEVENT_SCH`), case-insensitive.
pub fn builtin(name: &str) -> Option<(&'static str, ProcSchema)> {
    let msticpy = [
        "win_event_sch",
        "lx_event_sch",
        "mde_int_event_sch",
        "mde_event_sch",
        "sysmon_process_create_event_sch",
        "osquery_event_sch",
        "hx_processevent_sch",
        "elastic",
    ];
    let lower = name.to_ascii_lowercase();
    builtins()
        .into_iter()
        .zip(msticpy)
        .find(|((ours, _), theirs)| *ours == lower || *theirs == lower)
        .map(|(found, _)| found)
}

impl ProcSchema {
    /// Every column name the schema maps (the fields that hold column names).
    pub fn columns(&self) -> Vec<&str> {
        [
            Some(&self.process_name),
            Some(&self.process_id),
            Some(&self.parent_id),
            Some(&self.time_stamp),
            self.cmd_line.as_ref(),
            self.user_name.as_ref(),
            self.logon_id.as_ref(),
            self.host_name_column.as_ref(),
            self.parent_name.as_ref(),
            self.target_logon_id.as_ref(),
            self.user_id.as_ref(),
            self.event_id_column.as_ref(),
            self.process_guid.as_ref(),
            self.parent_guid.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }

    /// The four columns every build needs.
    pub fn required(&self) -> [&str; 4] {
        [
            &self.process_name,
            &self.process_id,
            &self.parent_id,
            &self.time_stamp,
        ]
    }

    /// How many of this schema's columns `names` has (MSTICPy's inference score).
    pub fn score(&self, names: &[String]) -> usize {
        self.columns()
            .iter()
            .filter(|c| names.iter().any(|n| n == *c))
            .count()
    }
}

/// Host columns under the names collectors give them, most specific first.
pub const HOST_COLUMNS: [&str; 14] = [
    "Computer",
    "Hostname",
    "HostName",
    "hostname",
    "DeviceName",
    "ComputerName",
    "ComputerDnsName",
    "host.name",
    "host.hostname",
    "winlog.computer_name",
    "agent.hostname",
    "MachineName",
    "Host",
    "host",
];

/// Time columns under the names collectors give them.
pub const TIME_COLUMNS: [&str; 12] = [
    "TimeGenerated",
    "TimeCreated",
    "UtcTime",
    "Timestamp",
    "@timestamp",
    "EventTime",
    "event.created",
    "timestamp",
    "TimeCreatedUtc",
    "CreationTime",
    "_time",
    "time",
];

/// MSTICPy's `infer_schema`: the built-in schema sharing the most columns with `names`, ties
/// going to the later schema, if it shares at least 4. Returns `(name, schema, score)`.
pub fn infer(names: &[String]) -> Option<(&'static str, ProcSchema, usize)> {
    best(names).filter(|(_, _, score)| *score >= 4)
}

/// The best-scoring built-in schema whatever its score (for "closest schema" errors).
pub fn best(names: &[String]) -> Option<(&'static str, ProcSchema, usize)> {
    builtins()
        .into_iter()
        .map(|(name, s)| {
            let score = s.score(names);
            (name, s, score)
        })
        .fold(
            None,
            |acc: Option<(&str, ProcSchema, usize)>, cur| match acc {
                Some(a) if a.2 > cur.2 => Some(a),
                _ => Some(cur),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn builtins_and_names() {
        assert_eq!(builtins().len(), 8);
        assert_eq!(builtin("elastic").unwrap().0, "ecs");
        assert_eq!(builtin("WIN_EVENT_SCH").unwrap().0, "windows");
        assert_eq!(builtin("Sysmon").unwrap().1.process_name, "Image");
        assert!(builtin("macos").is_none());
        let win = builtin("windows").unwrap().1;
        assert_eq!(win.columns().len(), 12);
        assert_eq!(win.event_id_identifier, Some(EventId::Int(4688)));
        let osq = builtin("osquery").unwrap().1;
        assert_eq!(osq.columns().len(), 8);
    }

    #[test]
    fn inference_scores_and_ties() {
        // 4 Sysmon columns + ProcessId shared with others.
        let cols = names(&["UtcTime", "Image", "ProcessId", "ParentImage", "x"]);
        let (name, _, score) = infer(&cols).unwrap();
        assert_eq!((name, score), ("sysmon", 4));
        assert!(infer(&names(&["pid", "name", "x"])).is_none());
        // "pid" + "cmdline" + "uid" + "username" score 4 for osquery, 3 for linux: later wins ties.
        let cols = names(&["pid", "cmdline", "uid", "username"]);
        assert_eq!(infer(&cols).unwrap().0, "osquery");
        assert!(EventId::Int(4688).matches("4688"));
        assert!(!EventId::Text("start".into()).matches("Start"));
    }
}
