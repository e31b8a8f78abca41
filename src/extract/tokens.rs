//! A small word/punctuation tokenizer with byte offsets, used by attribution rules.
//!
//! Words keep inner apostrophes and hyphens ("don't", "Peskov's", "long-term") and the full stops of
//! abbreviations and initials ("Dr.", "U.S.", "W."), so that rules can look words up in the lexicon
//! and walk noun phrases token by token.

use crate::extract::words;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Punct,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl<'a> Token<'a> {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// The word without a possessive ending ("Putin’s" -> "Putin").
    pub fn bare(&self) -> &'a str {
        for suffix in ["'s", "’s", "'", "’"] {
            if let Some(stem) = self.text.strip_suffix(suffix)
                && !stem.is_empty()
            {
                return stem;
            }
        }
        self.text
    }

    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }

    /// True for a word that starts with an upper-case letter, or with a lower-case Arabic article
    /// before a capital ("al-Otaibi", "el-Sisi"), which names take as a whole.
    pub fn is_capitalised(&self) -> bool {
        self.is_word()
            && (self.text.chars().next().is_some_and(char::is_uppercase)
                || particle_name(self.text))
    }

    pub fn is_possessive(&self) -> bool {
        self.bare().len() != self.text.len()
    }

    pub fn is(&self, text: &str) -> bool {
        self.text.eq_ignore_ascii_case(text)
    }
}

/// "al-Otaibi", "el-Baradei", "ad-Din": an article glued by a hyphen to a capitalised name.
fn particle_name(word: &str) -> bool {
    // A cheap test first: this runs for every lower-case word.
    let bytes = word.as_bytes();
    if bytes.get(2) != Some(&b'-') && bytes.get(3) != Some(&b'-') {
        return false;
    }
    [
        "al-", "el-", "ad-", "ash-", "as-", "ar-", "an-", "at-", "az-", "ul-",
    ]
    .iter()
    .any(|p| {
        word.strip_prefix(p)
            .is_some_and(|rest| rest.chars().next().is_some_and(char::is_uppercase))
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into words and single-character punctuation tokens; white space is dropped.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let (j, kind) = if c.is_alphanumeric() {
            (word_end(text, &chars, k), TokenKind::Word)
        } else {
            (k + 1, TokenKind::Punct)
        };
        tokens.push(Token {
            text: &text[start..byte_at(j)],
            start,
            end: byte_at(j),
            kind,
        });
        k = j;
    }
    tokens
}

/// The char index just past the word that starts at char `k`. Apart from `tokenize` so that what
/// belongs to a word (inner joins, a possessive apostrophe, an abbreviation's full stop) reads as
/// one list of rules.
fn word_end(text: &str, chars: &[(usize, char)], k: usize) -> usize {
    let mut j = k + 1;
    loop {
        while j < chars.len() && chars[j].1.is_alphanumeric() {
            j += 1;
        }
        if !joins_word(chars, j) {
            break;
        }
        j += 1;
    }
    // A trailing possessive apostrophe ("players’") stays with the word.
    if j < chars.len()
        && is_apostrophe(chars[j].1)
        && chars[j - 1].1 == 's'
        && (j + 1 >= chars.len() || chars[j + 1].1.is_whitespace())
    {
        j += 1;
    }
    if keeps_full_stop(text, chars, k, j) {
        j += 1;
    }
    j
}

/// True when the character at `j` (after a run of letters or digits) joins it to the next run:
/// an inner apostrophe, hyphen, or dot/comma between digits ("3.5", "1,000").
fn joins_word(chars: &[(usize, char)], j: usize) -> bool {
    j + 1 < chars.len() && chars[j + 1].1.is_alphanumeric() && {
        let sep = chars[j].1;
        is_apostrophe(sep)
            || sep == '-'
            || ((sep == '.' || sep == ',')
                && chars[j - 1].1.is_numeric()
                && chars[j + 1].1.is_numeric())
            || (sep == '.'
                && chars[j + 1].1.is_alphabetic()
                && j + 2 <= chars.len()
                && is_dotted_abbreviation(chars, j))
    }
}

/// True when a full stop at `j` ends the word that starts at char `k`: the full stop of an
/// abbreviation or an initial belongs to the word, and so does that of a party-and-state tag
/// ("D-Ore.").
fn keeps_full_stop(text: &str, chars: &[(usize, char)], k: usize, j: usize) -> bool {
    if j >= chars.len() || chars[j].1 != '.' {
        return false;
    }
    let (start, c) = chars[k];
    let word = &text[start..chars[j].0];
    let key = word.to_lowercase();
    let initial = word.chars().count() == 1 && c.is_uppercase();
    let party_tag =
        word.len() >= 3 && word.as_bytes()[1] == b'-' && c.is_ascii_uppercase() && word.len() <= 7;
    initial
        || party_tag
        || word.contains('.')
        || words::is_prefix_abbreviation(&key)
        || words::is_ambiguous_abbreviation(&key)
}

/// True when the dot at `j` sits inside a letter-dot-letter abbreviation such as "U.S" or "a.m".
fn is_dotted_abbreviation(chars: &[(usize, char)], j: usize) -> bool {
    let single_before = j >= 1
        && chars[j - 1].1.is_alphabetic()
        && (j < 2 || !chars[j - 2].1.is_alphanumeric() || chars[j - 2].1 == '.');
    let single_after = j + 2 >= chars.len() || !chars[j + 2].1.is_alphanumeric();
    single_before && single_after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text).collect()
    }

    #[test]
    fn keeps_abbreviations_apostrophes_and_numbers() {
        assert_eq!(
            words("Dr. Smith's U.S. plan costs $3.5 billion."),
            vec![
                "Dr.", "Smith's", "U.S.", "plan", "costs", "$", "3.5", "billion", "."
            ]
        );
        assert_eq!(words("George W. Bush"), vec!["George", "W.", "Bush"]);
        assert_eq!(
            words("the players’ union"),
            vec!["the", "players’", "union"]
        );
        assert_eq!(
            words("“No,” he said."),
            vec!["“", "No", ",", "”", "he", "said", "."]
        );
    }
}
