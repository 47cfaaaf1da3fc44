#!/usr/bin/env python3
"""Blind held-out PII corpus #4 for the telemetra scrubber.

Written by a helper session that never read the scrubber (src/pii), its tests or the other
corpora (only values.py and the convention header of heldout3.py), and never tuned against it.

Every record below was written by hand; generated values are filled in from templates.
Inline annotations:
  ⟦class:value⟧  a secret: value must be ABSENT from scrubbed output
  ⟪class:value⟫  a keep:   value must SURVIVE scrubbing
  §KIND§ / §KIND:arg§ / §KIND#k§ / §KIND:arg#k§
                 generated value (checksum-valid where relevant); '#k' reuses the same
                 value within one record.
Name secrets are split into their capitalised tokens (particles such as "van", "de" are
dropped); private_key secrets become their base64 body lines.

Record schema (one JSON object per line):
  id "heldout4-NNNN", part "heldout4", format, lang, text,
  secrets [str], keeps [str], secret_classes [str] (parallel to secrets),
  keep_classes [str] (parallel to keeps).

Run:  python3 heldout4.py   -> writes heldout4.jsonl next to this script.
"""
import base64
import json
import os
import random
import re
import string
import sys
import urllib.parse
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
for p in (HERE,):
    if os.path.exists(os.path.join(p, "values.py")):
        sys.path.insert(0, p)
        break
import values as V  # noqa: E402

SEED = 4404
OUT = os.path.join(HERE, "heldout4.jsonl")

SECRET_CLASSES = {"name", "email", "phone", "address", "postcode", "ip", "token", "api_key", "password",
                  "private_key", "card", "iban", "bank_account", "routing", "national_id", "dob", "imei",
                  "wallet", "home_path", "content", "otp", "photo_url"}
KEEP_CLASSES = {"id", "count", "duration", "version", "service", "host", "pod", "metric", "code", "timestamp",
                "path", "word", "hash", "amount"}
FORMATS = {"access", "json", "logfmt", "http", "curl", "sql", "yaml", "csv", "ci", "k8s", "stack_java", "stack_py",
           "stack_go", "stack_js", "dogstatsd", "prom", "chat", "prose", "syslog", "email_headers", "url", "clean"}
LANGS = {"en", "de", "es", "fr", "pl", "pt", "it", "nl", "sv", "hi"}
PARTICLES = {"van", "de", "der", "den", "von", "da", "di", "del", "della", "dos", "das", "do", "du", "la", "le",
             "ten", "ter", "zu", "y", "e", "bin", "binti", "ibn", "al", "el", "mac"}

RECORDS = []


def R(fmt, lang, text, n=1):
    assert fmt in FORMATS, fmt
    assert lang in LANGS, lang
    for _ in range(n):
        RECORDS.append((fmt, lang, text))


# ---------------------------------------------------------------- name pools (many cultures)
GIVEN = {k: list(v) for k, v in V.GIVEN.items()}
SURNAME = {k: list(v) for k, v in V.SURNAME.items()}
GIVEN["en"] += ["Aaliyah", "DeShawn", "Connor", "Siobhan", "Declan", "Brittany", "Tyler", "Megan", "Marcus", "Keisha",
                "Caleb", "Madison", "Ethan", "Abigail", "Trevor", "Natalie"]
SURNAME["en"] += ["O'Brien", "Washington", "McAllister", "Okafor", "Nguyen", "Hernandez", "Kowalczyk", "Fitzgerald",
                  "Bennett", "Sullivan", "Chen", "Patterson"]
GIVEN["nl"] = ["Sanne", "Daan", "Bram", "Femke", "Lieke", "Joost", "Thijs", "Anouk", "Ruben", "Marloes", "Pieter", "Esther"]
SURNAME["nl"] = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Mulder", "de Boer", "van den Berg",
                 "Meijer", "Hendriks", "Dekker"]
GIVEN["sv"] = ["Erik", "Astrid", "Linnea", "Oskar", "Maja", "Björn", "Ingrid", "Sven", "Elsa", "Gustav", "Freja", "Anders"]
SURNAME["sv"] = ["Johansson", "Lindqvist", "Andersson", "Nilsson", "Karlsson", "Eriksson", "Lundgren", "Bergström",
                 "Holm", "Sjöberg", "Lindholm", "Åkesson"]
# other cultures that show up in any-language logs
GIVEN["xx"] = ["Wei", "Xiaoling", "Haoran", "Yuki", "Haruto", "Aiko", "Min-jun", "Seo-yeon", "Ji-woo", "Omar", "Layla",
               "Youssef", "Fatima", "Mehmet", "Elif", "Emre", "Chinedu", "Ngozi", "Oluwaseun", "Tunde", "Amani",
               "Wanjiru", "Dmitri", "Olga", "Svetlana", "Noa", "Yonatan", "Dariush", "Shirin", "Thanh", "Maricel",
               "Kwame", "Abena", "Tariq", "Zainab", "Nikolai", "Ayşe", "Hiroshi", "Mei", "Ravi", "Bongani"]
SURNAME["xx"] = ["Zhang", "Chen", "Liu", "Tanaka", "Sato", "Nakamura", "Kim", "Park", "Haddad", "Mansour", "Yılmaz",
                 "Demir", "Kaya", "Okafor", "Adeyemi", "Bakare", "Mwangi", "Kamau", "Ivanov", "Smirnova", "Levi",
                 "Cohen", "Rahimi", "Tehrani", "Tran", "Dela Cruz", "Mensah", "Asante", "Hussain", "Qureshi",
                 "Petrov", "Watanabe", "Dlamini", "Abubakar", "Kariuki", "Huang"]
ALL_LANG = list(GIVEN.keys())


def _ascii(s):
    import unicodedata
    s = s.replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("æ", "ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z\-]", "", s.replace(" ", "").replace("'", ""))


def make_gen(rng):
    D = lambda n: "".join(rng.choice(string.digits) for _ in range(n))
    H = lambda n: "".join(rng.choice("0123456789abcdef") for _ in range(n))
    A = lambda n: "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))

    def lang_of(arg):
        if arg in (None, "", "any"):
            return rng.choice(ALL_LANG)
        return arg

    def first(arg=None):
        return rng.choice(GIVEN[lang_of(arg)])

    def last(arg=None):
        return rng.choice(SURNAME[lang_of(arg)])

    def full(arg=None):
        l = lang_of(arg)
        return f"{rng.choice(GIVEN[l])} {rng.choice(SURNAME[l])}"

    def email(arg=None):
        l = lang_of(arg)
        f, s = _ascii(rng.choice(GIVEN[l])).lower(), _ascii(rng.choice(SURNAME[l])).lower()
        local = rng.choice([f"{f}.{s}", f"{f[0]}{s}", f"{f}{rng.randint(1, 99)}", f"{f}_{s}{rng.randint(70, 99)}",
                            f"{s}.{f[0]}", f"{f}.{s}+shop"])
        dom = rng.choice(V.DOMAINS + ["hotmail.com", "icloud.com", "proton.me", "web.de", "ziggo.nl", "telia.se",
                                      "gmx.net", "orange.fr", "sapo.pt", "o2.pl"])
        return f"{local}@{dom}"

    def phone(arg=None):
        l = lang_of(arg)
        if l == "xx":
            l = "en"
        if l == "nl":
            return rng.choice([f"+31 6 {D(8)}", f"06-{D(8)}", f"020 {D(3)} {D(4)}", f"+31 (0)10 {D(3)} {D(4)}"])
        if l == "sv":
            return rng.choice([f"+46 70 {D(3)} {D(2)} {D(2)}", f"070-{D(3)} {D(2)} {D(2)}", f"08-{D(3)} {D(2)} {D(2)}",
                               f"+46 8 {D(3)} {D(3)} {D(2)}"])
        if l == "fr":
            P = lambda: f"{rng.randint(0, 99):02d}"
            return rng.choice([f"+33 6 {P()} {P()} {P()} {P()}", f"06 {P()} {P()} {P()} {P()}",
                               f"+33 (0)1 {P()} {P()} {P()} {P()}", f"07 {P()} {P()} {P()} {P()}"])
        return V.phone(rng, l)

    def street(arg=None):
        l = lang_of(arg)
        if l == "xx":
            l = "en"
        if l == "nl":
            return rng.choice(["Keizersgracht", "Prinsengracht", "Kerkstraat", "Dorpsstraat", "Stationsweg",
                               "Molenlaan"]) + f" {rng.randint(1, 320)}" + rng.choice(["", "", "-II", "A", " hs"])
        if l == "sv":
            return rng.choice(["Drottninggatan", "Storgatan", "Kungsgatan", "Vasagatan", "Sveavägen",
                               "Hornsgatan"]) + f" {rng.randint(1, 140)}" + rng.choice(["", "", "B", " lgh 1102"])
        pat, words = rng.choice(V.STREETS[l])
        return pat.format(n=rng.randint(1, 220), w=rng.choice(words))

    def postcode(arg=None):
        l = lang_of(arg)
        if l in ("de", "es", "it", "fr") or (l == "en" and rng.random() < 0.5):
            return D(5) if l != "fr" else rng.choice(["75", "69", "13", "31", "33"]) + D(3)
        if l in ("en", "xx"):
            return rng.choice(["SW", "NW", "EC", "M", "B", "LS", "G"]) + str(rng.randint(1, 20)) + " " + D(1) + \
                "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        if l == "pl":
            return f"{D(2)}-{D(3)}"
        if l == "pt":
            return f"{D(4)}-{D(3)}" if rng.random() < 0.5 else f"{D(5)}-{D(3)}"
        if l == "nl":
            return f"{rng.randint(1000, 9999)} " + "".join(rng.choice("ABCEGHJKLMNPRSTVWXZ") for _ in range(2))
        if l == "sv":
            return f"{rng.randint(100, 999)} {D(2)}"
        if l == "hi":
            return str(rng.randint(110001, 800000))
        return D(5)

    def otp(arg=None):
        n = int(arg) if arg else rng.choice([6, 6, 6, 4, 8])
        while True:
            v = D(n)
            if v[0] != "0" and len(set(v)) > 2:
                return v

    def photo(arg=None):
        u = rng.randint(10000, 9999999)
        return rng.choice([
            f"https://cdn.example.com/avatars/{u}/{H(16)}.jpg",
            f"https://images.example-cdn.net/u/{u}/profile_{rng.choice(['400x400', '2x', 'orig'])}.png",
            f"https://s3.eu-central-1.amazonaws.com/prod-user-media/profile-photos/{u}/{H(8)}-{H(4)}.jpeg",
            f"https://storage.googleapis.com/acme-avatars/{H(24)}.webp",
            f"https://media.example.org/photos/{u}/IMG_{D(4)}.HEIC",
            f"https://lh3.googleusercontent.com/a/{V.rand_token(rng, 28, string.ascii_letters + string.digits + '-_')}=s96-c",
            f"https://pbs.example.com/profile_images/{D(19)}/{A(8)}_400x400.jpg",
        ])

    def token(arg=None):
        return rng.choice([V.rand_token(rng, 32), V.rand_token(rng, 40, string.ascii_letters + string.digits + "-_"),
                           "sess_" + V.rand_token(rng, 24), H(48), V.rand_token(rng, 22) + "." + V.rand_token(rng, 27),
                           "rt_" + V.rand_token(rng, 30)])

    def card(arg=None):
        return V.card(rng)

    def ssn(arg=None):
        while True:
            a = rng.randint(1, 899)
            if a != 666:
                return f"{a:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"

    def bsn(arg=None):
        while True:
            d = [rng.randint(0, 9) for _ in range(8)]
            s = sum(x * w for x, w in zip(d, range(9, 1, -1)))
            c = s % 11
            if c < 10 and d[0] != 0:
                return "".join(map(str, d)) + str(c)

    def pnr(arg=None):
        y, m, dd = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
        s = f"{y:02d}{m:02d}{dd:02d}{D(3)}"
        tot = 0
        for k, ch in enumerate(s):
            v = int(ch) * (2 if k % 2 == 0 else 1)
            tot += v - 9 if v > 9 else v
        c = (10 - tot % 10) % 10
        return f"{s[:6]}-{s[6:]}{c}"

    def cpf(arg=None):
        d = [rng.randint(0, 9) for _ in range(9)]
        for ln in (9, 10):
            s = sum(x * w for x, w in zip(d, range(ln + 1, 1, -1)))
            r = (s * 10) % 11
            d.append(0 if r == 10 else r)
        s = "".join(map(str, d))
        return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"

    def nir(arg=None):
        body = f"{rng.choice('12')}{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.choice(['75', '69', '13', '92', '33'])}{D(3)}{D(3)}"
        key = 97 - int(body) % 97
        return rng.choice([f"{body}{key:02d}", f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:]} {key:02d}"])

    def pem(escaped, indent=0):
        kind, body = V.pem(rng)
        nl = "\\n" if escaped else "\n" + " " * indent
        return nl.join([f"-----BEGIN {kind}-----"] + body + [f"-----END {kind}-----"])

    def home(arg=None):
        user = arg or rng.choice(["dkowalski", "mrossi", "anna.schmidt", "jgarcia", "priya", "svenl", "tanaka.y",
                                  "fdubois", "rsharma", "lvisser", "olusegun", "mjohansson"])
        return rng.choice([f"/home/{user}/", f"/Users/{user}/"])

    def ts(arg=None):
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{D(3)}Z"

    def uuid(arg=None):
        return f"{H(8)}-{H(4)}-4{H(3)}-{rng.choice('89ab')}{H(3)}-{H(12)}"

    gens = {
        "FIRST": first, "LAST": last, "FULL": full, "EMAIL": email, "PHONE": phone, "STREET": street,
        "PC": postcode, "OTP": otp, "PHOTO": photo, "TOKEN": token, "CARD": card,
        "JWT": lambda a=None: V.jwt(rng),
        "AKIA": lambda a=None: "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16)), "APIKEY": lambda a=None: V.api_key(rng),
        "AWSSEC": lambda a=None: V.aws_secret(rng), "PASSWORD": lambda a=None: V.password(rng),
        "IBAN": lambda a=None: V.iban(rng),
        "IBANS": lambda a=None: " ".join(re.findall(".{1,4}", V.iban(rng))), "IMEI": lambda a=None: V.imei(rng),
        "WALLET": lambda a=None: V.wallet(rng), "DOB": lambda a=None: V.dob(rng),
        "IP4": lambda a=None: V.ipv4(rng), "IP6": lambda a=None: V.ipv6(rng),
        "ROUTING": lambda a=None: V.aba(rng), "BANKACCT": lambda a=None: D(int(a) if a else rng.choice([8, 10, 12])),
        "NINO": lambda a=None: V.nino(rng), "NIF": lambda a=None: V.nif(rng), "NIE": lambda a=None: V.nie(rng),
        "CF": lambda a=None: V.codice_fiscale(rng), "PESEL": lambda a=None: V.pesel(rng),
        "AADHAAR": lambda a=None: V.aadhaar(rng), "SSN": ssn, "BSN": bsn, "PNR": pnr, "CPF": cpf, "NIR": nir,
        "PEM": lambda a=None: pem(False, int(a) if a else 0), "PEMJ": lambda a=None: pem(True), "HOME": home,
        # keep-ish generated values
        "UUID": uuid, "SHA": lambda a=None: H(40), "SHA7": lambda a=None: H(7), "SHA256": lambda a=None: H(64),
        "HEX": lambda a=None: H(int(a) if a else 16), "TS": ts, "D": lambda a=None: D(int(a) if a else 6),
        "ALNUM": lambda a=None: V.rand_token(rng, int(a) if a else 10),
    }
    return gens


GEN_RE = re.compile(r"§([A-Z0-9]+)(?::([A-Za-z0-9_.\-]+))?(?:#(\w+))?§")
ANN_RE = re.compile(r"(⟦|⟪)([a-z_]+):(.*?)(⟧|⟫)", re.S)


def expand(template, rng):
    gens = make_gen(rng)
    memo = {}

    def sub(m):
        kind, arg, key = m.group(1), m.group(2), m.group(3)
        quote = kind.endswith("Q") and kind[:-1] in gens
        base = kind[:-1] if quote else kind
        if base not in gens:
            raise KeyError(f"unknown generator {kind}")
        if key is not None:
            mk = (base, arg, key)
            if mk not in memo:
                memo[mk] = gens[base](arg)
            v = memo[mk]
        else:
            v = gens[base](arg)
        return urllib.parse.quote_plus(v, safe=",") if quote else v

    return GEN_RE.sub(sub, template)


def name_tokens(v):
    return [t for t in re.split(r"\s+", v.strip()) if t and t[0].isupper() and t.lower() not in PARTICLES]


def pem_lines(v):
    parts = re.split(r"\\n|\n", v)
    return [p.strip() for p in parts if p.strip() and not p.strip().startswith("-----")]


class Bad(Exception):
    pass


def build(fmt, lang, template, rng):
    filled = expand(template, rng)
    out, pos = [], 0
    secrets, keeps = [], []
    secret_spans = []
    for m in ANN_RE.finditer(filled):
        op, cls, val, cl = m.groups()
        if (op == "⟦") != (cl == "⟧"):
            raise AssertionError(f"mismatched annotation {m.group(0)!r}")
        out.append(filled[pos:m.start()])
        start = sum(len(x) for x in out)
        out.append(val)
        pos = m.end()
        if op == "⟦":
            assert cls in SECRET_CLASSES, cls
            secret_spans.append((start, start + len(val)))
            if cls == "name":
                toks = name_tokens(val)
                assert toks, val
                for t in toks:
                    secrets.append((t, "name"))
            elif cls == "private_key":
                for t in pem_lines(val):
                    secrets.append((t, "private_key"))
            else:
                secrets.append((val, cls))
        else:
            assert cls in KEEP_CLASSES, cls
            keeps.append((val, cls))
    out.append(filled[pos:])
    text = "".join(out)
    assert "⟦" not in text and "⟪" not in text and "⟧" not in text and "⟫" not in text and "§" not in text, text
    # dedupe, keep first class
    def dedupe(items):
        seen, res = set(), []
        for v, c in items:
            if v not in seen:
                seen.add(v)
                res.append((v, c))
        return res
    secrets, keeps = dedupe(secrets), dedupe(keeps)
    # --- verification
    for v, _ in secrets + keeps:
        if not v or v not in text:
            raise AssertionError(f"value not in text: {v!r}")
    for s, _ in secrets:
        for k, _ in keeps:
            if s in k or k in s:
                raise Bad(f"overlap secret {s!r} / keep {k!r}")
    # no secret may occur outside annotated secret spans (it would survive any correct scrubber)
    masked = list(text)
    for a, b in secret_spans:
        for i in range(a, b):
            masked[i] = "\0"
    masked = "".join(masked)
    for s, _ in secrets:
        if s in masked:
            raise Bad(f"secret {s!r} also occurs unannotated")
    return {
        "format": fmt, "lang": lang, "text": text,
        "secrets": [v for v, _ in secrets], "keeps": [v for v, _ in keeps],
        "secret_classes": [c for _, c in secrets], "keep_classes": [c for _, c in keeps],
    }


