#!/usr/bin/env python3
"""Generates the PII corpus: tests/data/pii/{dev,heldout}.jsonl.

Each record: {"id", "part", "format", "lang", "text", "secrets", "keeps"}. `text` may hold
several lines (stack traces, HTTP dumps, PEM keys); it is scrubbed one line at a time, the
way `examples/scrub` reads it. Every string in `secrets` must be gone from the output and
every string in `keeps` must still be there.

Held-out templates (`H`) were written first and are never tuned against; development
templates (`D`) are. Both draw values from values.py with different seeds.
Run: python3 tests/data/pii/gen_corpus.py  (deterministic).
"""
import json
import os
import random
import string
import unicodedata
import uuid

import values as V

LANGS = ["de", "es", "fr", "pl", "pt", "it", "hi"]
SERVICES = ["payments-api", "chat-gateway", "wallet-svc", "auth-service", "notifier", "search-indexer", "billing-worker", "ledger"]
METRICS = ["http_requests_total", "product.wallet.spend.success", "chat_delivery_latency_ms", "infra.http.request.count", "queue_depth", "api_http_errors_total", "jvm_gc_pause_seconds"]
CAPWORDS = ["Invoice", "Warning", "Kubernetes", "Monday", "Checkout", "Retry", "Payment", "Deployment", "Ledger", "Gateway", "Success", "Timeout", "Customer", "Order", "Report", "Scheduler", "Europe"]
ERRCODES = ["INSUFFICIENT_FUNDS", "E_TIMEOUT", "ERR_CONN_RESET", "CARD_DECLINED", "RATE_LIMITED"]

CHAT = {
    "en": ["Hi {g}, can you call me back at {ph}?", "Thanks {g}! My new address is {addr}.", "Hey, it's {g} {s}. My email is {em}.", "Sure, send it to {addr}, {pc} {city}. Cheers, {g}"],
    "de": ["Hallo {g}, bitte ruf mich unter {ph} an.", "Meine neue Adresse ist {addr}, {pc} {city}. Viele Grüße, {g}", "Sehr geehrte Frau {s}, Ihre Bestellung ist unterwegs.", "Lieber {g}, schick mir die Unterlagen an {em}."],
    "es": ["Hola {g}, mi teléfono es {ph}.", "Vivo en {addr}, {pc} {city}. Un saludo, {g} {s}", "Estimado Sr. {s}, su pedido ha sido enviado.", "Buenos días {g}, escríbeme a {em}."],
    "fr": ["Bonjour {g}, mon numéro est le {ph}.", "J'habite au {addr}, {pc} {city}. Cordialement, {g} {s}", "Cher M. {s}, votre colis est arrivé.", "Salut {g}, envoie-moi ça à {em}."],
    "pl": ["Cześć {g}, mój numer to {ph}.", "Mieszkam przy {addr}, {pc} {city}. Pozdrawiam, {g} {s}", "Szanowny Panie {s}, zamówienie zostało wysłane.", "Dzień dobry Pani {s}, proszę pisać na {em}."],
    "pt": ["Olá {g}, meu telefone é {ph}.", "Moro na {addr}, {pc} {city}. Abraço, {g} {s}", "Prezado Sr. {s}, seu pedido foi enviado.", "Oi {g}, manda no {em}."],
    "it": ["Ciao {g}, il mio numero è {ph}.", "Abito in {addr}, {pc} {city}. Saluti, {g} {s}", "Gentile Sig. {s}, il suo ordine è in consegna.", "Buongiorno {g}, scrivimi a {em}."],
    "hi": ["Namaste {g} ji, mera number {ph} hai.", "Mera pata hai {addr}, {city} {pc}. Dhanyavaad, {g} {s}", "{g} bhai, mujhe {em} par mail karo.", "Shri {g} {s} ka order bhej diya gaya hai."],
}
LOGMSG = {
    "de": "Benutzer {g} {s} hat sich angemeldet",
    "es": "El usuario {g} {s} inició sesión",
    "fr": "L'utilisateur {g} {s} s'est connecté",
    "pl": "Użytkownik {g} {s} zalogował się",
    "pt": "O usuário {g} {s} fez login",
    "it": "L'utente {g} {s} ha effettuato l'accesso",
    "hi": "User {g} {s} ne login kiya",
    "en": "User {g} {s} signed in",
}


