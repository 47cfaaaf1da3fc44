#!/usr/bin/env python3
"""Blind held-out PII corpus #3 for the telemetra scrubber, written by a helper session that
never read the scrubber (src/pii) or the other corpora, and never tuned against.

Every record below was written by hand.  Inline annotations:
  ⟦class:value⟧  a secret: value must be ABSENT from scrubbed output
  ⟪class:value⟫  a keep:   value must SURVIVE scrubbing
  ${NAME} / ${NAME#k}  generated value (checksum-valid where relevant);
                 '#k' reuses the same value within one record.
Name secrets are split into their capitalised tokens (particles such as
"van", "de" are dropped); private_key secrets become their base64 body lines.
Run:  python3 heldout3.py   -> writes heldout3.jsonl next to this script.
"""
import json
import os
import random
import re
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import values as V  # noqa: E402

SEED = 3303
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout3.jsonl")

SECRET_CLASSES = {"name", "email", "phone", "address", "postcode", "ip", "token", "api_key", "password",
                  "private_key", "card", "iban", "bank_account", "routing", "national_id", "dob", "imei",
                  "wallet", "home_path", "content", "otp", "photo_url"}
KEEP_CLASSES = {"id", "count", "duration", "version", "service", "host", "pod", "metric", "code", "timestamp",
                "path", "word", "hash", "amount"}
FORMATS = {"access", "json", "logfmt", "http", "curl", "sql", "yaml", "csv", "ci", "k8s", "stack_java", "stack_py",
           "stack_go", "stack_js", "dogstatsd", "prom", "chat", "prose", "syslog", "email_headers", "url", "clean"}
LANGS = {"en", "de", "es", "fr", "pl", "pt", "it", "nl", "sv", "hi"}

RECORDS = []


def R(fmt, lang, text):
    RECORDS.append((fmt, lang, text))


def luhn_ok(s):
    tot = 0
    for k, ch in enumerate(reversed(s)):
        v = int(ch)
        if k % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        tot += v
    return tot % 10 == 0


def make_gen(rng):
    D = lambda n: "".join(rng.choice(string.digits) for _ in range(n))
    H = lambda n: "".join(rng.choice("0123456789abcdef") for _ in range(n))

    def pem(escaped):
        kind, body = V.pem(rng)
        sep = "\\n" if escaped else "\n"
        return sep.join([f"-----BEGIN {kind}-----"] + body + [f"-----END {kind}-----"])

    def nonluhn(n):
        while True:
            s = str(rng.randint(1, 9)) + D(n - 1)
            if not luhn_ok(s):
                return s

    def ssn():
        return f"{rng.randint(100, 665):03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}"

    def uuid():
        h = H(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"

    def btc():
        while True:
            w = V.wallet(rng)
            if not w.startswith("0x"):
                return w

    gens = {
        "CARD": lambda: V.card(rng),
        "CARDPLAIN": lambda: V.luhn_complete(rng.choice(["4", "53", "6011", "2223"]), 16, rng),
        "AMEX": lambda: V.luhn_complete(rng.choice(["34", "37"]), 15, rng),
        "IMEI": lambda: V.imei(rng),
        "IBAN": lambda: V.iban(rng),
        "IP4": lambda: V.ipv4(rng),
        "IP6": lambda: V.ipv6(rng),
        "APIKEY": lambda: V.api_key(rng),
        "AWS": lambda: V.aws_secret(rng),
        "AKIA": lambda: "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
        "JWT": lambda: V.jwt(rng),
        "PW": lambda: V.password(rng),
        "PEM": lambda: pem(False),
        "PEMJ": lambda: pem(True),
        "NINO": lambda: V.nino(rng),
        "NIF": lambda: V.nif(rng),
        "NIE": lambda: V.nie(rng),
        "CF": lambda: V.codice_fiscale(rng),
        "PESEL": lambda: V.pesel(rng),
        "AADHAAR": lambda: V.aadhaar(rng),
        "ABA": lambda: V.aba(rng),
        "WALLET": lambda: V.wallet(rng),
        "BTC": btc,
        "BECH": lambda: V.bech32(rng),
        "ETH": lambda: "0x" + H(40),
        "DOB": lambda: V.dob(rng),
        "SSN": ssn,
        "UUID": uuid,
        "SHA": lambda: H(40),
        "SHORTSHA": lambda: H(7),
        "HEX16": lambda: H(16),
        "HEX32": lambda: H(32),
        "HEX64": lambda: H(64),
        "TOK": lambda: V.rand_token(rng, 32),
        "TOK24": lambda: V.rand_token(rng, 24),
        "TOK48": lambda: V.rand_token(rng, 48, string.ascii_letters + string.digits + "-_"),
        "NONLUHN16": lambda: nonluhn(16),
        "NONLUHN13": lambda: nonluhn(13),
        "OTP": lambda: D(6),
        "D4": lambda: D(4),
        "D8": lambda: D(8),
        "D10": lambda: D(10),
        "D12": lambda: D(12),
    }
    return gens


PH = re.compile(r"\$\{([A-Z0-9]+)(?:#(\d+))?\}")
ANN = re.compile(r"(⟦|⟪)([a-z_]+):(.*?)(⟧|⟫)", re.S)
PARTICLES = {"van", "der", "den", "de", "da", "do", "dos", "das", "di", "del", "della", "von", "zu", "la", "le", "ter", "af", "y", "e"}


def name_tokens(v):
    out = []
    for t in v.split():
        if t.lower() in PARTICLES:
            continue
        if len(t.rstrip(".")) < 2:
            continue
        out.append(t)
    return out


def build(rng):
    gens = make_gen(rng)
    rows = []
    for i, (fmt, lang, raw) in enumerate(RECORDS):
        cache = {}

        def sub(m):
            name, k = m.group(1), m.group(2)
            if name not in gens:
                return m.group(0)
            if k is None:
                return gens[name]()
            if (name, k) not in cache:
                cache[(name, k)] = gens[name]()
            return cache[(name, k)]

        src = PH.sub(sub, raw)
        text, pos, secrets, keeps, spans = [], 0, [], [], []
        out_len = 0
        for m in ANN.finditer(src):
            pre = src[pos:m.start()]
            text.append(pre)
            out_len += len(pre)
            opn, cls, val, cls_end = m.group(1), m.group(2), m.group(3), m.group(4)
            assert (opn == "⟦") == (cls_end == "⟧"), (i, m.group(0))
            if opn == "⟦":
                assert cls in SECRET_CLASSES, (i, cls)
                spans.append((out_len, out_len + len(val)))
                if cls == "name":
                    parts = name_tokens(val)
                elif cls == "private_key":
                    parts = [p for p in re.split(r"\n|\\n", val) if p and not p.startswith("-----")]
                else:
                    parts = [val]
                for p in parts:
                    secrets.append((p, cls))
            else:
                assert cls in KEEP_CLASSES, (i, cls)
                keeps.append((val, cls))
            text.append(val)
            out_len += len(val)
            pos = m.end()
        text.append(src[pos:])
        text = "".join(text)
        assert "⟦" not in text and "⟪" not in text and "⟧" not in text and "⟫" not in text, (i, text)
        assert "${" not in text or fmt in ("ci", "k8s", "yaml", "clean"), (i, text)

        def dedup(items):
            seen, out = set(), []
            for v, c in items:
                if v not in seen:
                    seen.add(v)
                    out.append((v, c))
            return out

        secrets, keeps = dedup(secrets), dedup(keeps)
        rows.append({"fmt": fmt, "lang": lang, "text": text, "secrets": secrets, "keeps": keeps, "spans": spans, "i": i})
    return rows


def validate(rows):
    errors = []
    for r in rows:
        t, i = r["text"], r["i"]
        tag = f"#{i} ({r['fmt']}/{r['lang']}) {t[:70]!r}"
        if r["fmt"] not in FORMATS:
            errors.append(f"{tag}: bad format")
        if r["lang"] not in LANGS:
            errors.append(f"{tag}: bad lang")
        if r["fmt"] == "clean" and r["secrets"]:
            errors.append(f"{tag}: clean record with secrets")
        if r["fmt"] != "clean" and not r["secrets"]:
            errors.append(f"{tag}: no secrets")
        if r["fmt"] == "json":
            try:
                json.loads(t)
            except Exception as e:  # noqa: BLE001
                errors.append(f"{tag}: invalid json {e}")
            if "\n" in t:
                errors.append(f"{tag}: multi-line json")
        for s, c in r["secrets"]:
            if s not in t:
                errors.append(f"{tag}: secret {s!r} missing")
            # every occurrence of a secret must lie inside an annotated secret span
            for m in re.finditer(re.escape(s), t):
                if not any(a <= m.start() and m.end() <= b for a, b in r["spans"]):
                    errors.append(f"{tag}: secret {s!r} also occurs un-annotated at {m.start()}")
            if len(s) < 3:
                errors.append(f"{tag}: secret {s!r} too short")
        for k, c in r["keeps"]:
            if k not in t:
                errors.append(f"{tag}: keep {k!r} missing")
            if len(k) < 3:
                errors.append(f"{tag}: keep {k!r} too short")
            for s, _ in r["secrets"]:
                if k in s or s in k:
                    errors.append(f"{tag}: keep {k!r} overlaps secret {s!r}")
    return errors


def main():
    rng = random.Random(SEED)
    rows = build(rng)
    errors = validate(rows)
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    with open(OUT, "w", encoding="utf-8") as f:
        for n, r in enumerate(rows):
            rec = {"id": f"heldout3-{n:04d}", "part": "heldout3", "format": r["fmt"], "lang": r["lang"], "text": r["text"],
                   "secrets": [s for s, _ in r["secrets"]], "keeps": [k for k, _ in r["keeps"]],
                   "secret_classes": [c for _, c in r["secrets"]], "keep_classes": [c for _, c in r["keeps"]]}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} records to {OUT}")


# ---------------------------------------------------------------------------
# Records (hand-written).  Keep this section last-but-one; main() runs at the end.
# ---------------------------------------------------------------------------
# ----------------------------- access ------------------------------------
R("access", "en", r'''⟦ip:${IP4}⟧ - - [⟪timestamp:14/Mar/2024:09:12:44 +0000⟫] "GET ⟪path:/api/v2/orders/8812/items⟫ HTTP/1.1" ⟪code:200⟫ 5121 "-" "Mozilla/5.0 (X11; Linux x86_64)" rt=⟪duration:0.183⟫''')
R("access", "en", r'''⟦ip:${IP6}⟧ - ⟦name:hquenby⟧ [02/Apr/2024:17:40:03 +0100] "POST /login?next=%2Fdashboard&email=⟦email:harriet.quenby%40example.co.uk⟧ HTTP/2.0" ⟪code:302⟫ 0 "https://portal.example.net/" "curl/8.4.0"''')
R("access", "en", r'''lb-prod-3 haproxy[2211]: ⟦ip:${IP4}⟧:51822 [⟪timestamp:09/May/2024:03:01:55.921⟫] https-in~ ⟪service:checkout_backend⟫/⟪host:chk-2.eu-west.internal⟫ 0/0/1/⟪duration:212⟫/213 ⟪code:504⟫ 312 - - ---- 88/88/3/1/0 0/0 "GET /checkout/confirm?card=⟦card:${CARDPLAIN}⟧&cvv=⟦otp:417⟧ HTTP/1.1"''')
R("access", "en", r'''2024-05-09T11:24:07.118Z app/prod-alb/50dc6c495c0c9188 ⟦ip:${IP4}⟧:61123 ⟦ip:10.0.4.17⟧:8080 0.000 ⟪duration:0.027⟫ 0.000 ⟪code:401⟫ 401 214 310 "GET https://api.example.com:443/v1/me?access_token=⟦token:${TOK48}⟧ HTTP/1.1" "okhttp/4.12.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2''')
R("access", "de", r'''⟦ip:${IP4}⟧ - - [21/Jun/2024:08:15:30 +0200] "GET /kunden/suche?name=⟦name:Wiebke⟧+⟦name:Brandt⟧&plz=⟦postcode:24103⟧ HTTP/1.1" ⟪code:200⟫ 1834 "https://intranet.example.de/kunden" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"''')
R("access", "en", r'''⟦ip:${IP4}⟧ - - [03/Jan/2024:22:10:11 -0500] "GET /avatars/⟦photo_url:u/barnaby-cotterill/profile_400x400.jpg⟧ HTTP/1.1" ⟪code:304⟫ 0 "-" "Safari/17.2" request_id=⟪id:${UUID}⟫''')
R("access", "es", r'''⟦ip:${IP4}⟧ - - [11/Feb/2024:13:45:09 +0100] "POST /api/clientes/actualizar?telefono=⟦phone:%2B34%20612%20448%20903⟧ HTTP/1.1" ⟪code:422⟫ 96 "-" "Dalvik/2.1.0 (Linux; U; Android 13)" ⟪duration:48ms⟫''')
R("access", "en", r'''[⟪timestamp:2024-07-01T06:00:12+00:00⟫] ⟦ip:${IP6}⟧ "DELETE ⟪path:/v3/sessions/current⟫" status=⟪code:204⟫ bytes=0 ua="Go-http-client/2.0" auth="Bearer ⟦token:${JWT}⟧"''')
R("access", "fr", r'''⟦ip:${IP4}⟧ - - [30/Mar/2024:19:02:47 +0100] "GET /compte/factures?iban=⟦iban:${IBAN}⟧&nom=⟦name:Vautrin⟧ HTTP/1.1" ⟪code:200⟫ 20931 "https://www.boutique.example.fr/compte" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3)"''')
R("access", "en", r'''⟦ip:${IP4}⟧ - ⟦email:d.ashworth-lyle@corp.example.net⟧ [16/Aug/2024:10:33:20 +0000] "PUT /api/v1/users/⟪id:8841027⟫/preferences HTTP/1.1" ⟪code:200⟫ 77 "-" "Electron/28.1.0" upstream=⟪host:prefs-svc-4.us-east-1.internal⟫ t=⟪duration:0.091⟫''')
R("access", "pl", r'''⟦ip:${IP4}⟧ - - [05/Nov/2024:07:58:01 +0100] "GET /rejestracja/weryfikacja?pesel=⟦national_id:${PESEL}⟧&kod=⟦otp:${OTP}⟧ HTTP/1.1" ⟪code:200⟫ 402 "-" "Mozilla/5.0 (Android 14; Mobile)"''')
R("access", "en", r'''⟦ip:${IP4}⟧ - - [12/Dec/2024:23:59:59 +0000] "GET /download/releases/⟪version:10.2.0.1⟫/agent-linux-amd64.tar.gz HTTP/1.1" ⟪code:200⟫ 48211203 "-" "Wget/1.21.4"''')
R("access", "it", r'''⟦ip:${IP4}⟧ - - [18/Sep/2024:14:20:55 +0200] "POST /api/anagrafica?cf=⟦national_id:${CF}⟧ HTTP/1.1" ⟪code:201⟫ 55 "https://sportello.example.it/nuovo" "Mozilla/5.0" ⟪duration:0.344⟫ cache=MISS''')
R("access", "en", r'''⟦ip:${IP4}⟧ - - [27/Oct/2024:04:11:38 +0000] "GET /reset-password?token=⟦token:${HEX32}⟧&uid=⟪id:551902⟫ HTTP/1.1" 200 3120 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"''')
R("access", "nl", r'''⟦ip:${IP4}⟧ - - [08/Jul/2024:09:01:13 +0200] "GET /klant/adres?straat=⟦address:Keizersgracht%20312⟧&postcode=⟦postcode:1016%20EZ⟧ HTTP/1.1" ⟪code:200⟫ 611 "-" "Mozilla/5.0"''')
R("access", "en", r'''⟪timestamp:1718351211.482⟫ 17 ⟦ip:${IP4}⟧ TCP_MISS/⟪code:200⟫ 4410 GET http://⟦ip:${IP4}⟧:8081/internal/health - HIER_DIRECT/⟦ip:10.20.0.5⟧ application/json''')
R("access", "sv", r'''⟦ip:${IP4}⟧ - - [19/Jan/2024:12:44:02 +0100] "GET /mina-sidor?personnummer=⟦national_id:19850312-4474⟧ HTTP/1.1" ⟪code:403⟫ 190 "-" "Mozilla/5.0 (X11; Fedora)" rid=⟪id:${HEX16}⟫''')

