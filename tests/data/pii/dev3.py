#!/usr/bin/env python3
"""Writes tests/data/pii/dev3.jsonl and dev3_heldout.jsonl: the fourth round's part.

Written by hand for the fourth round of issue #14, before the scrubber was changed for it,
in the shapes the blind scores called weak: person names in free text (first names alone,
chat and support prose, non-English text, CSV/logfmt/JSON values under keys that are not
exactly `name`), chat message content under message-like keys in many formats, OTP and
verification codes in prose, photo/avatar URLs outside photo keys, passwords (prose, DSNs,
CLI flags, SQL, YAML), tokens (session ids, refresh tokens, signed-URL parameters, prefixed
vendor tokens, high-entropy strings next to secret words), and values that must survive
the key-aware JSON path. Languages: en, de, es, fr, pl, pt, it, nl, sv and transliterated
Hindi.

A fixed random 30 % of the records (seed 14) goes to `dev3_heldout.jsonl`: that part is
scored only in aggregate while tuning (its misses are printed only with PII_SHOW_HELDOUT).

Annotation as in dev2.py: «value|class» is a secret that must be gone, ‹value|class› a
value that must stay; the markers are removed from the text. `\\n` separates lines (JSON
records keep it as an escape inside one line).
Run: python3 tests/data/pii/dev3.py  (deterministic).
"""
import json
import os
import random
import re

