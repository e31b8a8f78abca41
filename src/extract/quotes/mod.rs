//! Quote extraction and attribution.
//!
//! [`extract`] finds three kinds of quote in an article:
//! - **direct**: words inside quote marks, attributed by a speech verb next to the marks
//!   (`"…," said Mr Smith`, `Smith said: "…"`), or inherited from the previous quote when a
//!   quotation stands on its own;
//! - **indirect**: reported speech governed by a speech verb (`Smith said (that) …`, `…, Smith
//!   said`, `according to Smith, …`, `Smith accused Jones of …`);
//! - **mixed**: reported speech with a quoted fragment inside (`Smith called the plan "dead"`).
//!
//! Speakers are resolved to the fullest name the article gives by [`crate::extract::speakers::Resolver`].
//! Scare quotes and quoted titles (short quotations that no speech verb governs) are not quotes.

pub mod marks;
pub mod phrases;
mod reported;

use serde::{Deserialize, Serialize};

use crate::extract::segment::{self, Span};
use crate::extract::speakers::Resolver;
use crate::extract::tokens::{self, Token};
use crate::extract::words;
use marks::Quotation;
use phrases::SpeakerPhrase;

/// The kind of a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Mixed,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }

    pub const ALL: [QuoteKind; 3] = [QuoteKind::Direct, QuoteKind::Indirect, QuoteKind::Mixed];
}

impl std::str::FromStr for QuoteKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "direct" => Ok(QuoteKind::Direct),
            "indirect" => Ok(QuoteKind::Indirect),
            "mixed" => Ok(QuoteKind::Mixed),
            other => Err(format!(
                "unknown quote kind {other:?} (expected direct, indirect or mixed)"
            )),
        }
    }
}

/// One quote found in an article. `span` is a byte range into the article text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub span: Span,
    pub kind: QuoteKind,
    /// The resolved speaker; empty when unknown.
    pub speaker: String,
    /// The speech verb or phrase as written, lower case; empty when none.
    pub cue: String,
}

/// Where a candidate's speaker comes from.
#[derive(Clone, Debug)]
enum Source {
    /// A speaker phrase next to the cue.
    Phrase(SpeakerPhrase),
    /// The subject of the sentence holding this byte offset ("…, saying that …").
    Subject(usize),
    /// The person named last before a colon ("Mr. Watanabe was blunt: …").
    BeforeColon(usize),
    /// No attribution of its own: inherit from a neighbouring quote.
    Inherit,
}

#[derive(Clone, Debug)]
struct Candidate {
    span: Span,
    kind: QuoteKind,
    cue: String,
    source: Source,
    /// Continues a quotation from the previous paragraph.
    continued: bool,
    paragraph: usize,
}

/// Everything the rules need to know about one article.
struct Article<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    sentences: Vec<Span>,
    paragraphs: Vec<Span>,
}

impl<'a> Article<'a> {
    /// Index of the first token starting at or after `pos`.
    fn token_at(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.start < pos)
    }

    fn sentence_of(&self, pos: usize) -> Span {
        let k = self.sentences.partition_point(|s| s.end <= pos);
        self.sentences
            .get(k)
            .copied()
            .unwrap_or(Span::new(pos, pos))
    }

    fn paragraph_of(&self, pos: usize) -> usize {
        self.paragraphs.partition_point(|s| s.end <= pos)
    }
}

