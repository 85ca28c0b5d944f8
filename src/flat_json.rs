//! The JSON that bundles and stamps carry: one object whose members the kit reads are strings
//! (`{"version","data","dataSignature","enclaveQuorumPublic"}`, the signed data inside it, the
//! `X-Stamp` payload, an import's `encryptedBundle`).
//!
//! Written by hand because no well-kept crate reads this without what it costs in wasm:
//! `serde_json` (its number parsing, float formatting for error messages and per-type
//! monomorphized visitors) was 40 KB of the 270 KB `quorum-kit/crypto` entry for objects of four
//! strings, and `serde-json-core` skips unread values without parsing them and refuses surrogate
//! pairs. This reader is strict RFC 8259 (every value is parsed, unread ones too), refuses
//! duplicate keys (two readers of a signed envelope must not see different members), and is
//! differential-tested against `serde_json` below and fuzzed (`fuzz/`).

use crate::prelude::*;

use thiserror::Error;

/// Nesting deeper than this many levels is refused, as `serde_json` refuses it.
const MAX_DEPTH: usize = 127;

/// Why a text is not the JSON object expected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// Not JSON: what was expected, at which byte offset.
    #[error("expected {expected} at byte {at}")]
    Syntax {
        /// What the grammar allowed there.
        expected: &'static str,
        /// Byte offset into the text.
        at: usize,
    },
    /// Valid JSON, but not an object.
    #[error("expected a JSON object")]
    NotAnObject,
    /// The same key twice.
    #[error("duplicate field `{0}`")]
    DuplicateKey(String),
    /// A member read as a string holds another type.
    #[error("invalid type for field `{0}`: expected a string")]
    NotAString(String),
    /// Arrays or objects nested deeper than 127 levels.
    #[error("nested too deeply")]
    TooDeep,
}

/// A member's value as far as the kit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Member {
    String(String),
    Null,
    Other,
}

/// A parsed JSON object; members are read by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    members: Vec<(String, Member)>,
}

impl Object {
    /// Parses `text`, which must be exactly one JSON object (whitespace around it allowed).
    ///
    /// # Errors
    /// [`JsonError`] for anything else.
    pub fn parse(text: &str) -> Result<Self, JsonError> {
        let mut reader = Reader { text, pos: 0 };
        reader.whitespace();
        if reader.peek() != Some(b'{') {
            reader.value(0)?; // a syntax error if it is not JSON at all
            return Err(JsonError::NotAnObject);
        }
        let members = reader.object(0, true)?;
        reader.whitespace();
        if reader.peek().is_some() {
            return Err(reader.expected("the end of the text"));
        }
        Ok(Self { members })
    }

    /// Parses JSON bytes (which must be UTF-8).
    ///
    /// # Errors
    /// As [`Object::parse`]; invalid UTF-8 is a [`JsonError::Syntax`] at its first bad byte.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, JsonError> {
        let text = core::str::from_utf8(bytes).map_err(|e| JsonError::Syntax {
            expected: "UTF-8",
            at: e.valid_up_to(),
        })?;
        Self::parse(text)
    }

    /// The string member `key`: `None` when absent or `null`.
    ///
    /// # Errors
    /// [`JsonError::NotAString`] when it holds a number, boolean, array or object.
    pub fn string(&self, key: &str) -> Result<Option<&str>, JsonError> {
        match self.members.iter().find(|(k, _)| k == key) {
            None | Some((_, Member::Null)) => Ok(None),
            Some((_, Member::String(s))) => Ok(Some(s)),
            Some((_, Member::Other)) => Err(JsonError::NotAString(key.to_owned())),
        }
    }
}

/// Writes an object of string members in the given order, escaped as `serde_json` escapes them
/// (`"`, `\` and control characters; everything else verbatim), so the bytes match it.
#[must_use]
pub fn object_of_strings(members: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(
        2 + members
            .iter()
            .map(|(k, v)| k.len() + v.len() + 6)
            .sum::<usize>(),
    );
    out.push('{');
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, key);
        out.push(':');
        push_string(&mut out, value);
    }
    out.push('}');
    out
}

