//! Reported (indirect) speech: the content clause a speech verb governs.
//!
//! Patterns, tried in this order within one sentence:
//! 1. `According to X, CLAUSE.` and `CLAUSE, according to X.`
//! 2. `CLAUSE, X said.` / `CLAUSE, said X.`
//! 3. `X said (that) CLAUSE.`, `X accused Y of …`, `X urged Y to …`, `X denied …`, `…, saying that …`;
//!    coordinated cues (`X denied A and said B`, `X said A, adding that B`) give one row each.
//!
//! The span is the reported content, never the cue; it ends at the sentence's end (final full stop
//! excluded), before a trailing attribution, or before the next coordinated cue. Direct quotations
//! are never part of a reported span.

use super::marks::Quotation;
use super::phrases::{self, SpeakerPhrase};
use super::{Article, Source};
use crate::extract::segment::Span;
use crate::extract::tokens::Token;
use crate::extract::words;

pub(super) struct Found {
    pub span: Span,
    pub cue: String,
    pub source: Source,
}

/// Verbs whose object comes before the reported content ("told reporters (that) …").
const TAKES_OBJECT: &[&str] = &["tell", "assure", "inform", "remind", "reassure", "brief"];

/// Verbs whose content is everything after them ("accused Y of …", "urged Y to …", "denied …").
const CONTENT_AFTER: &[&str] = &[
    "accuse", "urge", "ask", "deny", "threaten", "vow", "pledge", "promise", "demand", "insist",
    "claim", "say", "warn", "predict", "beg", "implore", "advise", "instruct", "order", "tell",
    "assure", "inform", "allege", "admit",
];

/// Words that may stand between a cue and its "that": "said on Tuesday in a statement that".
const BEFORE_THAT: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "a",
    "an",
    "the",
    "its",
    "his",
    "her",
    "their",
    "last",
    "this",
    "late",
    "early",
    "earlier",
    "later",
    "statement",
    "interview",
    "news",
    "conference",
    "press",
    "briefing",
    "post",
    "video",
    "speech",
    "letter",
    "filing",
    "court",
    "hearing",
    "message",
    "email",
    "e-mail",
    "appearance",
    "radio",
    "television",
    "tv",
    "broadcast",
    "report",
    "preliminary",
    "written",
    "joint",
    "brief",
    "reporters",
    "journalists",
    "also",
    "privately",
    "publicly",
    "repeatedly",
    "again",
    "previously",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "weekend",
    "day",
    "today",
    "yesterday",
    "separately",
    "officially",
    "with",
    "to",
    "via",
    "online",
    "social",
    "media",
    "parliament",
    "lawmakers",
    "investors",
    "analysts",
    "staff",
    "workers",
    "members",
    "supporters",
    "correspondents",
    "regular",
    "televised",
    "emailed",
    "a.m.",
    "p.m.",
    "suggestions",
    "claims",
    "reports",
    "allegations",
    "accusations",
    "speculation",
    "fears",
    "the",
    "gallery",
    "jury",
    "court",
    "out",
    "up",
    "website",
    "page",
    "site",
    "blog",
    "account",
    "newsletter",
    "podcast",
    "programme",
    "program",
    "show",
];

/// Prepositions that cannot open reported content: "he said in a video" is not reported speech.
const NOT_CONTENT_START: &[&str] = &[
    "in", "on", "at", "by", "after", "during", "before", "outside", "from", "with", "via",
    "through", "while", "as", "when", "inside", "near", "earlier", "later", "last",
];

/// The reported speech in `sentence`, in order.
pub(super) fn find(
    article: &Article,
    sentence: Span,
    direct: &[Quotation],
    all: &[Quotation],
) -> Vec<Found> {
    let tokens = &article.tokens;
    let first = article.token_at(sentence.start);
    let last = article.token_at(sentence.end);
    if first >= last {
        return Vec::new();
    }
    let in_quote = |pos: usize| contains(all, pos);
    if (first..last).all(|i| contains(direct, tokens[i].start)) {
        return Vec::new();
    }
    let found = match according_to(article, first, last, &in_quote)
        .or_else(|| trailing_attribution(article, first, last, &in_quote))
    {
        Some(found) => vec![found],
        None => leading_cues(article, sentence, first, last, all),
    };
    found
        .into_iter()
        .filter_map(|f| finish(article, f, direct))
        .collect()
}

/// True when `pos` is inside one of `quotations` (sorted by position, not overlapping).
fn contains(quotations: &[Quotation], pos: usize) -> bool {
    let k = quotations.partition_point(|q| q.close_end <= pos);
    quotations
        .get(k)
        .is_some_and(|q| q.open <= pos && pos < q.close_end)
}