# =====================================================================================
# access logs
# =====================================================================================
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:12/Mar/2024:14:03:22 +0000⟫] "GET ⟪path:/api/v2/orders/77812/items⟫ HTTP/1.1" ⟪code:200⟫ ⟪count:1843⟫ "-" "okhttp/4.12.0"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:03/Feb/2024:09:41:07 +0100⟫] "POST /login HTTP/2.0" ⟪code:302⟫ 0 "https://shop.example.com/account?next=%2Fcheckout" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)" rt=⟪duration:0.184⟫')
R("access", "en", '⟦ip:§IP4§⟧ - hkowalczyk [⟪timestamp:21/Nov/2023:23:58:01 +0000⟫] "GET /internal/reports/q3.pdf HTTP/1.1" ⟪code:403⟫ 162 "-" "curl/8.4.0"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:07/Jan/2024:06:12:44 +0000⟫] "GET /api/v1/users/lookup?email=⟦email:priya.raman%40gmail.com⟧&include=addresses HTTP/1.1" ⟪code:404⟫ 61 "-" "python-requests/2.31.0"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:18/Apr/2024:11:20:33 +0000⟫] "GET /password/reset?token=⟦token:§TOKEN§⟧ HTTP/1.1" ⟪code:200⟫ ⟪count:5120⟫ "https://mail.google.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36"')
R("access", "en", '⟦ip:§IP6§⟧ - - [⟪timestamp:29/Feb/2024:17:05:59 +0000⟫] "PUT ⟪path:/v3/carts/c_9f2a1d/lines⟫ HTTP/2.0" ⟪code:409⟫ 88 "-" "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A.240205.004)" upstream=⟪host:cart-svc.prod.svc.cluster.local⟫:8080 request_time=⟪duration:0.057⟫')
R("access", "en", 'https ⟪timestamp:2024-05-02T08:14:55.381244Z⟫ app/prod-web-alb/50dc6c495c0c9188 ⟦ip:§IP4§⟧:52144 ⟦ip:10.0.3.118⟧:8080 0.000 ⟪duration:0.142⟫ 0.000 ⟪code:200⟫ 200 412 3091 "GET https://api.example.com:443/v1/profile?user_id=⟪id:481552⟫ HTTP/1.1" "Mozilla/5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-6633496f-1b8e2a4c0d5f6e7a8b9c0d1e"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:02/Jun/2024:13:37:00 +0000⟫] "GET /avatar?src=⟦photo_url:§PHOTO§⟧&w=64 HTTP/1.1" ⟪code:200⟫ 2211 "-" "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"')
R("access", "en", '⟪timestamp:2024-03-14 10:02:11⟫ ⟦ip:§IP4§⟧ GET /api/sms/verify phone=⟦phone:%2B44%207700%20900%20§D:3§⟧&code=⟦otp:§OTP:6§⟧ 443 - ⟦ip:§IP4§⟧ okhttp/4.9.3 - ⟪code:200⟫ 0 0 ⟪duration:31⟫')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:10/Oct/2023:02:44:19 +0000⟫] "GET /healthz HTTP/1.1" ⟪code:200⟫ 2 "-" "kube-probe/1.28"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:15/Aug/2024:20:01:45 +0000⟫] "POST ⟪path:/graphql⟫ HTTP/1.1" ⟪code:200⟫ ⟪count:14882⟫ "https://app.example.com/dashboard" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15" "op=GetInvoices" ⟪duration:0.611⟫')
R("access", "en", '⟦ip:§IP4§⟧:49822 [⟪timestamp:04/Sep/2024:07:59:12.004⟫] https-in~ ⟪service:be_checkout⟫/⟪host:co-03⟫ 0/0/1/44/45 ⟪code:201⟫ 733 - - ---- 312/298/14/2/0 0/0 "POST /api/checkout/confirm HTTP/1.1"')
R("access", "en", '{"ts":"⟪timestamp:2024-07-21T19:22:03Z⟫","remote_ip":"⟦ip:§IP4§⟧","method":"GET","uri":"/share/album/8812?invite=⟦token:§TOKEN§⟧","status":⟪code:200⟫,"bytes_out":⟪count:90211⟫,"latency_ms":⟪duration:212⟫}')
R("access", "de", '⟦ip:§IP4§⟧ - - [⟪timestamp:11/Dec/2023:08:30:00 +0100⟫] "GET /kundenkonto/rechnungen?kunde=⟦name:Jens⟧+⟦name:Hartmann⟧ HTTP/1.1" ⟪code:200⟫ 4410 "https://www.example.de/kundenkonto" "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0"')
R("access", "en", '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status time-taken\n⟪timestamp:2024-01-09 16:44:02⟫ 10.40.1.12 GET ⟪path:/Portal/Statement.aspx⟫ acct=⟦bank_account:§BANKACCT:10§⟧&m=01 443 CORP\\⟦name:Dlamini⟧ ⟦ip:§IP4§⟧ Mozilla/5.0+(Windows+NT+10.0) ⟪code:200⟫ ⟪duration:187⟫')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:23/May/2024:12:00:09 +0000⟫] "GET /unsubscribe?e=⟦email:§EMAIL§⟧&list=weekly HTTP/1.1" ⟪code:200⟫ 1022 "-" "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36"')
R("access", "en", '[⟪timestamp:2024-02-11T04:05:06.778Z⟫] "GET /api/v1/devices/⟦imei:§IMEI§⟧/status HTTP/1.1" ⟪code:200⟫ - 0 311 ⟪duration:18⟫ 17 "⟦ip:§IP4§⟧" "FleetAgent/⟪version:10.2.0.1⟫" "⟪id:5b1f6f0e-8d62-4b7d-9b0a-2c4d6e8f0a13⟫" "fleet.example.com" "⟦ip:10.12.7.41⟧:9000"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:30/Jun/2024:22:15:47 +0000⟫] "GET /static/js/main.⟪hash:3f9c1b7e⟫.js HTTP/1.1" ⟪code:304⟫ 0 "https://www.example.com/" "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X)"')
R("access", "es", '⟦ip:§IP4§⟧ - - [⟪timestamp:05/Mar/2024:18:11:02 +0100⟫] "GET /buscar?q=pedido+de+⟦name:Guadalupe⟧+⟦name:Herrera⟧&tel=⟦phone:§PHONEQ:es§⟧ HTTP/1.1" ⟪code:200⟫ 7781 "-" "Mozilla/5.0"')
R("access", "en", '⟪timestamp:2024-04-01 00:00:14⟫ ⟦ip:§IP4§⟧ ⟪host:edge-fra-07⟫ GET /v1/track?uid=⟪id:u_20931⟫&lat=52.5208&lon=13.4094&addr=⟦address:Unter%20den%20Linden%2077⟧ ⟪code:204⟫ ⟪duration:3ms⟫')
R("access", "en", '⟦ip:§IP4§⟧ - ⟦email:§EMAIL§⟧ [⟪timestamp:19/Jan/2024:10:10:10 +0000⟫] "PROPFIND /remote.php/dav/files/⟪id:70231⟫/Photos/ HTTP/1.1" ⟪code:207⟫ 15332 "-" "Mozilla/5.0 (Windows) mirall/3.11.0"')
R("access", "en", '⟪timestamp:2024-08-08T08:08:08Z⟫ ⟪service:ingress-nginx⟫ ⟦ip:§IP4§⟧ "POST /oauth/token HTTP/1.1" ⟪code:400⟫ body="grant_type=password&username=⟦email:§EMAIL§⟧&password=⟦password:§PASSWORD§⟧&client_id=mobile" ⟪duration:0.021⟫')
R("access", "pl", '⟦ip:§IP4§⟧ - - [⟪timestamp:14/Feb/2024:21:40:55 +0100⟫] "GET /zamowienia/⟪id:PL-2024-119384⟫/potwierdzenie?imie=⟦name:Marta⟧&nazwisko=⟦name:Nowak⟧ HTTP/1.1" ⟪code:200⟫ 3390 "-" "Mozilla/5.0 (Linux; Android 14)"')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:01/Nov/2024:15:03:27 +0000⟫] "GET ⟪path:/metrics⟫ HTTP/1.1" ⟪code:200⟫ ⟪count:48213⟫ "-" "Prometheus/⟪version:2.51.2⟫"')

# =====================================================================================
# JSON app logs
# =====================================================================================
R("json", "en", '{"level":"info","ts":"⟪timestamp:2024-03-11T09:12:44.120Z⟫","service":"⟪service:signup-api⟫","msg":"user registered","user_id":"⟪id:usr_7Qm2xK⟫","email":"⟦email:§EMAIL§⟧","name":"⟦name:§FULL§⟧","plan":"free","duration_ms":⟪duration:84⟫}')
R("json", "en", '{"level":"error","time":"⟪timestamp:2024-06-02T22:01:09Z⟫","logger":"payments.stripe","message":"charge failed","error":"card_declined","decline_code":"insufficient_funds","card":"⟦card:§CARD§⟧","amount":⟪amount:129.99⟫,"currency":"EUR","order_id":"⟪id:ord_55120⟫"}')
R("json", "en", '{"@timestamp":"⟪timestamp:2024-01-30T14:22:10.005+00:00⟫","log.level":"WARN","service.name":"⟪service:notification-worker⟫","message":"SMS provider rejected number ⟦phone:§PHONE:en§⟧ (invalid region)","event.dataset":"notifications","trace.id":"⟪id:4bf92f3577b34da6a3ce929d0e0e4736⟫"}')
R("json", "en", '{"lvl":"debug","msg":"incoming webhook","headers":{"authorization":"Bearer ⟦token:§JWT§⟧","content-type":"application/json","x-request-id":"⟪id:§UUID§⟫"},"path":"⟪path:/hooks/github⟫"}')
R("json", "en", '{"level":30,"time":⟪timestamp:1717239105123⟫,"pid":⟪id:4121⟫,"hostname":"⟪host:web-6d9f7c-xk2lp⟫","reqId":"⟪id:req-1f3a⟫","msg":"Sending welcome email to ⟦name:Oluwaseun⟧ <⟦email:§EMAIL§⟧>"}')
R("json", "en", '{"timestamp":"⟪timestamp:2024-09-17T11:45:00Z⟫","severity":"INFO","component":"chat-gateway","event":"message.sent","conversation_id":"⟪id:cv_88f1c2⟫","sender":{"id":"⟪id:u_4410⟫","display_name":"⟦name:Aiko Nakamura⟧"},"text":"⟦content:Hi! Can we move tomorrow\'s viewing to 5pm? I\'m stuck at work until then.⟧","attachments":0}')
R("json", "en", '{"level":"info","msg":"profile updated","user":⟪id:90211⟫,"changes":{"avatar_url":{"old":null,"new":"⟦photo_url:§PHOTO§⟧"},"bio":{"old":"","new":"⟦content:Runner, dog mom, pastry addict. Based in Leeds.⟧"}},"took":"⟪duration:41ms⟫"}')
R("json", "en", '{"ts":"⟪timestamp:2024-04-22T07:33:18.902Z⟫","level":"warn","svc":"⟪service:kyc-service⟫","msg":"document mismatch","applicant":{"first_name":"⟦name:Chinedu⟧","last_name":"⟦name:Okonkwo⟧","dob":"⟦dob:§DOB§⟧","ssn":"⟦national_id:§SSN§⟧"},"score":⟪count:0.42⟫}')
R("json", "en", '{"severity":"ERROR","message":"failed to deliver order confirmation","jsonPayload":{"to":"⟦email:§EMAIL§⟧","template":"order_confirmed_v4","smtp_code":⟪code:550⟫},"resource":{"type":"k8s_container","labels":{"pod_name":"⟪pod:mailer-7c9b8d6f5-2q8rw⟫","namespace_name":"prod"}},"timestamp":"⟪timestamp:2024-05-05T05:05:05.500Z⟫"}')
R("json", "en", '{"level":"info","event":"address_validated","input":"⟦address:§STREET:en§⟧, Springfield, IL ⟦postcode:62704⟧","normalized":true,"provider":"smarty","latency_ms":⟪duration:133⟫,"request_id":"⟪id:§UUID§⟫"}')
R("json", "en", '{"level":"debug","msg":"login attempt","username":"⟦email:§EMAIL§⟧","password":"⟦password:§PASSWORD§⟧","ip":"⟦ip:§IP4§⟧","mfa":"totp","result":"ok"}')
R("json", "en", '{"time":"⟪timestamp:2024-02-14T20:14:00Z⟫","level":"INFO","msg":"otp issued","channel":"sms","to":"⟦phone:§PHONE:en§⟧","code":"⟦otp:§OTP:6§⟧","ttl_s":⟪duration:300⟫}')
R("json", "en", '{"level":"error","ts":⟪timestamp:1709812211.448⟫,"caller":"billing/invoice.go:212","msg":"sepa mandate rejected","iban":"⟦iban:§IBAN§⟧","holder":"⟦name:Sanne de Vries⟧","reason":"AC04","invoice":"⟪id:INV-2024-00419⟫"}')
R("json", "en", '{"ts":"⟪timestamp:2024-10-01T12:00:00Z⟫","level":"info","service":"⟪service:search-indexer⟫","msg":"batch complete","docs":⟪count:12000⟫,"failed":⟪count:3⟫,"elapsed":"⟪duration:4.2s⟫","version":"⟪version:3.8.1⟫"}')
R("json", "en", '{"level":"info","msg":"device registered","device":{"imei":"⟦imei:§IMEI§⟧","model":"SM-S918B","os":"Android 14"},"owner_id":"⟪id:acc_31999⟫","push_token":"⟦token:§TOKEN§⟧"}')
R("json", "en", '{"level":"warn","message":"withdrawal to unverified address","wallet":"⟦wallet:§WALLET§⟧","amount_btc":⟪amount:0.0315⟫,"user":"⟪id:u_88412⟫","risk":"medium"}')
R("json", "en", '{"timestamp":"⟪timestamp:2024-11-11T11:11:11Z⟫","level":"info","logger":"http","method":"POST","path":"⟪path:/api/v1/tickets⟫","status":⟪code:201⟫,"body":{"subject":"Refund not received","description":"⟦content:Hello, I returned the jacket on the 3rd and still have not received my refund. Order was placed by my husband.⟧","customer_email":"⟦email:§EMAIL§⟧"}}')
R("json", "en", '{"level":"info","msg":"shipping label created","carrier":"UPS","recipient":{"name":"⟦name:Tunde Bakare⟧","line1":"⟦address:§STREET:en§⟧","city":"Manchester","postcode":"⟦postcode:§PC:xx§⟧","phone":"⟦phone:§PHONE:en§⟧"},"parcel_id":"⟪id:1Z999AA10123456784⟫"}')
R("json", "en", '{"level":"error","msg":"panic recovered","error":"runtime error: index out of range [3] with length 3","stack":"goroutine 71 [running]:\\nmain.handler(...)\\n\\t⟦home_path:§HOME:rsharma§⟧go/src/github.com/acme/api/handler.go:88","request_id":"⟪id:§UUID§⟫"}')
R("json", "en", '{"ts":"⟪timestamp:2024-07-07T07:07:07Z⟫","lvl":"info","msg":"config loaded","source":"vault","keys":⟪count:27⟫,"aws_access_key_id":"⟦api_key:§AKIA§⟧","region":"⟪word:eu-west-1⟫"}')
R("json", "en", '{"level":"info","ts":"⟪timestamp:2024-03-03T03:03:03Z⟫","msg":"cache stats","hits":⟪count:98121⟫,"misses":⟪count:1203⟫,"evictions":⟪count:44⟫,"node":"⟪host:redis-cache-2⟫"}')
R("json", "en", '{"level":"INFO","message":"New support chat assigned","agent":"⟦name:Keisha Washington⟧","customer":"⟦name:Dmitri Volkov⟧","queue":"billing","wait_seconds":⟪duration:48⟫}')
R("json", "en", '{"event":"checkout.completed","ts":"⟪timestamp:2024-12-24T18:44:31Z⟫","order":"⟪id:A-100293⟫","total":⟪amount:84.50⟫,"currency":"GBP","shipping":{"to":"⟦name:Ciarán Murphy⟧","address":"⟦address:§STREET:en§⟧, Dublin 8"},"gift_message":"⟦content:Happy Christmas Mam, love you loads x⟧"}')
R("json", "en", '{"level":"warn","msg":"rate limit exceeded","client_ip":"⟦ip:§IP6§⟧","route":"⟪path:/api/v1/search⟫","limit":⟪count:100⟫,"window":"⟪duration:60s⟫"}')
R("json", "en", '{"time":"⟪timestamp:2024-08-19T09:15:27Z⟫","level":"info","msg":"tax id verified","country":"IN","pan":"⟦national_id:ABCPV§D:4§K⟧","aadhaar":"⟦national_id:§AADHAAR§⟧","customer":"⟦name:Kavita Iyer⟧"}')
R("json", "en", '{"level":"debug","msg":"outgoing request","url":"https://api.twilio.com/2010-04-01/Accounts/AC§HEX:32§/Messages.json","auth":"⟦api_key:§HEX:32§⟧","form":{"To":"⟦phone:§PHONE:en§⟧","Body":"⟦content:Your driver Mehmet is 3 minutes away in a grey Toyota Corolla.⟧"}}')
R("json", "en", '{"ts":"⟪timestamp:2024-05-27T14:01:55Z⟫","level":"info","service":"⟪service:feature-flags⟫","msg":"flag evaluated","flag":"new_checkout_flow","variant":"B","user_id":"⟪id:4f1e0c⟫","env":"production"}')
R("json", "en", '{"level":"error","message":"Unhandled rejection","err":{"name":"SequelizeUniqueConstraintError","detail":"Key (email)=(⟦email:§EMAIL§⟧) already exists.","code":"⟪code:23505⟫"},"pid":⟪id:28⟫}')
R("json", "de", '{"level":"info","zeit":"⟪timestamp:2024-02-20T10:00:03+01:00⟫","nachricht":"Bestellung aufgegeben","kunde":"⟦name:Sabine Krüger⟧","lieferadresse":"⟦address:§STREET:de§⟧, ⟦postcode:§PC:de§⟧ Hamburg","telefon":"⟦phone:§PHONE:de§⟧","summe":⟪amount:249.90⟫}')
R("json", "de", '{"level":"warn","msg":"Zahlung fehlgeschlagen: Lastschrift zurückgewiesen","iban":"⟦iban:§IBAN§⟧","kontoinhaber":"⟦name:Klaus-Dieter Brandt⟧","vertrag":"⟪id:V-884120⟫"}')
R("json", "es", '{"nivel":"info","mensaje":"Nuevo registro","nombre":"⟦name:María José Fernández⟧","dni":"⟦national_id:§NIF§⟧","telefono":"⟦phone:§PHONE:es§⟧","fecha":"⟪timestamp:2024-04-10T16:30:00Z⟫"}')
R("json", "fr", '{"niveau":"INFO","horodatage":"⟪timestamp:2024-06-18T08:45:12Z⟫","message":"Rendez-vous confirmé pour ⟦name:Amélie Lefèvre⟧","tel":"⟦phone:§PHONE:fr§⟧","adresse":"⟦address:§STREET:fr§⟧, ⟦postcode:§PC:fr§⟧ Paris","créneau":"⟪word:Mardi⟫ 14h30"}')
R("json", "pt", '{"level":"info","msg":"Pagamento via Pix recebido","pagador":"⟦name:Gonçalo Ferreira⟧","cpf":"⟦national_id:§CPF§⟧","valor":⟪amount:350.00⟫,"txid":"⟪id:E18236120202403141542s0123456789⟫"}')
R("json", "it", '{"livello":"ERROR","messaggio":"Verifica codice fiscale fallita","codice_fiscale":"⟦national_id:§CF§⟧","cliente":"⟦name:Federica Esposito⟧","pratica":"⟪id:PR-2024-7731⟫"}')
R("json", "nl", '{"level":"info","bericht":"Afspraak ingepland","patiënt":"⟦name:Bram van Dijk⟧","bsn":"⟦national_id:§BSN§⟧","geboortedatum":"⟦dob:§DOB§⟧","locatie":"⟪word:Utrecht⟫"}')
R("json", "sv", '{"nivå":"info","meddelande":"Ny kund skapad","namn":"⟦name:Linnea Åkesson⟧","personnummer":"⟦national_id:§PNR§⟧","adress":"⟦address:§STREET:sv§⟧, ⟦postcode:§PC:sv§⟧ Göteborg"}')
R("json", "en", '{"level":"info","ts":"⟪timestamp:2024-09-09T21:00:00Z⟫","msg":"export finished","rows":⟪count:184220⟫,"bucket":"s3://acme-exports/daily/⟪hash:§SHA7§⟫/","duration":"⟪duration:2m13s⟫"}')
R("json", "en", '{"level":"error","msg":"unable to open key file","path":"⟦home_path:§HOME:mjohansson§⟧.ssh/id_ed25519","errno":⟪code:13⟫}')

# =====================================================================================
# logfmt
# =====================================================================================
R("logfmt", "en", 'time=⟪timestamp:2024-03-12T10:44:01Z⟫ level=info msg="user signed in" user_id=⟪id:48213⟫ email=⟦email:§EMAIL§⟧ ip=⟦ip:§IP4§⟧ method=password duration=⟪duration:212ms⟫')
R("logfmt", "en", 'at=info method=GET path="/api/account" host=⟪host:acme-web.herokuapp.com⟫ request_id=⟪id:§UUID§⟫ fwd="⟦ip:§IP4§⟧" dyno=⟪host:web.3⟫ connect=⟪duration:1ms⟫ service=⟪duration:38ms⟫ status=⟪code:200⟫ bytes=⟪count:2049⟫ protocol=https')
R("logfmt", "en", 'ts=⟪timestamp:2024-05-30T16:20:11.512Z⟫ caller=notifier.go:118 level=warn component=alertmanager msg="Notify for alerts failed" receiver=oncall-sms integration=webhook[0] err="POST to ⟦phone:+1-303-§D:3§-§D:4§⟧ failed"')
R("logfmt", "en", 'level=debug ts=⟪timestamp:2024-01-08T07:12:55Z⟫ msg="resolved customer" customer="⟦name:Haruto Sato⟧" tier=gold region=⟪word:ap-northeast-1⟫ cache=hit')
R("logfmt", "en", 'time="⟪timestamp:2024-02-02T02:02:02Z⟫" level=error msg="failed to connect to database" error="pq: password authentication failed for user \\"billing\\"" dsn="postgres://billing:⟦password:§PASSWORD§⟧@⟪host:pg-primary.internal⟫:5432/billing?sslmode=require"')
R("logfmt", "en", 'level=info msg="password reset requested" user=⟪id:u_90017⟫ to=⟦email:§EMAIL§⟧ token=⟦token:§TOKEN§⟧ expires_in=⟪duration:3600s⟫')
R("logfmt", "en", 'ts=⟪timestamp:2024-06-14T12:00:00Z⟫ lvl=info svc=⟪service:ledger⟫ msg="transfer posted" from_acct=⟦bank_account:§BANKACCT:12§⟧ routing=⟦routing:§ROUTING§⟧ amount=⟪amount:1500.00⟫ currency=USD txn=⟪id:tx_8Hk2Lp0⟫')
R("logfmt", "en", 'time=⟪timestamp:2024-07-01T00:00:00Z⟫ level=info msg="cron finished" job=⟪service:purge-expired-sessions⟫ deleted=⟪count:15320⟫ took=⟪duration:8.41s⟫')
R("logfmt", "en", 'level=warn msg="shipping address failed validation" order=⟪id:ORD-771204⟫ name="⟦name:Wanjiru Kamau⟧" address="⟦address:§STREET:en§⟧" postcode="⟦postcode:§PC:en§⟧" reason=unknown_street')
R("logfmt", "en", 'ts=⟪timestamp:2024-04-04T04:04:04Z⟫ level=info msg="chat message" room=⟪id:r_5521⟫ from="⟦name:Seo-yeon⟧" text="⟦content:lol no way, send me the pics from saturday⟧" len=⟪count:39⟫')
R("logfmt", "en", 'level=error ts=⟪timestamp:2024-08-21T18:30:44Z⟫ msg="webhook signature mismatch" provider=stripe secret=⟦api_key:whsec_§ALNUM:32§⟧ expected=⟪hash:§SHA256§⟫')
R("logfmt", "en", 'time=⟪timestamp:2024-09-30T23:59:59Z⟫ level=info component=⟪service:gc⟫ msg="compaction done" blocks=⟪count:48⟫ bytes_reclaimed=⟪count:1073741824⟫ duration=⟪duration:94s⟫ version=⟪version:2.9.0⟫')
R("logfmt", "en", 'level=info msg="kyc upload" user=⟪id:88120⟫ doc_type=passport file=⟦home_path:§HOME:olusegun§⟧Downloads/passport_scan.pdf size=⟪count:2204011⟫')
R("logfmt", "en", 'ts=⟪timestamp:2024-10-10T10:10:10Z⟫ level=debug msg="sms sent" provider=messagebird to="⟦phone:§PHONE:nl§⟧" body="Je code is ⟦otp:§OTP:6§⟧. Deel deze code met niemand." status=⟪code:201⟫')
R("logfmt", "en", 'level=info msg="request" method=POST path=⟪path:/v1/payments⟫ status=⟪code:402⟫ latency=⟪duration:512.3ms⟫ user_agent="Acme-iOS/⟪version:5.14.2⟫ (iPhone14,5; iOS 17.3)" device_id=⟦imei:§IMEI§⟧')
R("logfmt", "en", 'time=⟪timestamp:2024-11-05T09:21:00Z⟫ level=info msg="avatar processed" user=⟪id:u_3377⟫ src="⟦photo_url:§PHOTO§⟧" sizes=⟪count:4⟫ took=⟪duration:380ms⟫')
R("logfmt", "en", 'level=info ts=⟪timestamp:2024-12-01T08:00:00Z⟫ msg="license activated" licensee="⟦name:Nikolai Petrov⟧" key=⟦api_key:§APIKEY§⟧ seats=⟪count:25⟫ product="Acme Studio"')
R("logfmt", "en", 'ts=⟪timestamp:2024-03-22T14:14:14Z⟫ level=warn msg="login from new country" account=⟪id:a_10293⟫ prev_ip=⟦ip:§IP4§⟧ new_ip=⟦ip:§IP4§⟧ country=BR')
R("logfmt", "en", 'level=info msg="job started" job_id=⟪id:§UUID§⟫ queue=⟪service:thumbnails⟫ attempt=⟪count:1⟫ worker=⟪pod:worker-5f7d8c9b4-qpl2m⟫')
R("logfmt", "en", 'level=info msg="customer note saved" agent="⟦name:Maricel Dela Cruz⟧" note="⟦content:Caller says her ex still has access to the account, wants all sessions revoked asap⟧" ticket=⟪id:CS-48820⟫')
R("logfmt", "de", 'zeit=⟪timestamp:2024-03-01T06:30:00+01:00⟫ stufe=info nachricht="Paket zugestellt" empfänger="⟦name:Lukas Hoffmann⟧" adresse="⟦address:§STREET:de§⟧" plz=⟦postcode:§PC:de§⟧ sendung=⟪id:00340434161094042557⟫')
R("logfmt", "fr", 'ts=⟪timestamp:2024-05-15T09:00:00Z⟫ niveau=warn msg="échec de connexion pour ⟦email:§EMAIL:fr§⟧ depuis ⟦ip:§IP4§⟧" tentatives=⟪count:5⟫')
R("logfmt", "es", 'nivel=info msg="cita reservada" paciente="⟦name:Javier Ortega Ruiz⟧" fecha_nacimiento=⟦dob:§DOB§⟧ nie=⟦national_id:§NIE§⟧ centro=⟪word:Valencia⟫')
R("logfmt", "pl", 'czas=⟪timestamp:2024-06-06T13:13:13Z⟫ poziom=info komunikat="Przelew zlecony" odbiorca="⟦name:Krzysztof Dąbrowski⟧" rachunek=⟦iban:§IBAN§⟧ kwota=⟪amount:1250.00⟫ waluta=PLN')
R("logfmt", "sv", 'tid=⟪timestamp:2024-08-12T15:45:00Z⟫ nivå=info meddelande="Leverans bokad" kund="⟦name:Oskar Lindholm⟧" telefon="⟦phone:§PHONE:sv§⟧" dag=⟪word:Torsdag⟫')
R("logfmt", "en", 'level=info msg="git clone" repo=acme/infra ref=⟪hash:§SHA§⟫ dir=⟦home_path:§HOME:svenl§⟧src/infra took=⟪duration:3.2s⟫')
R("logfmt", "en", 'level=error msg="smtp auth failed" server=⟪host:smtp.sendgrid.net⟫ user=apikey pass=⟦api_key:SG.§ALNUM:22§.§ALNUM:43§⟧ code=⟪code:535⟫')
R("logfmt", "en", 't=⟪timestamp:2024-02-27T17:17:17+0000⟫ lvl=info msg="Request Completed" logger=context userId=⟪id:7⟫ orgId=⟪id:1⟫ uname=⟦email:§EMAIL§⟧ method=GET path=⟪path:/api/dashboards/uid/a8Kd92Lm⟫ status=⟪code:200⟫ remote_addr=⟦ip:§IP4§⟧ time_ms=⟪duration:27⟫')
R("logfmt", "hi", 'level=info msg="order placed" grahak="⟦name:Rajesh Kumar⟧" pata="⟦address:§STREET:hi§⟧, ⟦postcode:§PC:hi§⟧" mobile=⟦phone:§PHONE:hi§⟧ note="⟦content:bhaiya gate pe guard ko bol dena, main 7 baje tak aa jaunga⟧" amount=⟪amount:1499⟫')
R("logfmt", "en", 'level=info msg="wallet linked" user=⟪id:u_55120⟫ chain=ethereum address=⟦wallet:§WALLET§⟧ verified=true block=⟪count:19283746⟫')

