//! Mixed-script detection (Unicode TR 39) for the companion's wasm (feature
//! `browser-unicode`): exactly unicode-security's `is_single_script`, on the same
//! Script_Extensions data stored as 1,885 runs (script_table.rs, generated from
//! unicode-script's tables and compared with them on every code point). In the companion
//! this costs 3.2 KB brotli where unicode-security's tables cost 8.5 KB (issue 19). The
//! browser's own `\p{Script_Extensions=…}` cannot serve: Chromium 156's Unicode gives other
//! extensions than the tables' to code points both assign (U+0B83, U+1CF5..U+1CF6).
use super::script_table::{
    BOPOMOFO, HAN, HANGUL, HIRAGANA, KATAKANA, RUN_SETS, RUN_STEPS, SET_SCRIPTS, SET_STARTS,
};

/// The runs of script_table.rs in order, each as (first code point, set number).
fn runs() -> impl Iterator<Item = (u32, u16)> {
    let mut steps = RUN_STEPS.iter();
    let mut first = 0;
    RUN_SETS.iter().map(move |&set| {
        let mut shift = 0;
        for &byte in steps.by_ref() {
            first += u32::from(byte & 0x7F) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        (first, set)
    })
}

/// The set number of `c`: a walk through the runs, which costs less than a search
/// structure would in bytes (a text is checked a few times, when it is shown).
fn set_of(c: char) -> u16 {
    let code_point = u32::from(c);
    runs()
        .take_while(|&(first, _)| first <= code_point)
        .last()
        .map_or(0, |(_, set)| set)
}

/// The scripts of a set of script_table.rs, as its indexes; `None` for Common and
/// Inherited, which go with every script. Empty for unassigned code points.
fn scripts_of(set: u16) -> Option<&'static [u8]> {
    let set = usize::from(set.checked_sub(1)?);
    SET_SCRIPTS.get(usize::from(SET_STARTS[set])..usize::from(SET_STARTS[set + 1]))
}

/// Whether some writing system has every character of `text`: the resolved script set
/// (the intersection of the characters' augmented script sets, where Han also counts as
/// Han with Bopomofo, Japanese and Korean, Hiragana and Katakana as Japanese, Hangul as
/// Korean and Bopomofo as Han with Bopomofo) is not empty.
pub(super) fn is_single_script(text: &str) -> bool {
    resolved_set_is_not_empty(text.chars().map(set_of))
}

/// Whether the intersection of these sets' augmented script sets is not empty.
fn resolved_set_is_not_empty(sets: impl Iterator<Item = u16>) -> bool {
    let (mut scripts, mut hanb, mut jpan, mut kore) = ([u64::MAX; 4], true, true, true);
    for set in sets {
        let Some(extensions) = scripts_of(set) else {
            continue;
        };
        let mut mask = [0u64; 4];
        for &script in extensions {
            mask[usize::from(script / 64)] |= 1 << (script % 64);
        }
        for (kept, allowed) in scripts.iter_mut().zip(mask) {
            *kept &= allowed;
        }
        let has = |script| extensions.contains(&script);
        hanb &= has(HAN) || has(BOPOMOFO);
        jpan &= has(HAN) || has(HIRAGANA) || has(KATAKANA);
        kore &= has(HAN) || has(HANGUL);
    }
    scripts != [0; 4] || hanb || jpan || kore
}

#[cfg(test)]
mod tests {
    use super::super::script_table::SCRIPT_NAMES;
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::collections::BTreeMap;
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;
    use unicode_security::MixedScript;
    use unicode_security::mixed_script::AugmentedScriptSet;