# ----------------------------- json --------------------------------------
R("json", "en", r'''{"ts":"⟪timestamp:2024-03-14T09:12:44.512Z⟫","level":"info","service":"⟪service:billing-api⟫","msg":"charge created","user":{"id":"⟪id:${UUID}⟫","email":"⟦email:imogen.farthing@example.com⟧","name":"⟦name:Imogen Farthing⟧"},"amount":⟪amount:149.99⟫,"currency":"GBP"}''')
R("json", "en", r'''{"event":"payment_failed","code":"⟪code:INSUFFICIENT_FUNDS⟫","card":{"number":"⟦card:${CARD}⟧","exp":"09/27","holder":"⟦name:Lionel Vexley⟧"},"order_id":"⟪id:ORD-2024-0091822⟫","latency_ms":⟪duration:412⟫}''')
R("json", "de", r'''{"zeit":"2024-06-21T08:15:30+02:00","ereignis":"kunde_angelegt","kunde":{"vorname":"⟦name:Hauke⟧","nachname":"⟦name:Ostendorf⟧","anschrift":{"strasse":"⟦address:Friesenweg 17a⟧","plz":"⟦postcode:25813⟧","ort":"Husum"},"geburtsdatum":"⟦dob:1979-11-02⟧"},"kundennummer":"⟪id:KD-00482291⟫"}''')
R("json", "en", r'''{"level":"debug","msg":"outbound call","req":{"method":"POST","url":"https://api.stripe.example/v1/charges","headers":{"Authorization":"Bearer ⟦api_key:sk_live_${TOK24}⟧","Idempotency-Key":"⟪id:${UUID}⟫"}},"took":"⟪duration:238ms⟫"}''')
R("json", "es", r'''{"nivel":"warn","mensaje":"intento de acceso fallido","usuario":"⟦email:n.quesada@correo.example.es⟧","contraseña":"⟦password:${PW}⟧","ip":"⟦ip:${IP4}⟧","intentos":15,"bloqueado_hasta":"⟪timestamp:2024-02-11T14:00:00Z⟫"}''')
R("json", "en", r'''{"type":"chat.message","room":"⟪id:room_7f3e21⟫","from":{"id":⟪id:220381⟫,"display_name":"⟦name:Rowena⟧"},"message":{"text":"⟦content:hey can you call me back on 07700 900461 after six?⟧","sent_at":"⟪timestamp:2024-04-02T18:03:11Z⟫"}}''')
R("json", "fr", r'''{"horodatage":"⟪timestamp:2024-03-30T19:02:47+01:00⟫","action":"mise_a_jour_profil","utilisateur":{"prenom":"⟦name:Anatole⟧","nom":"⟦name:Crépin⟧","telephone":"⟦phone:+33 6 71 20 44 93⟧","adresse":"⟦address:18 rue des Tanneurs⟧, ⟦postcode:67000⟧ Strasbourg"},"version":"⟪version:4.12.0.7⟫"}''')
R("json", "en", r'''{"k8s":{"pod":"⟪pod:auth-gateway-7d9f8b6c4-x2lqp⟫","ns":"prod"},"msg":"issued token","sub":"⟪id:${UUID}⟫","access_token":"⟦token:${JWT}⟧","refresh_token":"⟦token:${TOK48}⟧","expires_in":⟪count:3600⟫}''')
R("json", "pl", r'''{"poziom":"error","komunikat":"Błąd weryfikacji klienta","klient":{"imie":"⟦name:Bożena⟧","nazwisko":"⟦name:Grzybowska⟧","pesel":"⟦national_id:${PESEL}⟧","nr_konta":"⟦iban:${IBAN}⟧"},"kod_bledu":"⟪code:KYC_MISMATCH⟫"}''')
R("json", "en", r'''{"device":{"imei":"⟦imei:${IMEI}⟧","model":"Pixel 8","os":"Android 14"},"owner_phone":"⟦phone:+1 (415) 555-0187⟧","app_version":"⟪version:7.3.1⟫","crash_id":"⟪id:${HEX32}⟫"}''')
R("json", "pt", r'''{"evento":"cadastro","cliente":{"nome":"⟦name:Conceição Tavares⟧","cpf":"⟦national_id:482.915.370-97⟧","celular":"⟦phone:(21) 98841-2273⟧","endereco":"⟦address:Rua dos Inválidos, 144⟧","cep":"⟦postcode:20231-045⟧"},"senha":"⟦password:${PW}⟧","origem":"app"}''')
R("json", "en", r'''{"ts":1718351211482,"svc":"⟪service:wallet-sync⟫","msg":"withdrawal queued","to_address":"⟦wallet:${BTC}⟧","amount_btc":⟪amount:0.0412⟫,"txid":"⟪hash:${HEX64}⟫"}''')
R("json", "it", r'''{"livello":"info","messaggio":"pagamento ricevuto","pagatore":{"nome":"⟦name:Benedetta⟧","cognome":"⟦name:Scarpellini⟧","codice_fiscale":"⟦national_id:${CF}⟧","email":"⟦email:bene.scarpellini@posta.example.it⟧"},"importo":"⟪amount:€ 1.240,00⟫","pratica":"⟪id:PR-77120⟫"}''')
R("json", "en", r'''{"level":"error","logger":"uploader","error":"EACCES: permission denied, open '/Users/⟦home_path:cmalvern⟧/Library/Application Support/Acme/cache.db'","errno":⟪code:-13⟫,"release":"⟪version:2024.6.1⟫"}''')
R("json", "en", r'''{"audit":true,"actor":"⟦email:t.grimsby@example.org⟧","action":"export","target":{"ssn":"⟦national_id:${SSN}⟧","dob":"⟦dob:${DOB}⟧"},"rows":1,"request_id":"⟪id:req_01HW3K9ZQ4T7⟫"}''')
R("json", "hi", r'''{"log":"OTP bheja gaya","mobile":"⟦phone:+91 98204 31177⟧","otp":"⟦otp:${OTP}⟧","aadhaar":"⟦national_id:${AADHAAR}⟧","naam":"⟦name:Devendra Chaturvedi⟧","status":"⟪code:SENT⟫"}''')
R("json", "en", r'''{"webhook":"customer.updated","data":{"object":{"id":"⟪id:cus_Q2x8LmVb3n⟫","address":{"line1":"⟦address:4410 Larkspur Crescent⟧","postal_code":"⟦postcode:97214⟧","city":"Portland","state":"OR"},"phone":"⟦phone:503-555-0143⟧"}},"livemode":true}''')
R("json", "nl", r'''{"tijd":"⟪timestamp:2024-07-08T09:01:13+02:00⟫","bericht":"betaling mislukt","klant":{"naam":"⟦name:Femke Oosterhuis⟧","rekening":"⟦iban:NL91ABNA0417164300⟧"},"foutcode":"⟪code:AM04⟫","bedrag":⟪amount:89.5⟫}''')
R("json", "en", r'''{"msg":"profile fetched","user_id":⟪id:99120034⟫,"avatar_url":"⟦photo_url:https://cdn.example.com/avatars/u/ezra-fennimore-3x.png⟧","followers":⟪count:1204⟫}''')
R("json", "sv", r'''{"händelse":"inloggning","användare":"⟦email:astrid.hellstrom@post.example.se⟧","lösenord":"⟦password:Midsommar#1987⟧","klient_ip":"⟦ip:${IP6}⟧","resultat":"⟪code:DENIED⟫"}''')
R("json", "en", r'''{"level":"warn","msg":"config loaded with inline secret","aws":{"access_key_id":"⟦api_key:${AKIA}⟧","secret_access_key":"⟦api_key:${AWS}⟧","region":"eu-west-1"},"build":"⟪hash:${SHA}⟫"}''')
R("json", "en", r'''{"ticket":{"id":⟪id:48812⟫,"subject":"Refund for order ⟪id:100023847562⟫","body":"⟦content:Hi, I was charged twice. My name is Delphine Stroud and you can reach me at 0161 496 0723.⟧","priority":"high"}}''')
R("json", "en", r'''{"kind":"bank_transfer","routing_number":"⟦routing:${ABA}⟧","account_number":"⟦bank_account:${D12}⟧","account_holder":"⟦name:Gideon Tamsett⟧","amount":⟪amount:2500.00⟫,"trace":"⟪id:${NONLUHN16}⟫"}''')
R("json", "de", r'''{"level":"info","msg":"Passwort zurückgesetzt","benutzer":{"login":"⟦email:ilse.hagedorn@firma.example.de⟧","neues_passwort":"⟦password:Tannenbaum!42⟧"},"dauer_ms":173}''')
R("json", "en", r'''{"level":"info","event":"ssh_key_rotated","key":"⟦private_key:${PEMJ}⟧","host":"⟪host:bastion-1.mgmt.example.internal⟫"}''')
R("json", "es", r'''{"pedido":"⟪id:PED-339021⟫","envio":{"destinatario":"⟦name:Montserrat Echevarría⟧","direccion":"⟦address:Calle de Zurbano 61, 3º izq.⟧","cp":"⟦postcode:28010⟧","telefono":"⟦phone:+34 915 20 33 81⟧"},"dni":"⟦national_id:${NIF}⟧","total":⟪amount:63.40⟫}''')
# ----------------------------- logfmt ------------------------------------
R("logfmt", "en", r'''time=⟪timestamp:2024-03-14T09:12:44Z⟫ level=info msg="user signed in" user_id=⟪id:${UUID}⟫ email=⟦email:silas.brockhurst@example.com⟧ ip=⟦ip:${IP4}⟧ duration=⟪duration:34ms⟫''')
R("logfmt", "en", r'''at=error code=⟪code:H12⟫ desc="Request timeout" method=GET path="⟪path:/api/reports/weekly⟫" host=⟪host:reports.example.app⟫ request_id=⟪id:${UUID}⟫ fwd="⟦ip:${IP4}⟧,⟦ip:${IP4}⟧" dyno=web.3 connect=1ms service=⟪duration:30001ms⟫ status=503''')
R("logfmt", "de", r'''ts=2024-06-21T08:15:30+02:00 lvl=warn komponente=⟪service:anmeldung⟫ meldung="falsches Passwort" benutzer=⟦name:rpfannkuch⟧ Passwort=⟦password:Sauerkraut99⟧ versuche=3 sperre_bis=⟪timestamp:2024-06-21T08:45:30+02:00⟫''')
R("logfmt", "en", r'''level=debug caller=client.go:212 msg="dialing upstream" dsn="postgres://app_rw:⟦password:${PW}⟧@⟦ip:${IP4}⟧:5432/orders?sslmode=require" pool=20 max_idle=⟪count:120⟫''')
R("logfmt", "es", r'''nivel=info servicio=⟪service:notificaciones⟫ evento=sms_enviado destinatario=⟦phone:+34 699 412 087⟧ plantilla=⟪word:RECORDATORIO_CITA⟫ coste=⟪amount:0.045⟫''')
R("logfmt", "en", r'''level=info msg="card tokenized" last4=4242 pan=⟦card:${CARD}⟧ token=⟪id:tok_1PXq2nLkd8⟫ brand=visa latency=⟪duration:88ms⟫''')
R("logfmt", "fr", r'''niveau=erreur module=⟪service:facturation⟫ message="IBAN invalide" iban=⟦iban:${IBAN}⟧ titulaire="⟦name:Maëlle Fauchard⟧" code=⟪code:E_IBAN_CHECK⟫''')
R("logfmt", "en", r'''t=⟪timestamp:2024-05-02T14:22:01.004Z⟫ lvl=warn logger=auth msg="session hijack suspected" session=⟦token:sess_${HEX32}⟧ old_ip=⟦ip:${IP6}⟧ new_ip=⟦ip:${IP4}⟧ user=⟪id:u_448120⟫''')
R("logfmt", "pl", r'''poziom=info usługa=⟪service:rejestracja⟫ komunikat="nowy użytkownik" login=⟦email:wojtek.szczepaniak@poczta.example.pl⟧ hasło=⟦password:Jesien2024!⟧ telefon=⟦phone:+48 601 233 918⟧''')
R("logfmt", "en", r'''level=info msg="deploy finished" app=⟪service:search-indexer⟫ version=⟪version:3.18.2⟫ commit=⟪hash:${SHA}⟫ by=⟦email:nell.abernathy@corp.example.net⟧ took=⟪duration:4m12s⟫''')
R("logfmt", "it", r'''livello=warn servizio=⟪service:spedizioni⟫ msg="indirizzo non valido" destinatario="⟦name:Ottavio Lombardozzi⟧" indirizzo="⟦address:Via dei Calzaiuoli 7⟧" cap=⟦postcode:50122⟧''')
R("logfmt", "en", r'''level=error msg="webhook signature mismatch" secret=⟦api_key:whsec_${TOK}⟧ endpoint=⟪path:/hooks/stripe⟫ attempt=4''')
R("logfmt", "en", r'''ts=1718351211 level=info msg="file saved" path=/home/⟦home_path:rpenhaligon⟧/exports/q2.csv size=⟪count:88213⟫ elapsed=⟪duration:1.2s⟫''')
R("logfmt", "pt", r'''nivel=info servico=⟪service:pix-gateway⟫ msg="transferencia recebida" pagador="⟦name:Rodrigo Magalhães⟧" chave_pix=⟦email:rodrigo.m@example.com.br⟧ valor=⟪amount:350.00⟫ e2e=⟪id:E1829327020240611${D8}⟫''')
R("logfmt", "hi", r'''level=info msg="KYC poora hua" grahak="⟦name:Lakshmi Venkataraman⟧" pan_card=⟦national_id:BQLPV4821K⟧ mobile=⟦phone:+91-98451-20773⟧ status=⟪code:VERIFIED⟫''')
R("logfmt", "en", r'''level=warn msg="2fa code reused" user=⟪id:77120⟫ code=⟦otp:${OTP}⟧ device_imei=⟦imei:${IMEI}⟧ window=⟪duration:30s⟫''')

