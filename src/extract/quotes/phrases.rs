//! Walking noun phrases token by token, forwards from a speech verb ("said the minister, John
//! Howard") and backwards from it ("Kremlin spokesperson Dmitry Peskov told").
//!
//! These are shallow rules, not a parser: a speaker's noun phrase in news copy is almost always a
//! run of capitalised names and titles, a pronoun, or a determiner with role nouns ("a spokesman for
//! the Kremlin"), sometimes with a name or a clause set off by commas.

use std::ops::Range;

use crate::extract::tokens::Token;
use crate::extract::words;

/// A speaker phrase found next to a cue: the phrase itself and, when present, a name in apposition
/// ("the minister, John Howard" / "John Howard, the minister").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerPhrase {
    pub phrase: Range<usize>,
    pub apposition: Option<Range<usize>>,
}

impl SpeakerPhrase {
    fn plain(phrase: Range<usize>) -> Self {
        SpeakerPhrase {
            phrase,
            apposition: None,
        }
    }

    /// Index just after the phrase and its apposition.
    pub fn end(&self) -> usize {
        self.apposition
            .as_ref()
            .map_or(self.phrase.end, |a| a.end.max(self.phrase.end))
    }
}

fn is_preposition(t: &Token) -> bool {
    t.is_word() && ["of", "for", "at", "from", "with", "in", "to"].contains(&t.text)
}

/// Determiners, possessive pronouns included: "its national medical director".
pub fn is_determiner(t: &Token) -> bool {
    t.is_word()
        && (words::is_determiner(t.text)
            || ["its", "his", "her", "their", "our"].contains(&t.lower().as_str()))
}

/// A word that may sit inside a speaker noun phrase (other than determiners and prepositions).
pub fn is_phrase_word(t: &Token) -> bool {
    if !t.is_word() {
        return false;
    }
    if t.is_capitalised() {
        let bare = t.bare();
        return !words::is_capitalised_non_name(bare) || words::is_title(bare);
    }
    let lower = t.bare().to_lowercase();
    words::is_title(&lower)
        || words::is_group_noun(&lower)
        || words::is_person_noun(&lower)
        || words::is_np_adjective(&lower)
        || words::is_organisation_word(&lower)
        || (t.is_possessive() && t.text.chars().next().is_some_and(char::is_alphabetic))
        || (t.text.chars().all(|c| c.is_ascii_digit()) && t.text.len() <= 3)
}

/// True for a word that makes a phrase a possible speaker: a name, a role or a group.
fn is_head_word(t: &Token) -> bool {
    if !t.is_word() {
        return false;
    }
    if t.is_capitalised() {
        return !words::is_capitalised_non_name(t.bare());
    }
    let lower = t.bare().to_lowercase();
    words::is_title(&lower)
        || words::is_group_noun(&lower)
        || words::is_person_noun(&lower)
        || words::is_organisation_word(&lower)
}

/// A lowercase word that looks like a plural common noun ("herders", "hoteliers"), not a verb,
/// an auxiliary or an adverb.
fn is_plural_noun(t: &Token) -> bool {
    let lower = t.lower();
    t.is_word()
        && !t.is_capitalised()
        && lower.len() > 4
        && lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("ous")
        && !words::is_cue_verb(t.text)
        && !AUXILIARIES.contains(&lower.as_str())
        && !NOT_SUBJECT_START.contains(&lower.as_str())
        && !is_bridge(t)
        && !is_determiner(t)
}

fn is_pronoun(t: &Token) -> bool {
    t.is_word() && words::is_speaker_pronoun(t.text)
}

/// A capitalised word that can be part of a person's name.
fn is_name_word(t: &Token) -> bool {
    t.is_capitalised() && !words::is_title(t.bare()) && !words::is_capitalised_non_name(t.bare())
}

/// Words set off by commas between a subject and its verb: "The Kremlin, however, denied",
/// "Smith, 54, said", "Chuck Schumer, D-N.Y., said".
fn is_parenthetical(t: &Token) -> bool {
    let lower = t.lower();
    let party_tag = t.text.len() >= 3
        && t.text.as_bytes()[1] == b'-'
        && t.text.as_bytes()[0].is_ascii_uppercase();
    t.is_word()
        && ([
            "however",
            "meanwhile",
            "though",
            "too",
            "also",
            "instead",
            "nonetheless",
            "nevertheless",
            "moreover",
            "separately",
            "likewise",
            "similarly",
            "meanwhile",
            "then",
            "now",
        ]
        .contains(&lower.as_str())
            || t.text.chars().all(|c| c.is_ascii_digit())
            || party_tag)
}

/// Days and times that may sit between a subject and its verb ("on Thursday", "last week").
fn is_time_word(t: &Token) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "week",
        "month",
        "year",
        "night",
        "morning",
        "evening",
        "afternoon",
        "weekend",
        "today",
        "yesterday",
    ]
    .contains(&t.lower().as_str())
}

/// True when the comma-delimited segment starting at `k` is a clause or aside rather than a name or
/// role: "who hosted the summit", "speaking in Kyiv", "for his part", "which oversees referees",
/// "many of which export".
fn is_aside(tokens: &[Token], k: usize) -> bool {
    let t = &tokens[k];
    let lower = t.lower();
    if is_partitive_relative(tokens, k) {
        return true;
    }
    t.is_word()
        && !t.is_capitalised()
        && ([
            "who",
            "which",
            "whose",
            "for",
            "as",
            "in",
            "at",
            "on",
            "after",
            "like",
            "unlike",
            "according",
        ]
        .contains(&lower.as_str())
            || (lower.ends_with("ing") && lower.len() > 5)
            || (lower.ends_with("ed") && lower.len() > 4 && !words::is_np_adjective(&lower)))
}

/// A relative clause opened by a quantity: "many of which", "some of whom".
fn is_partitive_relative(tokens: &[Token], k: usize) -> bool {
    tokens[k].is_word()
        && !tokens[k].is_capitalised()
        && tokens.get(k + 1).is_some_and(|t| t.is("of"))
        && tokens
            .get(k + 2)
            .is_some_and(|t| t.is("which") || t.is("whom"))
}