def ascii_fold(text):
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class R:
    """One record under construction."""

    def __init__(self, rng, lang):
        self.rng, self.lang = rng, lang
        self.secrets, self.keeps = [], []

    def s(self, v):
        self.secrets.append(v)
        return v

    def k(self, v):
        self.keeps.append(str(v))
        return v

    # pools
    def given(self):
        return self.rng.choice(V.GIVEN[self.lang])

    def sur(self):
        return self.rng.choice(V.SURNAME[self.lang])

    def person(self):
        g, s = self.given(), self.sur()
        self.s(g)
        self.s(s)
        return g, s

    def email(self):
        g, s = self.given(), self.sur()
        local = self.rng.choice([f"{g}.{s}", f"{g[0]}{s}", f"{g}{self.rng.randint(1, 99)}", f"{s}.{g}"]).lower()
        local = ascii_fold(local)
        return self.s(f"{local}@{self.rng.choice(V.DOMAINS)}")

    def phone(self):
        return self.s(V.phone(self.rng, self.lang if self.rng.random() < 0.7 else "en"))

    def ip(self):
        return self.s(V.ipv4(self.rng))

    def addr(self):
        tpl, words = self.rng.choice(V.STREETS[self.lang])
        a = tpl.format(n=self.rng.randint(2, 220), w=self.rng.choice(words))
        return self.s(a)

    def city(self):
        city, pc = self.rng.choice(V.CITIES[self.lang])
        self.s(pc)
        return city, pc

    def svc(self):
        return self.k(self.rng.choice(SERVICES))

    def pod(self):
        sv = self.rng.choice(SERVICES)
        return self.k(f"{sv}-{''.join(self.rng.choice('0123456789abcdef') for _ in range(9))}-{''.join(self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(5))}")

    def ver(self, quad=False):
        r = self.rng
        v = f"{r.randint(1, 12)}.{r.randint(0, 30)}.{r.randint(0, 20)}" + (f".{r.randint(1, 250)}" if quad else "")
        return self.k(v)

    def metric(self):
        return self.k(self.rng.choice(METRICS))

    def cap(self):
        return self.k(self.rng.choice(CAPWORDS))

    def count(self):
        return self.k(str(self.rng.randint(2, 99999)))

    def rid(self):
        return self.k(str(uuid.UUID(int=self.rng.getrandbits(128))))

    def ts(self):
        r = self.rng
        return self.k(f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z")

    def ms(self):
        return self.k(f"{self.rng.randint(1, 9999)}ms")

    def sha(self):
        return self.k("".join(self.rng.choice("0123456789abcdef") for _ in range(40)))

    def user(self):
        return self.s(ascii_fold(self.rng.choice([self.given().lower(), self.sur().lower(), f"{self.given()[0].lower()}{self.sur().lower()}"])))


# ---------------------------------------------------------------- held-out templates (H)
def h_access(r):
    ip, em = r.ip(), r.email()
    return f'{ip} - {em} [03/Dec/2026:10:{r.rng.randint(10, 59)}:01 +0000] "GET /api/v{r.rng.randint(1, 3)}/orders/{r.count()} HTTP/1.1" 200 {r.count()} "-" "okhttp/{r.ver()}"'


def h_json(r):
    g, s = r.person()
    return json.dumps({"ts": r.ts(), "level": "INFO", "service": r.svc(), "customer": f"{g} {s}", "phone": r.phone(), "amount": int(r.count()), "version": r.ver(quad=True)}, ensure_ascii=False)


def h_logfmt(r):
    tok = r.s(V.api_key(r.rng))
    return f'ts={r.ts()} level=warn svc={r.svc()} msg="upstream rejected key" api_key={tok} retries={r.count()} dur={r.ms()}'


def h_stack_java(r):
    em = r.email()
    return f'Exception in thread "main" java.lang.IllegalStateException: duplicate account {em}\n\tat com.example.{r.cap()}Service.register({r.cap()}Service.java:{r.count()})\n\tat com.example.Main.main(Main.java:42)'


def h_stack_py(r):
    user = r.user()
    return f'Traceback (most recent call last):\n  File "/home/{user}/app/{r.k("worker")}.py", line {r.count()}, in run\n    conn.login(password="{r.s(V.password(r.rng))}")\nConnectionError: timeout after {r.ms()}'


def h_stack_js(r):
    user = r.user()
    return f"TypeError: Cannot read properties of undefined (reading '{r.k('total')}')\n    at Object.<anonymous> (/Users/{user}/src/{r.svc()}/index.js:{r.count()}:17)\n    at Module._compile (node:internal/modules/cjs/loader:1256:14)"


def h_http(r):
    tok = r.s(V.jwt(r.rng))
    return f"POST /v1/payments HTTP/1.1\nHost: {r.svc()}.internal\nAuthorization: Bearer {tok}\nX-Request-Id: {r.rid()}\nContent-Length: {r.count()}"


def h_headers(r):
    ck = r.s(V.rand_token(r.rng, 32))
    return f"Cookie: session={ck}; theme=dark\nUser-Agent: Mozilla/5.0 ({r.cap()}) Chrome/{r.ver(quad=True)}"


def h_curl(r):
    tok = r.s(V.api_key(r.rng))
    return f"curl -sS -H 'X-Api-Key: {tok}' -H 'Accept: application/json' https://{r.svc()}.example.net/v2/reports?limit={r.count()}"


def h_curl_basic(r):
    u, p = r.user(), r.s(V.password(r.rng))
    return f"curl -u {u}:{p} https://{r.ip()}:8443/metrics"


def h_sql(r):
    g, s = r.person()
    em = r.email()
    return f"INSERT INTO customers (first_name, last_name, email, plan) VALUES ('{g}', '{s}', '{em}', '{r.cap()}');"


def h_sql_where(r):
    ph = r.phone()
    return f"SELECT id, status FROM orders WHERE phone = '{ph}' AND created_at > '{r.ts()}' LIMIT {r.count()};"


def h_yaml(r):
    pw = r.s(V.password(r.rng))
    return f"database:\n  host: db.{r.svc()}.svc\n  port: 5432\n  user: {r.k('app')}\n  password: '{pw}'\n  pool_size: {r.count()}"


def h_ci(r):
    sec = r.s(V.aws_secret(r.rng))
    return f"##[group]Run deploy {r.svc()}\nAWS_SECRET_ACCESS_KEY={sec}\n##[endgroup]\nStep finished in {r.ms()}"


def h_k8s(r):
    em = r.email()
    return f"{r.ts()} {r.pod()} {r.svc()} level=error msg=\"notify failed for {em}\" attempt={r.count()}"


def h_dogstatsd(r):
    em = r.email()
    return f"{r.metric()}:{r.count()}|c|#service:{r.svc()},user:{em},version:{r.ver()}"


def h_prom(r):
    ip = r.ip()
    return f'{r.metric()}{{instance="{ip}:9100",job="{r.svc()}",le="0.5"}} {r.count()}'


def h_csv(r):
    g, s = r.person()
    return f"{r.count()},{g},{s},{r.email()},{r.phone()},{r.cap()}"


def h_chat(r):
    return chat_line(r, roles=("agent", "customer"))


def h_url(r):
    em = r.email()
    enc = em.replace("@", "%40")
    r.secrets[-1] = enc
    return f"GET https://{r.svc()}.example.com/unsubscribe?email={enc}&campaign={r.cap()}"


def h_url_ip(r):
    ip = r.ip()
    return f"proxy error: upstream http://{ip}:8080/health responded {r.k('503')} after {r.ms()}"


def h_pem(r):
    kind, body = V.pem(r.rng)
    for b in body:
        r.s(b)
    return f"-----BEGIN {kind}-----\n" + "\n".join(body) + f"\n-----END {kind}-----"


def h_imei(r):
    im = r.s(V.imei(r.rng))
    return f"device registered imei={im} model={r.cap()} os={r.ver()}"


def h_dob(r):
    d = r.s(V.dob(r.rng))
    return json.dumps({"user_id": r.k(f"u_{r.rng.randint(1000, 99999)}"), "date_of_birth": d, "tier": r.cap()})


def h_natid(r):
    kind = r.rng.choice(["nino", "nif", "nie", "cf", "pesel", "aadhaar"])
    v = r.s({"nino": V.nino, "nif": V.nif, "nie": V.nie, "cf": V.codice_fiscale, "pesel": V.pesel, "aadhaar": V.aadhaar}[kind](r.rng))
    return f"KYC check passed for document {v} (provider {r.cap()}, latency {r.ms()})"


def h_wallet(r):
    w = r.s(V.wallet(r.rng))
    return f"withdrawal queued to {w} amount={r.count()} fee={r.count()}"


def h_aba(r):
    a = r.s(V.aba(r.rng))
    return f"ACH transfer routing {a} account {r.s(str(r.rng.randint(10**9, 10**11)))} status {r.k('PENDING')}"


def h_otp(r):
    o = r.s(str(r.rng.randint(100000, 999999)))
    return f"sms sent otp_code={o} to {r.phone()} in {r.ms()}"


def h_card(r):
    c = r.s(V.card(r.rng))
    return f'{{"event":"checkout","card":"{c}","amount":{r.count()},"currency":"EUR"}}'


def h_iban(r):
    i = r.s(V.iban(r.rng))
    return f"payout {r.rid()} to IBAN {i} scheduled by {r.svc()}"


def h_env(r):
    tok = r.s(V.rand_token(r.rng, 36))
    return f"export GITHUB_DEPLOY_TOKEN={tok} REGION=eu-west-1 REPLICAS={r.count()}"


def h_address(r):
    addr = r.addr()
    city, pc = r.city()
    return f"shipment {r.count()} delivered to {addr}, {pc} {city} by {r.cap()} courier"


def h_lang_log(r):
    g, s = r.person()
    return f"{r.ts()} INFO [{r.svc()}] " + LOGMSG[r.lang].format(g=g, s=s) + f" ({r.ms()})"


def h_version(r):
    return f"deploy {r.svc()} version={r.ver(quad=True)} build {r.count()} by pipeline {r.cap()}, previous v{r.ver(quad=True)}"


def h_clean(r):
    return f"{r.ts()} {r.svc()} {r.metric()} value={r.count()} {r.cap()} done in {r.ms()} sha={r.sha()} arn:aws:iam::{r.k('123456789012')}:role/{r.svc()}"


def h_password_prose(r):
    pw = r.s(V.password(r.rng))
    return f"user reset the password to '{pw}' via {r.svc()} at {r.ts()}"


def h_homepath(r):
    u = r.user()
    return f"WARN config not found at C:\\Users\\{u}\\AppData\\Roaming\\{r.svc()}\\config.yaml, using defaults ({r.count()} keys)"


def chat_line(r, roles):
    g, s = r.given(), r.sur()
    tpl = r.rng.choice(CHAT[r.lang])
    parts = {"g": g, "s": s, "ph": "", "em": "", "addr": "", "city": "", "pc": ""}
    if "{g}" in tpl:
        r.s(g)
    if "{s}" in tpl:
        r.s(s)
    if "{ph}" in tpl:
        parts["ph"] = r.phone()
    if "{em}" in tpl:
        parts["em"] = r.email()
    if "{addr}" in tpl:
        parts["addr"] = r.addr()
    if "{city}" in tpl:
        parts["city"], parts["pc"] = r.city()
    msg = tpl.format(**parts)
    who = r.rng.choice(roles)
    return f"[{r.ts()}] {who}: {msg}"


def h_chat_json(r):
    line = chat_line(r, roles=("user",))
    msg = line.split(": ", 1)[1]
    r.keeps = [k for k in r.keeps if k in msg]
    return json.dumps({"conversation_id": r.rid(), "sender": "user", "text": msg, "chars": r.k(str(len(msg)))}, ensure_ascii=False)


# ---------------------------------------------------------------- development templates (D)
def d_access(r):
    ip = r.ip()
    return f'{ip} - - [02/Dec/2026:23:{r.rng.randint(10, 59)}:44 +0100] "POST /login?user={r.user()} HTTP/2" 401 {r.count()} {r.ms()}'


def d_access_nginx(r):
    ip = r.ip()
    return f'{ip} - {r.user()} [02/Dec/2026:08:00:00 +0000] "GET /static/{r.k("app.js")} HTTP/1.1" 304 0 "https://{r.svc()}.example.com/" "Mozilla/5.0"'


def d_json(r):
    g, s = r.person()
    return json.dumps({"@timestamp": r.ts(), "service": r.svc(), "event": "signup", "user": {"firstName": g, "lastName": s, "email": r.email()}, "durationMs": int(r.count())}, ensure_ascii=False)


def d_json_auth(r):
    tok = r.s(V.rand_token(r.rng, 40))
    return json.dumps({"level": "debug", "headers": {"authorization": f"Bearer {tok}", "x-request-id": r.rid()}, "path": "/v1/me", "status": int(r.k(200))})


def d_logfmt(r):
    em = r.email()
    return f"time={r.ts()} level=info service={r.svc()} user_email={em} action=login ok=true dur={r.ms()}"


def d_logfmt_pw(r):
    pw = r.s(V.password(r.rng))
    return f'level=debug component=db-migrate dsn_password="{pw}" attempt={r.count()} host=db.internal'


def d_stack_java(r):
    g, s = r.person()
    return f"org.springframework.dao.DataIntegrityViolationException: could not insert customer '{g} {s}'\n\tat org.hibernate.{r.cap()}.execute({r.cap()}.java:{r.count()})\n\tat com.shop.{r.rng.choice(SERVICES).replace('-', '')}.Handler.handle(Handler.java:88)"


def d_stack_py(r):
    ip = r.ip()
    return f'Traceback (most recent call last):\n  File "/srv/{r.svc()}/client.py", line {r.count()}, in connect\n    sock.connect(("{ip}", 5432))\nOSError: [Errno 113] No route to host'


def d_stack_go(r):
    em = r.email()
    return f"panic: runtime error: invalid memory address for user {em}\n\ngoroutine {r.count()} [running]:\nmain.(*Server).handle(0xc000{r.rng.randint(100000, 999999)})\n\t/home/{r.user()}/go/src/{r.svc()}/server.go:{r.count()} +0x1d"


def d_http(r):
    ck = r.s(V.rand_token(r.rng, 28))
    return f"HTTP/1.1 200 OK\nSet-Cookie: sid={ck}; Path=/; HttpOnly\nX-Trace-Id: {r.sha()}\nServer: {r.svc()}/{r.ver()}"


def d_http_basic(r):
    import base64
    cred = r.s(base64.b64encode(f"{r.user()}:{V.password(r.rng)}".encode()).decode())
    r.secrets.pop(-2)
    return f"GET /admin HTTP/1.1\nAuthorization: Basic {cred}\nAccept: */*"


def d_curl(r):
    tok = r.s(V.rand_token(r.rng, 40, string.ascii_letters + string.digits + "-_"))
    return f'curl -X POST "https://api.{r.svc()}.io/v1/charges" -H "Authorization: Bearer {tok}" -d amount={r.count()}'


def d_curl_data(r):
    em, pw = r.email(), r.s(V.password(r.rng))
    return f"curl -d '{{\"email\":\"{em}\",\"password\":\"{pw}\"}}' -H 'Content-Type: application/json' http://localhost:{r.k('8080')}/login"


def d_sql(r):
    em = r.email()
    return f"UPDATE users SET email = '{em}', updated_at = NOW() WHERE id = {r.count()}; -- {r.svc()}"


def d_sql_name(r):
    g, s = r.person()
    return f"SELECT * FROM accounts WHERE full_name = '{g} {s}' AND status = '{r.k('ACTIVE')}';"


def d_yaml(r):
    tok = r.s(V.api_key(r.rng))
    return f"env:\n  - name: STRIPE_API_KEY\n    value: \"{tok}\"\n  - name: LOG_LEVEL\n    value: \"{r.k('debug')}\""


def d_yaml_secret(r):
    sec = r.s(V.rand_token(r.rng, 32))
    return f"spec:\n  replicas: {r.count()}\n  clientSecret: {sec}\n  secret_rotation_due_days: {r.k('90')}"


def d_ci(r):
    tok = r.s(V.rand_token(r.rng, 40))
    return f"2026-12-03T10:00:01.123Z Run docker login -u ci -p {tok} registry.example.com\n2026-12-03T10:00:02.456Z Login Succeeded ({r.ms()})"


def d_ci_env(r):
    sec = r.s(V.rand_token(r.rng, 24, string.ascii_letters + string.digits))
    return f"+ NPM_TOKEN={sec} npm publish --tag {r.ver()}"


def d_k8s(r):
    ip = r.ip()
    return f"{r.pod()}   1/1   Running   {r.count()}   4d   {ip}   node-{r.count()}"


def d_k8s_event(r):
    em = r.email()
    return f'E1203 10:01:02.123456 1 reconcile.go:{r.count()}] "failed to notify owner" owner="{em}" pod="{r.pod()}"'


def d_dogstatsd(r):
    ip = r.ip()
    return f"{r.metric()}:{r.count()}|ms|#client_ip:{ip},endpoint:/api/v1/chat,version:{r.ver(quad=True)}"


def d_dogstatsd_name(r):
    g, s = r.person()
    return f"{r.metric()}:1|c|#customer_name:{g} {s},plan:{r.cap()}"


def d_prom(r):
    em = r.email()
    return f'{r.metric()}{{user="{em}",code="200",service="{r.svc()}"}} {r.count()} 1733220000000'


def d_csv(r):
    g, s = r.person()
    return f"\"{g} {s}\",{r.s(V.dob(r.rng))},{r.phone()},{r.count()},{r.cap()}"


def d_chat(r):
    return chat_line(r, roles=("Customer", "Kunde", "cliente", "client", "klient"))


def d_chat_json(r):
    line = chat_line(r, roles=("x",))
    msg = line.split(": ", 1)[1]
    r.keeps = [k for k in r.keeps if k in msg]
    return json.dumps({"msg_id": r.rid(), "message": msg, "type": r.k("text"), "room": r.svc()}, ensure_ascii=False)


def d_url(r):
    em = r.email()
    return f"https://{r.svc()}.example.com/reset?token={r.s(V.rand_token(r.rng, 32))}&email={em}&lang={r.lang}"


def d_url_ip(r):
    ip = r.ip()
    return f"redirect to https://admin:{r.s(V.password(r.rng))}@{ip}/console (status {r.k('302')})"


def d_pem(r):
    kind, body = V.pem(r.rng)
    for b in body[:2]:
        r.s(b)
    return f'key_material: "-----BEGIN {kind}-----\\n{body[0]}\\n{body[1]}\\n-----END {kind}-----"'


def d_imei(r):
    im = r.s(V.imei(r.rng))
    return f"{r.ts()} device {im} attached to account {r.k('acct_' + str(r.rng.randint(1000, 9999)))}"


def d_dob(r):
    d = r.s(V.dob(r.rng))
    return f"profile updated birthDate={d} locale={r.lang}_{r.lang.upper()} plan={r.cap()}"


def d_natid(r):
    kind = r.rng.choice(["nino", "nif", "nie", "cf", "pesel", "aadhaar"])
    v = r.s({"nino": V.nino, "nif": V.nif, "nie": V.nie, "cf": V.codice_fiscale, "pesel": V.pesel, "aadhaar": V.aadhaar}[kind](r.rng))
    key = {"nino": "ni_number", "nif": "nif", "nie": "nie", "cf": "codice_fiscale", "pesel": "pesel", "aadhaar": "aadhaar"}[kind]
    return f"verify {key}={v} result=ok provider={r.svc()}" if r.rng.random() < 0.5 else f"identity document {v} accepted for {r.cap()}"


def d_wallet(r):
    w = r.s(V.wallet(r.rng))
    return json.dumps({"op": "wallet.payout_request", "to_address": w, "amount": r.count(), "asset": "BTC"})


def d_wallet_text(r):
    w = r.s(V.wallet(r.rng))
    return f"deposit detected from {w} confirmations={r.count()}"


def d_aba(r):
    a = r.s(V.aba(r.rng))
    return f"routing_number={a} bank={r.cap()} batch={r.count()}"


def d_pin(r):
    p = r.s(str(r.rng.randint(1000, 9999)))
    return f'{{"action":"card.activate","pin":"{p}","attempt":{r.count()}}}'


def d_card(r):
    c = r.s(V.card(r.rng))
    return f"charge failed card={c} reason={r.k(r.rng.choice(ERRCODES))} amount={r.count()}"


def d_iban(r):
    i = r.s(V.iban(r.rng))
    return f"SEPA mandate {r.k('MNDT-' + str(r.rng.randint(1000, 9999)))} iban {i} creditor {r.cap()}"


def d_env(r):
    tok = r.s(V.rand_token(r.rng, 40))
    return f"DATABASE_PASSWORD={r.s(V.password(r.rng))} SENTRY_AUTH_TOKEN={tok} WORKERS={r.count()}"


def d_password_suffix(r):
    pw = r.s(V.password(r.rng))
    return f"password_hash_algo=bcrypt password_v2={pw} user_id={r.k('u_' + str(r.rng.randint(100, 999)))}"


def d_address(r):
    addr = r.addr()
    city, pc = r.city()
    return json.dumps({"order": r.count(), "ship_to": f"{addr}, {pc} {city}", "carrier": r.cap()}, ensure_ascii=False)


def d_address_text(r):
    addr = r.addr()
    return f"geocode ok for {addr} in {r.ms()}"


def d_lang_log(r):
    g, s = r.person()
    return f"[{r.svc()}] {r.ts()} " + LOGMSG[r.lang].format(g=g, s=s)


def d_greeting(r):
    g = r.given()
    r.s(g)
    return f"email template rendered: 'Hi {g}, your order {r.count()} has shipped' ({r.ms()})"


def d_version(r):
    return f"{r.svc()} starting version {r.ver(quad=True)} (go{r.ver()}) with {r.count()} workers on {r.cap()}"


def d_version_tag(r):
    return f"app_version:{r.ver(quad=True)},{r.metric()},pod:{r.pod()}"


def d_clean(r):
    return f"{r.cap()} {r.cap()} completed: {r.count()} items, {r.ms()}, request {r.rid()}, commit {r.sha()}"


def d_clean_counts(r):
    return f"messages={r.count()} next_page_token={r.k('pt_' + str(r.rng.randint(1000, 9999)))} name={r.metric()}"


def d_ipv6(r):
    ip = r.s(V.ipv6(r.rng))
    return f"conn from [{ip}]:443 closed after {r.ms()}"


def d_otp_prose(r):
    o = r.s(str(r.rng.randint(100000, 999999)))
    return f"Your verification code is {o}. It expires in {r.k('10')} minutes."


def d_homepath(r):
    u = r.user()
    return f"open /home/{u}/.aws/credentials: permission denied (errno {r.k('13')})"


def d_aws(r):
    kid = r.s("AKIA" + "".join(r.rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)))
    sec = r.s(V.aws_secret(r.rng))
    return f"[default]\naws_access_key_id = {kid}\naws_secret_access_key = {sec}\nregion = {r.k('eu-central-1')}"