# ----------------------------- http --------------------------------------
R("http", "en", r'''GET ⟪path:/v2/accounts/me⟫ HTTP/1.1
Host: ⟪host:api.example.com⟫
Authorization: Bearer ⟦token:${JWT}⟧
X-Request-Id: ⟪id:${UUID}⟫
User-Agent: MyApp/⟪version:5.2.1⟫ (iPhone; iOS 17.5)''')
R("http", "en", r'''POST /oauth/token HTTP/1.1
Host: auth.example.net
Content-Type: application/x-www-form-urlencoded

grant_type=password&username=⟦email:caspar.whitlow%40example.org⟧&password=⟦password:${PW}⟧&client_id=⟪id:web-console⟫''')
R("http", "en", r'''HTTP/1.1 ⟪code:200⟫ OK
Set-Cookie: session=⟦token:${TOK48}⟧; Path=/; HttpOnly; Secure; SameSite=Lax
Set-Cookie: theme=dark; Path=/
X-Trace-Id: ⟪id:${HEX32}⟫
Server-Timing: app;dur=⟪duration:47.3⟫''')
R("http", "de", r'''PUT /api/kunden/⟪id:482291⟫ HTTP/1.1
Host: crm.example.de
Cookie: sid=⟦token:${HEX32}⟧
Content-Type: application/json

{"name":"⟦name:Gesine Trautmann⟧","strasse":"⟦address:Lindenallee 9⟧","plz":"⟦postcode:04109⟧","telefon":"⟦phone:0341/5523817⟧"}''')
R("http", "en", r'''GET /internal/metrics HTTP/1.1
Host: ⟦ip:${IP4}⟧:9100
X-Forwarded-For: ⟦ip:${IP4}⟧, ⟦ip:${IP6}⟧
X-Real-IP: ⟦ip:${IP4}⟧
Accept: */*''')
R("http", "en", r'''POST /v1/messages HTTP/2
host: chat.example.io
x-api-key: ⟦api_key:${APIKEY}⟧
content-type: application/json

{"to":"⟦email:maude.ellery@example.com⟧","body":"⟦content:Your locker code is 4471, see you Thursday⟧"}''')
R("http", "fr", r'''HTTP/1.1 ⟪code:403⟫ Forbidden
Content-Type: application/json; charset=utf-8
X-Request-ID: ⟪id:${UUID}⟫

{"erreur":"accès refusé pour ⟦email:heloise.carpentier@example.fr⟧","code":"⟪code:FORBIDDEN_SCOPE⟫"}''')
R("http", "en", r'''GET /api/v1/users?search=⟦name:Kettleworth⟧ HTTP/1.1
Host: admin.example.com
Authorization: Basic ⟦token:${TOK24}⟧
Referer: https://admin.example.com/users?q=⟦name:Ambrose⟧''')
R("http", "es", r'''POST /api/pagos HTTP/1.1
Host: pasarela.example.es
Authorization: Token ⟦api_key:${APIKEY}⟧
Content-Type: application/json

{"tarjeta":"⟦card:${CARD}⟧","cvv":"⟦otp:882⟧","titular":"⟦name:Baltasar Urquijo⟧","importe":⟪amount:1299.00⟫}''')
R("http", "en", r'''HTTP/2 ⟪code:302⟫
location: https://app.example.com/welcome?email=⟦email:josephine.crabtree%2Bnews%40example.com⟧&ref=⟪id:cmp_2024_spring⟫
cache-control: no-store''')
R("http", "nl", r'''POST /api/v2/aanvraag HTTP/1.1
Host: portaal.example.nl
Cookie: JSESSIONID=⟦token:${HEX32}⟧
Content-Type: application/x-www-form-urlencoded

voornaam=⟦name:Joost⟧&achternaam=⟦name:Dalsum⟧&bsn=⟦national_id:111222333⟧&geboortedatum=⟦dob:14-05-1982⟧''')
R("http", "en", r'''GET /files/⟪hash:${SHA}⟫ HTTP/1.1
Host: artifacts.example.internal
Private-Token: ⟦api_key:glpat-${TOK24}⟧
If-None-Match: "⟪hash:${HEX32}⟫"''')
R("http", "en", r'''HTTP/1.1 ⟪code:500⟫ Internal Server Error
Content-Type: text/plain

NullPointerException at CustomerService.lookup(⟦email:winifred.oakes@example.com⟧) rid=⟪id:${HEX16}⟫''')
R("http", "sv", r'''POST /api/bestallning HTTP/1.1
Host: butik.example.se
X-Session-Token: ⟦token:${TOK48}⟧

{"kund":"⟦name:Gunnar Åkesson⟧","adress":"⟦address:Storgatan 44⟧","postnummer":"⟦postcode:831 30⟧","ort":"Östersund","mobil":"⟦phone:070-312 45 89⟧"}''')

# ----------------------------- curl --------------------------------------
R("curl", "en", r'''curl -sS -X POST https://api.example.com/v1/charges -H "Authorization: Bearer ⟦api_key:sk_live_${TOK24}⟧" -d amount=⟪amount:2000⟫ -d currency=usd -d "receipt_email=⟦email:tabitha.g@example.com⟧"''')
R("curl", "en", r'''curl -u deploy:⟦password:${PW}⟧ https://nexus.example.internal/repository/releases/com/acme/core/⟪version:2.4.0⟫/core-⟪version:2.4.0⟫.jar -o core.jar''')
R("curl", "en", r'''$ curl -v 'https://admin:⟦password:Wint3r-is-coming⟧@⟦ip:${IP4}⟧:8443/api/status'
*   Trying ⟦ip:${IP4}⟧:8443...
< HTTP/1.1 ⟪code:401⟫ Unauthorized''')
R("curl", "de", r'''curl -X POST https://api.example.de/v1/sms -H 'X-Api-Key: ⟦api_key:${APIKEY}⟧' --data-urlencode 'to=⟦phone:+49 171 22043817⟧' --data-urlencode 'text=⟦content:Hallo Frauke, Ihr Termin am Dienstag ist bestätigt.⟧' ''')
R("curl", "en", r'''curl -H "PRIVATE-TOKEN: ⟦api_key:glpat-${TOK24}⟧" "https://gitlab.example.com/api/v4/projects/⟪id:4412⟫/pipelines?ref=main&per_page=50"''')
R("curl", "en", r'''curl https://hooks.slack.example/services/T024BE7LD/B08ABCD12/⟦api_key:${TOK24}⟧ -d '{"text":"deploy ⟪version:v1.42.0⟫ done"}' ''')
R("curl", "es", r'''curl -X PUT "https://api.example.es/clientes/⟪id:88120⟫" -H "Authorization: Bearer ⟦token:${JWT}⟧" -d '{"correo":"⟦email:amparo.zorrilla@example.es⟧","nie":"⟦national_id:${NIE}⟧"}' ''')
R("curl", "en", r'''curl -s "https://maps.example.com/geocode/json?address=⟦address:221%20Fenwick%20Terrace⟧,%20⟦postcode:LS6%202QE⟧&key=⟦api_key:AIza${TOK}⟧"''')
R("curl", "en", r'''curl --cookie "sessionid=⟦token:${HEX32}⟧; csrftoken=⟦token:${TOK}⟧" https://app.example.com/api/export?format=csv&since=⟪timestamp:2024-01-01⟫''')
R("curl", "it", r'''curl -X POST https://api.example.it/v2/anagrafiche -H "Authorization: Bearer ⟦api_key:${APIKEY}⟧" -F "nome=⟦name:Rosalba⟧" -F "cognome=⟦name:Cantarutti⟧" -F "documento=@/home/⟦home_path:rcantarutti⟧/Scaricati/carta_identita.pdf"''')
R("curl", "en", r'''curl -X POST https://rpc.example.io -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"eth_getBalance","params":["⟦wallet:${ETH}⟧","latest"],"id":7}' ''')
R("curl", "pt", r'''curl -k "https://api.banco.example.com.br/v1/saldo?agencia=0412&conta=⟦bank_account:${D8}-7⟧" -H "client_secret: ⟦api_key:${TOK}⟧"''')

# ----------------------------- sql ---------------------------------------
R("sql", "en", r'''INSERT INTO customers (id, first_name, last_name, email, phone, created_at) VALUES (⟪id:90211⟫, '⟦name:Cedric⟧', '⟦name:Malvern⟧', '⟦email:cedric.malvern@example.com⟧', '⟦phone:+44 20 7946 0321⟧', '⟪timestamp:2024-03-14 09:12:44⟫');''')
R("sql", "en", r'''UPDATE users SET password_hash = '⟦password:$2b$12$${TOK48}⟧', reset_token = NULL WHERE email = '⟦email:priscilla.h@example.org⟧'; -- 1 row affected in ⟪duration:3.1 ms⟫''')
R("sql", "de", r'''SELECT * FROM kunden WHERE nachname = '⟦name:Kühnlein⟧' AND plz = '⟦postcode:90402⟧' AND geburtsdatum = '⟦dob:1966-08-19⟧' LIMIT 25;''')
R("sql", "en", r'''ERROR:  duplicate key value violates unique constraint "users_email_key"
DETAIL:  Key (email)=(⟦email:ezra.fennimore@example.net⟧) already exists.
STATEMENT:  INSERT INTO users (email, name) VALUES ('⟦email:ezra.fennimore@example.net⟧', '⟦name:Ezra Fennimore⟧')''')
R("sql", "es", r'''INSERT INTO pagos (pedido, tarjeta, titular, importe) VALUES ('⟪id:PED-441209⟫', '⟦card:${CARD}⟧', '⟦name:Remedios Villalobos⟧', ⟪amount:74.90⟫);''')
R("sql", "en", r'''2024-05-02 14:22:01.004 UTC [⟪id:31877⟫] app@orders LOG:  duration: ⟪duration:1843.227 ms⟫  statement: SELECT id FROM orders WHERE customer_ssn = '⟦national_id:${SSN}⟧' ''')
R("sql", "fr", r'''UPDATE clients SET adresse = '⟦address:7 impasse des Glycines⟧', code_postal = '⟦postcode:33000⟧', tel = '⟦phone:05 56 44 12 90⟧' WHERE id_client = ⟪id:311207⟫;''')
R("sql", "en", r'''CREATE USER reporting WITH PASSWORD '⟦password:${PW}⟧' VALID UNTIL '⟪timestamp:2025-01-01⟫';''')
R("sql", "pl", r'''INSERT INTO klienci (imie, nazwisko, pesel, ulica, kod_pocztowy) VALUES ('⟦name:Jadwiga⟧', '⟦name:Pietrzyk⟧', '⟦national_id:${PESEL}⟧', '⟦address:ul. Zwierzyniecka 12/4⟧', '⟦postcode:30-214⟧');''')
R("sql", "en", r'''SELECT account_no, routing_no FROM ach_origins WHERE account_no = '⟦bank_account:${D10}⟧' AND routing_no = '⟦routing:${ABA}⟧'; -- took ⟪duration:0.8ms⟫''')
R("sql", "it", r'''INSERT INTO pazienti (codice_fiscale, nome, data_nascita, telefono) VALUES ('⟦national_id:${CF}⟧', '⟦name:Ermanno Pellegrini⟧', '⟦dob:1958-02-27⟧', '⟦phone:+39 347 118 2290⟧');''')
R("sql", "en", r'''mysql> SELECT id, api_token FROM integrations WHERE id = 12;
+----+------------------------------------------+
| id | api_token                                |
+----+------------------------------------------+
| 12 | ⟦api_key:${TOK}⟧         |
+----+------------------------------------------+
1 row in set (⟪duration:0.00 sec⟫)''')
R("sql", "hi", r'''INSERT INTO grahak (naam, aadhaar_no, mobile, pata) VALUES ('⟦name:Shreyas Kulkarni⟧', '⟦national_id:${AADHAAR}⟧', '⟦phone:+91 98220 71634⟧', '⟦address:Flat 12, Kothrud Housing Society⟧');''')
R("sql", "en", r'''-- slow query ⟪duration:12.4s⟫ on ⟪host:db-replica-2.us-east-1.internal⟫
SELECT * FROM messages WHERE body LIKE '%⟦content:meet me at the north gate at 9⟧%' AND sender_id = ⟪id:40019⟫;''')
# ----------------------------- yaml --------------------------------------
R("yaml", "en", r'''database:
  host: ⟪host:pg-main.prod.example.internal⟫
  port: 5432
  user: orders_app
  password: "⟦password:${PW}⟧"
  pool_size: 40
  statement_timeout: ⟪duration:15000ms⟫''')
R("yaml", "en", r'''smtp:
  server: smtp.example.com
  username: ⟦email:alerts-owner.desmond@example.com⟧
  password: ⟦password:vK9#mQ2!xw⟧
notify:
  - ⟦email:rowena.pilcher@example.com⟧
  - ⟦email:oncall+sre@example.com⟧
release: ⟪version:2024.10.3⟫''')
R("yaml", "de", r'''kunde:
  vorname: ⟦name:Henrike⟧
  nachname: ⟦name:Vollmer⟧
  anschrift: ⟦address:Am Sandtorkai 52⟧
  plz: "⟦postcode:20457⟧"
  telefon: "⟦phone:+49 40 88219043⟧"
  kundennummer: ⟪id:KD-1188204⟫''')
R("yaml", "en", r'''apiVersion: v1
kind: Secret
metadata:
  name: ⟪service:payments-credentials⟫
stringData:
  STRIPE_KEY: ⟦api_key:sk_live_${TOK24}⟧
  DB_URL: postgres://svc:⟦password:${PW}⟧@⟪host:db-1.payments.svc.cluster.local⟫:5432/pay''')
R("yaml", "en", r'''# ansible inventory
all:
  hosts:
    web01:
      ansible_host: ⟦ip:${IP4}⟧
      ansible_user: ubuntu
      ansible_ssh_private_key_file: /home/⟦home_path:gtamsett⟧/.ssh/id_ed25519
      ansible_become_pass: ⟦password:${PW}⟧''')
