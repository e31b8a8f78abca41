//! Finding quotations: pairing quote marks inside paragraphs.
//!
//! Double marks (`"…"`, `“…”`, `„…“`, `«…»`) are paired first, then single marks (`‘…’`, `'…'`) in
//! the text outside double quotations, so that apostrophes ("don't", "Peskov's", "'Ndrangheta") are
//! not mistaken for quotations. A mark that opens and never closes is dropped and the paragraph is
//! paired again without it, so an unbalanced mark never swallows the rest of the text. A paragraph
//! that ends inside a quotation continues into the next one only when that paragraph reopens with the
//! same kind of mark (the news convention for quotes over several paragraphs).

use crate::extract::segment::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    pos: usize,
    ch: char,
    can_open: bool,
    can_close: bool,
    /// Closes only when no other closing mark follows ("the players’ union" vs "‘measures’ to").
    weak: bool,
}

/// One quotation (or one paragraph of a quotation running over several paragraphs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// The text between the marks, trimmed of white space.
    pub inner: Span,
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset just after the closing mark (or the paragraph end when the quote runs on).
    pub close_end: usize,
    /// The quotation runs on into the next paragraph.
    pub runs_on: bool,
    /// The quotation continues one from the previous paragraph.
    pub continued: bool,
}

/// All top-level quotations of `text`, in order. Quotations nested inside another are not returned.
pub fn quotations(text: &str, paragraphs: &[Span]) -> Vec<Quotation> {
    let mut found = Vec::new();
    for family in [Family::Double, Family::Single] {
        // Marks inside quotations of the family paired before are not considered.
        let mut blocked: Vec<Span> = found
            .iter()
            .map(|q: &Quotation| Span::new(q.open, q.close_end))
            .collect();
        blocked.sort();
        let is_blocked = |pos: usize| {
            let k = blocked.partition_point(|b| b.end <= pos);
            blocked.get(k).is_some_and(|b| b.start <= pos)
        };
        let mut continued = false;
        for (p, paragraph) in paragraphs.iter().enumerate() {
            let marks: Vec<Mark> = marks_in(text, *paragraph, family)
                .into_iter()
                .filter(|m| !is_blocked(m.pos))
                .collect();
            let next_reopens = paragraphs
                .get(p + 1)
                .is_some_and(|next| starts_with_opener(text, *next, family));
            continued = paragraph_quotations(
                text,
                *paragraph,
                &marks,
                next_reopens,
                continued,
                &mut found,
            );
        }
    }
    found.sort_by_key(|q| (q.open, std::cmp::Reverse(q.close_end)));
    // Drop quotations nested inside another one (sorted by start, so a running end suffices).
    let mut reach = 0;
    found.retain(|q| {
        let nested = q.close_end <= reach;
        reach = reach.max(q.close_end);
        !nested
    });
    found
}

/// Pairs the marks of one paragraph and pushes its quotations. Returns true when the paragraph ends
/// inside a quotation that the next paragraph continues.
fn paragraph_quotations(
    text: &str,
    paragraph: Span,
    marks: &[Mark],
    next_reopens: bool,
    continued: bool,
    found: &mut Vec<Quotation>,
) -> bool {
    let mut pairing = pair(text, paragraph, marks, next_reopens);
    if let Some(open) = pairing.dangling
        && !plausible_run_on(text, marks[open].pos, paragraph.end)
    {
        pairing = pair(text, paragraph, marks, false);
    }
    for (i, &(open, close, implicit)) in pairing.pairs.iter().enumerate() {
        let open_mark = marks[open];
        let inner_start = open_mark.pos + open_mark.ch.len_utf8();
        let close_mark = marks[close];
        // An implicit close ends where the next quotation opens and takes no mark of its own.
        let close_end = if implicit {
            close_mark.pos
        } else {
            close_mark.pos + close_mark.ch.len_utf8()
        };
        push(
            text,
            found,
            inner_start,
            close_mark.pos,
            open_mark.pos,
            close_end,
            false,
            continued && i == 0 && is_first(marks, open),
        );
    }
    if let Some(open) = pairing.tail {
        let open_mark = marks[open];
        let inner_start = open_mark.pos + open_mark.ch.len_utf8();
        push(
            text,
            found,
            inner_start,
            paragraph.end,
            open_mark.pos,
            paragraph.end,
            false,
            false,
        );
    }
    let Some(open) = pairing.dangling else {
        return false;
    };
    let open_mark = marks[open];
    let first = is_first(marks, open);
    let inner_start = open_mark.pos + open_mark.ch.len_utf8();
    push(
        text,
        found,
        inner_start,
        paragraph.end,
        open_mark.pos,
        paragraph.end,
        true,
        continued && first && pairing.pairs.is_empty(),
    );
    true
}

