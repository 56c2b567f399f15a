//! Text from the user's files, paths and arguments, made safe for one line of stderr; every
//! `say!` line goes through it. The characters the human renderer shows as `<U+XXXX>`
//! (controls, bidirectional controls, zero-width characters) are shown the same way here, and
//! so are tab and line feed, which would break the line.

use std::fmt::Write as _;

/// `text` for one line of terminal output, hidden characters as `<U+XXXX>`.
pub(crate) fn user_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch == '\n' || ch == '\t' || palisade_diagnostics::render::is_hidden(ch) {
            let _ = write!(out, "<U+{:04X}>", u32::from(ch));
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_tab_and_line_feed_are_shown_as_code_points() {
        assert_eq!(user_text("a\u{1b}[31mb"), "a<U+001B>[31mb");
        assert_eq!(user_text("x\u{202e}y\u{200b}z"), "x<U+202E>y<U+200B>z");
        assert_eq!(user_text("one\ntwo\tthree\r"), "one<U+000A>two<U+0009>three<U+000D>");
        assert_eq!(user_text("plain é ü"), "plain é ü");
    }
}