R("yaml", "es", r'''usuario:
  nombre: "⟦name:Nicanor Quesada⟧"
  correo: ⟦email:nicanor.q@example.es⟧
  contraseña: ⟦password:Membrillo_2023⟧
  fecha_nacimiento: ⟦dob:1971-04-09⟧
preferencias:
  idioma: ⟪word:Castellano⟫''')
R("yaml", "en", r'''tls:
  cert: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUZk
    -----END CERTIFICATE-----
  key: |
⟦private_key:${PEM}⟧
  rotated_at: ⟪timestamp:2024-09-01T00:00:00Z⟫''')
R("yaml", "fr", r'''contact:
  nom: ⟦name:Gaspard Delacroix-Bonnet⟧
  courriel: ⟦email:gaspard.db@example.fr⟧
  iban: ⟦iban:${IBAN}⟧
  date_de_naissance: "⟦dob:03/07/1990⟧"
abonnement: ⟪word:Premium⟫''')
R("yaml", "en", r'''github:
  token: ⟦api_key:ghp_${TOK}ab12⟧
  org: acme-platform
  repo: ⟪service:deploy-tools⟫
  ref: ⟪hash:${SHA}⟫''')
R("yaml", "pt", r'''cliente:
  nome: ⟦name:Graça Vasconcelos⟧
  nif: "⟦national_id:${NIF}⟧"
  morada: "⟦address:Rua de Cedofeita, 388⟧"
  codigo_postal: "⟦postcode:4050-174⟧"
  senha: "⟦password:${PW}⟧"''')
R("yaml", "en", r'''wallets:
  hot: ⟦wallet:${BECH}⟧
  cold: ⟦wallet:${BTC}⟧
  eth_treasury: "⟦wallet:${ETH}⟧"
threshold_btc: ⟪amount:2.5⟫''')
R("yaml", "nl", r'''medewerker:
  naam: ⟦name:Marieke Hoogendijk⟧
  adres: ⟦address:Oudegracht 118⟧
  postcode: ⟦postcode:3511 AX⟧
  iban: ⟦iban:NL02RABO0123456789⟧
  afdeling: ⟪word:Inkoop⟫''')

# ----------------------------- csv ---------------------------------------
R("csv", "en", r'''id,first_name,last_name,email,signup_date
⟪id:10021⟫,⟦name:Harriet⟧,⟦name:Quenby⟧,⟦email:hq@example.com⟧,⟪timestamp:2024-01-12⟫
⟪id:10022⟫,⟦name:Barnaby⟧,⟦name:Cotterill⟧,⟦email:barnaby.c@example.org⟧,⟪timestamp:2024-01-13⟫''')
R("csv", "en", r'''order_id,card_number,amount,status
⟪id:ORD-55012⟫,⟦card:${CARD}⟧,⟪amount:19.99⟫,⟪code:APPROVED⟫
⟪id:ORD-55013⟫,⟦card:${AMEX}⟧,⟪amount:240.00⟫,⟪code:DECLINED⟫''')
R("csv", "de", r'''Kundennr;Name;Straße;PLZ;Ort;IBAN
⟪id:700441⟫;⟦name:Detlef Kühnlein⟧;⟦address:Pillenreuther Str. 88⟧;⟦postcode:90459⟧;Nürnberg;⟦iban:${IBAN}⟧''')
R("csv", "es", r'''nombre,dni,telefono,ciudad
"⟦name:Fermín Aguirrezábal⟧",⟦national_id:${NIF}⟧,⟦phone:+34 688 210 473⟧,Bilbao
"⟦name:Inmaculada Berrocal⟧",⟦national_id:${NIE}⟧,⟦phone:954 22 81 06⟧,Sevilla''')
R("csv", "en", r'''timestamp,host,metric,value
⟪timestamp:2024-05-01T00:00:00Z⟫,⟪host:web-12.eu-central.internal⟫,⟪metric:http.server.requests⟫,1832
⟪timestamp:2024-05-01T00:01:00Z⟫,⟦ip:${IP4}⟧,⟪metric:http.server.errors⟫,⟪count:217⟫''')
R("csv", "pl", r'''imię;nazwisko;pesel;data_urodzenia
⟦name:Radosław⟧;⟦name:Chmielewski⟧;⟦national_id:${PESEL}⟧;⟦dob:1984-09-17⟧
⟦name:Grażyna⟧;⟦name:Ostrowska⟧;⟦national_id:${PESEL}⟧;⟦dob:1961-12-03⟧''')
R("csv", "en", r'''employee_id,name,ssn,routing,account
⟪id:E-3381⟫,"⟦name:Winifred Oakes⟧",⟦national_id:${SSN}⟧,⟦routing:${ABA}⟧,⟦bank_account:${D10}⟧''')
R("csv", "it", r'''cognome,nome,codice_fiscale,cellulare,via
⟦name:Tagliaferri⟧,⟦name:Ludovica⟧,⟦national_id:${CF}⟧,⟦phone:339 402 7781⟧,"⟦address:Corso Magenta 31⟧"''')
R("csv", "en", r'''device_id,imei,owner,last_seen
⟪id:dev_88a1f0⟫,⟦imei:${IMEI}⟧,⟦email:caspar.w@example.com⟧,⟪timestamp:2024-06-30 22:14:09⟫
⟪id:dev_88a1f1⟫,⟦imei:${IMEI}⟧,⟦email:s.brockhurst@example.com⟧,⟪timestamp:2024-06-30 22:15:40⟫''')
R("csv", "hi", r'''naam,mobile,aadhaar,shehar
⟦name:Harpreet Dhillon⟧,⟦phone:+91 98140 22781⟧,⟦national_id:${AADHAAR}⟧,Ludhiana
⟦name:Tanvi Deshpande⟧,⟦phone:(+91) 77098 12345⟧,⟦national_id:${AADHAAR}⟧,Pune''')
R("csv", "en", r'''user_id,avatar,bio
⟪id:${UUID}⟫,⟦photo_url:https://images.example.net/profile/josie_crabtree_2023.jpg⟧,"⟦content:Mum of two, living in Leeds, DM me for commissions⟧"''')
R("csv", "sv", r'''förnamn,efternamn,personnummer,adress,postnummer
⟦name:Sigrid⟧,⟦name:Nyqvist⟧,⟦national_id:19910704-2286⟧,⟦address:Drottninggatan 71⟧,⟦postcode:111 36⟧''')

# ----------------------------- ci ----------------------------------------
R("ci", "en", r'''Run actions/checkout@v4
Syncing repository: acme/⟪service:ledger-core⟫
git version ⟪version:2.43.0⟫
Fetching ref ⟪hash:${SHA}⟫
export AWS_SECRET_ACCESS_KEY=⟦api_key:${AWS}⟧
Error: Process completed with exit code ⟪code:128⟫.''')
R("ci", "en", r'''+ docker login -u ⟦email:ci-bot.imogen@example.com⟧ -p ⟦password:${PW}⟧ registry.example.com
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded
+ docker push registry.example.com/⟪service:api-gateway⟫:⟪version:1.9.12⟫''')
R("ci", "en", r'''[⟪timestamp:2024-08-12T10:01:44Z⟫] Step 4/9 : RUN npm config set //registry.npmjs.org/:_authToken=⟦api_key:npm_${TOK}abcd⟧
[⟪timestamp:2024-08-12T10:01:51Z⟫] ---> Running in ⟪hash:${HEX16}⟫''')
R("ci", "de", r'''Schritt 3/5: Tests ausführen
FEHLER: Test "Kunde anlegen" fehlgeschlagen: erwartet ⟦email:test.gesine@example.de⟧, erhalten null
Laufzeit: ⟪duration:2m 14s⟫, Build ⟪id:#4812⟫''')
R("ci", "en", r'''$ ./gradlew publish -PsigningKey="⟦private_key:${PEMJ}⟧" -PsigningPassword=⟦password:${PW}⟧
> Task :core:publish
BUILD SUCCESSFUL in ⟪duration:1m 32s⟫''')
R("ci", "en", r'''Cloning into '/Users/⟦home_path:bcotterill⟧/builds/mobile-app'...
HEAD is now at ⟪hash:${SHORTSHA}⟫ Bump version to ⟪version:6.0.0-rc.2⟫
fastlane match: Decrypting with passphrase ⟦password:${PW}⟧''')
R("ci", "en", r'''Job #⟪id:88123401⟫ failed: deploy to production
  url: https://deployer:⟦token:${TOK}⟧@git.example.com/acme/infra.git
  elapsed: ⟪duration:00:03:41⟫''')
R("ci", "es", r'''[paso 2] Ejecutando migraciones...
[paso 2] ERROR: no se pudo conectar a mysql://root:⟦password:${PW}⟧@⟦ip:${IP4}⟧:3306/tienda
[paso 2] duración: ⟪duration:12.8s⟫ código de salida: ⟪code:1045⟫''')
R("ci", "en", r'''#14 [build 6/8] RUN echo "//npm.pkg.github.com/:_authToken=⟦api_key:ghp_${TOK}Zz09⟧" > .npmrc
#14 DONE ⟪duration:0.4s⟫
#15 [build 7/8] RUN npm ci --no-audit''')
R("ci", "fr", r'''Étape « Tests d'intégration » échouée
Assertion : attendu « ⟦name:Ghislaine Vautrin⟧ », obtenu « null »
Pipeline ⟪id:5521⟫ – commit ⟪hash:${SHORTSHA}⟫ – durée ⟪duration:7 min 02 s⟫''')
R("ci", "en", r'''terraform apply -auto-approve
module.rds.aws_db_instance.main: Modifying... [id=⟪id:prod-orders-db⟫]
  ~ password = (sensitive value)
  ~ master_password_plain = "⟦password:${PW}⟧"
Apply complete! Resources: 0 added, 3 changed, 0 destroyed.''')
R("ci", "en", r'''circleci: Spin up environment  ⟪duration:2.4s⟫
Checkout code for ⟦email:j.crabtree@example.com⟧ (⟦name:Josephine Crabtree⟧)
Restoring cache key: v1-deps-⟪hash:${HEX32}⟫''')

# ----------------------------- k8s ---------------------------------------
R("k8s", "en", r'''⟪timestamp:2024-06-01T12:00:03Z⟫ ⟪pod:orders-api-5f7c9d8b44-k2mzp⟫ orders-api ERROR failed to charge customer ⟦email:maude.ellery@example.com⟧: ⟪code:CARD_DECLINED⟫''')
R("k8s", "en", r'''Events:
  Type     Reason     Age   From     Message
  Warning  Failed     ⟪duration:3m12s⟫  kubelet  Failed to pull image "registry.example.com/⟪service:billing⟫:⟪version:4.2.0⟫": unauthorized: authentication required for user ⟦email:ambrose.k@example.com⟧''')
R("k8s", "en", r'''$ kubectl get secret db-creds -o jsonpath='{.data.password}' | base64 -d
⟦password:${PW}⟧
$ kubectl get pods -n ⟪service:payments⟫
⟪pod:payments-worker-6b8d7f9c5-qq7xr⟫   1/1   Running   0   ⟪duration:4d2h⟫''')
R("k8s", "en", r'''{"kind":"Event","reason":"BackOff","involvedObject":{"name":"⟪pod:mailer-7f8b9c6d5-zx1lm⟫"},"message":"Back-off restarting failed container; last log: SMTP auth failed for ⟦email:noreply-silas@example.net⟧ password ⟦password:${PW}⟧"}''')
R("k8s", "de", r'''⟪pod:kundenportal-6c9d7b5f8-ab3kq⟫ kundenportal WARN Ungültige Telefonnummer für Kunde ⟦name:Frauke Lindemann⟧: "⟦phone:0172 5501938⟧"''')
R("k8s", "en", r'''    env:
    - name: SENTRY_DSN
      value: https://⟦api_key:${HEX32}⟧@o44812.ingest.example.io/⟪id:5511023⟫
    - name: LOG_LEVEL
      value: debug
    image: ⟪service:notifier⟫:⟪version:0.31.4⟫''')
R("k8s", "en", r'''⟪pod:ingress-nginx-controller-7b9c8d-4wqtn⟫ controller ⟦ip:${IP4}⟧ - - [⟪timestamp:01/Jun/2024:12:00:09 +0000⟫] "GET /u/⟦name:tabitha-grimsby⟧/settings HTTP/2.0" ⟪code:200⟫ 1412''')
R("k8s", "es", r'''⟪pod:facturacion-84b7c9f5d-mm2tv⟫ facturacion INFO Factura ⟪id:F-2024-08812⟫ enviada a ⟦email:baltasar.urquijo@example.es⟧ (⟪duration:311ms⟫)''')
R("k8s", "en", r'''Name:         ⟪pod:auth-5d8f7c6b9-lr8xz⟫
Namespace:    prod
Node:         ⟪host:ip-10-0-12-44.eu-west-1.compute.internal⟫/⟦ip:${IP4}⟧
Annotations:  debug/last-login: ⟦email:rufus.p@example.com⟧
Status:       Running''')
R("k8s", "pl", r'''⟪pod:platnosci-7c4d9f8b6-pt4ws⟫ platnosci ERROR Odrzucono przelew z konta ⟦iban:${IBAN}⟧ dla ⟦name:Zbigniew Kaczmarczyk⟧: ⟪code:LIMIT_EXCEEDED⟫''')
R("k8s", "en", r'''kubectl create secret generic gh --from-literal=token=⟦api_key:ghp_${TOK}Q1w2⟧ -n ⟪service:ci-runners⟫
secret/gh created''')
R("k8s", "it", r'''⟪pod:anagrafe-sync-5b6c7d8e9-jk2lp⟫ anagrafe-sync WARN record scartato: cf=⟦national_id:${CF}⟧ nome="⟦name:Rosalba Cantarutti⟧" motivo=⟪code:DUPLICATO⟫''')
# ----------------------------- stack_java --------------------------------
R("stack_java", "en", r'''java.lang.IllegalStateException: Customer not found: email=⟦email:lionel.vexley@example.com⟧
	at com.acme.crm.CustomerService.lookup(CustomerService.java:⟪count:214⟫)
	at com.acme.crm.api.CustomerController.get(CustomerController.java:88)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)''')
R("stack_java", "en", r'''org.postgresql.util.PSQLException: FATAL: password authentication failed for user "⟦name:cmalvern⟧"
	at org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)
Caused by: jdbc:postgresql://⟦ip:${IP4}⟧:5432/ledger?user=⟦name:cmalvern⟧&password=⟦password:${PW}⟧''')
R("stack_java", "de", r'''de.example.shop.ValidationException: Ungültige IBAN "⟦iban:${IBAN}⟧" für Kunde ⟦name:Ansgar Dreesen⟧
	at de.example.shop.payment.SepaValidator.check(SepaValidator.java:57)
	at de.example.shop.payment.CheckoutService.pay(CheckoutService.java:132)''')
