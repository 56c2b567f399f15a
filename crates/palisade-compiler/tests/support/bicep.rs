//! A strict decoder for the subset of Bicep that Palisade writes: `@description` decorators,
//! `param`, `resource … existing`, `resource … = { … }`, objects, arrays, strings in both
//! forms, booleans, integers and bare identifiers.
//!
//! It exists so tests can check that every Bicep value decodes to exactly the ARM value. It
//! rejects anything outside that subset (unknown escapes, raw line breaks in quoted strings,
//! commas) instead of guessing.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

/// One decoded `resource` declaration.
#[derive(Debug)]
pub struct BicepResource {
    pub symbol: String,
    pub type_and_version: String,
    pub existing: bool,
    pub body: Json,
}

/// One decoded file.
#[derive(Debug, Default)]
pub struct BicepFile {
    pub params: Vec<(String, String, Option<String>)>,
    pub resources: Vec<BicepResource>,
}

/// Decodes a file; `${name}` interpolations and bare identifiers are looked up in `values`,
/// and an unknown identifier decodes to `@name`.
pub fn decode(text: &str, values: &BTreeMap<String, String>) -> Result<BicepFile, String> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, values };
    parser.file()
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    values: &'a BTreeMap<String, String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn starts_with(&self, text: &str) -> bool {
        let wanted: Vec<char> = text.chars().collect();
        self.chars.get(self.pos..self.pos + wanted.len()) == Some(&wanted[..])
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        let line =
            self.chars[..self.pos.min(self.chars.len())].iter().filter(|c| **c == '\n').count() + 1;
        Err(format!("line {line}: {what}"))
    }

    fn expect(&mut self, text: &str) -> Result<(), String> {
        if self.starts_with(text) {
            self.pos += text.chars().count();
            Ok(())
        } else {
            self.error(&format!("expected {text:?}"))
        }
    }

    fn spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    fn blank_lines(&mut self) {
        while matches!(self.peek(), Some(' ' | '\n')) {
            self.pos += 1;
        }
    }

    fn identifier(&mut self) -> Result<String, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        if start == self.pos || self.chars[start].is_ascii_digit() {
            return self.error("expected an identifier");
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    fn file(&mut self) -> Result<BicepFile, String> {
        let mut file = BicepFile::default();
        let mut description = None;
        loop {
            self.blank_lines();
            if self.peek().is_none() {
                return Ok(file);
            }
            if self.starts_with("@description(") {
                self.expect("@description(")?;
                description = Some(self.string()?);
                self.expect(")")?;
                continue;
            }
            let keyword = self.identifier()?;
            self.spaces();
            match keyword.as_str() {
                "param" => {
                    let name = self.identifier()?;
                    self.spaces();
                    let ty = self.identifier()?;
                    file.params.push((name, ty, description.take()));
                }
                "resource" => {
                    let symbol = self.identifier()?;
                    self.spaces();
                    let type_and_version = self.string()?;
                    self.spaces();
                    let existing = self.starts_with("existing");
                    if existing {
                        self.expect("existing")?;
                        self.spaces();
                    }
                    self.expect("=")?;
                    self.spaces();
                    let body = self.value()?;
                    file.resources.push(BicepResource { symbol, type_and_version, existing, body });
                }
                other => return self.error(&format!("unexpected keyword {other}")),
            }
            self.spaces();
            if self.peek().is_some() {
                self.expect("\n")?;
            }
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.peek() {
            Some('\'') => Ok(Json::String(self.string()?)),
            Some('{') => self.object(),
            Some('[') => self.array(),
            Some(c) if c.is_ascii_digit() || c == '-' => self.integer(),
            Some(_) => {
                let name = self.identifier()?;
                Ok(match name.as_str() {
                    "true" => Json::Bool(true),
                    "false" => Json::Bool(false),
                    _ => {
                        Json::String(self.values.get(&name).cloned().unwrap_or(format!("@{name}")))
                    }
                })
            }
            None => self.error("expected a value"),
        }
    }

    fn integer(&mut self) -> Result<Json, String> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match text.parse::<i64>() {
            Ok(number) => Ok(Json::from(number)),
            Err(_) => self.error("bad integer"),
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.expect("{")?;
        let mut map = Map::new();
        if self.starts_with("}") {
            self.pos += 1;
            return Ok(Json::Object(map));
        }
        self.expect("\n")?;
        loop {
            self.spaces();
            if self.starts_with("}") {
                self.pos += 1;
                return Ok(Json::Object(map));
            }
            let key = if self.peek() == Some('\'') { self.string()? } else { self.identifier()? };
            self.expect(":")?;
            self.spaces();
            let value = self.value()?;
            if map.insert(key.clone(), value).is_some() {
                return self.error(&format!("duplicate key {key}"));
            }
            self.spaces();
            self.expect("\n")?;
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.expect("[")?;
        let mut items = Vec::new();
        if self.starts_with("]") {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        self.expect("\n")?;
        loop {
            self.spaces();
            if self.starts_with("]") {
                self.pos += 1;
                return Ok(Json::Array(items));
            }
            items.push(self.value()?);
            self.spaces();
            self.expect("\n")?;
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.starts_with("'''") {
            return self.verbatim();
        }
        self.expect("'")?;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return self.error("unterminated string") };
            self.pos += 1;
            match c {
                '\'' => return Ok(out),
                '\n' | '\r' => return self.error("line break in a quoted string"),
                '$' if self.peek() == Some('{') => {
                    self.pos += 1;
                    let name = self.identifier()?;
                    self.expect("}")?;
                    match self.values.get(&name) {
                        Some(value) => out.push_str(value),
                        None => return self.error(&format!("interpolation of unknown {name}")),
                    }
                }
                '\\' => {
                    let Some(escaped) = self.peek() else { return self.error("bad escape") };
                    self.pos += 1;
                    match escaped {
                        '\\' => out.push('\\'),
                        '\'' => out.push('\''),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '$' => out.push('$'),
                        'u' => {
                            self.expect("{")?;
                            let start = self.pos;
                            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                                self.pos += 1;
                            }
                            let hex: String = self.chars[start..self.pos].iter().collect();
                            self.expect("}")?;
                            let code = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                            match char::from_u32(code) {
                                Some(c) if code <= 0x10FFFF => out.push(c),
                                _ => return self.error("bad code point"),
                            }
                        }
                        other => return self.error(&format!("unknown escape \\{other}")),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn verbatim(&mut self) -> Result<String, String> {
        self.expect("'''")?;
        if self.starts_with("\r\n") {
            self.pos += 2;
        } else if self.peek() == Some('\n') {
            self.pos += 1;
        }
        let start = self.pos;
        while !self.starts_with("'''") {
            if self.peek().is_none() {
                return self.error("unterminated ''' string");
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        self.pos += 3;
        Ok(text)
    }
}
