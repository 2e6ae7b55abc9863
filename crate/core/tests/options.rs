//! Every call's options, read natively from JSON objects the way the bindings read JS objects:
//! keys, types, defaults and the errors that name the option.

use huntkit::ioc::{ExtractOptions, IocExtractor, IocType};
use huntkit::matrix::{AxisSort, MatrixOptions, SortOrder};
use huntkit::options::Options;
use huntkit::proctree::{BuildOptions, Builder, SchemaChoice};
use huntkit::render::{Color, MatrixStyle, PidFormat, TreeStyle};
use huntkit::timeline::{NamedSeries, Size, TimelineOptions, ValueKind};
use serde_json::{Map, Value, json};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// The error message of reading `v` with `read` under the key lists `keys`.
fn err<T>(v: Value, keys: &[&[&str]], read: impl Fn(&Options<'_>) -> huntkit::Result<T>) -> String {
    let m = obj(v);
    match Options::new(&m, keys).and_then(|o| read(&o)) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn matrix_options() {
    let m = obj(
        json!({"xCol": "a", "y": "b", "valueCol": "v", "distCount": true,
                       "sort": "desc", "sortX": false, "sortY": "asc", "title": "T",
                       "color": "#00f", "minRadius": 3}),
    );
    let o = Options::new(&m, &[MatrixOptions::KEYS, MatrixStyle::KEYS]).unwrap();
    let opts = MatrixOptions::read(&o).unwrap();
    assert_eq!((opts.x.as_str(), opts.y.as_str()), ("a", "b"));
    assert_eq!(opts.value_col.as_deref(), Some("v"));
    assert!(opts.dist_count && !opts.log_size);
    assert_eq!(opts.sort, Some(SortOrder::Desc));
    assert_eq!(opts.sort_x, AxisSort::Off);
    assert_eq!(opts.sort_y, AxisSort::Sorted(SortOrder::Asc));
    let style = MatrixStyle::read(&o).unwrap();
    assert_eq!(style.title, "T");
    assert_eq!(style.color, Color::rgb(0, 0, 255));
    assert_eq!(style.min_radius, 3.0);
    assert_eq!(
        style.max_label_font_size,
        MatrixStyle::default().max_label_font_size
    );

    let keys = &[MatrixOptions::KEYS, MatrixStyle::KEYS];
    let e = err(json!({"x": "a"}), keys, MatrixOptions::read);
    assert!(e.contains("`y`") && e.contains("required"), "{e}");
    let e = err(
        json!({"x": "a", "y": "b", "logsize": true}),
        keys,
        MatrixOptions::read,
    );
    assert!(e.contains("did you mean `logSize`?"), "{e}");
    let e = err(
        json!({"x": "a", "y": "b", "sort": 1}),
        keys,
        MatrixOptions::read,
    );
    assert!(
        e.contains("a boolean or \"asc\"/\"desc\", got number"),
        "{e}"
    );
    let e = err(json!({"color": "chartreuse-ish"}), keys, MatrixStyle::read);
    assert!(e.contains("#rgb, #rrggbb"), "{e}");
    let e = err(json!({"fontSize": 0}), keys, MatrixStyle::read);
    assert!(e.contains("positive"), "{e}");
    // `matrix` alone refuses the plot's keys.
    let e = err(
        json!({"x": "a", "y": "b", "title": "T"}),
        &[MatrixOptions::KEYS],
        MatrixOptions::read,
    );
    assert!(e.contains("unknown option `title`"), "{e}");
}

#[test]
fn process_tree_options_and_custom_mappings() {
    let m = obj(
        json!({"schema": {"processName": "Image", "process_id": "Pid",
                                  "parentId": "PPid", "time_stamp": "T", "eventIdIdentifier": 1,
                                  "builder": "mde"},
                       "badTimes": "flag", "eventFilter": false,
                       "pidFmt": "dec", "rowHeight": 20, "tooltipCols": ["a", "b"]}),
    );
    let o = Options::new(&m, &[BuildOptions::KEYS, TreeStyle::KEYS]).unwrap();
    let (choice, build) = BuildOptions::read(&o).unwrap();
    let SchemaChoice::Custom(schema) = choice else {
        panic!("a custom schema")
    };
    assert_eq!(schema.process_name, "Image");
    assert_eq!(schema.parent_id, "PPid");
    assert_eq!(schema.path_separator, "\\");
    assert_eq!(schema.builder, Builder::Mde);
    assert!(build.flag_bad_times && !build.event_filter);
    let style = TreeStyle::read(&o).unwrap();
    assert_eq!(style.pid_format, PidFormat::parse("dec").unwrap());
    assert_eq!(style.row_height, 20.0);
    assert_eq!(
        style.tooltip_cols,
        Some(vec!["a".to_owned(), "b".to_owned()])
    );

    let m = obj(json!({"schema": "sysmon"}));
    let o = Options::new(&m, &[BuildOptions::KEYS]).unwrap();
    assert!(matches!(BuildOptions::read(&o).unwrap().0, SchemaChoice::Named(n) if n == "sysmon"));
    let keys = &[BuildOptions::KEYS];
    let e = err(
        json!({"schema": {"process_name": "a"}}),
        keys,
        BuildOptions::read,
    );
    assert!(e.contains("a custom schema needs `process_id`"), "{e}");
    let e = err(
        json!({"schema": {"proces_name": "a"}}),
        keys,
        BuildOptions::read,
    );
    assert!(e.contains("did you mean `process_name`?"), "{e}");
    let e = err(
        json!({"schema": {"process_name": 1}}),
        keys,
        BuildOptions::read,
    );
    assert!(
        e.contains("`process_name`") && e.contains("column name"),
        "{e}"
    );
    let e = err(json!({"badTimes": "skip"}), keys, BuildOptions::read);
    assert!(
        e.contains("expected \"error\" or \"flag\", got \"skip\""),
        "{e}"
    );
    let e = err(json!({"schema": 3}), keys, BuildOptions::read);
    assert!(e.contains("schema name or a column mapping"), "{e}");
    let tree = &[BuildOptions::KEYS, TreeStyle::KEYS];
    let e = err(json!({"rowHeight": 2}), tree, TreeStyle::read);
    assert!(e.contains("from 8 to 200"), "{e}");
    let e = err(json!({"tooltipCols": "a"}), tree, TreeStyle::read);
    assert!(e.contains("an array of column names"), "{e}");
}

#[test]
fn timeline_options() {
    let m = obj(
        json!({"timeColumn": "T", "groupBy": "Host", "size": "Bytes",
                       "legend": "right", "ygrid": false, "refTime": "2024-01-01T00:00:00Z",
                       "refTimes": ["2024-01-01T00:00:01Z", ["2024-01-01T00:00:02Z", "two"],
                                    {"time": 1704067203000i64, "label": "three"}],
                       "kind": ["vbar", "line"], "refEvents": {"not": "read here"},
                       "refCol": "Label"}),
    );
    let o = Options::new(&m, &[TimelineOptions::KEYS]).unwrap();
    let (t, kind) = TimelineOptions::read(&o).unwrap();
    assert_eq!(t.time_column, "T");
    assert_eq!(t.group_by, ["Host"]);
    assert_eq!(t.size, Some(Size::Column("Bytes".into())));
    assert_eq!(t.ygrid, Some(false));
    assert!(t.yaxis && t.range_tool);
    let s = 1_704_067_200_000_000_000i64;
    assert_eq!(t.ref_time, Some(s));
    let second = 1_000_000_000;
    assert_eq!(
        t.ref_times,
        [
            (s + second, None),
            (s + 2 * second, Some("two".into())),
            (s + 3 * second, Some("three".into()))
        ]
    );
    assert_eq!(t.ref_events.unwrap().label_column.as_deref(), Some("Label"));
    assert_eq!(kind, Some(vec![ValueKind::Vbar, ValueKind::Line]));

    let keys = &[TimelineOptions::KEYS];
    let e = err(json!({"refCol": "x"}), keys, TimelineOptions::read);
    assert!(
        e.contains("`refCol`") && e.contains("only with `refEvents`"),
        "{e}"
    );
    let e = err(
        json!({"refTimes": ["yesterday"]}),
        keys,
        TimelineOptions::read,
    );
    assert!(e.contains("ISO 8601") && e.contains("\"yesterday\""), "{e}");
    let e = err(json!({"legend": "top"}), keys, TimelineOptions::read);
    assert!(
        e.contains("\"left\", \"right\", \"inline\" or \"none\""),
        "{e}"
    );
    let e = err(json!({"size": -2}), keys, TimelineOptions::read);
    assert!(e.contains("positive"), "{e}");
    let e = err(json!({"kind": ["bars"]}), keys, TimelineOptions::read);
    assert!(e.contains("\"vbar\", \"circle\" or \"line\""), "{e}");

    let m = obj(json!({"data": [], "color": "navy", "size": 4}));
    let o = Options::new(&m, &[NamedSeries::KEYS]).unwrap();
    let series = NamedSeries::read("a", &o).unwrap();
    assert_eq!(
        (series.name.as_str(), series.color.as_deref()),
        ("a", Some("navy"))
    );
    assert_eq!(series.size, Some(Size::Fixed(4.0)));
}

#[test]
fn ioc_options() {
    let mut x = IocExtractor::new();
    let m = obj(json!({"types": ["ipv4", "url"], "refang": false, "maxDepth": 2}));
    let o = Options::new(&m, &[ExtractOptions::KEYS]).unwrap();
    let opts = ExtractOptions::read(&o, &x).unwrap();
    assert_eq!(opts.types.as_ref().map(Vec::len), Some(2));
    assert!(!opts.refang && opts.decode && opts.include_paths);
    assert_eq!(opts.max_depth, 2);

    let m = obj(json!({"columns": "CommandLine"}));
    let o = Options::new(&m, &[ExtractOptions::TABLE_KEYS, ExtractOptions::KEYS]).unwrap();
    let (columns, opts) = ExtractOptions::read_table(&o, &x).unwrap();
    assert_eq!(columns, ["CommandLine"]);
    assert!(opts.table_mode && !opts.include_paths);
    let e = err(json!({}), &[ExtractOptions::TABLE_KEYS], |o| {
        ExtractOptions::read_table(o, &x)
    });
    assert!(e.contains("name the columns to search"), "{e}");
    let e = err(json!({"types": ["ipv5"]}), &[ExtractOptions::KEYS], |o| {
        ExtractOptions::read(o, &x)
    });
    assert!(e.contains("did you mean `ipv4`?"), "{e}");
    let e = err(json!({"maxDepth": 9}), &[ExtractOptions::KEYS], |o| {
        ExtractOptions::read(o, &x)
    });
    assert!(e.contains("from 0 to 8"), "{e}");

    let m = obj(json!({"priority": 1, "group": 1}));
    let o = Options::new(&m, &[IocExtractor::TYPE_KEYS]).unwrap();
    x.add_type_with("ticket", r"TICKET-(\d+)", &o).unwrap();
    let found = x.extract("see TICKET-42", &ExtractOptions::default());
    assert!(found.iter().any(|f| f.value == "42"), "{found:?}");
    let e = huntkit::ioc::defang_named("a.com", Some("dnss"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean `dns`?"), "{e}");
    assert_eq!(
        huntkit::ioc::defang_named("a.com", Some("dns")).unwrap(),
        "a[.]com"
    );
    assert_eq!(IocType::parse("dns"), Some(IocType::Dns));
}

#[test]
fn timeline_kinds_by_name() {
    use huntkit::timeline::Kind;
    assert_eq!(Kind::named("events", None).unwrap(), Kind::Events);
    let values = Kind::named("values", Some(vec![ValueKind::Line])).unwrap();
    assert_eq!(values, Kind::Values(vec![ValueKind::Line]));
    assert_eq!(values.name(), "values");
    assert_eq!(Kind::named("duration", None).unwrap().name(), "duration");
    let e = Kind::named("events", Some(vec![])).unwrap_err().to_string();
    assert!(
        e.contains("`kind`") && e.contains("values timeline only"),
        "{e}"
    );
    let e = Kind::named("gantt", None).unwrap_err().to_string();
    assert!(e.contains("got \"gantt\""), "{e}");
}
