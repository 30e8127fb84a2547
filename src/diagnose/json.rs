//! JSON ([RFC 8259](https://www.rfc-editor.org/rfc/rfc8259)), as little as a diagnosis needs:
//! a reader of the string and scalar fields of a server's JSON error ([`json_fields`]), and the
//! writer of [`Diagnosis::to_json`], the JavaScript entry's result.
//!
//! Hand-written rather than `serde_json`, by measurement. The diagnose entry's wasm, built as
//! scripts/build-pkg.mjs builds it (`wasm-pack build --release --target web --weak-refs
//! --no-pack -- --no-default-features --features diagnose-exports` with its RUSTFLAGS, then the
//! npm binaryen's `wasm-opt -Oz`), gzipped at level 9; serde_json 1.0.154 with
//! `default-features = false, features = ["alloc"]`, measured 2026-12-08:
//!
//! | JSON reader and writer                                         | wasm -Oz | gzip -9  |
//! |----------------------------------------------------------------|---------:|---------:|
//! | these (hand-written)                                           | 63,536 B | 29,919 B |
//! | `serde_json::from_str::<Value>` as the reader, this writer     | 83,268 B | 39,378 B |
//! | serde_json both ways (`#[derive(Serialize)]`, `to_string`)     | 85,422 B | 39,527 B |
//!
//! serde_json would cost the entry 9.5 KB gzipped (+32%) for the same answers (its reader
//! given its best chance: integers only, read with `as_u64`). The reader is checked against
//! serde_json on generated JSON texts and the writer's output is read back by it (the tests
//! below, where serde_json is a dev-dependency).

use super::Diagnosis;
use alloc::string::String;
use alloc::vec::Vec;

/// The string and scalar fields of a JSON object, and those of an `error` object in it, in the
/// order of the text: a string decoded, a number, `true`, `false` or `null` as written. `None`
/// when the text is not one JSON object.
///
/// Lenient where leniency reads more answers and costs nothing: nested arrays and objects
/// other than `error` are skipped without checking their insides, a lone surrogate escape
/// becomes U+FFFD, and a bare token is taken as written. A field nested more than 65 levels
/// deep is refused (serde_json refuses from 128).
pub(super) fn json_fields(text: &str) -> Option<Vec<(String, String)>> {
    let mut p = Json {
        s: text.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    p.object(&mut out, 0)?;
    p.ws();
    (p.i == p.s.len()).then_some(out)
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    /// An object; its string and scalar fields are added to `out` (depth 0, and an `error`
    /// object at depth 1).
    fn object(&mut self, out: &mut Vec<(String, String)>, depth: u32) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.eat(b':')?;
            self.ws();
            match self.s.get(self.i)? {
                b'"' => {
                    let v = self.string()?;
                    out.push((key, v));
                }
                b'{' if depth == 0 && key == "error" => self.object(out, 1)?,
                b'{' | b'[' => self.skip(0)?,
                _ => {
                    let start = self.i;
                    while self.s.get(self.i).is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()
                    }) {
                        self.i += 1;
                    }
                    let v = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
                    if v.is_empty() {
                        return None;
                    }
                    out.push((key, String::from(v)));
                }
            }
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
        }
    }

    /// Skips a nested object or array (bounded depth).
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > 64 {
            return None;
        }
        let close = match self.s.get(self.i)? {
            b'{' => b'}',
            b'[' => b']',
            _ => return None,
        };
        self.i += 1;
        loop {
            self.ws();
            match *self.s.get(self.i)? {
                b if b == close => {
                    self.i += 1;
                    return Some(());
                }
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => self.skip(depth + 1)?,
                _ => self.i += 1,
            }
        }
    }

    /// A JSON string, decoded (a lone surrogate escape becomes U+FFFD).
    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                char::from_u32(
                                    0x10000
                                        + ((hi - 0xD800) << 10)
                                        + (lo.wrapping_sub(0xDC00) & 0x3FF),
                                )
                                .unwrap_or('\u{FFFD}')
                            } else {
                                char::from_u32(hi).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                b => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = core::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

// ---- The JSON form --------------------------------------------------------------------------

impl Diagnosis {
    /// The diagnosis as a JSON object with camelCase keys, absent values as `null`: what the
    /// JavaScript entry returns, so that both languages give the same answer.
    pub fn to_json(&self) -> String {
        let mut o = String::with_capacity(512);
        o.push('{');
        field(&mut o, "problem", Some(self.problem.code()));
        field(&mut o, "serverProblem", self.server_problem.as_deref());
        o.push_str(",\"status\":");
        crate::encoding::push_decimal(&mut o, u64::from(self.status));
        field(&mut o, "cause", Some(self.cause));
        field(&mut o, "advice", Some(self.advice));
        field(&mut o, "serverAdvice", self.server_advice.as_deref());
        field(
            &mut o,
            "serverBaseString",
            self.server_base_string.as_deref(),
        );
        field(
            &mut o,
            "baseStringSource",
            self.base_string_source.map(|s| s.as_str()),
        );
        o.push_str(",\"identical\":");
        o.push_str(match self.identical {
            Some(true) => "true",
            Some(false) => "false",
            None => "null",
        });
        o.push_str(",\"differences\":[");
        for (i, d) in self.differences.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            o.push('{');
            o.push_str("\"component\":");
            json_string(&mut o, d.component.as_str());
            field(&mut o, "kind", Some(d.kind.as_str()));
            field(&mut o, "name", d.name.as_deref());
            field(&mut o, "ours", d.ours.as_deref());
            field(&mut o, "theirs", d.theirs.as_deref());
            field(&mut o, "note", Some(d.note));
            o.push('}');
        }
        o.push(']');
        o.push_str(",\"clockOffset\":");
        match self.clock_offset {
            Some(n) => {
                if n < 0 {
                    o.push('-');
                }
                crate::encoding::push_decimal(&mut o, n.unsigned_abs());
            }
            None => o.push_str("null"),
        }
        o.push_str(",\"acceptableTimestamps\":");
        match self.acceptable_timestamps {
            Some((a, b)) => {
                o.push('[');
                crate::encoding::push_decimal(&mut o, a);
                o.push(',');
                crate::encoding::push_decimal(&mut o, b);
                o.push(']');
            }
            None => o.push_str("null"),
        }
        list(
            &mut o,
            "parameters",
            self.parameters.iter().map(String::as_str),
        );
        field(&mut o, "retry", self.retry.map(|r| r.as_str()));
        list(&mut o, "lookedFor", self.looked_for.iter().copied());
        o.push('}');
        o
    }
}