/// The speaker phrase that ends just before `end` (the cue), not reaching below `floor`. Adverbs
/// and auxiliaries between the phrase and the verb are skipped ("Smith later told", "The Kremlin,
/// however, denied"), as are asides in commas ("Anwar Ibrahim, who hosted the summit, urged").
/// Returns `None` when there is no speaker phrase, or when the verb is negated ("have not said").
pub fn backward(tokens: &[Token], end: usize, floor: usize) -> Option<SpeakerPhrase> {
    let phrase_end = skip_to_phrase_end(tokens, end, floor)?;
    if phrase_end > floor && is_pronoun(&tokens[phrase_end - 1]) {
        return Some(SpeakerPhrase::plain(phrase_end - 1..phrase_end));
    }
    let plain = backward_plain(tokens, phrase_end, floor);
    if let Some(start) = plain.and_then(|p| over_name_list(tokens, p, phrase_end, floor)) {
        return Some(SpeakerPhrase::plain(start..phrase_end));
    }
    if let Some(start) = whole_subject_after_dateline(tokens, floor, phrase_end)
        && plain.is_none_or(|p| start < p)
    {
        return Some(SpeakerPhrase::plain(start..phrase_end));
    }
    if let Some(start) = plain {
        return Some(SpeakerPhrase::plain(start..phrase_end));
    }
    backward_in_commas(tokens, phrase_end, floor)
}

/// "a spokesman for the Department for Trade, Energy, Skills and Sport said": a body's name that
/// lists its portfolios in commas, where the walk back stopped at the last comma ("Skills and
/// Sport"). When single capitalised words in commas lead back to "of" or "for", returns the start
/// of the phrase before that preposition, so the whole name and its owner stay together.
fn over_name_list(tokens: &[Token], start: usize, end: usize, floor: usize) -> Option<usize> {
    let tail = &tokens[start..end];
    let capitalised_and = tail.first().is_some_and(|t| t.is_capitalised())
        && tail.last().is_some_and(|t| t.is_capitalised())
        && tail.iter().any(|t| t.is("and"))
        && tail.iter().all(|t| t.is_capitalised() || t.is("and"));
    if !capitalised_and {
        return None;
    }
    let mut k = start;
    while k >= floor + 2
        && tokens[k - 1].text == ","
        && tokens[k - 2].is_word()
        && tokens[k - 2].is_capitalised()
    {
        k -= 2;
    }
    if k == start || k < floor + 2 || !(tokens[k - 1].is("of") || tokens[k - 1].is("for")) {
        return None;
    }
    let head = backward_plain(tokens, k - 1, floor)?;
    tokens[head..k - 1]
        .iter()
        .any(|t| t.is_capitalised() && words::is_organisation_word(t.bare()))
        .then_some(head)
}

/// Steps back from the cue at `end` over what may stand between a subject and its verb (adverbs
/// and auxiliaries, a word in commas, a time phrase, a bracketed acronym) and returns where the
/// subject ends; `None` when a negation is met ("have not said"), since then nobody said it.
fn skip_to_phrase_end(tokens: &[Token], end: usize, floor: usize) -> Option<usize> {
    let mut i = end;
    let mut skipped = 0;
    loop {
        if i > floor && skipped < 3 && is_bridge_at(tokens, i - 1, floor) {
            if ["not", "never", "n't"].contains(&tokens[i - 1].lower().as_str()) {
                return None;
            }
            i -= 1;
            skipped += 1;
        } else if i >= floor + 3
            && tokens[i - 1].text == ","
            && tokens[i - 3].text == ","
            && is_parenthetical(&tokens[i - 2])
        {
            i -= 3;
        } else if i >= floor + 2
            && is_time_word(&tokens[i - 1])
            && ["on", "late", "early", "last", "this"].contains(&tokens[i - 2].lower().as_str())
        {
            i -= 2; // "The Kremlin on Thursday warned"
        } else if i >= floor + 2
            && !tokens[i - 1].is_capitalised()
            && ["yesterday", "today", "tonight"].contains(&tokens[i - 1].lower().as_str())
        {
            i -= 1; // "Britain yesterday warned"
        } else if i >= floor + 3 && tokens[i - 1].text == ")" && tokens[i - 3].text == "(" {
            i -= 3; // "the Greater Chennai Corporation (GCC) announced"
        } else {
            return Some(i);
        }
    }
}

/// `subject_shape`, tried from the sentence's start and then, when a dateline ("PINE RIDGE, Ore.
/// —", "OSLO, May 2 (Wire) -", "TUMKUR:") or a headline before one opens the sentence, from just
/// after the dateline's dash or colon: "PINE RIDGE, Ore. — A group of farmers in the valley said".
fn whole_subject_after_dateline(tokens: &[Token], floor: usize, end: usize) -> Option<usize> {
    subject_after_dateline(tokens, floor, end, true)
}

fn subject_after_dateline(
    tokens: &[Token],
    floor: usize,
    end: usize,
    noun_end: bool,
) -> Option<usize> {
    subject_shape(tokens, floor, end, noun_end).or_else(|| {
        let mark = dateline_end(tokens, floor, end)?;
        subject_shape(tokens, mark + 1, end, noun_end)
    })
}

/// The dash or colon closing a dateline between `floor` and `end`: the last such mark that has an
/// all-capitals place name of three letters or more within the eight tokens before it.
fn dateline_end(tokens: &[Token], floor: usize, end: usize) -> Option<usize> {
    let mark = (floor + 1..end)
        .rev()
        .find(|&k| matches!(tokens[k].text, "—" | "–" | "-" | ":"))?;
    tokens[floor.max(mark.saturating_sub(8))..mark]
        .iter()
        .any(|t| {
            t.is_word()
                && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !t.text.chars().any(char::is_lowercase)
        })
        .then_some(mark)
}

