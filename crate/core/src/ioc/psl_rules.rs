//! The rules of `public_suffix_list.dat` text: shared by the build script (which embeds the
//! snapshot's rules) and [`super::psl::SuffixList::parse`] (which reads any list at run time).

/// Each rule of `text`, as written (`com`, `*.ck`, `!www.ck`): the ICANN section when the
/// text has the section markers (tldextract's default), else every rule; no comments or blanks.
pub fn icann_rules(text: &str) -> impl Iterator<Item = &str> {
    let mut in_icann = !text.contains("===BEGIN ICANN DOMAINS===");
    let mut done = false;
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.contains("===BEGIN ICANN DOMAINS===") {
            in_icann = true;
        } else if line.contains("===END ICANN DOMAINS===") {
            done = true;
        }
        let rule = !done && in_icann && !line.is_empty() && !line.starts_with("//");
        rule.then(|| line.split_whitespace().next().unwrap_or_default())
    })
}
