//! In headless Chromium: the browser's NFC check against the tables' on every code point
//! alone, on every starter before every Maybe character and on the triples of the native
//! tests. The two Unicode versions may differ; every difference is printed, and one that
//! no newly assigned (or not yet assigned) code point explains fails the test.
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test
//! --target wasm32-unknown-unknown -p tessera-protocol --features browser-unicode --lib browser`
use super::browser::{has_unassigned, normalizes_to_itself};
use super::tests::{composing_starters, maybe_characters, triple_parts};
use super::*;
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use js_sys::JsString;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Not assigned in the tables' Unicode version: the script tables say Unknown, which they
/// also say of private use characters (assigned, and without normalization data in any
/// version).
fn unassigned_in_tables(c: char) -> bool {
    !unicode_security::MixedScript::is_single_script(&*c.encode_utf8(&mut [0; 4]))
        && !is_private_use(c)
}

fn unassigned_in_browser(c: char) -> bool {
    has_unassigned(c.encode_utf8(&mut [0; 4]))
}

/// The texts on which the browser and the tables disagree about NFC, each explained by a
/// code point only one version has data for, or the test fails.
#[derive(Default)]
struct Differences {
    explained: Vec<String>,
    unexplained: Vec<String>,
}

impl Differences {
    fn note(&mut self, text: &str, by_browser: bool) {
        if by_browser == is_nfc_by_tables(text) {
            return;
        }
        let described: Vec<String> = text
            .chars()
            .map(|c| {
                let word = |unassigned| if unassigned { "unassigned" } else { "assigned" };
                format!(
                    "U+{:04X} ({} in the tables, {} in the browser)",
                    u32::from(c),
                    word(unassigned_in_tables(c)),
                    word(unassigned_in_browser(c))
                )
            })
            .collect();
        let line = format!("browser says NFC: {by_browser}: {}", described.join(" + "));
        if text
            .chars()
            .any(|c| unassigned_in_tables(c) || unassigned_in_browser(c))
        {
            self.explained.push(line);
        } else {
            self.unexplained.push(line);
        }
    }

    fn report(self, what: &str, checked: usize) {
        console_log!(
            "{what}: {checked} texts, {} differences from another Unicode version{}",
            self.explained.len(),
            if self.explained.is_empty() { "" } else { ":" }
        );
        for line in &self.explained {
            console_log!("  {line}");
        }
        assert!(
            self.unexplained.is_empty(),
            "{what}: the browser and the tables disagree on assigned code points:\n{}",
            self.unexplained.join("\n")
        );
    }
}

/// The browser's verdicts on many texts with one call: joined by line feeds (a starter
/// that composes with nothing and has no decomposition, so NFC treats each text apart)
/// and split again. Each text is NFC in the browser exactly when it comes back unchanged.
fn browser_verdicts(texts: &[String]) -> Vec<bool> {
    let normalized = String::from(JsString::from(texts.join("\n").as_str()).normalize("NFC"));
    let pieces: Vec<&str> = normalized.split('\n').collect();
    assert_eq!(pieces.len(), texts.len(), "each text comes back apart");
    texts
        .iter()
        .zip(pieces)
        .map(|(text, piece)| piece == text)
        .collect()
}

/// Notes every difference on `texts`, asking the browser 20,000 texts at a time.
fn note_in_batches(texts: impl Iterator<Item = String>, differences: &mut Differences) -> usize {
    let mut checked = 0;
    let mut texts = texts.peekable();
    while texts.peek().is_some() {
        let batch: Vec<String> = texts.by_ref().take(20_000).collect();
        for (text, by_browser) in batch.iter().zip(browser_verdicts(&batch)) {
            differences.note(text, by_browser);
        }
        checked += batch.len();
    }
    checked
}

/// Ascending code points as "U+0558 U+058B..U+058C ...".
fn as_ranges(code_points: &[u32]) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &c in code_points {
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == c => *last = c,
            _ => ranges.push((c, c)),
        }
    }
    let named: Vec<String> = ranges
        .iter()
        .map(|&(first, last)| match first == last {
            true => format!("U+{first:04X}"),
            false => format!("U+{first:04X}..U+{last:04X}"),
        })
        .collect();
    named.join(" ")
}