/// The speaker phrase when a segment in commas stands right before the verb ("X, Y, said"): either
/// an aside after the speaker or a name and role in apposition, told apart by the segment's shape.
fn backward_in_commas(tokens: &[Token], phrase_end: usize, floor: usize) -> Option<SpeakerPhrase> {
    if phrase_end <= floor + 2 || tokens[phrase_end - 1].text != "," {
        return None;
    }
    let (inner_start, inner) = comma_segment(tokens, phrase_end - 1, floor)?;
    let outer_start = outer_phrase_start(tokens, inner_start, floor);
    let appositive_shape = inner.len() <= 12
        && !tokens[inner.clone()]
            .iter()
            .any(|t| matches!(t.text, "—" | "–" | "(" | ")" | ";" | ":"));
    if !is_aside(tokens, inner.start) && !appositive_shape {
        return None;
    }
    if is_aside(tokens, inner.start) {
        let outer_start = match (
            outer_start,
            subject_after_dateline(tokens, floor, inner_start, false),
        ) {
            (Some(plain), Some(whole)) => Some(plain.min(whole)),
            (plain, whole) => plain.or(whole),
        };
        let outer = outer_start.map(|s| s..inner_start)?;
        return Some(speaker_before_aside(tokens, floor, outer));
    }
    let outer = outer_start.map(|s| s..inner_start);
    // "The chairman of the inquiry, retired judge Samuel Lagat, said": a role, then a description
    // and a name in commas. The description may look like an aside ("retired") and the role may
    // hold a name ("the CPI"), but the name closing the segment is the speaker.
    if let Some(outer) = outer.clone().filter(|o| opens_role(&tokens[o.start]))
        && let Some(name) = described_name(tokens, inner.clone())
    {
        return Some(SpeakerPhrase {
            phrase: outer,
            apposition: Some(name),
        });
    }
    apposition_pair(tokens, inner, outer)
}

/// A determiner or a possessive opening a phrase makes it a role ("the director of the festival",
/// "The ranchers' attorney", "Acme's chief engineer"), not a name.
fn opens_role(t: &Token) -> bool {
    is_determiner(t) || (t.is_word() && t.is_possessive())
}

/// "farm owner Michael Tobin", "retired judge Samuel Lagat", "Reno water lawyer Douglas Petrie": a
/// segment of at most four description words, the last a lower-case noun, closed by a name of two
/// words or more. Returns the name's range.
fn described_name(tokens: &[Token], segment: Range<usize>) -> Option<Range<usize>> {
    let words = &tokens[segment.clone()];
    let mut name = words
        .iter()
        .rev()
        .take_while(|t| is_name_word(t) || (t.is_word() && words::is_name_connector(t.text)))
        .count();
    // A particle cannot open the name ("van" in "lawyer van Loon" can, but is rare enough).
    while name > 0 && !is_name_word(&words[words.len() - name]) {
        name -= 1;
    }
    if name < 2 || name >= words.len() || words.len() - name > 4 {
        return None;
    }
    let descriptors = &words[..words.len() - name];
    let last = descriptors.last()?;
    let plain = |t: &Token| {
        t.is_word()
            && !is_preposition(t)
            && !is_determiner(t)
            && !t.is_possessive()
            // "state deputy Luciana Prestes": a title that is also a speech verb describes.
            && (!words::is_cue_verb(t.text) || words::is_title(t.text))
            && !AUXILIARIES.iter().any(|a| t.is(a))
            && !["who", "which", "and", "or", "named", "called", "by", "as"]
                .iter()
                .any(|w| t.is(w))
    };
    let name_range = segment.end - name..segment.end;
    let organisation = tokens[name_range.clone()]
        .iter()
        .any(|t| words::is_organisation_word(t.bare()));
    (descriptors.iter().all(plain)
        && !last.is_capitalised()
        && !words::is_name_connector(last.text)
        && !organisation)
        .then_some(name_range)
}

/// The comma that opens the segment closed by the comma at `inner_end`, and the segment's words.
/// "Priya Chauhan, 52, who was threatened …, said": an age in commas before it is stepped over.
/// `None` when there is no such comma within 30 tokens or the segment is empty.
fn comma_segment(
    tokens: &[Token],
    inner_end: usize,
    floor: usize,
) -> Option<(usize, Range<usize>)> {
    let mut inner_start = (floor.max(inner_end.saturating_sub(30))..inner_end)
        .rev()
        .find(|&k| tokens[k].text == ",")?;
    if inner_start >= floor + 2
        && is_parenthetical(&tokens[inner_start - 1])
        && tokens[inner_start - 2].text == ","
    {
        inner_start -= 2;
    }
    let inner = if tokens[inner_start + 1].text != "," {
        inner_start + 1..inner_end
    } else {
        inner_start + 3..inner_end
    };
    (!inner.is_empty()).then_some((inner_start, inner))
}

/// Where the phrase before a comma segment (ending at `inner_start`) begins: a plain phrase, a
/// pronoun, or an unnamed role with any modifiers ("Putin's longtime foreign affairs advisor").
fn outer_phrase_start(tokens: &[Token], inner_start: usize, floor: usize) -> Option<usize> {
    backward_plain(tokens, inner_start, floor)
        .or_else(|| {
            (inner_start > floor && is_pronoun(&tokens[inner_start - 1])).then(|| inner_start - 1)
        })
        .or_else(|| {
            let from = (floor..inner_start)
                .rev()
                .find(|&k| !tokens[k].is_word())
                .map_or(floor, |k| k + 1);
            (inner_start - from <= 8 && tokens[from..inner_start].iter().any(is_head_word))
                .then_some(from)
        })
}

/// The speaker when the comma segment is an aside: "Zelensky, speaking in Kyiv, urged" gives the
/// phrase before it (`outer`). But "Dawn Okafor, the MP for Stockton North, who organised the
/// letter, said": the name before an unnamed role is its apposition.
fn speaker_before_aside(tokens: &[Token], floor: usize, outer: Range<usize>) -> SpeakerPhrase {
    if outer.start > floor + 1 && tokens[outer.start - 1].text == "," {
        let names = tokens[floor..outer.start - 1]
            .iter()
            .rev()
            .take_while(|t| is_name_word(t) || words::is_name_connector(t.text))
            .count();
        if names >= 2
            && (!tokens[outer.clone()].iter().any(is_name_word)
                || is_determiner(&tokens[outer.start]))
        {
            return SpeakerPhrase {
                phrase: outer.clone(),
                apposition: Some(outer.start - 1 - names..outer.start - 1),
            };
        }
    }
    SpeakerPhrase::plain(outer)
}

