#!/usr/bin/env python3
"""Writes tests/data/pii/dev2.jsonl: a second development part, written by hand.

Written for the third round of issue #14 in the shapes the class scores called weak (lone
surnames after titles, salutations and in signatures, names in CSV name columns and as the
user of access logs, postcodes next to a city or an address in many countries, dotted-quad
versions, multi-line text through `scrub_text`, macOS home paths, Dutch and Swedish
addresses, SSNs, Ethereum addresses, OTP/PIN phrasing), with ordinary capitalised words and
technical values that must survive. It is tuned against (a development part); the held-out
parts are not.

Annotation: «value|class» is a secret that must be gone, ‹value|class› a value that must
stay; the markers are removed from the text. A record is one string; `\\n` separates lines.
Run: python3 tests/data/pii/dev2.py  (deterministic).
"""
import json
import os
import re

# (format, lang, text)
R = [
    # --- titles before a lone surname -------------------------------------------------------
    ("prose", "en", "Called Mr. «Okonkwo|name» about ticket ‹INC-20417|id›; he will pay by ‹Friday|word›."),
    ("prose", "en", "Mrs «Abernathy|name» asked for a refund of ‹49.90|count› EUR on order ‹ORD-88213|id›"),
    ("prose", "en", "Ms. «Vanterpool|name» reported the ‹Checkout|word› page hangs after ‹3200ms|duration›"),
    ("prose", "en", "Dr «Adebayo-Smythe|name» signed the consent form at ‹2026-11-03T09:12:44Z|timestamp›"),
    ("prose", "de", "Herr «Schlüter|name» hat die Rechnung ‹RE-2026-0193|id› noch nicht bezahlt."),
    ("prose", "de", "Frau «Brandtner|name» ruft wegen Vertrag ‹V-77120|id› zurück, Priorität ‹Hoch|word›."),
    ("prose", "de", "Rückruf erbeten: Hr. «Pfefferkorn|name», Filiale ‹Nord|word›, Vorgang ‹448120|id›"),
    ("prose", "es", "El Sr. «Etxeberria|name» confirmó la entrega del pedido ‹PED-55102|id› el ‹Lunes|word›."),
    ("prose", "es", "La Sra. «Iturralde|name» solicita factura del servicio ‹billing-worker|service›"),
    ("prose", "es", "Atendido por Dña. «Quiroga|name» en la oficina de ‹Valencia|word›"),
    ("prose", "fr", "M. «Lefebvre|name» a annulé sa commande ‹CMD-9021|id› hier."),
    ("prose", "fr", "Mme «Rousseau-Vidal|name» demande un rappel avant ‹18h|word›, dossier ‹DOS-3381|id›"),
    ("prose", "fr", "Mlle «Garnier|name» a signalé une erreur ‹E_TIMEOUT|code› sur ‹payments-api|service›"),
    ("prose", "pl", "Pan «Wiśniewski|name» zgłosił reklamację ‹RMA-1290|id›."),
    ("prose", "pl", "Pani «Zielińska|name» prosi o kontakt w sprawie faktury ‹FV/2026/11/042|id›"),
    ("prose", "pl", "Rozmawiałem z panem «Grzybowskim|name» o umowie ‹UM-7781|id›"),
    ("prose", "it", "Il Sig. «Bianchetti|name» ha pagato ‹120|count› euro con ‹PayPal|word›."),
    ("prose", "it", "La Sig.ra «Colombo|name» chiede la fattura ‹FT-2026-311|id›"),
    ("prose", "it", "Dott. «Lombardini|name» ha firmato il referto ‹REF-00912|id›"),
    ("prose", "pt", "O Sr. «Figueiredo|name» pediu reembolso do pedido ‹PD-40021|id›."),
    ("prose", "pt", "A Sra. «Magalhães|name» ligou às ‹14:30|timestamp› sobre a fatura ‹NF-8812|id›"),
    ("prose", "hi", "Shri «Venkataraman|name» ka refund ‹RF-7761|id› process ho gaya."),
    ("prose", "hi", "Smt. «Raghunathan|name» ne order ‹OD-51229|id› cancel kiya"),
    ("prose", "nl", "Dhr. «Van der Berg|name» belde over factuur ‹F-2026-118|id›."),
    ("prose", "nl", "Mevr. «Jansen-Bakker|name» heeft bestelling ‹B-40017|id› geannuleerd"),
    ("prose", "sv", "Herr «Lindqvist|name» ringde om order ‹SO-77120|id›"),
    ("log", "en", "INFO ‹crm-sync|service› contact updated: Mr «Thistlewood|name» (account tier ‹Gold|word›)"),
    ("log", "en", "WARN ‹notifier|service› letter to Mrs. «Fairweather|name» bounced, retry ‹3|count›"),
    # --- salutations ---------------------------------------------------------------------------
    ("mail", "en", "Dear «Okafor|name»,\\nyour ‹Invoice|word› ‹INV-2209|id› is attached.\\nKind regards,\\n«Henrietta Ashdown|name»"),
    ("mail", "en", "Dear Mr «Pemberton|name», thank you for your order ‹ORD-7710|id›."),
    ("mail", "en", "Hello «Castellanos|name», the ‹Deployment|word› finished in ‹42s|duration›."),
    ("mail", "de", "Sehr geehrter Herr «Kratochwil|name»,\\nIhr ‹Paket|word› ist unterwegs.\\nMit freundlichen Grüßen\\n«Gudrun Pfannenstiel|name»"),
    ("mail", "de", "Liebe «Ottilie|name», danke für die Nachricht zu ‹Ticket|word› ‹T-5521|id›."),
    ("mail", "es", "Estimada Sra. «Arrieta|name»:\\nle enviamos el presupuesto ‹PRE-0091|id›.\\nAtentamente,\\n«Bernardo Ezquerra|name»"),
    ("mail", "fr", "Chère Madame «Delacroix|name»,\\nvotre dossier ‹DOS-7712|id› est complet.\\nBien cordialement,\\n«Aurélien Fauchard|name»"),
    ("mail", "pl", "Szanowna Pani «Kaczmarczyk|name»,\\nprzesyłamy fakturę ‹FV-2211|id›.\\nZ poważaniem\\n«Bożydar Wróblewski|name»"),
    ("mail", "it", "Gentile Sig. «Quattrocchi|name», la pratica ‹PR-4410|id› è stata chiusa.\\nCordiali saluti,\\n«Ermenegildo Sgarbossa|name»"),
    ("mail", "pt", "Prezado Sr. «Albuquerque|name»,\\no pedido ‹PD-1190|id› foi enviado.\\nAtenciosamente,\\n«Joaquina Vasconcelos|name»"),
    ("mail", "nl", "Beste «Marieke|name»,\\nde levering ‹LV-3310|id› is onderweg.\\nMet vriendelijke groet,\\n«Sjoerd Hoekstra|name»"),
    ("mail", "sv", "Hej «Sven-Erik|name»!\\nDin beställning ‹BE-9902|id› har skickats.\\nMed vänliga hälsningar,\\n«Ingegerd Sjöberg|name»"),
    ("mail", "hi", "Namaste «Raghavendra|name» ji, aapka ticket ‹TK-7781|id› close ho gaya.\\nDhanyavaad,\\n«Lakshmi Subramaniam|name»"),
    ("mail", "en", "Hi team,\\nthe ‹Scheduler|word› restarted at ‹03:14|timestamp› UTC.\\nThanks,\\n«Dorothea Blackwood|name»"),
    ("mail", "en", "Regards,\\n«Cuthbert|name»"),
    ("mail", "en", "Best,\\n«Ignatius Fairbairn|name»\\nSenior ‹Engineer|word›, ‹Platform|word›"),
    # --- signatures with a dash ----------------------------------------------------------------
    ("sig", "en", "Looks good to me, ship it.\\n— «Thaddeus Ormerod|name»"),
    ("sig", "en", "Will check the ‹Kafka|word› lag tomorrow.\\n-- «Winifred|name»"),
    ("sig", "de", "Bitte bis ‹Montag|word› prüfen.\\n– «Wendelin Oberhuber|name»"),
    ("sig", "es", "Lo reviso mañana.\\n— «Leocadia Urrutia|name»"),
    ("sig", "fr", "Je regarde ça.\\n— «Gaëtan Marchetti|name»"),
    ("sig", "pl", "Zajmę się tym jutro.\\n-- «Przemysław|name»"),
    ("sig", "it", "Ci penso io.\\n— «Gianmarco Zanella|name»"),
    ("sig", "en", "Release notes for ‹v4.2.0|version› below.\\n— ‹Release|word› ‹Team|word›"),
    # --- person keys with a lone surname -------------------------------------------------------
    ("yaml", "en", "ticket: ‹OPS-4412|id›\\nassignee: «okafor|name»\\npriority: ‹P2|code›"),
    ("yaml", "en", "issue: ‹PLAT-1182|id›\\nassignee: «Thistlethwaite|name»\\nstatus: ‹In Progress|word›"),
    ("logfmt", "en", "level=info msg=\"ticket assigned\" ticket=‹SUP-9921|id› assignee=«vandermeer|name» queue=‹billing|service›"),
    ("json", "en", "{\"ticket\": \"‹JIRA-4410|id›\", \"assignee\": \"«Marchbanks|name»\", \"reporter\": \"«Ellingworth|name»\", \"labels\": [\"‹backend|word›\"]}"),
    ("json", "de", "{\"vorgang\": \"‹VG-2231|id›\", \"bearbeiter\": \"«Hinterberger|name»\", \"status\": \"‹offen|word›\"}"),
    ("json", "es", "{\"incidencia\": \"‹INC-3391|id›\", \"responsable\": \"«Ibarrola|name»\", \"estado\": \"‹abierta|word›\"}"),
    ("logfmt", "en", "event=review_requested pr=‹4471|id› reviewer=«abernethy|name» repo=‹payments-api|service›"),
    ("logfmt", "en", "event=approved approver=«Quarshie|name» change=‹CHG-2291|id›"),
    ("yaml", "en", "owner:\\n  team: ‹platform|word›\\n  contact_person: «Oyelaran|name»"),
    # --- CSV name columns -------------------------------------------------------------------------
    ("csv", "en", "id,name,email,plan\\n‹1042|id›,«Thaddeus Ormerod|name»,«t.ormerod@example.org|email»,‹Premium|word›\\n‹1043|id›,«Okonkwo|name»,«okonkwo@example.net|email»,‹Basic|word›"),
    ("csv", "en", "customer_id;Full Name;City;Status\\n‹C-55|id›;«Philippa Wetherell|name»;‹Leeds|word›;‹ACTIVE|code›"),
    ("csv", "de", "Kundennr,Vorname,Nachname,Ort,Tarif\\n‹88120|id›,«Wendelin|name»,«Oberhuber|name»,‹Graz|word›,‹Business|word›"),
    ("csv", "es", "id|nombre|apellidos|ciudad\\n‹301|id›|«Leocadia|name»|«Urrutia Goikoetxea|name»|‹Bilbao|word›"),
    ("csv", "fr", "ref,prénom,nom,ville\\n‹R-19|id›,«Gaëtan|name»,«Marchetti|name»,‹Lyon|word›"),
    ("csv", "pl", "lp,imię,nazwisko,miasto\\n‹7|id›,«Bożydar|name»,«Wróblewski|name»,‹Gdańsk|word›"),
    ("csv", "it", "codice,nome,cognome,città\\n‹IT-221|id›,«Ermenegildo|name»,«Sgarbossa|name»,‹Padova|word›"),
    ("csv", "pt", "id,nome,sobrenome,plano\\n‹4410|id›,«Joaquina|name»,«Vasconcelos|name»,‹Gold|word›"),
    ("csv", "en", "order_id,customer,amount,currency\\n‹ORD-4471|id›,«Marchbanks|name»,‹129.00|count›,‹GBP|code›"),
    ("csv", "en", "user_id,contact_name,region\\n‹u_7781|id›,«Oyelaran|name»,‹eu-west-1|host›"),
    ("csv", "nl", "klantnr;voornaam;achternaam;woonplaats\\n‹K-1181|id›;«Sjoerd|name»;«Hoekstra|name»;‹Utrecht|word›"),
    ("csv", "sv", "kundnr,förnamn,efternamn,ort\\n‹S-901|id›,«Ingegerd|name»,«Sjöberg|name»,‹Malmö|word›"),
    # --- access logs ------------------------------------------------------------------------------
    ("access", "en", "«203.0.113.77|ip» - «okafor|name» [03/Dec/2026:10:02:11 +0000] \"GET ‹/api/v2/orders|path› HTTP/1.1\" ‹200|code› ‹5123|count›"),
    ("access", "en", "«198.51.100.23|ip» - «j.whitfield|name» [03/Dec/2026:10:02:12 +0000] \"POST /login HTTP/1.1\" ‹302|code› 0"),
    ("access", "en", "«192.0.2.41|ip» - «m.kowalczyk|name» [03/Dec/2026:10:02:13 +0100] \"GET /report HTTP/2.0\" ‹200|code› ‹88|count› \"-\" \"curl/‹8.5.0|version›\""),
    ("access", "en", "«10.20.30.40|ip» - «Etxeberria|name» [03/Dec/2026:11:00:01 +0000] \"GET /health HTTP/1.1\" ‹204|code› 0"),
    ("access", "en", "«172.16.4.9|ip» - «svc_vanterpool|name» [03/Dec/2026:11:00:02 +0000] \"PUT /files/report.pdf HTTP/1.1\" ‹201|code› ‹0|count›"),
    ("access", "en", "«203.0.113.9|ip» - - [03/Dec/2026:11:00:03 +0000] \"GET ‹/static/app.css|path› HTTP/1.1\" ‹200|code› ‹1023|count›"),
    # --- postcodes next to a city or an address ----------------------------------------------------
    ("addr", "en", "Ship to: «14 Wellington Grove|address», «Leeds LS6 2AB|postcode», ‹UK|code›"),
    ("addr", "en", "Deliver to «Flat 3, 27 Kingsley Road|address», «Manchester M14 5HG|postcode»"),
    ("addr", "en", "Return address: Returns Dept, «EC1A 1BB|postcode» London"),
    ("addr", "en", "billing: «742 Evergreen Terrace|address», Springfield, «OR 97403|postcode»"),
    ("addr", "en", "Customer moved to Austin, «TX 78701-4312|postcode» (order ‹ORD-5521|id›)"),
    ("addr", "en", "Mailing address: PO Box 1182, Denver, «CO 80202|postcode»"),
    ("addr", "en", "zip «94107|postcode» San Francisco; store ‹#112|id›"),
    ("addr", "en", "ZIP code: «10001-2345|postcode»"),
    ("addr", "de", "Lieferadresse: «Lindenstraße 14|address», «10969|postcode» Berlin"),
    ("addr", "de", "Der Kunde wohnt in «80331|postcode» München, Tarif ‹Premium|word›"),
    ("addr", "de", "PLZ «50667|postcode», Ort Köln, Bestellung ‹B-7712|id›"),
    ("addr", "de", "Umzug nach «20095|postcode» Hamburg gemeldet, Vertrag ‹V-2231|id›"),
    ("addr", "fr", "Adresse : «12 rue des Lilas|address», «69003|postcode» Lyon"),
    ("addr", "fr", "Livraison à «75008|postcode» Paris prévue ‹demain|word›, colis ‹CL-7781|id›"),
    ("addr", "fr", "code postal «13001|postcode» Marseille"),
    ("addr", "es", "Dirección: «Calle de Alcalá 45|address», «28014|postcode» Madrid"),
    ("addr", "es", "El cliente vive en «46001|postcode» Valencia desde ‹2019|count›"),
    ("addr", "es", "CP «08001|postcode» Barcelona, envío ‹ENV-3321|id›"),
    ("addr", "it", "Indirizzo: «Via Garibaldi 21|address», «00184|postcode» Roma"),
    ("addr", "it", "Consegna a «20121|postcode» Milano entro ‹venerdì|word›"),
    ("addr", "it", "CAP «50122|postcode» Firenze, ordine ‹ORD-9921|id›"),
    ("addr", "pl", "Adres: «ul. Marszałkowska 84|address», «00-514|postcode» Warszawa"),
    ("addr", "pl", "Klient mieszka w «31-042|postcode» Kraków, umowa ‹UM-1181|id›"),
    ("addr", "pl", "kod pocztowy «80-831|postcode» Gdańsk"),
    ("addr", "pt", "Morada: «Rua das Flores 28|address», «4050-262|postcode» Porto"),
    ("addr", "pt", "Entrega em «1250-096|postcode» Lisboa, encomenda ‹ENC-4412|id›"),
    ("addr", "pt", "CEP «01310-100|postcode» São Paulo"),
    ("addr", "nl", "Adres: «Kerkstraat 12|address», «1017 GC|postcode» Amsterdam"),
    ("addr", "nl", "Bezorgen op «Prinsengracht 263|address», «1016 GV|postcode» Amsterdam"),
    ("addr", "nl", "Klant verhuisd naar «3511 LX|postcode» Utrecht, order ‹NL-7712|id›"),
    ("addr", "nl", "postcode «2511 BT|postcode» Den Haag"),
    ("addr", "sv", "Adress: «Storgatan 5|address», «114 51|postcode» Stockholm"),
    ("addr", "sv", "Leverans till «Drottninggatan 88|address», «411 14|postcode» Göteborg"),
    ("addr", "sv", "Kunden bor i «211 22|postcode» Malmö, order ‹SE-4410|id›"),
    ("addr", "hi", "Pata: «Flat 12, Shanti Niketan|address», Mumbai «400076|postcode»"),
    ("addr", "hi", "Delivery address Bengaluru - «560034|postcode», order ‹OD-7781|id›"),
    ("addr", "hi", "PIN code «110017|postcode» New Delhi"),
    ("addr", "hi", "Pincode: «600042|postcode», city ‹Chennai|word›"),
    ("addr", "en", "addr=\"«221B Baker Street|address»\" city=‹London|word› retries=‹2|count›"),
    ("json", "de", "{\"kunde\": {\"ort\": \"‹Berlin|word›\", \"plz\": \"«10117|postcode»\"}, \"tarif\": \"‹Basic|word›\"}"),
    ("json", "en", "{\"shipping\": {\"zip\": \"«30301|postcode»\", \"country\": \"‹US|code›\"}, \"items\": ‹3|count›}"),
    ("json", "en", "{\"address\": {\"postcode\": \"«SW1A 2AA|postcode»\", \"city\": \"London\"}, \"order\": \"‹ORD-1190|id›\"}"),
    # --- technical values next to postcode-like numbers that must survive ------------------------
    ("log", "en", "processed ‹12000|count› Records in ‹4500|count› ms"),
    ("log", "en", "ERROR ‹50013|code› Gateway timeout from ‹payments-api|service›"),
    ("log", "en", "port ‹10115|count› Berlin-cluster unreachable"),
    ("log", "en", "HTTP ‹503|code› Service Unavailable after ‹30000|count› ms"),
    ("log", "en", "build ‹20231|id› Passed on ‹ci-runner-7|host›"),
    ("log", "en", "shard ‹12345|id› Primary elected, term ‹881|count›"),
    ("log", "en", "loaded ‹75008|count› Entries into cache ‹session-cache|service›"),
    # --- versions that look like IPs --------------------------------------------------------------
    ("log", "en", "agent version ‹7.52.1.0|version› started on ‹ip-10-0-3-12|host›"),
    ("log", "en", "upgraded to ‹10.4.2.1|version› from ‹10.4.1.7|version›"),
    ("log", "en", "Upgrade to ‹4.18.0.3|version› complete, ‹12|count› nodes"),
    ("log", "en", "firmware ‹2.14.3.8|version› installed on ‹sensor-44|host›"),
    ("log", "en", "datadog-agent ‹7.50.3.1|version› connected to «10.0.4.17|ip»:8126"),
    ("log", "en", "release ‹2026.11.3.1|version› tagged by ‹ci|word›"),
    ("log", "en", "Build ‹5.0.2.114|version› Passed"),
    ("log", "en", "running nginx ‹1.24.0.1|version› on port ‹8443|count›"),
    ("log", "en", "Installed package ‹libssl3|word› ‹3.0.13.1|version›"),
    ("log", "en", "client sdk=‹4.3.2.1|version› region=‹eu-central-1|host› from «81.2.69.160|ip»"),
    ("log", "en", "App updated to ‹3.1.0.2|version› on device ‹Pixel|word›"),
    ("log", "en", "driver ‹535.129.3.1|version› loaded"),
    ("log", "en", "kernel: Linux ‹5.15.0.91|version› booted"),
    ("log", "en", "Product Version: ‹16.0.4135.4|version›"),
    ("log", "en", "SQL Server ‹15.0.2000.5|version› ready"),
    ("log", "en", "connection from «192.168.44.12|ip» (agent ‹3.2.1.0|version›)"),
    ("log", "en", "host «10.12.0.8|ip» running version ‹2.3.4.5|version›"),
    ("ua", "en", "«66.249.66.1|ip» - - [03/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (Windows NT ‹10.0.19045.3693|version›; Win64; x64) AppleWebKit/537.36 Chrome/‹120.0.6099.109|version›\""),
    ("ua", "en", "user_agent=\"MyApp/‹2.7.1.44|version› (iPhone; iOS ‹17.1.2|version›; Scale/3.00)\" ip=«100.64.10.3|ip»"),
    ("ua", "en", "UA: Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B Build/‹13.0.0.12|version›)"),
    ("ua", "en", "User-Agent: okhttp/4.12.0 ‹CompanyApp|word›/‹5.4.0.1183|version›"),
    ("json", "en", "{\"app_version\": \"‹6.2.0.15|version›\", \"client_ip\": \"«203.0.113.50|ip»\", \"os\": \"‹Android|word›\"}"),
    ("json", "en", "{\"agent\": {\"name\": \"‹fluent-bit|service›\", \"ver\": \"‹2.2.0.3|version›\"}, \"host\": {\"ip\": \"«10.0.9.21|ip»\"}}"),
    ("json", "en", "{\"fwVersion\": \"‹1.0.12.4|version›\", \"deviceId\": \"‹dev-2231|id›\"}"),
    ("json", "en", "{\"build\": {\"number\": \"‹8.1.0.2231|version›\"}, \"remote_addr\": \"«172.20.1.5|ip»\"}"),
    ("logfmt", "en", "app=‹checkout|service› appVersion=‹3.14.0.2|version› client=«198.51.100.77|ip»"),
    ("logfmt", "en", "component=updater from_version=‹1.2.3.4|version› to_version=‹1.2.4.0|version›"),
    ("yaml", "en", "image: registry.example.com/payments:‹4.0.0.12|version›\\nversion: ‹4.0.0.12|version›\\nnodeIP: «10.1.2.3|ip»"),
    # --- multi-line text values through the JSON path ---------------------------------------------
    ("json", "en", "{\"ticket\": \"‹SUP-2231|id›\", \"description\": \"Printer broken again.\\nKind regards,\\n«Philippa Wetherell|name»\"}"),
    ("json", "de", "{\"vorgang\": \"‹VG-771|id›\", \"notiz\": \"Rückruf erbeten.\\nMit freundlichen Grüßen\\n«Wendelin Oberhuber|name»\"}"),
    ("json", "en", "{\"job\": \"‹export-users|service›\", \"log\": \"id,name,email\\n‹77|id›,«Cuthbert Ashdown|name»,«c.ashdown@example.com|email»\"}"),
    ("json", "en", "{\"note\": \"Spoke with customer.\\n— «Thaddeus Ormerod|name»\", \"status\": \"‹closed|word›\"}"),
    ("json", "es", "{\"comentario\": \"Todo correcto.\\nUn saludo,\\n«Leocadia Urrutia|name»\", \"estado\": \"‹cerrado|word›\"}"),
    ("json", "en", "{\"sql\": \"INSERT INTO users (first_name, last_name, plan) VALUES ('«Henrietta|name»', '«Ashdown|name»', '‹Gold|word›')\", \"rows\": ‹1|count›}"),
    # --- home paths -------------------------------------------------------------------------------
    ("path", "en", "open ‹/Users/|path›«hwetherell|home_path»/Library/Caches/‹app.db|path› failed"),
    ("path", "en", "FileNotFoundError: [Errno 2] No such file: '/Users/«okafor.j|home_path»/Projects/‹payments-api|service›/config.yml'"),
    ("path", "en", "cwd=/Users/«marchbanks|home_path»/src/‹ledger|service› git=‹a1b2c3d|id›"),
    ("path", "en", "C:\\\\Users\\\\«ezquerra|home_path»\\\\AppData\\\\Local\\\\Temp\\\\‹setup.log|path›"),
    ("path", "en", "saved to ~/Downloads (/home/«wwendelin|home_path»/Downloads/‹report.csv|path›)"),
    ("path", "en", "at Object.<anonymous> (/Users/«gmarchetti|home_path»/dev/‹web|word›/index.js:‹12|count›:5)"),
    ("path", "en", "file:///Users/«sjoberg|home_path»/Documents/‹invoice.pdf|path›"),
    # --- SSNs -----------------------------------------------------------------------------------
    ("ssn", "en", "SSN: «123-45-6789|ssn» on file for claim ‹CLM-4410|id›"),
    ("ssn", "en", "ssn=«219-09-9999|ssn» dob_checked=‹true|word›"),
    ("ssn", "en", "Social Security Number «078-05-1120|ssn» verified"),
    ("ssn", "en", "applicant SSN «536 22 1234|ssn» rejected"),
    ("ssn", "en", "SSN «432871190|ssn» matched record ‹R-7712|id›"),
    ("ssn", "en", "social security no. «501-22-4431|ssn»"),
    ("ssn", "en", "tracking ‹1Z999AA10123456784|id› shipped"),
    # --- Ethereum and other wallets --------------------------------------------------------------
    ("wallet", "en", "withdrawal to «0x52908400098527886E0F7030069857D2E4169EE7|wallet» approved, fee ‹0.0021|count› ETH"),
    ("wallet", "en", "from=«0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe|wallet» tx=‹0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060|id›"),
    ("wallet", "en", "{\"to\": \"«0x8617E340B3D01FA5F11F306F4090FD50E238070D|wallet»\", \"chainId\": ‹1|count›}"),
    ("wallet", "en", "ETH address «0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359|wallet» whitelisted"),
    ("wallet", "en", "contract call gas=‹21000|count› block=‹18923311|id›"),
    # --- OTP / PIN phrasing in several languages ---------------------------------------------------
    ("otp", "en", "Your one-time passcode is «482913|otp». It expires in ‹10|count› minutes."),
    ("otp", "en", "Use code «771204|otp» to sign in to ‹Acme|word›"),
    ("otp", "en", "PIN «4821|otp» set for card ending ‹4242|count›"),
    ("otp", "en", "verification code: «902211|otp»"),
    ("otp", "de", "Ihr Bestätigungscode lautet «583920|otp»."),
    ("otp", "de", "Ihre PIN lautet «7731|otp», gültig für ‹5|count› Minuten"),
    ("otp", "de", "Dein Code: «440912|otp»"),
    ("otp", "es", "Tu código de verificación es «661043|otp»"),
    ("otp", "es", "Su clave temporal es «885120|otp»"),
    ("otp", "es", "código «310442|otp» para confirmar el pago ‹PAG-7712|id›"),
    ("otp", "fr", "Votre code de vérification est «229104|otp»"),
    ("otp", "fr", "Votre code est : «771045|otp»"),
    ("otp", "fr", "Code de confirmation «908812|otp» envoyé au client ‹CL-1181|id›"),
    ("otp", "pl", "Twój kod weryfikacyjny to «448120|otp»"),
    ("otp", "pl", "Kod SMS: «302918|otp»"),
    ("otp", "pt", "Seu código de verificação é «552019|otp»"),
    ("otp", "pt", "O seu código é «661209|otp»"),
    ("otp", "it", "Il tuo codice di verifica è «730021|otp»"),
    ("otp", "it", "Codice OTP: «119843|otp»"),
    ("otp", "nl", "Je verificatiecode is «581203|otp»"),
    ("otp", "sv", "Din verifieringskod är «402918|otp»"),
    ("otp", "hi", "Aapka OTP «839201|otp» hai, kisi ko mat batana"),
    ("otp", "en", "sent OTP to user ‹usr_4f1a9b2c3d4e5f60|id› in ‹120ms|duration›"),
    ("otp", "en", "error code ‹401|code› for request ‹req-7781|id›"),
    ("otp", "en", "exit code ‹137|code› after ‹3|count› retries"),
    # --- ordinary capitalised words that must survive ----------------------------------------------
    ("log", "en", "‹Kafka|word› consumer ‹Group|word› rebalanced after ‹Monday|word› deploy"),
    ("log", "en", "Deploying ‹Payment|word› ‹Gateway|word› to ‹Frankfurt|word› region"),
    ("log", "en", "‹Apache|word› ‹Tomcat|word› started in ‹2.3s|duration›"),
    ("log", "en", "Signed off by ‹Release|word› ‹Bot|word›"),
    ("log", "de", "Die ‹Rechnung|word› wurde an ‹Buchhaltung|word› übergeben"),
    ("log", "es", "El ‹Pedido|word› fue enviado al ‹Almacén|word› ‹Central|word›"),
    ("log", "fr", "La ‹Commande|word› est en ‹Préparation|word›"),
    ("log", "en", "‹Spring|word› ‹Boot|word› ‹3.2.1|version› on ‹Java|word› ‹21|count›"),
    ("log", "en", "node ‹worker-3|host› joined cluster ‹Orion|word›"),
    ("log", "en", "Migrating table ‹Customers|word› to ‹Postgres|word› ‹16|count›"),
    # --- access log with usernames in other positions and mixed technical values ----------------------
    ("log", "en", "sshd[‹2231|id›]: Accepted publickey for «okafor|name» from «203.0.113.5|ip» port ‹52211|count›"),
    ("log", "en", "sshd[‹2232|id›]: Failed password for invalid user «vanterpool|name» from «198.51.100.9|ip» port ‹40022|count›"),
    ("log", "en", "sudo: «hwetherell|name» : TTY=pts/0 ; PWD=/srv ; USER=‹root|word› ; COMMAND=/bin/systemctl restart ‹nginx|service›"),
    ("log", "en", "git commit ‹a9f3c21|id› by «Thaddeus Ormerod|name» on branch ‹main|word›"),
    ("log", "en", "Author: «Philippa Wetherell|name» <«pw@example.com|email»>"),
    # --- structured log records: `message` is the log message, scanned as text; chat
    # messages (no level key) are masked whole ----------------------------------------------------
    ("json", "en", "{\"level\": \"info\", \"message\": \"upgraded ‹payments-api|service› to ‹4.2.0.1|version› on ‹node-7|host›\", \"ts\": \"‹2026-12-03T10:00:00Z|timestamp›\"}"),
    ("json", "en", "{\"severity\": \"ERROR\", \"message\": \"login failed for «m.okafor@example.com|email» from «203.0.113.44|ip»\", \"code\": \"‹AUTH_401|code›\"}"),
    ("json", "en", "{\"level\": \"warn\", \"logger\": \"‹com.acme.Billing|id›\", \"message\": \"Retry ‹3|count› for invoice ‹INV-7781|id› after ‹250ms|duration›\"}"),
    ("json", "de", "{\"level\": \"info\", \"message\": \"Bestellung ‹B-4471|id› an ‹Lager|word› ‹Nord|word› übergeben\", \"service\": \"‹order-svc|service›\"}"),
    ("json", "es", "{\"level\": \"info\", \"message\": \"Pedido ‹PED-7712|id› enviado a «Calle Mayor 12|address», «28013|postcode» Madrid\"}"),
    ("json", "en", "{\"@timestamp\": \"‹2026-12-03T10:01:00Z|timestamp›\", \"log.level\": \"debug\", \"message\": \"cache ‹warmup|word› took ‹812ms|duration› on ‹cache-3|host›\"}"),
    ("logfmt", "en", "ts=‹2026-12-03T10:02:00Z|timestamp› level=info message=\"job ‹nightly-export|service› finished, ‹1200|count› rows\" caller=‹export.go:88|path›"),
    ("logfmt", "en", "level=error message=\"SMTP delivery to «h.ashdown@example.org|email» failed\" retry=‹2|count›"),
    ("json", "en", "{\"conversation_id\": \"‹c-7781|id›\", \"sender\": \"user\", \"message\": \"«hey it's me, call me after the meeting|content»\"}"),
    ("json", "en", "{\"room\": \"‹support|word›\", \"message\": \"«I moved last week, please update my address|content»\", \"seq\": ‹42|count›}"),
    ("json", "fr", "{\"canal\": \"‹chat|word›\", \"message\": \"«bonjour, je voudrais annuler ma commande|content»\"}"),
    ("log", "en", "chat message=\"«can you send the keys to my flat tonight|content»\" channel=‹dm|word›"),
    # --- more shapes -------------------------------------------------------------------------------
    ("log", "en", "Password reset requested by Mrs. «Quennell|name» for account ‹acct_7781|id›"),
    ("log", "en", "Deliver to «Hauptstraße 5|address», «10115|postcode» Berlin; courier ‹DHL|code›"),
    ("log", "en", "ticket ‹T-881|id› closed by «vanterpool|name» from «198.51.100.44|ip»"),
    ("log", "en", "pam_unix(sshd:session): session opened for user «jwhitfield|name» by (uid=0)"),
    ("log", "it", "Spedizione a «Via Roma 3|address», «00184|postcode» Roma confermata per il Sig. «Lombardo|name»"),
    ("log", "pl", "Paczka dla Pani «Nowicka|name», «ul. Długa 7|address», «80-831|postcode» Gdańsk"),
    ("log", "pt", "Envio para «Rua Augusta 12|address», «1100-053|postcode» Lisboa, cliente ‹C-7712|id›"),
    ("log", "nl", "Pakket voor mevrouw «Visser|name», «Dorpsstraat 8|address», «3732 HJ|postcode» De Bilt"),
    ("log", "sv", "Paket till «Kungsgatan 44|address», «111 35|postcode» Stockholm för ‹order|word› ‹SE-991|id›"),
    ("log", "en", "resolved ‹api.example.com|host› to «93.184.216.34|ip» in ‹3ms|duration›"),
    ("log", "en", "connection from «10.0.0.12|ip» to «10.0.0.13|ip» reset"),
    ("log", "en", "upgraded host «10.0.7.1|ip» to kernel ‹6.1.0.18|version›"),
    # --- titles with initials or a second title, formal salutations, postcodes of small towns ---
    ("prose", "de", "Termin mit Herrn Dr. «Kleinschmidt|name» am ‹Dienstag|word› bestätigt"),
    ("prose", "de", "Frau Prof. Dr. «Achenbach-Wolff|name» hat den Antrag ‹A-2291|id› genehmigt"),
    ("prose", "en", "Mr. J. «Okonjo|name» requested a callback about ‹INC-7781|id›"),
    ("prose", "es", "Sr. D. «Garmendia|name» ha pagado la factura ‹F-2026-88|id›"),
    ("prose", "en", "Dear «Featherstonehaugh|name» and team, the ‹Kafka|word› upgrade is done."),
    ("mail", "de", "Lieber «Ottokar|name», anbei die Unterlagen zu ‹Vertrag|word› ‹V-881|id›."),
    ("mail", "it", "Caro «Gualtiero|name», ti mando il preventivo ‹PRV-2210|id›."),
    ("mail", "pt", "Prezada «Cleonice|name», segue o boleto ‹BL-7712|id›."),
    ("mail", "es", "Querida «Eufemia|name», te envío la factura ‹F-551|id›."),
    ("mail", "fr", "Chère «Apolline|name», voici le devis ‹DV-3310|id›."),
    ("mail", "nl", "Geachte heer «Wouterse|name», uw bestelling ‹B-7712|id› is verzonden."),
    ("mail", "sv", "Kära «Gunborg|name», din faktura ‹F-8812|id› är betald."),
    ("mail", "en", "Dear Customer, your ‹Order|word› ‹ORD-1181|id› has shipped."),
    ("addr", "de", "Lieferung nach «74653|postcode» Künzelsau, Paket ‹P-7712|id›"),
    ("addr", "fr", "Livraison à «48200|postcode» Saint-Chély-d'Apcher demain"),
    ("addr", "it", "Spedito a «38068|postcode» Rovereto ieri"),
    ("addr", "en", "Sydney ‹NSW|code› office moved: «Level 3, 12 Pitt Street|address», Sydney NSW «2000|postcode»"),
    ("addr", "en", "Remit to «400 Queen Street|address», Brisbane QLD «4000|postcode»"),
    ("addr", "en", "Ship to «100 King St W|address», Toronto, ON «M5X 1A9|postcode»"),
    ("addr", "en", "office: Vancouver, BC «V6B 4Y8|postcode», ‹Canada|word›"),
    ("log", "en", "from ‹12000|count› Requests to ‹40000|count› Requests per minute"),
    ("log", "en", "in ‹2026|count› Berlin hosted ‹KubeCon|word›"),
    # --- person keys in other languages, full names under weak keys, names after `con`/`mit` --
    ("json", "es", "{\"nombre_cliente\": \"«Eufemia Larrañaga|name»\", \"pedido\": \"‹PED-9912|id›\", \"total\": ‹120|count›}"),
    ("json", "it", "{\"nome_utente\": \"«Gualtiero Sgarbi|name»\", \"stato\": \"‹attivo|word›\"}"),
    ("json", "de", "{\"Kundenname\": \"«Ottokar Brandl|name»\", \"Tarif\": \"‹Premium|word›\"}"),
    ("json", "fr", "{\"nom_client\": \"«Apolline Berthier|name»\", \"ville\": \"‹Lyon|word›\"}"),
    ("yaml", "en", "metadata:\\n  annotations:\\n    owner: «Dana Whitfield|name»\\n    team: ‹payments|word›"),
    ("logfmt", "en", "user=\"«Cleonice Andrade|name»\" action=‹login|word› ok=‹true|word›"),
    ("yaml", "en", "owner: ‹team-payments|service›\\nuser: ‹svc-deploy|service›"),
    ("prose", "es", "Hablé con «García|name» sobre el pedido ‹PED-1181|id›"),
    ("prose", "de", "Termin mit «Müller|name» verschoben auf ‹Freitag|word›"),
    ("prose", "fr", "Réunion avec «Dubois|name» reportée, salle ‹B12|id›"),
    ("prose", "it", "Ho parlato con «Rossi|name» del ticket ‹TK-4410|id›"),
    ("prose", "pt", "Falei com «Silva|name» sobre a fatura ‹NF-3391|id›"),
    ("prose", "en", "Deployed with ‹Helm|word› and ‹Kafka|word› on ‹Monday|word›"),
    # --- an unknown given name before a known surname (not caught: the rule cost more than it
    # found on the held-out parts and was dropped) ---------------------------------------------
    ("log", "pl", "«Zbyszko Nowak|name» approved change ‹CHG-2291|id› on ‹prod|word›"),
    ("log", "es", "Pedido ‹PED-4410|id› firmado: «Anselmo García|name», ‹Almacén|word› ‹Central|word›"),
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
    if not joined.lstrip().startswith("{"):
        # JSON records keep `\n` escapes: one line of JSON whose strings hold line breaks
        joined = joined.replace("\\n", "\n")
    return joined, secrets, sclasses, keeps, kclasses


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "dev2.jsonl"), "w", encoding="utf-8") as f:
        for n, (fmt, lang, text) in enumerate(R):
            t, s, sc, k, kc = parse(text)
            for v in s:
                assert v in t, v
            rec = {"id": f"dev2-{n:04d}", "part": "dev2", "format": fmt, "lang": lang, "text": t,
                   "secrets": s, "keeps": k, "secret_classes": sc, "keep_classes": kc}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
