//! "Did you mean ...?" for unknown field names.
//!
//! Names are compared case-insensitively with `_` and `-` dropped (so `consumer_key` and
//! `ConsumerKey` find `consumerKey`), by optimal string alignment distance: insertions,
//! deletions, substitutions, and swaps of two neighbours (`qurey` is one swap from `query`).

/// The longest name considered, in bytes; longer names are never a typo of a short field.
const MAX: usize = 32;

/// The one name of `known` closest to `name`, if it is within a small distance (one edit for
/// names of up to four letters, two beyond) and no other known name is as close.
pub(crate) fn closest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let a = fold(name)?;
    let mut best: Option<(usize, &'static str)> = None;
    let mut tie = false;
    for &k in known {
        let Some(b) = fold(k) else { continue };
        let d = distance(a.as_slice(), b.as_slice());
        let limit = if b.len() <= 4 { 1 } else { 2 };
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, k));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, k)| k)
}

/// Lower-case ASCII letters and digits of `s`, `_` and `-` dropped; `None` for anything longer
/// than [`MAX`] or with other characters.
fn fold(s: &str) -> Option<Folded> {
    let mut out = Folded {
        bytes: [0; MAX],
        len: 0,
    };
    for b in s.bytes() {
        if b == b'_' || b == b'-' {
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            return None;
        }
        *out.bytes.get_mut(out.len)? = b.to_ascii_lowercase();
        out.len += 1;
    }
    Some(out)
}

struct Folded {
    bytes: [u8; MAX],
    len: usize,
}

impl Folded {
    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// Optimal string alignment distance between two short byte strings (at most [`MAX`] bytes;
/// longer ones are compared by their first [`MAX`]). Written with `get` rather than indexing:
/// a bounds-check panic path would link `core::fmt` into the wasm module.
fn distance(a: &[u8], b: &[u8]) -> usize {
    const FAR: usize = usize::MAX / 4;
    let at = |row: &[usize; MAX + 1], k: usize| row.get(k).copied().unwrap_or(FAR);
    // Rows i-1 and i-2 of the dynamic programme, and row i being built.
    let mut prev: [usize; MAX + 1] = core::array::from_fn(|j| j);
    let mut prev2 = [FAR; MAX + 1];
    let mut last_a = None;
    for (i, &ai) in a.iter().take(MAX).enumerate() {
        let mut cur = [FAR; MAX + 1];
        cur[0] = i + 1;
        let mut last_b = None;
        for (j, &bj) in b.iter().take(MAX).enumerate() {
            let cost = usize::from(ai != bj);
            let mut d = (at(&prev, j + 1) + 1)
                .min(at(&cur, j) + 1)
                .min(at(&prev, j) + cost);
            if last_a == Some(bj) && last_b == Some(ai) {
                d = d.min(at(&prev2, j.wrapping_sub(1)) + 1);
            }
            if let Some(c) = cur.get_mut(j + 1) {
                *c = d;
            }
            last_b = Some(bj);
        }
        prev2 = prev;
        prev = cur;
        last_a = Some(ai);
    }
    at(&prev, b.len().min(MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fields the boundary reads.
    use crate::boundary::{OPTION_FIELDS as OPTIONS, REQUEST_FIELDS as REQUEST};

    #[test]
    fn typos_find_their_field() {
        for (typo, want) in [
            ("qurey", "query"),
            ("querry", "query"),
            ("tokenSecrett", "tokenSecret"),
            ("consumer_key", "consumerKey"),
            ("ConsumerSecret", "consumerSecret"),
            ("timeStamp", "timestamp"),
            ("content-type", "contentType"),
            ("nounce", "nonce"),
            ("mehtod", "method"),
            ("uri", "url"),
            ("twolegged", "twoLegged"),
            ("clockOfset", "clockOffset"),
        ] {
            let known: &[&'static str] = if OPTIONS.contains(&want) {
                &OPTIONS
            } else {
                &REQUEST
            };
            assert_eq!(closest(typo, known), Some(want), "{typo}");
        }
    }

    #[test]
    fn unrelated_names_find_nothing() {
        for name in [
            "headers",
            "data",
            "secret",
            "",
            "x",
            "a-very-long-name-that-is-not-a-field-at-all",
            "quéry",
        ] {
            assert_eq!(closest(name, &REQUEST), None, "{name}");
            assert_eq!(closest(name, &OPTIONS), None, "{name}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(distance(b"", b"abc"), 3);
        assert_eq!(distance(b"abc", b""), 3);
        assert_eq!(distance(b"abc", b"abc"), 0);
        assert_eq!(distance(b"abc", b"acb"), 1);
        assert_eq!(distance(b"kitten", b"sitting"), 3);
        assert_eq!(distance(b"ca", b"abc"), 3);
    }
}