/// Trims the span, cuts it before a direct quotation, and rejects what is too short to be content.
fn finish(article: &Article, mut found: Found, direct: &[Quotation]) -> Option<Found> {
    let text = article.text;
    let k = direct.partition_point(|q| q.close_end <= found.span.start);
    for q in &direct[k..] {
        if q.open >= found.span.end {
            break;
        }
        if q.open <= found.span.start {
            return None;
        }
        found.span.end = found.span.end.min(q.open);
    }
    // Trim white space, the final full stop and dangling commas; keep the closing mark of a quoted
    // fragment at the end (`… "at the moment."`).
    let slice = &text[found.span.start..found.span.end];
    let ends_with_mark = slice.trim_end().ends_with(['”', '"', '’', '»', '\'']);
    let trimmed = if ends_with_mark {
        slice.trim_end()
    } else {
        slice.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '—' | '–' | '-')
        })
    };
    let lead = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
            .len();
    found.span = Span::new(found.span.start + lead, found.span.start + trimmed.len());
    // "called for hearings", "denied wrongdoing": a noun phrase may be one word.
    let words = text[found.span.start..found.span.end]
        .split_whitespace()
        .count();
    let noun_phrase_cue = ["call", "deny", "urge", "accuse", "demand", "reject"]
        .iter()
        .any(|c| found.cue.starts_with(&c[..c.len().min(4)]));
    (words >= 2 || (words == 1 && noun_phrase_cue)).then_some(found)
}

fn according_to(
    article: &Article,
    first: usize,
    last: usize,
    in_quote: &dyn Fn(usize) -> bool,
) -> Option<Found> {
    let tokens = &article.tokens;
    let k = (first..last.saturating_sub(1)).find(|&i| {
        tokens[i].is("according") && tokens[i + 1].is("to") && !in_quote(tokens[i].start)
    })?;
    let sentence_end = tokens[last - 1].end;
    let opens_sentence = k == first
        || (k == first + 1
            && ["but", "and", "yet", "still", "however"].contains(&tokens[first].lower().as_str()));
    if opens_sentence {
        // According to X, CLAUSE.
        let comma = (k + 2..last).find(|&i| tokens[i].text == ",")?;
        let (phrase, comma) = match apposed_source(tokens, k + 2, comma, last) {
            Some(found) => found,
            None => (source_phrase(tokens, k + 2, comma)?, comma),
        };
        let start = tokens.get(comma + 1).filter(|_| comma + 1 < last)?.start;
        return Some(Found {
            span: Span::new(start, sentence_end),
            cue: "according to".into(),
            source: Source::Phrase(phrase),
        });
    }
    if k > first && tokens[k - 1].text == "," {
        // CLAUSE, according to X.
        let end = (k + 2..last)
            .find(|&i| tokens[i].text == "," || !tokens[i].is_word() && i + 1 == last)
            .unwrap_or(last);
        let phrase = source_phrase(tokens, k + 2, end)?;
        return Some(Found {
            span: Span::new(
                tokens[after_dateline(tokens, first, k)].start,
                tokens[k - 1].start,
            ),
            cue: "according to".into(),
            source: Source::Phrase(phrase),
        });
    }
    None
}

/// "According to the mediator, Mr. Salif Ouedraogo, CLAUSE" / "According to Jane Doe, its director,
/// CLAUSE": a name or a role in apposition after the source, set off by a second comma, belongs to
/// the source, not to the content. Returns the source and the comma that closes the apposition.
fn apposed_source(
    tokens: &[Token],
    start: usize,
    comma: usize,
    last: usize,
) -> Option<(SpeakerPhrase, usize)> {
    let close = (comma + 1..last.min(comma + 12)).find(|&i| tokens[i].text == ",")?;
    // Role first, name in apposition: the phrase walker takes the name when commas close it.
    if let Some(phrase) = phrases::forward(tokens, start, close + 1)
        && phrase.phrase.end == comma
        && phrase.apposition.as_ref().is_some_and(|a| a.end == close)
    {
        return Some((phrase, close));
    }
    // Name first, role in apposition: a run of names, then a determiner phrase of roles.
    let names = &tokens[start..comma];
    let all_names = names
        .iter()
        .all(|t| t.is_capitalised() && !words::is_capitalised_non_name(t.bare()));
    if !all_names || !names.iter().any(|t| !words::is_title(t.bare())) {
        return None;
    }
    let role = phrases::forward(tokens, comma + 1, close)?;
    let role_first = &tokens[comma + 1];
    let opens_role = phrases::is_determiner(role_first)
        || (!role_first.is_capitalised() && words::is_title(role_first.text));
    // "the director of the museum": a prepositional tail the tables do not know, with no verb.
    let tail_ok = role.end() == close
        || (["of", "for", "at", "in"].contains(&tokens[role.end()].lower().as_str())
            && close - role.end() <= 6
            && tokens[role.end()..close]
                .iter()
                .all(|t| t.is_word() && !words::is_cue_verb(t.text) && !phrases::is_auxiliary(t)));
    (opens_role && tail_ok && role.apposition.is_none()).then_some((
        SpeakerPhrase {
            phrase: start..comma,
            apposition: None,
        },
        close,
    ))
}

/// The source named after "according to": a speaker phrase, or else the last capitalised name in
/// the stretch ("figures published by the British Antarctic Survey"), or else the stretch itself.
fn source_phrase(tokens: &[Token], start: usize, end: usize) -> Option<SpeakerPhrase> {
    let end = end.min(tokens.len());
    if start >= end {
        return None;
    }
    if let Some(phrase) = phrases::forward(tokens, start, end)
        && (phrase.end() + 2 >= end || tokens[phrase.end()].text == ",")
    {
        return Some(phrase);
    }
    let caps: Vec<usize> = (start..end)
        .filter(|&i| tokens[i].is_capitalised())
        .collect();
    if let Some(&last_cap) = caps.last() {
        let mut s = last_cap;
        while s > start
            && (tokens[s - 1].is_capitalised()
                || (tokens[s - 1].is("of") && s >= start + 2 && tokens[s - 2].is_capitalised()))
        {
            s -= 1;
        }
        if s > start && tokens[s - 1].is("the") {
            s -= 1;
        }
        return Some(SpeakerPhrase {
            phrase: s..last_cap + 1,
            apposition: None,
        });
    }
    Some(SpeakerPhrase {
        phrase: start..end,
        apposition: None,
    })
}