R("stack_java", "en", r'''Exception in thread "⟪service:kafka-consumer-3⟫" com.fasterxml.jackson.core.JsonParseException: Unexpected character ('}' (code 125)) in {"user":"⟦name:Priscilla Honeyford⟧","phone":"⟦phone:+1-646-555-0112⟧",}
 at [Source: (String); line: 1, column: 61]''')
R("stack_java", "en", r'''javax.net.ssl.SSLHandshakeException: PKIX path building failed
	at sun.security.ssl.Alert.createSSLException(Alert.java:131)
	... 42 more
Request: POST https://api.partner.example.com/v2/verify?ssn=⟦national_id:${SSN}⟧&dob=⟦dob:${DOB}⟧ trace=⟪id:${HEX32}⟫''')
R("stack_java", "es", r'''com.example.banca.TransferenciaException: Saldo insuficiente en la cuenta ⟦iban:${IBAN}⟧ (titular: ⟦name:Amparo Zorrilla⟧), código ⟪code:SALDO_INSUFICIENTE⟫
	at com.example.banca.Transferencias.ejecutar(Transferencias.java:301)''')
R("stack_java", "en", r'''2024-04-11 08:22:10,551 ERROR [http-nio-8080-exec-7] c.a.a.AuthFilter - Invalid token ⟦token:${JWT}⟧
java.lang.SecurityException: signature does not match
	at com.acme.auth.JwtVerifier.verify(JwtVerifier.java:⟪count:118⟫)''')
R("stack_java", "en", r'''android.database.sqlite.SQLiteConstraintException: UNIQUE constraint failed: contacts.phone (code 2067)
  value: ⟦phone:(617) 555-0148⟧ name: ⟦name:Delphine Stroud⟧
	at android.database.sqlite.SQLiteConnection.nativeExecuteForChangedRowCount(Native Method)
  device: ⟦imei:${IMEI}⟧ app ⟪version:8.14.2⟫''')
R("stack_java", "it", r'''it.example.sanita.PrenotazioneException: Paziente ⟦name:Ermanno Pellegrini⟧ (CF ⟦national_id:${CF}⟧) già prenotato per ⟪timestamp:2024-10-03T09:30⟫
	at it.example.sanita.Agenda.prenota(Agenda.java:77)''')
R("stack_java", "en", r'''java.io.FileNotFoundException: C:\Users\⟦home_path:wiebke.brandt⟧\AppData\Local\Acme\config.properties (The system cannot find the file specified)
	at java.base/java.io.FileInputStream.open0(Native Method)
	at com.acme.desktop.Config.load(Config.java:⟪count:233⟫)''')

# ----------------------------- stack_py ----------------------------------
R("stack_py", "en", r'''Traceback (most recent call last):
  File "/home/⟦home_path:nabernathy⟧/src/etl/run.py", line 88, in <module>
    main()
  File "/home/⟦home_path:nabernathy⟧/src/etl/run.py", line 61, in main
    load(conn_str="postgresql://etl:⟦password:${PW}⟧@⟪host:warehouse.example.internal⟫/dw")
psycopg2.OperationalError: connection timed out''')
R("stack_py", "en", r'''Traceback (most recent call last):
  File "/srv/app/billing/charge.py", line 142, in charge
    resp = stripe.Charge.create(amount=⟪amount:4999⟫, source=card)
stripe.error.CardError: Request req_8fA2: Your card was declined. card=⟦card:${CARD}⟧ code=⟪code:card_declined⟫''')
R("stack_py", "en", r'''KeyError: 'email'
  locals: user={'id': ⟪id:5512093⟫, 'name': '⟦name:Silas Brockhurst⟧', 'phone': '⟦phone:+44 7700 900318⟧', 'dob': '⟦dob:1988-12-30⟧'}''')
R("stack_py", "de", r'''Traceback (most recent call last):
  File "/opt/crm/import.py", line 33, in <module>
    kunde = Kunde(name="⟦name:Rüdiger Pfannkuch⟧", strasse="⟦address:Schwanthalerstraße 104⟧", plz="⟦postcode:80336⟧")
ValueError: Telefonnummer fehlt''')
R("stack_py", "en", r'''  File "/Users/⟦home_path:hquenby⟧/.pyenv/versions/⟪version:3.11.7⟫/lib/python3.11/site-packages/requests/sessions.py", line 589, in request
requests.exceptions.ConnectionError: HTTPSConnectionPool(host='⟦ip:${IP4}⟧', port=8443): Max retries exceeded with url: /api?key=⟦api_key:${APIKEY}⟧''')
R("stack_py", "fr", r'''Traceback (most recent call last):
  File "/app/inscription.py", line 57, in valider
    raise ValueError(f"Adresse e-mail invalide : {email}")
ValueError: Adresse e-mail invalide : ⟦email:thibault.rochambeau@example.fr⟧''')
R("stack_py", "en", r'''django.db.utils.IntegrityError: duplicate key value violates unique constraint "accounts_profile_phone_key"
DETAIL:  Key (phone)=(⟦phone:+1 212 555 0199⟧) already exists.
[⟪timestamp:2024-07-19 16:44:02,117⟫] ERROR request_id=⟪id:${UUID}⟫''')
R("stack_py", "pt", r'''Traceback (most recent call last):
  File "/srv/loja/pagamento.py", line 71, in processar
    cobrar(cartao="⟦card:${CARD}⟧", titular="⟦name:Joaquim Brandão⟧")
pagamento.RecusadoError: ⟪code:CARTAO_RECUSADO⟫''')
R("stack_py", "en", r'''botocore.exceptions.ClientError: An error occurred (⟪code:InvalidAccessKeyId⟫) when calling the PutObject operation
  aws_access_key_id='⟦api_key:${AKIA}⟧', aws_secret_access_key='⟦api_key:${AWS}⟧'
  bucket='⟪service:acme-exports-prod⟫' ''')
R("stack_py", "hi", r'''Traceback (most recent call last):
  File "/app/kyc/verify.py", line 40, in verify
    raise KYCError(f"Aadhaar match nahi hua: {aadhaar} / {naam}")
KYCError: Aadhaar match nahi hua: ⟦national_id:${AADHAAR}⟧ / ⟦name:Omkar Jadhav⟧''')

# ----------------------------- stack_go ----------------------------------
R("stack_go", "en", r'''panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6a2f1d]

goroutine 42 [running]:
main.(*Handler).ServeHTTP(0xc0001a2000, {0x8f3a20, 0xc0002b4000}, 0xc000321200)
	/home/⟦home_path:gtamsett⟧/go/src/github.com/acme/⟪service:gateway⟫/handler.go:⟪count:117⟫ +0x1d''')
R("stack_go", "en", r'''time="⟪timestamp:2024-02-03T04:05:06Z⟫" level=fatal msg="failed to connect" error="dial tcp ⟦ip:${IP6}⟧:6379: connect: connection refused" redis_password=⟦password:${PW}⟧''')
R("stack_go", "en", r'''2024/05/17 11:02:33 http: panic serving ⟦ip:${IP4}⟧:50412: json: cannot unmarshal string into Go struct field Signup.age of type int
payload={"email":"⟦email:rufus.penhaligon@example.com⟧","age":"forty"}
goroutine 881 [running]:
net/http.(*conn).serve.func1()''')
R("stack_go", "es", r'''panic: pedido inválido: cliente="⟦name:Remedios Villalobos⟧" tel=⟦phone:+34 622 108 447⟧

goroutine 1 [running]:
main.procesar(...)
	/srv/pedidos/main.go:⟪count:203⟫''')
R("stack_go", "en", r'''E0611 09:14:22.881  ⟪count:1847⟫ controller.go:⟪count:329⟫] error syncing "prod/payments": Secret "stripe" data.key = "⟦api_key:sk_live_${TOK24}⟧": invalid''')
R("stack_go", "en", r'''goroutine 17 [IO wait]:
github.com/acme/vault-agent.(*Client).Login(0xc000140000, {0xc00001e0c0, 0x24}, {0xc00001e100, 0xa})
	vault login -method=userpass username=⟦name:imogen.farthing⟧ password=⟦password:${PW}⟧
	/build/agent/client.go:64 +0x2a5''')
R("stack_go", "pl", r'''panic: nieprawidłowy numer PESEL "⟦national_id:${PESEL}⟧" dla klienta ⟦name:Wojciech Szczepaniak⟧

goroutine 1 [running]:
main.weryfikuj(...)
	/app/kyc.go:⟪count:415⟫''')
R("stack_go", "en", r'''level=error ts=⟪timestamp:2024-09-09T19:20:21.223Z⟫ caller=webhook.go:88 err="POST https://hooks.example.com/notify?token=⟦token:${TOK}⟧ giving up after 5 attempt(s): context deadline exceeded"''')
R("stack_go", "nl", r'''panic: ongeldige postcode "⟦postcode:3511AX⟧" voor ⟦name:Bram Tjalsma⟧ (⟦address:Lange Nieuwstraat 8⟧)

goroutine 12 [running]:
main.valideer(...)''')

# ----------------------------- stack_js ----------------------------------
R("stack_js", "en", r'''TypeError: Cannot read properties of undefined (reading 'address')
    at formatCustomer (/app/src/customers.js:48:22)
    at /app/src/routes/orders.js:112:15
  customer: { name: '⟦name:Maude Ellery⟧', email: '⟦email:maude.e@example.org⟧', zip: '⟦postcode:10013⟧' }''')
R("stack_js", "en", r'''UnhandledPromiseRejectionWarning: MongoServerError: Authentication failed.
    at Connection.onMessage (/Users/⟦home_path:dstroud⟧/work/api/node_modules/mongodb/lib/cmap/connection.js:207:30)
  uri: 'mongodb+srv://app:⟦password:${PW}⟧@cluster0.example.mongodb.net/prod' ''')
R("stack_js", "en", r'''Error: Request failed with status code ⟪code:429⟫
    at createError (node_modules/axios/lib/core/createError.js:16:15)
  config.headers.Authorization: 'Bearer ⟦token:${JWT}⟧'
  config.url: '⟪path:/v1/inventory/sync⟫' ''')
R("stack_js", "fr", r'''Erreur : échec de l'envoi du SMS à ⟦phone:+33 7 81 44 20 19⟧ (⟦name:Solène Marchetti⟧)
    at envoyerSms (/srv/notif/sms.js:31:11)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)''')
R("stack_js", "en", r'''Uncaught (in promise) Error: Stripe: Invalid API Key provided: ⟦api_key:pk_live_${TOK24}⟧
    at https://checkout.example.com/assets/index-⟪hash:${HEX16}⟫.js:2:44120''')
R("stack_js", "en", r'''ValidationError: "dateOfBirth" must be in the past. Value: "⟦dob:2031-02-14⟧"
    at Object.validate (/srv/kyc/node_modules/joi/lib/index.js:107:19)
  user: ⟦email:desmond.al@example.com⟧ ssn: ⟦national_id:${SSN}⟧''')
R("stack_js", "pt", r'''Error: Falha ao salvar endereço "⟦address:Av. Sete de Setembro, 1520⟧" CEP ⟦postcode:40080-001⟧ para ⟦name:Luzia Figueiredo⟧
    at salvarEndereco (/app/src/cadastro.ts:92:9)''')
R("stack_js", "en", r'''RangeError: Maximum call stack size exceeded
    at renderAvatar (webpack:///./src/components/Avatar.jsx:14:3)
  props.src = "⟦photo_url:https://media.example.social/u/rpilcher/avatar_512.webp⟧"
  build ⟪version:3.0.0-beta.7⟫''')
R("stack_js", "sv", r'''Error: Ogiltigt personnummer "⟦national_id:19720915-3316⟧" för ⟦name:Torbjörn Ekdahl⟧
    at validera (/app/lib/kund.js:19:9)
    at Array.forEach (<anonymous>)''')

# ----------------------------- dogstatsd ---------------------------------
R("dogstatsd", "en", r'''⟪metric:checkout.payment.failed⟫:1|c|#env:prod,⟪service:checkout⟫,customer_email:⟦email:gideon.t@example.com⟧,reason:⟪code:card_declined⟫''')
R("dogstatsd", "en", r'''⟪metric:api.request.duration⟫:⟪duration:182.4⟫|ms|@0.5|#route:/v1/users,client_ip:⟦ip:${IP4}⟧,status:200''')
R("dogstatsd", "en", r'''⟪metric:auth.login.attempts⟫:1|c|#user:⟦name:Caspar Whitlow⟧,result:⟪code:failure⟫,region:eu-west-1''')
R("dogstatsd", "de", r'''⟪metric:shop.bestellung.wert⟫:⟪amount:129.90⟫|g|#kunde:⟦email:frauke.l@example.de⟧,plz:⟦postcode:50667⟧''')
R("dogstatsd", "en", r'''⟪metric:sms.sent⟫:1|c|#to:⟦phone:+15555550123⟧,template:⟪word:OTP_LOGIN⟫,code:⟦otp:${OTP}⟧''')
R("dogstatsd", "en", r'''⟪metric:session.active⟫:⟪count:4123⟫|g|#host:⟪host:ws-3.us-east-2.internal⟫,session:⟦token:${HEX32}⟧''')
R("dogstatsd", "es", r'''⟪metric:pagos.rechazados⟫:1|c|#tarjeta:⟦card:${CARDPLAIN}⟧,comercio:⟪id:MERCH-7712⟫''')
R("dogstatsd", "en", r'''_e{21,64}:Deploy failed on prod|Deployed by ⟦email:rowena.p@example.com⟧ commit ⟪hash:${SHORTSHA}⟫, rollback started|t:error|#⟪service:web⟫''')
R("dogstatsd", "en", r'''⟪metric:wallet.withdrawal.amount⟫:⟪amount:0.25⟫|h|#address:⟦wallet:${WALLET}⟧,chain:btc''')
R("dogstatsd", "it", r'''⟪metric:app.registrazioni⟫:1|c|#utente:⟦name:Ludovica Tagliaferri⟧,cf:⟦national_id:${CF}⟧,canale:web''')