fn push_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let b = u32::from(c);
                out.push_str("\\u00");
                for nibble in [b >> 4, b & 0xf] {
                    out.push(char::from(*HEX.get(nibble as usize).unwrap_or(&b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expected(&self, expected: &'static str) -> JsonError {
        JsonError::Syntax {
            expected,
            at: self.pos,
        }
    }

    fn eat(&mut self, byte: u8, expected: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected(expected))
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// `{ members }` from the `{`; at the top level the members are kept.
    fn object(&mut self, depth: usize, keep: bool) -> Result<Vec<(String, Member)>, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.eat(b'{', "`{`")?;
        let mut members: Vec<(String, Member)> = Vec::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(members);
        }
        loop {
            self.whitespace();
            let key = self.string()?;
            self.whitespace();
            self.eat(b':', "`:`")?;
            self.whitespace();
            let value = self.value(depth + 1)?;
            if keep {
                if members.iter().any(|(k, _)| *k == key) {
                    return Err(JsonError::DuplicateKey(key));
                }
                members.push((key, value));
            }
            self.whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(members);
                }
                _ => return Err(self.expected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.eat(b'[', "`[`")?;
        self.whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.whitespace();
            self.value(depth + 1)?;
            self.whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.expected("`,` or `]`")),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Member, JsonError> {
        match self.peek() {
            Some(b'"') => self.string().map(Member::String),
            Some(b'{') => self.object(depth, false).map(|_| Member::Other),
            Some(b'[') => self.array(depth).map(|()| Member::Other),
            Some(b'n') => self.literal("null").map(|()| Member::Null),
            Some(b't') => self.literal("true").map(|()| Member::Other),
            Some(b'f') => self.literal("false").map(|()| Member::Other),
            Some(b'-' | b'0'..=b'9') => self.number().map(|()| Member::Other),
            _ => Err(self.expected("a value")),
        }
    }

    fn literal(&mut self, word: &'static str) -> Result<(), JsonError> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
        {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.expected(word))
        }
    }

    fn digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.expected("a digit"));
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, validated and skipped.
    fn number(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.expected("four hex digits"))?;
        let value =
            u32::from_str_radix(digits, 16).map_err(|_| self.expected("four hex digits"))?;
        self.pos += 4;
        Ok(value)
    }

    /// A string from its `"`, unescaped. Runs between escapes are copied as they are: the text
    /// is UTF-8 and they are cut at ASCII bytes only.
    fn string(&mut self) -> Result<String, JsonError> {
        self.eat(b'"', "a string")?;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.expected("`\"`")),
                Some(b'"') => {
                    out.push_str(self.text.get(run..self.pos).unwrap_or_default());
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.text.get(run..self.pos).unwrap_or_default());
                    self.pos += 1;
                    out.push(self.escape()?);
                    run = self.pos;
                }
                Some(0..=0x1f) => return Err(self.expected("an escaped control character")),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The character of an escape, after its `\`.
    fn escape(&mut self) -> Result<char, JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{08}',
            Some(b'f') => '\u{0c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.expected("an escape")),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `XXXX` after `\u`, with a surrogate pair's second half; a lone surrogate is refused.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                let at = self.pos;
                if self.text.get(at..at + 2) != Some("\\u") {
                    return Err(self.expected("the low surrogate of a pair"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(JsonError::Syntax {
                        expected: "the low surrogate of a pair",
                        at,
                    });
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.expected("a high surrogate before a low one")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.expected("a Unicode scalar value"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// What `serde_json` makes of `text` read as `{key: Option<String>}` members, as ours.
    fn oracle(text: &str, keys: &[&str]) -> Result<Vec<Option<String>>, ()> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| ())?;
        let object = value.as_object().ok_or(())?;
        keys.iter()
            .map(|k| match object.get(*k) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(()),
            })
            .collect()
    }

    fn ours(text: &str, keys: &[&str]) -> Result<Vec<Option<String>>, ()> {
        let object = Object::parse(text).map_err(|_| ())?;
        keys.iter()
            .map(|k| {
                object
                    .string(k)
                    .map(|s| s.map(str::to_owned))
                    .map_err(|_| ())
            })
            .collect()
    }

    const CASES: &[&str] = &[
        r#"{"a":"x","b":"y"}"#,
        " \n\t{ \"a\" : \"x\" , \"b\" :null }\r\n",
        r#"{}"#,
        r#"{"a":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00"}"#,
        r#"{"a":"é€😀 raw"}"#,
        r#"{"a":"x","n":-0.5e+10,"m":0,"k":12.25E-3,"t":true,"f":false,"z":null}"#,
        r#"{"a":"x","nested":{"b":[1,"2",{"c":[]}],"d":{}},"e":[]}"#,
        r#"{"a":1}"#,
        r#"{"a":["x"]}"#,
        r#"{"a":{"b":"x"}}"#,
        r#"{"b":true}"#,
        // Not JSON, or not an object: both readers refuse.
        r#""#,
        r#"   "#,
        r#"[]"#,
        r#""a""#,
        r#"null"#,
        r#"{"a":"x",}"#,
        r#"{"a":"x"} {}"#,
        r#"{"a":"x"}x"#,
        r#"{"a" "x"}"#,
        r#"{a:"x"}"#,
        r#"{"a":'x'}"#,
        r#"{"a":"x"#,
        r#"{"a":"x"#,
        r#"{"a":"\x"}"#,
        r#"{"a":"\u12"}"#,
        r#"{"a":"\u12G4"}"#,
        r#"{"a":"\ud83d"}"#,
        r#"{"a":"\ud83dx"}"#,
        r#"{"a":"\ud83d\u0041"}"#,
        r#"{"a":"\ude00"}"#,
        "{\"a\":\"tab\there\"}",
        "{\"a\":\"nl\nhere\"}",
        r#"{"n":01}"#,
        r#"{"n":-}"#,
        r#"{"n":1.}"#,
        r#"{"n":.5}"#,
        r#"{"n":1e}"#,
        r#"{"n":+1}"#,
        r#"{"n":tru}"#,
        r#"{"n":nul}"#,
        r#"{"n":[1,]}"#,
        r#"{"n":[1 2]}"#,
        r#"{"n":{"x":1,}}"#,
        r#"{"n":NaN}"#,
        "{\"a\":\"x\"}\u{0}",
    ];

    #[test]
    fn agrees_with_serde_json_on_every_case() {
        for case in CASES {
            assert_eq!(
                ours(case, &["a", "b"]),
                oracle(case, &["a", "b"]),
                "case {case:?}"
            );
        }
    }

    #[test]
    fn agrees_with_serde_json_on_every_prefix_and_single_byte_change() {
        let base = r#"{"version":"v1.0.0","data":"7b2261223a317d","n":[1.5e3,{"k":null}],"t":true,"u":"\u00e9\ud83d\ude00"}"#;
        let keys = ["version", "data", "u"];
        for end in 0..=base.len() {
            if let Some(prefix) = base.get(..end) {
                assert_eq!(ours(prefix, &keys), oracle(prefix, &keys), "{prefix:?}");
            }
        }
        for i in 0..base.len() {
            for b in [
                b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b' ', b'0', b'e', b'x',
            ] {
                let mut bytes = base.as_bytes().to_vec();
                bytes[i] = b;
                if let Ok(text) = String::from_utf8(bytes) {
                    assert_eq!(ours(&text, &keys), oracle(&text, &keys), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn refuses_duplicate_keys_which_serde_json_values_would_overwrite() {
        assert_eq!(
            Object::parse(r#"{"data":"aa","data":"bb"}"#),
            Err(JsonError::DuplicateKey("data".into()))
        );
        // Nested objects are not read, so their keys are not checked.
        assert!(Object::parse(r#"{"a":{"k":1,"k":2}}"#).is_ok());
    }

    #[test]
    fn typed_errors_say_what_and_where() {
        assert_eq!(
            Object::parse(r#"{"a":1}"#).unwrap().string("a"),
            Err(JsonError::NotAString("a".into()))
        );
        assert_eq!(Object::parse("[1]"), Err(JsonError::NotAnObject));
        assert_eq!(
            Object::parse(r#"{"a" 1}"#).unwrap_err().to_string(),
            "expected `:` at byte 5"
        );
        assert_eq!(
            Object::parse_bytes(b"{\"a\":\"\xff\"}"),
            Err(JsonError::Syntax {
                expected: "UTF-8",
                at: 6
            })
        );
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(Object::parse(&deep), Err(JsonError::TooDeep));
    }

    #[test]
    fn nests_as_deep_as_serde_json_and_no_deeper() {
        for levels in 120..135 {
            let text = format!("{{\"a\":{}{}}}", "[".repeat(levels), "]".repeat(levels));
            let theirs = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            assert_eq!(Object::parse(&text).is_ok(), theirs, "{levels} arrays");
        }
    }

    #[test]
    fn writes_the_bytes_serde_json_writes() {
        let values = [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
            "é€😀",
        ];
        for value in values {
            let ours = object_of_strings(&[("k", value), ("second", "2")]);
            let expected = format!(
                "{{\"k\":{},\"second\":\"2\"}}",
                serde_json::to_string(value).unwrap()
            );
            assert_eq!(ours, expected);
            assert_eq!(
                Object::parse(&ours).unwrap().string("k").unwrap(),
                Some(value)
            );
        }
        assert_eq!(object_of_strings(&[]), "{}");
    }
}