/// The first token after a dateline opening the sentence ("TORONTO —", "LONDON (Meridian) —",
/// "SEOUL, Oct 19 (Wire) -").
fn after_dateline(tokens: &[Token], first: usize, limit: usize) -> usize {
    let caps = tokens[first].is_word()
        && tokens[first]
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .count()
            >= 3
        && !tokens[first].text.chars().any(char::is_lowercase);
    if !caps {
        return first;
    }
    (first..limit.min(first + 8))
        .find(|&k| matches!(tokens[k].text, "—" | "–" | "-"))
        .map_or(first, |k| k + 1)
}

/// CLAUSE, X said. / CLAUSE, said X. (the attribution closes the sentence)
fn trailing_attribution(
    article: &Article,
    first: usize,
    last: usize,
    in_quote: &dyn Fn(usize) -> bool,
) -> Option<Found> {
    let tokens = &article.tokens;
    let end = if last > first && !tokens[last - 1].is_word() {
        last - 1
    } else {
        last
    };
    // The attribution is short: at most a dozen tokens after one of the clause's last two commas
    // ("…, officials said Saturday, the largest haul on record").
    let commas = (first + 1..end)
        .rev()
        .take(20)
        .filter(|&i| tokens[i].text == "," && !in_quote(tokens[i].start))
        .take(2);
    commas
        .into_iter()
        .find_map(|comma| trailing_at(article, first, end, comma, in_quote))
}

/// Lemmas that may close a sentence as its attribution ("…, officials said").
const TRAILING_CUES: &[&str] = &[
    "say",
    "tell",
    "add",
    "warn",
    "insist",
    "claim",
    "argue",
    "stress",
    "note",
    "explain",
    "write",
    "report",
    "announce",
    "state",
    "predict",
    "estimate",
    "confirm",
    "admit",
    "concede",
    "acknowledge",
    "suggest",
    "believe",
    "reply",
    "respond",
    "maintain",
    "contend",
    "allege",
    "assert",
    "declare",
    "caution",
    "complain",
];

/// The attribution after the comma at `comma`, when it closes the sentence: the clause before it.
fn trailing_at(
    article: &Article,
    first: usize,
    end: usize,
    comma: usize,
    in_quote: &dyn Fn(usize) -> bool,
) -> Option<Found> {
    let tokens = &article.tokens;
    if (comma + 1..end).any(|i| in_quote(tokens[i].start)) {
        return None;
    }
    let (cue, phrase) = trailing_speaker(tokens, comma, end)?;
    if !only_circumstance_after(tokens, cue, end) {
        return None;
    }
    let lemma = words::cue_lemma(tokens[cue].text)?;
    if !TRAILING_CUES.contains(&lemma) {
        return None;
    }
    if (first..comma).filter(|&i| tokens[i].is_word()).count() < 3 {
        return None;
    }
    Some(Found {
        span: Span::new(
            tokens[after_dateline(tokens, first, comma)].start,
            tokens[comma].start,
        ),
        cue: tokens[cue].lower(),
        source: Source::Phrase(phrase),
    })
}

/// The cue and speaker of an attribution opening after `comma`: "…, said the minister." or
/// "…, the minister said.".
fn trailing_speaker(tokens: &[Token], comma: usize, end: usize) -> Option<(usize, SpeakerPhrase)> {
    if tokens
        .get(comma + 1)
        .is_some_and(|t| t.is_word() && !t.is_capitalised() && words::is_cue_verb(t.text))
    {
        // "…, said the minister." — nothing but circumstances may follow the speaker.
        let phrase = phrases::forward(tokens, comma + 2, end)?;
        let after = phrase.end();
        if after < end
            && !(tokens[after].text == ","
                || NOT_CONTENT_START.contains(&tokens[after].lower().as_str()))
        {
            return None;
        }
        Some((comma + 1, phrase))
    } else {
        match phrases::forward(tokens, comma + 1, end) {
            Some(phrase) => Some((phrases::cue_after(tokens, &phrase, end)?, phrase)),
            None => plain_subject(tokens, comma + 1, end),
        }
    }
}

/// "…, traders said.", "…, the prefecture said.": a short noun phrase that the speaker tables do
/// not know, between the comma and a cue that ends the sentence. Words only, no pronoun but a
/// determiner, no verb but the cue.
fn plain_subject(tokens: &[Token], from: usize, end: usize) -> Option<(usize, SpeakerPhrase)> {
    let cue = (from..end.min(from + 7)).find(|&k| phrases::is_cue(tokens, k))?;
    let noun_like = |t: &Token| {
        let lower = t.lower();
        // "leaving Mr Whitcombe facing": a participle opens a clause, not a subject.
        let participle = lower.ends_with("ing") && lower.len() > 5;
        t.is_word()
            && !participle
            && !words::is_cue_verb(t.text)
            && !NOT_CONTENT_START.contains(&lower.as_str())
            && !["who", "which", "that", "it", "they", "we", "this", "there"]
                .contains(&lower.as_str())
    };
    // "Developer paid councillor, jury told": a headline's passive "told" has no addressee.
    let passive_told = tokens[cue].is("told") && cue + 1 >= end;
    if tokens[from].is("and") || tokens[from].is("but") || passive_told {
        return None;
    }
    (cue > from && tokens[from..cue].iter().all(noun_like)).then_some({
        (
            cue,
            SpeakerPhrase {
                phrase: from..cue,
                apposition: None,
            },
        )
    })
}

