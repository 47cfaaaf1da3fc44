"""Value pools and generators of valid-checksum PII for the corpus generator."""
import base64
import hashlib
import random
import string

GIVEN = {
    "en": ["James", "Emily", "Oliver", "Sophie", "Michael", "Sarah", "Daniel", "Laura", "Thomas", "Jessica", "Andrew", "Hannah", "Robert", "Olivia", "Peter", "Rachel"],
    "de": ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Maximilian", "Sophie", "Tobias", "Katharina", "Jürgen", "Ursula", "Stefan", "Sabine"],
    "es": ["Alejandro", "Lucía", "Javier", "Carmen", "Sergio", "Elena", "Pablo", "Marta", "Diego", "Isabel", "José", "Paula"],
    "fr": ["Julien", "Camille", "Nicolas", "Chloé", "Antoine", "Manon", "Mathieu", "Élodie", "François", "Céline", "Pierre", "Amélie"],
    "pl": ["Piotr", "Katarzyna", "Krzysztof", "Agnieszka", "Tomasz", "Małgorzata", "Łukasz", "Joanna", "Marcin", "Magdalena", "Paweł", "Ewa"],
    "pt": ["João", "Ana", "Pedro", "Beatriz", "Tiago", "Mariana", "Rafael", "Inês", "Gonçalo", "Leonor", "Bruno", "Carolina"],
    "it": ["Giuseppe", "Giulia", "Francesco", "Chiara", "Alessandro", "Francesca", "Matteo", "Valentina", "Lorenzo", "Federica", "Marco", "Elisa"],
    "hi": ["Rahul", "Priya", "Amit", "Sunita", "Vikram", "Anjali", "Rajesh", "Pooja", "Arjun", "Neha", "Sanjay", "Kavita"],
}
SURNAME = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thompson", "Walker", "Harris", "Clarke", "Robinson", "Wright"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter"],
    "es": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard"],
    "pl": ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski"],
    "pt": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes", "Gonçalves", "Almeida"],
    "it": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo"],
    "hi": ["Sharma", "Verma", "Gupta", "Singh", "Kumar", "Patel", "Reddy", "Iyer", "Nair", "Mehta", "Joshi", "Agarwal"],
}
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "gmail.com", "outlook.de", "yahoo.fr", "wp.pl", "libero.it", "uol.com.br", "rediffmail.com"]

STREETS = {
    "en": [("{n} {w} Street", ["Baker", "Oak", "Maple", "Church", "Victoria"]), ("{n} {w} Road", ["Station", "Mill", "Green"]), ("{n} {w} Ave", ["Park", "Lexington", "Madison"]), ("{n} {w} St.", ["Elm", "High", "Main"]), ("{n} {w} Lane", ["Cherry", "Orchard"]), ("{n} {w} Drive", ["Sunset", "Lakeview"])],
    "de": [("{w}straße {n}", ["Haupt", "Bahnhof", "Goethe", "Schiller", "Linden"]), ("{w}str. {n}", ["Berliner", "Garten", "Kirch"]), ("{w}weg {n}", ["Birken", "Ahorn"]), ("{w} Allee {n}", ["Karl-Marx", "Leopold"])],
    "es": [("Calle {w} {n}", ["Mayor", "Alcalá", "Serrano", "Gran Vía"]), ("C/ {w} {n}", ["Atocha", "Princesa"]), ("Avda. {w} {n}", ["Diagonal", "Constitución"]), ("Avenida de {w} {n}", ["América", "Burgos"])],
    "fr": [("{n} rue {w}", ["de Rivoli", "Victor Hugo", "des Lilas", "du Faubourg"]), ("{n}, avenue {w}", ["Foch", "de la République"]), ("{n} boulevard {w}", ["Haussmann", "Saint-Germain"]), ("{n} place {w}", ["Bellecour", "du Marché"])],
    "pl": [("ul. {w} {n}", ["Marszałkowska", "Długa", "Piękna", "Kwiatowa"]), ("ulica {w} {n}", ["Słoneczna", "Lipowa"]), ("al. {w} {n}", ["Jerozolimskie", "Niepodległości"])],
    "pt": [("Rua {w}, {n}", ["Augusta", "das Flores", "do Ouro", "Oscar Freire"]), ("Av. {w}, {n}", ["Paulista", "da Liberdade"]), ("Avenida {w} {n}", ["Atlântica", "Brasil"])],
    "it": [("Via {w} {n}", ["Roma", "Garibaldi", "Dante", "Mazzini", "del Corso"]), ("Viale {w} {n}", ["Monza", "Europa"]), ("Piazza {w} {n}", ["Navona", "Duomo"]), ("Corso {w} {n}", ["Vittorio Emanuele", "Buenos Aires"])],
    "hi": [("{n}, {w} Road", ["MG", "Linking", "Station"]), ("Flat {n}, {w} Nagar", ["Gandhi", "Shanti", "Rajendra"]), ("House No. {n}, {w} Marg", ["Tilak", "Nehru"])],
}
CITIES = {
    "en": [("London", "SW1A 1AA"), ("Manchester", "M1 1AE"), ("Springfield", "62704"), ("Boston", "02118")],
    "de": [("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095")],
    "es": [("Madrid", "28013"), ("Barcelona", "08001"), ("Sevilla", "41001")],
    "fr": [("Paris", "75011"), ("Lyon", "69002"), ("Marseille", "13001")],
    "pl": [("Warszawa", "00-950"), ("Kraków", "31-042"), ("Gdańsk", "80-001")],
    "pt": [("Lisboa", "1100-148"), ("Porto", "4000-322"), ("São Paulo", "01310-100")],
    "it": [("Roma", "00184"), ("Milano", "20121"), ("Napoli", "80133")],
    "hi": [("Mumbai", "400001"), ("New Delhi", "110001"), ("Bengaluru", "560001")],
}


