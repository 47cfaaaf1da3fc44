#!/usr/bin/env python3
"""Writes tests/data/pii/heldout2.jsonl: a second held-out part, written by hand (not by
gen_corpus.py's templates) before the scrubber was changed for it, and never tuned against.

Each record below is one text with its annotations inline: ⟦class:value⟧ marks a secret
that must be gone from the output, ⟪class:value⟫ a value that must survive. `$NAME` stands
for a check-digit value computed once (IBANs, national ids, IMEIs, cards), so that the
validators have something valid to find. The output has the corpus's usual fields plus
`secret_classes` and `keep_classes` (parallel to `secrets` and `keeps`).
Run: python3 tests/data/pii/heldout2.py  (deterministic).
"""
import json
import os
import random
import re

import values as V

rng = random.Random(20261203)
VAL = {}
for i in range(1, 9):
    VAL[f"IBAN{i}"] = V.iban(rng)
    VAL[f"CARD{i}"] = V.card(rng)
    VAL[f"IMEI{i}"] = V.imei(rng)
VAL.update({
    "NINO1": V.nino(rng), "NINO2": V.nino(rng), "NIF1": V.nif(rng), "NIF2": V.nif(rng),
    "NIE1": V.nie(rng), "CF1": V.codice_fiscale(rng), "CF2": V.codice_fiscale(rng),
    "PESEL1": V.pesel(rng), "PESEL2": V.pesel(rng), "AADHAAR1": V.aadhaar(rng),
    "AADHAAR2": V.aadhaar(rng), "ABA1": V.aba(rng), "ABA2": V.aba(rng),
    "WALLET1": V.wallet(rng), "WALLET2": V.wallet(rng), "WALLET3": V.wallet(rng),
    "JWT1": V.jwt(rng), "AWS1": V.aws_secret(rng), "AWS2": V.aws_secret(rng),
})

RECORDS = []


def r(fmt, lang, text):
    RECORDS.append((fmt, lang, text))


MARK = re.compile(r"⟦([a-z_]+):(.*?)⟧|⟪([a-z_]+):(.*?)⟫", re.S)

# ---- access logs (combined, nginx, apache, ELB)
r("access", "en", '⟦ip:198.51.100.23⟧ - ⟦name:jkowalczyk⟧ [12/Mar/2026:08:14:55 +0100] "GET /api/v2/invoices/⟪id:88213⟫ HTTP/2.0" 200 ⟪count:1834⟫ "-" "curl/⟪version:8.4.0⟫"')
r("access", "en", '⟦ip:172.16.254.9⟧ - - [12/Mar/2026:08:15:02 +0100] "POST /login?email=⟦email:h.brandt%40posteo.de⟧&next=/home HTTP/1.1" 302 0 "https://shop.example.com/" "Mozilla/5.0"')
r("access", "en", '⟦ip:2001:db8:85a3::8a2e:370:7334⟧ - - [12/Mar/2026:09:01:44 +0000] "GET /static/app.⟪id:3f9c2a1b⟫.js HTTP/1.1" 304 0 "-" "Safari/⟪version:605.1.15⟫"')
r("access", "en", '⟪host:lb-eu-1⟫ ⟦ip:81.2.69.160⟧:51234 [03/Dec/2026:11:02:03.441] fe_https be_api/⟪pod:api-7f6d9c-kq2zt⟫ 0/0/1/34/35 200 912 - - ---- 12/12/3/1/0 0/0 "GET /v1/me?access_token=⟦token:ya29.a0AfB_byC3kQx9LmN2pR7sT1vW4yZ6⟧ HTTP/1.1"')
r("access", "en", '2026-03-12T08:20:11.918Z ⟪service:app/prod-alb/50dc6c495c0c9188⟫ ⟦ip:203.0.113.77⟧:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/?user=⟦name:svetlana⟧ HTTP/1.1" "curl/7.46.0" - -')
r("access", "de", '⟦ip:87.123.44.201⟧ - ⟦name:mueller.anke⟧ [04/Dec/2026:07:33:10 +0100] "GET /konto/uebersicht HTTP/1.1" 200 ⟪count:20417⟫ "https://bank.example.de/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/⟪version:121.0⟫"')
r("access", "es", '⟦ip:83.44.12.9⟧ - - [05/Dec/2026:22:11:09 +0100] "GET /perfil?telefono=⟦phone:%2B34%20612%20345%20678⟧ HTTP/1.1" 200 ⟪count:4410⟫ "-" "okhttp/⟪version:4.12.0⟫"')
r("access", "en", '⟦ip:100.64.3.17⟧ - - [06/Dec/2026:03:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/⟪version:1.29⟫" rt=⟪duration:0.002⟫')
r("access", "en", '⟦ip:192.0.2.144⟧ - - [06/Dec/2026:03:00:01 +0000] "GET /download/report.pdf?sig=⟦token:Zm9vYmFyMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u⟧&exp=⟪count:1764979200⟫ HTTP/1.1" 200 88123')
r("access", "pl", '⟦ip:31.0.17.65⟧ - - [07/Dec/2026:12:40:12 +0100] "POST /api/zamowienia HTTP/1.1" 201 ⟪count:733⟫ "-" "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/⟪version:UQ1A.240205.004⟫)"')

# ---- logfmt
r("logfmt", "en", 'time=2026-12-03T10:11:12Z level=info msg="password reset requested" user_email=⟦email:nadia.petrova@fastmail.com⟧ request_id=⟪id:req_8Jx2kLp0⟫ ⟪duration:took=38ms⟫')
r("logfmt", "en", 'level=error svc=⟪service:ledger-writer⟫ err="pq: password authentication failed for user \\"⟦name:rpatel⟧\\"" db_host=⟪host:pg-primary.internal⟫ attempt=⟪count:3⟫')
r("logfmt", "en", 'at=info method=POST path="/v1/charges" host=api.example.com request_id=⟪id:5b2f0e7a-8d1c-4f3b-9a6e-1c2d3e4f5a6b⟫ fwd="⟦ip:73.158.64.2⟧" dyno=⟪pod:web.3⟫ connect=1ms service=⟪duration:212ms⟫ status=201')
r("logfmt", "en", 'level=debug component=⟪service:auth⟫ event=token_issued sub=⟪id:usr_4f1a9c2e8b7d6a50⟫ refresh_token=⟦token:rt_9fKq2ZpX8vL4mN7bC1dE3gH5⟧ expires_in=⟪count:86400⟫')
r("logfmt", "en", 'level=warn msg="webhook signature mismatch" STRIPE_WEBHOOK_SECRET=⟦token:whsec_7Hq9LmZ2xVb4Nc8Pd3Rf6Ts1⟧ endpoint=⟪path:/hooks/stripe⟫')
r("logfmt", "de", 'zeit=2026-12-03T08:00:00+01:00 stufe=info nachricht="Bestellung versandt" kunde="⟦name:Jörg⟧ ⟦name:Hansmann⟧" plz=⟦postcode:50667⟧ ort=Köln bestellnr=⟪id:DE-2026-44817⟫')
r("logfmt", "es", 'ts=2026-12-03T09:12:44Z nivel=aviso msg="intento de acceso" usuario=⟦name:mgonzalez⟧ ip=⟦ip:88.27.14.201⟧ intentos=⟪count:5⟫ servicio=⟪service:portal-clientes⟫')
r("logfmt", "fr", 'ts=2026-12-03T09:13:00Z niveau=info msg="colis livré" destinataire="⟦name:Aurélie⟧ ⟦name:Vasseur⟧" adresse="⟦address:8 impasse des Tilleuls⟧, ⟦postcode:44000⟧ Nantes" colis=⟪id:FR7781234⟫')
r("logfmt", "en", 'level=info msg="db connect" dsn="postgres://⟦name:app_rw⟧:⟦password:Tr0ub4dor&3x⟧@db.internal:5432/orders?sslmode=require" pool=⟪count:16⟫')
r("logfmt", "en", 'level=info job=⟪service:nightly-export⟫ rows=⟪count:128830⟫ duration=⟪duration:41.2s⟫ bucket=s3://exports-prod/2026/12/03 version=⟪version:2.3.0.1⟫')