# (format, lang, text)
R = [
    # === person names in free text ===========================================================
    ("support", "en", "Customer «Priya|name» says the ‹Android|word› app crashes on ‹v5.12.0|version› after login"),
    ("support", "en", "Spoke with «Jonathan|name» on the phone, he wants a refund for ‹ORD-58213|id›"),
    ("support", "en", "Agent «Marta|name» escalated ticket ‹ZD-44120|id› to ‹Tier 2|word›"),
    ("support", "en", "Chat transferred from «Kevin|name» to «Aisha|name» after ‹14m|duration›"),
    ("support", "en", "Callback requested by «Rebecca Holloway|name» regarding invoice ‹INV-2026-0412|id›"),
    ("support", "en", "«Olivia|name» from accounting asked why ‹Stripe|word› payout ‹po_1OxT2Y|id› is delayed"),
    ("support", "en", "Note: «Marcus|name» confirmed the ‹Premium|word› plan downgrade, effective ‹2026-12-01|timestamp›"),
    ("support", "en", "Refund approved for «Hannah Becker|name» (order ‹ORD-90112|id›, amount ‹89.00|count› EUR)"),
    ("support", "en", "«Daniel|name» called again, third time this week, about ‹Checkout|word› errors"),
    ("support", "en", "Left voicemail for «Samantha|name», will retry ‹Monday|word›"),
    ("support", "de", "Laut «Jürgen|name» ist der Server ‹db-03|host› wieder erreichbar"),
    ("support", "de", "Kundin «Sabine Hoffmann|name» meldet doppelte Abbuchung, Vorgang ‹VG-22018|id›"),
    ("support", "de", "Rückruf an «Tobias|name» wegen Lieferung ‹LF-88120|id›, ‹Priorität|word› ‹hoch|word›"),
    ("support", "de", "Ticket ‹T-7712|id›: «Lena|name» kann sich seit gestern nicht anmelden"),
    ("support", "es", "Llamó «Inmaculada|name» preguntando por su pedido ‹PED-33019|id›"),
    ("support", "es", "«Alejandro|name» dice que la app no carga en ‹iOS|word› ‹17.2|version›"),
    ("support", "es", "La clienta «Lucía Fernández|name» pide cambiar la dirección de envío"),
    ("support", "es", "Según «Javier|name», el cobro ‹ch_3NqR8|id› aparece dos veces"),
    ("support", "fr", "«Camille|name» a appelé pour le colis ‹COL-44102|id›, toujours pas livré"),
    ("support", "fr", "La cliente «Élise Moreau|name» demande un avoir de ‹25|count› euros"),
    ("support", "fr", "D'après «Mathieu|name», l'erreur ‹E_CARD_DECLINED|code› revient à chaque essai"),
    ("support", "pl", "«Kasia|name» pyta, czy zamówienie ‹ZAM-77120|id› zostało wysłane"),
    ("support", "pl", "Klient «Tomasz Kowalczyk|name» zgłosił błąd ‹ERR-504|code› przy płatności"),
    ("support", "pl", "Dzwoniła «Agnieszka|name» w sprawie faktury ‹FV/2026/12/007|id›"),
    ("support", "pt", "A «Beatriz|name» ligou sobre o pedido ‹PD-99120|id›, quer trocar o tamanho"),
    ("support", "pt", "Cliente «Rodrigo Almeida|name» reclamou da entrega em ‹48h|duration›"),
    ("support", "pt", "Segundo a «Fernanda|name», o boleto ‹BL-2231|id› venceu ontem"),
    ("support", "it", "«Giulia|name» ha chiesto il rimborso dell'ordine ‹ORD-IT-5521|id›"),
    ("support", "it", "Il cliente «Lorenzo Bianchi|name» segnala un addebito doppio su ‹PayPal|word›"),
    ("support", "it", "Secondo «Francesca|name» il pacco ‹PK-7781|id› è fermo a ‹Bologna|word›"),
    ("support", "nl", "«Sanne|name» belde over bestelling ‹B-88123|id›, pakket is beschadigd"),
    ("support", "nl", "Klant «Jeroen de Vries|name» wil zijn abonnement ‹Plus|word› opzeggen"),
    ("support", "sv", "«Linnea|name» ringde om order ‹SO-4412|id›, leveransen är försenad"),
    ("support", "sv", "Kunden «Johan Eriksson|name» vill ha en kopia av kvittot ‹KV-2210|id›"),
    ("support", "hi", "«Ramesh|name» bhai ne bola ki payment ‹PAY-7712|id› fail ho gaya"),
    ("support", "hi", "«Priyanka|name» ji ka order ‹OD-99812|id› abhi tak deliver nahi hua"),
    ("support", "hi", "Customer «Suresh Iyer|name» ka refund ‹RF-2291|id› pending hai"),
    ("chat", "en", "[09:14] agent: Hi «Fatima|name», can you confirm your order number?"),
    ("chat", "en", "[09:15] bot: Thanks «Oliver|name», I have found order ‹ORD-77102|id›"),
    ("chat", "de", "[10:02] support: Hallo «Katrin|name», wir prüfen das sofort."),
    ("chat", "es", "[11:40] agente: Hola «Valentina|name», ¿en qué puedo ayudarte?"),
    ("chat", "pt", "[12:01] atendente: Olá «Gabriel|name», seu pedido ‹PD-4410|id› saiu para entrega"),
    ("chat", "pl", "[08:55] konsultant: Dzień dobry «Magdalena|name», w czym mogę pomóc?"),
    ("log", "en", "INFO ‹auth-service|service› password reset requested by «Christopher|name» via ‹web|word›"),
    ("log", "en", "WARN ‹support-router|service› conversation ‹cnv_8812|id› reassigned to «Natalie Brooks|name»"),
    ("log", "en", "audit: role ‹admin|word› granted to «Emily Carter|name» by ‹svc-iam|service›"),
    # names under keys that are not exactly `name`
    ("json", "en", '{"ticket_id": "‹ZD-55102|id›", "requested_by": "«Tomasz Kowalczyk|name»", "priority": "‹high|word›"}'),
    ("json", "en", '{"event": "‹order.created|word›", "created_by": "«Ana Souza|name»", "order_id": "‹ORD-66120|id›"}'),
    ("json", "en", '{"conversation": "‹cnv_7712|id›", "agent": "«Lucía Romero|name»", "wait_ms": ‹4200|count›}'),
    ("json", "en", '{"assigned_to": "«Rahul Verma|name»", "queue": "‹billing|service›", "sla_minutes": ‹30|count›}'),
    ("json", "en", '{"from": "«Ingrid Larsson|name»", "to": "support", "channel": "‹email|word›"}'),
    ("json", "en", '{"participants": ["«Bruno Costa|name»", "«Elena Petrova|name»"], "room": "‹standup|word›"}'),
    ("json", "en", '{"user": {"id": "‹u_88213|id›", "displayName": "«Grace Okafor|name»", "locale": "‹en-GB|code›"}}'),
    ("json", "en", '{"signer": "«Martin Schulz|name»", "document_id": "‹DOC-2291|id›", "signed_at": "‹2026-11-30T10:12:00Z|timestamp›"}'),
    ("json", "de", '{"bearbeitet_von": "«Stefanie Wagner|name»", "status": "‹erledigt|word›"}'),
    ("json", "es", '{"atendido_por": "«Carmen Ruiz|name»", "canal": "‹chat|word›", "duracion_s": ‹312|count›}'),
    ("json", "en", '{"shipping": {"recipient_name": "«Olga Novak|name»", "city": "‹Prague|word›"}, "carrier": "‹DHL|word›"}'),
    ("json", "en", '{"billing_contact": "«Peter Lindgren|name»", "plan": "‹Enterprise|word›"}'),
    ("logfmt", "en", "level=info msg=\"ticket created\" requester=\"«Hannah Becker|name»\" ticket=‹SUP-1182|id›"),
    ("logfmt", "en", "level=info msg=\"chat assigned\" agent=«Giulia|name» conv=‹cnv_2210|id› queue=‹sales|service›"),
    ("logfmt", "en", "ts=‹2026-12-03T08:00:01Z|timestamp› event=booking guest=\"«Mateo García|name»\" nights=‹3|count›"),
    ("logfmt", "en", "level=warn msg=\"payout held\" account_owner=\"«Sophie Martin|name»\" amount=‹1200|count›"),
    ("logfmt", "en", "level=info event=review_posted reviewer_name=«Marek|name» rating=‹4|count› product=‹SKU-8812|id›"),
    ("csv", "en", "ticket_id,opened_by,agent,status\\n‹T-1001|id›,«Laura Smith|name»,«Dev Patel|name»,‹open|word›"),
    ("csv", "en", "order_id;customer;city;total\\n‹O-7712|id›;«Martina Rossi|name»;‹Milano|word›;‹49.90|count›"),
    ("csv", "en", "date,employee,hours,project\\n‹2026-11-28|timestamp›,«Jakub Nowak|name»,‹7.5|count›,‹Apollo|word›"),
    ("csv", "en", "id|first|last|plan\\n‹8812|id›|«Ines|name»|«Carvalho|name»|‹basic|word›"),
    ("yaml", "en", "on_call:\\n  primary: «Nadia Haddad|name»\\n  secondary: «Felix Braun|name»\\n  rotation: ‹weekly|word›"),
    ("yaml", "en", "maintainers:\\n  - «Aaron Whitaker|name»\\n  - «Mei Lin|name»\\nrepo: ‹payments-api|service›"),
    ("kv", "en", "Reporter: «Thomas Anderson|name»\\nComponent: ‹Checkout|word›\\nSeverity: ‹S2|code›"),
    ("query", "en", "GET /api/v1/search?customer_name=«Lars%20Nilsson|name»&limit=‹25|count› HTTP/1.1"),
    ("query", "en", "POST /crm/contacts?first=«Chiara|name»&last=«Esposito|name»&source=‹web|word›"),
    ("statsd", "en", "support.ticket.opened:1|c|#agent:«marta.lopez|name»,queue:‹billing|service›"),
    ("git", "en", "commit ‹3f9a2c1e7b|hash›\\nAuthor: «Valeria Conti|name» <«valeria.conti@example.it|email»>\\nDate:   ‹Tue Dec 1 10:12:03 2026|timestamp›"),
    ("log", "en", "reviewed-by: «Sebastian Vogel|name»; approved ‹PR-4412|id›"),
    ("prose", "en", "Thanks to «Emma|name» and «Noah|name» for fixing the ‹Redis|word› failover"),
    ("prose", "en", "Meeting notes: «William Turner|name» will own the ‹Q1|word› migration to ‹Postgres|word› ‹16|version›"),
    ("prose", "de", "Bitte «Maximilian|name» fragen, ob der ‹Jenkins|word› Job ‹nightly-build|service› wieder läuft"),
    ("prose", "es", "Reunión con «Pablo|name» y «Sofía|name» para revisar el ‹Dashboard|word›"),
    ("prose", "fr", "Merci à «Juliette|name» pour la correction du bug ‹BUG-2291|id›"),
    ("prose", "it", "Grazie a «Alessandro|name» per il fix su ‹Kubernetes|word›"),
    ("prose", "pl", "Dzięki «Piotrek|name» za naprawę ‹Grafana|word› dashboardu"),
    ("prose", "nl", "Dank aan «Daan|name» voor de fix in ‹Terraform|word›"),
    ("prose", "sv", "Tack till «Elsa|name» för hjälpen med ‹Kafka|word›"),
    ("prose", "pt", "Obrigado ao «Thiago|name» pela ajuda com o ‹Docker|word›"),
    ("prose", "hi", "«Anjali|name» ne kaha ki ‹staging|word› server down hai"),
    # === chat message content =================================================================
    ("json", "en", '{"event": "‹chat.message|word›", "data": {"conversation_id": "‹cnv_91822|id›", "message": {"text": "«I cannot log in since yesterday, please help|content»"}}}'),
    ("json", "en", '{"model": "‹gpt-4o-mini|service›", "turns": [{"role": "user", "content": "«my landlord keeps my deposit what can I do|content»"}, {"role": "assistant", "content": "«You can send a formal demand letter|content»"}], "latency_ms": ‹812|count›}'),
    ("json", "en", '{"type": "message", "user": "‹U024BE7LH|id›", "text": "«can someone reset my password for the VPN?|content»", "ts": "‹1355517523.000005|id›"}'),
    ("json", "en", '{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"messages": [{"id": "‹wamid.HBgLNDkxNTE|id›", "type": "text", "text": {"body": "«Hallo, wo ist mein Paket?|content»"}}]}}]}]}'),
    ("json", "en", '{"ticket": {"id": ‹35436|id›, "subject": "«Cannot update my credit card on file|content»", "status": "‹open|word›"}}'),
    ("json", "en", '{"comment": {"author_id": ‹8812|id›, "body": "«The driver left the parcel in the rain again|content»", "public": true}}'),
    ("json", "en", '{"chat_id": "‹c-7712|id›", "reply": "«Sure, I will send the invoice tonight|content»", "sent_at": "‹2026-12-02T18:20:00Z|timestamp›"}'),
    ("json", "en", '{"feedback": "«Delivery guy was rude and the food was cold|content»", "rating": ‹1|count›, "order": "‹ORD-2231|id›"}'),
    ("json", "en", '{"review": {"stars": ‹2|count›, "review_text": "«Battery died after two days, very disappointed|content»"}}'),
    ("json", "es", '{"conversacion": "‹cv-2291|id›", "mensaje": "«Hola, necesito cambiar mi reserva para el viernes|content»"}'),
    ("json", "de", '{"kanal": "‹chat|word›", "nachricht": "«Ich warte seit drei Wochen auf meine Erstattung|content»"}'),
    ("json", "fr", '{"canal": "‹sms|word›", "contenu": "«Bonjour, mon colis est arrivé abîmé|content»"}'),
    ("json", "en", '{"notification": {"title": "‹New message|word›", "preview": "«Hey, are we still on for dinner at 8?|content»"}, "badge": ‹3|count›}'),
    ("json", "en", '{"sms": {"from": "‹ACME|word›", "msg_body": "«Your table for 4 is confirmed for Saturday|content»"}}'),
    ("json", "en", '{"level": "info", "msg": "‹payment authorized|word›", "order_id": "‹ORD-44120|id›", "duration_ms": ‹231|count›}'),
    ("json", "en", '{"level": "error", "message": "‹upstream connect error or disconnect/reset before headers|word›", "service": "‹cart-api|service›"}'),
    ("json", "en", '{"severity": "WARNING", "message": "‹Retrying request to inventory (attempt 2 of 5)|word›", "trace": "‹4bf92f3577b34da6a3ce929d0e0e4736|hash›"}'),
    ("logfmt", "en", "level=info msg=\"‹message received|word›\" channel=sms msg_text=\"«Running 10 min late, sorry!|content»\" sid=‹SM2291|id›"),
    ("logfmt", "en", "level=info msg=\"‹chat turn stored|word›\" role=user user_message=\"«how do I cancel my subscription|content»\" tokens=‹42|count›"),
    ("logfmt", "en", "level=debug msg=\"‹cache warmed in 120ms|word›\" keys=‹8812|count›"),
    ("logfmt", "en", "level=info msg=\"‹inbound email|word›\" subject=\"«Re: your appointment on Thursday|content»\" size=‹2210|count›"),
    ("logfmt", "en", "level=info msg=\"‹comment added|word›\" ticket=‹ZD-7712|id› comment=\"«I already sent you the photos twice|content»\""),
    ("logfmt", "en", "msg=\"‹prompt received|word›\" prompt_text=\"«write a poem about my ex girlfriend|content»\" model=‹llama-3-8b|service›"),
    ("yaml", "en", "- role: user\\n  content: «Can you summarise my medical report?|content»\\n- role: assistant\\n  content: «Sure, please upload it.|content»"),
    ("yaml", "en", "notification:\\n  channel: ‹push|word›\\n  body: «Your husband shared a location with you|content»"),
    ("query", "en", "GET /api/chat/send?conversation=‹c_88|id›&text=«Hola%20necesito%20ayuda%20con%20mi%20pedido|content»&lang=es HTTP/1.1"),
    ("query", "en", "POST /2010-04-01/Accounts/‹AC11|id›/Messages.json From=%2B14155550100&To=%2B14155550111&Body=«Your+package+is+at+the+front+desk|content»"),
    ("query", "en", "GET /feedback/submit?rating=‹5|count›&message=«great%20service%20from%20the%20driver|content»"),
    ("query", "en", "GET /share?u=‹8812|id›&msg=«meet%20me%20at%20the%20station|content»&ref=‹ios|word›"),
    ("statsd", "en", "_e{13,33}:‹Chat received|word›|«Please call me back about my loan|content»|#channel:‹web|word›"),
    ("statsd", "en", "chat.message.received:1|c|#channel:‹whatsapp|word›,text:«where is my refund|content»"),
    ("chat", "en", "[2026-12-03 10:05] customer: «My card was charged twice for the same order|content»"),
    ("chat", "en", "<Anna_K> «anyone know why my visa application got rejected?|content»"),
    ("chat", "de", "[10:06] kunde: «Ich habe die Ware zurückgeschickt aber kein Geld bekommen|content»"),
    ("chat", "es", "[10:07] cliente: «Quiero hablar con un supervisor ahora mismo|content»"),
    ("chat", "pl", "[10:08] klient: «Paczka nie dotarła, proszę o zwrot pieniędzy|content»"),
    ("chat", "it", "[10:09] cliente: «Il mio ordine è arrivato rotto, cosa devo fare?|content»"),
    ("chat", "pt", "[10:10] cliente: «Meu cartão foi recusado duas vezes hoje|content»"),
    ("chat", "nl", "[10:11] klant: «Ik wil mijn abonnement opzeggen per direct|content»"),
    ("log", "en", "INFO ‹inbox-worker|service› new message from user ‹u_4412|id›: \"«Are you open on Sunday?|content»\""),
    ("log", "en", "DEBUG ‹ws-gateway|service› frame received: {\"type\":\"msg\",\"body\":\"«i think someone used my account|content»\"}"),
    ("log", "en", "INFO ‹llm-proxy|service› request model=‹claude-3-haiku|service› prompt=\"«draft a complaint to my employer about unpaid overtime|content»\" max_tokens=‹512|count›"),
    # === OTP / verification codes in prose ===================================================
    ("sms", "en", "Your verification code is «482913|otp». It expires in ‹10|count› minutes."),
    ("sms", "en", "«729104|otp» is your Amazon one-time password. Do not share it."),
    ("sms", "en", "G-«558120|otp» is your Google verification code."),
    ("sms", "en", "Use «339201|otp» to verify your ‹Microsoft|word› account"),
    ("sms", "en", "Your Uber code: «4821|otp». Never share this code."),
    ("sms", "en", "Enter the 6-digit code «550129|otp» to continue"),
    ("sms", "en", "Your login code is «771042|otp»"),
    ("sms", "en", "«660231|otp» is your Instagram code. Don't share it."),
    ("sms", "en", "WhatsApp code «812-447|otp». Don't share this code with others"),
    ("log", "en", "INFO ‹otp-service|service› sent OTP «504822|otp» to user ‹u_99120|id› via ‹sms|word›"),
    ("log", "en", "DEBUG ‹auth|service› 2FA code «093112|otp» accepted for session ‹s-2291|id›"),
    ("log", "en", "DEBUG ‹mailer|service› rendered template ‹otp_email|id› with code=«661203|otp»"),
    ("log", "en", "INFO ‹sms-gw|service› delivered: \"Your code is «118204|otp»\" status=‹delivered|word›"),
    ("sms", "es", "Tu código de verificación es «552104|otp»"),
    ("sms", "es", "código de verificación «5521|otp»"),
    ("sms", "es", "Tu código para iniciar sesión: «880213|otp»"),
    ("sms", "de", "Ihr Bestätigungscode lautet «731902|otp»"),
    ("sms", "de", "Dein Sicherheitscode: «448210|otp». Gib ihn niemandem weiter."),
    ("sms", "de", "Ihr Einmalpasswort ist «906611|otp»"),
    ("sms", "pl", "Twój kod weryfikacyjny to «448120|otp»"),
    ("sms", "pl", "Kod SMS do logowania: «773019|otp»"),
    ("sms", "fr", "Votre code de vérification est «662801|otp»"),
    ("sms", "fr", "Code de connexion : «190245|otp». Ne le partagez pas."),
    ("sms", "it", "Il tuo codice di verifica è «509344|otp»"),
    ("sms", "it", "Codice OTP: «611820|otp»"),
    ("sms", "pt", "Seu código de verificação é «118273|otp»"),
    ("sms", "pt", "O seu código de acesso: «402281|otp»"),
    ("sms", "nl", "Uw verificatiecode is «604215|otp»"),
    ("sms", "sv", "Din verifieringskod är «771930|otp»"),
    ("sms", "hi", "Aapka OTP «583920|otp» hai. Kisi ke saath share na karein."),
    ("sms", "hi", "«338102|otp» aapka verification code hai"),
    ("json", "en", '{"to": "‹sms|word›", "template": "‹login_otp|id›", "vars": {"code": "«902114|otp»"}, "retry": ‹0|count›}'),
    ("json", "en", '{"verificationCode": "«448812|otp»", "channel": "‹email|word›", "attempt": ‹2|count›}'),
    ("logfmt", "en", "level=info msg=\"‹otp issued|word›\" otp_value=«282910|otp» ttl=‹300s|duration›"),
    # keeps around codes
    ("log", "en", "ERROR ‹gateway|service› upstream returned status code ‹503|code› after ‹1200ms|duration›"),
    ("log", "en", "process exited with exit code ‹137|code› (OOMKilled)"),
    ("log", "en", "HTTP ‹404|code› for /api/v2/orders/‹88120|id›, error code ‹E1042|code›"),
    ("log", "en", "batch done: processed ‹482913|count› rows in ‹38s|duration›"),
    ("log", "en", "response code ‹200|code›, ‹3521|count› bytes"),
    # === photo / avatar URLs =================================================================
    ("log", "en", "GET «https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=200&d=identicon|photo_url» ‹200|code›"),
    ("log", "en", "img load failed: «https://secure.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346|photo_url» timeout ‹5000ms|duration›"),
    ("log", "en", "uploaded «https://cdn.example.com/avatars/u_88123/5f2c9a.jpg|photo_url» size=‹48211|count›"),
    ("log", "en", "s3 put ok «https://s3.amazonaws.com/acme-user-uploads/profile-pictures/8812.png|photo_url» etag=‹9b2cf535f27731c974343645a3985328|hash›"),
    ("log", "en", "resize job ‹job-7712|id› source=«https://acme-prod.s3.eu-west-1.amazonaws.com/users/12345/avatar.png|photo_url»"),
    ("log", "en", "fetched «https://lh3.googleusercontent.com/a/ACg8ocJ3kXq9vV2mN8pQ-s96-c|photo_url» in ‹88ms|duration›"),
    ("log", "en", "twitter sync: «https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_400x400.jpg|photo_url»"),
    ("log", "en", "github profile «https://avatars.githubusercontent.com/u/583231?v=4|photo_url» cached for ‹3600s|duration›"),
    ("log", "en", "discord: «https://cdn.discordapp.com/avatars/80351110224678912/1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.png|photo_url»"),
    ("log", "en", "linkedin import photo «https://media.licdn.com/dms/image/C4D03AQH8kD2x/profile-displayphoto-shrink_200_200/0/1620000000000|photo_url»"),
    ("log", "en", "slack user image «https://ca.slack-edge.com/T0266FRGM-U2Q173U05-g123abc45def-512|photo_url»"),
    ("access", "en", "«203.0.113.9|ip» - - [‹03/Dec/2026:10:01:02 +0000|timestamp›] \"GET «/users/8812/avatar.png|photo_url» HTTP/1.1\" ‹200|code› ‹10233|count›"),
    ("access", "en", "\"GET «/media/profile_photos/2026/11/u_4412_crop.jpg|photo_url» HTTP/2\" ‹304|code› ‹0|count› ‹0.004|duration›"),
    ("access", "en", "\"GET ‹/static/img/logo.png|path› HTTP/1.1\" ‹200|code› ‹5121|count›"),
    ("access", "en", "\"GET ‹/assets/app.3f9a2c.js|path› HTTP/1.1\" ‹200|code› ‹88120|count›"),
    ("json", "en", '{"id": "‹u_7712|id›", "profile_image": "«https://cdn.example.net/u/7712/profile.jpg|photo_url»", "verified": true}'),
    ("json", "en", '{"user_id": ‹4412|id›, "headshot": "«https://images.example.org/staff/4412-headshot.jpg|photo_url»"}'),
    ("json", "en", '{"picture_large": "«https://randomuser.example/api/portraits/women/44.jpg|photo_url»", "nat": "‹NL|code›"}'),
    ("json", "en", '{"sku": "‹SKU-1182|id›", "image": "‹https://cdn.shop.example/products/sku-1182/main.jpg|url›", "price": ‹19.99|count›}'),
    ("json", "en", '{"icon": "‹https://cdn.example.com/assets/icons/check@2x.png|url›", "theme": "‹dark|word›"}'),
    ("log", "en", "downloading ‹https://github.com/org/repo/releases/download/v1.4.0/tool_linux_amd64.tar.gz|url›"),
    ("log", "en", "favicon ‹https://example.com/favicon.ico|url› returned ‹404|code›"),
    ("prose", "en", "Her new profile picture is at «https://i.imgur.com/Xq7Ab9z.jpg|photo_url», please approve it"),
    ("log", "de", "Profilbild hochgeladen: «https://storage.googleapis.com/acme-avatars/user-2291.webp|photo_url»"),
    ("log", "es", "foto de perfil actualizada «https://cdn.example.es/fotos/perfil/7712.jpg|photo_url»"),
    # === passwords ============================================================================
    ("log", "en", "connecting to «postgres://app:s3cr3tPass@db-01.internal:5432/orders|password»"),
    ("log", "en", "DATABASE_URL=postgres://orders:«Wint3r-is-coming|password»@‹pg.prod.internal|host›:5432/orders"),
    ("log", "en", "mongo uri mongodb+srv://admin:«Pa55w0rdMongo|password»@‹cluster0.ab1cd.mongodb.net|host›/test?retryWrites=true"),
    ("log", "en", "redis url redis://:«p4ssw0rdR3dis|password»@‹cache-01|host›:6379/0"),
    ("log", "en", "amqp://billing:«rabbitPw88|password»@‹rabbitmq.svc|host›:5672/vhost"),
    ("log", "en", "jdbc:postgresql://‹db:5432|host›/app?user=app&password=«Tr0ub4dor3|password»&ssl=true"),
    ("log", "en", "Server=tcp:sql01,1433;Database=‹Orders|word›;User Id=sa;Password=«Str0ng!Pass|password»;Encrypt=True"),
    ("shell", "en", "$ mysql -h ‹db01|host› -u admin -p«RootPw2024|password» orders"),
    ("shell", "en", "$ sshpass -p '«Welcome1!|password»' ssh deploy@‹bastion-02|host›"),
    ("shell", "en", "$ redis-cli -h ‹cache-01|host› -a «Sup3rS3cret|password» ping"),
    ("shell", "en", "$ docker login -u ci-bot -p «gh0stRider99|password» ‹registry.example.com|host›"),
    ("shell", "en", "$ mongosh --username admin --password '«Mng0Pass!|password»' --authenticationDatabase admin"),
    ("shell", "en", "$ ./deploy.sh --env=‹prod|word› --password=«hunter2hunter|password» --verbose"),
    ("shell", "en", "$ PGPASSWORD=«Winter2025|password» psql -h ‹db.internal|host› -U app -d ‹orders|word›"),
    ("shell", "en", "$ MYSQL_PWD=«myS3cretPw|password» mysqldump ‹shop|word› > dump.sql"),
    ("shell", "en", "$ htpasswd -b /etc/nginx/.htpasswd admin «n0t4public|password»"),
    ("shell", "en", "$ psql \"host=‹db|host› user=report password=«Qw3rty99|password» dbname=‹dwh|word›\""),
    ("shell", "en", "$ ldapsearch -x -D cn=admin,dc=example,dc=org -w «LdapAdm1n|password» -b dc=example,dc=org"),
    ("sql", "en", "CREATE USER 'report'@'%' IDENTIFIED BY '«R3p0rt!ng|password»';"),
    ("sql", "en", "ALTER USER app WITH PASSWORD '«N3wPass!2026|password»';"),
    ("sql", "en", "ALTER ROLE analytics LOGIN PASSWORD '«anaLyt1cs#9|password»' VALID UNTIL '‹2027-01-01|timestamp›';"),
    ("sql", "en", "SET PASSWORD FOR 'bob'@'localhost' = PASSWORD('«b0bsecret|password»');"),
    ("sql", "en", "GRANT ALL ON ‹orders|word›.* TO 'etl'@'%' IDENTIFIED BY \"«Etl_Load_77|password»\";"),
    ("yaml", "en", "datasource:\\n  url: jdbc:mysql://‹db:3306|host›/shop\\n  username: shop\\n  password: «Zx8!kqLm|password»"),
    ("yaml", "en", "services:\\n  db:\\n    image: ‹postgres:16.1|version›\\n    environment:\\n      POSTGRES_PASSWORD: «ch4ngeMe!|password»"),
    ("props", "en", "spring.datasource.password=«Sekret123|password»\\nspring.datasource.url=jdbc:postgresql://‹db:5432|host›/app"),
    ("env", "en", "SMTP_PASS=«mailPw!2026|password»\\nSMTP_HOST=‹smtp.example.com|host›\\nSMTP_PORT=‹587|count›"),
    ("ini", "en", "[client]\\nuser = backup\\npassword = «Bckp#2026x|password»\\nhost = ‹db02|host›"),
    ("prose", "en", "my password is «Sommer2024!|password», please reset it"),
    ("prose", "en", "temporary password for the new hire: «Welcome#2026|password»"),
    ("prose", "en", "I changed the wifi password to «BlueFalcon77|password» yesterday"),
    ("prose", "de", "mein Passwort ist «Sonnenblume7|password», bitte nicht weitergeben"),
    ("prose", "es", "mi contraseña es «perro123gato|password» y no funciona"),
    ("prose", "fr", "mon mot de passe est «soleil42!|password»"),
    ("prose", "pl", "moje hasło to «Kot2024!|password»"),
    ("prose", "pt", "a minha senha é «Praia2023|password»"),
    ("prose", "it", "la mia password è «Gatto99!|password»"),
    ("prose", "nl", "mijn wachtwoord is «Fiets2024|password»"),
    ("prose", "sv", "mitt lösenord är «Sommar2025!|password»"),
    ("prose", "hi", "mera password «Dilli@123|password» hai, reset kar do"),
    ("json", "en", '{"username": "‹svc_backup|id›", "pass": "«bckPw!77|password»", "host": "‹db03|host›"}'),
    ("json", "en", '{"db": {"host": "‹pg-primary|host›", "port": ‹5432|count›, "user": "‹app|word›", "pwd": "«pgPw2026x|password»"}}'),
    # password keeps
    ("log", "en", "password_min_length=‹12|count› password_max_age_days=‹90|count›"),
    ("log", "en", "INFO ‹auth|service› ‹password reset email sent|word› to user ‹u_2291|id›"),
    ("log", "en", "WARN ‹PasswordPolicy|word› rejected weak password for user ‹u_7712|id› (reason=‹too_short|code›)"),
    ("log", "en", "Access denied for user 'report'@'«10.0.3.4|ip»' (using password: ‹YES|word›)"),
    ("log", "en", "feature ‹passwordless_login|word› enabled for ‹12|count› tenants"),
    # === tokens ===============================================================================
    ("http", "en", "Cookie: JSESSIONID=«0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D|token»; lang=‹en|code›"),
    ("http", "en", "Set-Cookie: session=«s%3AJ8kLq2WzX9vB.aB3dE5fG7hI9jK1lM3nO5pQ7|token»; Path=/; HttpOnly"),
    ("log", "en", "GET /cart;jsessionid=«8F3A9C2B1D7E6F5A4B3C2D1E0F9A8B7C|token»?step=‹2|count› ‹200|code›"),
    ("log", "en", "php session PHPSESSID=«k7q2m9v4p1x8n3b6c5z0l2j4h6|token» expired after ‹1440s|duration›"),
    ("log", "en", "session_id=«9f1c2a7d4e8b6a3c5f0e2d9b7a4c1e8f6b3d0a2c|token» user=‹u_4412|id›"),
    ("log", "en", "refresh_token=«def50200a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8|token» grant=‹refresh_token|word›"),
    ("http", "en", "POST /oauth/token grant_type=refresh_token&refresh_token=«1//0gXyZ8kLq2WvB-L9IrAbCdEfGhIjKlMnOpQrStUvWxYz|token»&client_id=‹web-app|service›"),
    ("http", "en", "Authorization: Bearer «ya29.a0AfH6SMBx7kLq2WvB9IrAbCdEfGhIjKl|token»"),
    ("http", "en", "authorization: Bearer «8f14e45fceea167a5a36dedd4bea2543|token»"),
    ("log", "en", "GET https://‹acme-uploads.s3.amazonaws.com|host›/reports/q4.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=«AKIAIOSFODNN7EXAMPLE|token»%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=‹20261203T100000Z|timestamp›&X-Amz-Expires=‹3600|count›&X-Amz-SignedHeaders=host&X-Amz-Signature=«fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024|token»"),
    ("log", "en", "blob url https://‹acct.blob.core.windows.net|host›/exports/data.csv?sv=2021-08-06&se=2026-12-04T00%3A00%3A00Z&sr=b&sp=r&sig=«k3Jq9XvL2mN8pQ7rS6tU5vW4xY3zA2bC1dE0fG9hI8%3D|token»"),
    ("log", "en", "cloudfront https://‹d111111abcdef8.cloudfront.net|host›/video.mp4?Expires=‹1767225600|id›&Signature=«nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatE|token»&Key-Pair-Id=‹K2JCJMDEHXQW5F|id›"),
    ("log", "en", "gcs signed url https://‹storage.googleapis.com|host›/bucket/obj?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=«7a1b9c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b|token»"),
    ("log", "en", "callback https://app.example.com/auth/callback?code=«4/0AeanS0b8kLq2WvB9IrXyZ|token»&state=‹st_7712|id›&scope=email"),
    ("log", "en", "ws connect wss://‹rt.example.com|host›/socket?access_token=«eZx8Kq2LmN4pR6tV8xZ0bD2fH4jL6nP8|token»&v=‹2|version›"),
    ("log", "en", "GET /api/export?api_key=«a8f5f167f44f4964e6c998dee827110c|token»&format=‹csv|word› ‹200|code›"),
    ("log", "en", "GET /download?file=‹report.pdf|word›&token=«Qm9vS2VlcGVyVG9rZW4xMjM0NTY|token» ‹302|code›"),
    ("log", "en", "webhook https://hooks.slack.com/services/T024BE7LD/«B01ABCDEF23/xYzAbCdEfGhIjKlMnOpQrStU|token» failed ‹500|code›"),
    ("env", "en", "SLACK_BOT_TOKEN=«xoxb-2431234567-2431234567890-AbCdEfGhIjKlMnOpQrStUvWx|token»"),
    ("log", "en", "using slack app token «xapp-1-A02ABCD1234-2431234567890-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d|token»"),
    ("log", "en", "git clone https://«ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8|token»@github.com/acme/infra.git"),
    ("env", "en", "GITHUB_TOKEN=«github_pat_11ABCDEFG0abcdEFGHijklMNOPqrstUVWXyz0123456789|token»"),
    ("env", "en", "GITLAB_TOKEN=«glpat-xY9z8W7v6U5t4S3r2Q1p|token»"),
    ("log", "en", "stripe key «sk_live_51H8kLq2WvB9IrXyZaBcDeFgHiJkLmN|token» loaded for ‹acct_1H8kLq|id›"),
    ("log", "en", "stripe webhook secret «whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLSGW|token» rotated"),
    ("env", "en", "NPM_TOKEN=«npm_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5|token»"),
    ("log", "en", "twine upload with token «pypi-AgEIcHlwaS5vcmcCJGE4ZjVmMTY3LWY0NGYtNDk2NC1lNmM5|token»"),
    ("env", "en", "OPENAI_API_KEY=«sk-proj-aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7|token»"),
    ("log", "en", "anthropic client init key=«sk-ant-api03-aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5-zA7bC9dAA|token»"),
    ("log", "en", "sendgrid: using «SG.aB3dE5fG7hI9jK1lM3nO5p.Q7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3|token»"),
    ("env", "en", "SHOPIFY_ACCESS_TOKEN=«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|token»"),
    ("env", "en", "DIGITALOCEAN_TOKEN=«dop_v1_a8f5f167f44f4964e6c998dee827110ca8f5f167f44f4964e6c998dee827110c|token»"),
    ("log", "en", "vault login ok, token «hvs.CAESIJ8kLq2WvB9IrXyZaBcDeFgHiJkLmNoPqRsTuVwXyZ|token» ttl=‹768h|duration›"),
    ("log", "en", "hf download with «hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789|token»"),
    ("log", "en", "telegram bot «123456789:AAE8kLq2WvB9IrXyZaBcDeFgHiJkLmNoPqR|token» polling started"),
    ("env", "en", "DD_API_KEY=«a8f5f167f44f4964e6c998dee827110c|token»\\nDD_SITE=‹datadoghq.eu|host›"),
    ("log", "en", "azure: DefaultEndpointsProtocol=https;AccountName=‹acmestore|word›;AccountKey=«Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJD==|token»;EndpointSuffix=core.windows.net"),
    ("log", "en", "postman key «PMAK-64f1c2a7d4e8b6a3c5f0e2d9-b7a4c1e8f6b3d0a2c9f1e3d5b7a9c1e3f5|token»"),
    ("log", "en", "linear client using «lin_api_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9|token»"),
    ("log", "en", "the signing secret is «8a7d9f3c1b5e2d4a6c8e0f1a3b5c7d9e|token», rotate it monthly"),
    ("log", "en", "client secret '«kR4tW9zQ2mN7pX5vB8cL3jH6|token»' accepted for ‹web-app|service›"),
    ("log", "en", "apikey «0f3c9a7e2b5d8f1a4c6e9b2d5f8a1c4e|token» rejected: ‹expired|word›"),
    ("log", "en", "using access key «AKIAI44QH8DHBEXAMPLE|token» for bucket ‹acme-logs|service›"),
    ("log", "de", "API-Schlüssel «f7Kq9XvL2mN8pQ7rS6tU5vW4|token» ist abgelaufen"),
    ("log", "es", "el token de acceso «eZx8Kq2LmN4pR6tV8xZ0bD2fH|token» ha caducado"),
    ("log", "fr", "jeton d'accès «Qm9vS2VlcGVyVG9rZW45ODc2|token» révoqué"),
    ("json", "en", '{"access_token": "«eyJraWQiOiJrMSJ9x8Kq2LmN4pR6tV8|token»", "token_type": "‹Bearer|word›", "expires_in": ‹3600|count›, "scope": "‹read write|word›"}'),
    ("json", "en", '{"refreshToken": "«rt_8kLq2WvB9IrXyZaBcDeFgH|token»", "expiresAt": "‹2026-12-31T00:00:00Z|timestamp›"}'),
    ("json", "en", '{"session": {"sid": "«s_9f1c2a7d4e8b6a3c5f0e|token»", "created": "‹2026-12-03T09:00:00Z|timestamp›"}, "user_id": "‹u_2291|id›"}'),
    ("json", "en", '{"headers": {"x-api-key": "«Zk3Jq9XvL2mN8pQ7rS6t|token»", "x-request-id": "‹7c9e6679-7425-40de-944b-e07fc1f90ae7|id›"}}'),
    ("json", "en", '{"webhook": {"url": "‹https://api.example.com/hooks/stripe|url›", "signing_secret": "«whsec_8kLq2WvB9IrXyZaBcDeF|token»"}}'),
    ("yaml", "en", "apiVersion: v1\\nkind: Secret\\ndata:\\n  api-token: «c2VjcmV0LXRva2VuLTg4MTI=|token»\\nmetadata:\\n  name: ‹billing-secrets|service›"),
    # token keeps
    ("log", "en", "GET /api/orders?page_token=‹CiAKGjBpNDd2Nmp2Zml2cXRw|id›&page_size=‹50|count›"),
    ("log", "en", "next_page_token=‹eyJvZmZzZXQiOjEwMH0|id› returned ‹100|count› items"),
    ("log", "en", "request_id=‹req_01HZX3Q8K7J2M4N6P8R0S2T4V6|id› trace_id=‹4bf92f3577b34da6a3ce929d0e0e4736|hash› span_id=‹00f067aa0ba902b7|hash›"),
    ("log", "en", "pulled ‹ghcr.io/acme/api@sha256:9b2cf535f27731c974343645a3985328a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6|hash›"),
    ("log", "en", "payment_intent=‹pi_3MtwBwLkdIwHu7ix28a3tqPa|id› customer=‹cus_NffrFeUfNV2Hib|id› status=‹succeeded|word›"),
    ("log", "en", "commit ‹a94a8fe5ccb19ba61c4c0873d391e987982fbbd3|hash› deployed to ‹prod-eu|word›"),
    ("log", "en", "ETag: \"‹33a64df551425fcc55e4d42a148795d9f25f89d4|hash›\""),
    ("log", "en", "order ‹01HZX3Q8K7J2M4N6P8R0S2T4V6|id› created, idempotency_key_id=‹ik_8812|id›"),
    ("log", "en", "input_tokens=‹1532|count› output_tokens=‹412|count› model=‹gpt-4o|service›"),
    ("log", "en", "token_type=‹Bearer|word› expires_in=‹3600|count› token_ttl_seconds=‹900|count›"),
    ("log", "en", "X-Amz-Date=‹20261203T100000Z|timestamp› X-Amz-Expires=‹3600|count› bucket=‹acme-logs|service›"),
    # === JSON keeps through the key-aware path =================================================
    ('json', 'en', '{"service": "‹checkout-api|service›", "version": "‹3.14.2|version›", "duration_ms": ‹412|count›, "status": ‹502|code›, "error_code": "‹PAYMENT_DECLINED|code›", "trace_id": "‹4bf92f3577b34da6a3ce929d0e0e4736|hash›"}'),
    ('json', 'en', '{"metric": "‹http.server.request.duration|metric›", "unit": "‹ms|word›", "value": ‹231.5|count›, "host": "‹ip-10-0-1-23.ec2.internal|host›"}'),
    ('json', 'en', '{"node_name": "‹ip-10-0-3-77.eu-west-1.compute.internal|host›", "pod_name": "‹checkout-7d9f8b6c5-x2k9p|pod›", "container_name": "‹app|word›"}'),
    ('json', 'en', '{"messageId": "‹0100018c2a4f-7e3b|id›", "message_count": ‹12|count›, "text_length": ‹481|count›}'),
    ('json', 'en', '{"content_type": "‹application/json|word›", "body_size": ‹1024|count›, "content_length": ‹2048|count›}'),
    ('json', 'en', '{"password_changed_at": "‹2026-11-02T08:00:00Z|timestamp›", "password_expired": false, "mfa_enabled": true}'),
    ('json', 'en', '{"secretName": "‹db-credentials|service›", "secret_version": ‹7|count›, "rotation_days": ‹30|count›}'),
    ('json', 'en', '{"queue": "‹emails.outbound|service›", "topic_name": "‹orders.v1|service›", "partition": ‹3|count›, "lag": ‹120|count›}'),
    ('json', 'en', '{"release": "‹2026.12.1|version›", "build": "‹b8812|id›", "commit": "‹a94a8fe|hash›", "branch": "‹main|word›"}'),
    ('json', 'en', '{"operation": "‹GetOrder|word›", "latencyMs": ‹37|count›, "requestId": "‹req_8f1c2a7d|id›", "region": "‹eu-central-1|word›"}'),
    ('json', 'en', '{"alertname": "‹HighErrorRate|word›", "severity": "‹critical|word›", "summary": "‹5xx above 2% on checkout|word›", "runbook": "‹https://runbooks.example.com/checkout|url›"}'),
    ('json', 'en', '{"job_name": "‹nightly-export|service›", "exit_code": ‹0|code›, "duration": "‹14m32s|duration›", "rows": ‹182231|count›}'),
    ('json', 'en', '{"model_name": "‹text-embedding-3-small|service›", "prompt_tokens": ‹182|count›, "total_tokens": ‹182|count›}'),
    ('json', 'en', '{"event_name": "‹checkout.completed|word›", "amount": ‹129.99|count›, "currency": "‹EUR|code›", "items": ‹3|count›}'),
    ('json', 'en', '{"image": "‹registry.example.com/payments/api:4.2.1|version›", "replicas": ‹3|count›, "cpu": "‹500m|count›"}'),
    ('json', 'en', '{"tokenizer": "‹cl100k_base|word›", "max_tokens": ‹4096|count›, "temperature": ‹0.2|count›}'),
    ('json', 'en', '{"display_currency": "‹USD|code›", "avatar_size": ‹128|count›, "photo_count": ‹3|count›, "has_avatar": true}'),
    ('json', 'en', '{"author": "‹dependabot[bot]|word›", "pr": ‹4412|id›, "labels": ["‹dependencies|word›", "‹rust|word›"]}'),
    ('json', 'en', '{"kind": "‹Deployment|word›", "metadata": {"name": "‹payments-api|service›", "namespace": "‹prod|word›"}, "spec": {"replicas": ‹4|count›}}'),
    ('json', 'en', '{"check": "‹disk_usage|metric›", "status": "‹WARN|code›", "output": "‹/var at 91%|word›", "host": "‹web-03|host›"}'),
    ('json', 'en', '{"http": {"method": "‹POST|word›", "route": "‹/v1/payments/{id}/capture|path›", "status_code": ‹201|code›}, "duration_ns": ‹18231000|count›}'),
    ('json', 'en', '{"feature_flag": "‹new_checkout_flow|word›", "variant": "‹B|code›", "rollout": ‹25|count›}'),
    ('json', 'en', '{"db.system": "‹postgresql|word›", "db.statement": "‹SELECT id FROM orders WHERE id = $1|word›", "db.name": "‹orders|word›"}'),
    ('json', 'en', '{"userAgent": "‹Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.6099.109|word›", "ip_country": "‹DE|code›"}'),
    ('json', 'en', '{"app_version": "‹10.4.2.1|version›", "os_version": "‹14.2.1|version›", "device_model": "‹Pixel 8|word›"}'),
    ('json', 'en', '{"name": "‹http_requests_total|metric›", "labels": {"method": "‹GET|word›", "code": "‹200|code›"}, "value": ‹8812|count›}'),
    ('json', 'en', '{"name": "‹orders-db|service›", "engine": "‹postgres|word›", "engine_version": "‹16.1|version›"}'),
    ('json', 'en', '{"level": "info", "msg": "‹Kafka consumer rebalanced|word›", "group": "‹billing-consumers|service›", "partitions": ‹12|count›}'),
    # === misc: log lines full of must-survive values =========================================
    ("log", "en", "‹2026-12-03T10:00:00.123Z|timestamp› INFO [‹checkout-7d9f8b6c5-x2k9p|pod›] ‹OrderService|word› completed ‹PlaceOrder|word› in ‹231ms|duration›"),
    ("log", "en", "‹Tomcat|word› started on port(s): ‹8080|count› (http) with context path ''"),
    ("log", "en", "‹Jenkins|word› build ‹#4412|id› of ‹payments-api|service› succeeded in ‹4m12s|duration›"),
    ("log", "en", "‹Elasticsearch|word› cluster health changed from [‹YELLOW|word›] to [‹GREEN|word›]"),
    ("log", "en", "‹Hudson|word› plugin ‹git-client|service› updated to ‹4.6.0|version›"),
    ("log", "en", "Upgraded ‹Spring Boot|word› to ‹3.2.1|version› and ‹Hibernate|word› to ‹6.4.1|version›"),
    ("log", "en", "‹Black Friday|word› traffic peaked at ‹18231|count› rps on ‹Friday|word›"),
    ("log", "en", "‹Grafana|word› dashboard ‹Checkout Overview|word› saved by ‹svc-grafana|service›"),
    ("log", "de", "‹Lagerbestand|word› für Artikel ‹ART-8812|id› aktualisiert, ‹Filiale|word› ‹Süd|word›"),
    ("log", "es", "‹Almacén|word› ‹Central|word› sincronizado en ‹12s|duration›, ‹8812|count› productos"),
    ("log", "fr", "‹Entrepôt|word› de ‹Lyon|word› synchronisé, ‹412|count› colis en attente"),
    ("log", "pl", "‹Magazyn|word› ‹Główny|word› zsynchronizowany w ‹8s|duration›"),
    ("log", "it", "‹Magazzino|word› ‹Nord|word› aggiornato, ‹77|count› ordini in coda"),
    ("log", "nl", "‹Magazijn|word› ‹Utrecht|word› bijgewerkt in ‹3s|duration›"),
    ("log", "sv", "‹Lager|word› ‹Göteborg|word› uppdaterat, ‹55|count› ordrar"),
    ("log", "en", "Deployed ‹Harbor|word› ‹v2.10.0|version› on ‹k8s-prod-eu|host›, ‹Rancher|word› reports ‹Active|word›"),
    ("log", "en", "‹Safari|word› ‹17.2|version› users see ‹Apple Pay|word› button twice"),
    ("log", "en", "sidekiq job ‹MailerJob|word› jid=‹b4a577e2cde8f7a9c6d1e3f5|hash› done: ‹1.2s|duration›"),
]


