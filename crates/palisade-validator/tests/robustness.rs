//! Checking never panics: thousands of mutated specs (truncated, with bytes deleted, or with
//! YAML punctuation, tabs, CR, multi-byte and invalid UTF-8 inserted) go through the whole
//! pipeline, from bytes to diagnostics and all three renderers.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::SourceFiles;
use palisade_diagnostics::render::{github, human, json};
use palisade_spec::Duration;
use palisade_validator::{check_duplicate_ids, check_file};

/// A small deterministic generator, so that failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&[u8]] = &[
    b":",
    b"- ",
    b"|",
    b">-",
    b"'",
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b"&a ",
    b"*a",
    b"!!str ",
    b"#",
    b"\t",
    b"\r",
    b"\n",
    b"\n  ",
    b"---\n",
    b"...",
    b"%",
    b"?",
    b"\xc3\xa9",
    b"\xe2\x82\xac",
    b"\xff",
    b"\xc3",
    b"  ",
    b"0",
    b"-1",
    b"P1M",
    b"PT1D",
    b"5M",
    b"~",
    b"null",
    b"yes",
];

fn mutate(seed: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 => bytes.truncate(rng.below(bytes.len() + 1)),
            1 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                let len = 1 + rng.below(8).min(bytes.len() - at - 1);
                bytes.drain(at..at + len);
            }
            _ => {
                let at = rng.below(bytes.len() + 1);
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
    bytes
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut seeds = Vec::new();
    for kind in ["valid", "invalid"] {
        let mut paths: Vec<_> =
            std::fs::read_dir(dir.join(kind)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        seeds.extend(paths.iter().map(|path| std::fs::read(path).unwrap()));
    }
    seeds
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    let mut rng = Lcg(0x5eed);
    let mut files = SourceFiles::new();
    let mut detections = Vec::new();
    let mut diagnostics = Vec::new();
    for idx in 0..4_000 {
        let bytes = mutate(&seeds[idx % seeds.len()], &mut rng);
        let (_, result) = check_file(&mut files, &format!("case-{idx}.yaml"), &bytes);
        diagnostics.extend(result.diagnostics);
        if let palisade_spec::load::Outcome::Detection(detection) = result.outcome {
            detections.push(*detection);
        }
    }
    diagnostics.extend(check_duplicate_ids(&detections));
    assert!(!diagnostics.is_empty());
    for diag in &diagnostics {
        let file = files.get(diag.primary.span.file);
        assert!(diag.primary.span.end as usize <= file.text().len(), "{diag:?}");
    }

    let mut out = Vec::new();
    human::render(&diagnostics, &files, &mut out).unwrap();
    json::render(&diagnostics, &files, &mut out).unwrap();
    github::render(&diagnostics, &files, &mut out).unwrap();
}

#[test]
fn random_text_is_never_a_duration_panic() {
    let mut rng = Lcg(7);
    let alphabet: Vec<char> = "0123456789PTDHMSYWmhd.:,- +\u{e9}".chars().collect();
    for _ in 0..20_000 {
        let len = rng.below(12);
        let text: String = (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect();
        if let Ok(duration) = Duration::parse(&text) {
            assert!(duration.as_secs() > 0, "{text}");
            assert_eq!(Duration::parse(&duration.to_iso8601()), Ok(duration), "{text}");
        }
    }
}