# ---- JSON logs
r("json", "en", '{"@timestamp":"2026-12-03T10:00:01.123Z","log.level":"info","message":"user signed up","user":{"email":"⟦email:tomasz.wrobel@o2.pl⟧","full_name":"⟦name:Tomasz⟧ ⟦name:Wróbel⟧"},"service.name":"⟪service:signup-api⟫","trace.id":"⟪id:4bf92f3577b34da6a3ce929d0e0e4736⟫"}')
r("json", "en", '{"level":"error","ts":1764756001.12,"caller":"payments/stripe.go:88","msg":"card declined","card_last4":"⟪id:4242⟫","customer_email":"⟦email:lee.chang@example.org⟧","amount":⟪count:129900⟫,"currency":"usd"}')
r("json", "en", '{"time":"2026-12-03T10:02:00Z","level":"INFO","msg":"shipping label created","ship_to":{"name":"⟦name:Grace⟧ ⟦name:O\'Connell⟧","line1":"⟦address:742 Evergreen Terrace⟧","city":"Springfield","zip":"⟦postcode:97403⟧"},"carrier":"⟪word:UPS⟫"}')
r("json", "de", '{"zeitstempel":"2026-12-03T11:00:00+01:00","ebene":"INFO","meldung":"Neukunde angelegt","vorname":"⟦name:Sieglinde⟧","nachname":"⟦name:Oberhuber⟧","geburtsdatum":"⟦dob:14.07.1962⟧","iban":"⟦iban:$IBAN1⟧","service":"⟪service:kundenstamm⟫"}')
r("json", "es", '{"fecha":"2026-12-03T12:00:00Z","nivel":"INFO","mensaje":"alta de cliente","nombre":"⟦name:Inmaculada⟧","apellidos":"⟦name:Villanueva⟧ ⟦name:Crespo⟧","dni":"⟦national_id:$NIF1⟧","movil":"⟦phone:+34 699 412 087⟧","canal":"⟪word:web⟫"}')
r("json", "fr", '{"horodatage":"2026-12-03T12:01:00Z","niveau":"WARN","message":"échec de paiement","client":{"prénom":"⟦name:Timothée⟧","nom":"⟦name:Marchand⟧","téléphone":"⟦phone:06 71 84 22 90⟧"},"code":"⟪code:PAY_REFUSED⟫"}')
r("json", "pl", '{"czas":"2026-12-03T12:02:00Z","poziom":"INFO","komunikat":"rejestracja","imie":"⟦name:Grzegorz⟧","nazwisko":"⟦name:Brzęczyszczykiewicz⟧","pesel":"⟦national_id:$PESEL1⟧","miasto":"⟪word:Łódź⟫"}')
r("json", "pt", '{"data":"2026-12-03T12:03:00Z","nivel":"INFO","mensagem":"pedido criado","cliente":"⟦name:Thiago⟧ ⟦name:Nascimento⟧","cpf":"⟦national_id:529.982.247-25⟧","endereco":"⟦address:Rua Voluntários da Pátria, 190⟧","cep":"⟦postcode:22270-010⟧","pedido":⟪id:99120⟫}')
r("json", "it", '{"ts":"2026-12-03T12:04:00Z","livello":"INFO","messaggio":"cliente registrato","nome":"⟦name:Ludovica⟧","cognome":"⟦name:Santangelo⟧","codice_fiscale":"⟦national_id:$CF1⟧","cellulare":"⟦phone:+39 347 112 9087⟧"}')
r("json", "hi", '{"ts":"2026-12-03T12:05:00Z","level":"INFO","msg":"KYC verified","naam":"⟦name:Harpreet⟧ ⟦name:Dhillon⟧","aadhaar":"⟦national_id:$AADHAAR1⟧","mobile":"⟦phone:+91 98140 22715⟧","state":"⟪word:Punjab⟫"}')
r("json", "en", '{"level":"info","msg":"device registered","device":{"imei":"⟦imei:$IMEI1⟧","model":"⟪word:SM-S918B⟫","os_version":"⟪version:14.0.0.1⟫"},"user_id":"⟪id:usr_77ab01cd⟫"}')
r("json", "en", '{"level":"warn","event":"payout_failed","bank":{"account_holder":"⟦name:Marguerite⟧ ⟦name:Okafor⟧","routing_number":"⟦routing:$ABA1⟧","account_number":"⟦bank_account:004417729981⟧"},"payout_id":"⟪id:po_1OqT7u2eZvKYlo2C⟫"}')
r("json", "en", '{"level":"info","msg":"chat message stored","conversation_id":"⟪id:conv_81f2⟫","message":{"text":"⟦content:hey it\'s me, gate code is 4471, come round the back⟧","sender_id":"⟪id:usr_19c0⟫"},"latency_ms":⟪count:57⟫}')
r("json", "en", '{"level":"error","msg":"upstream auth failed","headers":{"Authorization":"Basic ⟦token:YWRtaW46c3VwZXJzZWNyZXQxMjM=⟧","X-Request-ID":"⟪id:a1b2c3d4-0000-4f4f-9e9e-123456789abc⟫"},"upstream":"⟪host:billing.internal:8443⟫"}')
r("json", "en", '{"ts":"2026-12-03T13:00:00Z","msg":"config loaded","env":{"DATABASE_URL":"mysql://⟦name:shop⟧:⟦password:Xk9!pQ2#vL7m⟧@10.20.0.5:3306/shop","LOG_LEVEL":"⟪word:debug⟫","APP_VERSION":"⟪version:5.2.11.3⟫"}}')