/// The speaker when the comma segment `inner` is in apposition to the phrase before it (`outer`):
/// which of the two is the name and which the role ("The store's owner, Vikram Sethi, said" /
/// "Kenji Watanabe, Hinoda's president, said").
fn apposition_pair(
    tokens: &[Token],
    inner: Range<usize>,
    outer: Option<Range<usize>>,
) -> Option<SpeakerPhrase> {
    let inner_tokens = &tokens[inner.clone()];
    // "The independent candidate": a capitalised determiner is no name.
    let named = |r: &Range<usize>| {
        tokens[r.clone()]
            .iter()
            .any(|t| is_name_word(t) && !is_determiner(t))
    };
    let organisation = |r: &Range<usize>| {
        tokens[r.clone()]
            .iter()
            .any(|t| words::is_organisation_word(t.bare()))
    };
    let name_like =
        |t: &Token| t.is_capitalised() || !t.is_word() || words::is_name_connector(t.text);
    // "The site engineer for the contractor, Kwabena Owusu of Owusu-Bekoe Construction Ltd, said":
    // a name opening the segment, followed by its employer.
    let leading_name = inner_tokens.iter().take_while(|t| is_name_word(t)).count();
    if leading_name >= 2
        && inner_tokens
            .get(leading_name)
            .is_some_and(|t| ["of", "from", "at"].contains(&t.text))
        && let Some(outer) = outer
            .as_ref()
            .filter(|o| !tokens[o.start + 1..o.end].iter().any(is_name_word))
    {
        return Some(SpeakerPhrase {
            phrase: outer.clone(),
            apposition: Some(inner.start..inner.start + leading_name),
        });
    }
    // "Farmers in Rongai, Nakuru County, say": a place after "in PLACE" widens the place; a group
    // in a place takes no name in apposition.
    if let Some(o) = outer.as_ref()
        && let Some(p) = (o.start + 1..o.end).find(|&k| ["in", "at"].contains(&tokens[k].text))
        && (is_plural_noun(&tokens[p - 1])
            || (p - 1 == o.start && tokens[p - 1].lower().ends_with('s')))
        && tokens[p + 1..o.end].iter().all(|t| t.is_capitalised())
        && inner_tokens.iter().all(|t| t.is_capitalised())
    {
        return Some(SpeakerPhrase::plain(o.clone()));
    }
    if inner_tokens.iter().all(name_like) && named(&inner) {
        // "The store's owner, Vikram Sethi, said"
        return Some(match outer {
            Some(outer) => SpeakerPhrase {
                phrase: outer,
                apposition: Some(inner),
            },
            None => SpeakerPhrase::plain(inner),
        });
    }
    match outer {
        // "Kenji Watanabe, Hinoda's president, said" / "Jorge Antezana, a businessman from…, accused"
        Some(outer) if named(&outer) && !organisation(&outer) => Some(SpeakerPhrase {
            phrase: inner,
            apposition: Some(outer),
        }),
        outer => {
            // "The first witness, a neighbour named Mary Akinyi, said": a name closing the segment.
            let trailing_name = inner_tokens
                .iter()
                .rev()
                .take_while(|t| is_name_word(t))
                .count();
            if trailing_name >= 2 && !organisation(&(inner.end - trailing_name..inner.end)) {
                return Some(SpeakerPhrase {
                    phrase: inner.clone(),
                    apposition: Some(inner.end - trailing_name..inner.end),
                });
            }
            match outer {
                Some(outer) if named(&outer) => Some(SpeakerPhrase {
                    phrase: inner,
                    apposition: Some(outer),
                }),
                Some(outer) => Some(SpeakerPhrase::plain(outer)),
                None => None,
            }
        }
    }
}

/// Words that open a sentence's adverbial or subordinate clause, never its subject.
const NOT_SUBJECT_START: &[&str] = &[
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "since",
    "because",
    "although",
    "though",
    "during",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "under",
    "despite",
    "once",
    "until",
    "unless",
    "where",
    "how",
    "what",
    "why",
    "it",
    "there",
    "asked",
    "earlier",
    "later",
    "last",
    "then",
    "now",
    "today",
    "yesterday",
    "speaking",
    "asked",
    "meanwhile",
    "however",
    "instead",
    "separately",
    "but",
    "and",
    "so",
    "yet",
    "also",
    "still",
    "to",
    "of",
    "this",
    "that",
    "these",
    "late",
    "early",
    "overnight",
    "within",
    "without",
    "outside",
    "inside",
    "according",
];

/// Auxiliaries that show a verb inside a stretch, which a subject never holds.
/// True for an auxiliary or modal verb ("was", "will", "must"): a word no noun phrase contains.
pub fn is_auxiliary(t: &Token) -> bool {
    t.is_word() && AUXILIARIES.iter().any(|a| t.is(a))
}

const AUXILIARIES: &[&str] = &[
    "is", "was", "are", "were", "has", "have", "had", "will", "would", "been", "did", "does", "do",
    "can", "could", "should", "may", "might", "must", "not",
];

/// The start of a subject that fills the sentence up to the verb: "Church leaders on the island
/// said", "Residents reached by telephone said", "Hanoi police warned", "Officials from both
/// countries said". The stretch from `floor` (the sentence's start) to `end` must hold words only,
/// open like a noun phrase, carry no auxiliary or speech verb, and end in a noun.
/// `noun_end` is false when an aside in commas follows ("A porter on the
/// night shift, who asked not to be named, said"), which shows where the noun phrase ends.
fn subject_shape(tokens: &[Token], floor: usize, end: usize, noun_end: bool) -> Option<usize> {
    if end < floor + 2 || end > floor + 14 {
        return None;
    }
    let words = tokens.get(floor..end)?;
    let first = words.first()?;
    let last = words.last()?;
    let plain_words = words.iter().all(|t| {
        t.is_word()
            && !words::is_cue_verb(t.text)
            && !AUXILIARIES.iter().any(|a| t.is(a))
            && !["that", "which", "whose", "whom"].iter().any(|w| t.is(w))
    });
    let head = |t: &Token| {
        is_head_word(t)
            || (t.is_word() && !t.is_capitalised() && t.text.len() > 3 && t.text.ends_with('s'))
    };
    // A participle inside must introduce a phrase: "reached by", "arriving at".
    let participles_ok = words.iter().enumerate().all(|(k, t)| {
        let lower = t.lower();
        let participle = !t.is_capitalised()
            && (lower.ends_with("ed") || lower.ends_with("ing"))
            && lower.len() > 4
            && !words::is_np_adjective(&lower);
        // "Altenmoor's failed bid": a participle after an owner or determiner is an adjective.
        !participle
            || k == 0
            || words[k - 1].is_possessive()
            || is_determiner(&words[k - 1])
            || words
                .get(k + 1)
                .is_some_and(|n| is_preposition(n) || n.is("on") || n.is("by") || n.is("at"))
    });
    if joins_two_clauses(words) {
        return None;
    }
    let adverbial = NOT_SUBJECT_START.contains(&first.lower().as_str())
        || (first.is_capitalised() && words::is_capitalised_non_name(first.bare()));
    let opens = !adverbial;
    (plain_words
        && participles_ok
        && opens
        && (2..=14).contains(&words.len())
        && words.iter().any(head)
        && (!noun_end || ends_in_noun(words))
        && !is_preposition(last)
        && !is_determiner(last)
        && !last.is("and"))
    .then_some(floor)
}

