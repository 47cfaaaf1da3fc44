#!/usr/bin/env python3
"""Writes given_census.txt and surnames_census.txt from the US Census Bureau's 1990 name
frequency files (dist.male.first, dist.female.first, dist.all.last: a US government work,
public domain; copied here from the `names` 0.3.0 package on PyPI, MIT, which ships them).

Kept: the most frequent names (1,000 male, 1,500 female given names, 3,000 surnames) that
are not already in given.txt / surnames.txt, minus every name that is also an ordinary
lower-case English word in /usr/share/dict/words (Debian `wamerican`: `grace`, `chase`,
`long`), month and day names, places that are also names (`Virginia`, `London`) and the names
of software that logs mention (`Jenkins`, `Travis`, `Cassandra`).
Run: python3 census.py DIR_WITH_DIST_FILES  (deterministic).
"""
import os
import sys

src = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
dictionary = {w.strip() for w in open("/usr/share/dict/words", encoding="utf-8") if w.strip().islower()}
EXCLUDE = set("""
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
Jenkins Travis Jasmine Cassandra Alexa Pascal Dell Sinatra Julia Kafka Heroku Ada Maven
Georgia Virginia Carolina Florence Sydney Dakota Madison Brooklyn Savannah Austin Paris India
Asia Africa America Israel China Jordan Chelsea Kenya Egypt Vienna Lourdes Berlin London
Houston Dallas Denver Phoenix Boston Washington Lincoln Orlando Chicago Detroit Cleveland
Memphis Nashville Jackson Montgomery Columbus Charlotte Raleigh Richmond Hamilton Ontario
Quebec Victoria Adelaide Perth Brisbane Melbourne Auckland Wellington Dublin Cork York
Lancaster Manchester Chester Kent Essex Devon Cornwall Durham Warwick Oxford Cambridge
Windsor Clinton Kennedy Reagan Carter Bush Nixon Ford Ford Tesla Porsche Mercedes Bentley
Cadillac Lexus Chevrolet Dodge Chrysler Jeep Mustang Apache Dakota Cherokee Navajo Aurora
Nova Luna Stella Sierra Alpha Delta Omega Sigma Gamma Echo Victor Oscar Tango Zulu Juliet
Kilo Lima Mike Romeo Hotel Golf Yankee Foxtrot Bravo Charlie Whiskey Xray Uniform Quebec
English French German Dutch Irish Scott Welsh Norman Roman Christian Islam Bible Pope
Monday Holiday Easter Christmas Noel Harmony Melody Destiny Trinity Nevada Texas Florida
Montana Arizona Utah Idaho Kansas Indiana Missouri Alabama Arkansas Oregon Maine Vermont
Tyson Chanel Gucci Prada Armani Versace Lauren Wells Fargo Morgan Stanley Goldman Sachs
Stripe Square Amazon Google Apple Microsoft Oracle Cisco Intel Adobe Salesforce Slack
Zoom Twilio Datadog Sentry Splunk Elastic Redis Mongo Postgres Mysql Django Flask Rails
Spring Struts Hibernate Jetty Tomcat Jersey Jackson Gson Guava Netty Akka Scala Kotlin
Swift Dart Rust Crystal Elixir Erlang Haskell Perl Ruby Python Java Lua Julia Fortran
Cobol Basic Logan Ember Angular Vue React Svelte Gatsby Hugo Jekyll Hexo Grunt Gulp Bower
Karma Mocha Chai Jest Sinon Cypress Selenium Appium Gradle Ant Bazel Buck Pants Make
""".split())


def read(name, n):
    out = []
    with open(os.path.join(src, name)) as f:
        for line in f:
            w = line.split()[0].capitalize()
            if w.startswith("Mc") and len(w) > 2:
                w = "Mc" + w[2:].capitalize()
            out.append(w)
            if len(out) >= n:
                break
    return out


def existing(name):
    words = set()
    for line in open(os.path.join(here, name), encoding="utf-8"):
        if not line.startswith("#"):
            words.update(line.split())
    return words


known = existing("given.txt") | existing("surnames.txt")


def keep(w):
    return len(w) > 2 and w.lower() not in dictionary and w not in EXCLUDE and w not in known


given = [w for w in read("dist.male.first", 1000) + read("dist.female.first", 1500) if keep(w)]
given = list(dict.fromkeys(given))
known |= set(given)
surnames = [w for w in read("dist.all.last", 3000) if keep(w)]
header = "# {} US Census Bureau 1990 {} (public domain, US government work), filtered as in census.py.\n"
for fname, words, what in [("given_census.txt", given, "given names"), ("surnames_census.txt", surnames, "surnames")]:
    with open(os.path.join(here, fname), "w", encoding="utf-8") as f:
        f.write(header.format(len(words), what))
        for k in range(0, len(words), 16):
            f.write(" ".join(words[k:k + 16]) + "\n")
    print(fname, len(words))
