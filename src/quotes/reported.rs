//! Reported (indirect) speech: the content clause a speech verb governs.
//!
//! Patterns, tried in this order within one sentence:
//! 1. `According to X, CLAUSE.` and `CLAUSE, according to X.`
//! 2. `CLAUSE, X said.` / `CLAUSE, said X.`
//! 3. `X said (that) CLAUSE.`, `X accused Y of …`, `X urged Y to …`, `X denied …`, `…, saying that …`
//!
//! The span is the reported content, never the cue; it ends at the sentence's end (final full stop
//! excluded) or before a trailing attribution. Direct quotations are never part of a reported span.

use super::marks::Quotation;
use super::phrases::{self, SpeakerPhrase};
use super::{Article, Source};
use crate::lexicon;
use crate::segment::Span;
use crate::tokens::Token;

pub(super) struct Found {
    pub span: Span,
    pub cue: String,
    pub source: Source,
}

/// Verbs whose object comes before the reported content ("told reporters (that) …").
const TAKES_OBJECT: &[&str] = &["tell", "assure", "inform", "remind", "reassure", "brief", "promise", "warn"];

/// Verbs whose content is everything after them ("accused Y of …", "urged Y to …", "denied …").
const CONTENT_AFTER: &[&str] = &[
    "accuse", "urge", "ask", "deny", "threaten", "vow", "pledge", "promise", "demand", "insist", "claim", "say", "warn", "predict", "beg", "implore",
    "advise", "instruct", "order", "tell", "assure", "inform",
];

/// The reported speech in `sentence`, if any.
pub(super) fn find(article: &Article, sentence: Span, direct: &[Quotation], all: &[Quotation]) -> Option<Found> {
    let tokens = &article.tokens;
    let first = article.token_at(sentence.start);
    let last = article.token_at(sentence.end);
    if first >= last {
        return None;
    }
    let in_quote = |pos: usize| all.iter().any(|q| q.open <= pos && pos < q.close_end);
    let in_direct = |pos: usize| direct.iter().any(|q| q.open <= pos && pos < q.close_end);
    if (first..last).all(|i| in_direct(tokens[i].start)) {
        return None;
    }
    let found = according_to(article, first, last, &in_quote)
        .or_else(|| trailing_attribution(article, sentence, first, last, &in_quote))
        .or_else(|| leading_cue(article, sentence, first, last, &in_quote))?;
    finish(article, found, direct)
}

/// Trims the span, cuts it before a direct quotation, and rejects what is too short to be content.
fn finish(article: &Article, mut found: Found, direct: &[Quotation]) -> Option<Found> {
    let text = article.text;
    for q in direct {
        if found.span.start <= q.open && q.open < found.span.end {
            found.span.end = q.open;
        }
        if q.open <= found.span.start && found.span.start < q.close_end {
            return None;
        }
    }
    // Trim white space, the final full stop and dangling commas.
    let mut end = found.span.end;
    loop {
        let slice = &text[found.span.start..end];
        let trimmed = slice.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '—' | '–'));
        // Keep a full stop that closes a quoted fragment at the end: `… "at the moment."`
        if trimmed.len() == slice.len() {
            break;
        }
        end = found.span.start + trimmed.len();
    }
    if text[found.span.start..found.span.end].trim_end().ends_with(['”', '"', '’', '»']) {
        end = found.span.start + text[found.span.start..found.span.end].trim_end().len();
    }
    let slice = &text[found.span.start..end];
    let lead = slice.len() - slice.trim_start_matches(|c: char| c.is_whitespace() || c == ',').len();
    found.span = Span::new(found.span.start + lead, end);
    let words = text[found.span.start..found.span.end].split_whitespace().count();
    (words >= 3).then_some(found)
}

fn according_to(article: &Article, first: usize, last: usize, in_quote: &dyn Fn(usize) -> bool) -> Option<Found> {
    let tokens = &article.tokens;
    let k = (first..last.saturating_sub(1)).find(|&i| tokens[i].is("according") && tokens[i + 1].is("to") && !in_quote(tokens[i].start))?;
    let phrase = phrases::forward(tokens, k + 2, last)?;
    let after = phrase.apposition.clone().map_or(phrase.phrase.end, |r| r.end);
    let sentence_end = tokens.get(last.saturating_sub(1)).map_or(0, |t| t.end);
    if after < last && tokens[after].text == "," && (k == first || (k > first && tokens[k - 1].text == ",")) {
        // According to X, CLAUSE.
        let start = tokens.get(after + 1)?.start;
        return Some(Found { span: Span::new(start, sentence_end), cue: "according to".into(), source: Source::Phrase(phrase) });
    }
    if k > first && tokens[k - 1].text == "," {
        // CLAUSE, according to X.
        return Some(Found { span: Span::new(tokens[first].start, tokens[k - 1].start), cue: "according to".into(), source: Source::Phrase(phrase) });
    }
    None
}