# ----------------------------- prom --------------------------------------
R("prom", "en", r'''⟪metric:http_requests_total⟫{method="POST",path="/api/login",user_email="⟦email:tabitha.grimsby@example.com⟧",code="401"} 3''')
R("prom", "en", r'''⟪metric:api_request_duration_seconds_bucket⟫{le="0.25",client_ip="⟦ip:${IP4}⟧",route="⟪path:/v2/search⟫"} ⟪count:18812⟫''')
R("prom", "en", r'''# HELP ⟪metric:user_sessions_active⟫ Active sessions per user
# TYPE user_sessions_active gauge
user_sessions_active{user="⟦name:Ezra Fennimore⟧",session_id="⟦token:${HEX32}⟧"} 1''')
R("prom", "de", r'''⟪metric:bestellungen_gesamt⟫{kunde="⟦name:Ilse Hagedorn⟧",ort="Bremen",strasse="⟦address:Schlachte 31⟧"} ⟪count:127⟫''')
R("prom", "en", r'''⟪metric:sms_delivery_failures_total⟫{recipient="⟦phone:+44 7700 900112⟧",provider="⟪service:twilio⟫"} 2 ⟪timestamp:1718351211482⟫''')
R("prom", "en", r'''⟪metric:payment_attempts_total⟫{card="⟦card:${CARDPLAIN}⟧",result="declined"} 4''')
R("prom", "pl", r'''⟪metric:logowania_nieudane_total⟫{uzytkownik="⟦email:radek.ch@example.pl⟧",haslo="⟦password:${PW}⟧"} 6''')
R("prom", "en", r'''⟪metric:build_info⟫{version="⟪version:10.4.0.12⟫",revision="⟪hash:${SHA}⟫",builder="⟦home_path:pfennimore⟧@/home/⟦home_path:pfennimore⟧/build"} 1''')
R("prom", "en", r'''⟪metric:device_last_seen_timestamp⟫{imei="⟦imei:${IMEI}⟧",model="SM-G991B"} 1.718351211e+09''')
R("prom", "fr", r'''⟪metric:inscriptions_total⟫{nom="⟦name:Héloïse Carpentier⟧",telephone="⟦phone:06 12 88 40 37⟧"} 1''')
# ----------------------------- chat --------------------------------------
R("chat", "en", r'''[⟪timestamp:09:14⟫] ⟦name:harriet_q⟧: ⟦content:hey, did the refund for ORD-88120 ever go through? still nothing on my Visa⟧
[⟪timestamp:09:16⟫] support-bot: ⟦content:Let me check that for you, Harriet.⟧''')
R("chat", "en", r'''<⟦name:Barnaby⟧> ⟦content:my new number is 07700 900873, text me when you land⟧
<⟦name:Imogen⟧> ⟦content:will do x⟧''')
R("chat", "en", r'''Agent (⟦name:Mia⟧, Tier 2): ⟦content:Could you confirm the email on the account?⟧
Customer: ⟦content:sure it's ezra.fennimore@example.net and the postcode is BS8 1TH⟧
Agent (⟦name:Mia⟧, Tier 2): ⟦content:Thanks, ticket #552019 updated.⟧''')
R("chat", "de", r'''[⟪timestamp:2024-03-05 18:22⟫] ⟦name:Wiebke⟧: ⟦content:Kannst du mir das Passwort fürs WLAN nochmal schicken?⟧
[2024-03-05 18:23] ⟦name:Hauke⟧: ⟦content:klar: Leuchtturm#2024⟧''')
R("chat", "es", r'''⟦name:Montse⟧: ⟦content:Oye, ¿me pasas tu IBAN para devolverte lo de la cena?⟧
⟦name:Fermín⟧: ⟦content:ES91 2100 0418 4502 0005 1332, gracias!⟧''')
R("chat", "en", r'''{"channel":"#support","user":"⟪id:U04QX2L8T⟫","ts":"⟪timestamp:1712223311.004219⟫","text":"⟦content:customer Lionel says his card ending 8812 was charged twice on Monday⟧"}''')
R("chat", "fr", r'''⟦name:Anatole⟧ (10:02) : ⟦content:Salut, je t'envoie le code de la porte : 4B7219, et j'habite au 12 rue Mercière⟧
⟦name:Solène⟧ (10:05) : ⟦content:Parfait merci, j'arrive vers midi⟧''')
R("chat", "en", r'''User: ⟦content:I can't log in, my username is dstroud88 and I reset the password to Bluebell!77 yesterday⟧
Bot: ⟦content:I'm sorry about that. I've escalated this as case CS-2024-11822 (priority P2).⟧
[event ⟪id:evt_${HEX16}⟫ escalation_created queue=⟪service:tier1-support⟫]''')
R("chat", "pl", r'''[⟪timestamp:12:40⟫] ⟦name:Jadwiga⟧: ⟦content:Pani Grażyno, przesyłam numer konta do przelewu: 61 1090 1014 0000 0712 1981 2874⟧
[12:41] ⟦name:Grażyna⟧: ⟦content:Dziękuję, zrobię przelew jutro⟧''')
R("chat", "en", r'''**⟦name:Silas Brockhurst⟧** 3:41 PM
⟦content:Found the bug — the export script reads from my home dir, I'll push a fix before the Friday release⟧
**deploy-bot** 3:42 PM
⟦content:Build #7781 passed on ${SHORTSHA} in 6m 40s⟧''')
R("chat", "pt", r'''⟦name:Rodrigo⟧: ⟦content:amor, o código que chegou no teu celular é 551 908? preciso pra entrar no banco⟧
⟦name:Graça⟧: ⟦content:não passa esse código pra ninguém!!⟧''')
R("chat", "en", r'''[livechat] visitor_⟪id:8a1f22c0⟫ (⟦ip:${IP4}⟧): ⟦content:Hi, I'm Winifred, can someone call me at (303) 555-0164 about my order?⟧
[livechat] agent_joined: ⟪service:sales-desk⟫ at ⟪timestamp:2024-05-14T16:02:51Z⟫''')
R("chat", "it", r'''⟦name:Benedetta⟧: ⟦content:Ciao Ottavio, domani ti porto i documenti in Via Mazzini, a che ora sei a casa?⟧
⟦name:Ottavio⟧: ⟦content:Dopo le sei, grazie mille⟧''')
R("chat", "en", r'''#incident-4821 ⟦name:Nell Abernathy⟧: ⟦content:rolled back to 2.14.1, Priscilla please stop the batch job⟧
#incident-4821 pagerduty: ⟦content:Incident Q1W8ZK3 resolved after 37 min⟧''')
R("chat", "nl", r'''⟦name:Anouk⟧: ⟦content:Hoi, mijn nieuwe adres is Prinsengracht 263, kun je het pakket daarheen sturen?⟧
Klantenservice: ⟦content:Natuurlijk, ik pas het aan voor bestelling NL-2024-55810.⟧''')
R("chat", "en", r'''system: ⟦name:Gideon⟧ joined the room
⟦name:Gideon⟧: ⟦content:here's the key for staging, don't share: AKIAQ7XK2M9PL4RT8WZE⟧
system: message flagged by DLP (rule DLP-AWS-01)''')
R("chat", "sv", r'''⟦name:Ingrid⟧: ⟦content:Hej! Kan du swisha 250 kr till 070-118 22 94?⟧
⟦name:Björn⟧: ⟦content:Japp, gjort nu⟧''')
R("chat", "en", r'''WhatsApp export
⟪timestamp:14/02/2024, 21:07⟫ - ⟦name:Rufus⟧: ⟦content:happy valentine's, dinner's booked at 8, table under Penhaligon⟧
⟪timestamp:14/02/2024, 21:09⟫ - ⟦name:Tabitha⟧: ⟦content:<Media omitted>⟧''')
R("chat", "hi", r'''⟦name:Meenakshi⟧: ⟦content:bhaiya mera naya number 98310 44721 hai, save kar lo⟧
⟦name:Shreyas⟧: ⟦content:theek hai, kal call karta hoon⟧''')
R("chat", "en", r'''{"conversation_id":"⟪id:${UUID}⟫","turns":[{"role":"user","content":"⟦content:my DOB is 4 March 1985 and my SSN ends 4471, why was I rejected?⟧"},{"role":"assistant","content":"⟦content:I can't see that information, but error KYC_407 means the document expired.⟧"}]}''')
R("chat", "en", r'''Teams | ⟦name:Desmond Ashworth-Lyle⟧ → ⟦name:Cedric Malvern⟧: ⟦content:can you approve the PO for the Lisbon offsite? it's 14,200 EUR⟧''')
R("chat", "de", r'''[Support-Chat ⟪id:#99812⟫] Kunde: ⟦content:Guten Tag, ich bin Frau Lindemann, meine Kreditkarte wurde zweimal belastet.⟧
[Support-Chat #99812] Agent: ⟦content:Das tut mir leid, ich prüfe das sofort.⟧''')