H = [h_access, h_json, h_logfmt, h_stack_java, h_stack_py, h_stack_js, h_http, h_headers, h_curl, h_curl_basic, h_sql, h_sql_where, h_yaml, h_ci, h_k8s,
     h_dogstatsd, h_prom, h_csv, h_chat, h_url, h_url_ip, h_pem, h_imei, h_dob, h_natid, h_wallet, h_aba, h_otp, h_card, h_iban, h_env, h_address,
     h_lang_log, h_version, h_clean, h_password_prose, h_homepath, h_chat_json]
D = [d_access, d_access_nginx, d_json, d_json_auth, d_logfmt, d_logfmt_pw, d_stack_java, d_stack_py, d_stack_go, d_http, d_http_basic, d_curl, d_curl_data,
     d_sql, d_sql_name, d_yaml, d_yaml_secret, d_ci, d_ci_env, d_k8s, d_k8s_event, d_dogstatsd, d_dogstatsd_name, d_prom, d_csv, d_chat, d_chat_json, d_url,
     d_url_ip, d_pem, d_imei, d_dob, d_natid, d_wallet, d_wallet_text, d_aba, d_pin, d_card, d_iban, d_env, d_password_suffix, d_address, d_address_text,
     d_lang_log, d_greeting, d_version, d_version_tag, d_clean, d_clean_counts, d_ipv6, d_otp_prose, d_homepath, d_aws]
