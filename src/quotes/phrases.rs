//! Walking noun phrases token by token, forwards from a speech verb ("said the minister, John
//! Howard") and backwards from it ("Kremlin spokesperson Dmitry Peskov told").
//!
//! These are shallow rules, not a parser: a speaker's noun phrase in news copy is almost always a
//! run of capitalised names and titles, a pronoun, or a determiner with role nouns ("a spokesman for
//! the Kremlin").

use std::ops::Range;

use crate::lexicon;
use crate::tokens::Token;

/// A speaker phrase found next to a cue: the phrase itself and, when present, a name in apposition
/// ("the minister, John Howard" / "John Howard, the minister").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerPhrase {
    pub phrase: Range<usize>,
    pub apposition: Option<Range<usize>>,
}

fn is_preposition(t: &Token) -> bool {
    t.is_word() && ["of", "for", "at", "from", "with", "in", "to"].iter().any(|p| t.text == *p)
}

/// A word that may sit inside a speaker noun phrase (other than determiners and prepositions).
pub fn is_phrase_word(t: &Token) -> bool {
    if !t.is_word() {
        return false;
    }
    if t.is_capitalised() {
        let bare = t.bare();
        return !lexicon::is_capitalised_non_name(bare) || lexicon::is_title(bare);
    }
    let lower = t.bare().to_lowercase();
    lexicon::is_title(&lower)
        || lexicon::is_group_noun(&lower)
        || lexicon::is_person_noun(&lower)
        || lexicon::is_np_adjective(&lower)
        || (t.is_possessive() && t.text.chars().next().is_some_and(char::is_alphabetic))
}

/// True for a word that makes a phrase a possible speaker: a name, a role or a group.
fn is_head_word(t: &Token) -> bool {
    if !t.is_word() {
        return false;
    }
    if t.is_capitalised() {
        return !lexicon::is_capitalised_non_name(t.bare());
    }
    let lower = t.bare().to_lowercase();
    lexicon::is_title(&lower) || lexicon::is_group_noun(&lower) || lexicon::is_person_noun(&lower)
}

fn is_pronoun(t: &Token) -> bool {
    t.is_word() && lexicon::is_speaker_pronoun(t.text)
}

/// The speaker phrase that ends just before `end`, not reaching below `floor`. Adverbs and
/// auxiliaries between the phrase and the verb are skipped ("Smith later told", "The Kremlin,
/// however, denied").
pub fn backward(tokens: &[Token], end: usize, floor: usize) -> Option<SpeakerPhrase> {
    let mut i = end;
    let mut skipped = 0;
    loop {
        if i > floor && skipped < 3 && is_bridge(&tokens[i - 1]) {
            i -= 1;
            skipped += 1;
        } else if i >= floor + 3 && tokens[i - 1].text == "," && tokens[i - 3].text == "," && is_parenthetical(&tokens[i - 2]) {
            i -= 3;
        } else {
            break;
        }
    }
    let phrase_end = i;
    if i > floor && is_pronoun(&tokens[i - 1]) {
        return Some(SpeakerPhrase { phrase: i - 1..i, apposition: None });
    }
    if let Some(start) = backward_plain(tokens, phrase_end, floor) {
        return Some(SpeakerPhrase { phrase: start..phrase_end, apposition: None });
    }
    // "John Howard, the minister, said" and "the minister, John Howard, said".
    if phrase_end > floor + 2 && tokens[phrase_end - 1].text == "," {
        let inner_end = phrase_end - 1;
        let inner_start = (floor..inner_end).rev().find(|&k| tokens[k].text == ",")?;
        if inner_end - inner_start > 9 || inner_start <= floor {
            return None;
        }
        let inner = inner_start + 1..inner_end;
        let outer_start = backward_plain(tokens, inner_start, floor).or_else(|| {
            // An unnamed role may carry any adjectives: "Putin's longtime foreign affairs advisor".
            let from = (floor..inner_start).rev().find(|&k| !tokens[k].is_word()).map_or(floor, |k| k + 1);
            (inner_start - from <= 8 && tokens[from..inner_start].iter().any(is_head_word)).then_some(from)
        })?;
        let outer = outer_start..inner_start;
        let named = |r: &Range<usize>| tokens[r.clone()].iter().any(|t| t.is_capitalised() && !lexicon::is_title(t.bare()) && !lexicon::is_capitalised_non_name(t.bare()));
        let inner_has_head = tokens[inner.clone()].iter().any(is_head_word);
        if named(&inner) && inner_has_head && tokens[inner.clone()].iter().all(|t| t.is_capitalised() || !t.is_word()) {
            return Some(SpeakerPhrase { phrase: outer, apposition: Some(inner) });
        }
        if named(&outer) && inner_has_head {
            return Some(SpeakerPhrase { phrase: inner, apposition: Some(outer) });
        }
    }
    None
}

/// Words set off by commas between a subject and its verb: "The Kremlin, however, denied".
fn is_parenthetical(t: &Token) -> bool {
    t.is_word() && ["however", "meanwhile", "though", "too", "also", "instead", "nonetheless", "nevertheless", "moreover", "separately", "likewise", "similarly", "for", "in"].contains(&t.lower().as_str())
}