# ---- stack traces: Java, Python, Go
r("stack_java", "en", 'org.springframework.dao.DuplicateKeyException: PreparedStatementCallback; duplicate key value violates unique constraint "users_email_key"; Key (email)=(⟦email:b.oyelaran@example.co.uk⟧) already exists.\n\tat org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:⟪count:1015⟫)\n\tat com.acme.⟪word:UserRepository⟫.insert(UserRepository.java:77)')
r("stack_java", "en", 'java.lang.IllegalArgumentException: Invalid phone number: ⟦phone:+44 7700 900461⟧\n\tat com.acme.sms.⟪word:PhoneValidator⟫.check(PhoneValidator.java:41)\n\tat com.acme.sms.SmsService.send(SmsService.java:⟪count:120⟫)')
r("stack_java", "en", 'Caused by: java.sql.SQLException: Access denied for user \'⟦name:reporting⟧\'@\'⟦ip:10.44.7.19⟧\' (using password: YES)\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:⟪count:130⟫)')
r("stack_java", "en", 'Exception in thread "⟪word:pool-3-thread-7⟫" java.io.FileNotFoundException: /home/⟦home_path:okonkwo⟧/.aws/credentials (No such file or directory)\n\tat java.base/java.io.FileInputStream.open0(Native Method)')
r("stack_java", "de", 'de.bank.KontoException: Konto nicht gefunden für IBAN ⟦iban:$IBAN2⟧ (Kunde: ⟦name:Wolfgang⟧ ⟦name:Brandstätter⟧)\n\tat de.bank.⟪word:KontoService⟫.lade(KontoService.java:⟪count:212⟫)')
r("stack_java", "en", 'com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type `java.time.LocalDate` from String "⟪word:31/02/2026⟫"\n at [Source: (String)"{"dob":"⟦dob:1979-11-23⟧","name":"⟦name:Priscilla⟧ ⟦name:Amankwah⟧"}"; line: 1, column: ⟪count:9⟫]')
r("stack_java", "it", 'it.poste.ValidazioneException: codice fiscale non valido per ⟦name:Gianluca⟧ ⟦name:Tartaglia⟧: ⟦national_id:$CF2⟧\n\tat it.poste.anagrafe.⟪word:Validatore⟫.verifica(Validatore.java:58)')
r("stack_py", "en", 'Traceback (most recent call last):\n  File "/Users/⟦home_path:wbeaumont⟧/code/etl/load.py", line ⟪count:214⟫, in <module>\n    main()\n  File "/Users/wbeaumont/code/etl/load.py", line 198, in main\n    raise ValueError(f"bad row for {email}")\nValueError: bad row for ⟦email:ines.carvalho@sapo.pt⟧')
r("stack_py", "en", 'Traceback (most recent call last):\n  File "/srv/app/⟪word:billing⟫/tasks.py", line 51, in charge\n    stripe.Charge.create(api_key="⟦api_key:sk_live_51HqLyjWDarjtT1zdp7dcXq8⟧", amount=amount)\nstripe.error.AuthenticationError: Invalid API Key provided')
r("stack_py", "en", 'Traceback (most recent call last):\n  File "C:\\\\Users\\\\⟦home_path:dpham⟧\\\\AppData\\\\Local\\\\Programs\\\\Python\\\\Python311\\\\lib\\\\site-packages\\\\requests\\\\adapters.py", line ⟪count:519⟫, in send\nrequests.exceptions.ConnectionError: HTTPSConnectionPool(host=\'⟦ip:192.168.40.12⟧\', port=443)')
r("stack_py", "en", 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "customers_phone_key"\nDETAIL:  Key (phone)=(⟦phone:(415) 555-0198⟧) already exists.\nCONTEXT:  ⟪word:COPY⟫ customers, line ⟪count:4812⟫')
r("stack_py", "es", 'Traceback (most recent call last):\n  File "/opt/facturas/generar.py", line ⟪count:88⟫, in <module>\n    enviar(cliente="⟦name:Rocío⟧ ⟦name:Echeverría⟧", correo="⟦email:rocio.ech@telefonica.net⟧")\nsmtplib.SMTPRecipientsRefused: {}')
r("stack_py", "en", 'django.db.utils.IntegrityError: NOT NULL constraint failed: accounts_profile.date_of_birth\nRequest data: {\'first_name\': \'⟦name:Ophelia⟧\', \'last_name\': \'⟦name:Nakashima⟧\', \'date_of_birth\': \'⟦dob:1990-02-29⟧\'}')
r("stack_go", "en", 'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b8f2a]\n\ngoroutine ⟪count:173⟫ [running]:\nmain.(*Handler).ServeHTTP(0xc0001a2000, {0x7f1c40, 0xc0002b8000}, 0xc0003c2100)\n\t/home/⟦home_path:adeyemi⟧/go/src/⟪service:checkout-svc⟫/handler.go:⟪count:142⟫ +0x2a')
r("stack_go", "en", '2026/12/03 10:22:31 http: panic serving ⟦ip:10.8.0.14⟧:52144: sql: Scan error on column index 2, name "email": converting NULL to string is unsupported\ngoroutine 88 [running]:\nnet/http.(*conn).serve.func1()')
r("stack_go", "en", 'goroutine 1 [running]:\nmain.loadConfig(...)\n\t/app/main.go:33\npanic: open config: AWS_SECRET_ACCESS_KEY=⟦token:$AWS1⟧ is not allowed in ⟪path:config.yaml⟫')
r("stack_go", "pl", 'panic: nie można zapisać klienta ⟦name:Jadwiga⟧ ⟦name:Sienkiewicz⟧ (tel. ⟦phone:+48 512 384 901⟧)\n\ngoroutine ⟪count:7⟫ [running]:\nmain.zapisz(...)\n\t/srv/⟪service:crm-sync⟫/main.go:61')

# ---- HTTP dumps
r("http", "en", 'GET /v1/accounts/me HTTP/1.1\nHost: ⟪host:api.bank.example⟫\nAuthorization: Bearer ⟦token:$JWT1⟧\nUser-Agent: ⟪word:BankApp⟫/⟪version:7.18.2⟫ (iPhone; iOS 17.1)\nX-Forwarded-For: ⟦ip:94.12.200.3⟧')
r("http", "en", 'POST /oauth/token HTTP/1.1\nHost: login.example.com\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=password&username=⟦email:fernanda.lima%40gmail.com⟧&password=⟦password:Saudade%2122⟧&client_id=⟪id:mobile-ios⟫')
r("http", "en", 'HTTP/1.1 200 OK\nContent-Type: application/json\nSet-Cookie: sid=⟦token:s%3AqA9xk3Jd7LmP2vN8.bT5yR1wZ4cF6gH0jK⟧; Path=/; HttpOnly; Secure\nX-Trace-Id: ⟪id:7d3a91b0c2e44f5e⟫\nContent-Length: ⟪count:341⟫')
r("http", "en", 'PUT /api/users/⟪id:48211⟫ HTTP/1.1\nHost: admin.example.com\nX-Api-Key: ⟦api_key:k8Zq3Lm9Pv2Xw7Nc4Rb6Td1Fy5Gh0Js3⟧\nContent-Type: application/json\n\n{"display_name":"⟦name:Benedikt⟧ ⟦name:Aschenbrenner⟧","locale":"⟪word:de-AT⟫"}')
r("http", "en", '> POST /graphql HTTP/2\n> host: ⟪host:gql.example.net⟫\n> cookie: _session_id=⟦token:8f14e45fceea167a5a36dedd4bea2543⟧; locale=en\n> content-length: ⟪count:212⟫')
r("http", "en", '< HTTP/2 401\n< www-authenticate: Bearer realm="api", error="invalid_token"\n< x-ratelimit-remaining: ⟪count:4998⟫\n< x-request-id: ⟪id:01HJ2K3M4N5P6Q7R8S9T0V1W2X⟫')
r("http", "fr", 'POST /api/inscription HTTP/1.1\nHost: ⟪host:www.exemple.fr⟫\nContent-Type: application/json\n\n{"prenom":"⟦name:Ghislaine⟧","nom":"⟦name:Delacroix⟧","courriel":"⟦email:g.delacroix@orange.fr⟧","naissance":"⟦dob:03/09/1958⟧"}')
r("http", "en", 'GET /reset?token=⟦token:f3b1c9a7e5d20486b8a4c6e2d0f19375⟧&uid=⟪id:9921⟫ HTTP/1.1\nHost: accounts.example.com\nReferer: https://mail.example.com/')
r("http", "pt", 'POST /api/v1/pix HTTP/1.1\nHost: ⟪host:pagamentos.exemplo.com.br⟫\nAuthorization: Token ⟦token:9c8b7a6d5e4f3a2b1c0d9e8f7a6b5c4d⟧\n\n{"chave_pix":"⟦phone:+55 21 98765-4321⟧","valor":⟪count:15000⟫,"descricao":"aluguel"}')
r("http", "en", 'HTTP/1.1 302 Found\nLocation: https://app.example.com/welcome?email=⟦email:kwame.mensah%40proton.me⟧&plan=⟪word:premium⟫\nServer: ⟪word:nginx⟫/⟪version:1.25.3⟫')

# ---- curl
r("curl", "en", "curl -sS -X POST https://api.mailgun.net/v3/mg.example.com/messages -u 'api:⟦api_key:key-3ax6xnjp29jd6fds4gc373sgvjxteol0⟧' -F to=⟦email:zainab.yusuf@example.com⟧ -F subject=⟪word:Welcome⟫")
r("curl", "en", "curl -H 'Authorization: token ⟦token:ghp_Wq8eR4tY6uI2oP0aS9dF3gH5jK7lZ1xC2vB4⟧' https://api.github.com/repos/⟪path:acme/infra⟫/actions/runs?per_page=⟪count:50⟫")
r("curl", "en", 'curl --request POST --url https://hooks.slack.com/services/⟦token:T024BE7LD/B08N5M1LK/Q7ffWqL4JzR2vX9yK3pN8sTu⟧ --data \'{"text":"deploy ⟪version:3.4.1.7⟫ done"}\'')
r("curl", "en", "curl -k https://⟦name:deploy⟧:⟦password:Qwerty!2026⟧@⟦ip:172.31.9.44⟧:8443/api/v1/restart -d 'service=⟪service:search-api⟫'")
r("curl", "en", 'curl "https://maps.googleapis.com/maps/api/geocode/json?address=⟦address:1600+Amphitheatre+Parkway⟧&key=⟦api_key:AIzaSyB1x8Jk3Lq9Wm2Zv5Nc7Rp0Td4Fy6Gh8Js⟧"')
r("curl", "de", "curl -X POST https://api.example.de/v1/kunden -H 'Content-Type: application/json' -d '{\"name\":\"⟦name:Annegret⟧ ⟦name:Kleinschmidt⟧\",\"strasse\":\"⟦address:Lindenallee 14⟧\",\"plz\":\"⟦postcode:04109⟧\",\"ort\":\"⟪word:Leipzig⟫\"}'")
r("curl", "en", "curl -X POST https://api.twilio.com/2010-04-01/Accounts/⟪id:AC8f3e1b2c4d5a6f7e8d9c0b1a2f3e4d5c⟫/Messages.json --data-urlencode 'To=⟦phone:+15017122661⟧' --data-urlencode 'Body=⟦content:Your table for 4 is confirmed tonight⟧' -u ⟪id:AC8f3e1b2c4d5a6f7e8d9c0b1a2f3e4d5c⟫:⟦token:f2a9c3e7b1d5048e6a2c9f7b3d1e5a08⟧")
r("curl", "en", "curl -s -H \"PRIVATE-TOKEN: ⟦token:glpat-xR4s9Tq2Lw7Zk1Vn3Bm8⟧\" \"https://gitlab.example.com/api/v4/projects/⟪id:412⟫/pipelines?status=failed\"")

# ---- SQL
r("sql", "en", "INSERT INTO customers (id, first_name, last_name, email, created_at) VALUES (⟪id:10442⟫, '⟦name:Desmond⟧', '⟦name:Achterberg⟧', '⟦email:d.achterberg@kpnmail.nl⟧', '⟪timestamp:2026-12-03 10:00:00⟫');")
r("sql", "en", "UPDATE users SET password_hash = '$2b$12$KIXQJ2ZcQ7e', phone = '⟦phone:+1 646 555 0134⟧' WHERE id = ⟪id:55123⟫;")
r("sql", "en", "LOG:  duration: ⟪duration:12.331 ms⟫  statement: SELECT * FROM orders WHERE customer_email = '⟦email:yuki.tanaka@example.jp⟧' AND status = 'OPEN'")
r("sql", "en", "ERROR:  duplicate key value violates unique constraint \"accounts_iban_key\"\nDETAIL:  Key (iban)=(⟦iban:$IBAN3⟧) already exists.\nSTATEMENT:  INSERT INTO accounts ...")
r("sql", "es", "INSERT INTO clientes (nombre, apellido1, apellido2, dni, telefono) VALUES ('⟦name:Covadonga⟧', '⟦name:Arrieta⟧', '⟦name:Goikoetxea⟧', '⟦national_id:$NIF2⟧', '⟦phone:944 123 456⟧');")
r("sql", "pl", "SELECT id, imie, nazwisko FROM klienci WHERE pesel = '⟦national_id:$PESEL2⟧' AND aktywny = true; -- ⟪duration:4 ms⟫")
r("sql", "en", "INSERT INTO addresses VALUES (⟪id:771⟫, '⟦address:4 Privet Drive⟧', 'Little Whinging', '⟦postcode:KT22 7RU⟧', 'GB');")
r("sql", "pt", "INSERT INTO usuarios (nome_completo, email, data_nascimento) VALUES ('⟦name:Raimunda⟧ ⟦name:Bezerra⟧ de Albuquerque', '⟦email:raimunda.ba@bol.com.br⟧', '⟦dob:1971-05-30⟧');")
r("sql", "en", "2026-12-03 10:10:10 UTC [⟪count:2231⟫] app@orders LOG:  execute <unnamed>: SELECT count(*) FROM sessions WHERE ip = '⟦ip:185.199.108.153⟧'")
r("sql", "it", "UPDATE clienti SET indirizzo = '⟦address:Via dei Serpenti 42⟧', cap = '⟦postcode:00184⟧' WHERE id = ⟪id:3301⟫;")

# ---- YAML / config
r("yaml", "en", "database:\n  host: ⟪host:db.prod.internal⟫\n  user: ⟪word:orders_app⟫\n  password: ⟦password:vR7#nQ2!zL9x⟧\n  pool_size: ⟪count:20⟫")
r("yaml", "en", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ⟪service:stripe-credentials⟫\nstringData:\n  STRIPE_API_KEY: ⟦api_key:rk_live_51MzXcQ8vLp2Nw7Rt4Ys9Kd3Bh⟧")
r("yaml", "en", "smtp:\n  server: smtp.sendgrid.net\n  username: apikey\n  password: ⟦api_key: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⟧\n  from: ⟦email:noreply-billing@example.com⟧")
r("yaml", "en", "contacts:\n  oncall: ⟦name:Henrietta⟧ ⟦name:Fairbanks⟧ <⟦email:hfairbanks@example.com⟧>\n  escalation_phone: ⟦phone:+1 (312) 555-0172⟧\nretries: ⟪count:5⟫")
r("yaml", "en", "image: ⟪service:registry.example.com/payments/api⟫:⟪version:1.42.0⟫\nenv:\n  - name: ⟪word:REDIS_PASSWORD⟫\n    value: ⟦password:hK82nfLq0w⟧\n  - name: LOG_FORMAT\n    value: ⟪word:json⟫")
r("yaml", "de", "kunde:\n  name: ⟦name:Reinhold⟧ ⟦name:Pfannkuch⟧\n  anschrift: ⟦address:Am Mühlbach 7⟧\n  plz: ⟦postcode:83022⟧\n  ort: ⟪word:Rosenheim⟫")
r("yaml", "en", "wallets:\n  treasury_btc: ⟦wallet:$WALLET1⟧\n  hot_eth: ⟦wallet:0x52908400098527886E0F7030069857D2E4169EE7⟧\nthreshold: ⟪count:250000⟫")
r("yaml", "en", "ssh:\n  deploy_key: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    ⟦private_key:b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW⟧\n    ⟦private_key:QyNTUxOQAAACDk8y2v5r0vL9sF1XqU7nW3pA6oH4gJ2zM8tK1yC0eRbQAAAJgPq3fJD6t3⟧\n    -----END OPENSSH PRIVATE KEY-----")
r("yaml", "en", "replicas: ⟪count:3⟫\nversion: ⟪version:10.4.2.118⟫\nmetrics:\n  - ⟪metric:http_server_requests_seconds⟫\n  - ⟪metric:jvm_threads_live⟫")

# ---- CI logs
r("ci", "en", "Run echo \"Deploying as $DEPLOY_USER\"\nDeploying as ⟦name:svc-deployer⟧\n##[debug]Evaluating: secrets.NPM_TOKEN\nnpm config set //registry.npmjs.org/:_authToken ⟦token:npm_Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5⟧")
r("ci", "en", "[⟪timestamp:2026-12-03T10:40:01.332Z⟫] Step 4/9 : RUN pip install --index-url https://⟦name:ci-bot⟧:⟦token:pypi-AgEIcHlwaS5vcmcCJDk3⟧@pypi.example.com/simple -r requirements.txt")
r("ci", "en", "+ docker login -u ⟦name:jenkins⟧ -p ⟦password:Jk8$mPq2Wz⟧ ⟪host:registry.example.com⟫\nWARNING! Using --password via the CLI is insecure. Use --password-stdin.\nLogin Succeeded")
r("ci", "en", "$ git clone https://⟦name:oauth2⟧:⟦token:glpat-9Kq2Xv7Lm3Nb8Zc1Rt6W⟧@gitlab.example.com/platform/⟪service:terraform-modules⟫.git\nCloning into 'terraform-modules'...")
r("ci", "en", "Build #⟪count:4821⟫ triggered by ⟦name:Ingrid⟧ ⟦name:Solberg⟧ (⟦email:ingrid.solberg@example.no⟧) on branch ⟪word:release/2026.12⟫")
r("ci", "en", "==> Uploading coverage with CODECOV_TOKEN=⟦token:7b3e9f21-4c8d-4a6e-b5f0-2d1c3e4f5a69⟧\n==> Coverage ⟪count:87.4⟫%")
r("ci", "en", "Author: ⟦name:Rashida⟧ ⟦name:Okoro-Bright⟧ <⟦email:rashida@okoro-bright.dev⟧>\nDate:   Thu Dec 3 10:00:00 2026 +0000\n\n    ⟪word:fix⟫: retry flaky integration test")
r("ci", "en", "export AWS_ACCESS_KEY_ID=⟦api_key:AKIAZ7Q3XV5LM2N8PR4T⟧\nexport AWS_SECRET_ACCESS_KEY=⟦token:$AWS2⟧\nterraform apply -auto-approve -var region=⟪word:eu-central-1⟫")

# ---- Kubernetes / container logs
r("k8s", "en", "⟪pod:payments-api-6f9d8b7c5-x4k2m⟫ payments-api 2026-12-03T10:01:00Z INFO charge created for customer ⟦email:olumide.a@example.ng⟧ amount=⟪count:4599⟫")
r("k8s", "en", "I1203 10:02:11.552101       1 event.go:307] \"Event occurred\" object=\"default/⟪pod:checkout-5b8c9d-7tq2w⟫\" kind=\"Pod\" reason=\"Pulled\" message=\"Successfully pulled image \\\"⟪service:ghcr.io/acme/checkout⟫:⟪version:2.8.1⟫\\\"\"")
r("k8s", "en", "E1203 10:03:00.000001   2231 reflector.go:147] failed to list *v1.Secret: secrets is forbidden: User \"⟪word:system:serviceaccount:ci:runner⟫\" cannot list resource")
r("k8s", "en", "kubectl create secret generic db-creds --from-literal=username=⟪word:orders⟫ --from-literal=password='⟦password:N0t-s0-s3cret!⟧' -n ⟪word:payments⟫")
r("k8s", "en", "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"user\":{\"username\":\"⟦email:marisol.vega@example.com⟧\",\"groups\":[\"system:authenticated\"]},\"sourceIPs\":[\"⟦ip:198.18.0.42⟧\"],\"verb\":\"⟪word:delete⟫\",\"objectRef\":{\"resource\":\"pods\",\"name\":\"⟪pod:worker-0⟫\"}}")
r("k8s", "en", "⟪pod:notifier-77d4f5c9b8-zm9vq⟫ notifier 2026-12-03 10:05:12 WARN sms to ⟦phone:+49 1512 3456789⟧ failed: provider timeout after ⟪duration:3000ms⟫")
r("k8s", "de", "⟪pod:rechnung-worker-5c7f8-l2kpp⟫ 2026-12-03T10:06:00Z INFO Rechnung ⟪id:RE-2026-11873⟫ an ⟦name:Friederike⟧ ⟦name:Wendtland⟧, ⟦address:Bergstraße 112⟧, ⟦postcode:69120⟧ Heidelberg versandt")
r("k8s", "en", "Warning  Failed     12s   kubelet  Failed to pull image \"⟪service:private.registry.io/app⟫:⟪version:4.0.0.12⟫\": unauthorized: authentication required")

# ---- DogStatsD and Prometheus
r("dogstatsd", "en", "⟪metric:checkout.payment.latency⟫:⟪count:231⟫|ms|#env:prod,service:⟪service:checkout⟫,customer_email:⟦email:peggy.lindqvist@example.se⟧,version:⟪version:3.1.4.9⟫")
r("dogstatsd", "en", "⟪metric:auth.login.failure⟫:1|c|#user:⟦name:cosmina.radu⟧,ip:⟦ip:5.2.70.11⟧,reason:⟪word:bad_password⟫")
r("dogstatsd", "en", "⟪metric:sms.sent⟫:1|c|#to:⟦phone:+33612345678⟧,provider:⟪word:twilio⟫,pod_name:⟪pod:notifier-77d4f5c9b8-zm9vq⟫")
r("dogstatsd", "en", "_e{21,36}:Deploy finished by ⟦name:Leopold⟧|⟪service:cart-service⟫ ⟪version:5.0.2.31⟫ rolled out|#env:staging")
r("dogstatsd", "en", "⟪metric:queue.depth⟫:⟪count:1284⟫|g|#queue:⟪word:emails-outbound⟫,host:⟪host:worker-12⟫")
r("prom", "en", "⟪metric:http_requests_total⟫{method=\"POST\",path=\"/api/users/⟦email:rene.haas@example.at⟧/avatar\",status=\"⟪code:500⟫\"} 3")
r("prom", "en", "⟪metric:login_attempts_total⟫{user=\"⟦email:ana.beltran@correo.es⟧\",result=\"fail\"} ⟪count:17⟫")
r("prom", "en", "⟪metric:build_info⟫{version=\"⟪version:2.47.0.3⟫\",revision=\"⟪id:efbbb5e8f6d1⟫\",goversion=\"go1.21.4\"} 1")
r("prom", "en", "⟪metric:node_network_receive_bytes_total⟫{device=\"eth0\",instance=\"⟦ip:10.0.12.7⟧:9100\",job=\"⟪word:node⟫\"} 9.8e+09")
r("prom", "en", "⟪metric:kube_pod_status_ready⟫{namespace=\"⟪word:payments⟫\",pod=\"⟪pod:payments-api-6f9d8b7c5-x4k2m⟫\",condition=\"true\"} 1")

# ---- CSV
r("csv", "en", "⟪id:20931⟫,⟦name:Bartholomew⟧,⟦name:Quinlan⟧,⟦email:bquinlan@example.ie⟧,⟦phone:+353 87 123 4567⟧,⟪word:Gold⟫,⟪count:1240⟫")
r("csv", "en", "order_id,customer,street,city,postcode,total\n⟪id:ORD-55812⟫,⟦name:Philippa⟧ ⟦name:Hargreaves⟧,⟦address:17 Windermere Close⟧,Leeds,⟦postcode:LS6 2QT⟧,⟪count:84.50⟫")
r("csv", "de", "⟪id:8812⟫;⟦name:Hannelore⟧;⟦name:Kessler⟧;⟦address:Rosenweg 3⟧;⟦postcode:72070⟧;Tübingen;⟦iban:$IBAN4⟧")
r("csv", "es", "⟪id:3318⟫,\"⟦name:Maite⟧ ⟦name:Zubizarreta⟧\",⟦address:Calle de Toledo 88⟧,⟦postcode:28005⟧,Madrid,⟦phone:+34 915 22 41 87⟧")
r("csv", "fr", "⟪id:4471⟫;⟦name:Bérénice⟧;⟦name:Chastain⟧;⟦dob:12/04/1985⟧;⟦address:27 allée des Acacias⟧;⟦postcode:33000⟧;Bordeaux")
r("csv", "pl", "⟪id:1190⟫,⟦name:Zbigniew⟧,⟦name:Wróblewski⟧,⟦national_id:$PESEL1⟧,⟦address:ul. Ogrodowa 15/4⟧,⟦postcode:61-821⟧,Poznań")
r("csv", "pt", "⟪id:7762⟫|⟦name:Conceição⟧|⟦name:Magalhães⟧|⟦email:conceicao.m@netcabo.pt⟧|⟦phone:+351 912 345 678⟧|⟪word:ATIVO⟫")
r("csv", "it", "⟪id:5521⟫,⟦name:Ottavio⟧,⟦name:Pellegrini⟧,⟦address:Corso Garibaldi 19⟧,⟦postcode:80142⟧,Napoli,⟦national_id:$CF1⟧")
r("csv", "hi", "⟪id:6610⟫,⟦name:Lakshmi⟧,⟦name:Venkataraman⟧,⟦phone:+91 94440 12345⟧,⟦address:12, Anna Salai⟧,Chennai,⟦postcode:600002⟧")
r("csv", "en", "ts,user_id,event,latency_ms,version\n⟪timestamp:2026-12-03T10:00:00Z⟫,⟪id:usr_3b9f0a⟫,⟪word:checkout⟫,⟪count:412⟫,⟪version:6.2.0.44⟫")
r("csv", "en", "⟪id:901⟫,⟦name:Siddharth⟧,⟦name:Raghunathan⟧,⟦card:$CARD1⟧,⟪word:VISA⟫,12/29")
r("csv", "en", "account,holder,sort_code,account_no\n⟪id:acc_771⟫,⟦name:Rosalind⟧ ⟦name:Featherstone⟧,⟦bank_account:20-00-00⟧,⟦bank_account:55779911⟧")

# ---- chat transcripts
r("chat", "en", "[10:02] ⟦name:Marcus⟧: ⟦content:can you send me the wifi password again⟧")
r("chat", "en", "[10:03] support-bot: ⟪word:Sure⟫, I've sent a reset link to ⟦email:marcus.b@example.com⟧.")
r("chat", "en", "<⟦name:Tabitha⟧> ⟦content:my flat is 3B at 55 Cromwell Road, ring twice⟧")
r("chat", "en", "2026-12-03 10:05 | ⟦name:Ezekiel⟧ ⟦name:Boateng⟧ | ⟦content:I'm running late, call me on 07911 123456⟧")
r("chat", "de", "[10:06] ⟦name:Wiebke⟧: ⟦content:Ich bin ab Montag im Urlaub, meine Vertretung ist Herr Lindemann⟧")
r("chat", "es", "[10:07] ⟦name:Ximena⟧: ⟦content:Mañana no puedo, tengo cita con el médico a las nueve⟧")
r("chat", "fr", "[10:08] ⟦name:Gaspard⟧ : ⟦content:Je te rappelle ce soir, mon fils est malade⟧")
r("chat", "pl", "[10:09] ⟦name:Bożena⟧: ⟦content:Kod do drzwi to 1948, wejdź od podwórza⟧")
r("chat", "pt", "[10:10] ⟦name:Iracema⟧: ⟦content:Pode deixar o pacote com a vizinha do 302⟧")
r("chat", "it", "[10:11] ⟦name:Ornella⟧: ⟦content:Stasera non ci sono, lascia pure le chiavi sotto lo zerbino⟧")
r("chat", "hi", "[10:12] ⟦name:Bhavesh⟧: ⟦content:bhai kal subah 9 baje aa jana, mummy ki tabiyat theek nahi hai⟧")
r("chat", "en", '{"role":"user","content":"⟦content:My son Noah has a peanut allergy, please note it for the party⟧","ts":⟪count:1764756100⟫}')
r("chat", "en", '{"type":"message","user":"⟪id:U02ABCDEF⟫","text":"⟦content:heads up, I will be out for surgery next week⟧","channel":"⟪id:C0123ABCD⟫"}')
r("chat", "en", "From: ⟦name:Penelope⟧ ⟦name:Ashworth⟧ <⟦email:p.ashworth@example.com⟧>\nSubject: ⟪word:Re⟫: invoice ⟪id:INV-3391⟫")
r("chat", "en", "Kind regards,\n⟦name:Cornelius⟧ ⟦name:Vandersloot⟧\nHead of Procurement\n⟦phone:+31 20 794 0531⟧")
r("chat", "de", "Mit freundlichen Grüßen\n⟦name:Ottilie⟧ ⟦name:Hagedorn⟧\n⟦address:Lessingstraße 9⟧, ⟦postcode:01069⟧ Dresden")
r("chat", "es", "Un saludo,\n⟦name:Remedios⟧ ⟦name:Castañeda⟧\nTel. ⟦phone:+34 963 12 45 78⟧")

# ---- prose logs in other languages
r("prose", "de", "Kunde ⟦name:Eberhard⟧ ⟦name:Winterstein⟧ hat die Bestellung ⟪id:4711-B⟫ storniert (Grund: ⟪word:Lieferverzug⟫)")
r("prose", "de", "Lieferadresse geändert: ⟦address:Schillerplatz 4⟧, ⟦postcode:70173⟧ Stuttgart (Auftrag ⟪id:A-99120⟫)")
r("prose", "de", "Überweisung an ⟦name:Hildegard⟧ ⟦name:Voß⟧ auf Konto ⟦iban:$IBAN5⟧ ausgeführt, Betrag ⟪count:1250,00⟫ EUR")
r("prose", "es", "Se ha enviado el pedido a ⟦address:Avenida de la Constitución 21⟧, ⟦postcode:41004⟧ Sevilla para ⟦name:Macarena⟧ ⟦name:Escobedo⟧")
r("prose", "es", "El cliente con NIE ⟦national_id:$NIE1⟧ solicitó la baja del servicio ⟪service:fibra-plus⟫")
r("prose", "fr", "Le client ⟦name:Anatole⟧ ⟦name:Fontaine⟧, né le ⟦dob:22/06/1947⟧, a demandé une copie de son contrat ⟪id:CT-88112⟫")
r("prose", "fr", "Remboursement envoyé sur le compte ⟦iban:$IBAN6⟧ de Mme ⟦name:Solène⟧ ⟦name:Guillot⟧")
r("prose", "pl", "Klient ⟦name:Jarosław⟧ ⟦name:Pietrzak⟧ zmienił adres na ⟦address:ul. Mickiewicza 22⟧, ⟦postcode:30-059⟧ Kraków")
r("prose", "pl", "Przelew z konta ⟦iban:$IBAN7⟧ odrzucony: ⟪code:NIEWYSTARCZAJACE_SRODKI⟫")
r("prose", "pt", "Cliente ⟦name:Gervásio⟧ ⟦name:Cordeiro⟧ nascido em ⟦dob:09/11/1966⟧ atualizou o telefone para ⟦phone:(21) 3456-7890⟧")
r("prose", "pt", "Entrega agendada para ⟦address:Avenida Brigadeiro Faria Lima, 3477⟧, ⟦postcode:04538-133⟧ São Paulo")
r("prose", "it", "Il cliente ⟦name:Ermanno⟧ ⟦name:Baldacci⟧ ha aggiornato l'indirizzo: ⟦address:Viale Certosa 150⟧, ⟦postcode:20156⟧ Milano")
r("prose", "it", "Bonifico di ⟪count:320⟫ EUR ricevuto da ⟦name:Rosalba⟧ ⟦name:Mancuso⟧, IBAN ⟦iban:$IBAN8⟧")
r("prose", "hi", "Customer ⟦name:Gurpreet⟧ ⟦name:Sandhu⟧ ka address update hua: ⟦address:House No. 221, Sector 17⟧, Chandigarh ⟦postcode:160017⟧")
r("prose", "hi", "⟦name:Meenakshi⟧ ji ka Aadhaar ⟦national_id:$AADHAAR2⟧ verify ho gaya, PAN ⟦national_id:BNZPM2501F⟧ pending hai")
r("prose", "hi", "OTP ⟦otp:482913⟧ bheja gaya ⟦phone:+91 99887 66554⟧ par, service ⟪service:kyc-gateway⟫")

# ---- English prose / application logs with mixed classes
r("prose", "en", "Refund of $⟪count:42.10⟫ issued to account ⟦bank_account:9912004471⟧ (routing ⟦routing:$ABA2⟧) for ticket ⟪id:SUP-20113⟫")
r("prose", "en", "Wire instructions: beneficiary ⟦name:Horatio⟧ ⟦name:Blackwood⟧, account no. ⟦bank_account:61158872⟧, sort code ⟦bank_account:40-47-84⟧")
r("prose", "en", "Support call from Mrs ⟦name:Featherstonehaugh⟧ about order ⟪id:771204⟫, she asked us to use her maiden name ⟦name:Pemberton⟧")
r("prose", "en", "Courier could not find ⟦address:Willowbrook Crescent⟧, customer ⟦name:Abernathy⟧ not answering ⟦phone:(503) 555-0117⟧")
r("prose", "en", "Patient DOB ⟦dob:1958-03-14⟧ does not match record ⟪id:MRN-00412⟫")
r("prose", "en", "KYC: date of birth ⟦dob:07/21/1983⟧, NI number ⟦national_id:$NINO1⟧, verified by ⟪word:Onfido⟫")
r("prose", "en", "Payroll export failed for employee ⟪id:E1029⟫ (NINO ⟦national_id:$NINO2⟧): missing tax code")
r("prose", "en", "card ⟦card:$CARD2⟧ declined by issuer, code ⟪code:05⟫, merchant ⟪word:ACME⟫ Ltd")
r("prose", "en", "Saved card \"⟦card:$CARD3⟧\" for user ⟪id:usr_0a9b⟫")
r("prose", "en", "3DS challenge for card ending ⟪id:1881⟫ on device IMEI ⟦imei:$IMEI2⟧ passed")
r("prose", "en", "Device ⟦imei:$IMEI3⟧ reported lost by owner, blocking on carrier ⟪word:Vodafone⟫")
r("prose", "en", "Withdrawal to ⟦wallet:$WALLET2⟧ pending ⟪count:6⟫ confirmations")
r("prose", "en", "Deposit address for user ⟪id:usr_8812⟫: ⟦wallet:$WALLET3⟧")
r("prose", "en", "The password for the staging box is ⟦password:correct-horse-battery-9⟧, rotate it after the demo")
r("prose", "en", "Login failed: user ⟦email:ahmed.elsayed@example.eg⟧ typed password '⟦password:Cairo#2026⟧' with caps lock on")
r("prose", "en", "Use API key ⟦api_key:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08⟧ for the sandbox, never in prod")
r("prose", "en", "Generated client secret ⟦token:Q2xpZW50U2VjcmV0LTdmM2E5YjJj⟧ for app ⟪service:partner-portal⟫")
r("prose", "en", "Your verification code is ⟦otp:739204⟧. It expires in ⟪count:10⟫ minutes.")
r("prose", "en", "Reset PIN to ⟦otp:8842⟧ for kiosk ⟪id:K-17⟫")
r("prose", "en", "Uploaded /home/⟦home_path:fmorales⟧/Downloads/passport_scan.jpg to bucket ⟪word:kyc-docs⟫")
r("prose", "en", "Opened C:\\Users\\⟦home_path:Kateryna.Bondarenko⟧\\Documents\\payroll.xlsx in ⟪word:Excel⟫")
r("prose", "en", "Redirect to https://app.example.com/invite?email=⟦email:tobias.lund%40example.dk⟧&team=⟪id:T9912⟫")
r("prose", "en", "Connecting to ⟦ip:203.0.113.195⟧ on port ⟪count:5432⟫ as replica")
r("prose", "en", "webhook POST to http://⟦ip:198.51.100.61⟧:8080/notify returned ⟪code:503⟫")
r("prose", "en", "Upgraded agent from ⟪version:7.49.1.2⟫ to ⟪version:7.50.0.1⟫ on ⟪host:ip-10-0-3-17⟫")
r("prose", "en", "Firmware ⟪version:2.4.11.9⟫ rolled out to ⟪count:1200⟫ devices")
r("prose", "en", "Client library ⟪version:1.2.3.4⟫ is deprecated; please upgrade")
r("prose", "en", "ssh ⟦name:ubuntu⟧@⟦ip:52.14.88.190⟧ -i ~/.ssh/prod.pem")
r("prose", "en", "Photo uploaded: https://cdn.example.com/u/⟪id:88121⟫/⟦photo_url:IMG_20261203_101544.jpg⟧")
r("prose", "en", "Mr ⟦name:Thaddeus⟧ ⟦name:Okonjo⟧ of ⟦address:14 Harcourt Street⟧, Dublin ⟦postcode:D02 YX88⟧ requested account deletion")
r("prose", "en", "Assigned to ⟦name:Marisol⟧ in team ⟪word:Payments⟫; reviewer ⟦name:Yevgenia⟧ ⟦name:Sokolova⟧")
r("prose", "en", "Ticket ⟪id:#88213⟫ opened by ⟦name:Ebony⟧ ⟦name:Washington-Hale⟧ regarding ⟪word:Checkout⟫ failures")
r("prose", "en", "Delivery to ⟦address:88 Queen Street West⟧, Toronto, ON ⟦postcode:M5H 2N2⟧ delayed")
r("prose", "en", "Billing address: ⟦address:1200 Pennsylvania Ave NW⟧, Washington, DC ⟦postcode:20004⟧")
r("prose", "en", "New SSN on file ⟦national_id:512-44-9023⟧ for applicant ⟪id:APP-1102⟫")
r("prose", "en", "-----BEGIN RSA PRIVATE KEY-----\n⟦private_key:MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8m8TqMxhsDHcqvrK1yH8wq6sB⟧\n-----END RSA PRIVATE KEY-----")
r("prose", "en", "private_key=\"-----BEGIN EC PRIVATE KEY-----\\n⟦private_key:MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5sZpL5jSe7DqdoAoGCCqGSM49⟧\\n-----END EC PRIVATE KEY-----\"")

# ---- lines that must survive untouched (keeps only)
r("clean", "en", "⟪word:Scheduler⟫ picked ⟪count:42⟫ jobs from queue ⟪word:emails-outbound⟫ in ⟪duration:18ms⟫")
r("clean", "en", "Deployed ⟪service:payments-api⟫ ⟪version:2026.12.3.1⟫ to ⟪word:eu-west-1⟫ (⟪count:12⟫ pods)")
r("clean", "en", "⟪metric:jvm_memory_used_bytes⟫{area=\"heap\",id=\"G1 Eden Space\"} ⟪count:1.2582912e+07⟫")
r("clean", "en", "⟪word:Kubernetes⟫ node ⟪host:ip-10-12-3-4.eu-west-1.compute.internal⟫ is ⟪word:Ready⟫")
r("clean", "en", "GET /api/v1/orders?page=⟪count:3⟫&per_page=⟪count:100⟫ 200 ⟪duration:41ms⟫")
r("clean", "en", "Retrying ⟪word:Payment⟫ webhook for ⟪id:evt_1NgZ2c2eZvKYlo2C⟫ in ⟪count:30⟫ seconds")
r("clean", "en", "Monday ⟪word:Report⟫: ⟪count:1532⟫ orders, ⟪count:12⟫ refunds, Europe region ⟪word:healthy⟫")
r("clean", "en", "⟪service:auth-service⟫ ⟪version:10.0.19041.1⟫ started with pid ⟪count:4182⟫")
r("clean", "en", "Windows build ⟪version:10.0.22631.2861⟫ detected on agent ⟪host:win-build-03⟫")
r("clean", "en", "sha256:⟪id:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855⟫ pulled for ⟪service:nginx⟫:⟪version:1.25.3⟫")
r("clean", "en", "⟪metric:product.wallet.spend.success⟫:1|c|#service:⟪service:wallet⟫,version:⟪version:4.1.0.7⟫,region:⟪word:eu⟫")
r("clean", "en", "Customer ⟪word:Order⟫ ⟪id:ORD-2026-000441⟫ moved to ⟪word:Shipped⟫")
r("clean", "en", "level=info msg=\"cache warm\" entries=⟪count:88120⟫ took=⟪duration:2.4s⟫ node=⟪pod:cache-2⟫")
r("clean", "en", "arn:aws:iam::⟪id:123456789012⟫:role/⟪word:deploy-role⟫ assumed")
r("clean", "en", "Invoice ⟪id:INV-2026-0042⟫ for Tenant ⟪word:Alpha⟫ paid in full")
r("clean", "de", "Rechnung ⟪id:RE-2026-0042⟫ wurde am ⟪timestamp:03.12.2026⟫ bezahlt, Dienst ⟪service:abrechnung⟫ Version ⟪version:3.2.1.0⟫")
r("clean", "es", "Pedido ⟪id:PED-8812⟫ enviado desde el almacén ⟪word:Getafe⟫, ⟪count:3⟫ bultos")
r("clean", "fr", "Commande ⟪id:CMD-5512⟫ expédiée depuis l'entrepôt de ⟪word:Lyon⟫, ⟪count:2⟫ colis")
r("clean", "pl", "Zamówienie ⟪id:ZAM-7781⟫ wysłane, kurier ⟪word:InPost⟫, ⟪count:1⟫ paczka")
r("clean", "pt", "Pedido ⟪id:PED-3391⟫ saiu para entrega via ⟪word:Correios⟫")
r("clean", "it", "Ordine ⟪id:ORD-2291⟫ spedito con ⟪word:Bartolini⟫, ⟪count:4⟫ colli")
r("clean", "hi", "Order ⟪id:ORD-9912⟫ dispatch ho gaya, ⟪word:Delhivery⟫ se ⟪count:2⟫ din mein")
r("clean", "en", "⟪word:unit@instance⟫.service started; ⟪service:postgresql@15-main.service⟫ active")
r("clean", "en", "Chrome/⟪version:120.0.6099.109⟫ Safari/537.36 on macOS ⟪version:14.1.2⟫")


def subst(s):
    return re.sub(r"\$([A-Z]+[0-9])", lambda m: VAL.get(m.group(1), m.group(0)), s)


def main():
    out = []
    for n, (fmt, lang, text) in enumerate(RECORDS):
        text = subst(text)
        secrets, sclasses, keeps, kclasses = [], [], [], []

        def strip(m):
            if m.group(1):
                secrets.append(m.group(2))
                sclasses.append(m.group(1))
                return m.group(2)
            keeps.append(m.group(4))
            kclasses.append(m.group(3))
            return m.group(4)

        plain = MARK.sub(strip, text)
        assert "⟦" not in plain and "⟪" not in plain, plain
        for k in keeps:
            assert not any(s in k for s in secrets), (k, plain)
        out.append({"id": f"heldout2-{n:04d}", "part": "heldout2", "format": fmt, "lang": lang,
                    "text": plain, "secrets": secrets, "keeps": keeps,
                    "secret_classes": sclasses, "keep_classes": kclasses})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout2.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(out)} records, {sum(len(r['secrets']) for r in out)} secrets, {sum(len(r['keeps']) for r in out)} keeps")


if __name__ == "__main__":
    main()