/// After the cue, only a few words of circumstance: "…, officials said on Saturday.".
fn only_circumstance_after(tokens: &[Token], cue: usize, end: usize) -> bool {
    let tail = (cue + 1..end)
        .take_while(|&i| tokens[i].text != ",")
        .count();
    if tail > 6 || (cue + 1..end).any(|i| tokens[i].is("that")) {
        return false;
    }
    match tokens.get(cue + 1).filter(|_| cue + 1 < end) {
        // "…, Sunil Mehra, said the company was thrilled": a new clause follows.
        Some(next) => {
            !next.is_word()
                || next.is_capitalised()
                || NOT_CONTENT_START.contains(&next.lower().as_str())
                || [
                    "reporters",
                    "journalists",
                    "today",
                    "yesterday",
                    "late",
                    "early",
                ]
                .contains(&next.lower().as_str())
        }
        None => true,
    }
}

/// X said (that) CLAUSE, and its relatives, each coordinated cue giving its own row.
fn leading_cues(
    article: &Article,
    sentence: Span,
    first: usize,
    last: usize,
    all: &[Quotation],
) -> Vec<Found> {
    let tokens = &article.tokens;
    let in_quote = |pos: usize| contains(all, pos);
    let sentence_end = tokens[last - 1].end.min(sentence.end);
    let mut found: Vec<Found> = Vec::new();
    let mut previous_source: Option<Source> = None;
    let mut c = first;
    while c < last {
        let t = &tokens[c];
        if !t.is_word() || t.is_capitalised() || in_quote(t.start) || !phrases::is_cue(tokens, c) {
            c += 1;
            continue;
        }
        let Some(lemma) = words::cue_lemma(t.text) else {
            c += 1;
            continue;
        };
        // "a treasurer accused of fraud": a passive participle, nobody speaks.
        let passive = lemma == "accuse" && tokens.get(c + 1).is_some_and(|n| n.is("of"));
        let next_ok = !passive
            && tokens.get(c + 1).is_some_and(|n| {
                c + 1 < last && (n.is_word() || matches!(n.text, "\"" | "“" | "‘" | "'" | "«"))
            });
        if !next_ok {
            c += 1;
            continue; // "…, he said." or `he said: "…"`
        }
        let cues = Cues {
            article,
            all,
            sentence,
            first,
            last,
        };
        let Some(source) = cues.source(c, previous_source.as_ref()) else {
            c += 1;
            continue;
        };
        let Some(start) = content_start(tokens, c, lemma, last) else {
            c += 1;
            continue;
        };
        if start >= last
            || (start..last)
                .filter(|&i| tokens[i].is_word())
                .all(|i| in_quote(tokens[i].start))
        {
            c += 1;
            continue;
        }
        // The content runs to the next coordinated cue, or to the sentence's end.
        let split = cues.next_coordinated(start);
        let end = split.map_or(sentence_end, |k| tokens[k].start);
        let cue = if lemma == "call" {
            format!("{} {}", t.lower(), tokens[c + 1].lower())
        } else {
            t.lower()
        };
        found.push(Found {
            span: Span::new(tokens[start].start, end),
            cue,
            source: source.clone(),
        });
        previous_source = Some(source);
        c = match split {
            Some(k) => k + 1,
            None => last,
        };
    }
    found
}

/// One sentence's tokens `first..last` and its quotations, as [`leading_cues`] walks its cues.
struct Cues<'a, 'b> {
    article: &'a Article<'b>,
    all: &'a [Quotation],
    sentence: Span,
    first: usize,
    last: usize,
}

impl Cues<'_, '_> {
    fn in_quote(&self, pos: usize) -> bool {
        contains(self.all, pos)
    }