# ----------------------------- prose -------------------------------------
R("prose", "en", r'''Hi team, customer ⟦name:Harriet Quenby⟧ (⟦email:harriet.quenby@example.co.uk⟧) called about order ⟪id:100023847562⟫ — she was billed ⟪amount:£42.10⟫ instead of ⟪amount:£24.10⟫. Can someone from billing look before ⟪word:Thursday⟫?''')
R("prose", "en", r'''Ticket ⟪id:#44120⟫: Mr. ⟦name:Kettleworth⟧ reports the app crashes on launch since version ⟪version:5.4.0⟫. Device IMEI ⟦imei:${IMEI}⟧, contact ⟦phone:+1 (646) 555-0177⟧.''')
R("prose", "de", r'''Sehr geehrte Frau ⟦name:Brandt⟧,
vielen Dank für Ihre Nachricht. Wir haben Ihre neue Anschrift (⟦address:Holtenauer Straße 144⟧, ⟦postcode:24105⟧ Kiel) gespeichert. Ihre Kundennummer bleibt ⟪id:KD-00918223⟫.
Mit freundlichen Grüßen
⟦name:Detlef Kühnlein⟧''')
R("prose", "es", r'''Hola, soy ⟦name:Inmaculada Berrocal⟧. Nací el ⟦dob:12 de abril de 1976⟧ y mi DNI es ⟦national_id:${NIF}⟧. Necesito cambiar la dirección de envío a ⟦address:Calle del Pez 14, 2º B⟧, ⟦postcode:28004⟧ Madrid. Gracias.''')
R("clean", "en", r'''Escalation: the partner API returned ⟪code:503⟫ for ⟪count:1432⟫ requests between ⟪timestamp:02:00⟫ and 02:45 UTC. No customer data affected. Root cause: ⟪host:lb-7.eu-west.internal⟫ ran out of file descriptors. — SRE on-call''')
R("prose", "fr", r'''Bonjour, je m'appelle ⟦name:Ghislaine Vautrin⟧ et je n'arrive plus à me connecter. Mon numéro est le ⟦phone:06 45 18 90 22⟧, mon adresse ⟦address:3 allée des Acacias⟧, ⟦postcode:44300⟧ Nantes. Merci de me rappeler.''')
R("prose", "en", r'''Please wire the deposit to our escrow: account ⟦bank_account:${D10}⟧, routing ⟦routing:${ABA}⟧, reference ⟪id:INV-2024-0419⟫. Questions? Ask ⟦name:Josephine⟧ in accounts.''')
R("prose", "en", r'''Forgot password? Use code ⟦otp:${OTP}⟧ to sign in. It expires in ⟪duration:10 minutes⟫. If you didn't request this, ignore this message.''')
R("prose", "pl", r'''Dzień dobry, nazywam się ⟦name:Radosław Chmielewski⟧, PESEL ⟦national_id:${PESEL}⟧. Proszę o zmianę adresu na ⟦address:ul. Mickiewicza 27 m. 3⟧, ⟦postcode:60-833⟧ Poznań. Hasło do konta: ⟦password:Kasztan2019⟧ (wiem, że nie powinienem go wysyłać).''')
R("prose", "en", r'''From the incident review: at ⟪timestamp:14:02 UTC⟫ ⟦name:Priscilla Honeyford⟧ rotated the key but the old one (⟦api_key:${APIKEY}⟧) was still cached on ⟪host:worker-3.batch.internal⟫ for ⟪duration:45 minutes⟫.''')
R("prose", "it", r'''Gentile Sig. ⟦name:Lombardozzi⟧, le confermiamo l'appuntamento di ⟪word:Martedì⟫ alle 15:00. Per modifiche chiami il ⟦phone:+39 06 4471 2290⟧. Codice pratica ⟪id:AP-22810⟫.''')
R("prose", "en", r'''Dear ⟦name:Imogen⟧,
Your card ending in 4821 was used for a purchase of ⟪amount:$318.40⟫ at Northwind Outfitters. The full card number on file is ⟦card:${CARD}⟧ — if this wasn't you, call us.
— ⟪word:Fraud Prevention⟫''')
R("prose", "pt", r'''Olá, sou a ⟦name:Luzia Figueiredo⟧, nascida em ⟦dob:22/08/1992⟧. O meu NIF é ⟦national_id:${NIF}⟧ e a minha morada é ⟦address:Travessa do Carmo, 9⟧, ⟦postcode:1200-095⟧ Lisboa. Podem atualizar os meus dados?''')
R("prose", "en", r'''Send payment to my wallet ⟦wallet:${BECH}⟧ or, if that fails, the ETH one ⟦wallet:${ETH}⟧. Invoice ⟪id:INV-88120⟫, total ⟪amount:1,250.00 USDC⟫.''')
R("prose", "en", r'''Note from ⟦name:Gideon Tamsett⟧: the laptop image for new hires is at /Users/⟦home_path:gtamsett⟧/Images/base-⟪version:14.5.1⟫.dmg until IT moves it.''')
R("prose", "hi", r'''Namaste, mera naam ⟦name:Harpreet Dhillon⟧ hai. Mera Aadhaar ⟦national_id:${AADHAAR}⟧ hai aur mobile ⟦phone:+91 98140 55012⟧. Pata: ⟦address:House No. 221, Model Town⟧, ⟦postcode:141002⟧. Kripya KYC update kar dijiye.''')
R("prose", "en", r'''Candidate ⟦name:Tabitha Grimsby⟧, born on ⟦dob:1994-07-21⟧, NI number ⟦national_id:${NINO}⟧, starts on ⟪word:Monday⟫ in the ⟪word:Platform⟫ team. Salary band L4.''')
R("prose", "en", r'''Heads-up: our SSH deploy key leaked in a gist. Here it is so you can grep for it:
⟦private_key:${PEM}⟧
Rotated at ⟪timestamp:2024-06-12T08:00Z⟫.''')
R("prose", "nl", r'''Beste meneer ⟦name:Wijnbergen⟧, uw bestelling ⟪id:NL-88102⟫ wordt ⟪word:donderdag⟫ bezorgd op ⟦address:Van Baerlestraat 92⟧, ⟦postcode:1071 BB⟧ Amsterdam. Vragen? Bel ⟦phone:+31 20 555 0192⟧.''')
R("prose", "en", r'''The photo on her profile (⟦photo_url:https://cdn.example.com/users/delphine.stroud/headshot.jpg⟧) is outdated; please replace it with the one from the ⟪word:September⟫ shoot.''')
R("prose", "sv", r'''Hej ⟦name:Astrid⟧! Din beställning ⟪id:SE-44102⟫ skickas till ⟦address:Vasagatan 12⟧, ⟦postcode:411 24⟧ Göteborg. Vid frågor, ring ⟦phone:+46 31 555 0182⟧. Hälsningar, ⟦name:Torbjörn⟧''')
R("prose", "en", r'''Password for the shared Wi-Fi in the Leeds office is ⟦password:Kingfisher-2024⟧; guest network is open. Printer is ⟪host:print-02.leeds.corp.internal⟫.''')
R("prose", "en", r'''Hi, my account was locked after I entered the wrong PIN (⟦otp:4471⟧, I think). I'm ⟦name:Ambrose Kettleworth⟧, phone ⟦phone:020 7946 0455⟧. Thanks!''')
R("prose", "es", r'''Estimado Sr. ⟦name:Urquijo⟧: su contraseña temporal es ⟦password:Tmp-88aQ2x⟧. Por seguridad, cámbiela antes del ⟪word:lunes⟫. Referencia ⟪id:SOL-2024-7712⟫.''')
R("prose", "en", r'''Receipt #⟪id:R-449120⟫ — ⟪amount:$89.00⟫ charged to ⟦card:${AMEX}⟧ on behalf of ⟦name:Rowena Pilcher⟧, ⟦address:88 Thistlewood Lane⟧, Bath ⟦postcode:BA1 5LT⟧.''')
R("prose", "fr", r'''Monsieur ⟦name:Rochambeau⟧, votre numéro de sécurité sociale ⟦national_id:1 84 12 75 115 042 15⟧ a bien été enregistré. Votre dossier ⟪id:DS-77120⟫ est en cours.''')
R("prose", "en", r'''Reminder for ⟦name:Ezra⟧: your DMV appointment is on ⟪word:Wednesday⟫. Bring your SSN card (⟦national_id:${SSN}⟧) and proof of address (⟦address:1457 Juniper Hollow Rd⟧, ⟦postcode:80203⟧).''')
R("prose", "de", r'''Hallo Herr ⟦name:Ostendorf⟧, Ihr Einmalpasswort lautet ⟦otp:${OTP}⟧. Es ist ⟪duration:5 Minuten⟫ gültig. Ihr ⟪word:Sparkassen⟫-Team''')
R("prose", "en", r'''Bug report from ⟦email:nell.abernathy@example.org⟧: after upgrading to ⟪version:4.2.0.1⟫ the sync job (⟪id:job-5f3e2a⟫) hangs at 98%.''')
R("prose", "it", r'''Egregio ⟦name:Ermanno Pellegrini⟧, il bonifico di ⟪amount:€ 320,00⟫ è stato accreditato sull'IBAN ⟦iban:${IBAN}⟧. Cordiali saluti, ⟦name:Benedetta Scarpellini⟧''')
# ----------------------------- syslog ------------------------------------
R("syslog", "en", r'''Mar 14 09:12:44 ⟪host:bastion-1⟫ sshd[⟪id:22817⟫]: Accepted publickey for ⟦name:cmalvern⟧ from ⟦ip:${IP4}⟧ port 51822 ssh2: RSA SHA256:⟪hash:q8V2m4kY1Xo0bZcN7pT3sR5uW9eL6fH2aJ4dG8iK0Mw⟫''')
R("syslog", "en", r'''Mar 14 09:13:02 ⟪host:bastion-1⟫ sshd[22901]: Failed password for invalid user ⟦name:hquenby⟧ from ⟦ip:${IP6}⟧ port 40122 ssh2''')
R("syslog", "en", r'''<⟪code:134⟫>1 ⟪timestamp:2024-05-02T14:22:01.004Z⟫ ⟪host:mail-2.example.net⟫ postfix/smtp ⟪id:4412⟫ - - 4VxQ2k1Zz9: to=<⟦email:winifred.oakes@example.com⟧>, relay=mx.example.com[⟦ip:${IP4}⟧]:25, delay=⟪duration:0.41⟫, status=sent (250 2.0.0 OK)''')
R("syslog", "de", r'''Jun 21 08:15:30 ⟪host:fw-01⟫ kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟦ip:${IP4}⟧ DST=⟦ip:10.0.0.5⟧ LEN=60 PROTO=TCP SPT=55122 DPT=22 Kommentar="Login ⟦name:Ansgar Dreesen⟧"''')
R("syslog", "en", r'''Apr  2 17:40:03 ⟪host:web-04⟫ sudo: ⟦name:gtamsett⟧ : TTY=pts/1 ; PWD=/home/⟦home_path:gtamsett⟧ ; USER=root ; COMMAND=/usr/bin/systemctl restart ⟪service:nginx⟫''')
R("syslog", "en", r'''Jul  1 06:00:12 ⟪host:vpn-gw⟫ openvpn[1021]: ⟦name:rowena.pilcher⟧/⟦ip:${IP4}⟧:61877 MULTI_sva: pool returned IPv4=⟦ip:10.8.0.14⟧, IPv6=(Not enabled)''')
R("syslog", "en", r'''<38>Feb  3 04:05:06 ⟪host:auth-01⟫ dovecot: imap-login: Login: user=<⟦email:silas@mail.example.org⟧>, method=PLAIN, rip=⟦ip:${IP4}⟧, lip=⟦ip:10.1.1.4⟧, mpid=⟪id:33120⟫, TLS''')
R("syslog", "es", r'''Nov  5 07:58:01 ⟪host:srv-pagos⟫ app[⟪id:3112⟫]: ERROR tarjeta rechazada ⟦card:${CARD}⟧ titular=⟦name:Nicanor Quesada⟧ motivo=⟪code:FONDOS_INSUFICIENTES⟫''')
R("syslog", "en", r'''Oct 27 04:11:38 ⟪host:radius-1⟫ radiusd[⟪id:992⟫]: (1182) Login incorrect (pap: Cleartext password "⟦password:${PW}⟧" does not match "known good" password): [⟦email:caspar.whitlow@corp.example.net⟧] (from client ap-3f port 0 cli ⟦ip:${IP4}⟧)''')
R("syslog", "fr", r'''Mar 30 19:02:47 ⟪host:crm-fr-1⟫ crm[2231]: WARN client ⟦name:Maëlle Fauchard⟧ (⟦phone:+33 6 22 81 40 17⟧) a demandé la suppression de son compte ⟪id:FR-99120⟫''')
R("syslog", "en", r'''Dec 12 23:59:59 ⟪host:ci-runner-2⟫ systemd[1]: Started Session ⟪id:4412⟫ of user ⟦name:nabernathy⟧.''')
R("syslog", "en", r'''Aug 16 10:33:20 ⟪host:dhcp-1⟫ dhcpd[771]: DHCPACK on ⟦ip:${IP4}⟧ to 3c:22:fb:9a:10:4e (⟦name:Cedrics-MacBook-Pro⟧) via eth1''')
R("syslog", "pl", r'''Nov  5 08:01:12 ⟪host:bank-api-3⟫ bank[⟪id:4478⟫]: INFO przelew z ⟦iban:${IBAN}⟧ na kwotę ⟪amount:1200.00 PLN⟫ zlecił ⟦name:Bożena Grzybowska⟧''')
R("syslog", "en", r'''May  9 03:01:55 ⟪host:lb-prod-3⟫ haproxy[2211]: ⟦ip:${IP6}⟧:443 [09/May/2024:03:01:55.921] fe_https be_api/api-2 0/0/2/88/90 200 1422 - - ---- 12/12/1/0/0 0/0 {⟦email:d.stroud@example.com⟧} "GET /v1/profile HTTP/1.1"''')

# ----------------------------- email_headers -----------------------------
R("email_headers", "en", r'''From: ⟦name:Harriet Quenby⟧ <⟦email:harriet.quenby@example.co.uk⟧>
To: ⟦email:support@example.com⟧
Subject: Re: Order ⟪id:100023847562⟫
Date: ⟪timestamp:Thu, 14 Mar 2024 09:12:44 +0000⟫
Message-ID: <${HEX16}@mail.example.co.uk>
X-Ticket: ⟪id:TCK-${D8}⟫''')
R("email_headers", "en", r'''Received: from [⟦ip:${IP4}⟧] (helo=⟦name:LIONELS-LAPTOP⟧) by mx1.example.com with esmtpsa (TLS1.3) id ⟪id:1rXq2n-0007Ab-3K⟫; Tue, 02 Apr 2024 17:40:03 +0100
Return-Path: <⟦email:lionel.vexley@example.com⟧>''')
R("email_headers", "de", r'''Von: ⟦name:Gesine Trautmann⟧ <⟦email:g.trautmann@firma.example.de⟧>
An: ⟦name:Wolfram Steinhäuser⟧ <⟦email:wolfram.steinhaeuser@firma.example.de⟧>
Betreff: Gehaltsabrechnung ⟪word:Oktober⟫
X-Mailer: Microsoft Outlook ⟪version:16.0.17328.20162⟫''')
R("email_headers", "en", r'''Authentication-Results: mx.example.com; dkim=pass header.d=example.org; spf=pass smtp.mailfrom=⟦email:ellery.maude@example.org⟧
Reply-To: "⟦name:Maude Ellery⟧" <⟦email:maude.e@example.org⟧>
X-Originating-IP: [⟦ip:${IP4}⟧]''')
R("email_headers", "es", r'''De: "⟦name:Amparo Zorrilla⟧" <⟦email:amparo.zorrilla@example.es⟧>
Para: ⟦email:facturas@proveedor.example.es⟧
Asunto: Factura ⟪id:F-2024-00412⟫ – pago con tarjeta ⟦card:${CARD}⟧
Fecha: ⟪timestamp:Lun, 11 Mar 2024 10:02:11 +0100⟫''')
R("email_headers", "en", r'''Delivered-To: ⟦email:gideon.tamsett@example.com⟧
Received: by ⟦ip:2002:a05:6a10:8b12:b0:4a1:2c3d:e4f5⟧ with SMTP id ⟪id:g18csp4412120pxb⟫
X-Google-Smtp-Source: ⟪hash:AGHT+IF8xq2Lm9Vb3nC7kRt1Yw0ZsD4pHe6jU5oQiN8gMaB2cXvT⟫''')
R("email_headers", "fr", r'''De : ⟦name:Thibault Rochambeau⟧ <⟦email:t.rochambeau@example.fr⟧>
À : ⟦name:Héloïse Carpentier⟧ <⟦email:heloise.c@example.fr⟧>
Cc : ⟦email:compta@example.fr⟧
Objet : RIB pour le remboursement – ⟦iban:${IBAN}⟧''')
R("email_headers", "en", r'''To: undisclosed-recipients:;
Bcc: ⟦email:barnaby.cotterill@example.net⟧, ⟦email:imogen.f@example.net⟧
List-Unsubscribe: <https://news.example.com/unsub?u=⟦email:barnaby.cotterill%40example.net⟧&list=⟪id:weekly-digest⟫>''')
R("email_headers", "it", r'''Da: ⟦name:Ludovica Tagliaferri⟧ <⟦email:ludovica.t@posta.example.it⟧>
A: ⟦email:ufficio.personale@example.it⟧
Oggetto: Certificato medico – CF ⟦national_id:${CF}⟧
Data: ⟪timestamp:Mer, 18 Set 2024 14:20:55 +0200⟫''')
R("email_headers", "en", r'''X-Sender-IP: ⟦ip:${IP6}⟧
X-Envelope-From: <⟦email:bounce+rufus.penhaligon=example.com@mailer.example.net⟧>
X-MS-Exchange-Organization-SCL: -1
X-Spam-Score: ⟪amount:2.4⟫''')
R("email_headers", "pt", r'''De: ⟦name:Joaquim Brandão⟧ <⟦email:joaquim.brandao@example.com.br⟧>
Para: ⟦name:Conceição Tavares⟧ <⟦email:conceicao.t@example.com.br⟧>
Assunto: Contrato assinado – CPF ⟦national_id:311.442.870-30⟧''')
R("email_headers", "en", r'''Sender: ⟦name:Winifred Oakes⟧ <⟦email:woakes@example.org⟧>
X-Mailer: Apple Mail (⟪version:3774.500.171.1.1⟫)
In-Reply-To: <CAF8x2=mQ7kL@mail.example.org>
Subject: my new mobile is ⟦phone:07700 900634⟧''')

# ----------------------------- url ---------------------------------------
R("url", "en", r'''https://app.example.com/signup?email=⟦email:tabitha.grimsby%40example.com⟧&plan=⟪word:Business⟫&ref=⟪id:ad_2291⟫''')
R("url", "en", r'''https://maps.example.com/directions?from=⟦address:14+Wexford+Mews⟧,+⟦postcode:CB2+1TN⟧&to=Stansted+Airport''')
R("url", "en", r'''https://api.example.com/v1/reset?token=⟦token:${TOK48}⟧&user=⟪id:${UUID}⟫''')
R("url", "de", r'''https://www.example.de/suche?vorname=⟦name:Henrike⟧&nachname=⟦name:Vollmer⟧&geburtstag=⟦dob:1983-06-11⟧''')
R("url", "en", r'''ftp://⟦name:ekdahl⟧:⟦password:${PW}⟧@⟦ip:${IP4}⟧:2121/pub/releases/⟪version:1.0.3⟫/''')
R("url", "es", r'''https://tienda.example.es/pedido/confirmar?telefono=⟦phone:%2B34%20655%20201%20874⟧&dni=⟦national_id:${NIF}⟧&pedido=⟪id:TIE-77120⟫''')
R("url", "en", r'''http://[⟦ip:${IP6}⟧]:8080/admin/login?next=/dashboard''')
R("url", "en", r'''https://cdn.example.social/profile_images/⟦photo_url:1447329812/priscilla_honeyford_400x400.jpg⟧''')
R("url", "fr", r'''https://banque.example.fr/virement?beneficiaire=⟦name:Anatole⟧%20⟦name:Crépin⟧&iban=⟦iban:${IBAN}⟧&montant=⟪amount:250.00⟫''')
R("url", "en", r'''https://hooks.example.com/services/⟦api_key:${TOK}⟧?channel=%23alerts&version=⟪version:10.2.0.1⟫''')
R("url", "pl", r'''https://sklep.example.pl/zamowienie?imie=⟦name:Zbigniew⟧&telefon=⟦phone:%2B48%20512%20330%20987⟧&kod=⟦postcode:02-495⟧&id=⟪id:ZAM-99120⟫''')
R("url", "en", r'''https://pay.example.com/checkout?pan=⟦card:${CARDPLAIN}⟧&exp=0927&cvc=⟦otp:${D4}⟧&session=⟦token:${HEX32}⟧''')
R("url", "en", r'''https://auth.example.com/callback?code=⟦token:${TOK}⟧&state=⟪id:st_${HEX16}⟫&id_token=⟦token:${JWT}⟧''')
R("url", "en", r'''https://explorer.example.io/address/⟦wallet:${WALLET}⟧?tab=transactions&page=⟪count:144⟫''')
# ----------------------------- clean (no secrets) ------------------------
R("clean", "en", r'''{"ts":"⟪timestamp:2024-03-14T09:12:44.512Z⟫","level":"info","service":"⟪service:billing-api⟫","msg":"charge created","user_id":"⟪id:${UUID}⟫","amount":⟪amount:149.99⟫,"duration_ms":⟪duration:212⟫}''')
R("clean", "en", r'''level=info msg="agent started" version=⟪version:10.2.0.1⟫ build=⟪hash:${SHA}⟫ host=⟪host:api-7.eu-west.internal⟫ uptime=⟪duration:0.41s⟫''')
R("clean", "en", r'''⟪metric:http.server.request.duration⟫:⟪duration:23.7⟫|ms|#⟪service:checkout⟫,route:/v1/cart,status:⟪code:200⟫''')
R("clean", "en", r'''⟪metric:process_resident_memory_bytes⟫{job="⟪service:node-exporter⟫",instance="⟪host:node-12.prod.internal:9100⟫"} ⟪count:214958080⟫''')
R("clean", "en", r'''Trace ⟪id:${NONLUHN16}⟫ finished in ⟪duration:1.284s⟫ (spans=⟪count:412⟫, errors=0)''')
R("clean", "en", r'''Order ⟪id:ORD-2024-0091822⟫ shipped on ⟪word:Tuesday⟫ via ⟪word:Express⟫; total ⟪amount:$1,204.50⟫, 14 items.''')
R("clean", "en", r'''java.util.concurrent.TimeoutException: Request ⟪id:${UUID}⟫ timed out after ⟪duration:30000 ms⟫
	at com.acme.gateway.Router.forward(Router.java:211)
	at com.acme.gateway.Router.handle(Router.java:147)''')