# =====================================================================================
# HTTP request / response dumps
# =====================================================================================
R("http", "en", '''POST ⟪path:/api/v1/auth/login⟫ HTTP/1.1
Host: api.example.com
User-Agent: Acme-Android/⟪version:7.3.0⟫
Content-Type: application/json
X-Forwarded-For: ⟦ip:§IP4§⟧
Content-Length: 71

{"email":"⟦email:§EMAIL§⟧","password":"⟦password:§PASSWORD§⟧"}''')
R("http", "en", '''HTTP/1.1 ⟪code:200⟫ OK
Content-Type: application/json
Set-Cookie: session=⟦token:§TOKEN§⟧; Path=/; HttpOnly; Secure; SameSite=Lax
X-Request-Id: ⟪id:§UUID§⟫

{"user":{"id":⟪id:31337⟫,"name":"⟦name:Layla Mansour⟧","avatar":"⟦photo_url:§PHOTO§⟧"}}''')
R("http", "en", '''GET /v2/me HTTP/2
:authority: api.example.com
authorization: Bearer ⟦token:§JWT§⟧
accept: application/json
x-client-version: ⟪version:4.2.11⟫''')
R("http", "en", '''> PATCH ⟪path:/users/88213⟫ HTTP/1.1
> Host: ⟪host:users.internal:8080⟫
> Content-Type: application/json
>
> {"phone":"⟦phone:§PHONE:en§⟧","address":{"street":"⟦address:§STREET:en§⟧","zip":"⟦postcode:§PC:en§⟧"}}
< HTTP/1.1 ⟪code:422⟫ Unprocessable Entity
< content-length: 58
<
< {"error":"invalid_zip","field":"address.zip"}''')
R("http", "en", '''POST /v1/charges HTTP/1.1
Host: api.stripe.com
Authorization: Basic ⟦api_key:§APIKEY§⟧
Idempotency-Key: ⟪id:§UUID§⟫
Content-Type: application/x-www-form-urlencoded

amount=⟪amount:4999⟫&currency=usd&source=tok_visa&description=Order+⟪id:10442⟫+for+⟦name:Marcus⟧+⟦name:Bennett⟧''')
R("http", "en", '''HTTP/1.1 ⟪code:500⟫ Internal Server Error
Server: ⟪service:gunicorn⟫
Date: ⟪timestamp:Tue, 14 May 2024 09:31:02 GMT⟫
Content-Type: text/html

<h1>Server Error</h1><pre>IntegrityError: duplicate key value violates unique constraint "users_phone_key"
DETAIL: Key (phone)=(⟦phone:§PHONE:en§⟧) already exists.</pre>''')
R("http", "en", '''GET /api/v1/export?format=csv HTTP/1.1
Host: admin.example.com
Cookie: _ga=GA1.2.§D:9§.§D:10§; admin_session=⟦token:§TOKEN§⟧; locale=en-GB
Referer: https://admin.example.com/customers/⟪id:c_99182⟫
X-Real-IP: ⟦ip:§IP4§⟧''')
R("http", "en", '''POST ⟪path:/webhooks/twilio/inbound⟫ HTTP/1.1
Host: hooks.example.com
Content-Type: application/x-www-form-urlencoded
X-Twilio-Signature: ⟪hash:§HEX:28§⟫

From=⟦phone:%2B1415§D:7§⟧&To=%2B18005550100&Body=⟦content:Hi+its+Deb+from+apt+4B%2C+the+heating+is+out+again⟧&NumMedia=0''')
R("http", "en", '''HTTP/1.1 ⟪code:201⟫ Created
Location: ⟪path:/api/v1/customers/cus_P9x2LmQ⟫
Content-Type: application/json

{"id":"⟪id:cus_P9x2LmQ⟫","email":"⟦email:§EMAIL§⟧","name":"⟦name:Thanh Tran⟧","created":⟪timestamp:1715000000⟫,"default_payment_method":{"card":{"last4":"4242","exp_month":8,"exp_year":2027}}}''')
R("http", "en", '''PUT /api/v1/kyc/⟪id:app_2231⟫ HTTP/1.1
Host: kyc.example.com
Content-Type: application/json
Authorization: Token ⟦api_key:§APIKEY§⟧

{"full_name":"⟦name:Ngozi Adeyemi⟧","date_of_birth":"⟦dob:§DOB§⟧","document":{"type":"passport","number":"⟦national_id:A§D:8§⟧"},"selfie_url":"⟦photo_url:§PHOTO§⟧"}''')
R("http", "en", '''GET ⟪path:/health⟫ HTTP/1.1
Host: ⟪host:orders-api.prod.svc⟫
User-Agent: ⟪service:consul-health⟫/⟪version:1.17.2⟫

HTTP/1.1 ⟪code:200⟫ OK
Content-Type: application/json

{"status":"ok","uptime_s":⟪duration:884120⟫,"version":"⟪version:2024.05.3⟫","commit":"⟪hash:§SHA§⟫"}''')
R("http", "en", '''HTTP/2 ⟪code:401⟫
www-authenticate: Bearer error="invalid_token", error_description="The access token expired"
x-amzn-requestid: ⟪id:§UUID§⟫
content-type: application/json

{"message":"token expired for ⟦email:§EMAIL§⟧"}''')
R("http", "en", '''POST /v1/messages HTTP/1.1
Host: chat-api.internal
Content-Type: application/json
X-User-Id: ⟪id:u_77120⟫

{"thread":"⟪id:t_0f9e⟫","body":"⟦content:Honestly I think I need to see a doctor about this, the rash is spreading⟧","client_ts":⟪timestamp:1716400112⟫}''')
R("http", "en", '''>>> POST https://graph.facebook.com/v19.0/§D:15§/messages
>>> Authorization: Bearer ⟦api_key:EAAG§ALNUM:60§⟧
>>> {"messaging_product":"whatsapp","to":"⟦phone:§PHONE:pt§⟧","type":"template","template":{"name":"delivery_update","language":{"code":"pt_BR"}}}
<<< ⟪code:200⟫ {"messages":[{"id":"⟪id:wamid.HBgM§D:12§FQIAERgS§HEX:20§⟫"}]}''')
R("http", "de", '''POST /api/bewerbung HTTP/1.1
Host: karriere.example.de
Content-Type: application/json

{"vorname":"⟦name:Katharina⟧","nachname":"⟦name:Zimmermann⟧","geburtsdatum":"⟦dob:§DOB§⟧","anschrift":"⟦address:§STREET:de§⟧, ⟦postcode:§PC:de§⟧ München","anschreiben":"⟦content:Sehr geehrte Damen und Herren, hiermit bewerbe ich mich auf die Stelle als Pflegefachkraft.⟧"}''')
R("http", "it", '''HTTP/1.1 ⟪code:400⟫ Bad Request
Content-Type: application/json

{"errore":"IBAN non valido","iban":"⟦iban:§IBAN§⟧","intestatario":"⟦name:Lorenzo Marchetti⟧","richiesta":"⟪id:§UUID§⟫"}''')
R("http", "en", '''POST /token HTTP/1.1
Host: oauth2.googleapis.com
Content-Type: application/x-www-form-urlencoded

grant_type=refresh_token&client_id=§D:12§-§ALNUM:32§.apps.googleusercontent.com&client_secret=⟦api_key:GOCSPX-§ALNUM:28§⟧&refresh_token=⟦token:1//0§ALNUM:40§⟧''')
R("http", "en", '''HTTP/1.1 ⟪code:302⟫ Found
Location: https://app.example.com/welcome?email=⟦email:§EMAIL§⟧&first=⟦name:Abena⟧
Cache-Control: no-store
X-Trace: ⟪id:§HEX:32§⟫''')
R("http", "en", '''GET /files/⟪id:f_1882⟫/download HTTP/1.1
Host: files.example.com
Range: bytes=0-1048575
Authorization: AWS4-HMAC-SHA256 Credential=⟦api_key:§AKIA§⟧/20240511/eu-central-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=⟪hash:§SHA256§⟫''')
R("http", "fr", '''POST /api/contact HTTP/1.1
Host: www.example.fr
Content-Type: application/x-www-form-urlencoded

nom=⟦name:Girard⟧&prenom=⟦name:Élodie⟧&email=⟦email:§EMAIL:fr§⟧&message=⟦content:Bonjour%2C+je+souhaite+annuler+ma+commande+pass%C3%A9e+hier+soir.⟧''')
R("http", "en", '''HTTP/1.1 ⟪code:429⟫ Too Many Requests
Retry-After: ⟪duration:30⟫
X-RateLimit-Limit: ⟪count:600⟫
X-RateLimit-Remaining: 0
Content-Type: application/problem+json

{"type":"about:blank","title":"Too Many Requests","status":429,"instance":"⟪path:/api/v2/search⟫"}''')
R("http", "en", '''CONNECT ⟪host:api.openai.com⟫:443 HTTP/1.1
Proxy-Authorization: Basic ⟦token:§ALNUM:24§=⟧
X-Forwarded-For: ⟦ip:§IP6§⟧''')

# =====================================================================================
# curl commands
# =====================================================================================
R("curl", "en", "curl -sS -X POST https://api.example.com/v1/users -H 'Authorization: Bearer ⟦token:§JWT§⟧' -H 'Content-Type: application/json' -d '{\"name\":\"⟦name:Fatima Hussain⟧\",\"email\":\"⟦email:§EMAIL§⟧\",\"role\":\"admin\"}'")
R("curl", "en", "$ curl -u ⟦email:§EMAIL§⟧:⟦password:§PASSWORD§⟧ https://jira.example.com/rest/api/2/issue/⟪id:OPS-4412⟫")
R("curl", "en", "curl https://api.sendgrid.com/v3/mail/send \\\n  --header \"Authorization: Bearer ⟦api_key:SG.§ALNUM:22§.§ALNUM:43§⟧\" \\\n  --header 'Content-Type: application/json' \\\n  --data '{\"personalizations\":[{\"to\":[{\"email\":\"⟦email:§EMAIL§⟧\"}]}],\"from\":{\"email\":\"noreply@example.com\"},\"subject\":\"Your receipt\"}'")
R("curl", "en", "curl -X GET 'https://maps.googleapis.com/maps/api/geocode/json?address=⟦address:1600+Amphitheatre+Parkway⟧,+Mountain+View&key=⟦api_key:AIza§ALNUM:35§⟧'")
R("curl", "en", "+ curl -fsSL -H 'PRIVATE-TOKEN: ⟦api_key:glpat-§ALNUM:20§⟧' 'https://gitlab.example.com/api/v4/projects/⟪id:812⟫/pipelines?ref=main&sha=⟪hash:§SHA§⟫'")
R("curl", "en", "curl -v --cookie \"sid=⟦token:§TOKEN§⟧\" https://shop.example.com/account/orders/⟪id:118203⟫ 2>&1 | grep -i '< HTTP'\n< HTTP/2 ⟪code:200⟫")
R("curl", "en", "curl -X POST https://hooks.slack.com/services/T0§ALNUM:8§/B0§ALNUM:8§/⟦token:§ALNUM:24§⟧ -d '{\"text\":\"Deploy of ⟪service:billing-api⟫ ⟪version:v1.42.0⟫ finished in ⟪duration:6m12s⟫\"}'")
R("curl", "en", "curl 'https://api.example.com/v1/otp/verify' -H 'content-type: application/json' --data-raw '{\"phone\":\"⟦phone:§PHONE:en§⟧\",\"code\":\"⟦otp:§OTP:6§⟧\"}' --compressed")
R("curl", "en", "curl -H \"X-API-Key: ⟦api_key:§APIKEY§⟧\" \"https://api.example.io/v2/metrics?service=⟪service:checkout⟫&from=⟪timestamp:2024-06-01T00:00:00Z⟫&step=⟪duration:60s⟫\"")
R("curl", "de", "curl -X POST https://api.example.de/v1/kunden -H 'Content-Type: application/json' -d '{\"anrede\":\"Frau\",\"name\":\"⟦name:Ursula Baumgartner⟧\",\"telefon\":\"⟦phone:§PHONE:de§⟧\",\"iban\":\"⟦iban:§IBAN§⟧\"}'")
R("curl", "en", "curl -s http://⟪host:localhost⟫:9090/api/v1/query --data-urlencode 'query=sum(rate(⟪metric:http_requests_total⟫{job=\"api\"}[5m]))' | jq .")
R("curl", "en", "curl -k -X PUT https://⟦ip:§IP4§⟧:8443/api/devices/⟦imei:§IMEI§⟧/lock -H 'Authorization: Bearer ⟦token:§TOKEN§⟧'")
R("curl", "pt", "curl -X POST https://api.example.com.br/v1/clientes -d nome='⟦name:Beatriz Gonçalves⟧' -d cpf='⟦national_id:§CPF§⟧' -d celular='⟦phone:§PHONE:pt§⟧' -d endereco='⟦address:§STREET:pt§⟧'")
R("curl", "en", "curl -F 'file=@⟦home_path:§HOME:tanaka.y§⟧Desktop/passport.jpg' -F 'user_id=⟪id:55019⟫' https://upload.example.com/v1/kyc")

# =====================================================================================
# SQL
# =====================================================================================
R("sql", "en", "INSERT INTO users (id, email, full_name, phone, created_at) VALUES (⟪id:104223⟫, '⟦email:§EMAIL§⟧', '⟦name:Emily Clarke⟧', '⟦phone:§PHONE:en§⟧', '⟪timestamp:2024-03-01 12:00:00⟫');")
R("sql", "en", "⟪timestamp:2024-05-11 08:22:19.412 UTC⟫ [⟪id:28841⟫] LOG:  duration: ⟪duration:1532.118 ms⟫  statement: SELECT * FROM orders WHERE customer_email = '⟦email:§EMAIL§⟧' ORDER BY created_at DESC LIMIT 50")
R("sql", "en", "UPDATE accounts SET password_hash = '$2b$12$§ALNUM:53§', reset_token = NULL WHERE id = ⟪id:7712⟫;")
R("sql", "en", "ERROR:  duplicate key value violates unique constraint \"customers_national_id_key\"\nDETAIL:  Key (national_id)=(⟦national_id:§NINO§⟧) already exists.\nSTATEMENT:  INSERT INTO customers (name, national_id) VALUES ('⟦name:Siobhan Gallagher⟧', '⟦national_id:§NINO§⟧')".replace("§NINO§", "§NINO#n§"))
R("sql", "en", "# Time: ⟪timestamp:2024-02-19T03:14:07.000512Z⟫\n# User@Host: app[app] @  [⟦ip:§IP4§⟧]  Id: ⟪id:991022⟫\n# Query_time: ⟪duration:12.400221⟫  Lock_time: 0.000104 Rows_sent: 1  Rows_examined: ⟪count:4120331⟫\nSELECT id, first_name, last_name FROM members WHERE last_name LIKE '%⟦name:Szymańska⟧%';")
R("sql", "en", "SELECT count(*) AS n, status FROM payments WHERE created_at >= '⟪timestamp:2024-06-01⟫' GROUP BY status; -- took ⟪duration:84ms⟫, ⟪count:4⟫ rows")
R("sql", "en", "INSERT INTO payment_methods (user_id, card_number, exp_month, exp_year) VALUES (⟪id:5531⟫, '⟦card:§CARD§⟧', 9, 2027);")
R("sql", "en", "postgres=# SELECT id, name, dob, address FROM patients WHERE id = ⟪id:3319⟫;\n  id  |      name       |    dob     |          address\n------+-----------------+------------+---------------------------\n ⟪id:3319⟫ | ⟦name:Amani Mwangi⟧ | ⟦dob:§DOB§⟧ | ⟦address:§STREET:en§⟧\n(1 row)")
R("sql", "en", "Query failed: ERROR 1406 (22001): Data too long for column 'bio' at row 1 — INSERT INTO profiles(user_id,bio) VALUES(⟪id:88012⟫,'⟦content:I am a retired nurse living with my two cats. Looking for someone kind who likes gardening and long walks by the sea.⟧')")
R("sql", "en", "COPY public.events (id, type, payload, created_at) FROM stdin;\n⟪id:100412⟫\tlogin\t{\"ip\": \"⟦ip:§IP4§⟧\"}\t⟪timestamp:2024-01-01 00:00:01⟫\n⟪id:100413⟫\tlogout\t{}\t⟪timestamp:2024-01-01 00:12:44⟫\n\\.")
R("sql", "en", "ALTER TABLE ⟪word:invoices⟫ ADD COLUMN vat_number text; -- migration ⟪version:0042⟫_add_vat, applied in ⟪duration:310ms⟫")
R("sql", "de", "INSERT INTO kunden (vorname, nachname, strasse, plz, ort, iban) VALUES ('⟦name:Tobias⟧', '⟦name:Schäfer⟧', '⟦address:§STREET:de§⟧', '⟦postcode:§PC:de§⟧', 'Köln', '⟦iban:§IBAN§⟧');")
R("sql", "es", "SELECT * FROM clientes WHERE nombre = '⟦name:Lucía⟧' AND apellidos = '⟦name:Navarro Castillo⟧' AND provincia = '⟪word:Zaragoza⟫'; -- ⟪count:3⟫ filas")
R("sql", "en", "2024-04-18 17:55:02.118 UTC [⟪id:411⟫] app@prod ERROR:  null value in column \"postcode\" violates not-null constraint\n2024-04-18 17:55:02.118 UTC [⟪id:411⟫] app@prod DETAIL:  Failing row contains (⟪id:98221⟫, ⟦name:Mehmet Yılmaz⟧, ⟦email:§EMAIL§⟧, ⟦address:§STREET:en§⟧, null).")
R("sql", "pl", "INSERT INTO pacjenci (imie, nazwisko, pesel, telefon) VALUES ('⟦name:Agnieszka⟧', '⟦name:Zielińska⟧', '⟦national_id:§PESEL§⟧', '⟦phone:§PHONE:pl§⟧');")
R("sql", "en", "SELECT u.id, u.email FROM users u JOIN sessions s ON s.user_id = u.id WHERE s.token = '⟦token:§TOKEN§⟧'; -- slow query ⟪duration:2.3s⟫ on ⟪host:db-replica-02⟫")