    /// Who speaks at the cue `c`: the phrase before the cue, or for a coordinated cue ("and said")
    /// the previous cue's speaker, or for "…, saying that" the sentence's subject.
    fn source(&self, c: usize, previous_source: Option<&Source>) -> Option<Source> {
        let tokens = &self.article.tokens;
        let first = self.first;
        let t = &tokens[c];
        let floor = (first..c)
            .rev()
            .find(|&i| self.in_quote(tokens[i].start))
            .map_or(first, |i| i + 1);
        let coordinated = previous_source.is_some()
            && c > first
            && (tokens[c - 1].is("and")
                || tokens[c - 1].text == ","
                || tokens[c - 1].is("but")
                || phrases::is_bridge(&tokens[c - 1]));
        if coordinated {
            return previous_source.cloned();
        }
        let participle = c > first && tokens[c - 1].text == "," && t.text.ends_with("ing");
        if participle {
            // "…, saying that …" speaks for the sentence's subject; `"…," a spokesperson said,
            // adding that …` for the quotation's speaker.
            return match c
                .checked_sub(2)
                .filter(|&k| k >= floor && phrases::is_cue(tokens, k))
            {
                Some(k) => phrases::backward(tokens, k, floor)
                    .map(Source::Phrase)
                    .or(Some(Source::Subject(t.start))),
                None => Some(
                    participle_subject(tokens, floor, c - 1)
                        .filter(|_| !threat_of_harm(tokens, c))
                        .map_or(Source::Subject(t.start), Source::Phrase),
                ),
            };
        }
        if previous_source.is_none() && follows_coordinator(tokens, c, floor) {
            // "The speaker suspended the sitting and warned that …": the cue shares the
            // sentence's subject with a verb before it, not the object before "and".
            return Some(
                coordinated_subject(tokens, floor, c)
                    .map_or(Source::Subject(t.start), Source::Phrase),
            );
        }
        match phrases::backward(tokens, c, floor) {
            Some(phrase)
                if !starts_relative(tokens, &phrase)
                    && !after_quotation(
                        self.article,
                        self.all,
                        self.sentence,
                        tokens[phrase.phrase.start].start,
                    ) =>
            {
                Some(Source::Phrase(phrase))
            }
            _ => None,
        }
    }

    /// The joiner ("and", "but", a comma) before the next coordinated cue after `start`, where the
    /// current content ends: "denied A and said B", "said A, adding that B".
    fn next_coordinated(&self, start: usize) -> Option<usize> {
        let tokens = &self.article.tokens;
        let last = self.last;
        (start + 1..last).find(|&k| {
            let joiner = tokens[k].is("and") || tokens[k].is("but") || tokens[k].text == ",";
            joiner && !self.in_quote(tokens[k].start) && {
                let mut j = k + 1;
                while j < last && phrases::is_bridge(&tokens[j]) {
                    j += 1;
                }
                let call = j < last
                    && words::cue_lemma(tokens[j].text) == Some("call")
                    && tokens.get(j + 1).is_some_and(|n| n.is("for") || n.is("on"));
                j < last
                    && !tokens[j].is_capitalised()
                    && phrases::is_cue(tokens, j)
                    && words::cue_lemma(tokens[j].text).is_some_and(|l| {
                        call || !words::cue_needs_that(l)
                            || tokens.get(j + 1).is_some_and(|n| n.is("that"))
                            || tokens[j].text.ends_with("ing")
                    })
            }
        })
    }
}

/// True when the cue at `c` follows "and" or "but" (adverbs between allowed) after some words of
/// the sentence: "paid a fee and said", "admitted the trips took place but said". The cue is
/// coordinated with the verb before it.
fn follows_coordinator(tokens: &[Token], c: usize, floor: usize) -> bool {
    let mut k = c;
    while k > floor && phrases::is_bridge(&tokens[k - 1]) {
        k -= 1;
    }
    k > floor + 1 && (tokens[k - 1].is("and") || tokens[k - 1].is("but"))
}

/// The subject opening the sentence (from `floor`) whose verb the cue at `c` is coordinated with:
/// "Gianni Rossi, spokesman for the residents, welcomed the plan but said …". The phrase must be
/// followed (after any aside in commas) by a lower-case word, its verb.
fn coordinated_subject(tokens: &[Token], floor: usize, c: usize) -> Option<SpeakerPhrase> {
    subject_and_verb(tokens, floor, c).map(|(phrase, _)| phrase)
}

/// "Members of the Kisumu County Assembly yesterday tabled a motion, accusing …": the subject
/// opening the sentence speaks for a participle after a comma, when a word that is surely a verb
/// (a past form in "-ed", a speech verb, an auxiliary or adverb) follows it; "Brazil's" before
/// "central bank" is no subject.
fn participle_subject(tokens: &[Token], floor: usize, comma: usize) -> Option<SpeakerPhrase> {
    let (phrase, verb) = subject_and_verb(tokens, floor, comma)?;
    let t = &tokens[verb];
    let surely_verb = t.text.ends_with("ed")
        || phrases::is_cue(tokens, verb)
        || phrases::is_bridge(t)
        || ["yesterday", "today", "on"].contains(&t.text);
    let owner = tokens[phrase.phrase.end - 1].is_possessive();
    (surely_verb && !owner).then_some(phrase)
}

/// "…, threatening a storm surge": a participle *threatening* with a noun object reports what a
/// storm or a crisis may bring, not what someone said (a speaker threatens *to* act), so the
/// sentence's subject is not taken as its speaker.
fn threat_of_harm(tokens: &[Token], c: usize) -> bool {
    tokens[c].is("threatening") && !tokens.get(c + 1).is_some_and(|t| t.is("to"))
}

/// The phrase opening the sentence (after any dateline) and the index of the word after it and
/// any aside in commas, which must be a lower-case word.
fn subject_and_verb(tokens: &[Token], floor: usize, c: usize) -> Option<(SpeakerPhrase, usize)> {
    let from = after_dateline(tokens, floor, c);
    let phrase = phrases::forward(tokens, from, c)?;
    let mut j = phrase.end();
    if j < c && tokens[j].text == "," {
        j = match phrase.apposition {
            Some(_) => j + 1, // "The speaker, Jo Bloggs, suspended …"
            None => (j + 1..c).find(|&k| tokens[k].text == ",")? + 1,
        };
    }
    (j < c && tokens[j].is_word() && !tokens[j].is_capitalised()).then_some((phrase, j))
}

