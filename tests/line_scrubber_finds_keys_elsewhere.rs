//! `LineScrubber` replaces values whose key or context is not next to them: SQL columns,
//! CSV headers, header-less rows, chat transcripts, signatures, mail headers; and the
//! free-text detectors added with them (bank accounts in prose, version contexts, typed
//! object ids). Every case also says what must survive. Arbitrary lines never panic.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use telemetra::pii::{LineScrubber, Scrubber, ScrubberConfig};

fn scrubber() -> Scrubber {
    Scrubber::new(
        ScrubberConfig::builder()
            .hash_key(*b"line-test-key-0123456789abcdef!!")
            .build()
            .unwrap(),
    )
}

/// Scrubs `lines` as one stream; every `gone` string must be absent from the output and
/// every `kept` string present.
fn check(lines: &[&str], gone: &[&str], kept: &[&str]) {
    let s = scrubber();
    let mut ls = LineScrubber::new(&s);
    let out: Vec<String> = lines
        .iter()
        .map(|l| ls.scrub_line(l).into_owned())
        .collect();
    let out = out.join("\n");
    for g in gone {
        assert!(!out.contains(g), "{g:?} survived in {out:?}");
    }
    for k in kept {
        assert!(out.contains(k), "{k:?} lost in {out:?}");
    }
}

#[test]
fn sql_values_take_their_column_rules() {
    check(
        &["INSERT INTO people (id, first_name, last_name, email, city) VALUES (881, 'Wiebke', 'Ostermann', 'w.o@example.de', 'Bremen'), (882, 'Ilse', 'Brack', NULL, 'Kiel');"],
        &["Wiebke", "Ostermann", "w.o@example.de", "Ilse", "Brack"],
        &["881", "882", "Bremen", "Kiel", "NULL"],
    );
}

#[test]
fn csv_rows_take_their_header_rules_until_the_shape_changes() {
    check(
        &[
            "id,surname,street,plan",
            "17,Oyelaran,Birchwood Lane 4,gold",
            "18,Haverkamp,Am Deich 9,free",
            "level=info msg=done count=3",
        ],
        &["Oyelaran", "Birchwood Lane 4", "Haverkamp", "Am Deich 9"],
        &[
            "17",
            "gold",
            "18",
            "free",
            "count=3",
            "id,surname,street,plan",
        ],
    );
}

#[test]
fn header_less_rows_with_a_known_name_lose_both_name_fields() {
    check(
        &["5521;Sabine;Hollenbach;Invoice;1240"],
        &["Sabine", "Hollenbach"],
        &["5521", "Invoice", "1240"],
    );
    // capitalised fields that are not names stay
    check(
        &["ORD-1,Shipped,Express,Europe,42"],
        &[],
        &["Shipped,Express,Europe"],
    );
}

#[test]
fn chat_lines_lose_speaker_and_body_but_bots_and_log_levels_stay() {
    check(
        &["[09:14] Kasimir: the door code is 5521, see you"],
        &["Kasimir", "door code", "5521"],
        &["[09:14]"],
    );
    check(
        &["[09:15] deploy-bot: rollout finished"],
        &[],
        &["deploy-bot: rollout finished"],
    );
    check(
        &["[09:16:02] Warning: disk 91% full"],
        &[],
        &["Warning: disk 91% full"],
    );
}

#[test]
fn the_line_after_a_sign_off_is_a_name() {
    check(
        &["Mit freundlichen Grüßen", "Roswitha Quandtberg", "Vertrieb"],
        &["Roswitha", "Quandtberg"],
        &["Mit freundlichen Grüßen", "Vertrieb"],
    );
}

#[test]
fn words_before_an_angle_bracketed_address_are_a_name() {
    check(
        &["Author: Fenwick Aldous-Pryce <fap@example.org>"],
        &["Fenwick", "Aldous-Pryce", "fap@example.org"],
        &["Author:"],
    );
}

#[test]
fn bank_accounts_after_account_words() {
    check(
        &["paid into account no. 0044 1772 9981 on Friday; Konto 53020411 gesperrt"],
        &["0044 1772 9981", "53020411"],
        &["Friday", "gesperrt"],
    );
    // an amount or a last-four hint after the word is not an account number
    check(
        &["account balance 1250 EUR, card account ending 4242"],
        &[],
        &["1250", "4242"],
    );
}

#[test]
fn dotted_quads_after_version_words_stay_ips_elsewhere_go() {
    check(
        &["Upgraded 4.2.0.17 ok; openjdk 17.0.9.1; image ghcr.io/acme/api:3.1.0.2"],
        &[],
        &["4.2.0.17", "17.0.9.1", "3.1.0.2"],
    );
    check(
        &["client 10.1.2.3 disconnected; connect to node 10.9.8.7"],
        &["10.1.2.3", "10.9.8.7"],
        &["disconnected"],
    );
}

#[test]
fn typed_object_ids_are_not_secrets_but_typed_credentials_are() {
    check(
        &["refund ch_3MxQ8t2eZvKYlo2C1x9aBcDe for evt_1NgZ2c2eZvKYlo2CqQ7x"],
        &[],
        &["ch_3MxQ8t2eZvKYlo2C1x9aBcDe", "evt_1NgZ2c2eZvKYlo2CqQ7x"],
    );
    check(
        &["using whsec_7Hq9LmZ2xVb4Nc8Pd3Rf6Ts1 now"],
        &["whsec_7Hq9LmZ2xVb4Nc8Pd3Rf6Ts1"],
        &["now"],
    );
}

#[test]
fn two_unknown_capitalised_words_after_a_person_word() {
    check(
        &["Kunde Adalbert Grünewald hat storniert; Customer Portal Service restarted"],
        &["Adalbert", "Grünewald"],
        &["Customer Portal Service restarted"],
    );
}

proptest! {
    #[test]
    fn arbitrary_streams_never_panic(lines in prop::collection::vec("[A-Za-z0-9 ,;|<>@:\\[\\]'\"().=-]{0,60}|\\PC{0,30}", 0..12)) {
        let s = scrubber();
        let mut ls = LineScrubber::new(&s);
        for l in &lines {
            let _ = ls.scrub_line(l);
        }
    }
}

#[test]
fn passwords_in_prose_glued_flags_and_other_languages() {
    check(
        &[
            "Password was changed to 'Blue-Sky-42'; set passwd to qwerty123",
            "mot de passe : Soleil2024 ; pw=hunter22",
            "Passwort wurde geändert auf Sonne2024x",
            "mysql -u root -pS3cretPw orders",
        ],
        &[
            "Blue-Sky-42",
            "qwerty123",
            "Soleil2024",
            "hunter22",
            "Sonne2024x",
            "S3cretPw",
        ],
        &["orders", "mysql -u root"],
    );
    // not passwords: compiler and port flags, prose without a value
    check(
        &["gcc -pthread -o x; docker run -p8080:80 img; the password is in vault"],
        &[],
        &["-pthread", "-p8080:80", "password is in vault"],
    );
}