/// The start of a phrase ending at `end`, without skipping bridge words or trying appositions.
fn backward_plain(tokens: &[Token], end: usize, floor: usize) -> Option<usize> {
    let mut i = end;
    while i > floor && end - i < 9 {
        let t = &tokens[i - 1];
        if t.is_word() && lexicon::is_determiner(t.text) {
            i -= 1;
            // "a spokesman for the Kremlin": a determiner after a preposition continues the phrase.
            if i >= floor + 2 && is_preposition(&tokens[i - 1]) && is_phrase_word(&tokens[i - 2]) {
                i -= 1;
                continue;
            }
            break;
        }
        if is_phrase_word(t) {
            i -= 1;
            continue;
        }
        if is_preposition(t) && i >= floor + 2 && is_phrase_word(&tokens[i - 2]) && i < end {
            i -= 1;
            continue;
        }
        // "An emergency official": unknown modifiers between a determiner and a role noun.
        if t.is_word() && !t.is_capitalised() && i < end && tokens[i..end].iter().any(is_head_word) {
            let det = (i.saturating_sub(3).max(floor)..i - 1).rev().find(|&k| tokens[k].is_word() && ["a", "an", "the"].contains(&tokens[k].lower().as_str()));
            if let Some(k) = det {
                if tokens[k + 1..i].iter().all(|w| w.is_word() && !lexicon::is_cue_verb(w.text)) {
                    i = k;
                    break;
                }
            }
        }
        break;
    }
    while i < end && is_preposition(&tokens[i]) {
        i += 1;
    }
    // Determiners are a speaker phrase's edge, not its head: "The" alone is nothing.
    (i < end && tokens[i..end].iter().any(is_head_word)).then_some(i)
}

/// The speaker phrase starting at `start`, not reaching `ceil`, with a name in apposition when one
/// follows in commas ("the minister, John Howard, …").
pub fn forward(tokens: &[Token], start: usize, ceil: usize) -> Option<SpeakerPhrase> {
    if start >= ceil {
        return None;
    }
    if is_pronoun(&tokens[start]) {
        return Some(SpeakerPhrase { phrase: start..start + 1, apposition: None });
    }
    let mut i = start;
    while i < ceil && i - start < 9 {
        let t = &tokens[i];
        if (t.is_word() && lexicon::is_determiner(t.text)) || is_phrase_word(t) {
            i += 1;
        } else if is_preposition(t) && i > start && i + 1 < ceil && (lexicon::is_determiner(tokens[i + 1].text) || is_phrase_word(&tokens[i + 1])) {
            i += 1;
        } else {
            break;
        }
    }
    let mut end = i;
    while end > start && (is_preposition(&tokens[end - 1]) || lexicon::is_determiner(tokens[end - 1].text)) {
        end -= 1;
    }
    if end == start || !tokens[start..end].iter().any(is_head_word) {
        return None;
    }
    let mut apposition = None;
    if end < ceil && tokens[end].text == "," {
        let name_start = end + 1;
        let mut j = name_start;
        while j < ceil && tokens[j].is_capitalised() && !lexicon::is_capitalised_non_name(tokens[j].bare()) {
            j += 1;
        }
        let closes = j >= ceil || !tokens[j].is_word();
        let role_first = !tokens[start..end].iter().any(|t| t.is_capitalised() && !lexicon::is_title(t.bare()) && !lexicon::is_organisation_word(t.bare()))
            || lexicon::is_determiner(tokens[start].text);
        if j > name_start && closes && role_first {
            apposition = Some(name_start..j);
        }
    }
    Some(SpeakerPhrase { phrase: start..end, apposition })
}

/// True when the token at `c` is a speech verb used as a verb: "Putin's warning" and "the demands"
/// are nouns.
pub fn is_cue(tokens: &[Token], c: usize) -> bool {
    let t = &tokens[c];
    if !t.is_word() || !lexicon::is_cue_verb(t.text) {
        return false;
    }
    let Some(prev) = c.checked_sub(1).map(|k| &tokens[k]) else { return true };
    let noun_context = prev.is_word() && (prev.is_possessive() || ["the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those", "such", "any", "no", "of", "whose"].contains(&prev.lower().as_str()));
    !noun_context
}

/// Adverbs and auxiliaries allowed between a speaker and the speech verb.
pub fn is_bridge(t: &Token) -> bool {
    t.is_word()
        && !t.is_capitalised()
        && (lexicon::is_bridge_word(t.text) || (t.text.len() > 4 && t.text.ends_with("ly")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn text_of(tokens: &[Token], r: Range<usize>) -> String {
        tokens[r].iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn backward_phrases() {
        let cases = [
            ("Kremlin spokesperson Dmitry Peskov told", "Kremlin spokesperson Dmitry Peskov"),
            ("Speaking in Moscow , Putin later said", "Putin"),
            ("But he said", "he"),
            ("a spokesman for the Kremlin said", "a spokesman for the Kremlin"),
            ("the country's health minister warned", "the country's health minister"),
        ];
        for (text, want) in cases {
            let tokens = tokenize(text);
            let found = backward(&tokens, tokens.len() - 1, 0).expect(text);
            assert_eq!(text_of(&tokens, found.phrase), want, "{text}");
        }
    }

    #[test]
    fn forward_phrases_with_apposition() {
        let tokens = tokenize("the minister, John Howard.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(text_of(&tokens, found.phrase), "the minister");
        assert_eq!(text_of(&tokens, found.apposition.expect("apposition")), "John Howard");
        let tokens = tokenize("a spokeswoman for the ministry on Tuesday.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(text_of(&tokens, found.phrase), "a spokeswoman for the ministry");
    }
}