# =====================================================================================
# YAML / TOML / .env config
# =====================================================================================
R("yaml", "en", '''database:
  host: ⟪host:pg-main.prod.internal⟫
  port: 5432
  user: orders
  password: "⟦password:§PASSWORD§⟧"
  pool_size: ⟪count:20⟫
  timeout: ⟪duration:30s⟫''')
R("yaml", "en", '''# .env.production
NODE_ENV=production
DATABASE_URL=postgres://app:⟦password:§PASSWORD§⟧@⟪host:db.internal⟫:5432/app
STRIPE_SECRET_KEY=⟦api_key:sk_live_§ALNUM:24§⟧
SENTRY_DSN=https://⟦token:§HEX:32§⟧@o4504.ingest.sentry.io/⟪id:4505112⟫
LOG_LEVEL=info''')
R("yaml", "en", '''apiVersion: v1
kind: Secret
metadata:
  name: ⟪service:payments-secrets⟫
  namespace: prod
type: Opaque
stringData:
  PAYPAL_CLIENT_SECRET: ⟦api_key:§APIKEY§⟧
  JWT_SIGNING_KEY: ⟦token:§TOKEN§⟧''')
R("yaml", "en", '''[server]
bind = "0.0.0.0:8080"
workers = ⟪count:8⟫
read_timeout = "⟪duration:15s⟫"

[admin]
email = "⟦email:§EMAIL§⟧"
name = "⟦name:Declan Fitzgerald⟧"
api_token = "⟦api_key:§APIKEY§⟧"''')
R("yaml", "en", '''tls:
  cert: /etc/ssl/certs/api.pem
  key: |
    ⟦private_key:§PEM:4§⟧''')
R("yaml", "en", '''aws:
  region: ⟪word:eu-central-1⟫
  access_key_id: ⟦api_key:§AKIA§⟧
  secret_access_key: ⟦api_key:§AWSSEC§⟧
  bucket: acme-backups''')
R("yaml", "en", '''version: "3.9"
services:
  db:
    image: postgres:⟪version:16.2⟫
    environment:
      POSTGRES_USER: admin
      POSTGRES_PASSWORD: ⟦password:§PASSWORD§⟧
    volumes:
      - ⟦home_path:§HOME:jgarcia§⟧pgdata:/var/lib/postgresql/data''')
R("yaml", "en", '''replicaCount: ⟪count:3⟫
image:
  repository: ghcr.io/acme/⟪service:ledger-api⟫
  tag: "⟪version:1.18.4⟫"
resources:
  limits:
    cpu: 500m
    memory: 512Mi
podAnnotations:
  git-sha: "⟪hash:§SHA§⟫"''')
R("yaml", "en", '''# ~/.npmrc
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦api_key:npm_§ALNUM:36§⟧
email=⟦email:§EMAIL§⟧''')
R("yaml", "en", '''oncall:
  primary:
    name: ⟦name:Olga Smirnova⟧
    phone: "⟦phone:§PHONE:en§⟧"
  secondary:
    name: ⟦name:Trevor McAllister⟧
    phone: "⟦phone:§PHONE:en§⟧"
  escalation_after: ⟪duration:15m⟫''')
R("yaml", "en", '''[package]
name = "⟪service:telemetry-agent⟫"
version = "⟪version:0.14.2⟫"
authors = ["⟦name:Björn Sjöberg⟧ <⟦email:§EMAIL:sv§⟧>"]
edition = "2021"''')
R("yaml", "en", '''alerting:
  slack_webhook: https://hooks.slack.com/services/T024§ALNUM:6§/B06§ALNUM:6§/⟦token:§ALNUM:24§⟧
  pagerduty_key: ⟦api_key:§HEX:32§⟧
thresholds:
  p99_latency: ⟪duration:750ms⟫
  error_rate: 0.02''')
R("yaml", "en", '''spring:
  datasource:
    url: jdbc:mysql://⟪host:mysql-prod-1⟫:3306/shop?useSSL=true
    username: shop_rw
    password: ⟦password:§PASSWORD§⟧
  mail:
    username: ⟦email:§EMAIL§⟧
    password: ⟦password:§PASSWORD§⟧''')
R("yaml", "de", '''# Konfiguration Mandant ⟪id:4711⟫
firma: Müller Bau GmbH
ansprechpartner: ⟦name:Stefan Becker⟧
telefon: ⟦phone:§PHONE:de§⟧
bankverbindung:
  iban: ⟦iban:§IBAN§⟧
  bic: COBADEFFXXX''')
R("yaml", "en", '''- name: Add deploy key
  copy:
    dest: /root/.ssh/id_rsa
    mode: "0600"
    content: |
      ⟦private_key:§PEM:6§⟧''')
R("yaml", "en", '''GITHUB_TOKEN=⟦api_key:ghp_§ALNUM:36§⟧
OPENAI_API_KEY=⟦api_key:sk-proj-§ALNUM:48§⟧
REDIS_URL=redis://:⟦password:§PASSWORD§⟧@⟪host:redis-master⟫:6379/0
FEATURE_NEW_UI=true''')
R("yaml", "en", '''scrape_configs:
  - job_name: ⟪service:node⟫
    scrape_interval: ⟪duration:15s⟫
    static_configs:
      - targets: ["⟪host:node-exporter-1⟫:9100", "⟪host:node-exporter-2⟫:9100"]''')
R("yaml", "es", '''# configuración del entorno de pruebas
contacto_soporte:
  nombre: ⟦name:Pablo Iglesias Moreno⟧
  correo: ⟦email:§EMAIL:es§⟧
  móvil: "⟦phone:§PHONE:es§⟧"
reintentos: ⟪count:5⟫''')
R("yaml", "en", '''wallets:
  hot: ⟦wallet:§WALLET§⟧
  cold: ⟦wallet:§WALLET§⟧
min_confirmations: ⟪count:6⟫
node: https://⟪host:btc-node-2.internal⟫:8332''')
R("yaml", "en", '''[[users]]
id = ⟪id:1⟫
name = "⟦name:Yonatan Cohen⟧"
role = "owner"

[[users]]
id = ⟪id:2⟫
name = "⟦name:Zainab Abubakar⟧"
role = "viewer"''')
R("yaml", "en", '''ci:
  runner_token: ⟦token:GR1348941§ALNUM:20§⟧
  cache_dir: ⟦home_path:§HOME:fdubois§⟧.cache/ci
  concurrency: ⟪count:16⟫''')
R("yaml", "sv", '''# kontaktuppgifter för leverantör
leverantör: Nordisk Frakt AB
kontaktperson: ⟦name:Ingrid Bergström⟧
e-post: ⟦email:§EMAIL:sv§⟧
telefon: "⟦phone:§PHONE:sv§⟧"
betalvillkor: ⟪duration:30 dagar⟫''')

# =====================================================================================
# CSV rows
# =====================================================================================
R("csv", "en", '''id,first_name,last_name,email,phone,signup_date
⟪id:1001⟫,⟦name:James⟧,⟦name:Okafor⟧,⟦email:§EMAIL§⟧,⟦phone:§PHONE:en§⟧,⟪timestamp:2024-01-15⟫
⟪id:1002⟫,⟦name:Mei⟧,⟦name:Huang⟧,⟦email:§EMAIL§⟧,⟦phone:§PHONE:en§⟧,⟪timestamp:2024-01-16⟫''')
R("csv", "en", '''order_id,customer,shipping_address,postcode,total
⟪id:A-5521⟫,"⟦name:Natalie Sullivan⟧","⟦address:§STREET:en§⟧",⟦postcode:§PC:en§⟧,⟪amount:64.20⟫''')
R("csv", "en", '''timestamp,service,endpoint,p50_ms,p99_ms,errors
⟪timestamp:2024-06-01T00:00:00Z⟫,⟪service:cart⟫,⟪path:/api/cart⟫,⟪duration:12⟫,⟪duration:184⟫,⟪count:3⟫
⟪timestamp:2024-06-01T00:01:00Z⟫,⟪service:search⟫,⟪path:/api/search⟫,⟪duration:41⟫,⟪duration:920⟫,⟪count:17⟫''')
R("csv", "en", '''employee_id;name;date_of_birth;ssn;salary
⟪id:E0192⟫;⟦name:Caleb Patterson⟧;⟦dob:§DOB§⟧;⟦national_id:§SSN§⟧;⟪amount:84000⟫''')
R("csv", "en", '''"Transaction ID","Date","Payee","IBAN","Amount","Reference"
"⟪id:TRX88120⟫","⟪timestamp:2024-03-28⟫","⟦name:Chloé Moreau⟧","⟦iban:§IBAN§⟧","⟪amount:-420.00⟫","Rent ⟪word:April⟫"''')
R("csv", "en", '''user_id,device_imei,last_seen_ip,app_version
⟪id:u_1192⟫,⟦imei:§IMEI§⟧,⟦ip:§IP4§⟧,⟪version:6.1.0⟫
⟪id:u_1193⟫,⟦imei:§IMEI§⟧,⟦ip:§IP6§⟧,⟪version:6.0.3⟫''')
R("csv", "en", '''date,sku,units,revenue
⟪timestamp:2024-11-29⟫,⟪id:SKU-4471⟫,⟪count:1204⟫,⟪amount:36108.00⟫
⟪timestamp:2024-11-30⟫,⟪id:SKU-4471⟫,⟪count:980⟫,⟪amount:29390.00⟫''')
R("csv", "en", '''ticket,opened_by,contact,message
⟪id:T-20931⟫,⟦name:Ravi Shankar⟧,⟦email:§EMAIL§⟧,"⟦content:App crashes every time I try to upload my son's school photos, please help⟧"''')
R("csv", "de", '''Kundennr;Name;Straße;PLZ;Ort;Telefon
⟪id:K-10442⟫;⟦name:Jonas Richter⟧;⟦address:§STREET:de§⟧;⟦postcode:§PC:de§⟧;Leipzig;⟦phone:§PHONE:de§⟧''')
R("csv", "fr", '''nom;prénom;date_naissance;numéro_sécu;ville
⟦name:Lefèvre⟧;⟦name:Antoine⟧;⟦dob:§DOB§⟧;⟦national_id:§NIR§⟧;Lyon''')
R("csv", "pt", '''nome,email,telefone,cidade
⟦name:Inês Carvalho⟧,⟦email:§EMAIL:pt§⟧,⟦phone:§PHONE:pt§⟧,Porto
⟦name:Tiago Almeida⟧,⟦email:§EMAIL:pt§⟧,⟦phone:§PHONE:pt§⟧,Braga''')
R("csv", "en", '''card_holder,card_number,exp,billing_zip
"⟦name:Abigail Thompson⟧",⟦card:§CARD§⟧,11/26,⟦postcode:§PC:en§⟧''')
R("csv", "it", '''cognome,nome,codice_fiscale,comune
⟦name:Colombo⟧,⟦name:Alessandro⟧,⟦national_id:§CF§⟧,Bergamo''')
R("csv", "en", '''host,region,cpu_pct,mem_pct,disk_pct
⟪host:ip-10-0-1-17⟫,⟪word:us-east-1⟫,71.2,64.0,38
⟪host:ip-10-0-2-44⟫,⟪word:us-east-1⟫,22.9,51.5,80''')
R("csv", "nl", '''klantnummer,naam,postcode,huisnummer,telefoon
⟪id:NL-33012⟫,⟦name:Femke Bakker⟧,⟦postcode:§PC:nl§⟧,14,⟦phone:§PHONE:nl§⟧''')
R("csv", "en", '''wallet_address,label,balance_eth
⟦wallet:§WALLET§⟧,treasury,⟪amount:112.5⟫
⟦wallet:§WALLET§⟧,⟦name:Haoran⟧'s personal,⟪amount:3.02⟫''')

# =====================================================================================
# CI logs
# =====================================================================================
R("ci", "en", '''⟪timestamp:2024-05-02T10:11:41.2213110Z⟫ ##[group]Run actions/checkout@v4
⟪timestamp:2024-05-02T10:11:41.2214002Z⟫ with:
⟪timestamp:2024-05-02T10:11:41.2214290Z⟫   repository: acme/⟪service:storefront⟫
⟪timestamp:2024-05-02T10:11:41.2214731Z⟫   token: ***
⟪timestamp:2024-05-02T10:11:43.9912048Z⟫ HEAD is now at ⟪hash:§SHA7#h§⟫ fix(cart): round VAT per line''')
R("ci", "en", '''$ git log -1 --format='%H %an <%ae>'
⟪hash:§SHA§⟫ ⟦name:Priyanka Deshmukh⟧ <⟦email:§EMAIL§⟧>
$ make test
ok   github.com/acme/ledger/internal/posting  ⟪duration:0.412s⟫''')
R("ci", "en", '''Step 4/12 : RUN echo "//npm.pkg.github.com/:_authToken=⟦api_key:ghp_§ALNUM:36§⟧" > .npmrc && npm ci
 ---> Running in ⟪id:3b1c9e7a2f44⟫
added ⟪count:1412⟫ packages in ⟪duration:38s⟫''')
R("ci", "en", '''+ docker login -u ⟦email:§EMAIL§⟧ -p ⟦password:§PASSWORD§⟧ registry.example.com
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded''')
R("ci", "en", '''Running with gitlab-runner ⟪version:16.9.1⟫ (⟪hash:782c6ecb⟫)
  on ⟪host:docker-runner-eu-3⟫ ⟪id:xZ2wQp9s⟫, system ID: ⟪id:s_9a1b2c3d4e5f⟫
Preparing the "docker" executor
Using Docker executor with image node:⟪version:20.11⟫-alpine ...
$ npm run test:ci
Tests:       ⟪count:412⟫ passed, ⟪count:412⟫ total
Time:        ⟪duration:71.204 s⟫''')
R("ci", "en", '''[Pipeline] sh
+ ./gradlew publish -PsigningKeyPassword=⟦password:§PASSWORD§⟧ -PossrhToken=⟦token:§TOKEN§⟧
> Task :core:publishMavenPublicationToSonatypeRepository
BUILD SUCCESSFUL in ⟪duration:2m 41s⟫
⟪count:37⟫ actionable tasks: ⟪count:37⟫ executed'''.replace("⟪count:37⟫ actionable tasks: ⟪count:37⟫", "⟪count:37⟫ actionable tasks: 37"))
R("ci", "en", '''Error: Process completed with exit code ⟪code:1⟫.
  /home/runner/work/⟪service:billing⟫/⟪service:billing⟫/node_modules/.bin/jest
  FAIL src/__tests__/invoice.test.ts (⟪duration:4.118 s⟫)''')
R("ci", "en", '''terraform apply -auto-approve
aws_db_instance.main: Modifying... [id=⟪id:prod-main-db⟫]
aws_db_instance.main: Modifications complete after ⟪duration:4m12s⟫

Outputs:

db_endpoint = "⟪host:prod-main-db.c9akciq32.eu-west-1.rds.amazonaws.com⟫"
db_password = "⟦password:§PASSWORD§⟧"''')
R("ci", "en", '''#14 [build 6/9] RUN pip install -r requirements.txt --index-url https://__token__:⟦api_key:pypi-§ALNUM:60§⟧@upload.pypi.org/simple/
#14 ⟪duration:12.4⟫ Successfully installed ⟪count:88⟫ packages''')
R("ci", "en", '''CircleCI received exit code ⟪code:137⟫
Too long with no output (exceeded ⟪duration:10m0s⟫): context deadline exceeded
Job: ⟪service:integration-tests⟫ #⟪id:48812⟫ on branch feature/⟦name:marta⟧-sso-login'''.replace("⟦name:marta⟧", "marta"))
R("ci", "en", '''Author: ⟦name:Dariush Rahimi⟧ <⟦email:§EMAIL§⟧>
Date:   ⟪timestamp:Thu Apr 11 14:22:03 2024 +0200⟫

    chore(deps): bump serde to ⟪version:1.0.197⟫

    Signed-off-by: ⟦name:Dariush Rahimi⟧ <⟦email:§EMAIL#e§⟧>'''.replace("<⟦email:§EMAIL§⟧>", "<⟦email:§EMAIL#e§⟧>"))
R("ci", "en", '''--- Deploy summary ---
service:   ⟪service:notifications⟫
version:   ⟪version:2.31.0⟫
commit:    ⟪hash:§SHA§⟫
replicas:  ⟪count:6⟫/⟪count:6⟫ ready
elapsed:   ⟪duration:3m05s⟫'''.replace("⟪count:6⟫/⟪count:6⟫", "⟪count:6⟫/6"))
R("ci", "en", '''> Task :app:testDebugUnitTest
com.acme.SignupViewModelTest > rejectsInvalidEmail FAILED
    java.lang.AssertionError: expected:<false> but was:<true> for input "⟦email:§EMAIL§⟧"
⟪count:214⟫ tests completed, ⟪count:1⟫ failed''')
R("ci", "en", '''Run echo "Deploying as $DEPLOY_USER"
Deploying as ⟦email:§EMAIL§⟧
Run ssh -i key.pem deploy@⟦ip:§IP4§⟧ 'sudo systemctl restart ⟪service:api⟫'
Warning: Permanently added '⟦ip:§IP4§⟧' (ED25519) to the list of known hosts.''')
R("ci", "de", '''Schritt 3/5: Datenbank-Migration
Verbinde mit ⟪host:db-staging⟫ als Benutzer ci mit Passwort ⟦password:§PASSWORD§⟧ ...
⟪count:14⟫ Migrationen angewendet in ⟪duration:2,4 s⟫''')
R("ci", "en", '''buildkite-agent: ⟪timestamp:2024-09-03 08:12:55 UTC⟫ INFO   Starting job ⟪id:01919a2b-77c4-4b1f-a0cd-3e8a1c55b7d2⟫
export BUILDKITE_BUILD_CREATOR="⟦name:Kwame Mensah⟧"
export BUILDKITE_BUILD_CREATOR_EMAIL="⟦email:§EMAIL§⟧"
export BUILDKITE_COMMIT="⟪hash:§SHA§⟫"''')
R("ci", "en", '''Run cargo test --workspace
   Compiling telemetry-core v⟪version:0.9.3⟫ (⟦home_path:§HOME:mrossi§⟧code/telemetry/core)
    Finished test [unoptimized + debuginfo] target(s) in ⟪duration:48.77s⟫
test result: ok. ⟪count:312⟫ passed; 0 failed; ⟪count:2⟫ ignored''')
R("ci", "pt", '''Etapa "deploy-producao" falhou após ⟪duration:4m22s⟫
Erro: falha ao autenticar no registro com o token ⟦token:§TOKEN§⟧
Responsável pela aprovação: ⟦name:Rafael Sousa⟧''')

# =====================================================================================
# Kubernetes events / kubectl output
# =====================================================================================
R("k8s", "en", '''LAST SEEN   TYPE      REASON      OBJECT                                MESSAGE
⟪duration:2m⟫          Warning   BackOff     pod/⟪pod:checkout-api-6d8f9c7b5-xw2kq⟫   Back-off restarting failed container api in pod checkout-api-6d8f9c7b5-xw2kq_prod
⟪duration:5m⟫          Normal    Pulled      pod/⟪pod:checkout-api-6d8f9c7b5-xw2kq⟫   Container image "ghcr.io/acme/checkout:⟪version:3.2.1⟫" already present on machine'''.replace("pod checkout-api-6d8f9c7b5-xw2kq_prod", "pod ⟪pod:checkout-api-6d8f9c7b5-xw2kq⟫_prod"))
R("k8s", "en", '''Events:
  Type     Reason     Age   From               Message
  ----     ------     ----  ----               -------
  Warning  Failed     ⟪duration:14s⟫   kubelet            Failed to pull image "registry.example.com/app:latest": unauthorized: authentication required for user ⟦email:§EMAIL§⟧''')
R("k8s", "en", '''{"kind":"Event","apiVersion":"v1","metadata":{"name":"⟪pod:user-sync-28552310-9kq2r⟫.17c3f","namespace":"jobs"},"reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit","count":⟪count:6⟫,"lastTimestamp":"⟪timestamp:2024-04-09T03:10:00Z⟫"}''')
R("k8s", "en", '''$ kubectl get secret db-creds -o jsonpath='{.data.password}' | base64 -d
⟦password:§PASSWORD§⟧''')
R("k8s", "en", '''$ kubectl logs ⟪pod:signup-7f9d5b8c6-hjk4n⟫ -n prod --tail=2
⟪timestamp:2024-07-12T11:03:22Z⟫ INFO created account for ⟦name:Emre Kaya⟧ (⟦email:§EMAIL§⟧)
⟪timestamp:2024-07-12T11:03:25Z⟫ INFO sent verification sms to ⟦phone:§PHONE:en§⟧''')
R("k8s", "en", '''Warning  FailedScheduling  ⟪duration:3m12s⟫ (x⟪count:14⟫ over ⟪duration:40m⟫)  default-scheduler  0/⟪count:12⟫ nodes are available: 3 Insufficient memory, 9 node(s) had untolerated taint {dedicated: gpu}.''')
R("k8s", "en", '''NAME                               READY   STATUS             RESTARTS        AGE
⟪pod:ledger-api-5c7d9f8b4-2lmnp⟫    1/1     Running            0               ⟪duration:3d4h⟫
⟪pod:ledger-api-5c7d9f8b4-9qwer⟫    0/1     CrashLoopBackOff   ⟪count:37⟫ (⟪duration:2m ago⟫)   ⟪duration:3h12m⟫''')
R("k8s", "en", '''apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟪service:mailer-config⟫
data:
  SMTP_USER: ⟦email:§EMAIL§⟧
  SMTP_PASS: ⟦password:§PASSWORD§⟧
  FROM_NAME: "Acme Support"''')