/// A quotation that runs on past its paragraph is a full sentence or more, not a stray mark.
fn plausible_run_on(text: &str, open: usize, end: usize) -> bool {
    let inner = text[open..end].trim_end();
    inner.split_whitespace().count() >= 4 && inner.ends_with(|c: char| ".!?…,;:-—".contains(c))
}

fn is_first(marks: &[Mark], index: usize) -> bool {
    marks.iter().position(|m| m.can_open) == Some(index)
}

#[allow(clippy::too_many_arguments)]
fn push(
    text: &str,
    found: &mut Vec<Quotation>,
    start: usize,
    end: usize,
    open: usize,
    close_end: usize,
    runs_on: bool,
    continued: bool,
) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return;
    }
    found.push(Quotation {
        inner: Span::new(start + lead, end - trail),
        open,
        close_end,
        runs_on,
        continued,
    });
}

fn family_of(c: char) -> Option<Family> {
    match c {
        '"' | '“' | '”' | '„' | '«' | '»' => Some(Family::Double),
        '\'' | '‘' | '’' => Some(Family::Single),
        _ => None,
    }
}

fn starts_with_opener(text: &str, paragraph: Span, family: Family) -> bool {
    let first = text[paragraph.start..paragraph.end].chars().next();
    match first {
        Some(c) => family_of(c) == Some(family) && !matches!(c, '”' | '»' | '’'),
        None => false,
    }
}

/// Words that start with an apostrophe of elision, never an opening quote mark.
const ELISIONS: &[&str] = &[
    "em",
    "n",
    "til",
    "cause",
    "tis",
    "twas",
    "ndrangheta",
    "bout",
    "round",
    "s",
];

fn marks_in(text: &str, paragraph: Span, family: Family) -> Vec<Mark> {
    let slice = &text[paragraph.start..paragraph.end];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut marks = Vec::new();
    for (k, &(offset, ch)) in chars.iter().enumerate() {
        if family_of(ch) != Some(family) {
            continue;
        }
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|&(_, c)| c);
        // An opening mark before counts as space ("‘“Nested"), a closing one does not ("…?”’").
        let left_space = prev.is_none_or(|c| {
            c.is_whitespace()
                || "([{—–-/“‘«„".contains(c)
                || ((c == '"' || c == '\'') && k >= 2 && chars[k - 2].1.is_whitespace())
        });
        let right_space = next.is_none_or(char::is_whitespace);
        let right_punct =
            next.is_some_and(|c| ".,;:!?)]}…—–-".contains(c) || family_of(c).is_some());
        let (can_open, can_close) = match ch {
            '“' => (true, !left_space && (right_space || right_punct)),
            '„' | '«' => (true, false),
            '”' | '»' => (false, true),
            '"' => (left_space, right_space || (!left_space && right_punct)),
            _ => {
                // Single marks: apostrophes are far more common than quotation marks.
                let alnum_both = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if alnum_both {
                    continue;
                }
                let following: String = chars[k + 1..]
                    .iter()
                    .map(|&(_, c)| c)
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                let elision = left_space
                    && (ELISIONS.contains(&following.to_lowercase().as_str())
                        || following.starts_with(|c: char| c.is_ascii_digit()));
                if elision {
                    continue;
                }
                if prev == Some('s') && right_space && plural_possessive(&chars, k) {
                    marks.push(Mark {
                        pos: paragraph.start + offset,
                        ch,
                        can_open: false,
                        can_close: true,
                        weak: true,
                    });
                    continue;
                }
                match ch {
                    '‘' => (next.is_some_and(|c| !c.is_whitespace()), false),
                    '’' => (false, !left_space),
                    _ => (
                        left_space && !right_space,
                        !left_space && (right_space || right_punct),
                    ),
                }
            }
        };
        // `said."They knew`: a straight mark glued after a full stop and before a capital opens.
        let glued_open = ch == '"'
            && prev.is_some_and(|c| ".!?".contains(c))
            && next.is_some_and(char::is_uppercase);
        if can_open || can_close || glued_open {
            marks.push(Mark {
                pos: paragraph.start + offset,
                ch,
                can_open: can_open || glued_open,
                can_close: can_close && !glued_open,
                weak: false,
            });
        }
    }
    marks
}