LANG_FORMATS = {"chat", "lang_log", "address", "address_text", "chat_json", "greeting", "csv", "json", "sql_name", "dogstatsd_name", "natid", "stack_java", "sql", "k8s_event", "url", "phone", "logfmt", "dob", "sql_where", "access"}


# ---- development templates added after the first tuning round (shapes from the issue's list)
LOCAL_KEYS = {
    "de": ("vorname", "nachname", "telefon", "adresse", "passwort", "nachricht"),
    "es": ("nombre", "apellido", "telefono", "direccion", "contrasena", "mensaje"),
    "fr": ("prenom", "nom", "telephone", "adresse", "mot_de_passe", "message"),
    "pl": ("imie", "nazwisko", "telefon", "adres", "haslo", "wiadomosc"),
    "pt": ("nome", "sobrenome", "telefone", "endereco", "senha", "mensagem"),
    "it": ("nome", "cognome", "telefono", "indirizzo", "parola_d_ordine", "messaggio"),
    "hi": ("first_name", "last_name", "mobile", "address", "password", "message"),
    "en": ("first_name", "last_name", "phone", "address", "password", "message"),
}


def d_local_keys(r):
    kg, ks, kp, ka, kpw, km = LOCAL_KEYS[r.lang]
    g, s = r.person()
    addr = r.addr()
    return json.dumps({kg: g, ks: s, kp: r.phone(), ka: addr, kpw: r.s(V.password(r.rng)), "locale": r.k(r.lang), "retries": int(r.count())}, ensure_ascii=False)