R("clean", "en", r'''Traceback (most recent call last):
  File "/usr/lib/python3.11/asyncio/tasks.py", line 490, in wait_for
    return fut.result()
asyncio.exceptions.CancelledError
  task=⟪id:sync-batch-${HEX16}⟫ elapsed=⟪duration:12.01s⟫''')
R("clean", "en", r'''panic: runtime error: index out of range [⟪count:1024⟫] with length 1024

goroutine 88 [running]:
github.com/acme/⟪service:ingest⟫/pkg/buffer.(*Ring).Push(...)
	/build/pkg/buffer/ring.go:57 +0x1f4''')
R("clean", "en", r'''Deploy ⟪id:#7781⟫ of ⟪service:search-indexer⟫ ⟪version:v3.18.2⟫ (commit ⟪hash:${SHORTSHA}⟫) completed in ⟪duration:4m12s⟫ across 12 pods.''')
R("clean", "en", r'''GET ⟪path:/api/v2/orders/8812/items⟫ HTTP/1.1
Host: ⟪host:api.example.com⟫
X-Request-Id: ⟪id:${UUID}⟫
Accept: application/json''')
R("clean", "en", r'''HTTP/1.1 ⟪code:429⟫ Too Many Requests
Retry-After: 30
X-RateLimit-Limit: ⟪count:1000⟫
X-Trace-Id: ⟪id:${HEX32}⟫''')
R("clean", "en", r'''SELECT order_id, status, total FROM orders WHERE created_at > '⟪timestamp:2024-01-01 00:00:00⟫' AND status = '⟪code:REFUNDED⟫' LIMIT 100; -- ⟪duration:84.2 ms⟫''')
R("clean", "en", r'''metric,host,value
⟪metric:jvm.gc.pause⟫,⟪host:kafka-3.eu-central.internal⟫,⟪duration:0.044⟫
⟪metric:jvm.threads.live⟫,⟪host:kafka-3.eu-central.internal⟫,⟪count:311⟫''')
R("clean", "en", r'''replicas: 3
image: registry.example.com/⟪service:orders-api⟫:⟪version:4.12.0⟫
resources:
  limits:
    memory: 512Mi
readinessProbe:
  httpGet:
    path: ⟪path:/healthz⟫''')
R("clean", "en", r'''⟪pod:orders-api-5f7c9d8b44-k2mzp⟫ 1/1 Running 0 ⟪duration:4d2h⟫ ⟪host:ip-10-0-12-44.eu-west-1.compute.internal⟫''')
R("clean", "en", r'''⟪word:Jenkins⟫ build ⟪id:#4412⟫ for ⟪service:mobile-app⟫ on branch release/⟪version:6.0.0⟫ — ⟪code:SUCCESS⟫ in ⟪duration:18 min⟫''')
R("clean", "en", r'''[⟪timestamp:2024-06-01T12:00:03Z⟫] ⟪word:Cassandra⟫ compaction finished on keyspace ⟪service:events⟫: ⟪count:48211⟫ sstables merged''')
R("clean", "en", r'''Release notes for ⟪version:2024.6.1⟫: the ⟪word:Phoenix⟫ scheduler replaces ⟪word:Atlas⟫; default timeout is now ⟪duration:45s⟫.''')
R("clean", "en", r'''Payment ⟪id:pi_3PXq2nLkd8Vb⟫ failed with ⟪code:INSUFFICIENT_FUNDS⟫ for amount ⟪amount:89.00⟫ EUR (attempt 2 of 3).''')
R("clean", "en", r'''⟪timestamp:1718351211482⟫ ⟪service:edge-proxy⟫ ⟪code:502⟫ ⟪path:/v1/catalog/items⟫ ⟪duration:3012ms⟫ upstream=⟪host:catalog-2.us-east-1.internal⟫''')
R("clean", "en", r'''Invoice ⟪id:INV-2024-00041277⟫ dated ⟪word:March⟫ 31: ⟪amount:12,480.00 USD⟫ for ⟪count:312⟫ seats of ⟪word:Enterprise⟫.''')
R("clean", "en", r'''CVE-2024-3094 scan: 0 affected packages; xz-utils at ⟪version:5.4.1⟫ on all ⟪count:218⟫ hosts.''')
R("clean", "en", r'''sha256:⟪hash:${HEX64}⟫ pushed to registry.example.com/⟪service:ledger-core⟫:⟪version:1.42.0⟫''')
R("clean", "en", r'''Error ⟪code:E_CONN_RESET⟫ on shard ⟪id:shard-0017⟫ after 3 retries; backing off ⟪duration:800ms⟫.''')
R("clean", "en", r'''# HELP ⟪metric:http_request_duration_seconds⟫ Request latency
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.5",route="⟪path:/v2/search⟫"} ⟪count:98123⟫''')
R("clean", "en", r'''⟪metric:queue.depth⟫:⟪count:4120⟫|g|#queue:⟪service:email-outbound⟫,region:us-east-1''')
R("clean", "en", r'''user ⟪id:884102731⟫ upgraded plan from ⟪word:Starter⟫ to ⟪word:Growth⟫ on ⟪timestamp:2024-07-19⟫; MRR +⟪amount:49.00⟫''')
R("clean", "en", r'''TypeError: Cannot read properties of null (reading 'map')
    at ProductGrid (webpack:///./src/components/ProductGrid.tsx:⟪count:112⟫:18)
    at renderWithHooks (node_modules/react-dom/cjs/react-dom.development.js:16305:18)''')
R("clean", "en", r'''curl -s https://api.example.com/v1/status | jq .version   # → "⟪version:7.3.1⟫", build ⟪id:${NONLUHN13}⟫''')
R("clean", "en", r'''Monday standup: ⟪word:Grafana⟫ dashboards migrated, ⟪word:Kafka⟫ upgrade to ⟪version:3.7.0⟫ scheduled for ⟪word:Friday⟫, p99 latency down to ⟪duration:180ms⟫.''')
R("clean", "en", r'''Batch ⟪id:${UUID}⟫: processed ⟪count:1048576⟫ rows in ⟪duration:00:12:44⟫, rejected ⟪count:217⟫ (⟪code:SCHEMA_MISMATCH⟫).''')
R("clean", "en", r'''Mar 14 09:15:00 ⟪host:web-04⟫ systemd[1]: ⟪service:nginx⟫.service: Reloaded A high performance web server. Duration ⟪duration:112ms⟫.''')
R("clean", "en", r'''Message-ID: <${HEX16}.${D10}@mailer.example.com>
X-Campaign: ⟪id:spring-sale-2024⟫
X-Mailer: ⟪service:Postmark⟫''')
R("clean", "en", r'''https://docs.example.com/api/v2/reference?section=⟪word:Webhooks⟫&lang=en#retries''')
R("clean", "en", r'''firmware ⟪version:4.2.0.1⟫ installed on 88 gateways; rollback image ⟪hash:${SHA}⟫ retained for ⟪duration:30 days⟫.''')
R("clean", "en", r'''ERROR [⟪service:scheduler⟫] job ⟪id:nightly-reconcile⟫ exceeded SLA: ⟪duration:2h 14m⟫ > 2h (code ⟪code:SLA_BREACH⟫)''')
R("clean", "en", r'''Account ⟪id:acct_000918223⟫ balance ⟪amount:-312.44⟫ after 17 ledger entries; reconciliation OK.''')
R("clean", "en", r'''Sentry issue ⟪id:ACME-WEB-3K9⟫: ⟪count:1203⟫ events, first seen ⟪timestamp:2024-09-01 08:00 UTC⟫, release ⟪version:web@3.0.0-beta.7⟫''')
R("clean", "en", r'''Build agent ⟪host:ci-runner-2.build.internal⟫ ran 44 jobs; cache hit ratio ⟪amount:0.93⟫; disk /var/lib/docker at 71%.''')
R("clean", "en", r'''{"kind":"Event","reason":"Scheduled","involvedObject":{"name":"⟪pod:payments-worker-6b8d7f9c5-qq7xr⟫"},"message":"Successfully assigned payments/payments-worker-6b8d7f9c5-qq7xr to ⟪host:ip-10-0-3-17.eu-west-1.compute.internal⟫"}''')
R("clean", "en", r'''The ⟪word:Jasmine⟫ test suite passed (⟪count:1873⟫ specs, 0 failures) on ⟪word:Chrome⟫ ⟪version:126.0.6478.127⟫.''')
R("clean", "en", r'''Warehouse ⟪id:WH-07⟫ restocked SKU ⟪id:8801234567890⟫: ⟪count:640⟫ units at ⟪amount:3.20⟫ each.''')
R("clean", "en", r'''ALB target group ⟪id:tg-0a1b2c3d4e5f67890⟫ healthy=6/6, avg response ⟪duration:0.027s⟫''')
R("clean", "en", r'''Ruby ⟪version:3.3.0⟫ / Rails ⟪version:7.1.3⟫ upgrade done for ⟪service:storefront⟫ — boot time ⟪duration:2.8s⟫''')
R("clean", "en", r'''Dec 12 23:59:59 ⟪host:ci-runner-2⟫ CRON[⟪id:88211⟫]: (root) CMD (/usr/local/bin/rotate-logs --keep 14)''')
R("clean", "en", r'''git log --oneline -3
⟪hash:${SHORTSHA}⟫ Merge pull request ⟪id:#4821⟫ from acme/fix-timeouts
⟪hash:${SHORTSHA}⟫ Bump version to ⟪version:2.14.1⟫
⟪hash:${SHORTSHA}⟫ Add retry to ⟪service:webhook-dispatcher⟫''')
R("clean", "en", r'''Ticket ⟪id:#44190⟫ closed: customer confirmed refund of ⟪amount:$24.10⟫ for order ⟪id:100023847563⟫; resolution time ⟪duration:3h 12m⟫.''')
R("clean", "de", r'''Bestellung ⟪id:DE-2024-118204⟫ versandt am ⟪word:Mittwoch⟫, Betrag ⟪amount:129,90 €⟫, Lieferzeit ⟪duration:2 Tage⟫.''')
R("clean", "de", r'''zeit=⟪timestamp:2024-06-21T08:15:30+02:00⟫ stufe=info dienst=⟪service:lagerverwaltung⟫ meldung="Inventur abgeschlossen" artikel=⟪count:48120⟫ dauer=⟪duration:312s⟫''')
R("clean", "es", r'''Pedido ⟪id:PED-339021⟫ entregado el ⟪word:viernes⟫; importe ⟪amount:63,40 €⟫; versión de la app ⟪version:5.2.1⟫.''')
R("clean", "fr", r'''Facture ⟪id:FA-2024-07712⟫ réglée le ⟪timestamp:2024-03-30⟫ : ⟪amount:249,00 €⟫ HT, délai de traitement ⟪duration:48 h⟫.''')
R("clean", "pl", r'''Zamówienie ⟪id:ZAM-99120⟫ zrealizowane w ⟪word:Czwartek⟫, kwota ⟪amount:412,50 zł⟫, czas ⟪duration:3 dni⟫, kod ⟪code:ZREALIZOWANE⟫.''')
R("clean", "it", r'''Spedizione ⟪id:SP-2024-55120⟫ consegnata ⟪word:Lunedì⟫, peso ⟪count:1250⟫ g, importo ⟪amount:€ 18,90⟫.''')
R("clean", "pt", r'''Pedido ⟪id:BR-2024-441209⟫ aprovado; valor ⟪amount:R$ 350,00⟫; tempo de resposta ⟪duration:231 ms⟫; status ⟪code:APROVADO⟫.''')
R("clean", "nl", r'''Bestelling ⟪id:NL-2024-55810⟫ verzonden op ⟪word:donderdag⟫; totaal ⟪amount:€ 89,50⟫; versie ⟪version:4.12.0.7⟫.''')
R("clean", "sv", r'''Beställning ⟪id:SE-44102⟫ levererad ⟪word:Tisdag⟫, belopp ⟪amount:1 249 kr⟫, svarstid ⟪duration:88 ms⟫.''')
R("clean", "hi", r'''Order ⟪id:IN-2024-771202⟫ deliver ho gaya, rakam ⟪amount:₹ 1,499⟫, samay ⟪duration:2 din⟫, status ⟪code:DELIVERED⟫.''')
R("clean", "de", r'''java.lang.IllegalArgumentException: Ungültiger Status "⟪code:STORNIERT⟫" für Auftrag ⟪id:A-77120⟫
	at de.example.shop.Auftrag.setStatus(Auftrag.java:88)''')
R("clean", "es", r'''nivel=info servicio=⟪service:inventario⟫ mensaje="sincronización completa" registros=⟪count:98120⟫ duración=⟪duration:4.2s⟫ versión=⟪version:10.4.0.12⟫''')
R("clean", "fr", r'''⟪metric:commandes.validees⟫:1|c|#⟪service:boutique⟫,region:eu-west-3,statut:⟪code:VALIDEE⟫''')

if __name__ == "__main__":
    main()