/// "the players’ union": a mark after a plural `s`, followed by a lower-case word that does not read
/// like an attribution, is a possessive apostrophe.
fn plural_possessive(chars: &[(usize, char)], k: usize) -> bool {
    let following: String = chars[k + 1..]
        .iter()
        .map(|&(_, c)| c)
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_alphabetic())
        .collect();
    following.chars().next().is_some_and(char::is_lowercase)
        && !crate::extract::words::is_cue_verb(&following)
        && !crate::extract::words::is_speaker_pronoun(&following)
}

fn closes(open: char, close: char) -> bool {
    match open {
        '„' => matches!(close, '“' | '”' | '"'),
        '«' => close == '»',
        '“' | '"' => matches!(close, '”' | '"'),
        '‘' | '\'' => matches!(close, '’' | '\''),
        _ => false,
    }
}

/// The marks of a paragraph, paired.
struct Pairing {
    /// (opening, closing, implicit) indices into the marks. An implicit pair is closed by the next
    /// opening mark of flattened copy (`"We are done. "The rest…`), not by a closing mark.
    pairs: Vec<(usize, usize, bool)>,
    /// An opening mark left open at the paragraph's end, kept only when the next paragraph reopens.
    dangling: Option<usize>,
    /// An opening mark left open at the end of flattened copy whose words run to the paragraph's end
    /// (`…," he said. "Engineers are checking every aircraft.`).
    tail: Option<usize>,
}

/// Pairs marks left to right.
fn pair(text: &str, paragraph: Span, marks: &[Mark], next_reopens: bool) -> Pairing {
    let mut disabled = vec![false; marks.len()];
    loop {
        let mut pairs = Vec::new();
        let mut open: Option<usize> = None;
        for (i, mark) in marks.iter().enumerate() {
            if disabled[i] {
                continue;
            }
            match open {
                None => {
                    if mark.can_open {
                        open = Some(i);
                    }
                }
                Some(o) => {
                    let stronger_later = mark.weak
                        && marks[i + 1..]
                            .iter()
                            .any(|m| m.can_close && !m.weak && closes(marks[o].ch, m.ch));
                    if mark.can_close && closes(marks[o].ch, mark.ch) && !stronger_later {
                        pairs.push((o, i, false));
                        open = None;
                    } else if mark.can_open && !mark.can_close && marks[o].ch == mark.ch {
                        // A second opener of the same kind: the first one was never closed. In
                        // flattened copy, a finished sentence before it is a quotation of its own.
                        if ends_flattened(text, marks[o], mark.pos) {
                            pairs.push((o, i, true));
                        } else {
                            disabled[o] = true;
                        }
                        open = Some(i);
                    }
                }
            }
        }
        match open {
            Some(o) if !next_reopens => {
                if follows_pair(&pairs, o) && is_tail(text, marks[o], paragraph.end) {
                    return Pairing {
                        pairs,
                        dangling: None,
                        tail: Some(o),
                    };
                }
                disabled[o] = true; // unbalanced: drop it and pair again
            }
            dangling => {
                return Pairing {
                    pairs,
                    dangling,
                    tail: None,
                };
            }
        }
    }
}