/// `"…," he said in a video`: a cue whose speaker phrase follows a closing quotation attributes that
/// quotation; it governs no reported content.
fn after_quotation(
    article: &Article,
    all: &[Quotation],
    sentence: Span,
    phrase_start: usize,
) -> bool {
    let k = all.partition_point(|q| q.close_end <= phrase_start);
    k > 0
        && all[k - 1].close_end > sentence.start
        && article.text[all[k - 1].close_end..phrase_start]
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '—' | '–'))
            .is_empty()
}

/// "which said", "who told": a relative pronoun is not a speaker phrase we can resolve here.
fn starts_relative(tokens: &[Token], phrase: &SpeakerPhrase) -> bool {
    phrase.apposition.is_none()
        && tokens[phrase.phrase.clone()]
            .iter()
            .any(|t| ["which", "who", "that"].contains(&t.text))
}

/// The end of the object of "told"/"assured" before its reported content: "told reporters",
/// "told The Express", "told the court", "told him".
fn object_end(tokens: &[Token], start: usize, last: usize) -> Option<usize> {
    let first = tokens.get(start).filter(|_| start < last)?;
    if !first.is_word() {
        return None;
    }
    let mut i = start;
    if phrases::is_determiner(first) {
        i += 1;
    }
    let caps = tokens[i..last]
        .iter()
        .take_while(|t| {
            t.is_capitalised() || (t.is_word() && t.text.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    i += caps;
    if caps == 0 {
        // One common noun: "reporters", "the court", "a news conference" (two).
        i += 1;
        if i < last
            && tokens[i].is_word()
            && !tokens[i].is_capitalised()
            && phrases::is_determiner(first)
            && !words::is_determiner(tokens[i].text)
            && tokens[i - 1].text.len() > 2
            && ["news", "press", "radio", "television"].contains(&tokens[i - 1].lower().as_str())
        {
            i += 1;
        }
    } else if i < last
        && tokens[i].is_word()
        && !tokens[i].is_capitalised()
        && tokens[i - 1].is_possessive()
    {
        i += 1; // "the BBC's programme"
    }
    (i < last).then_some(i)
}

/// Index of the first token of the reported content after the cue at `c`.
fn content_start(tokens: &[Token], c: usize, lemma: &str, last: usize) -> Option<usize> {
    // An explicit "that" after a short stretch of circumstances ("on Tuesday in a statement").
    let takes_object = TAKES_OBJECT.contains(&lemma) || lemma == "warn" || lemma == "promise";
    for i in c + 1..(c + 10).min(last) {
        let t = &tokens[i];
        if t.is("that") {
            // "disputed that claim in several reports": "that" as a determiner.
            // A determiner "that" takes a singular noun: "that claim", not "that customers".
            let noun_next = tokens.get(i + 1).is_some_and(|n| {
                n.is_word()
                    && !n.is_capitalised()
                    && !phrases::is_determiner(n)
                    && !words::is_speaker_pronoun(n.text)
                    && !n.text.ends_with('s')
            });
            let determiner = i == c + 1
                && noun_next
                && tokens.get(i + 2).is_none_or(|n| {
                    !n.is_word() || NOT_CONTENT_START.contains(&n.lower().as_str()) || n.is("of")
                });
            return (!determiner).then_some(i + 1);
        }
        let circumstance = t.is_word()
            && (t.is_capitalised()
                || BEFORE_THAT.contains(&t.lower().as_str())
                || t.text.chars().all(|ch| ch.is_ascii_digit())
                || (takes_object && i < c + 5 && !words::is_cue_verb(t.text)));
        let punct_ok = matches!(t.text, "'" | "’" | "." | "-" | ":");
        if !(circumstance || punct_ok) {
            break;
        }
    }
    let after = tokens.get(c + 1)?;
    if lemma == "call" {
        return (after.is("on") || after.is("for") || after.is("upon")).then_some(c + 2);
    }
    if let Some(start) = object_content(tokens, c, lemma, last) {
        return Some(start);
    }
    if let Some(start) = after_adverbial(tokens, c + 1, last) {
        return Some(start);
    }
    // "says at least 11 people died": a quantity, not a place.
    let quantity = after.is("at")
        && tokens
            .get(c + 2)
            .is_some_and(|n| n.is("least") || n.is("most"));
    if NOT_CONTENT_START.contains(&after.lower().as_str()) && !quantity {
        return None;
    }
    if lemma == "reply" && opens_reply(tokens, c + 1, last) {
        return Some(c + 1);
    }
    if words::cue_needs_that(lemma) || !CONTENT_AFTER.contains(&lemma) {
        return None;
    }
    if TAKES_OBJECT.contains(&lemma) {
        // "told reporters the plan was dead": skip the object.
        let after = object_end(tokens, c + 1, last)?;
        return (tokens[after].is_word()
            && !NOT_CONTENT_START.contains(&tokens[after].lower().as_str()))
        .then_some(after);
    }
    Some(c + 1)
}

/// "The minister replied an anaesthetist had been posted …": "replied" without "that" reports a
/// clause when a determiner or pronoun opens it and an auxiliary follows within a few words ("replied
/// to the question" and "replied the minister" do not).
fn opens_reply(tokens: &[Token], from: usize, last: usize) -> bool {
    let Some(first) = tokens.get(from).filter(|t| from < last && t.is_word()) else {
        return false;
    };
    let opener = [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "there", "his", "her",
    ]
    .contains(&first.lower().as_str());
    opener
        && (from + 1..(from + 8).min(last))
            .take_while(|&k| tokens[k].is_word())
            .any(|k| phrases::is_auxiliary(&tokens[k]))
}

/// Cues whose reported content is the object or complement after them, with no "that": "rejected
/// the demand", "ruled out any ceasefire", "predicted voters would turn", "blamed X for …",
/// "described X as Y", "offered to host", "pleaded not guilty to …", "appealed to X to V",
/// "challenged X to V", "wants X to V", "hit out at X".
fn object_content(tokens: &[Token], c: usize, lemma: &str, last: usize) -> Option<usize> {
    let next = tokens.get(c + 1).filter(|_| c + 1 < last)?;
    if c > 0 && tokens[c - 1].is("to") {
        return None; // "voted on Tuesday to reject the budget": a purpose, not speech
    }
    let word = |k: usize| tokens.get(k).filter(|t| k < last && t.is_word());
    // "rejected the criticism", "denied the charge": a bare noun pointing back at what someone else
    // said carries no content of its own.
    let bare_noun = |k: usize| {
        tokens[k].is("the")
            && (k + 2 >= last || !tokens[k + 2].is_word())
            && word(k + 1).is_some_and(|t| !t.is_capitalised())
    };
    let opens_object = |k: usize| {
        word(k).is_some_and(|t| !NOT_CONTENT_START.contains(&t.lower().as_str()) && !t.is("to"))
            && !bare_noun(k)
    };
    let to_within = |from: usize| (from..(from + 8).min(last)).any(|k| tokens[k].is("to"));
    let as_within = (c + 2..last).any(|k| tokens[k].is("as"));
    match lemma {
        "rule" if next.is("out") => opens_object(c + 2).then_some(c + 2),
        "reject" | "rebuff" | "deny" | "predict" | "blame" | "criticise" | "criticize"
        | "condemn" => opens_object(c + 1).then_some(c + 1),
        "describe" | "characterise" | "characterize" | "dismiss" if as_within => {
            opens_object(c + 1).then_some(c + 1)
        }
        "offer" if next.is("to") => word(c + 2).map(|_| c + 1),
        "plead" if next.is("guilty") || next.is("not") || next.is("no") => Some(c + 1),
        "appeal" if next.is("to") || next.is("for") => word(c + 2).map(|_| c + 2),
        "challenge" | "want" if opens_object(c + 1) && to_within(c + 2) => Some(c + 1),
        "hit" if next.is("out") && tokens.get(c + 2).is_some_and(|t| t.is("at")) => {
            opens_object(c + 3).then_some(c + 3)
        }
        _ => None,
    }
}

/// "said on Thursday its forces had …", "said in Vienna its inspectors …": a short adverbial of
/// time or place after the cue, then a clause opening with a pronoun, a determiner or a name.
fn after_adverbial(tokens: &[Token], from: usize, last: usize) -> Option<usize> {
    const PREPOSITIONS: &[&str] = &["on", "in", "at", "late", "early", "last", "from"];
    let mut i = from;
    while i < last && i < from + 8 {
        let t = &tokens[i];
        let lower = t.lower();
        let after_preposition = i > from && PREPOSITIONS.contains(&tokens[i - 1].lower().as_str());
        let adverbial = if i == from {
            PREPOSITIONS.contains(&lower.as_str())
                || ["yesterday", "today"].contains(&lower.as_str())
        } else {
            PREPOSITIONS.contains(&lower.as_str())
                || t.is_capitalised()
                || t.text.chars().all(|ch| ch.is_ascii_digit())
                || (after_preposition && ["a", "an", "the"].contains(&lower.as_str()))
                || (BEFORE_THAT.contains(&lower.as_str())
                    && !words::is_determiner(&lower)
                    && !["its", "his", "her", "their", "to", "with"].contains(&lower.as_str()))
        };
        if !adverbial {
            break;
        }
        i += 1;
    }
    let opener = tokens.get(i).filter(|_| i < last && i > from)?;
    let lower = opener.lower();
    let opens_clause = [
        "he", "she", "it", "they", "we", "its", "his", "her", "their", "there", "the", "a", "an",
        "some", "no", "all", "about", "more", "only",
    ]
    .contains(&lower.as_str());
    let words = (i..last).filter(|&k| tokens[k].is_word()).count();
    (opens_clause && words >= 4 && tokens[i - 1].is_word()).then_some(i)
}

/// Each reported-speech construction of datasets/README.md, through the whole extractor: the span
/// is the reported content only, and the speaker the one the cue belongs to.
#[cfg(test)]
mod tests {
    use crate::extract::quotes::{QuoteKind, extract};

    /// (content, speaker, cue) of every reported quote in `text`.
    fn reported(text: &str) -> Vec<(String, String, String)> {
        extract(text)
            .into_iter()
            .filter(|q| q.kind != QuoteKind::Direct)
            .map(|q| (text[q.span.start..q.span.end].to_string(), q.speaker, q.cue))
            .collect()
    }

    fn one(content: &str, speaker: &str, cue: &str) -> Vec<(String, String, String)> {
        vec![(content.into(), speaker.into(), cue.into())]
    }

    #[test]
    fn said_that_clause_drops_that_and_the_full_stop() {
        assert_eq!(
            reported("Finance Minister Ana Ruiz said that the budget would be balanced by 2027."),
            one("the budget would be balanced by 2027", "Ana Ruiz", "said")
        );
    }

    #[test]
    fn replied_without_that_reports_a_clause_but_not_a_prepositional_phrase() {
        assert_eq!(
            reported("Minister Abdul Rahim replied an anaesthetist had been posted in January."),
            one(
                "an anaesthetist had been posted in January",
                "Abdul Rahim",
                "replied"
            )
        );
        assert!(reported("Minister Abdul Rahim replied to the question at length.").is_empty());
    }

    #[test]
    fn clause_before_a_trailing_attribution_drops_the_comma() {
        assert_eq!(
            reported("The bridge will reopen on Monday, the transport department said."),
            one(
                "The bridge will reopen on Monday",
                "the transport department",
                "said"
            )
        );
    }

    #[test]
    fn according_to_gives_the_clause_after_the_comma() {
        assert_eq!(
            reported("According to the fire service, three homes were destroyed overnight."),
            one(
                "three homes were destroyed overnight",
                "the fire service",
                "according to"
            )
        );
    }

    #[test]
    fn according_to_a_role_with_a_name_in_apposition_gives_the_clause_after_the_name() {
        assert_eq!(
            reported(
                "According to the Burkinabe mediator, Mr. Salif Ouedraogo, about 3,000 \
                 combatants will be integrated into the army."
            ),
            one(
                "about 3,000 combatants will be integrated into the army",
                "Salif Ouedraogo",
                "according to"
            )
        );
        assert_eq!(
            reported("According to its director, Jane Doe, the museum will reopen in May."),
            one("the museum will reopen in May", "Jane Doe", "according to")
        );
    }

    #[test]
    fn according_to_a_name_with_a_role_in_apposition_gives_the_clause_after_the_role() {
        assert_eq!(
            reported(
                "According to Jane Doe, the director of the museum, the collection will reopen \
                 in May."
            ),
            one(
                "the collection will reopen in May",
                "Jane Doe",
                "according to"
            )
        );
        // A clause after the first comma is the content, not an apposition.
        assert_eq!(
            reported(
                "According to Brandão, most of the failures were caused by the batteries, not \
                 the motors."
            ),
            one(
                "most of the failures were caused by the batteries, not the motors",
                "Brandão",
                "according to"
            )
        );
    }

    #[test]
    fn object_control_cues_keep_the_object() {
        assert_eq!(
            reported("The union accused the company of breaking the pay agreement."),
            one(
                "the company of breaking the pay agreement",
                "The union",
                "accused"
            )
        );
        assert_eq!(
            reported("Aid agencies urged both sides to open the border crossing."),
            one(
                "both sides to open the border crossing",
                "Aid agencies",
                "urged"
            )
        );
    }

    #[test]
    fn denied_takes_its_clause_without_that() {
        assert_eq!(
            reported("The ministry denied the payments were ever discussed."),
            one("the payments were ever discussed", "The ministry", "denied")
        );
    }

    #[test]
    fn a_clause_with_a_quoted_fragment_is_one_mixed_quote() {
        let text = "She said the plan was \"dead on arrival\" in the Senate.";
        let found = extract(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, QuoteKind::Mixed);
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "the plan was \"dead on arrival\" in the Senate"
        );
    }

    #[test]
    fn speech_without_content_and_passive_cues_are_not_quotes() {
        for text in [
            "The spokesman declined to comment.",
            "A treasurer accused of fraud resigned on Friday.",
            "The statement was published on the ministry's website.",
        ] {
            assert_eq!(reported(text), Vec::new(), "{text}");
        }
    }

    #[test]
    fn says_at_least_opens_a_quantity_not_a_place() {
        assert_eq!(
            reported("Health officials in Kisumu say at least 23 people have died of cholera."),
            one(
                "at least 23 people have died of cholera",
                "Health officials in Kisumu",
                "say"
            )
        );
    }

    #[test]
    fn trailing_attribution_by_a_noun_phrase_the_tables_do_not_know() {
        assert_eq!(
            reported("Fuel was short at most petrol stations by midday, the prefecture said."),
            one(
                "Fuel was short at most petrol stations by midday",
                "the prefecture",
                "said"
            )
        );
        // A headline's passive "told" and a participle clause are not attributions.
        for text in [
            "Developer paid councillor for rezoning vote, jury told",
            "He dismissed the claim, leaving Mr Whitcombe facing legal costs estimated at £600,000.",
        ] {
            assert_eq!(reported(text), Vec::new(), "{text}");
        }
    }

    #[test]
    fn a_dateline_with_a_hyphen_is_not_part_of_the_clause() {
        let found = reported(
            "SEOUL, Oct 19 (Wire) - Hanwol Group agreed on Monday to take over Daesung Motors, \
             creditor banks said.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "Hanwol Group agreed on Monday to take over Daesung Motors"
        );
    }

    #[test]
    fn dismissed_x_as_y_keeps_the_object() {
        let text = "Mr Moriarty dismissed the invitation as \"a stalling exercise\".";
        let found = extract(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, QuoteKind::Mixed);
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "the invitation as \"a stalling exercise\""
        );
    }
}