/// "The centre opened at noon and the Red Cross says": a past verb, then "and"/"but" and a
/// determiner opening a second clause, whose subject alone speaks.
fn joins_two_clauses(words: &[Token]) -> bool {
    words.windows(2).enumerate().any(|(k, w)| {
        (w[0].is("and") || w[0].is("but"))
            && is_determiner(&w[1])
            && words[..k].iter().enumerate().any(|(j, t)| {
                let lower = t.lower();
                j > 0
                    && !t.is_capitalised()
                    && lower.ends_with("ed")
                    && lower.len() > 4
                    && !words::is_np_adjective(&lower)
                    && !is_determiner(&words[j - 1])
                    && !words.get(j + 1).is_some_and(|n| n.is("by")) // "reached by phone"
            })
    })
}

/// The last word of a subject is its head or the object of a preposition ("on the island", "by
/// telephone"); "Former footballer loses libel" ends in neither.
fn ends_in_noun(words: &[Token]) -> bool {
    let Some((last, rest)) = words.split_last() else {
        return false;
    };
    let head = is_head_word(last)
        || last.is_capitalised()
        || (last.text.chars().all(|c| c.is_ascii_digit())
            && rest.last().is_some_and(|t| t.is_capitalised()))
        || (last.text.len() > 3 && last.text.ends_with('s'));
    head || rest.last().is_some_and(|t| {
        is_preposition(t) || is_determiner(t) || t.is("by") || t.is("on") || t.is_capitalised()
    })
}