fn field(o: &mut String, key: &str, value: Option<&str>) {
    if !o.ends_with('{') {
        o.push(',');
    }
    json_string(o, key);
    o.push(':');
    match value {
        Some(v) => json_string(o, v),
        None => o.push_str("null"),
    }
}

fn list<'a>(o: &mut String, key: &str, items: impl Iterator<Item = &'a str>) {
    o.push(',');
    json_string(o, key);
    o.push_str(":[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            o.push(',');
        }
        json_string(o, item);
    }
    o.push(']');
}

/// A JSON string literal (RFC 8259 §7): `"` and `\` escaped, control characters as `\u00XX`,
/// everything else as it is.
fn json_string(o: &mut String, s: &str) {
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                o.push_str("\\u00");
                for nibble in [(c as u32) >> 4, (c as u32) & 15] {
                    o.push(char::from_digit(nibble, 16).unwrap_or('0'));
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{BaseStringSource, Difference, DifferenceKind, Retry};
    use crate::problem::Problem;
    use alloc::borrow::ToOwned;
    use alloc::boxed::Box;
    use alloc::format;
    use alloc::vec;
    use proptest::prelude::*;
    use serde_json::Value;

    fn fields(list: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn context_io_error() {
        assert_eq!(
            json_fields(
                r#"{"type":"error","code":105,"value":"Invalid \"x\"","base_string":"a\u0026b"}"#
            ),
            fields(&[
                ("type", "error"),
                ("code", "105"),
                ("value", "Invalid \"x\""),
                ("base_string", "a&b")
            ])
        );
    }

    #[test]
    fn an_error_object_is_read_and_other_nesting_skipped() {
        assert_eq!(
            json_fields(
                r#" { "error" : { "code" : -1.5e3 , "error" : {"x": "no"}, "message": "m" },
                      "list": [1, {"y": "]"}, "}"], "ok": true, "none": null } "#
            ),
            fields(&[
                ("code", "-1.5e3"),
                ("message", "m"),
                ("ok", "true"),
                ("none", "null")
            ])
        );
        // An `error` object below the top is skipped.
        assert_eq!(json_fields(r#"{"a":{"error":{"code":"1"}}}"#), fields(&[]));
    }

    #[test]
    fn escapes() {
        // RFC 8259 §7: the two-character escapes, \u escapes, and a surrogate pair (U+1D11E,
        // MUSICAL SYMBOL G CLEF, is \uD834\uDD1E).
        assert_eq!(
            json_fields(r#"{"s":"\"\\\/\b\f\n\r\t\u00e9\uD834\uDD1E"}"#),
            fields(&[("s", "\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1D11E}")])
        );
        // A lone surrogate is U+FFFD.
        assert_eq!(
            json_fields(r#"{"s":"a\uDD1Eb"}"#),
            fields(&[("s", "a\u{FFFD}b")])
        );
    }

    #[test]
    fn not_one_object() {
        for text in [
            "",
            "[]",
            "\"s\"",
            "1",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":1}{}",
            "{\"a\":1} x",
            "{a:1}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"open}",
            "{\"a\":[1,2}",
        ] {
            assert_eq!(json_fields(text), None, "{text:?}");
        }
        assert_eq!(json_fields("{}"), fields(&[]));
        // Nesting: 65 levels in a field are skipped, 66 refused.
        let nested = |n: usize| format!("{{\"a\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert_eq!(json_fields(&nested(65)), fields(&[]));
        assert_eq!(json_fields(&nested(66)), None);
    }

    #[test]
    fn the_json_form_byte_for_byte() {
        // Keys in the order of js/diagnose.d.ts, absent values as null, a control character
        // as \u00XX (RFC 8259 §7), a negative offset with its sign.
        let d = Diagnosis {
            problem: Problem::TimestampRefused,
            server_problem: Some("timestamp_refused".to_owned()),
            status: 401,
            cause: "c\"1\"",
            advice: "a\\\n",
            server_advice: None,
            server_base_string: None,
            base_string_source: Some(BaseStringSource::DebugSbs),
            identical: Some(false),
            differences: vec![Difference {
                component: DifferenceKind::HostWww.component(),
                kind: DifferenceKind::HostWww,
                name: None,
                ours: Some("a.example".to_owned()),
                theirs: Some("www.a.example".to_owned()),
                note: "n",
            }],
            clock_offset: Some(-42),
            acceptable_timestamps: Some((10, 20)),
            parameters: vec!["p".to_owned(), "q".to_owned()],
            retry: Some(Retry::Clock),
            looked_for: vec![],
        };
        assert_eq!(
            d.to_json(),
            concat!(
                r#"{"problem":"TIMESTAMP_REFUSED","serverProblem":"timestamp_refused","status":401,"#,
                r#""cause":"c\"1\"","advice":"a\\\u000a","serverAdvice":null,"serverBaseString":null,"#,
                r#""baseStringSource":"debug_sbs","identical":false,"differences":[{"component":"host","#,
                r#""kind":"host_www","name":null,"ours":"a.example","theirs":"www.a.example","note":"n"}],"#,
                r#""clockOffset":-42,"acceptableTimestamps":[10,20],"parameters":["p","q"],"#,
                r#""retry":"clock","lookedFor":[]}"#
            )
        );
    }

    // ---- Against serde_json -----------------------------------------------------------------

    /// A JSON value as the generator writes it: numbers keep their text, objects their order
    /// (their keys unique, as serde_json's map requires for the comparison).
    #[derive(Clone, Debug)]
    enum J {
        Null,
        Bool(bool),
        Num(String),
        Str(String),
        Arr(Vec<J>),
        Obj(Vec<(String, J)>),
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("error".to_owned()),
            Just("code".to_owned()),
            Just("base_string".to_owned()),
            any::<String>(),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[\\x00-\\x1f\"\\\\/a\u{e9}\u{1D11E}]{0,8}",]
    }

    fn object(inner: impl Strategy<Value = J>) -> impl Strategy<Value = J> {
        proptest::collection::vec((key(), inner), 0..5).prop_map(|pairs| {
            let mut seen = Vec::new();
            J::Obj(
                pairs
                    .into_iter()
                    .filter(|(k, _)| {
                        let new = !seen.contains(k);
                        seen.push(k.clone());
                        new
                    })
                    .collect(),
            )
        })
    }

    fn value() -> impl Strategy<Value = J> {
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            "-?(0|[1-9][0-9]{0,8})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?".prop_map(J::Num),
            text().prop_map(J::Str),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(J::Arr),
                object(inner),
            ]
        })
    }

    /// Writes `j` as JSON text, spending `style` on the free choices: whitespace (RFC 8259 §2),
    /// and for each character of a string, as it is or escaped (§7).
    fn write(j: &J, style: &mut impl Iterator<Item = u8>, out: &mut String) {
        let mut pick = |n: u8| style.next().unwrap_or(0) % n;
        let ws = |k: u8, out: &mut String| out.push_str(["", " ", "\n\t", "\r\n  "][k as usize]);
        ws(pick(4), out);
        match j {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_string(s, &mut pick, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, style, out);
                }
                ws(style.next().unwrap_or(0) % 4, out);
                out.push(']');
            }
            J::Obj(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let mut pick = |n: u8| style.next().unwrap_or(0) % n;
                    ws(pick(4), out);
                    write_string(k, &mut pick, out);
                    ws(pick(4), out);
                    out.push(':');
                    write(v, style, out);
                    ws(style.next().unwrap_or(0) % 4, out);
                }
                ws(style.next().unwrap_or(0) % 4, out);
                out.push('}');
            }
        }
    }

    fn write_string(s: &str, pick: &mut impl FnMut(u8) -> u8, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            let short = match c {
                '"' => Some('"'),
                '\\' => Some('\\'),
                '/' => Some('/'),
                '\u{8}' => Some('b'),
                '\u{c}' => Some('f'),
                '\n' => Some('n'),
                '\r' => Some('r'),
                '\t' => Some('t'),
                _ => None,
            };
            let must = matches!(c, '"' | '\\') || (c as u32) < 0x20;
            match (pick(3), short) {
                (0, _) if !must => out.push(c),
                (1, Some(e)) => {
                    out.push('\\');
                    out.push(e);
                }
                _ => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        // Upper- or lower-case hex digits, both allowed.
                        if pick(2) == 0 {
                            out.push_str(&format!("\\u{u:04X}"));
                        } else {
                            out.push_str(&format!("\\u{u:04x}"));
                        }
                    }
                }
            }
        }
        out.push('"');
    }

    /// What serde_json reads `j`'s text as, if the generator wrote what it meant.
    fn same(j: &J, v: &Value) -> bool {
        match (j, v) {
            (J::Null, Value::Null) => true,
            (J::Bool(a), Value::Bool(b)) => a == b,
            (J::Num(n), Value::Number(m)) => {
                let (a, b) = (n.parse::<f64>().unwrap(), m.as_f64().unwrap());
                a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
            }
            (J::Str(a), Value::String(b)) => a == b,
            (J::Arr(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
            }
            (J::Obj(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
            }
            _ => false,
        }
    }

    /// The fields `json_fields` must read from `j`'s text, by the rule it documents.
    fn expected(j: &J) -> Option<Vec<(String, String)>> {
        fn scalars(pairs: &[(String, J)], depth: u32, out: &mut Vec<(String, String)>) {
            for (k, v) in pairs {
                let text = match v {
                    J::Null => "null".to_owned(),
                    J::Bool(b) => b.to_string(),
                    J::Num(n) => n.clone(),
                    J::Str(s) => s.clone(),
                    J::Obj(inner) if depth == 0 && k == "error" => {
                        scalars(inner, 1, out);
                        continue;
                    }
                    J::Arr(_) | J::Obj(_) => continue,
                };
                out.push((k.clone(), text));
            }
        }
        let J::Obj(pairs) = j else { return None };
        let mut out = Vec::new();
        scalars(pairs, 0, &mut out);
        Some(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The reader agrees with serde_json on generated JSON texts: those serde_json reads as
        /// one object give the fields it holds, the others none.
        #[test]
        fn the_reader_agrees_with_serde_json(
            j in prop_oneof![1 => value(), 4 => object(value())],
            style in proptest::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut text = String::new();
            write(&j, &mut style.into_iter().cycle(), &mut text);
            let v: Value = serde_json::from_str(&text).map_err(|e| {
                TestCaseError::fail(format!("the generator wrote bad JSON: {e}: {text}"))
            })?;
            prop_assert!(same(&j, &v), "serde_json read {v} from {text}");
            prop_assert_eq!(json_fields(&text), expected(&j), "{}", text);
        }

        /// One byte changed in a JSON text: the reader does not panic, and whatever
        /// serde_json still reads as an object the reader reads as one, with the same keys.
        #[test]
        fn a_changed_text_is_read_as_serde_json_reads_it(
            j in object(value()),
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![
                Just(b'"'), Just(b'\\'), Just(b','), Just(b':'), Just(b'{'), Just(b'}'),
                Just(b'['), Just(b']'), Just(b' '), Just(b'0'), Just(b'a'), Just(b'e'),
                Just(b'-'), Just(b'u'),
            ],
            remove in any::<bool>(),
        ) {
            let mut text = Vec::new();
            let mut s = String::new();
            write(&j, &mut core::iter::repeat(0u8), &mut s);
            text.extend_from_slice(s.as_bytes());
            let i = at.index(text.len() + 1);
            if remove && i < text.len() {
                text.remove(i);
            } else {
                text.insert(i, byte);
            }
            let Ok(text) = String::from_utf8(text) else { return Ok(()) };
            let ours = json_fields(&text);
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) {
                let ours = ours.ok_or_else(|| TestCaseError::fail(format!("refused {text}")))?;
                let mut keys: Vec<&str> = ours.iter().map(|(k, _)| k.as_str()).collect();
                let mut want: Vec<&str> = Vec::new();
                for (k, v) in &m {
                    match v {
                        Value::Object(e) if k == "error" => want.extend(
                            e.iter().filter(|(_, v)| !v.is_array() && !v.is_object()).map(|(k, _)| k.as_str()),
                        ),
                        Value::Array(_) | Value::Object(_) => {}
                        _ => want.push(k),
                    }
                }
                // As sets: a changed byte may make two keys one, which serde_json's map keeps once.
                keys.sort_unstable();
                keys.dedup();
                want.sort_unstable();
                want.dedup();
                prop_assert_eq!(keys, want, "{}", text);
            }
        }

        /// The writer's output is JSON that serde_json reads back to the same values.
        #[test]
        fn the_writer_is_read_back_by_serde_json(
            strings in proptest::collection::vec(text(), 9),
            parameters in proptest::collection::vec(text(), 0..3),
            status in any::<u16>(),
            problem in prop::sample::select(Problem::ALL.to_vec()),
            source in prop::option::of(prop::sample::select(BaseStringSource::ALL.to_vec())),
            retry in prop::option::of(prop::sample::select(Retry::ALL.to_vec())),
            kinds in proptest::collection::vec(prop::sample::select(DifferenceKind::ALL.to_vec()), 0..3),
            identical in prop::option::of(any::<bool>()),
            clock_offset in prop::option::of(prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX)]),
            acceptable in prop::option::of((any::<u64>(), any::<u64>())),
            some in proptest::collection::vec(any::<bool>(), 4),
        ) {
            let leak = |s: &String| -> &'static str { Box::leak(s.clone().into_boxed_str()) };
            let opt = |i: usize, s: &String| some[i].then(|| s.clone());
            let d = Diagnosis {
                problem,
                server_problem: opt(0, &strings[0]),
                status,
                cause: leak(&strings[1]),
                advice: leak(&strings[2]),
                server_advice: opt(1, &strings[3]),
                server_base_string: opt(2, &strings[4]),
                base_string_source: source,
                identical,
                differences: kinds
                    .iter()
                    .map(|&kind| Difference {
                        component: kind.component(),
                        kind,
                        name: opt(3, &strings[5]),
                        ours: Some(strings[6].clone()),
                        theirs: None,
                        note: leak(&strings[7]),
                    })
                    .collect(),
                clock_offset,
                acceptable_timestamps: acceptable,
                parameters: parameters.clone(),
                retry,
                looked_for: vec![leak(&strings[8])],
            };
            let json = d.to_json();
            let v: Value = serde_json::from_str(&json)
                .map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            let s = |x: Option<&str>| x.map_or(Value::Null, |x| Value::String(x.to_owned()));
            let want = serde_json::json!({
                "problem": problem.code(),
                "serverProblem": s(d.server_problem.as_deref()),
                "status": status,
                "cause": d.cause,
                "advice": d.advice,
                "serverAdvice": s(d.server_advice.as_deref()),
                "serverBaseString": s(d.server_base_string.as_deref()),
                "baseStringSource": s(source.map(|x| x.as_str())),
                "identical": identical,
                "differences": d.differences.iter().map(|x| serde_json::json!({
                    "component": x.component.as_str(),
                    "kind": x.kind.as_str(),
                    "name": s(x.name.as_deref()),
                    "ours": s(x.ours.as_deref()),
                    "theirs": Value::Null,
                    "note": x.note,
                })).collect::<Vec<_>>(),
                "clockOffset": clock_offset,
                "acceptableTimestamps": acceptable.map(|(a, b)| vec![a, b]),
                "parameters": parameters,
                "retry": s(retry.map(|r| r.as_str())),
                "lookedFor": d.looked_for,
            });
            prop_assert_eq!(&v, &want);
        }
    }
}