R("k8s", "en", '''I0412 ⟪timestamp:09:14:55.118224⟫       1 event.go:307] "Event occurred" object="prod/⟪pod:payments-worker-0⟫" kind="Pod" apiVersion="v1" type="Normal" reason="Killing" message="Stopping container worker"''')
R("k8s", "en", '''Warning  Unhealthy  ⟪duration:21s⟫ (x⟪count:3⟫ over ⟪duration:61s⟫)  kubelet  Liveness probe failed: Get "http://⟦ip:10.244.§D:1§.§D:2§⟧:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)''')
R("k8s", "en", '''$ kubectl describe pod ⟪pod:crm-sync-76b9c-x8d2f⟫
...
    Environment:
      HUBSPOT_TOKEN:    ⟦api_key:pat-eu1-§HEX:8§-§HEX:4§-§HEX:4§-§HEX:4§-§HEX:12§⟧
      SYNC_OWNER:       ⟦email:§EMAIL§⟧
      BATCH_SIZE:       ⟪count:500⟫''')
R("k8s", "en", '''kube-apiserver audit: {"level":"RequestResponse","verb":"create","user":{"username":"⟦email:§EMAIL§⟧","groups":["system:authenticated"]},"sourceIPs":["⟦ip:§IP4§⟧"],"objectRef":{"resource":"pods","subresource":"exec","namespace":"prod","name":"⟪pod:orders-db-0⟫"},"responseStatus":{"code":⟪code:101⟫},"stageTimestamp":"⟪timestamp:2024-08-02T16:40:12.004211Z⟫"}''')
R("k8s", "en", '''Normal   ScalingReplicaSet  ⟪duration:44s⟫  deployment-controller  Scaled up replica set ⟪pod:search-api-8b7c6d5f4⟫ to ⟪count:9⟫ from 6''')
R("k8s", "en", '''Warning  OOMKilled  ⟪duration:7m⟫  kubelet  Container ⟪service:image-resizer⟫ in pod ⟪pod:image-resizer-5d6f7-2xk9p⟫ exceeded memory limit (⟪count:536870912⟫ bytes) while processing ⟦photo_url:§PHOTO§⟧''')
R("k8s", "de", '''Warnung  BackOff  ⟪duration:3m⟫  kubelet  Neustart des fehlgeschlagenen Containers ⟪service:rechnungs-api⟫ in Pod ⟪pod:rechnungs-api-7c8d9-qq2lm⟫ wird verzögert''')
R("k8s", "en", '''$ kubectl exec -it ⟪pod:redis-0⟫ -- redis-cli -a ⟦password:§PASSWORD§⟧ GET session:⟪id:u_40211⟫
"{\\"name\\":\\"⟦name:Lindiwe Dlamini⟧\\",\\"email\\":\\"⟦email:§EMAIL§⟧\\",\\"cart\\":[⟪id:88120⟫]}"''')

# =====================================================================================
# Java stack traces
# =====================================================================================
R("stack_java", "en", '''⟪timestamp:2024-03-18 14:22:05.118⟫ ERROR 1 --- [nio-8080-exec-7] c.a.o.web.OrderController : Failed to place order for customer ⟦email:§EMAIL§⟧
org.springframework.dao.DataIntegrityViolationException: could not execute statement; SQL [n/a]; constraint [orders_user_fk]
	at org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:⟪count:276⟫)
	at com.acme.orders.service.OrderService.place(OrderService.java:⟪count:88⟫)
	... ⟪count:112⟫ common frames omitted''')
R("stack_java", "en", '''Exception in thread "main" java.lang.IllegalArgumentException: Invalid phone number: ⟦phone:§PHONE:en§⟧
	at com.google.i18n.phonenumbers.PhoneNumberUtil.parse(PhoneNumberUtil.java:3216)
	at com.acme.sms.Sender.normalize(Sender.java:41)
	at com.acme.sms.Sender.send(Sender.java:27)''')
R("stack_java", "en", '''java.sql.SQLException: Access denied for user 'reporting'@'⟦ip:§IP4§⟧' (using password: YES)
	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)
	at com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:⟪count:475⟫)
Caused by: connection string jdbc:mysql://reporting:⟦password:§PASSWORD§⟧@⟪host:mysql-reporting⟫:3306/dw''')
R("stack_java", "en", '''⟪timestamp:2024-06-21T09:00:12,441⟫ WARN  [http-nio-8443-exec-3] com.acme.kyc.Validator - validation failed for applicant Applicant{firstName='⟦name:Olusegun⟧', lastName='⟦name:Adebayo⟧', dob=⟦dob:§DOB§⟧, passport='⟦national_id:A§D:8§⟧'}
com.acme.kyc.ValidationException: passport expired
	at com.acme.kyc.Validator.check(Validator.java:⟪count:204⟫)''')
R("stack_java", "en", '''Caused by: com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type `java.time.LocalDate` from String "⟦dob:31/02/1988⟧"
 at [Source: (String)"{"name":"⟦name:Hiroshi Watanabe⟧","birthDate":"⟦dob:31/02/1988⟧"}"; line: 1, column: ⟪count:47⟫]''')
R("stack_java", "en", '''javax.mail.AuthenticationFailedException: 535-5.7.8 Username and Password not accepted for ⟦email:§EMAIL§⟧
	at com.sun.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:947)
	at com.acme.notify.MailService.send(MailService.java:⟪count:63⟫)
	at java.base/java.lang.Thread.run(Thread.java:⟪count:1583⟫)''')
R("stack_java", "en", '''⟪timestamp:2024-02-08 03:11:09,002⟫ ERROR [kafka-consumer-2] c.a.e.UserEventConsumer - Failed to process record key=⟪id:u_99120⟫ value={"type":"address_changed","street":"⟦address:§STREET:en§⟧","zip":"⟦postcode:§PC:en§⟧"}
org.apache.kafka.common.errors.SerializationException: Unknown magic byte!''')
R("stack_java", "en", '''java.lang.NullPointerException: Cannot invoke "String.trim()" because "user.getMiddleName()" is null
	at com.acme.profile.NameFormatter.format(NameFormatter.java:⟪count:22⟫)
	at com.acme.profile.ProfileController.get(ProfileController.java:⟪count:57⟫)
	at java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)''')
R("stack_java", "en", '''⟪timestamp:2024-10-02 18:45:33.901⟫ ERROR [payments,⟪id:64f1c2a9d3e8b7a1⟫,⟪id:b7a1c2d3e4f50617⟫] 7 --- [pool-3-thread-1] c.a.p.SepaExporter : IBAN checksum failed: ⟦iban:§IBAN§⟧ (account holder ⟦name:Giulia Romano⟧)
com.acme.payments.InvalidIbanException: checksum mismatch''')
R("stack_java", "en", '''io.grpc.StatusRuntimeException: UNAUTHENTICATED: Request had invalid authentication credentials. Expected OAuth 2 access token. token=⟦token:ya29.§ALNUM:60§⟧
	at io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:⟪count:268⟫)
	at com.acme.pubsub.Publisher.publish(Publisher.java:⟪count:45⟫)''')
R("stack_java", "de", '''⟪timestamp:2024-05-14 07:30:00,112⟫ FEHLER [main] d.a.v.VersandService - Adresse ungültig für ⟦name:Maximilian Vogel⟧: ⟦address:§STREET:de§⟧, ⟦postcode:§PC:de§⟧ Berlin
de.acme.versand.AdressException: Hausnummer fehlt
	at de.acme.versand.AdressValidator.pruefe(AdressValidator.java:⟪count:71⟫)''')
R("stack_java", "en", 'Exception in thread "pool-1-thread-4" java.io.FileNotFoundException: ⟦home_path:C:\\Users\\Nnamdi.Eze\\⟧AppData\\Local\\acme\\config.json (The system cannot find the file specified)\n\tat java.base/java.io.FileInputStream.open0(Native Method)\n\tat com.acme.desktop.Config.load(Config.java:⟪count:31⟫)')

# =====================================================================================
# Python tracebacks
# =====================================================================================
R("stack_py", "en", '''Traceback (most recent call last):
  File "⟦home_path:/home/anna.schmidt/⟧projects/etl/run.py", line ⟪count:42⟫, in <module>
    main()
  File "⟦home_path:/home/anna.schmidt/⟧projects/etl/run.py", line ⟪count:37⟫, in main
    load(rows)
psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "contacts_email_key"
DETAIL:  Key (email)=(⟦email:§EMAIL§⟧) already exists.''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "/app/notify/sms.py", line ⟪count:58⟫, in send
    resp = client.messages.create(to=to, body=body)
twilio.base.exceptions.TwilioRestException: HTTP 400 error: Unable to create record: The 'To' number ⟦phone:§PHONE:en§⟧ is not a valid phone number.''')
R("stack_py", "en", '''ERROR:django.request:Internal Server Error: ⟪path:/api/profile/⟫
Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner
    response = get_response(request)
KeyError: 'postcode'
Request data: {'name': "⟦name:Liam O'Sullivan⟧", 'street': '⟦address:§STREET:en§⟧', 'phone': '⟦phone:§PHONE:en§⟧'}''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "/srv/app/payments.py", line ⟪count:211⟫, in charge
    stripe.Charge.create(amount=amount, source=card)
stripe.error.AuthenticationError: Invalid API Key provided: ⟦api_key:sk_live_§ALNUM:24§⟧''')
R("stack_py", "en", '''[⟪timestamp:2024-04-30 12:01:44,551⟫: ERROR/ForkPoolWorker-3] Task send_receipt[⟪id:§UUID§⟫] raised unexpected: SMTPRecipientsRefused({'⟦email:§EMAIL§⟧': (550, b'5.1.1 User unknown')})''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "/opt/ml/serve.py", line ⟪count:19⟫, in predict
    x = features[user["imei"]]
KeyError: '⟦imei:§IMEI§⟧'
''')
R("stack_py", "en", '''sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "⟪host:warehouse-db.internal⟫", port 5432 failed: FATAL:  password authentication failed for user "analytics"
(Background on this error at: https://sqlalche.me/e/20/e3q8)
[SQL: SELECT 1]
engine url: postgresql://analytics:⟦password:§PASSWORD§⟧@⟪host:warehouse-db.internal⟫:5432/warehouse''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "manage.py", line 22, in <module>
    execute_from_command_line(sys.argv)
  File "/app/users/management/commands/import_users.py", line ⟪count:64⟫, in handle
    user = User.objects.create(first_name=row[0], last_name=row[1], dob=parse(row[2]))
ValueError: day is out of range for month: ['⟦name:Kenji⟧', '⟦name:Yamamoto⟧', '⟦dob:1991-02-30⟧']''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "/app/worker.py", line ⟪count:88⟫, in handle_message
    reply = llm.complete(prompt)
openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-§ALNUM:24§ on tokens per min (TPM): Limit 30000, Used 29870', 'type': 'tokens', 'code': 'rate_limit_exceeded'}}
prompt was: "⟦content:My landlord keeps entering my flat without notice, what are my rights as a tenant in Bristol?⟧"''')
R("stack_py", "es", '''Traceback (most recent call last):
  File "/srv/facturas/generar.py", line ⟪count:133⟫, in generar_factura
    cliente = Cliente(nombre="⟦name:Carmen Vidal⟧", nif="⟦national_id:§NIF§⟧")
ValueError: el código postal ⟦postcode:§PC:es§⟧ no corresponde a la provincia indicada''')
R("stack_py", "en", '''  File "/usr/lib/python3.12/json/decoder.py", line 355, in raw_decode
    raise JSONDecodeError("Expecting value", s, err.value) from None
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
[worker-⟪id:3⟫] giving up after ⟪count:5⟫ retries, last response took ⟪duration:12.8s⟫''')
R("stack_py", "en", '''Traceback (most recent call last):
  File "/Users/⟦name:Sophia⟧/dev/bot/main.py", line 12, in <module>
    client = WebClient(token="⟦api_key:xoxb-§D:11§-§ALNUM:24§⟧")
NameError: name 'WebClient' is not defined'''.replace('"/Users/⟦name:Sophia⟧/dev', '"⟦home_path:/Users/sophia/⟧dev'))

# =====================================================================================
# Go panics
# =====================================================================================
R("stack_go", "en", '''panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8f2c1a]

goroutine ⟪id:1442⟫ [running]:
github.com/acme/orders/internal/api.(*Handler).CreateOrder(0xc0001a2000, {0xc5e8a0, 0xc000412380}, 0xc000398100)
	/build/internal/api/orders.go:⟪count:214⟫ +0x3a
net/http.HandlerFunc.ServeHTTP(...)''')
R("stack_go", "en", '''⟪timestamp:2024/05/12 14:02:11⟫ http: panic serving ⟦ip:§IP4§⟧:51422: user ⟦email:§EMAIL§⟧ has no default address
goroutine ⟪id:988⟫ [running]:
net/http.(*conn).serve.func1()
	/usr/local/go/src/net/http/server.go:1898 +0xbe''')
R("stack_go", "en", '''panic: failed to parse config: yaml: line 14: could not find expected ':'

goroutine 1 [running]:
main.mustLoad({0x7ffd3c2e1f4a, 0x24})
	⟦home_path:§HOME:dkowalski§⟧go/src/acme/cmd/agent/main.go:⟪count:52⟫ +0x1c5''')
R("stack_go", "en", '''fatal error: concurrent map writes

goroutine ⟪id:77⟫ [running]:
github.com/acme/session.(*Store).Put(0xc00012e000, {0xc0003a4120, 0x20}, {0xc000288000, 0x41})
	/app/session/store.go:⟪count:61⟫ +0x9d
	session key="⟦token:§TOKEN§⟧"''')
R("stack_go", "en", '''⟪timestamp:2024-08-30T03:12:00Z⟫	ERROR	billing/charge.go:144	charge failed	{"customer": "⟦name:Bongani Nkosi⟧", "card": "⟦card:§CARD§⟧", "error": "do_not_honor"}
github.com/acme/billing.(*Charger).Charge
	/src/billing/charge.go:144''')
R("stack_go", "en", '''panic: dial tcp ⟦ip:§IP4§⟧:6379: connect: connection refused

goroutine 1 [running]:
main.main()
	/src/cmd/worker/main.go:⟪count:33⟫ +0x2b8
exit status ⟪code:2⟫''')
R("stack_go", "en", '''⟪timestamp:2024-01-22T17:45:10.113Z⟫	WARN	sms/twilio.go:88	delivery failed	{"to": "⟦phone:§PHONE:en§⟧", "sid": "⟪id:SM§HEX:32§⟫", "err_code": ⟪code:30007⟫}''')
R("stack_go", "en", '''goroutine ⟪id:53⟫ [select, ⟪duration:14 minutes⟫]:
github.com/segmentio/kafka-go.(*Reader).run(0xc000520000, {0x1a2b3c0, 0xc0000b4000})
	/go/pkg/mod/github.com/segmentio/kafka-go@v⟪version:0.4.47⟫/reader.go:1312 +0x2f4
created by github.com/segmentio/kafka-go.NewReader in goroutine 1''')
R("stack_go", "en", '''level=error ts=⟪timestamp:2024-03-09T09:09:09Z⟫ msg="unmarshal failed" err="json: cannot unmarshal string into Go struct field User.age of type int" body="{\\"name\\":\\"⟦name:Shirin Tehrani⟧\\",\\"age\\":\\"thirty\\",\\"email\\":\\"⟦email:§EMAIL§⟧\\"}"
goroutine 91 [running]:''')
R("stack_go", "en", '''panic: assignment to entry in nil map

goroutine ⟪id:204⟫ [running]:
github.com/acme/wallet.(*Index).Add(...)
	/src/wallet/index.go:⟪count:40⟫
github.com/acme/wallet.Sync({0xc00031e0c0, 0x2a})  // addr=⟦wallet:§WALLET§⟧''')

# =====================================================================================
# JS / Node stack traces
# =====================================================================================
R("stack_js", "en", '''TypeError: Cannot read properties of undefined (reading 'email')
    at formatRecipient (/app/src/mail/format.js:⟪count:14⟫:23)
    at sendInvoice (/app/src/billing/invoice.js:⟪count:88⟫:11)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)''')
R("stack_js", "en", '''Error: Request failed with status code ⟪code:401⟫
    at createError (/srv/node_modules/axios/lib/core/createError.js:16:15)
  config: {
    url: 'https://api.hubapi.com/crm/v3/objects/contacts',
    headers: { Authorization: 'Bearer ⟦api_key:pat-na1-§HEX:8§-§HEX:4§-§HEX:4§-§HEX:4§-§HEX:12§⟧' },
    data: '{"properties":{"email":"⟦email:§EMAIL§⟧","firstname":"⟦name:Aaliyah⟧"}}'
  }''')
R("stack_js", "en", '''UnhandledPromiseRejectionWarning: MongoServerError: E11000 duplicate key error collection: app.users index: phone_1 dup key: { phone: "⟦phone:§PHONE:en§⟧" }
    at /app/node_modules/mongodb/lib/operations/insert.js:50:33''')
R("stack_js", "en", '''[⟪timestamp:2024-06-11T08:15:42.110Z⟫] ERROR (⟪service:web-bff⟫/⟪id:31⟫): upstream timeout
    err: {
      "type": "AbortError",
      "message": "The operation was aborted after ⟪duration:5000ms⟫",
      "stack": "AbortError: The operation was aborted\\n    at Timeout._onTimeout (/app/dist/upstream.js:41:18)"
    }''')
R("stack_js", "en", '''Error: ENOENT: no such file or directory, open '⟦home_path:/Users/carlos.mendoza/⟧Projects/shop/.env.local'
    at Object.openSync (node:fs:581:3)
    at Object.readFileSync (node:fs:457:35)
  errno: -2, code: 'ENOENT', syscall: 'open' '''.rstrip())
R("stack_js", "en", '''Sentry event ⟪id:§HEX:32§⟫
TypeError: Failed to fetch
  at checkout (webpack://shop/./src/pages/checkout.tsx:⟪count:212⟫:9)
user: {"id":"⟪id:u_7718⟫","email":"⟦email:§EMAIL§⟧","ip_address":"⟦ip:§IP4§⟧","username":"⟦name:Madison Reyes⟧"}
release: ⟪version:web@4.18.0⟫''')
R("stack_js", "en", '''ValidationError: "cardNumber" failed Luhn check. Received "⟦card:§CARD§⟧"
    at Object.validate (/app/node_modules/joi/lib/types/any.js:⟪count:180⟫:17)
    at /app/src/routes/payments.ts:⟪count:44⟫:31''')
R("stack_js", "en", '''RangeError: Maximum call stack size exceeded
    at JSON.stringify (<anonymous>)
    at serialize (/app/lib/cache.js:⟪count:9⟫:15)
    at Array.map (<anonymous>)
  [repeated ⟪count:10473⟫ times]''')
R("stack_js", "fr", '''Erreur: impossible d'envoyer le SMS à ⟦phone:§PHONE:fr§⟧ (⟦name:Camille Roux⟧)
    at Notifier.envoyer (/app/src/notifier.js:⟪count:67⟫:13)
    at async Promise.all (index 2)''')
R("stack_js", "en", '''Error: Invalid token: ⟦token:§JWT§⟧
    at verifyJwt (/app/src/auth/middleware.ts:⟪count:29⟫:11)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
  statusCode: ⟪code:403⟫''')

# =====================================================================================
# DogStatsD
# =====================================================================================
R("dogstatsd", "en", '⟪metric:checkout.order.placed⟫:⟪count:1⟫|c|#env:prod,⟪service:checkout⟫,region:⟪word:eu-west⟫,customer_email:⟦email:§EMAIL§⟧')
R("dogstatsd", "en", '⟪metric:http.request.duration⟫:⟪duration:184.2⟫|h|@0.5|#route:⟪path:/api/v2/orders⟫,status:⟪code:200⟫,version:⟪version:10.2.0.1⟫')
R("dogstatsd", "en", '⟪metric:login.failed⟫:⟪count:1⟫|c|#user:⟦email:§EMAIL§⟧,ip:⟦ip:§IP4§⟧,reason:bad_password')
R("dogstatsd", "en", '⟪metric:queue.depth⟫:⟪count:4412⟫|g|#queue:⟪service:emails-outbound⟫,host:⟪host:worker-07⟫')
R("dogstatsd", "en", '⟪metric:sms.sent⟫:⟪count:1⟫|c|#provider:twilio,to:⟦phone:§PHONE:en§⟧,country:US')
R("dogstatsd", "en", '⟪metric:payment.amount⟫:⟪amount:72.40⟫|d|#currency:EUR,merchant:⟪id:m_2231⟫,cardholder:⟦name:Giulia Ferrari⟧'.replace("⟦name:Giulia Ferrari⟧", "⟦name:Giulia⟧_⟦name:Ferrari⟧"))
R("dogstatsd", "en", '_e{20,44}:Deploy finished: api|⟪service:api⟫ ⟪version:v5.2.0⟫ rolled out by ⟦name:Anders Holm⟧ in ⟪duration:212s⟫|t:info|#env:prod')
R("dogstatsd", "en", '⟪metric:cache.hit_ratio⟫:0.94|g|#cache:⟪service:session-store⟫,pod:⟪pod:session-store-0⟫')
R("dogstatsd", "en", '⟪metric:api.requests⟫:⟪count:1⟫|c|#endpoint:/v1/users/⟦email:§EMAIL§⟧/preferences,method:get'.replace("#endpoint:/v1/users/", "#endpoint:/v1/users/"))
R("dogstatsd", "en", '_sc|⟪service:postgres.can_connect⟫|2|#db:orders,host:⟪host:pg-orders-1⟫|m:connection refused for orders:⟦password:§PASSWORD§⟧@pg-orders-1'.replace("@pg-orders-1", "@⟪host:pg-orders-1⟫"))
R("dogstatsd", "en", '⟪metric:signup.completed⟫:⟪count:1⟫|c|#plan:pro,referrer:⟦name:Marloes⟧,utm_source:newsletter')
R("dogstatsd", "en", '⟪metric:jvm.gc.pause⟫:⟪duration:38⟫|ms|#gc:G1_Young,service:⟪service:ledger-api⟫,version:⟪version:4.0.12.3⟫')

