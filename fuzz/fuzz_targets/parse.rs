//! Fuzzes `palisade_kql::parse`: arbitrary bytes become text (as is when they are UTF-8,
//! lossily otherwise), and the parse must not panic, must keep every byte of the text, and
//! must report only ranges that lie inside the text on character boundaries (see checks.rs).

#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    checks::check_parse(&text);
});