/// Finds every quote in `text`, in order of position.
pub fn extract(text: &str) -> Vec<Quote> {
    let paragraphs = segment::paragraphs(text);
    let article = Article {
        text,
        tokens: tokens::tokenize(text),
        sentences: segment::sentences(text),
        paragraphs,
    };
    let quotations = marks::quotations(text, &article.paragraphs);

    let mut candidates = Vec::new();
    let mut fragments = Vec::new();
    for q in &quotations {
        match classify(&article, q, &quotations) {
            Some(candidate) => candidates.push(candidate),
            None => fragments.push(*q),
        }
    }
    let direct: std::collections::HashSet<Span> = candidates.iter().map(|c| c.span).collect();
    let direct_quotations: Vec<Quotation> = quotations
        .iter()
        .filter(|q| direct.contains(&q.inner))
        .copied()
        .collect();
    let mut absorbed = vec![false; fragments.len()];
    for sentence in &article.sentences {
        for found in reported::find(&article, *sentence, &direct_quotations, &quotations) {
            let mut kind = QuoteKind::Indirect;
            let first = fragments.partition_point(|f| f.open < found.span.start);
            for (k, f) in fragments.iter().enumerate().skip(first) {
                if f.open >= found.span.end {
                    break;
                }
                if f.inner.end <= found.span.end {
                    absorbed[k] = true;
                    kind = QuoteKind::Mixed;
                }
            }
            candidates.push(Candidate {
                span: found.span,
                kind,
                cue: found.cue,
                source: found.source,
                continued: false,
                paragraph: article.paragraph_of(found.span.start),
            });
        }
    }
    // A long quoted fragment outside any reported clause is still someone's words.
    for (k, f) in fragments.iter().enumerate() {
        if !absorbed[k]
            && word_count(&text[f.inner.start..f.inner.end]) >= 4
            && !is_title_like(&text[f.inner.start..f.inner.end])
        {
            let source = attribution_after(&article, f)
                .or_else(|| attribution_before(&article, f, &quotations))
                .unwrap_or((String::new(), Source::Subject(f.open)));
            candidates.push(Candidate {
                span: f.inner,
                kind: QuoteKind::Direct,
                cue: source.0,
                source: source.1,
                continued: f.continued,
                paragraph: article.paragraph_of(f.open),
            });
        }
    }
    candidates.sort_by_key(|c| (c.span.start, c.span.end));
    candidates.dedup_by_key(|c| c.span);
    resolve(&article, &quotations, candidates)
}

/// Decides whether a quotation is a direct quote on its own. Returns `None` for fragments inside a
/// sentence (candidates for mixed quotes) and for scare quotes and titles.
fn classify(article: &Article, q: &Quotation, all: &[Quotation]) -> Option<Candidate> {
    let text = article.text;
    let inner = &text[q.inner.start..q.inner.end];
    let words = word_count(inner);
    let paragraph = article.paragraph_of(q.open);
    let standalone = q.continued || is_standalone(article, q);
    if !standalone {
        return None;
    }
    let attribution = attribution_after(article, q).or_else(|| attribution_before(article, q, all));
    let candidate = |cue: String, source: Source| Candidate {
        span: q.inner,
        kind: QuoteKind::Direct,
        cue,
        source,
        continued: q.continued,
        paragraph,
    };
    match attribution {
        Some((cue, source)) => Some(candidate(cue, source)),
        None if words >= 4 && !is_title_like(inner) => {
            Some(candidate(String::new(), Source::Inherit))
        }
        None if q.continued || q.runs_on => Some(candidate(String::new(), Source::Inherit)),
        None => None,
    }
}