/// Every scalar value alone, through the check the companion runs: the tables' verdict,
/// except where the versions differ and a refusal of whatever the browser does not assign.
#[wasm_bindgen_test]
fn browser_nfc_check_matches_the_tables_on_every_code_point() {
    let mut differences = Differences::default();
    let mut refused_as_unassigned = 0;
    let mut assigned_only_in_the_tables = Vec::new();
    let mut checked = 0;
    for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
        let text = c.encode_utf8(&mut [0; 4]).to_owned();
        if unassigned_in_browser(c) {
            assert!(
                !is_nfc(&text),
                "{c:?}: what the browser does not assign is refused"
            );
            refused_as_unassigned += 1;
            if !unassigned_in_tables(c) {
                assigned_only_in_the_tables.push(u32::from(c));
            }
        } else {
            assert_eq!(is_nfc(&text), normalizes_to_itself(&text), "{c:?}");
        }
        differences.note(&text, normalizes_to_itself(&text));
        checked += 1;
    }
    console_log!(
        "{refused_as_unassigned} code points refused as unassigned in the browser, of which {} are assigned in the tables (Unicode {:?}): {}",
        assigned_only_in_the_tables.len(),
        unicode_normalization::UNICODE_VERSION,
        as_ranges(&assigned_only_in_the_tables)
    );
    differences.report("every code point", checked);
}

#[wasm_bindgen_test]
fn browser_nfc_check_matches_the_tables_on_starter_and_maybe_pairs() {
    let maybe = maybe_characters();
    let starters = composing_starters(&maybe);
    let pairs = starters
        .iter()
        .flat_map(|&s| maybe.iter().map(move |&m| String::from_iter([s, m])));
    let mut differences = Differences::default();
    let checked = note_in_batches(pairs, &mut differences);
    assert!(checked > 100_000, "{checked} pairs");
    assert!(!is_nfc("\u{00E9}\u{0323}") && is_nfc("\u{1EB9}\u{0301}"));
    differences.report("starter + Maybe pairs", checked);
}

#[wasm_bindgen_test]
fn browser_nfc_check_matches_the_tables_on_triples() {
    let (starters, middles, maybe) = triple_parts();
    let (middles, maybe) = (&middles, &maybe);
    let triples = starters.iter().flat_map(|&s| {
        middles.iter().flat_map(move |&m| {
            maybe
                .iter()
                .map(move |&last| String::from_iter([s, m, last]))
        })
    });
    let mut differences = Differences::default();
    let checked = note_in_batches(triples, &mut differences);
    differences.report("triples", checked);
}

/// The browser's verdict on many texts at once is its verdict on each alone.
#[wasm_bindgen_test]
fn browser_verdicts_in_a_batch_are_those_of_each_text() {
    let texts: Vec<String> = [
        "Cafe\u{0301}",
        "Caf\u{00E9}",
        "\u{00E9}\u{0323}",
        "\u{1EB9}\u{0301}",
        "\u{1100}\u{1161}",
        "\u{0301}",
    ]
    .map(ToOwned::to_owned)
    .into();
    let one_by_one: Vec<bool> = texts.iter().map(|t| normalizes_to_itself(t)).collect();
    assert_eq!(browser_verdicts(&texts), one_by_one);
    assert_eq!(one_by_one, [false, true, false, true, false, true]);
}

/// A difference is excused only by a code point one of the versions does not assign.
#[wasm_bindgen_test]
fn a_difference_on_assigned_code_points_is_not_excused() {
    let mut differences = Differences::default();
    differences.note("Cafe\u{0301}", true);
    differences.note("\u{0378}e\u{0301}", true);
    differences.note("Caf\u{00E9}", true);
    assert_eq!(
        differences.unexplained.len(),
        1,
        "{:?}",
        differences.unexplained
    );
    assert_eq!(
        differences.explained.len(),
        1,
        "{:?}",
        differences.explained
    );
    assert!(
        differences.explained[0]
            .contains("U+0378 (unassigned in the tables, unassigned in the browser)")
    );
}