def parse(text):
    secrets, sclasses, keeps, kclasses = [], [], [], []
    out = []
    pos = 0
    pat = re.compile(r"«([^«»]*)\|(\w+)»|‹([^‹›]*)\|(\w+)›")
    for m in pat.finditer(text):
        out.append(text[pos:m.start()])
        if m.group(1) is not None:
            secrets.append(m.group(1))
            sclasses.append(m.group(2))
            out.append(m.group(1))
        else:
            keeps.append(m.group(3))
            kclasses.append(m.group(4))
            out.append(m.group(3))
        pos = m.end()
    out.append(text[pos:])
    joined = "".join(out)
    assert "«" not in joined and "‹" not in joined, joined
    if not joined.lstrip().startswith("{"):
        # JSON records keep `\n` escapes: one line of JSON whose strings hold line breaks
        joined = joined.replace("\\n", "\n")
    else:
        json.loads(joined)
    return joined, secrets, sclasses, keeps, kclasses


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    n = len(R)
    held = set(random.Random(14).sample(range(n), round(n * 0.3)))
    with open(os.path.join(here, "dev3.jsonl"), "w", encoding="utf-8") as dev, \
            open(os.path.join(here, "dev3_heldout.jsonl"), "w", encoding="utf-8") as hold:
        for k, (fmt, lang, text) in enumerate(R):
            t, s, sc, kp, kc = parse(text)
            for v in s:
                assert v in t, v
            # a keep must be there without the secrets (a leak must not keep it)
            bare = t
            for x in s:
                bare = bare.replace(x, "\0")
            for v in kp:
                assert v in bare, (v, t)
            part = "dev3_heldout" if k in held else "dev3"
            rec = {"id": f"dev3-{k:04d}", "part": part, "format": fmt, "lang": lang, "text": t,
                   "secrets": s, "keeps": kp, "secret_classes": sc, "keep_classes": kc}
            (hold if k in held else dev).write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