def d_phone_prose(r):
    ph = r.phone()
    word = {"de": "Rückruf unter", "es": "llámame al", "fr": "rappelez-moi au", "pl": "zadzwoń pod", "pt": "ligue para", "it": "chiamami al", "hi": "mujhe call karo", "en": "call me back on"}[r.lang]
    return f"[{r.ts()}] ticket {r.count()}: {word} {ph} ({r.cap()})"


def d_hex_key(r):
    key = r.s("".join(r.rng.choice("0123456789abcdef") for _ in range(r.rng.choice([32, 40, 64]))))
    return f"{r.ts()} {r.svc()} authenticating with key {key} against {r.cap()} (commit {r.sha()})"


def d_registry_token(r):
    tok = r.s(r.rng.choice(["glrt-", "dckr_pat_", "pypi-", "hf_", "shpat_", ""]) + V.rand_token(r.rng, 30))
    return f"{r.ts()} Pushing image with registry token {tok} to registry.example.com/{r.svc()}:{r.ver()}"


def d_systemd(r):
    unit = r.k(r.rng.choice(["getty@tty1.service", "postgresql@14-main.service", "user@1000.service", "openvpn@client.service"]))
    return f"Dec 03 10:01:02 host-{r.count()} systemd[1]: Started {unit} in {r.ms()}."


