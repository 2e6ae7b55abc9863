//! Build script: turns the Public Suffix List snapshot in `data/` into the compact rule list
//! the IoC extractor embeds (`$OUT_DIR/psl_icann.txt`): the ICANN section only (as tldextract
//! uses by default), one rule per line.

use std::{env, fs, path::Path};

#[path = "src/ioc/psl_rules.rs"]
mod psl_rules;

fn main() {
    let src = Path::new("data/public_suffix_list.dat");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed=src/ioc/psl_rules.rs");
    let text = fs::read_to_string(src).expect("data/public_suffix_list.dat is readable");
    let mut out = String::new();
    for rule in psl_rules::icann_rules(&text) {
        out.push_str(rule);
        out.push('\n');
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR is set")).join("psl_icann.txt");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