/// The start of a phrase ending at `end`, without skipping bridge words or trying appositions.
fn backward_plain(tokens: &[Token], end: usize, floor: usize) -> Option<usize> {
    let mut i = end;
    while i > floor && end - i < 9 {
        let t = &tokens[i - 1];
        if is_determiner(t) {
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
        // "and herders in Turkana say": a plural common noun before "in PLACE" is the head.
        if i < end
            && i >= floor + 2
            && ["in", "at", "from", "of"].contains(&t.lower().as_str())
            && tokens[i..end].iter().any(|w| w.is_capitalised())
            && is_plural_noun(&tokens[i - 2])
        {
            i -= 2;
            continue;
        }
        // "residents of Velachery and Madipakkam", "co-founder and CEO Priya Raman", "analyst
        // Jo Roe of Hollis & Grant".
        if (t.is("and") || t.text == "&")
            && i >= floor + 2
            && i < end
            && is_phrase_word(&tokens[i - 2])
            && is_phrase_word(&tokens[i])
            && (tokens[i - 2].is_capitalised() == tokens[i].is_capitalised()
                || words::is_title(tokens[i].text))
        {
            i -= 1;
            continue;
        }
        // "An emergency official", "The hackers": unknown words right after a determiner.
        if t.is_word()
            && !t.is_capitalised()
            && !words::is_cue_verb(t.text)
            && !is_bridge_at(tokens, i - 1, floor)
        {
            let det = (i.saturating_sub(6).max(floor)..i).rev().find(|&k| {
                tokens[k].is_word() && ["a", "an", "the"].contains(&tokens[k].lower().as_str())
            });
            if let Some(k) = det
                && tokens[k + 1..i]
                    .iter()
                    .all(|w| w.is_word() && !words::is_cue_verb(w.text) && !is_preposition(w))
            {
                i = k;
                // "A spokesman for the utility": continue past "for" as after a determiner.
                if i >= floor + 2
                    && is_preposition(&tokens[i - 1])
                    && is_phrase_word(&tokens[i - 2])
                {
                    i -= 1;
                    continue;
                }
                return Some(i);
            }
        }
        break;
    }
    while i < end && is_preposition(&tokens[i]) {
        i += 1;
    }
    (i < end && tokens[i..end].iter().any(is_head_word)).then_some(i)
}

/// The speaker phrase starting at `start`, not reaching `ceil`, with a name in apposition when one
/// follows in commas ("the minister, John Howard, …").
pub fn forward(tokens: &[Token], start: usize, ceil: usize) -> Option<SpeakerPhrase> {
    if start >= ceil {
        return None;
    }
    if is_pronoun(&tokens[start]) {
        return Some(SpeakerPhrase::plain(start..start + 1));
    }
    let mut i = start;
    // The last unknown word taken as a role noun, so that a second one may follow it ("hardware
    // shop owner Seán Gleeson").
    let mut role_noun_at = None;
    while i < ceil && i - start < 9 {
        let t = &tokens[i];
        // "Cambodia's minister for water resources, Hang Sokha": a portfolio after "for".
        let portfolio = |k: usize| {
            k < ceil
                && tokens[k].is_word()
                && !tokens[k].is_capitalised()
                && words::is_portfolio_noun(tokens[k].text)
        };
        let joins = is_determiner(t)
            || is_phrase_word(t)
            || (is_preposition(t)
                && i > start
                && i + 1 < ceil
                && (is_determiner(&tokens[i + 1])
                    || is_phrase_word(&tokens[i + 1])
                    || (t.is("for") && portfolio(i + 1))))
            || (i > start && portfolio(i) && (tokens[i - 1].is("for") || portfolio(i - 1)));
        if joins {
            i += 1;
        } else if t.is("and")
            && i > start
            && i + 1 < ceil
            && is_phrase_word(&tokens[i - 1])
            && is_phrase_word(&tokens[i + 1])
            && (words::is_title(tokens[i + 1].text) || portfolio_and(tokens, start, i))
        {
            i += 1; // "co-founder and CEO Priya Raman", "Director General of Minerals and Coal"
        } else if is_on_in_name(tokens, start, i, ceil) {
            i += 1; // "the Commission on Audit", "the Committee on Foreign Relations"
        } else if is_particle_in_name(tokens, start, i, ceil) {
            i += 1; // "chairman Bertrand de Sauveterre", "van Wyk told"
        } else if i > start
            && is_determiner(&tokens[i - 1])
            && t.is_word()
            && !t.is_capitalised()
            && !words::is_cue_verb(t.text)
            && i + 1 < ceil
            && is_phrase_word(&tokens[i + 1])
            && !tokens[i + 1].is_capitalised()
        {
            i += 1; // "in the besieged city"
        } else if (i == start || is_phrase_word(&tokens[i - 1]) || role_noun_at == Some(i - 1))
            && t.is_word()
            && !t.is_capitalised()
            && t.text.len() > 3
            && !words::is_cue_verb(t.text)
            && !is_bridge(t)
            && !is_preposition(t)
            && !is_determiner(t)
            && role_noun_before_name(tokens, i, ceil)
        {
            // "said chief restorer Paola Guerrini", "said pollster Gary Weintraub", "said flight
            // director Ingrid Sandvik": an unknown role noun before a name.
            role_noun_at = Some(i);
            i += 1;
        } else if is_determiner(&tokens[start])
            && t.is_word()
            && !t.is_capitalised()
            && !words::is_cue_verb(t.text)
            && (i + 1..(i + 3).min(ceil)).any(|k| tokens[k].text == ",")
        {
            // "the Optus Stadium curator, Ryan Kellow": an unknown role noun before a name.
            i += 1;
        } else {
            break;
        }
    }
    let mut end = i;
    while end > start && (is_preposition(&tokens[end - 1]) || is_determiner(&tokens[end - 1])) {
        end -= 1;
    }
    if end == start || !tokens[start..end].iter().any(is_head_word) {
        return None;
    }
    let mut apposition = None;
    if end < ceil && tokens[end].text == "," {
        let name_start = end + 1;
        let mut j = name_start;
        while j < ceil
            && tokens[j].is_capitalised()
            && !words::is_capitalised_non_name(tokens[j].bare())
        {
            j += 1;
        }
        let closes = j >= ceil || !tokens[j].is_word();
        // "Mr Dorgan's father, Tadhg Dorgan": an owner and role nouns are a role too.
        let owned_role = tokens[start..end]
            .iter()
            .rposition(Token::is_possessive)
            .is_some_and(|p| {
                start + p + 1 < end
                    && tokens[start + p + 1..end]
                        .iter()
                        .all(|t| !t.is_capitalised())
            });
        let role_first = !tokens[start..end].iter().any(is_name_word)
            || is_determiner(&tokens[start])
            || (tokens[start].is_possessive() && tokens[start].is_capitalised())
            || owned_role;
        if j > name_start && closes && role_first && tokens[name_start..j].iter().any(is_name_word)
        {
            apposition = Some(name_start..j);
        } else if role_first && opens_role(&tokens[start]) {
            // "said the camp's coordinator, teacher Amanda Reilly, …"
            let close = (name_start..ceil.min(name_start + 8))
                .find(|&k| !tokens[k].is_word())
                .unwrap_or(ceil.min(name_start + 8));
            if close >= ceil || !tokens[close].is_word() {
                apposition = described_name(tokens, name_start..close);
            }
        }
    }
    Some(SpeakerPhrase {
        phrase: start..end,
        apposition,
    })
}

/// True when the unknown word at `i` is followed by a name of two words, or by a title and such a
/// name: the word is a role noun ("pollster Gary Weintraub", "flight director Ingrid Sandvik").
fn role_noun_before_name(tokens: &[Token], i: usize, ceil: usize) -> bool {
    let name_at =
        |k: usize| k + 1 < ceil && is_name_word(&tokens[k]) && is_name_word(&tokens[k + 1]);
    // Up to three more role words may stand between: unknown nouns and titles of either case
    // ("utility planning manager Rodrigo Fuenzalida", "junta spokesman Colonel Issoufou Garba").
    let mut k = i + 1;
    while k < ceil && k <= i + 3 && !name_at(k) {
        let t = &tokens[k];
        let title = t.is_word() && words::is_title(t.bare().trim_end_matches('.'));
        let noun = t.is_word()
            && !t.is_capitalised()
            && t.text.len() > 3
            && !t.is_possessive()
            && !words::is_cue_verb(t.text)
            && !is_bridge(t)
            && !is_preposition(t)
            && !is_determiner(t)
            && !AUXILIARIES.iter().any(|a| t.is(a))
            && !["and", "or", "who", "which", "that", "with"]
                .iter()
                .any(|w| t.is(w));
        if !(title || noun) {
            return false;
        }
        k += 1;
    }
    name_at(k)
}

/// "Minerals and Coal" in "Director General of Minerals and Coal": "and" between capitalised
/// words after an "of" in the phrase joins the parts of a portfolio or body's name.
fn portfolio_and(tokens: &[Token], start: usize, i: usize) -> bool {
    tokens[i - 1].is_capitalised()
        && tokens[i + 1].is_capitalised()
        && tokens[start..i].iter().any(|t| t.is("of"))
}

/// "on" inside a body's name: after a capitalised organisation word and before a capitalised word
/// that is no day ("the Commission on Audit", but not "said the Commission on Monday").
fn is_on_in_name(tokens: &[Token], start: usize, i: usize, ceil: usize) -> bool {
    i > start
        && i + 1 < ceil
        && tokens[i].is("on")
        && tokens[i - 1].is_capitalised()
        && words::is_organisation_word(&tokens[i - 1].lower())
        && is_name_word(&tokens[i + 1])
        && !is_time_word(&tokens[i + 1])
}

/// A lower-case particle inside a person's name ("Bertrand de Sauveterre", "Ursula von der
/// Leyen"), or opening it ("van Wyk told"): after a name word or at the phrase's start, and before
/// a capitalised name (possibly after a second particle).
fn is_particle_in_name(tokens: &[Token], start: usize, i: usize, ceil: usize) -> bool {
    let t = &tokens[i];
    if !t.is_word() || t.is_capitalised() || !words::is_name_connector(t.text) || t.is("y") {
        return false;
    }
    let after = i == start || is_name_word(&tokens[i - 1]);
    let mut k = i + 1;
    if k < ceil && tokens[k].is_word() && words::is_name_connector(tokens[k].text) {
        k += 1;
    }
    after && k < ceil && is_name_word(&tokens[k])
}

/// The index of the cue verb after a speaker phrase, skipping bridges and an aside in commas
/// ("Kenji Watanabe, Hinoda's president, said"); `None` when no cue follows.
pub fn cue_after(tokens: &[Token], phrase: &SpeakerPhrase, ceil: usize) -> Option<usize> {
    let mut j = phrase.end();
    if j + 2 < ceil && tokens[j].text == "(" && tokens[j + 2].text == ")" {
        j += 3; // "the Doñana Biological Station (EBD-CSIC) confirmed"
    }
    if j + 1 < ceil && tokens[j].text == "," && is_cue(tokens, j + 1) {
        j += 1; // "the lead prosecutor, Catherine Njeri, told"
    } else if j < ceil && tokens[j].text == "," {
        let close = (j + 1..ceil.min(j + 16)).find(|&k| tokens[k].text == ",")?;
        j = close + 1;
    }
    while j < ceil && is_bridge(&tokens[j]) {
        if ["not", "never"].contains(&tokens[j].lower().as_str()) {
            return None;
        }
        j += 1;
    }
    (j < ceil && is_cue(tokens, j)).then_some(j)
}

/// True when the token at `c` is a speech verb used as a verb: "Putin's warning" and "the demands"
/// are nouns.
pub fn is_cue(tokens: &[Token], c: usize) -> bool {
    let t = &tokens[c];
    if !t.is_word() || !words::is_cue_verb(t.text) {
        return false;
    }
    let Some(prev) = c.checked_sub(1).map(|k| &tokens[k]) else {
        return true;
    };
    let noun_context = prev.is_word()
        && (prev.is_possessive()
            || [
                "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this",
                "these", "those", "such", "any", "no", "of", "whose",
            ]
            .contains(&prev.lower().as_str()));
    // "a separate claim", "a stark warning": an indefinite article two words back makes a noun.
    let indefinite = c >= 2
        && ["a", "an"].contains(&tokens[c - 2].lower().as_str())
        && prev.is_word()
        && !prev.is_capitalised();
    !noun_context && !indefinite
}

/// `is_bridge` for the token at `k`, except that a word in "-ly" right after a determiner or a
/// possessive is a noun, not an adverb: "The family said", "the man's family said".
fn is_bridge_at(tokens: &[Token], k: usize, floor: usize) -> bool {
    let t = &tokens[k];
    if !is_bridge(t) {
        return false;
    }
    let ly_noun = !words::is_bridge_word(t.text)
        && k > floor
        && (is_determiner(&tokens[k - 1]) || tokens[k - 1].is_possessive());
    !ly_noun
}

/// Adverbs and auxiliaries allowed between a speaker and the speech verb.
pub fn is_bridge(t: &Token) -> bool {
    t.is_word()
        && !t.is_capitalised()
        && (words::is_bridge_word(t.text) || (t.text.len() > 4 && t.text.ends_with("ly")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokens::tokenize;

    fn text_of(tokens: &[Token], r: Range<usize>) -> String {
        tokens[r]
            .iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn back(text: &str) -> (String, Option<String>) {
        let tokens = tokenize(text);
        let found = backward(&tokens, tokens.len() - 1, 0).expect(text);
        (
            text_of(&tokens, found.phrase.clone()),
            found.apposition.map(|a| text_of(&tokens, a)),
        )
    }

    #[test]
    fn backward_phrases() {
        assert_eq!(
            back("Kremlin spokesperson Dmitry Peskov told").0,
            "Kremlin spokesperson Dmitry Peskov"
        );
        assert_eq!(back("Speaking in Moscow , Putin later said").0, "Putin");
        assert_eq!(back("But he said").0, "he");
        assert_eq!(
            back("a spokesman for the Kremlin said").0,
            "a spokesman for the Kremlin"
        );
        assert_eq!(
            back("the country's health minister warned").0,
            "the country's health minister"
        );
        assert_eq!(
            back("An emergency official described").0,
            "An emergency official"
        );
        assert_eq!(back("The Kremlin, however, denied").0, "The Kremlin");
    }

    #[test]
    fn backward_phrases_with_commas() {
        assert_eq!(
            back("The store's owner, Vikram Sethi, said"),
            ("The store's owner".into(), Some("Vikram Sethi".into()))
        );
        assert_eq!(
            back("Anwar Ibrahim, who hosted the summit, urged").0,
            "Anwar Ibrahim"
        );
        assert_eq!(
            back("Kenji Watanabe, Hinoda's president, said").1,
            Some("Kenji Watanabe".into())
        );
        assert_eq!(back("Chuck Schumer, D-N.Y., said").0, "Chuck Schumer");
        assert_eq!(
            back("The first witness, a neighbour named Mary Akinyi, said").1,
            Some("Mary Akinyi".into())
        );
    }

    #[test]
    fn determiner_or_possessive_with_ly_noun_is_the_speaker() {
        assert_eq!(back("The family said").0, "The family");
        assert_eq!(back("His family said").0, "His family");
        assert_eq!(back("the man's family said").0, "the man's family");
        assert_eq!(back("Smith angrily said").0, "Smith");
    }

    #[test]
    fn second_clause_after_a_past_verb_and_a_determiner_gives_the_subject() {
        assert_eq!(
            back("The shelter opened at noon and the Red Cross says").0,
            "the Red Cross"
        );
        assert_eq!(
            back("Residents reached by telephone and the mayor said").0,
            "Residents reached by telephone and the mayor"
        );
    }

    #[test]
    fn body_name_listing_portfolios_in_commas_stays_whole() {
        assert_eq!(
            back("A spokesman for the Department for Trade, Energy, Skills and Sport said").0,
            "A spokesman for the Department for Trade , Energy , Skills and Sport"
        );
        assert_eq!(
            back("An official at the Ministry of Water, Land and Forests said").0,
            "An official at the Ministry of Water , Land and Forests"
        );
    }

    #[test]
    fn plural_group_in_place_is_the_speaker() {
        assert_eq!(back("and herders in Turkana say").0, "herders in Turkana");
        assert_eq!(
            back("But hoteliers in Trastevere say").0,
            "hoteliers in Trastevere"
        );
        assert_eq!(
            back("Farmers in Rongai, Nakuru County, say"),
            ("Farmers in Rongai".into(), None)
        );
    }

    #[test]
    fn whole_subject_after_a_dateline_or_a_headline_keeps_its_head() {
        assert_eq!(
            back("PINE RIDGE, Ore. — A group of sheep farmers in the lower Alder valley said").0,
            "A group of sheep farmers in the lower Alder valley"
        );
        assert_eq!(
            back("OSLO, May 2 (Wire) - Dock workers camped on the edge of Bergen said").0,
            "Dock workers camped on the edge of Bergen"
        );
        assert_eq!(
            back("TUMKUR: Growers in the dry villages of the Kavari canal have threatened").0,
            "Growers in the dry villages of the Kavari canal"
        );
    }

    #[test]
    fn whole_subject_before_an_aside_in_commas() {
        assert_eq!(
            back("A porter on the night shift, who asked not to be named, said").0,
            "A porter on the night shift"
        );
        assert_eq!(
            back("Tile makers in the Dunmore trade park, many of which export, said").0,
            "Tile makers in the Dunmore trade park"
        );
    }

    #[test]
    fn whole_subject_with_a_relative_clause() {
        assert_eq!(
            back("A group of tenants who came from Leeds for the vote said").0,
            "A group of tenants who came from Leeds for the vote"
        );
    }

    #[test]
    fn apposition_of_name_with_employer() {
        assert_eq!(
            back(
                "The site engineer for the contractor, Kwabena Owusu of Owusu-Bekoe Construction Ltd, said"
            ),
            (
                "The site engineer for the contractor".into(),
                Some("Kwabena Owusu".into())
            )
        );
    }

    #[test]
    fn negated_verbs_have_no_speaker() {
        let tokens = tokenize("Police have not said");
        assert!(backward(&tokens, tokens.len() - 1, 0).is_none());
    }

    #[test]
    fn forward_phrases_with_apposition() {
        let tokens = tokenize("the minister, John Howard.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(text_of(&tokens, found.phrase), "the minister");
        assert_eq!(
            text_of(&tokens, found.apposition.expect("apposition")),
            "John Howard"
        );
        let tokens = tokenize("a spokeswoman for the ministry on Tuesday.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(
            text_of(&tokens, found.phrase),
            "a spokeswoman for the ministry"
        );
        let tokens = tokenize("its national medical director, Professor Alan Reeve.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(
            text_of(&tokens, found.apposition.expect("apposition")),
            "Professor Alan Reeve"
        );
    }

    #[test]
    fn a_role_then_a_described_name_in_commas_gives_the_name() {
        assert_eq!(
            back("The head of the tribunal, retired judge Ewan Marsh, said"),
            ("The head of the tribunal".into(), Some("Ewan Marsh".into()))
        );
        assert_eq!(
            back("The chair of the NRB, councillor Mia Lund, said"),
            ("The chair of the NRB".into(), Some("Mia Lund".into()))
        );
        assert_eq!(
            back("The rapporteur of the inquiry, state deputy Ana Lobo, said").1,
            Some("Ana Lobo".into())
        );
        assert_eq!(
            back("The tenants' lawyer, Leeds housing solicitor Omar Reid, said").1,
            Some("Omar Reid".into())
        );
        let tokens = tokenize("the club's physio, former sprinter Kay Obi, told the panel.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(text_of(&tokens, found.phrase), "the club's physio");
        assert_eq!(
            text_of(&tokens, found.apposition.expect("apposition")),
            "Kay Obi"
        );
    }

    #[test]
    fn an_owner_and_a_role_take_the_name_in_commas_after_them() {
        let tokens = tokenize("Mr Kane's brother, Liam Kane, said outside court.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(
            text_of(&tokens, found.apposition.expect("apposition")),
            "Liam Kane"
        );
    }

    #[test]
    fn several_role_words_before_a_name_after_the_cue() {
        for (text, phrase) in [
            (
                "hardware shop owner Ronan Keane.",
                "hardware shop owner Ronan Keane",
            ),
            (
                "junta spokesman Colonel Amadou Sidibe said.",
                "junta spokesman Colonel Amadou Sidibe",
            ),
            (
                "water utility planning manager Ines Vidal said.",
                "water utility planning manager Ines Vidal",
            ),
        ] {
            let tokens = tokenize(text);
            let found = forward(&tokens, 0, tokens.len()).expect("phrase");
            assert_eq!(text_of(&tokens, found.phrase), phrase);
        }
    }

    #[test]
    fn a_participle_after_an_owner_is_an_adjective_in_a_subject() {
        assert_eq!(
            back("The head of Altona's failed bid for the 2030 Games denied").0,
            "The head of Altona's failed bid for the 2030 Games"
        );
    }

    #[test]
    fn a_portfolio_after_for_belongs_to_the_role_before_a_name() {
        let tokens = tokenize("Laos's minister for water resources, Sone Vilay.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(
            text_of(&tokens, found.phrase),
            "Laos's minister for water resources"
        );
        assert_eq!(
            text_of(&tokens, found.apposition.expect("apposition")),
            "Sone Vilay"
        );
    }

    #[test]
    fn unknown_role_noun_between_title_and_name() {
        let tokens = tokenize("chief restorer Paola Guerrini, who led the team.");
        let found = forward(&tokens, 0, tokens.len()).expect("phrase");
        assert_eq!(
            text_of(&tokens, found.phrase),
            "chief restorer Paola Guerrini"
        );
    }

    #[test]
    fn nouns_are_not_cues() {
        let tokens = tokenize("Putin's warning comes as the demands grow and he warned");
        let cues: Vec<&str> = (0..tokens.len())
            .filter(|&c| is_cue(&tokens, c))
            .map(|c| tokens[c].text)
            .collect();
        assert_eq!(cues, vec!["warned"]);
    }
}