def d_arn(r):
    acct = r.k(str(r.rng.randint(200000000000, 999999999999)))
    return f"AccessDenied: arn:aws:sts::{acct}:assumed-role/{r.svc()}/session is not authorized (request {r.rid()})"


def d_bad_iban(r):
    good = V.iban(r.rng)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    spaced = " ".join(bad[k:k + 4] for k in range(0, len(bad), 4))
    return f"validation failed: IBAN {r.k(spaced)} has a bad checksum ({r.k('E_IBAN_CHECKSUM')})"


def d_from_name(r):
    g, s = r.person()
    return f"{r.ts()} ticket {r.count()} assigned to {g} {s} by {r.svc()} (priority {r.cap()})"


def d_auth_headers(r):
    tok = r.s(V.rand_token(r.rng, 32, string.ascii_letters + string.digits + "._-"))
    scheme = r.rng.choice(["Token", "Bearer", "Basic", "token"])
    style = r.rng.choice(["hdr", "kv", "json"])
    if style == "hdr":
        return f"Proxy-Authorization: {scheme} {tok}\nVia: 1.1 {r.svc()}"
    if style == "kv":
        return f"upstream={r.svc()} authorization={scheme} {tok} status={r.k('401')}"
    return json.dumps({"headers": {"Authorization": f"{scheme} {tok}"}, "status": int(r.k(403))})


