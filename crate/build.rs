//! Build script: turns the Public Suffix List snapshot in `data/` into the compact rule list
//! the IoC extractor embeds (`$OUT_DIR/psl_icann.txt`): the ICANN section only (as tldextract
//! uses by default), one rule per line.

use std::{env, fs, path::Path};

fn main() {
    let src = Path::new("data/public_suffix_list.dat");
    println!("cargo:rerun-if-changed={}", src.display());
    let text = fs::read_to_string(src).expect("data/public_suffix_list.dat is readable");
    let mut out = String::new();
    let mut in_icann = false;
    for line in text.lines() {
        let line = line.trim();
        if line.contains("===BEGIN ICANN DOMAINS===") {
            in_icann = true;
        } else if line.contains("===END ICANN DOMAINS===") {
            break;
        }
        if !in_icann || line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line.split_whitespace().next().unwrap_or_default());
        out.push('\n');
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR is set")).join("psl_icann.txt");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