# =====================================================================================
# Prometheus exposition / alerts
# =====================================================================================
R("prom", "en", '''# HELP ⟪metric:http_requests_total⟫ Total HTTP requests.
# TYPE ⟪metric:http_requests_total⟫ counter
⟪metric:http_requests_total⟫{method="GET",handler="⟪path:/api/orders⟫",code="⟪code:200⟫"} ⟪count:1027481⟫
⟪metric:http_requests_total⟫{method="POST",handler="⟪path:/api/orders⟫",code="⟪code:500⟫"} ⟪count:312⟫''')
R("prom", "en", '''⟪metric:login_attempts_total⟫{user="⟦email:§EMAIL§⟧",result="failure"} ⟪count:17⟫''')
R("prom", "en", '''⟪metric:build_info⟫{version="⟪version:2.48.1⟫",revision="⟪hash:§SHA§⟫",branch="HEAD",goversion="go1.21.5"} 1''')
R("prom", "en", '''⟪metric:active_sessions⟫{customer="⟦name:Oliver Bennett⟧",tier="enterprise"} ⟪count:42⟫
⟪metric:active_sessions⟫{customer="⟦name:Ayşe Demir⟧",tier="pro"} ⟪count:7⟫''')
R("prom", "en", '''[FIRING:1] ⟪word:HighErrorRate⟫ ⟪service:payments-api⟫ (prod critical)
Labels: alertname=HighErrorRate, instance=⟦ip:§IP4§⟧:9100, job=⟪service:payments-api⟫
Annotations: summary = 5xx rate above 5% for ⟪duration:10m⟫
Source: http://⟪host:prometheus-0⟫:9090/graph?g0.expr=...''')
R("prom", "en", '''⟪metric:node_filesystem_avail_bytes⟫{device="/dev/nvme0n1p1",fstype="ext4",mountpoint="⟦home_path:/home/mariana.costa/⟧"} ⟪count:8.2371584e+09⟫''')
R("prom", "en", '''⟪metric:grpc_server_handling_seconds_bucket⟫{grpc_method="GetProfile",grpc_service="⟪service:profile.v1.ProfileService⟫",le="0.25"} ⟪count:88120⟫''')
R("prom", "en", '''⟪metric:sms_delivery_failures_total⟫{to="⟦phone:§PHONE:en§⟧",carrier="T-Mobile",error="30003"} ⟪count:3⟫''')
R("prom", "en", '''⟪metric:process_resident_memory_bytes⟫{job="⟪service:api⟫",instance="⟪host:api-2.prod⟫:9090"} ⟪count:4.1234432e+08⟫
⟪metric:up⟫{job="⟪service:api⟫",instance="⟪host:api-2.prod⟫:9090"} 1''')
R("prom", "en", '''⟪metric:checkout_cart_value_euros⟫{session_id="⟦token:§TOKEN§⟧"} ⟪amount:129.5⟫''')
R("prom", "en", '''ALERTS{alertname="⟪word:DiskPressure⟫",instance="⟦ip:§IP4§⟧:9100",severity="warning",owner="⟦email:§EMAIL§⟧"} 1''')
R("prom", "en", '''⟪metric:app_version_info⟫{app="⟪service:fleet-agent⟫",version="⟪version:10.2.0.1⟫",commit="⟪hash:§SHA7§⟫"} 1
⟪metric:app_devices_online⟫{app="⟪service:fleet-agent⟫"} ⟪count:18442⟫''')

# =====================================================================================
# syslog (incl. Rust panics captured by journald)
# =====================================================================================
R("syslog", "en", '⟪timestamp:Mar 12 04:17:33⟫ ⟪host:bastion-1⟫ sshd[⟪id:29311⟫]: Failed password for invalid user admin from ⟦ip:§IP4§⟧ port 51234 ssh2')
R("syslog", "en", '⟪timestamp:Mar 12 08:02:10⟫ ⟪host:bastion-1⟫ sshd[⟪id:30112⟫]: Accepted publickey for deploy from ⟦ip:§IP4§⟧ port 60212 ssh2: ED25519 SHA256:⟪hash:§ALNUM:43§⟫')
R("syslog", "en", '⟪timestamp:Jan  5 23:11:04⟫ ⟪host:mail-1⟫ postfix/smtp[⟪id:8812⟫]: 4F2A11C0A3: to=<⟦email:§EMAIL§⟧>, relay=gmail-smtp-in.l.google.com[⟦ip:§IP4§⟧]:25, delay=⟪duration:1.2⟫, status=sent (250 2.0.0 OK)')
R("syslog", "en", '<134>1 ⟪timestamp:2024-05-11T10:22:01.003Z⟫ ⟪host:app-03⟫ ⟪service:orders⟫ ⟪id:4412⟫ - - order ⟪id:88213⟫ shipped to ⟦name:Connor Walsh⟧, ⟦address:§STREET:en§⟧')
R("syslog", "en", '⟪timestamp:Jul 19 11:42:57⟫ ⟪host:web-2⟫ sudo[⟪id:1882⟫]:   deploy : TTY=pts/0 ; PWD=⟦home_path:/home/tkaminski/⟧ ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx')
R("syslog", "en", '⟪timestamp:Feb 28 02:00:01⟫ ⟪host:db-backup⟫ CRON[⟪id:22012⟫]: (root) CMD (/usr/local/bin/pg_dump_all.sh > /var/backups/nightly.sql 2>&1)')
R("syslog", "en", '''⟪timestamp:Apr 03 16:20:44⟫ ⟪host:edge-gw-2⟫ gateway[⟪id:911⟫]: thread 'tokio-runtime-worker' panicked at src/auth/session.rs:⟪count:142⟫:38:
⟪timestamp:Apr 03 16:20:44⟫ ⟪host:edge-gw-2⟫ gateway[⟪id:911⟫]: called `Option::unwrap()` on a `None` value
⟪timestamp:Apr 03 16:20:44⟫ ⟪host:edge-gw-2⟫ gateway[⟪id:911⟫]: note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace''')
R("syslog", "en", '''⟪timestamp:Sep 14 09:13:02⟫ ⟪host:ingest-5⟫ ingestd[⟪id:3301⟫]: thread 'main' panicked at src/parse.rs:⟪count:77⟫:22:
⟪timestamp:Sep 14 09:13:02⟫ ⟪host:ingest-5⟫ ingestd[⟪id:3301⟫]: called `Result::unwrap()` on an `Err` value: InvalidEmail("⟦email:§EMAIL§⟧")''')
R("syslog", "en", '''⟪timestamp:Oct 30 21:05:17⟫ ⟪host:wallet-svc-1⟫ walletd[⟪id:771⟫]: thread 'worker-3' panicked at 'balance underflow for address ⟦wallet:§WALLET§⟧: have 0, need ⟪amount:0.25⟫', src/ledger.rs:⟪count:203⟫:9
⟪timestamp:Oct 30 21:05:17⟫ ⟪host:wallet-svc-1⟫ systemd[1]: walletd.service: Main process exited, code=killed, status=6/ABRT''')
R("syslog", "en", '''⟪timestamp:Jun 02 07:44:10⟫ ⟪host:build-3⟫ cargo-runner[⟪id:5120⟫]: thread 'main' panicked at ⟦home_path:§HOME:priya§⟧.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-⟪version:1.37.0⟫/src/runtime/blocking/shutdown.rs:51:21:
⟪timestamp:Jun 02 07:44:10⟫ ⟪host:build-3⟫ cargo-runner[⟪id:5120⟫]: Cannot drop a runtime in a context where blocking is not allowed.''')
R("syslog", "en", '⟪timestamp:Nov 11 13:00:00⟫ ⟪host:vpn-1⟫ openvpn[⟪id:1201⟫]: ⟦name:Arjun⟧_⟦name:Mehta⟧/⟦ip:§IP4§⟧:49102 MULTI_sva: pool returned IPv4=⟦ip:10.8.0.§D:2§⟧, IPv6=(Not enabled)')
R("syslog", "en", '⟪timestamp:Dec 24 18:30:12⟫ ⟪host:fw-01⟫ kernel: [⟪duration:8812.441202⟫] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=⟦ip:§IP4§⟧ DST=⟦ip:§IP4§⟧ LEN=60 PROTO=TCP SPT=44122 DPT=22')
R("syslog", "en", '<30>⟪timestamp:May 21 10:10:10⟫ ⟪host:nas⟫ smbd[⟪id:2991⟫]: ⟦name:Kateryna Bondarenko⟧ opened file ⟦home_path:/home/kbondarenko/⟧Documents/tax_return_2023.pdf read=Yes write=No')
R("syslog", "de", '⟪timestamp:Mar 07 06:15:22⟫ ⟪host:kasse-03⟫ kassensystem[⟪id:812⟫]: Kartenzahlung abgelehnt für Karte ⟦card:§CARD§⟧, Betrag ⟪amount:23,80⟫ EUR')
R("syslog", "en", '⟪timestamp:Aug 08 03:33:03⟫ ⟪host:mdm-1⟫ mdmd[⟪id:1400⟫]: device enrolled imei=⟦imei:§IMEI§⟧ owner=⟦email:§EMAIL§⟧ os=⟪version:17.5.1⟫')
R("syslog", "it", '⟪timestamp:Gen 12 09:00:01⟫ ⟪host:srv-contabilita⟫ fatture[⟪id:6621⟫]: inviata fattura ⟪id:2024/118⟫ a ⟦name:Matteo Greco⟧ (⟦email:§EMAIL:it§⟧), importo ⟪amount:1.220,00⟫ EUR'.replace("Gen 12", "Jan 12"))
R("syslog", "en", '⟪timestamp:Mar 03 03:03:03⟫ ⟪host:lb-1⟫ haproxy[⟪id:801⟫]: Server ⟪service:be_api⟫/⟪host:api-4⟫ is DOWN, reason: Layer4 timeout, check duration: ⟪duration:2001ms⟫. ⟪count:3⟫ active and 0 backup servers left.')
R("syslog", "en", '⟪timestamp:Jan 30 14:14:14⟫ ⟪host:auth-1⟫ dovecot: imap-login: Login: user=<⟦email:§EMAIL§⟧>, method=PLAIN, rip=⟦ip:§IP4§⟧, lip=⟦ip:§IP4§⟧, mpid=⟪id:20114⟫, TLS')

# =====================================================================================
# e-mail headers
# =====================================================================================
R("email_headers", "en", '''Return-Path: <⟦email:§EMAIL#f§⟧>
Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [⟦ip:§IP4§⟧])
	by ⟪host:mx1.example.com⟫ (Postfix) with ESMTPS id 4VgK2x0Q3Fz1x
	for <support@example.com>; ⟪timestamp:Mon, 13 May 2024 09:14:22 +0000⟫
From: ⟦name:Rachel Goldberg⟧ <⟦email:§EMAIL#f§⟧>
To: support@example.com
Subject: Re: Order ⟪id:#55120⟫ arrived damaged
Message-ID: <⟪id:CAF§ALNUM:20§@mail.gmail.com⟫>''')
R("email_headers", "en", '''From: "⟦name:Hassan Qureshi⟧" <⟦email:§EMAIL§⟧>
To: "⟦name:Elena Popescu⟧" <⟦email:§EMAIL§⟧>
Cc: ⟦email:§EMAIL§⟧
Date: ⟪timestamp:Fri, 07 Jun 2024 17:02:55 +0200⟫
Subject: Contract renewal – draft v3
X-Mailer: Microsoft Outlook 16.0''')
R("email_headers", "en", '''DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel1;
	h=from:to:subject:date; bh=⟪hash:§ALNUM:43§=⟫;
	b=§ALNUM:64§
X-Originating-IP: [⟦ip:§IP4§⟧]
Authentication-Results: ⟪host:mx.google.com⟫; spf=pass smtp.mailfrom=bounces@example.com''')
R("email_headers", "en", '''Delivered-To: ⟦email:§EMAIL§⟧
Received: by ⟦ip:2002:a05:6a10:b4c8:b0:4f1:§HEX:4§:§HEX:4§⟧ with SMTP id ⟪id:x8csp1203711pxh⟫;
        ⟪timestamp:Tue, 2 Apr 2024 06:01:12 -0700 (PDT)⟫
X-Google-Smtp-Source: ⟪hash:AGHT+IF§ALNUM:40§⟫
From: Acme Bank <no-reply@acmebank.example>
Subject: Your one-time passcode is ⟦otp:§OTP:6§⟧''')
R("email_headers", "de", '''Von: ⟦name:Ursula Schmitt⟧ <⟦email:§EMAIL:de§⟧>
An: buchhaltung@example.de
Datum: ⟪timestamp:Mi., 15. Mai 2024 08:41:03 +0200⟫
Betreff: Rechnung ⟪id:RE-2024-0518⟫ – Bitte um Ratenzahlung''')
R("email_headers", "fr", '''De : ⟦name:Jean-Baptiste Lemaire⟧ <⟦email:§EMAIL:fr§⟧>
À : ⟦name:Manon Girard⟧ <⟦email:§EMAIL:fr§⟧>
Date : ⟪timestamp:jeu. 6 juin 2024 à 10:02⟫
Objet : Demande de congé – ⟪word:Juillet⟫''')
R("email_headers", "en", '''Received: from [⟦ip:§IP4§⟧] (helo=laptop-⟦name:Ahmed⟧.local)
	by ⟪host:smtp-relay.example.net⟫ with esmtpsa (TLS1.3) id ⟪id:1rX2Yz-000Abc-4Q⟫
	(envelope-from <⟦email:§EMAIL§⟧>); ⟪timestamp:Wed, 10 Jan 2024 22:13:40 +0000⟫'''.replace("helo=laptop-⟦name:Ahmed⟧.local", "helo=laptop-ahmed.local"))
R("email_headers", "en", '''Reply-To: ⟦name:Mariana Costa⟧ <⟦email:§EMAIL§⟧>
List-Unsubscribe: <https://news.example.com/u?id=⟦token:§TOKEN§⟧>, <mailto:unsub@news.example.com>
Precedence: bulk
X-Campaign: ⟪id:spring-sale-2024⟫''')
R("email_headers", "pl", '''Od: ⟦name:Paweł Kozłowski⟧ <⟦email:§EMAIL:pl§⟧>
Do: ⟦name:Joanna Wójcik⟧ <⟦email:§EMAIL:pl§⟧>
Data: ⟪timestamp:pt., 12 kwi 2024 14:55:09 +0200⟫
Temat: Faktura za ⟪word:marzec⟫'''.replace("⟪word:marzec⟫", "marzec"))
R("email_headers", "en", '''X-Forwarded-To: ⟦email:§EMAIL§⟧
X-Forwarded-For: ⟦email:§EMAIL§⟧ ⟦email:§EMAIL§⟧
X-Spam-Score: ⟪count:2.1⟫
X-Spam-Status: No, score=2.1 required=5.0 tests=HTML_MESSAGE,RCVD_IN_DNSWL_NONE
Message-Id: <⟪id:20240402.§HEX:12§@example.com⟫>''')
R("email_headers", "nl", '''Van: ⟦name:Joost Hendriks⟧ <⟦email:§EMAIL:nl§⟧>
Aan: klantenservice@example.nl
Datum: ⟪timestamp:di 9 jul 2024 11:20⟫
Onderwerp: Klacht bestelling ⟪id:NL-99812⟫''')
R("email_headers", "sv", '''Från: ⟦name:Freja Lindqvist⟧ <⟦email:§EMAIL:sv§⟧>
Till: ⟦name:Gustav Nilsson⟧ <⟦email:§EMAIL:sv§⟧>
Datum: ⟪timestamp:fre 3 maj 2024 09:15⟫
Ämne: Möte på ⟪word:Onsdag⟫''')
R("email_headers", "en", '''ARC-Authentication-Results: i=1; ⟪host:mx.microsoft.com⟫ 1; spf=pass (sender ip is ⟦ip:§IP4§⟧) smtp.rcpttodomain=example.com
X-MS-Exchange-Organization-Network-Message-Id: ⟪id:§UUID§⟫
X-MS-Exchange-CrossTenant-originalarrivaltime: ⟪timestamp:18 Mar 2024 10:41:08.0512 (UTC)⟫''')
R("email_headers", "en", '''From: ⟦name:Tariq⟧ <⟦email:§EMAIL§⟧>
Subject: Fwd: my new number
Content-Type: text/plain; charset="UTF-8"

---------- Forwarded message ---------
From: ⟦name:Zainab⟧ <⟦email:§EMAIL§⟧>
⟦content:hey, changed phones, this is my new one⟧ ⟦phone:§PHONE:en§⟧''')

# =====================================================================================
# URLs
# =====================================================================================
R("url", "en", 'https://shop.example.com/checkout/confirm?order=⟪id:88213⟫&email=⟦email:§EMAIL§⟧&utm_source=newsletter')
R("url", "en", 'https://app.example.com/reset-password?token=⟦token:§TOKEN§⟧&uid=⟪id:u_4412⟫')
R("url", "en", 'https://maps.google.com/?q=⟦address:§STREETQ:en§⟧,+Boston,+MA+⟦postcode:02118⟧')
R("url", "en", 'https://api.example.com/v1/users/search?first_name=⟦name:Aisha⟧&last_name=⟦name:Bello⟧&phone=⟦phone:§PHONE:en§⟧&limit=⟪count:20⟫')
R("url", "en", 'https://⟪host:grafana.internal⟫/d/⟪id:aX9kP2⟫/⟪service:checkout-latency⟫?orgId=1&from=⟪timestamp:1717200000000⟫&to=now&var-env=prod')
R("url", "en", '⟦photo_url:§PHOTO§⟧')
R("url", "en", 'https://calendly.com/d/⟪id:ck2-9xq-4mz⟫/intro-call?name=⟦name:Elif⟧%20⟦name:Aksoy⟧&email=⟦email:§EMAIL§⟧&a1=⟦content:Need%20help%20with%20my%20visa%20application%20before%20Friday⟧')
R("url", "en", 'https://pay.example.com/link/⟦token:plink_§ALNUM:24§⟧?amount=⟪amount:45.00⟫&currency=GBP')
R("url", "en", 'wss://rt.example.com/socket?access_token=⟦token:§JWT§⟧&v=⟪version:3.1⟫')
R("url", "en", 'https://github.com/acme/platform/commit/⟪hash:§SHA§⟫#diff-⟪hash:§SHA256§⟫')
R("url", "en", 'https://etherscan.io/address/⟦wallet:0x§HEX:40§⟧#tokentxns')
R("url", "en", 'sftp://⟦name:Rui⟧:⟦password:§PASSWORD§⟧@files.example.com:22/incoming/'.replace("⟦name:Rui⟧", "rui.santos"))
R("url", "es", 'https://tienda.example.es/pedido/⟪id:ES-2024-33120⟫/seguimiento?cliente=⟦name:Alejandro⟧+⟦name:Navarro⟧&cp=⟦postcode:§PC:es§⟧')
R("url", "pt", 'https://example.com.br/cadastro/confirmar?cpf=⟦national_id:§CPF§⟧&nascimento=⟦dob:§DOB§⟧')
R("url", "en", 'https://docs.example.com⟪path:/guides/deploy/rollback⟫?version=⟪version:4.2⟫')
R("url", "it", 'https://prenota.example.it/visita?paziente=⟦name:Chiara⟧%20⟦name:Bianchi⟧&cf=⟦national_id:§CF§⟧&tel=⟦phone:§PHONEQ:it§⟧')