def d_glued_env(r):
    pw = r.s(V.rand_token(r.rng, 18))
    key = r.rng.choice(["MYSQLPASSWORD", "REDISPASSWORD", "APPSECRET", "SLACKTOKEN", "DBPASSWD"])
    return f"docker run -e {key}={pw} -e WORKERS={r.count()} {r.svc()}:{r.ver()}"


def d_innocent_keys(r):
    return f"secret_rotation_due_days={r.k(str(r.rng.randint(1, 90)))} password_min_length={r.k(str(r.rng.randint(8, 16)))} token_ttl_seconds={r.k(str(r.rng.randint(60, 3600)))} phone_verified={r.k('true')}"


D += [d_local_keys, d_phone_prose, d_hex_key, d_registry_token, d_systemd, d_arn, d_bad_iban, d_from_name, d_auth_headers, d_glued_env, d_innocent_keys]
LANG_FORMATS |= {"local_keys", "phone_prose", "from_name"}


def cpf(rng):
    d = [rng.randrange(10) for _ in range(9)]
    for upto in (9, 10):
        t = sum(x * (upto + 1 - k) for k, x in enumerate(d[:upto]))
        r = (t * 10) % 11
        d.append(0 if r == 10 else r)
    s = "".join(map(str, d))
    return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"