/// True when the quotation opened by `open` holds a finished sentence of at least three words up
/// to `next`, where another quotation opens after white space: `"We are done. "The rest…`.
fn ends_flattened(text: &str, open: Mark, next: usize) -> bool {
    let start = open.pos + open.ch.len_utf8();
    let before_space = text[..next].ends_with(char::is_whitespace);
    let inner = text[start..next].trim_end();
    before_space
        && inner.ends_with(|c: char| ".!?…".contains(c))
        && inner.split_whitespace().count() >= 3
}

/// True when the mark at `o` opens right after a pair closed by the mark before it.
fn follows_pair(pairs: &[(usize, usize, bool)], o: usize) -> bool {
    pairs
        .last()
        .is_some_and(|&(_, close, _)| close + 1 == o || close == o)
}

/// The last quotation of flattened copy, never closed: one or two finished sentences to the end.
fn is_tail(text: &str, open: Mark, end: usize) -> bool {
    let start = open.pos + open.ch.len_utf8();
    let inner = text[start..end].trim_end();
    let words = inner.split_whitespace().count();
    let sentences = inner
        .split_whitespace()
        .filter(|w| w.ends_with(|c: char| ".!?…".contains(c)))
        .count();
    text[..open.pos]
        .trim_end()
        .ends_with(|c: char| ".!?…".contains(c))
        && inner.ends_with(|c: char| ".!?…".contains(c))
        && (4..=60).contains(&words)
        && sentences <= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::segment::paragraphs;

    fn quoted(text: &str) -> Vec<&str> {
        quotations(text, &paragraphs(text))
            .iter()
            .map(|q| &text[q.inner.start..q.inner.end])
            .collect()
    }

    #[test]
    fn pairs_every_style() {
        assert_eq!(quoted(r#"He said "yes" and "no"."#), vec!["yes", "no"]);
        assert_eq!(
            quoted("“Curly,” she said, “works.”"),
            vec!["Curly,", "works."]
        );
        assert_eq!(
            quoted("« Nous sommes prêts », a-t-il dit."),
            vec!["Nous sommes prêts"]
        );
        assert_eq!(
            quoted("„Wir sind bereit“, sagte er."),
            vec!["Wir sind bereit"]
        );
        assert_eq!(quoted("‘We won’t go,’ he said."), vec!["We won’t go,"]);
        assert_eq!(quoted("'We won't go,' he said."), vec!["We won't go,"]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(
            quoted("Peskov's aide didn't say. The 'Ndrangheta is old. The '90s were long.")
                .is_empty()
        );
        assert_eq!(
            quoted("‘The players’ union will strike,’ she said."),
            vec!["The players’ union will strike,"]
        );
    }

    #[test]
    fn nested_quotes_stay_inside() {
        assert_eq!(
            quoted("“He told me ‘never again’ twice,” she said."),
            vec!["He told me ‘never again’ twice,"]
        );
    }

    #[test]
    fn unbalanced_mark_does_not_swallow_text() {
        let text = "A stray “ mark here. Then “a real quote,” he said.\n\nNext “one” too.";
        assert_eq!(quoted(text), vec!["a real quote,", "one"]);
    }

    #[test]
    fn quote_runs_over_paragraphs() {
        let text = "“First part of it.\n\n“Second part,” he said.";
        let qs = quotations(text, &paragraphs(text));
        assert_eq!(qs.len(), 2);
        assert!(qs[0].runs_on && !qs[0].continued);
        assert!(qs[1].continued && !qs[1].runs_on);
    }
}