/// True when the quotation starts a sentence or follows a colon, a dash, or a speech verb and
/// comma: the shape of a direct quote rather than a fragment inside someone else's sentence.
fn is_standalone(article: &Article, q: &Quotation) -> bool {
    let text = article.text;
    let before = text[..q.open].trim_end();
    let sentence = article.sentence_of(q.open);
    let Some(prev) = before.chars().next_back() else {
        return true;
    };
    if sentence.start >= q.open
        || article
            .paragraphs
            .binary_search_by_key(&q.open, |p| p.start)
            .is_ok()
    {
        return true;
    }
    let first_upper = text[q.inner.start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    let k = article.token_at(q.open);
    let prev_word = article.tokens[..k].iter().rev().find(|t| t.is_word());
    let prev_token_is_cue =
        k > 0 && article.tokens[k - 1].is_word() && words::is_cue_verb(article.tokens[k - 1].text);
    match prev {
        ':' | '.' | '!' | '?' | '…' | '"' | '”' | '’' | '»' | '\'' => true,
        ',' => {
            let cue_before = article.tokens[..k.saturating_sub(1)]
                .iter()
                .rev()
                .take(3)
                .any(|t| t.is_word() && words::is_cue_verb(t.text));
            cue_before || (first_upper && prev_word.is_some_and(|w| w.start >= sentence.start))
        }
        '—' | '–' | '-' | '(' | '[' => first_upper,
        _ => prev_token_is_cue && first_upper,
    }
}

/// "…," said Mr Smith / "…," Smith told reporters / "…," according to police.
fn attribution_after(article: &Article, q: &Quotation) -> Option<(String, Source)> {
    if q.runs_on {
        return None;
    }
    let tokens = &article.tokens;
    let mut i = article.token_at(q.close_end);
    let end_sentence = article.sentence_of(q.close_end.saturating_sub(1));
    while i < tokens.len()
        && !tokens[i].is_word()
        && matches!(tokens[i].text, "," | "—" | "–" | "-")
    {
        i += 1;
    }
    // The attribution must sit in the same sentence, before any further quotation or clause.
    let mut ceil = i;
    while ceil < tokens.len()
        && tokens[ceil].start < end_sentence.end.max(q.close_end)
        && !is_quote_mark(tokens[ceil].text)
    {
        ceil += 1;
    }
    if i >= ceil {
        return None;
    }
    let first = &tokens[i];
    if first.is("according") && i + 1 < ceil && tokens[i + 1].is("to") {
        let phrase = phrases::forward(tokens, i + 2, ceil)?;
        return Some(("according to".to_string(), Source::Phrase(phrase)));
    }
    if !first.is_capitalised() && phrases::is_cue(tokens, i) {
        let phrase = phrases::forward(tokens, i + 1, ceil)?;
        return Some((first.lower(), Source::Phrase(phrase)));
    }
    let phrase = phrases::forward(tokens, i, ceil)?;
    let cue = phrases::cue_after(tokens, &phrase, ceil)?;
    if ends_question_or_exclamation(article.text, q) && opens_new_report(tokens, cue, ceil) {
        return None;
    }
    Some((tokens[cue].lower(), Source::Phrase(phrase)))
}

/// True when the quotation's words end in "?" or "!", which can close a sentence inside the marks.
fn ends_question_or_exclamation(text: &str, q: &Quotation) -> bool {
    text[q.inner.start..q.inner.end]
        .trim_end()
        .ends_with(['?', '!'])
}

/// "…?" The army denies any patrols …: after a question or exclamation, a subject and a speech
/// verb with its own object start a new sentence of reported speech rather than attribute the
/// quote; "…?" Mr Tamasu asked / "…!" she told reporters still attribute it.
fn opens_new_report(tokens: &[Token], cue: usize, ceil: usize) -> bool {
    const ATTRIBUTING: &[&str] = &[
        "said",
        "says",
        "say",
        "asked",
        "asks",
        "ask",
        "told",
        "tells",
        "added",
        "adds",
        "wrote",
        "writes",
        "wondered",
        "replied",
        "exclaimed",
        "shouted",
        "continued",
        "insisted",
    ];
    let verb = tokens[cue].lower();
    !ATTRIBUTING.contains(&verb.as_str()) && cue + 1 < ceil && tokens[cue + 1].is_word()
}

/// Smith said: "…" / Putin stated, "…" / He put it bluntly: "…"
fn attribution_before(
    article: &Article,
    q: &Quotation,
    others: &[Quotation],
) -> Option<(String, Source)> {
    let tokens = &article.tokens;
    let sentence = article.sentence_of(q.open);
    let end = article.token_at(q.open);
    let mut floor = article.token_at(sentence.start);
    // Do not look into other quotations before this one in the sentence.
    let before = others.partition_point(|o| o.close_end <= q.open);
    if let Some(other) = before.checked_sub(1).map(|k| &others[k])
        && other.close_end > sentence.start
    {
        floor = floor.max(article.token_at(other.close_end));
    }
    if end == 0 || end <= floor {
        return None;
    }
    let last = &tokens[end - 1];
    let introduces = matches!(last.text, ":" | "," | "—" | "–")
        || (last.is_word() && words::is_cue_verb(last.text));
    if !introduces {
        return None;
    }
    for c in (floor..end).rev() {
        let t = &tokens[c];
        if !phrases::is_cue(tokens, c) {
            continue;
        }
        if let Some(phrase) = phrases::backward(tokens, c, floor) {
            return Some((t.lower(), Source::Phrase(phrase)));
        }
        if c + 1 < end
            && tokens[c + 1].is_word()
            && let Some(phrase) = phrases::forward(tokens, c + 1, end)
        {
            return Some((t.lower(), Source::Phrase(phrase)));
        }
    }
    // "He elaborated, "…"": any past-tense verb right before the comma, after a speaker.
    if end >= floor + 3 && matches!(last.text, "," | ":") {
        let verb = &tokens[end - 2];
        if verb.is_word()
            && !verb.is_capitalised()
            && verb.text.ends_with("ed")
            && let Some(phrase) = phrases::backward(tokens, end - 2, floor)
        {
            return Some((verb.lower(), Source::Phrase(phrase)));
        }
    }
    if last.text == ":" {
        return Some((String::new(), Source::BeforeColon(q.open)));
    }
    None
}

fn is_quote_mark(text: &str) -> bool {
    matches!(text, "\"" | "“" | "”" | "„" | "«" | "»" | "‘" | "’" | "'")
}

fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// "The Lord of the Rings", "Sea Shield": a title or name in quote marks, not speech.
fn is_title_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || text.ends_with(['.', '!', '?', ',']) {
        return false;
    }
    let small = [
        "of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "by", "with",
    ];
    words.iter().all(|w| {
        small.contains(w)
            || w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    })
}