def pan(rng):
    L = string.ascii_uppercase
    return "".join(rng.choice(L) for _ in range(3)) + rng.choice("PCHFATBLJG") + rng.choice(L) + f"{rng.randint(0, 9999):04d}" + rng.choice(L)


def nir(rng):
    body = f"{rng.choice('12')}{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    key = 97 - int(body) % 97
    s = f"{body}{key:02d}"
    return rng.choice([s, f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}"])


def d_more_ids(r):
    kind = r.rng.choice(["cpf", "pan", "nir", "imei"])
    if kind == "imei":
        im = V.imei(r.rng)
        v = r.s(f"{im[:2]}-{im[2:8]}-{im[8:14]}-{im[14]}")
    else:
        v = r.s({"cpf": cpf, "pan": pan, "nir": nir}[kind](r.rng))
    return f"{r.ts()} onboarding {r.svc()}: document {v} verified in {r.ms()} (tier {r.cap()})"


def d_born(r):
    d = r.s(V.dob(r.rng))
    phrase = {"de": "geboren am", "es": "nacido el", "fr": "né le", "pl": "urodzony", "pt": "nascido em", "it": "nato il", "hi": "janm", "en": "born on"}[r.lang]
    g, s = r.person()
    return f"profile note: {g} {s}, {phrase} {d}, plan {r.cap()}"


def d_cli(r):
    if r.rng.random() < 0.5:
        u, p = r.user(), r.s(V.password(r.rng))
        return f"+ curl -fsSL -u {u}:{p} https://{r.svc()}.example.com/api/v{r.rng.randint(1, 3)}/export?limit={r.count()}"
    p = r.s(V.password(r.rng))
    return f"$ mysql -h db.internal -u app -p {p} -e 'select count(*) from orders' # took {r.ms()}"


def d_signature(r):
    g = r.given()
    r.s(g)
    return f"Thanks for the quick fix!\n{r.rng.choice(['', '-- ', '— '])}{g}"


def d_soft_keys(r):
    g, s = r.person()
    key = r.rng.choice(["customer", "recipient", "sender", "cardholder", "beneficiary", "passenger"])
    return f"level=info op=wallet.payout_request {key}=\"{g} {s}\" {key}_id={r.k('cus_' + str(r.rng.randint(1000, 9999)))} amount={r.count()}"


def d_phone_shapes(r):
    ph = r.s(r.rng.choice([f"0033 6 {r.rng.randint(10, 99)} {r.rng.randint(10, 99)} {r.rng.randint(10, 99)} {r.rng.randint(10, 99)}", f"555 {r.rng.randint(100, 199)} {r.rng.randint(1000, 9999)}", f"0049 30 {r.rng.randint(1000000, 9999999)}", f"+7 (495) {r.rng.randint(100, 999)}-{r.rng.randint(10, 99)}-{r.rng.randint(10, 99)}"]))
    return f"{r.ts()} sms gateway: delivery to {ph} failed with {r.k(r.rng.choice(ERRCODES))}"


D += [d_more_ids, d_born, d_cli, d_signature, d_soft_keys, d_phone_shapes]
LANG_FORMATS |= {"born", "signature", "soft_keys"}


def build(part, templates, n, seed):
    rng = random.Random(seed)
    out = []
    for k in range(n):
        t = templates[k % len(templates)]
        fmt = t.__name__[2:]
        lang = "en"
        if fmt in LANG_FORMATS and rng.random() < 0.8:
            lang = rng.choice(LANGS)
        r = R(rng, lang)
        text = t(r)
        secrets = [x for x in dict.fromkeys(r.secrets) if x]
        keeps = [x for x in dict.fromkeys(r.keeps) if x and not any(x in s or s in x for s in secrets)]
        for s in secrets:
            assert s in text, (fmt, s, text)
        out.append({"id": f"{part}-{k:04d}", "part": part, "format": fmt, "lang": lang, "text": text, "secrets": secrets, "keeps": keeps})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for part, tpl, n, seed in [("heldout", H, 456, 20261203), ("dev", D, 1410, 14)]:
        recs = build(part, tpl, n, seed)
        with open(os.path.join(here, f"{part}.jsonl"), "w", encoding="utf-8") as f:
            for rec in recs:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        langs = sum(1 for x in recs if x["lang"] != "en")
        print(part, len(recs), "records,", langs, "non-English,", sum(len(x["secrets"]) for x in recs), "secrets,", sum(len(x["keeps"]) for x in recs), "keeps")


if __name__ == "__main__":
    main()