    /// unicode-script's Script_Extensions of `c` by short names; `None` for Common and
    /// Inherited.
    fn extensions_in_unicode_script(c: char) -> Option<Vec<&'static str>> {
        let base = AugmentedScriptSet::for_char(c).base;
        let all = base.is_common() || base.is_inherited();
        (!all).then(|| base.iter().map(|script| script.short_name()).collect())
    }

    /// script_table.rs as generated from unicode-script's data.
    fn generated_table() -> String {
        let mut names: Vec<&str> = Vec::new();
        let mut sets: Vec<Vec<u8>> = Vec::new();
        let mut runs: Vec<(u32, usize)> = Vec::new();
        for code_point in 0..=0x10_FFFF {
            // Surrogates are no chars: they join the run before them.
            let Some(c) = char::from_u32(code_point) else {
                continue;
            };
            let set = match extensions_in_unicode_script(c) {
                None => 0,
                Some(extensions) => {
                    let mut scripts: Vec<u8> = Vec::new();
                    for name in extensions {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                        let index = names.iter().position(|&n| n == name).unwrap_or_default();
                        scripts.push(u8::try_from(index).expect("fewer than 256 scripts"));
                    }
                    scripts.sort_unstable();
                    let found = sets.iter().position(|s| *s == scripts);
                    1 + found.unwrap_or_else(|| {
                        sets.push(scripts);
                        sets.len() - 1
                    })
                }
            };
            if runs.last().map(|&(_, last)| last) != Some(set) {
                runs.push((code_point, set));
            }
        }
        assert!(sets.len() < 0xFFFF, "set numbers fit in 16 bits");
        let index = |name| {
            names
                .iter()
                .position(|&n| n == name)
                .expect("a script of the table")
        };
        let mut out = format!(
            "//! Generated by `UPDATE_SCRIPT_TABLE=1 cargo test -p tessera-protocol --lib script_table`\n\
             //! from unicode-script's Script_Extensions (Unicode {:?}); see scripts.rs.\n\n",
            unicode_security::UNICODE_VERSION
        );
        for (constant, name) in [
            ("HAN", "Hani"),
            ("HIRAGANA", "Hira"),
            ("KATAKANA", "Kana"),
            ("HANGUL", "Hang"),
            ("BOPOMOFO", "Bopo"),
        ] {
            out += &format!("pub(super) const {constant}: u8 = {};\n", index(name));
        }
        let mut steps: Vec<u32> = Vec::new();
        let mut previous = 0;
        for &(first, _) in &runs {
            let mut step = first - previous;
            previous = first;
            while step > 0x7F {
                steps.push(0x80 | (step & 0x7F));
                step >>= 7;
            }
            steps.push(step);
        }
        let mut starts: Vec<u32> = Vec::from([0]);
        let mut scripts: Vec<u32> = Vec::new();
        for set in &sets {
            scripts.extend(set.iter().map(|&s| u32::from(s)));
            starts.push(u32::try_from(scripts.len()).expect("a short table"));
        }
        assert!(scripts.len() < 0x1_0000, "SET_STARTS fit in u16");
        let run_sets: Vec<u32> = runs.iter().map(|&(_, set)| set as u32).collect();
        out += "\n";
        for (doc, name, kind, values) in [
            (
                "/// The runs of code points with equal Script_Extensions from U+0000 on: how far each\n\
                 /// starts after the one before (LEB128: 7 bits a byte, low first, 0x80 while more).\n",
                "RUN_STEPS",
                "u8",
                steps,
            ),
            (
                "/// Each run's set: 0 Common or Inherited, n SET_SCRIPTS[SET_STARTS[n - 1]..SET_STARTS[n]].\n",
                "RUN_SETS",
                "u16",
                run_sets,
            ),
            ("", "SET_STARTS", "u16", starts),
            ("", "SET_SCRIPTS", "u8", scripts),
        ] {
            out += doc;
            out += &format!("pub(super) static {name}: [{kind}; {}] = [\n", values.len());
            for line in values.chunks(16) {
                let words: Vec<String> = line.iter().map(|v| format!("{v},")).collect();
                out += &format!("    {}\n", words.join(" "));
            }
            out += "];\n\n";
        }
        let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\",")).collect();
        out += &format!(
            "#[cfg(test)]\npub(super) static SCRIPT_NAMES: [&str; {}] = [\n",
            names.len()
        );
        for line in quoted.chunks(12) {
            out += &format!("    {}\n", line.join(" "));
        }
        out += "];\n";
        out
    }

    /// The committed table is what unicode-script's data gives; with UPDATE_SCRIPT_TABLE=1
    /// the test writes it (after an update of unicode-security or unicode-script).
    #[test]
    fn script_table_is_generated_from_unicode_script() {
        extern crate std;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/text/script_table.rs");
        let generated = generated_table();
        if std::env::var_os("UPDATE_SCRIPT_TABLE").is_some() {
            std::fs::write(path, &generated).expect("script_table.rs written");
        }
        let committed = std::fs::read_to_string(path).expect("script_table.rs");
        assert!(
            committed == generated,
            "run with UPDATE_SCRIPT_TABLE=1 to regenerate {path}"
        );
    }

    /// The table's scripts of every code point are unicode-script's, by name.
    #[test]
    fn script_extensions_match_unicode_script_on_every_code_point() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let ours = scripts_of(set_of(c)).map(|scripts| {
                let mut named: Vec<&str> = scripts
                    .iter()
                    .map(|&s| SCRIPT_NAMES[usize::from(s)])
                    .collect();
                named.sort_unstable();
                named
            });
            let theirs = extensions_in_unicode_script(c).map(|mut named| {
                named.sort_unstable();
                named
            });
            assert_eq!(ours, theirs, "{c:?}");
        }
    }

    /// One character of each distinct augmented script set; every text of one or two of
    /// them through the whole check, and of three through the intersection (the lookup is
    /// the one tested on every code point). The verdict depends only on the characters'
    /// sets, so this is every case up to three characters, and longer texts repeat the
    /// same intersection.
    #[test]
    fn single_script_matches_unicode_security_on_all_combinations() {
        let mut one_per_set: BTreeMap<String, char> = BTreeMap::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            one_per_set
                .entry(format!("{:?}", AugmentedScriptSet::for_char(c)))
                .or_insert(c);
        }
        let chars: Vec<char> = one_per_set.into_values().collect();
        assert!(chars.len() > 200, "{} sets", chars.len());
        let sets: Vec<u16> = chars.iter().map(|&c| set_of(c)).collect();
        let mut text = String::new();
        for (&a, &set_a) in chars.iter().zip(&sets) {
            let alone = a.encode_utf8(&mut [0; 4]).to_owned();
            assert_eq!(is_single_script(&alone), alone.as_str().is_single_script());
            for (&b, &set_b) in chars.iter().zip(&sets) {
                text.clear();
                text.extend([a, b]);
                let expected = text.as_str().is_single_script();
                assert_eq!(is_single_script(&text), expected, "{text:?}");
                for (&last, &set_last) in chars.iter().zip(&sets) {
                    text.truncate(a.len_utf8() + b.len_utf8());
                    text.push(last);
                    assert_eq!(
                        resolved_set_is_not_empty([set_a, set_b, set_last].into_iter()),
                        text.as_str().is_single_script(),
                        "{text:?}"
                    );
                }
            }
        }
        for examples in [
            "株式会社トヨタ",
            "한국어 漢字",
            "注音ㄅㄆ",
            "P\u{0430}yPal",
            "\u{0391}pple",
            "\u{0378}",
        ] {
            assert_eq!(
                is_single_script(examples),
                examples.is_single_script(),
                "{examples:?}"
            );
        }
    }
}