/// True when only a short attribution ("," she said.) separates two quotations.
fn follows_closely(text: &str, end: usize, start: usize) -> bool {
    let Some(gap) = text.get(end..start) else {
        return false;
    };
    let words = word_count(gap);
    !gap.contains("\n\n") && words <= 12 && gap.matches(['.', '!', '?']).count() <= 2
}

/// Who speaks through a document named as the speaker ("the statement said").
enum Issuer<'t, 'a> {
    /// "a statement from the ministry", "the union's statement": the body named with it.
    Phrase(&'t [Token<'a>]),
    /// "the statement", "the report": the body named earlier as issuing it.
    Earlier,
}

/// "statement", "communique", "report": a document that speaks for whoever issued it.
fn is_document_noun(t: &Token) -> bool {
    t.is_word()
        && matches!(
            t.bare().to_lowercase().as_str(),
            "statement" | "communique" | "communiqué" | "report" | "release" | "declaration"
        )
}

/// The issuer of a document phrase: the phrase after "from"/"of"/"by", the owner before a
/// possessive, or one named earlier; `None` when the phrase names no document.
fn document_speaker<'t, 'a>(tokens: &'t [Token<'a>]) -> Option<Issuer<'t, 'a>> {
    let d = tokens.iter().position(is_document_noun)?;
    if let Some(after) = tokens.get(d + 2..)
        && ["from", "of", "by"].contains(&tokens[d + 1].lower().as_str())
        && !after.is_empty()
    {
        return Some(Issuer::Phrase(after));
    }
    if let Some(p) = tokens[..d].iter().rposition(Token::is_possessive) {
        return Some(Issuer::Phrase(&tokens[..=p]));
    }
    // Only a determiner and modifiers before the noun: "the statement", "the annual report".
    let bare = d + 1 == tokens.len()
        && tokens[..d]
            .iter()
            .all(|t| (t.is_word() && !t.is_capitalised()) || phrases::is_determiner(t));
    bare.then_some(Issuer::Earlier)
}