# =====================================================================================
# chat transcripts (support widgets, team chat, messaging apps)
# =====================================================================================
R("chat", "en", '''[⟪timestamp:10:42⟫] ⟦name:Hannah⟧ (visitor): ⟦content:hi, I ordered a sofa three weeks ago and nobody has called me about delivery⟧
[⟪timestamp:10:43⟫] ⟦name:Marcus⟧ (agent): ⟦content:Sorry about that! Could you share the order number?⟧
[⟪timestamp:10:43⟫] ⟦name:Hannah⟧ (visitor): ⟪id:SO-118204⟫
[⟪timestamp:10:45⟫] ⟦name:Marcus⟧ (agent): ⟦content:Thanks, I can see it is at the depot. I'll get the team to ring you today.⟧''')
R("chat", "en", '''⟦name:Jessica Wright⟧: ⟦content:can someone rotate the staging db creds? I pasted them in the wrong channel by accident⟧
⟦name:Tyler Evans⟧: ⟦content:on it, give me 5⟧
⟦name:Tyler Evans⟧: ⟦content:done, new ones are in vault⟧''')
R("chat", "en", '''Visitor ⟪id:#48812⟫ started chat at ⟪timestamp:2024-05-14 18:02:11⟫ (page: ⟪path:/help/returns⟫)
Visitor: ⟦content:my name is Deborah Hughes, the parcel was left outside and got stolen⟧
Bot: Sorry to hear that. What is the email address on your account?
Visitor: ⟦email:§EMAIL§⟧
Bot: Thanks! An agent will reply within ⟪duration:2 hours⟫.''')
R("chat", "en", '''#incident-⟪id:2231⟫
⟦name:Priya⟧: ⟦content:checkout-api p99 is at 4.2s since 14:05, looks like the pg pool⟧
⟦name:Sven⟧: ⟦content:I see it too, the deploy at 14:01 bumped the pool size down⟧
⟦name:Priya⟧: ⟦content:rolling back to v3.18.2 now⟧
[bot] ⟪service:deploy-bot⟫: rollback ⟪id:dpl_88412⟫ finished in ⟪duration:94s⟫''')
R("chat", "en", '''WhatsApp ⟪timestamp:12/03/2024, 21:14⟫ - ⟦name:Amit⟧: ⟦content:Bro did you send the rent yet? Landlord is asking again⟧
⟪timestamp:12/03/2024, 21:16⟫ - ⟦name:Vikram⟧: ⟦content:sending now, use the same account as last month right?⟧''')
R("chat", "en", '''Agent ⟦name:Olivia⟧: ⟦content:For security, can you confirm the code we just texted you?⟧
Customer: ⟦otp:§OTP:6§⟧
Agent ⟦name:Olivia⟧: ⟦content:Thank you, you're verified. How can I help?⟧
Customer: ⟦content:I need to change the delivery address, I'm moving flats on Saturday⟧''')
R("chat", "en", '''{"type":"message","channel":"⟪id:C04LK2M9Q⟫","user":"⟪id:U02AB3CD4⟫","user_name":"⟦name:Ngozi Okonjo⟧","text":"⟦content:Heads up I'm out Thursday for a hospital appointment, Femi is covering my reviews⟧","ts":"⟪timestamp:1715850000.123459⟫"}''')
R("chat", "en", '''[support-bot] Conversation ⟪id:conv_9921⟫ summary
Customer: ⟦name:Rahul Verma⟧ (⟦phone:§PHONE:hi§⟧)
Last message: "⟦content:the refund of 2,300 still has not come to my account, it has been 10 days⟧"
Sentiment: negative, CSAT pending''')
R("chat", "en", '''⟦name:Lena⟧ 09:12
⟦content:morning! anyone know why the eu-west dashboard is empty?⟧
⟦name:Dmitri⟧ 09:14
⟦content:prometheus in that region restarted, should backfill in ~10 min⟧''')
R("chat", "en", '''Customer (⟦email:§EMAIL§⟧): ⟦content:I was charged twice for the same ticket. Screenshot attached.⟧
Attachment: ⟦photo_url:§PHOTO§⟧
Agent ⟦name:Caleb⟧: ⟦content:I can see the duplicate, refunding it now⟧ — refund ⟪id:re_3PqLm2⟫ ⟪amount:£38.50⟫''')
R("chat", "en", '''match.chat ⟪id:m_55120⟫
⟦name:Chloe⟧: ⟦content:haha I love that you have a picture with a llama⟧
⟦name:Diego⟧: ⟦content:his name is Gustavo, he was not impressed with me⟧''')
R("chat", "en", '''> ⟦name:Wei Zhang⟧ joined the conversation
> ⟦name:Wei Zhang⟧: ⟦content:Hello, the app keeps logging me out every few minutes on my Samsung⟧
> Bot: Which app version are you using? (Settings → About)
> ⟦name:Wei Zhang⟧: ⟪version:8.4.1⟫
> Bot: Thanks, this is a known issue fixed in ⟪version:8.4.2⟫.''')
R("chat", "de", '''[⟪timestamp:14:02⟫] Kunde ⟦name:Andreas Wolf⟧: ⟦content:Guten Tag, meine Lieferung ist seit Montag überfällig.⟧
[⟪timestamp:14:03⟫] Agentin ⟦name:Sophie⟧: ⟦content:Das tut mir leid! Ich prüfe das sofort.⟧
[⟪timestamp:14:05⟫] System: Sendungsstatus ⟪id:JJD000390007711⟫ – im Paketzentrum ⟪word:Hannover⟫''')
R("chat", "de", '''⟦name:Marie⟧: ⟦content:Kannst du mir deine neue Handynummer schicken?⟧
⟦name:Felix⟧: ⟦phone:§PHONE:de§⟧
⟦name:Marie⟧: ⟦content:Danke, bis morgen!⟧''')
R("chat", "es", '''[⟪timestamp:11:20⟫] ⟦name:Sergio⟧: ⟦content:Hola, no puedo entrar en mi cuenta desde ayer⟧
[⟪timestamp:11:21⟫] Soporte (⟦name:Elena⟧): ⟦content:Hola Sergio, ¿me confirmas tu correo electrónico?⟧
[⟪timestamp:11:21⟫] ⟦name:Sergio⟧: ⟦email:§EMAIL:es§⟧'''.replace("⟦content:Hola Sergio, ¿me confirmas tu correo electrónico?⟧", "⟦content:Hola, ¿me confirmas tu correo electrónico?⟧"))
R("chat", "es", '''⟦name:Paula⟧: ⟦content:te paso la dirección para el sábado⟧
⟦name:Paula⟧: ⟦address:§STREET:es§⟧, 3º B
⟦name:Diego⟧: ⟦content:perfecto, llevo el vino⟧''')
R("chat", "fr", '''[⟪timestamp:16:30⟫] Client: ⟦content:Bonjour, je n'ai jamais reçu le code de vérification par SMS.⟧
[⟪timestamp:16:31⟫] Conseillère ⟦name:Céline⟧: ⟦content:Je vous renvoie le code. Pouvez-vous confirmer votre numéro ?⟧
[⟪timestamp:16:31⟫] Client: ⟦phone:§PHONE:fr§⟧''')
R("chat", "fr", '''⟦name:Nicolas⟧ a écrit : ⟦content:On se retrouve devant la gare à 19h, j'ai réservé pour quatre au nom de Moreau⟧'''.replace("au nom de Moreau", "à mon nom"))
R("chat", "pl", '''[⟪timestamp:08:55⟫] ⟦name:Tomasz⟧: ⟦content:Cześć, czy mogę zmienić adres dostawy zamówienia?⟧
[⟪timestamp:08:57⟫] Konsultant ⟦name:Magdalena⟧: ⟦content:Dzień dobry, oczywiście. Proszę podać nowy adres.⟧
[⟪timestamp:08:58⟫] ⟦name:Tomasz⟧: ⟦address:§STREET:pl§⟧, ⟦postcode:§PC:pl§⟧ Kraków''')
R("chat", "pl", '''{"event":"message","room":"⟪id:rodzina-42⟫","from":"⟦name:Łukasz⟧","body":"⟦content:Mamo, kod do domofonu to 2580, wpuść kuriera proszę⟧","at":"⟪timestamp:2024-02-10T12:01:00Z⟫"}''')
R("chat", "pt", '''[⟪timestamp:19:04⟫] ⟦name:Mariana⟧: ⟦content:Oi! Consegue me mandar o Pix? Minha chave é o celular⟧ ⟦phone:§PHONE:pt§⟧
[⟪timestamp:19:06⟫] ⟦name:João⟧: ⟦content:mandei agora, confere aí⟧''')
R("chat", "pt", '''Atendimento ⟪id:#A-77120⟫
Cliente ⟦name:Leonor Martins⟧: ⟦content:Boa tarde, a minha fatura deste mês veio com um valor errado.⟧
Assistente ⟦name:Bruno⟧: ⟦content:Boa tarde! Vou verificar, um momento por favor.⟧''')
R("chat", "it", '''[⟪timestamp:09:31⟫] ⟦name:Francesca⟧: ⟦content:Buongiorno, il tecnico doveva venire stamattina ma non si è visto nessuno⟧
[⟪timestamp:09:33⟫] Operatore ⟦name:Marco⟧: ⟦content:Mi scusi per il disagio, verifico subito l'appuntamento⟧''')
R("chat", "it", '''⟦name:Valentina⟧: ⟦content:ti giro le coordinate per il bonifico⟧ ⟦iban:§IBAN§⟧
⟦name:Valentina⟧: ⟦content:intestato a me, causale "cena di venerdì"⟧''')
R("chat", "nl", '''[⟪timestamp:13:10⟫] ⟦name:Daan⟧: ⟦content:Hoi, mijn pakket is bezorgd op het verkeerde adres⟧
[⟪timestamp:13:12⟫] Klantenservice (⟦name:Esther⟧): ⟦content:Vervelend! Wat is uw postcode en huisnummer?⟧
[⟪timestamp:13:12⟫] ⟦name:Daan⟧: ⟦postcode:§PC:nl§⟧ 12''')
R("chat", "nl", '''⟦name:Lieke⟧: ⟦content:zullen we zaterdag bij mij eten? ik woon nu op de⟧ ⟦address:§STREET:nl§⟧''')
R("chat", "sv", '''[⟪timestamp:15:22⟫] ⟦name:Maja⟧: ⟦content:Hej! Jag har inte fått min beställning än⟧
[⟪timestamp:15:24⟫] Kundtjänst ⟦name:Erik⟧: ⟦content:Hej Maja, jag kollar direkt. Vad är ditt ordernummer?⟧
[⟪timestamp:15:24⟫] ⟦name:Maja⟧: ⟪id:SE-448120⟫'''.replace("⟦content:Hej Maja, jag kollar direkt. Vad är ditt ordernummer?⟧", "⟦content:Hej, jag kollar direkt. Vad är ditt ordernummer?⟧"))
R("chat", "hi", '''[⟪timestamp:20:11⟫] ⟦name:Pooja⟧: ⟦content:Bhaiya mera order abhi tak nahi aaya, kal tak aana tha⟧
[⟪timestamp:20:13⟫] Support (⟦name:Sanjay⟧): ⟦content:Maaf kijiye, main check karta hoon. Aapka registered mobile number bata dijiye⟧
[⟪timestamp:20:13⟫] ⟦name:Pooja⟧: ⟦phone:§PHONE:hi§⟧''')
R("chat", "hi", '''⟦name:Neha⟧: ⟦content:yaar kal office mein party hai, tu aa rahi hai na?⟧
⟦name:Anjali⟧: ⟦content:haan pakka, main 7 baje tak pahunch jaungi⟧''')
R("chat", "en", '''[⟪timestamp:2024-08-03 22:41⟫] ⟦name:Kofi⟧ → ⟦name:Abena⟧: ⟦content:did the landlord reply about the deposit?⟧
[⟪timestamp:2024-08-03 22:47⟫] ⟦name:Abena⟧ → ⟦name:Kofi⟧: ⟦content:not yet, I'll call him tomorrow morning⟧''')
R("chat", "en", '''Discord #general
⟦name:Min-jun⟧: ⟦content:gg everyone, same time next week?⟧
⟦name:Layla⟧: ⟦content:can't next week, my sister's wedding⟧
⟦name:Min-jun⟧: ⟦content:congrats to her!⟧''')
R("chat", "en", '''Intercom conversation ⟪id:1893220011⟫ · ⟦name:Sebastian Moreno⟧ · ⟦email:§EMAIL§⟧
⟦content:Hi there, I accidentally deleted a project called "Q3 launch" yesterday, can you restore it?⟧
— assigned to Tier 2 · SLA ⟪duration:4h⟫''')

# =====================================================================================
# prose: support tickets, incident notes, e-mails bodies, form submissions
# =====================================================================================
R("prose", "en", '''Ticket ⟪id:ZD-448120⟫ — Priority: High
Hi team, customer ⟦name:Margaret Olsen⟧ called in about a duplicate charge of ⟪amount:$214.99⟫ on ⟪timestamp:March 3⟫. She can be reached on ⟦phone:§PHONE:en§⟧ after 5pm. Please refund one of the charges.
Thanks,
⟦name:Keisha⟧''')
R("prose", "en", '''Hello,

I moved house last month and my new address is ⟦address:§STREET:en§⟧, Manchester ⟦postcode:§PC:xx§⟧. Could you please update it before my next delivery on ⟪word:Friday⟫?

Kind regards,
⟦name:Oliver Harris⟧''')
R("prose", "en", '''Incident ⟪id:INC-2024-0412⟫ postmortem: between ⟪timestamp:14:02⟫ and ⟪timestamp:14:39 UTC⟫ the ⟪service:auth-service⟫ rejected ⟪count:18%⟫ of logins after deploy ⟪version:v2.14.0⟫ (commit ⟪hash:§SHA7§⟫). Root cause: stale JWKS cache. No customer data was exposed. Author: ⟦name:Yuki Tanaka⟧.''')
R("prose", "en", '''Dear Support,
My son ⟦name:Ethan⟧ (date of birth ⟦dob:§DOB§⟧) was added to my family plan but his account still shows as a separate subscription. My account email is ⟦email:§EMAIL§⟧.
Best,
⟦name:Laura Mitchell⟧''')
R("prose", "en", '''Customer reports that their card ending in 4821 was declined at checkout, but the full number they pasted into the form was ⟦card:§CARD§⟧. Please ask them not to send card numbers over chat. Ref ⟪id:CASE-90211⟫.''')
R("prose", "en", '''Hi ⟦name:Tom⟧,

Quick reminder that your password for the staging VPN is ⟦password:§PASSWORD§⟧ until we move everyone to SSO on ⟪word:Monday⟫.

Cheers,
⟦name:Ifeoma⟧''')
R("prose", "en", '''Bug report from ⟦name:Gabriel Santos⟧ (⟦email:§EMAIL§⟧): "When I upload a photo for my profile it shows someone else's picture". Repro: open ⟦photo_url:§PHOTO§⟧ after logging in as user ⟪id:88120⟫. Seen on app ⟪version:6.2.0⟫, iOS ⟪version:17.4⟫.''')
R("prose", "en", '''Escalation note: caller claimed to be ⟦name:Dr. Samuel Asante⟧, gave SSN ⟦national_id:§SSN§⟧ and DOB ⟦dob:§DOB§⟧, but the security answers did not match. Account locked for ⟪duration:24 hours⟫ per policy ⟪code:SEC-7⟫.'''.replace("⟦name:Dr. Samuel Asante⟧", "Dr. ⟦name:Samuel Asante⟧"))
R("prose", "en", '''Wire instructions for the ⟪word:October⟫ invoice: beneficiary ⟦name:Harriet Cole⟧, account ⟦bank_account:§BANKACCT:10§⟧, routing ⟦routing:§ROUTING§⟧. Amount due ⟪amount:$3,450.00⟫ by ⟪timestamp:2024-10-31⟫.''')
R("prose", "en", '''Our on-call engineer ⟦name:Trevor⟧ noticed that the nightly export job wrote to ⟦home_path:/home/tsullivan/⟧exports instead of the shared bucket. ⟪count:1,204⟫ files were moved back and the cron was fixed in ⟪hash:§SHA7§⟫.''')
R("prose", "en", '''Feedback form submission #⟪id:5521⟫
Name: ⟦name:Isabella Rossi⟧
Phone: ⟦phone:§PHONE:it§⟧
Message: ⟦content:The delivery driver was extremely rude and threw the parcel over the fence. I have a video.⟧''')
R("prose", "en", '''Please send the replacement device to ⟦name:Oluwaseun Adeyemi⟧ at ⟦address:§STREET:en§⟧, London ⟦postcode:§PC:xx§⟧. The faulty unit's IMEI is ⟦imei:§IMEI§⟧; RMA ⟪id:RMA-33019⟫.''')
R("prose", "en", '''Heads up: the private key for the legacy SFTP integration was committed in ⟪hash:§SHA§⟫. Content was:
⟦private_key:§PEM§⟧
It has been revoked; rotate anything that used it.''')
R("prose", "en", '''Crypto payout request: please send ⟪amount:0.5 ETH⟫ to ⟦wallet:0x§HEX:40§⟧ — this is my new wallet. — ⟦name:Jun Park⟧''')
R("prose", "en", '''Release notes ⟪version:5.0.0⟫: dark mode for Android, ⟪count:37⟫ bug fixes, faster sync on ⟪word:Windows⟫. Thanks to ⟦name:Zeynep Arslan⟧ and ⟦name:Mateo Gutiérrez⟧ for the community contributions!''')
R("prose", "de", '''Sehr geehrte Frau ⟦name:Neumann⟧,

vielen Dank für Ihre Nachricht. Wir haben Ihre neue Bankverbindung (⟦iban:§IBAN§⟧) hinterlegt. Die nächste Abbuchung erfolgt am ⟪timestamp:01.07.2024⟫.

Mit freundlichen Grüßen
⟦name:Jan Hoffmann⟧
Kundenservice''')
R("prose", "de", '''Störungsmeldung ⟪id:ST-8812⟫: Herr ⟦name:Wolfgang Peters⟧ meldet, dass seit ⟪word:Dienstag⟫ kein Internet funktioniert. Rückruf unter ⟦phone:§PHONE:de§⟧ erbeten. Anschrift: ⟦address:§STREET:de§⟧, ⟦postcode:§PC:de§⟧ Dresden.''')
R("prose", "es", '''Hola ⟦name:Carmen⟧,

Te confirmo la reserva para el ⟪word:jueves⟫. La dirección del piso es ⟦address:§STREET:es§⟧, ⟦postcode:§PC:es§⟧ Madrid. Si tienes algún problema llámame al ⟦phone:§PHONE:es§⟧.

Un abrazo,
⟦name:Javier⟧''')
R("prose", "es", '''Incidencia ⟪id:INC-5590⟫: el cliente ⟦name:Rodrigo Salazar⟧ (NIE ⟦national_id:§NIE§⟧) indica que el cargo de ⟪amount:89,90 €⟫ aparece duplicado.''')
R("prose", "fr", '''Bonjour Madame ⟦name:Dubois⟧,

Suite à votre appel, nous avons bien enregistré votre nouvelle adresse : ⟦address:§STREET:fr§⟧, ⟦postcode:§PC:fr§⟧ Lyon.

Cordialement,
⟦name:Mathieu Lambert⟧, service client''')
R("prose", "fr", '''Note interne : M. ⟦name:Karim Benali⟧ (né le ⟦dob:§DOB§⟧, n° sécu ⟦national_id:§NIR§⟧) demande la clôture de son dossier ⟪id:DOS-2024-118⟫.''')
R("prose", "pl", '''Dzień dobry,
proszę o zwrot środków na konto ⟦iban:§IBAN§⟧. Numer zamówienia ⟪id:PL-88120⟫.
Pozdrawiam,
⟦name:Katarzyna Lewandowska⟧''')
R("prose", "pl", '''Zgłoszenie ⟪id:ZG-4412⟫: pacjent ⟦name:Marcin Kowalczyk⟧, PESEL ⟦national_id:§PESEL§⟧, prosi o przełożenie wizyty na ⟪word:piątek⟫.''')
R("prose", "pt", '''Olá ⟦name:Ana⟧,

O seu pedido ⟪id:#BR-55120⟫ foi enviado para ⟦address:§STREET:pt§⟧, ⟦postcode:§PC:pt§⟧ São Paulo. Qualquer dúvida, responda a este e-mail.

Abraços,
Equipe Loja''')
R("prose", "pt", '''Reclamação registada por ⟦name:Carolina Pereira⟧ (tel. ⟦phone:§PHONE:pt§⟧): ⟦content:o técnico não apareceu e ninguém me avisou, perdi um dia de trabalho⟧.''')
R("prose", "it", '''Gentile ⟦name:Alessandro Ricci⟧,
le confermiamo l'appuntamento di ⟪word:lunedì⟫ alle 10:30 presso la sede di ⟪word:Torino⟫. Per disdire chiami il ⟦phone:§PHONE:it§⟧.
Cordiali saluti''')
R("prose", "it", '''Segnalazione ⟪id:SEG-771⟫: la signora ⟦name:Elisa Marino⟧ ha ricevuto una fattura intestata a un'altra persona, con codice fiscale ⟦national_id:§CF§⟧.''')
R("prose", "nl", '''Beste ⟦name:Pieter⟧,

Je nieuwe wachtwoord voor het klantportaal is ⟦password:§PASSWORD§⟧. Wijzig dit na de eerste keer inloggen.

Groet,
⟦name:Marloes Meijer⟧''')
R("prose", "nl", '''Melding ⟪id:M-22019⟫: mevrouw ⟦name:Anouk de Boer⟧ (BSN ⟦national_id:§BSN§⟧) heeft haar adres gewijzigd naar ⟦address:§STREET:nl§⟧, ⟦postcode:§PC:nl§⟧ Rotterdam.''')
R("prose", "sv", '''Hej ⟦name:Astrid⟧!

Tack för din beställning ⟪id:SE-20931⟫. Vi levererar till ⟦address:§STREET:sv§⟧, ⟦postcode:§PC:sv§⟧ Uppsala på ⟪word:fredag⟫.

Vänliga hälsningar,
⟦name:Gustav Eriksson⟧''')
R("prose", "hi", '''Namaste ⟦name:Sunita⟧ ji,
aapka complaint ⟪id:CMP-77120⟫ register ho gaya hai. Hamara technician ⟦name:Ramesh⟧ kal subah aapke ghar ⟦address:§STREET:hi§⟧ par aayega. Aadhaar ⟦national_id:§AADHAAR§⟧ verify ho chuka hai.
Dhanyavaad''')
R("prose", "hi", '''⟦name:Priya⟧ ji, aapka OTP ⟦otp:§OTP:6§⟧ hai. Kisi ke saath share na karein. — ⟪service:PaySure⟫''')