/// CLAUSE, X said. / CLAUSE, said X. (the attribution closes the sentence)
fn trailing_attribution(article: &Article, sentence: Span, first: usize, last: usize, in_quote: &dyn Fn(usize) -> bool) -> Option<Found> {
    let tokens = &article.tokens;
    let comma = (first + 1..last).rev().find(|&i| tokens[i].text == "," && !in_quote(tokens[i].start))?;
    if (comma + 1..last).any(|i| in_quote(tokens[i].start)) {
        return None;
    }
    let rest_end = last;
    let (cue, phrase) = if tokens.get(comma + 1).is_some_and(|t| t.is_word() && !t.is_capitalised() && lexicon::is_cue_verb(t.text)) {
        (comma + 1, phrases::forward(tokens, comma + 2, rest_end)?)
    } else {
        let phrase = phrases::forward(tokens, comma + 1, rest_end)?;
        let mut j = phrase.phrase.end;
        while j < rest_end && phrases::is_bridge(&tokens[j]) {
            j += 1;
        }
        if !(j < rest_end && tokens[j].is_word() && lexicon::is_cue_verb(tokens[j].text)) {
            return None;
        }
        (j, phrase)
    };
    // Nothing but adverbials after the cue: no new clause.
    if (cue + 1..rest_end).any(|i| tokens[i].is("that") || (tokens[i].text == "," && i + 1 < rest_end)) {
        return None;
    }
    let cue_lemma = lexicon::cue_lemma(tokens[cue].text)?;
    if ["accuse", "urge", "deny", "call", "ask", "threaten", "offer", "propose", "reject", "dismiss", "blame", "praise", "welcome", "thank", "describe", "label", "brand", "condemn", "criticise", "criticize"].contains(&cue_lemma) {
        return None;
    }
    let _ = sentence;
    Some(Found { span: Span::new(tokens[first].start, tokens[comma].start), cue: tokens[cue].lower(), source: Source::Phrase(phrase) })
}

/// X said (that) CLAUSE, and its relatives.
fn leading_cue(article: &Article, sentence: Span, first: usize, last: usize, in_quote: &dyn Fn(usize) -> bool) -> Option<Found> {
    let tokens = &article.tokens;
    let sentence_end = tokens[last - 1].end.min(sentence.end);
    for c in first..last {
        let t = &tokens[c];
        if !t.is_word() || t.is_capitalised() || in_quote(t.start) {
            continue;
        }
        if !phrases::is_cue(tokens, c) {
            continue;
        }
        let Some(lemma) = lexicon::cue_lemma(t.text) else { continue };
        let next = tokens.get(c + 1).filter(|_| c + 1 < last);
        let Some(next) = next else { continue };
        if !next.is_word() && !matches!(next.text, "\"" | "“" | "‘" | "'" | "«") {
            continue; // "…, he said." or `he said: "…"`
        }
        // Who speaks.
        let floor = (first..c).rev().find(|&i| in_quote(tokens[i].start)).map_or(first, |i| i + 1);
        let source = match phrases::backward(tokens, c, floor) {
            Some(phrase) if !starts_relative(tokens, &phrase) => Source::Phrase(phrase),
            _ if c > first && tokens[c - 1].text == "," && t.text.ends_with("ing") => Source::Subject(t.start),
            _ => continue,
        };
        let Some(start) = content_start(tokens, c, lemma, last) else { continue };
        if start >= last || in_quote_only(tokens, start, last, in_quote) {
            continue;
        }
        let cue = if lemma == "call" { format!("{} {}", t.lower(), tokens[c + 1].lower()) } else { t.lower() };
        return Some(Found { span: Span::new(tokens[start].start, sentence_end), cue, source });
    }
    None
}

/// "which said", "who told": a relative pronoun is not a speaker phrase we can resolve here.
fn starts_relative(tokens: &[Token], phrase: &SpeakerPhrase) -> bool {
    tokens[phrase.phrase.clone()].iter().any(|t| ["which", "who", "that"].contains(&t.text))
}

/// Index of the first token of the reported content after the cue at `c`.
fn content_start(tokens: &[Token], c: usize, lemma: &str, last: usize) -> Option<usize> {
    // An explicit "that" within a short stretch of adverbials and objects.
    let window_end = (c + 10).min(last);
    for i in c + 1..window_end {
        let t = &tokens[i];
        if t.is("that") {
            return Some(i + 1);
        }
        if !t.is_word() && t.text != "'" && t.text != "’" {
            break;
        }
        if i > c + 1 && lexicon::is_cue_verb(t.text) {
            break;
        }
    }
    if lemma == "call" {
        let next = tokens.get(c + 1)?;
        return (next.is("on") || next.is("for") || next.is("upon")).then_some(c + 2);
    }
    if lexicon::cue_needs_that(lemma) || !CONTENT_AFTER.contains(&lemma) {
        return None;
    }
    if TAKES_OBJECT.contains(&lemma) && lemma != "warn" && lemma != "promise" {
        // "told reporters the plan was dead": skip the object phrase.
        let object = phrases::forward(tokens, c + 1, last)?;
        let after = object.phrase.end;
        return (after < last && tokens[after].is_word()).then_some(after);
    }
    Some(c + 1)
}

/// True when everything from `start` to `last` is inside quotations.
fn in_quote_only(tokens: &[Token], start: usize, last: usize, in_quote: &dyn Fn(usize) -> bool) -> bool {
    (start..last).filter(|&i| tokens[i].is_word()).all(|i| in_quote(tokens[i].start))
}
