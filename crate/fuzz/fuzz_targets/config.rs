//! msticpyconfig.yaml: parsing arbitrary text never panics, and a parsed config's workspace
//! lookup never panics.
#![no_main]

use huntkit::azure::MsticpyConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(config) = MsticpyConfig::parse(&text) {
        let _ = config.workspace(None);
        for w in &config.workspaces {
            assert!(config.workspace(Some(&w.name)).is_ok());
        }
    }
});