def luhn_complete(prefix_digits, total_len, rng):
    d = prefix_digits + "".join(rng.choice(string.digits) for _ in range(total_len - len(prefix_digits) - 1))
    for c in string.digits:
        s = d + c
        tot = 0
        for k, ch in enumerate(reversed(s)):
            v = int(ch)
            if k % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            tot += v
        if tot % 10 == 0:
            return s
    raise AssertionError


def card(rng):
    pre, n = rng.choice([("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16), ("2221", 16)])
    d = luhn_complete(pre, n, rng)
    style = rng.choice(["plain", "space", "dash"])
    if style == "plain" or n == 15:
        return d
    sep = " " if style == "space" else "-"
    return sep.join(d[k:k + 4] for k in range(0, 16, 4))


def imei(rng):
    return luhn_complete(rng.choice(["35", "86", "01", "99"]), 15, rng)


def iban(rng):
    cc, bban_len = rng.choice([("DE", 18), ("FR", 23), ("ES", 20), ("IT", 23), ("PL", 24), ("PT", 21), ("GB", 18)])
    if cc == "GB":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(rng.choice(string.digits) for _ in range(14))
    elif cc == "IT":
        bban = rng.choice(string.ascii_uppercase) + "".join(rng.choice(string.digits) for _ in range(22))
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(bban_len))
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(num) % 97
    return f"{cc}{check:02d}{bban}"


def phone(rng, lang):
    f = {
        "en": ["+1 ({a}) {b}-{c}", "({a}) {b}-{c}", "+44 20 {b4} {c}", "{a}-{b}-{c}", "+1-{a}-{b}-{c}", "07{d3} {d6}"],
        "de": ["+49 30 {d8}", "+49 151 {d8}", "030/{d7}", "0151/{d8}", "+49 (0)89 {d7}"],
        "es": ["+34 6{d2} {d3} {d3b}", "+34 91 {d3} {d2} {d2b}", "6{d2} {d3} {d3b}"],
        "fr": ["+33 6 {p} {p} {p} {p}", "06 {p} {p} {p} {p}", "+33 (0)1 {p} {p} {p} {p}"],
        "pl": ["+48 {d3} {d3b} {d3c}", "+48 22 {d3} {d2} {d2b}", "(+48) {d3} {d3b} {d3c}"],
        "pt": ["+351 91{d1} {d3} {d3b}", "+55 11 9{d4}-{d4b}", "(11) 9{d4}-{d4b}", "+55 (21) 9{d4}-{d4b}"],
        "it": ["+39 3{d2} {d3} {d4}", "+39 06 {d4} {d4b}", "3{d2} {d3} {d4}"],
        "hi": ["+91 98{d3} {d5}", "+91-9{d4}-{d5}", "(+91) 7{d4} {d5}"],
    }[lang]
    D = lambda n: "".join(rng.choice(string.digits) for _ in range(n))
    return rng.choice(f).format(a=rng.choice(["212", "415", "646", "303", "617"]), b=str(rng.randint(200, 999)), c=D(4), b4=D(4),
                                d1=D(1), d2=D(2), d2b=D(2), d3=D(3), d3b=D(3), d3c=D(3), d4=D(4), d4b=D(4), d5=D(5), d6=D(6), d7=D(7), d8=D(8), p=D(2))


def ipv4(rng):
    return rng.choice([f"203.0.113.{rng.randint(1, 254)}", f"198.51.100.{rng.randint(1, 254)}", f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                       f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}", f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])


def ipv6(rng):
    return rng.choice([f"2001:db8::{rng.randint(1, 0xffff):x}", f"2a02:{rng.randint(0x100, 0xfff):x}:{rng.randint(0x100, 0xfff):x}::{rng.randint(1, 0xff):x}",
                       f"fe80::{rng.randint(0x100, 0xfff):x}:{rng.randint(0x1000, 0xffff):x}:fe{rng.randint(10, 99)}:{rng.randint(0x1000, 0xffff):x}"])


def rand_token(rng, n, alphabet=string.ascii_letters + string.digits):
    while True:
        t = "".join(rng.choice(alphabet) for _ in range(n))
        if any(c.isdigit() for c in t) and any(c.isupper() for c in t) and any(c.islower() for c in t):
            return t


def api_key(rng):
    return rng.choice([
        "sk_live_" + rand_token(rng, 24), "ghp_" + rand_token(rng, 36), "xoxb-" + "".join(rng.choice(string.digits) for _ in range(11)) + "-" + rand_token(rng, 24),
        "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)), "AIza" + rand_token(rng, 35), "glpat-" + rand_token(rng, 20),
        rand_token(rng, 32), "npm_" + rand_token(rng, 36), "dop_v1_" + "".join(rng.choice("0123456789abcdef") for _ in range(64)), rand_token(rng, 40, string.ascii_letters + string.digits + "_-"),
        "".join(rng.choice("0123456789abcdef") for _ in range(32)),
    ])


def aws_secret(rng):
    return rand_token(rng, 40, string.ascii_letters + string.digits + "/+")


def jwt(rng):
    b = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
    return b('{"alg":"HS256","typ":"JWT"}') + "." + b('{"sub":"%d","iat":%d}' % (rng.randint(1, 99999), rng.randint(1600000000, 1700000000))) + "." + rand_token(rng, 43, string.ascii_letters + string.digits + "_-")


def password(rng):
    return rng.choice(["hunter2", "Sommer2024!", "P@ssw0rd123", "correct-horse-battery", "Tr0ub4dor&3", "qwerty!" + str(rng.randint(10, 99)),
                       "Lato2023#", "ContraseñaSegura9", "motdepasse" + str(rng.randint(100, 999)), "S3nh@Forte", rand_token(rng, 14, string.ascii_letters + string.digits + "!#$%")])


def pem(rng):
    body = [rand_token(rng, 64, string.ascii_letters + string.digits + "+/") for _ in range(3)] + [rand_token(rng, 24, string.ascii_letters + string.digits + "+/") + "=="]
    kind = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    return kind, body


def home_path(rng, user):
    return rng.choice([f"/home/{user}/", f"/Users/{user}/", f"C:\\Users\\{user}\\"])


def dob(rng):
    y, m, d = rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{m:02d}/{d:02d}/{y}"])


def nino(rng):
    return rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ") + "".join(rng.choice(string.digits) for _ in range(6)) + rng.choice("ABCD")


NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def nif(rng):
    n = rng.randint(10000000, 99999999)
    return f"{n:08d}{NIF_LETTERS[n % 23]}"


def nie(rng):
    p = rng.choice("XYZ")
    n = rng.randint(1000000, 9999999)
    v = int(str("XYZ".index(p)) + f"{n:07d}")
    return f"{p}{n:07d}{NIF_LETTERS[v % 23]}"


CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def codice_fiscale(rng):
    L = string.ascii_uppercase
    s = "".join(rng.choice("BCDFGHLMNPRSTVZ") for _ in range(6)) + f"{rng.randint(40, 99):02d}" + rng.choice("ABCDEHLMPRST") + f"{rng.choice([rng.randint(1, 28), rng.randint(41, 68)]):02d}" + rng.choice("ABCDEFGHLM") + f"{rng.randint(100, 999):03d}"
    tot = 0
    for k, c in enumerate(s):
        idx = int(c) if c.isdigit() else L.index(c)
        tot += CF_ODD[idx] if k % 2 == 0 else idx
    return s + L[tot % 26]


def pesel(rng):
    y, m, d = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
    s = f"{y:02d}{m:02d}{d:02d}" + "".join(rng.choice(string.digits) for _ in range(4))
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    c = (10 - sum(int(a) * b for a, b in zip(s, w)) % 10) % 10
    return s + str(c)


VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
      [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
      [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def aadhaar(rng):
    s = str(rng.randint(2, 9)) + "".join(rng.choice(string.digits) for _ in range(10))
    c = 0
    for k, ch in enumerate(reversed(s)):
        c = VD[c][VP[(k + 1) % 8][int(ch)]]
    full = s + str(VINV[c])
    return rng.choice([full, f"{full[:4]} {full[4:8]} {full[8:]}", f"{full[:4]}-{full[4:8]}-{full[8:]}"])


def aba(rng):
    while True:
        s = rng.choice(["0", "1", "2", "3"]) + "".join(rng.choice(string.digits) for _ in range(7))
        w = [3, 7, 1, 3, 7, 1, 3, 7]
        t = sum(int(a) * b for a, b in zip(s, w))
        c = (10 - t % 10) % 10
        return s + str(c)


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58check(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def bech32(rng):
    hrp = "bc"
    data = [0] + [rng.randrange(32) for _ in range(32)]
    exp = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]
    pm = bech32_polymod(exp + data + [0] * 6) ^ 1
    chk = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH[d] for d in data + chk)


def wallet(rng):
    k = rng.random()
    if k < 0.4:
        return b58check(bytes([rng.choice([0, 5])]) + bytes(rng.randrange(256) for _ in range(20)))
    if k < 0.7:
        return bech32(rng)
    return "0x" + "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(40))