# =====================================================================================
# clean records: no secrets, only things that must survive
# =====================================================================================
R("clean", "en", '⟪timestamp:2024-05-14T09:12:44.120Z⟫ INFO ⟪service:inventory-sync⟫ synced ⟪count:48213⟫ SKUs from warehouse ⟪word:Rotterdam⟫ in ⟪duration:12.4s⟫')
R("clean", "en", 'level=info msg="deploy complete" service=⟪service:checkout⟫ version=⟪version:10.2.0.1⟫ replicas=⟪count:12⟫ commit=⟪hash:§SHA§⟫')
R("clean", "en", '{"level":"info","msg":"request completed","method":"GET","path":"⟪path:/api/v3/catalog/items⟫","status":⟪code:200⟫,"duration_ms":⟪duration:37⟫,"request_id":"⟪id:§UUID§⟫","bytes":⟪count:18442⟫}')
R("clean", "en", 'Scheduled maintenance window: ⟪word:Sunday⟫ ⟪timestamp:2024-06-09 02:00 UTC⟫ – ⟪duration:90 minutes⟫. Affected: ⟪service:payments-api⟫, ⟪service:ledger⟫ (region ⟪word:eu-west⟫). No action needed.')
R("clean", "en", '⟪metric:http.server.requests⟫:⟪count:1⟫|c|#env:prod,service:⟪service:gateway⟫,status:⟪code:503⟫,region:⟪word:us-east-1⟫')
R("clean", "en", 'image sha256:⟪hash:§SHA256§⟫ pushed to ghcr.io/acme/⟪service:worker⟫:⟪version:2024.06.1⟫ (⟪count:412⟫ MB)')
R("clean", "en", 'ERROR ⟪code:E1042⟫: upstream ⟪host:inventory.internal⟫ returned ⟪code:502⟫ after ⟪duration:30004ms⟫ (attempt ⟪count:3⟫/3) trace=⟪id:§HEX:32§⟫')
R("clean", "en", 'Monthly report for ⟪word:November⟫: ⟪count:1,284,002⟫ orders, revenue ⟪amount:€48.2M⟫, p95 checkout latency ⟪duration:412ms⟫, availability 99.97%.')
R("clean", "en", 'Upgraded ⟪service:kafka⟫ brokers from ⟪version:3.6.1⟫ to ⟪version:3.7.0⟫ on ⟪host:kafka-0⟫, ⟪host:kafka-1⟫, ⟪host:kafka-2⟫; rebalance took ⟪duration:6m40s⟫.')
R("clean", "en", '⟪timestamp:Jun 12 10:00:01⟫ ⟪host:worker-04⟫ systemd[1]: Started ⟪service:acme-exporter.service⟫ - Acme metrics exporter ⟪version:1.4.0.12⟫.')
R("clean", "en", 'order_id=⟪id:ORD-10293⟫ items=⟪count:3⟫ subtotal=⟪amount:59.97⟫ shipping=⟪amount:4.99⟫ currency=EUR status=paid warehouse=⟪word:Frankfurt⟫')
R("clean", "en", '⟪metric:queue_lag_seconds⟫{consumer_group="⟪service:billing-events⟫",topic="invoices",partition="⟪id:7⟫"} ⟪count:0.42⟫')
R("clean", "en", 'git: merged branch release/⟪version:4.18⟫ into main at ⟪hash:§SHA§⟫ by ci-bot; ⟪count:27⟫ files changed, ⟪count:1204⟫ insertions(+), ⟪count:388⟫ deletions(-)')
R("clean", "en", 'WARN [⟪service:scheduler⟫] job ⟪id:nightly-reindex⟫ skipped: previous run still active (started ⟪timestamp:2024-09-01T23:00:00Z⟫, elapsed ⟪duration:2h14m⟫)')
R("clean", "en", 'Cloudflare ray ⟪id:8a1b2c3d4e5f6a7b-FRA⟫ status ⟪code:522⟫ origin ⟪host:origin-lb-2.example.net⟫ colo FRA')
R("clean", "en", 'Product ⟪word:Aurora⟫ Pro ⟪version:2.1⟫ launches in ⟪word:March⟫ across ⟪word:Europe⟫ and ⟪word:Latin America⟫; beta cohort size ⟪count:5,000⟫.')
R("clean", "en", 'pg_stat_statements top query: calls=⟪count:881204⟫ mean=⟪duration:0.84ms⟫ total=⟪duration:740s⟫ queryid=⟪id:-4123988123012⟫')
R("clean", "en", 'panic recovered in handler ⟪path:/v1/quotes⟫: runtime error: slice bounds out of range [:5] with capacity 4 (req ⟪id:§UUID§⟫)')
R("clean", "en", '⟪timestamp:2024-12-31T23:59:59.999Z⟫ ⟪pod:newyear-banner-7d9c5-kl2mn⟫ feature flag "⟪word:HolidayTheme⟫" switched OFF for ⟪count:100%⟫ of users')
R("clean", "en", 'S3 lifecycle: moved ⟪count:12,884⟫ objects (⟪count:3.1 TiB⟫) in bucket acme-logs-⟪word:eu-central-1⟫ to GLACIER; oldest ⟪timestamp:2023-01-04⟫')
R("clean", "en", 'build #⟪id:8812⟫ ⟪service:mobile-ios⟫ ⟪version:7.12.0⟫ (build ⟪version:7.12.0.3401⟫) passed in ⟪duration:18m22s⟫ on runner ⟪host:mac-mini-05⟫')
R("clean", "en", 'rate(⟪metric:http_requests_total⟫{code=~"5.."}[5m]) / rate(⟪metric:http_requests_total⟫[5m]) > 0.05 for ⟪duration:10m⟫')
R("clean", "de", 'Wartungsfenster am ⟪word:Samstag⟫, ⟪timestamp:15.06.2024⟫ von 02:00 bis 04:00 Uhr: ⟪service:zahlungs-api⟫ ist in der Region ⟪word:Frankfurt⟫ nicht erreichbar.')
R("clean", "es", 'Informe semanal: ⟪count:18.402⟫ pedidos procesados, tiempo medio de entrega ⟪duration:2,4 días⟫, incidencias abiertas ⟪count:12⟫ (almacén ⟪word:Zaragoza⟫).')
R("clean", "fr", 'Mise à jour ⟪version:3.4.2⟫ déployée sur ⟪host:prod-par-3⟫ le ⟪timestamp:mardi 4 juin 2024⟫ ; ⟪count:0⟫ erreur, durée ⟪duration:7 min⟫.')
R("clean", "pt", 'Relatório: ⟪count:1.240⟫ pedidos em ⟪word:Janeiro⟫, ticket médio ⟪amount:R$ 182,40⟫, tempo de resposta p99 ⟪duration:640 ms⟫.')
R("clean", "it", 'Il servizio ⟪service:fatturazione⟫ è stato aggiornato alla versione ⟪version:2.8.0⟫ alle ⟪timestamp:03:15⟫; ⟪count:0⟫ errori registrati.')
R("clean", "sv", 'Driftstörning löst kl ⟪timestamp:14:32⟫: ⟪service:betalningar⟫ svarade med ⟪code:503⟫ i ⟪duration:11 minuter⟫ i region ⟪word:Stockholm⟫.')
R("clean", "nl", 'Nachtelijke back-up voltooid: ⟪count:2.048⟫ tabellen, ⟪duration:41 minuten⟫, checksum ⟪hash:§SHA256§⟫.')
R("clean", "pl", 'Wdrożenie ⟪version:5.1.3⟫ usługi ⟪service:koszyk⟫ zakończone w ⟪duration:3 min 12 s⟫; błędy: ⟪count:0⟫, region ⟪word:Warszawa⟫.')

# =====================================================================================
# more: localised app logs, OTP / avatar / card heavy flows
# =====================================================================================
R("json", "de", '{"level":"info","zeit":"⟪timestamp:2024-04-02T08:15:00+02:00⟫","nachricht":"Profilbild aktualisiert","nutzer":"⟪id:u_55412⟫","bild":"⟦photo_url:§PHOTO§⟧","anzeigename":"⟦name:Lena Vogt⟧"}')
R("logfmt", "de", 'zeit=⟪timestamp:2024-09-19T18:44:10+02:00⟫ stufe=info nachricht="SMS-TAN versendet" empfänger=⟦phone:§PHONE:de§⟧ tan=⟦otp:§OTP:6§⟧ gültig=⟪duration:300s⟫')
R("prose", "de", '''Hallo ⟦name:Jürgen⟧,

anbei wie besprochen die Kreditkartendaten für die Hotelbuchung: ⟦card:§CARD§⟧, gültig bis 08/27. Bitte nach der Buchung löschen!

Gruß
⟦name:Petra⟧''')
R("syslog", "de", '⟪timestamp:Apr 17 22:10:05⟫ ⟪host:shop-web-2⟫ php-fpm[⟪id:4410⟫]: Warnung: Login fehlgeschlagen für ⟦email:§EMAIL:de§⟧ von ⟦ip:§IP4§⟧ (Passwort: ⟦password:§PASSWORD§⟧)')
R("chat", "de", '''[⟪timestamp:21:03⟫] ⟦name:Hannes⟧: ⟦content:Schick mir mal das Foto vom Unfall⟧
[⟪timestamp:21:05⟫] ⟦name:Greta⟧: ⟦photo_url:§PHOTO§⟧
[⟪timestamp:21:05⟫] ⟦name:Greta⟧: ⟦content:die Versicherung will es bis Freitag⟧''')
R("url", "de", 'https://www.example.de/konto/bestaetigen?email=⟦email:§EMAIL:de§⟧&code=⟦otp:§OTP:8§⟧&lang=de')
R("json", "es", '{"nivel":"warn","mensaje":"Pago rechazado","tarjeta":"⟦card:§CARD§⟧","titular":"⟦name:Isabel Moreno Vega⟧","importe":⟪amount:59.90⟫,"codigo":"⟪code:05⟫","pedido":"⟪id:ES-771203⟫"}')
R("logfmt", "es", 'nivel=info msg="código de verificación enviado" canal=sms telefono="⟦phone:§PHONE:es§⟧" codigo=⟦otp:§OTP:6§⟧ intentos=⟪count:2⟫')
R("email_headers", "es", '''De: ⟦name:Marta Jiménez⟧ <⟦email:§EMAIL:es§⟧>
Para: ⟦name:Diego Ruiz⟧ <⟦email:§EMAIL:es§⟧>
Fecha: ⟪timestamp:lun, 8 abr 2024 12:14:33 +0200⟫
Asunto: Presupuesto reforma cocina''')
R("csv", "es", '''id_cliente;nombre;email;telefono;foto
⟪id:C-8812⟫;⟦name:Lucía Navarro⟧;⟦email:§EMAIL:es§⟧;⟦phone:§PHONE:es§⟧;⟦photo_url:§PHOTO§⟧''')
R("json", "fr", '{"niveau":"warn","message":"Code de vérification expiré","utilisateur":"⟪id:u_99102⟫","code":"⟦otp:§OTP:6§⟧","envoyé_à":"⟦phone:§PHONE:fr§⟧","expiration":"⟪duration:10 min⟫"}')
R("logfmt", "fr", 'niveau=info msg="photo de profil mise à jour" utilisateur="⟦name:Théo Girard⟧" url="⟦photo_url:§PHOTO§⟧" taille=⟪count:248120⟫')
R("syslog", "fr", '⟪timestamp:May 03 11:12:13⟫ ⟪host:caisse-07⟫ tpe[⟪id:551⟫]: paiement refusé carte ⟦card:§CARD§⟧ montant ⟪amount:42,50⟫ EUR motif ⟪code:51⟫')
R("url", "fr", 'https://www.example.fr/rdv/confirmer?nom=⟦name:Lefebvre⟧&prenom=⟦name:Sandrine⟧&tel=⟦phone:§PHONEQ:fr§⟧&date=⟪timestamp:2024-07-08⟫')
R("json", "pl", '{"poziom":"info","komunikat":"Kod SMS wysłany","numer":"⟦phone:§PHONE:pl§⟧","kod":"⟦otp:§OTP:6§⟧","czas":"⟪timestamp:2024-03-19T09:30:00Z⟫"}')
R("logfmt", "pl", 'poziom=warn komunikat="odrzucona płatność kartą" karta=⟦card:§CARD§⟧ klient="⟦name:Paweł Szymański⟧" kwota=⟪amount:349.00⟫')
R("csv", "pl", '''id;imię;nazwisko;pesel;adres
⟪id:PL-0031⟫;⟦name:Ewa⟧;⟦name:Kamińska⟧;⟦national_id:§PESEL§⟧;"⟦address:§STREET:pl§⟧, ⟦postcode:§PC:pl§⟧ Gdańsk"''')
R("json", "pt", '{"nivel":"info","mensagem":"Foto de perfil atualizada","usuario":"⟪id:u_10293⟫","nome":"⟦name:Rafael Oliveira⟧","foto":"⟦photo_url:§PHOTO§⟧"}')
R("logfmt", "pt", 'nivel=info msg="codigo enviado por sms" para="⟦phone:§PHONE:pt§⟧" codigo=⟦otp:§OTP:6§⟧ ttl=⟪duration:5m⟫')
R("sql", "pt", "INSERT INTO clientes (nome, cpf, email, cartao) VALUES ('⟦name:Gabriela Souza⟧', '⟦national_id:§CPF§⟧', '⟦email:§EMAIL:pt§⟧', '⟦card:§CARD§⟧');")
R("json", "it", '{"livello":"info","messaggio":"Codice OTP inviato","cellulare":"⟦phone:§PHONE:it§⟧","otp":"⟦otp:§OTP:6§⟧","servizio":"⟪service:home-banking⟫"}')
R("logfmt", "it", 'livello=warn messaggio="indirizzo di spedizione incompleto" destinatario="⟦name:Giuseppe Russo⟧" indirizzo="⟦address:§STREET:it§⟧" cap=⟦postcode:§PC:it§⟧ ordine=⟪id:IT-55012⟫')
R("csv", "it", '''id;nome;email;telefono;iban
⟪id:IT-0193⟫;⟦name:Chiara Ferri⟧;⟦email:§EMAIL:it§⟧;⟦phone:§PHONE:it§⟧;⟦iban:§IBAN§⟧''')
R("json", "nl", '{"niveau":"info","bericht":"Verificatiecode verstuurd","telefoon":"⟦phone:§PHONE:nl§⟧","code":"⟦otp:§OTP:6§⟧","geldig":"⟪duration:10 minuten⟫"}')
R("logfmt", "nl", 'niveau=warn bericht="betaling geweigerd" kaart=⟦card:§CARD§⟧ klant="⟦name:Ruben Visser⟧" bedrag=⟪amount:74.95⟫ bestelling=⟪id:NL-77120⟫')
R("http", "nl", '''POST /api/aanmelden HTTP/1.1
Host: www.example.nl
Content-Type: application/json

{"voornaam":"⟦name:Thijs⟧","achternaam":"⟦name:van der Linden⟧","email":"⟦email:§EMAIL:nl§⟧","telefoon":"⟦phone:§PHONE:nl§⟧","profielfoto":"⟦photo_url:§PHOTO§⟧"}''')
R("json", "sv", '{"nivå":"info","meddelande":"Engångskod skickad","mobil":"⟦phone:§PHONE:sv§⟧","kod":"⟦otp:§OTP:6§⟧","tjänst":"⟪service:mina-sidor⟫"}')
R("logfmt", "sv", 'nivå=varning meddelande="kortbetalning nekad" kort=⟦card:§CARD§⟧ kund="⟦name:Elsa Sjöberg⟧" belopp=⟪amount:499.00⟫ valuta=SEK')
R("chat", "sv", '''[⟪timestamp:18:40⟫] ⟦name:Anders⟧: ⟦content:kan du swisha mig för middagen?⟧ ⟦phone:§PHONE:sv§⟧
[⟪timestamp:18:42⟫] ⟦name:Linnea⟧: ⟦content:klart, skickat!⟧''')
R("json", "hi", '{"level":"info","msg":"OTP bheja gaya","mobile":"⟦phone:§PHONE:hi§⟧","otp":"⟦otp:§OTP:6§⟧","sandesh":"⟦content:Aapka OTP 10 minute ke liye valid hai, kisi ko na batayein⟧"}')
R("logfmt", "hi", 'level=warn msg="payment fail hua" grahak="⟦name:Arjun Reddy⟧" card="⟦card:§CARD§⟧" rashi=⟪amount:2499.00⟫ karan="bank ne mana kiya"')
R("prose", "hi", '''Complaint ⟪id:CMP-88120⟫: ⟦name:Kavita Joshi⟧ ji ka kehna hai ki unke account se ⟪amount:₹4,500⟫ kat gaye par recharge nahi hua. Unka number ⟦phone:§PHONE:hi§⟧ hai aur email ⟦email:§EMAIL:hi§⟧.''')
R("chat", "hi", '''[⟪timestamp:09:05⟫] ⟦name:Rohit⟧: ⟦content:bhai apni profile pic bhej de, ID card ke liye chahiye⟧
[⟪timestamp:09:07⟫] ⟦name:Sameer⟧: ⟦photo_url:§PHOTO§⟧''')
R("email_headers", "hi", '''From: ⟦name:Anjali Nair⟧ <⟦email:§EMAIL:hi§⟧>
To: hr@example.in
Subject: Chhutti ki arzi – ⟪word:Diwali⟫ ke liye ⟪duration:5 din⟫''')
R("json", "en", '{"level":"info","msg":"avatar moderation","user_id":"⟪id:u_661203⟫","image":"⟦photo_url:§PHOTO§⟧","labels":["person","outdoor"],"nsfw_score":0.01,"model":"⟪version:mod-v3.2⟫"}')
R("json", "en", '{"event":"2fa.challenge","user":"⟪id:u_30012⟫","method":"sms","masked_to":"+44 ••• ••• 12","code":"⟦otp:§OTP:6§⟧","attempt":⟪count:2⟫,"ts":"⟪timestamp:2024-02-02T12:12:12Z⟫"}')
R("access", "en", '⟦ip:§IP4§⟧ - - [⟪timestamp:09/Jul/2024:13:14:15 +0000⟫] "GET /api/v1/2fa/verify?code=⟦otp:§OTP:6§⟧&uid=⟪id:u_8812⟫ HTTP/1.1" ⟪code:200⟫ 41 "-" "Acme/⟪version:3.3.0⟫ CFNetwork/1494.0.7 Darwin/23.4.0"')
R("stack_java", "en", '''⟪timestamp:2024-07-11 10:20:30.404⟫ ERROR [pay-worker-2] c.a.p.CardTokenizer - tokenization failed for PAN ⟦card:§CARD§⟧ (merchant ⟪id:M-4412⟫)
com.acme.payments.TokenizationException: HSM timeout after ⟪duration:3000ms⟫''')
R("csv", "en", '''user_id,display_name,avatar_url,joined
⟪id:u_1001⟫,⟦name:Kwame Asante⟧,⟦photo_url:§PHOTO§⟧,⟪timestamp:2023-11-02⟫
⟪id:u_1002⟫,⟦name:Sakura Ito⟧,⟦photo_url:§PHOTO§⟧,⟪timestamp:2023-11-04⟫''')
R("http", "en", '''HTTP/1.1 ⟪code:200⟫ OK
Content-Type: application/json

{"id":"⟪id:acct_1PqR2sT⟫","business_profile":{"support_phone":"⟦phone:§PHONE:en§⟧","support_email":"⟦email:§EMAIL§⟧"},"external_accounts":{"data":[{"routing_number":"⟦routing:§ROUTING§⟧","account_number":"⟦bank_account:§BANKACCT:12§⟧","account_holder_name":"⟦name:Jamal Washington⟧"}]}}''')
R("logfmt", "en", 'level=info msg="sms delivered" to="⟦phone:§PHONE:en§⟧" template=login_code body="Your Acme login code is ⟦otp:§OTP:6§⟧. It expires in 10 minutes." provider_id=⟪id:SM§HEX:32§⟫')
R("prose", "en", '''Chargeback ⟪id:CB-20931⟫: cardholder ⟦name:Patricia Gómez⟧ disputes ⟪amount:$89.00⟫ on card ⟦card:§CARD§⟧. Merchant descriptor ACME*STORE. Evidence due ⟪timestamp:2024-08-15⟫.''')
R("dogstatsd", "en", '⟪metric:profile.photo.upload⟫:⟪count:1⟫|c|#user:⟪id:u_4410⟫,url:⟦photo_url:§PHOTO§⟧'.replace("url:⟦photo_url", "src:⟦photo_url"))
R("k8s", "en", '''Warning  FailedMount  ⟪duration:2m⟫  kubelet  MountVolume.SetUp failed for volume "home" : hostPath type check failed: ⟦home_path:/home/oadeyemi/⟧data is not a directory''')
R("stack_py", "en", r'''Traceback (most recent call last):
  File "⟦home_path:C:\Users\Siddharth.Rao\⟧AppData\Local\Programs\Python\Python312\Lib\site-packages\requests\adapters.py", line 517, in send
    raise ConnectionError(e, request=request)
requests.exceptions.ConnectionError: HTTPSConnectionPool(host='⟪host:api.internal.example.com⟫', port=443): Max retries exceeded with url: ⟪path:/v1/sync⟫''')
R("ci", "en", r'''[⟪timestamp:2024-06-20 14:02:11⟫] Copying artifacts from ⟦home_path:C:\Users\Magdalena.Nowak\⟧source\repos\⟪service:Invoicer⟫\bin\Release to \\⟪host:build-share⟫\drops\⟪version:3.2.0.118⟫
[⟪timestamp:2024-06-20 14:02:19⟫] ⟪count:42⟫ file(s) copied.''')
R("json", "de", '{"level":"warn","msg":"SEPA-Lastschrift: IBAN ungültig","eingabe":"⟦iban:§IBANS§⟧","kunde":"⟪id:K-88120⟫","quelle":"Webformular"}')
R("prose", "en", '''Hi there, please update my payout details. New IBAN: ⟦iban:§IBANS§⟧ (account name ⟦name:Siobhan Kelly⟧). Thanks!''')


# =====================================================================================
def verify(path):
    """Independent re-check of the written file."""
    ids = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            assert set(r) == {"id", "part", "format", "lang", "text", "secrets", "keeps", "secret_classes",
                              "keep_classes"}, r["id"]
            assert r["id"] not in ids and re.fullmatch(r"heldout4-\d{4}", r["id"]) and r["part"] == "heldout4"
            ids.add(r["id"])
            assert r["format"] in FORMATS and r["lang"] in LANGS, r["id"]
            assert len(r["secrets"]) == len(r["secret_classes"]) and len(r["keeps"]) == len(r["keep_classes"])
            assert all(c in SECRET_CLASSES for c in r["secret_classes"]), r["id"]
            assert all(c in KEEP_CLASSES for c in r["keep_classes"]), r["id"]
            for v in r["secrets"] + r["keeps"]:
                assert v and v in r["text"], (r["id"], v)
            for s_ in r["secrets"]:
                for k in r["keeps"]:
                    assert s_ not in k and k not in s_, (r["id"], s_, k)


def main():
    out, fails = [], []
    for idx, (fmt, lang, tpl) in enumerate(RECORDS):
        last = None
        for attempt in range(200):
            rng = random.Random(f"{SEED}-{idx}-{attempt}")
            try:
                rec = build(fmt, lang, tpl, rng)
                break
            except Bad as e:
                last = e
        else:
            fails.append(f"record {idx} ({fmt}/{lang}) could not be made valid: {last}\n{tpl[:300]}\n")
            continue
        rec = {"id": f"heldout4-{len(out) + 1:04d}", "part": "heldout4", **rec}
        out.append(rec)
    if fails:
        raise SystemExit("\n".join(fails) + f"\n{len(fails)} failing records")
    with open(OUT, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps({k: r[k] for k in ("id", "part", "format", "lang", "text", "secrets", "keeps",
                                                 "secret_classes", "keep_classes")}, ensure_ascii=False) + "\n")
    verify(OUT)
    sc, kc, fc, lc = Counter(), Counter(), Counter(), Counter()
    for r in out:
        sc.update(r["secret_classes"])
        kc.update(r["keep_classes"])
        fc[r["format"]] += 1
        lc[r["lang"]] += 1
    nk = sum(len(r["keeps"]) for r in out)
    ns = sum(len(r["secrets"]) for r in out)
    print(f"wrote {len(out)} records to {OUT}")
    print(f"secrets: {ns}  keeps: {nk}  keeps/record: {nk / len(out):.2f}  "
          f"records without secrets: {sum(1 for r in out if not r['secrets'])}")
    print("secret classes:", dict(sorted(sc.items(), key=lambda x: -x[1])))
    print("keep classes:  ", dict(sorted(kc.items(), key=lambda x: -x[1])))
    print("formats:       ", dict(sorted(fc.items(), key=lambda x: -x[1])))
    print("languages:     ", dict(sorted(lc.items(), key=lambda x: -x[1])),
          f"non-English {sum(v for k, v in lc.items() if k != 'en') / len(out):.1%}")
    missing = SECRET_CLASSES - set(sc)
    if missing:
        print("MISSING secret classes:", missing)
    missing = KEEP_CLASSES - set(kc)
    if missing:
        print("MISSING keep classes:", missing)


if __name__ == "__main__":
    main()