/// The issuer of "the statement" at `phrase`: the body that a document noun in one of the few
/// sentences before was from ("a statement from X", "In a statement, X denied …").
fn issuer_before(
    article: &Article,
    resolver: &mut Resolver,
    sentence_speakers: &[(usize, String)],
    phrase: &SpeakerPhrase,
) -> Option<String> {
    const SENTENCES_BACK: usize = 10;
    let tokens = &article.tokens;
    let start = tokens.get(phrase.phrase.start)?.start;
    let here = article.sentences.partition_point(|s| s.end <= start);
    let floor_sentence = here.saturating_sub(SENTENCES_BACK);
    let floor = article
        .sentences
        .get(floor_sentence)
        .map_or(0, |s| article.token_at(s.start));
    let d = (floor..phrase.phrase.start)
        .rev()
        .find(|&d| is_document_noun(&tokens[d]))?;
    if d + 2 < tokens.len()
        && ["from", "of", "by"].contains(&tokens[d + 1].lower().as_str())
        && let Some(owner) = phrases::forward(tokens, d + 2, tokens.len().min(d + 12))
    {
        let found = &tokens[owner.phrase.clone()];
        let pos = found.first().map_or(0, |t| t.start);
        return Some(without_possessive(resolver.resolve(found, None, pos)));
    }
    let sentence = article
        .sentences
        .partition_point(|s| s.end <= tokens[d].start);
    sentence_speakers
        .iter()
        .rev()
        .find(|(s, _)| *s == sentence)
        .map(|(_, name)| name.clone())
}

/// A phrase as the article writes it, the leading determiner in lower case ("the statement").
fn phrase_as_written(tokens: &[Token]) -> String {
    tokens
        .iter()
        .enumerate()
        .map(|(k, t)| {
            if k == 0 && phrases::is_determiner(t) {
                t.lower()
            } else {
                t.text.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "the Port Alder Police Service's" → "the Port Alder Police Service": an owner stands for its
/// document.
fn without_possessive(name: String) -> String {
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(stem) = name.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return stem.to_string();
        }
    }
    name
}

/// True when nothing but quote marks, spaces and punctuation lies between two quotations: the
/// second follows the first with no narrative words in between.
fn only_marks_between(text: &str, end: usize, start: usize) -> bool {
    text.get(end..start).is_some_and(|gap| word_count(gap) == 0)
}

/// Resolves every candidate's speaker, in text order, so that pronouns and inherited speakers see
/// the speakers before them.
fn resolve(
    article: &Article,
    quotations: &[Quotation],
    mut candidates: Vec<Candidate>,
) -> Vec<Quote> {
    let exclude: Vec<Span> = quotations.iter().map(|q| q.inner).collect();
    let mut resolver = Resolver::new(&article.tokens, &article.sentences, &exclude);
    let mut speakers: Vec<Option<String>> = vec![None; candidates.len()];
    // The first speaker resolved in each sentence, by sentence index, for "the statement said".
    let mut sentence_speakers: Vec<(usize, String)> = Vec::new();
    for (k, c) in candidates.iter().enumerate() {
        let speaker = match &c.source {
            Source::Phrase(phrase) => {
                let tokens = &article.tokens[phrase.phrase.clone()];
                let apposition = phrase.apposition.clone().map(|r| &article.tokens[r]);
                let pos = tokens.first().map_or(c.span.start, |t| t.start);
                let name = match document_speaker(tokens) {
                    Some(Issuer::Phrase(owner)) => {
                        without_possessive(resolver.resolve(owner, None, pos))
                    }
                    Some(Issuer::Earlier) => {
                        issuer_before(article, &mut resolver, &sentence_speakers, phrase)
                            .unwrap_or_else(|| phrase_as_written(tokens))
                    }
                    None if tokens.last().is_some_and(Token::is_possessive) => {
                        // "according to the police service's annual report": the owner speaks.
                        without_possessive(resolver.resolve(tokens, apposition, pos))
                    }
                    None => resolver.resolve(tokens, apposition, pos),
                };
                Some(name)
            }
            Source::Subject(pos) => Some(resolver.subject_at(&article.tokens, *pos, false)),
            Source::BeforeColon(pos) => Some(resolver.subject_at(&article.tokens, *pos, true)),
            Source::Inherit => None,
        };
        if let Some(name) = &speaker {
            resolver.note_speaker(name, c.span.start);
            let sentence = article.sentences.partition_point(|s| s.end <= c.span.start);
            if !name.is_empty() && sentence_speakers.last().is_none_or(|l| l.0 != sentence) {
                sentence_speakers.push((sentence, name.clone()));
            }
        }
        speakers[k] = speaker;
    }
    // Quotes with no attribution of their own take the speaker of the quote they continue, or of an
    // attributed quote in the same paragraph, or of the quote just before (same or previous
    // paragraph), or the person the sentence before is about.
    for k in 0..candidates.len() {
        if speakers[k].is_some() {
            continue;
        }
        let c = &candidates[k];
        let same_paragraph_next = (k + 1..candidates.len())
            .take_while(|&j| candidates[j].paragraph == c.paragraph)
            .find(|&j| {
                speakers[j].as_ref().is_some_and(|s| !s.is_empty())
                    && candidates[j].kind == QuoteKind::Direct
                    && !candidates[j].cue.is_empty()
            });
        // Only a quote that runs straight on into the attributed one ("A." "B," she said.) is
        // that speaker's: a narrative sentence in between means a new speaker is introduced
        // after it, as in copy flattened onto one line where the whole article is one paragraph.
        let runs_into_next = same_paragraph_next.filter(|&j| {
            (k..j).all(|i| {
                (i == k || (candidates[i].kind == QuoteKind::Direct && speakers[i].is_none()))
                    && only_marks_between(
                        article.text,
                        candidates[i].span.end,
                        candidates[i + 1].span.start,
                    )
            })
        });
        let previous = (0..k)
            .rev()
            .find(|&j| speakers[j].is_some())
            .filter(|&j| c.paragraph <= candidates[j].paragraph + 1);
        // "A," she said. "B. — a quotation reopened right after an attributed one continues it.
        let reopened = k > 0
            && candidates[k - 1].kind == QuoteKind::Direct
            && follows_closely(article.text, candidates[k - 1].span.end, c.span.start);
        let chosen = if c.continued || reopened {
            previous.or(same_paragraph_next)
        } else {
            runs_into_next.or(previous).or(same_paragraph_next)
        };
        // A person the sentence just before introduces, in the quote's own paragraph, speaks it
        // rather than the previous quote's speaker.
        let introduced = (!c.continued && !reopened && runs_into_next.is_none())
            .then(|| article.paragraphs.get(c.paragraph))
            .flatten()
            .and_then(|p| resolver.introduced_before(c.span.start, p.start));
        let name = match (introduced, chosen) {
            (Some(name), _) => name,
            (None, Some(j)) => speakers[j].clone().unwrap_or_default(),
            (None, None) => resolver.nearest_person(c.span.start).unwrap_or_default(),
        };
        speakers[k] = Some(name);
    }
    candidates
        .drain(..)
        .zip(speakers)
        // "…, hoping that …" with no one named: the writer's own voice, not reported speech.
        .filter(|(c, speaker)| {
            !(c.kind != QuoteKind::Direct
                && matches!(c.source, Source::Subject(_))
                && speaker.as_deref().is_none_or(str::is_empty))
        })
        .map(|(c, speaker)| Quote {
            span: c.span,
            kind: c.kind,
            speaker: speaker.unwrap_or_default(),
            cue: c.cue,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(String, QuoteKind, String, String)> {
        extract(text)
            .into_iter()
            .map(|q| {
                (
                    text[q.span.start..q.span.end].to_string(),
                    q.kind,
                    q.speaker,
                    q.cue,
                )
            })
            .collect()
    }

    #[test]
    fn direct_quote_with_trailing_attribution() {
        let found = quotes(
            "Officials met on Monday.\n\n“We are ready to talk,” said Foreign Minister Anna Berg.",
        );
        assert_eq!(
            found,
            vec![(
                "We are ready to talk,".into(),
                QuoteKind::Direct,
                "Anna Berg".into(),
                "said".into()
            )]
        );
    }

    /// The speaker of the one quote in `text`, with its cue.
    fn speaker_of(text: &str) -> (String, String) {
        let found = quotes(text);
        assert_eq!(found.len(), 1, "{found:?}");
        (found[0].2.clone(), found[0].3.clone())
    }

    #[test]
    fn cue_coordinated_with_an_earlier_verb_speaks_for_the_subject() {
        for text in [
            "Tom Baker paid a fine and said the matter was closed.",
            "Tom Baker visited the site twice but insisted it was safe.",
            "Tom Baker, spokesman for a residents' group, welcomed the plan but said it came late.",
            "The group's envoy in Lisbon, Tom Baker, welcomed the plan and said it came late.",
        ] {
            assert_eq!(speaker_of(text).0, "Tom Baker", "{text}");
        }
    }

    #[test]
    fn participle_after_a_comma_speaks_for_the_subject_opening_the_sentence() {
        let text = "The deal was signed in May. Staff of the Kisumu Water Board yesterday \
                    walked out, saying the deal had cut their pay.";
        assert_eq!(
            speaker_of(text).0,
            "Staff of the Kisumu Water Board",
            "{text}"
        );
    }

    #[test]
    fn threatening_a_noun_after_a_comma_is_no_speech_of_the_subject() {
        let text = "Storm upgraded\n\nMIAMI, Fla. — Hurricane Orla strengthened over warm water on \
                    Monday, threatening a surge of ten feet along the coast.";
        assert!(quotes(text).is_empty(), "{:?}", quotes(text));
        let text = "Talks failed. Dock workers walked out on Monday, threatening to close the port \
                    for a week.";
        assert_eq!(speaker_of(text).0, "Dock workers", "{text}");
    }

    #[test]
    fn capitalised_plural_role_noun_with_a_place_is_an_unnamed_group() {
        let text = "The quake struck at noon. Geologists at the University of Lima said strong \
                    tremors would continue.";
        assert_eq!(
            speaker_of(text).0,
            "Geologists at the University of Lima",
            "{text}"
        );
    }

    #[test]
    fn trailing_said_with_an_unknown_role_noun_before_the_name() {
        for (text, name) in [
            (
                "Images came back. \"It is a very good day for the team,\" said flight director Ingrid Sandvik.",
                "Ingrid Sandvik",
            ),
            (
                "The poll was out. \"The race has tightened since Labor Day,\" said pollster Gary Weintraub, whose firm ran it.",
                "Gary Weintraub",
            ),
        ] {
            assert_eq!(speaker_of(text), (name.into(), "said".into()), "{text}");
        }
    }

    #[test]
    fn trailing_attribution_by_a_name_with_a_lower_case_particle() {
        for (text, name) in [
            (
                "Profit rose. \"Japan is our first market by far,\" chairman Bertrand de Sauveterre told a news conference.",
                "Bertrand de Sauveterre",
            ),
            (
                "He was charged. \"He is a sick man and should stay here,\" van Wyk told reporters.",
                "van Wyk",
            ),
        ] {
            assert_eq!(speaker_of(text), (name.into(), "told".into()), "{text}");
        }
    }

    #[test]
    fn trailing_attribution_by_a_long_title_with_and_before_the_name() {
        let text = "Firms resisted. \"Companies that fail will lose their permits,\" Director General of Minerals and Coal Sutrisno Wibowo told reporters.";
        assert_eq!(speaker_of(text), ("Sutrisno Wibowo".into(), "told".into()));
    }

    #[test]
    fn on_inside_a_body_name_after_according_to() {
        let found = quotes(
            "Some 40 projects were overpriced, according to a 2005 report of the Commission on Audit.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "the Commission on Audit");
    }

    #[test]
    fn owners_body_speaks_as_written_and_the_body_noun_points_back_to_it() {
        let found = quotes(
            "LIMA, June 10 - Peru's central bank raised its benchmark rate on Thursday, saying it wanted to stop a weaker sol from pushing inflation. In a statement, the bank said inflation expectations had risen for four months.",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|q| q.2 == "Peru's central bank"),
            "{found:?}"
        );
    }

    #[test]
    fn split_quote_gives_two_rows_with_one_speaker() {
        let found = quotes("Mayor John Reed spoke. “We tried,” he said, “and we failed.”");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|q| q.2 == "John Reed"), "{found:?}");
    }

    #[test]
    fn reported_speech_with_that() {
        let found =
            quotes("Prime Minister Jane Holt said on Tuesday that the budget would be cut.");
        assert_eq!(
            found,
            vec![(
                "the budget would be cut".into(),
                QuoteKind::Indirect,
                "Jane Holt".into(),
                "said".into()
            )]
        );
    }

    #[test]
    fn mixed_quote() {
        let found =
            quotes("Senator Bill Ames said the plan was \"dead on arrival\" in the Senate.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, QuoteKind::Mixed);
        assert_eq!(found[0].2, "Bill Ames");
    }

    #[test]
    fn standalone_quote_after_reported_speech_in_flattened_copy_keeps_the_previous_speaker() {
        let found = quotes(
            "Mayor Marjorie Hutt says the community hall has been turned into a shelter. \
             \"People are exhausted, but this community has pulled together.\" \
             \"I've never been prouder of this town.\" Dairy farmer Luc Brissette says he has \
             dumped milk. \"We had nowhere to put it,\" said farmer Luc Brissette.",
        );
        let speakers: Vec<&str> = found.iter().map(|q| q.2.as_str()).collect();
        assert_eq!(
            speakers,
            [
                "Marjorie Hutt",
                "Marjorie Hutt",
                "Marjorie Hutt",
                "Luc Brissette",
                "Luc Brissette"
            ],
            "{found:?}"
        );
    }

    #[test]
    fn quote_running_straight_into_an_attributed_one_takes_its_speaker() {
        let found = quotes(
            "Mayor John Reed said the road was closed. \"We waited all night for help.\" \
             \"Nobody came, nobody called,\" said farmer Jane Holt.",
        );
        let speakers: Vec<&str> = found.iter().map(|q| q.2.as_str()).collect();
        assert_eq!(
            speakers,
            ["John Reed", "Jane Holt", "Jane Holt"],
            "{found:?}"
        );
    }

    #[test]
    fn question_quote_followed_by_a_new_report_keeps_the_previous_speaker() {
        let found = quotes(
            "\"They talk about peace and send soldiers into our gardens,\" Mr Joseph Tamasu \
             says. \"How can our people trust that?\" The Defence Force denies any patrols \
             have entered the zone.",
        );
        assert_eq!(found[1].0, "How can our people trust that?");
        assert_eq!(
            (found[1].2.as_str(), found[1].3.as_str()),
            ("Joseph Tamasu", "")
        );
    }

    #[test]
    fn question_quote_with_a_trailing_attribution_keeps_it() {
        let found = quotes("Officials met. \"Where is the money?\" farmer Jane Holt demanded.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].2.as_str(), found[0].3.as_str()),
            ("Jane Holt", "demanded")
        );
    }

    #[test]
    fn the_statement_said_goes_to_the_body_that_issued_it() {
        let found = quotes(
            "Councillor Paddy Brogan said the plan was a disgrace. In a statement, the \
             Shannon-Erne Health Board denied any decision had been taken. \"The board is \
             carrying out a review of emergency services,\" the statement said.",
        );
        let last = found.last().map(|q| (q.2.as_str(), q.3.as_str()));
        assert_eq!(
            last,
            Some(("the Shannon-Erne Health Board", "said")),
            "{found:?}"
        );
    }

    #[test]
    fn a_statement_from_a_body_goes_to_the_body() {
        let found = quotes(
            "The Dongguan municipal labour bureau said it had sent inspectors to the factory. \
             A statement from the bureau called on the company to pay all outstanding overtime.",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|q| q
                .2
                .eq_ignore_ascii_case("the Dongguan municipal labour bureau")),
            "{found:?}"
        );
    }

    #[test]
    fn the_statement_said_with_no_issuer_named_stays_as_written() {
        let found = quotes(
            "Officials met on Monday. \"The talks will resume next week in Geneva,\" the \
             statement said.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "the statement");
    }

    #[test]
    fn according_to_an_owners_report_goes_to_the_owner() {
        let found = quotes(
            "Break-ins fell by 18 per cent last year, according to the Port Alder Police \
             Service's annual report.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "the Port Alder Police Service");
    }

    #[test]
    fn scare_quotes_are_not_quotes() {
        assert!(quotes("The so-called \"peace plan\" was published on Monday.").is_empty());
    }
}
