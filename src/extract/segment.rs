//! Rule-based sentence segmentation for news text.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis followed by white space and a word that can open a
//! sentence, unless the full stop belongs to an abbreviation ("Dr.", "No. 10"), an initial ("George W.
//! Bush") or a multi-period abbreviation that does not end the sentence ("the U.S. Senate"), or the
//! punctuation closes a quotation followed by its attribution ("Go!" Smith said.). Paragraph breaks
//! (blank lines) always end a sentence, and so does a line break after a headline-like line.
//!
//! All offsets are byte offsets into the text, on `char` boundaries.

use crate::extract::words;

/// A half-open byte range `start..end` into a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The paragraphs of `text`: runs of text separated by blank lines, trimmed of surrounding white
/// space. Empty paragraphs are not returned.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            // A blank line: newline, optional horizontal space, newline.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                push_trimmed(text, start, i, &mut spans);
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

/// The sentences of `text`, in order, trimmed of surrounding white space.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for paragraph in paragraphs(text) {
        split_paragraph(text, paragraph, &mut out);
    }
    out
}

/// Pushes `start..end` trimmed of white space, when anything is left.
fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | '»' | ')' | ']' | '}' | '›')
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '«' | '„' | '(' | '[' | '‹')
}

fn split_paragraph(text: &str, paragraph: Span, out: &mut Vec<Span>) {
    let chars: Vec<(usize, char)> = text[paragraph.start..paragraph.end]
        .char_indices()
        .map(|(i, c)| (i + paragraph.start, c))
        .collect();
    let byte_at = |k: usize| chars.get(k).map_or(paragraph.end, |&(b, _)| b);
    let mut sentence_start = paragraph.start;
    if paragraph.start == first_text_offset(text)
        && let Some(split) = glued_headline(text, paragraph)
    {
        push_trimmed(text, paragraph.start, split, out);
        sentence_start = split;
    }
    let mut k = chars.partition_point(|&(b, _)| b < sentence_start);
    while k < chars.len() {
        let c = chars[k].1;
        if c == '\n' && headline_break(text, sentence_start, &chars, k) {
            push_trimmed(text, sentence_start, chars[k].0, out);
            sentence_start = byte_at(k + 1);
            k += 1;
            continue;
        }
        if !is_terminal(c) {
            k += 1;
            continue;
        }
        // The run of terminal punctuation, then any closing quotes or brackets.
        let run_start = k;
        let mut j = k;
        while j < chars.len() && is_terminal(chars[j].1) {
            j += 1;
        }
        let run_end = j;
        while j < chars.len() && is_closing(chars[j].1) {
            j += 1;
        }
        let closed_quote = j > run_end;
        if j < chars.len() && !chars[j].1.is_whitespace() {
            // "3.5", "example.com", "U.S.-led": no white space, no boundary; but a capital right
            // after a lower-case word's full stop is a missing space ("the laws.Premier Allan").
            if missing_space(&chars, run_start, j) {
                push_trimmed(text, sentence_start, byte_at(j), out);
                sentence_start = byte_at(j);
            }
            k = j.max(k + 1);
            continue;
        }
        let mut m = j;
        while m < chars.len() && chars[m].1.is_whitespace() {
            m += 1;
        }
        if m >= chars.len() {
            break; // the paragraph's end closes the sentence
        }
        if ends_sentence(text, &chars, run_start, run_end, closed_quote, m) {
            push_trimmed(text, sentence_start, byte_at(j), out);
            sentence_start = byte_at(m);
        }
        k = m;
    }
    push_trimmed(text, sentence_start, paragraph.end, out);
}

/// Decides whether the terminal run `run_start..run_end` (followed by closing marks, white space and
/// the character at `next`) ends a sentence.
fn ends_sentence(
    text: &str,
    chars: &[(usize, char)],
    run_start: usize,
    run_end: usize,
    closed_quote: bool,
    next: usize,
) -> bool {
    let next_char = chars[next].1;
    let next_word = word_at(text, chars, next);
    let starts_upper = next_char.is_uppercase() || next_char.is_numeric();
    if !(starts_upper || is_opening(next_char)) {
        return false; // "Go!" he said; "etc. and"; "…and so"
    }
    let run: String = chars[run_start..run_end].iter().map(|&(_, c)| c).collect();
    if closed_quote && run != "." && attribution_follows(text, chars, next) {
        return false; // "Go!" Smith said. (A full stop inside the marks ends the sentence.)
    }
    if run != "." {
        return true; // "?!", "...", "…" followed by a capital
    }
    let before = word_before(chars, run_start);
    if before.is_empty() {
        return true;
    }
    let key = before.trim_end_matches('.').to_lowercase();
    let opener = words::is_sentence_opener(&next_word) || is_opening(next_char);
    if key == "no" && !next_char.is_numeric() {
        return true; // "… a town that votes No. Returning officer …": the answer, not "No. 10"
    }
    if words::is_prefix_abbreviation(&key) {
        // "Dr. Smith", "No. 10"; but "at 10 a.m. on Jan. 5" — months before a number only.
        return false;
    }
    if key == "etc" {
        return true; // "pens, paper etc. The school …": a list's end, then a new sentence
    }
    if words::is_ambiguous_abbreviation(&key) {
        return opener;
    }
    let letters: Vec<char> = before.chars().filter(|c| *c != '.').collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        // An initial: "George W. Bush", "J. K. Rowling".
        return opener && next_word.len() > 1;
    }
    if before.contains('.') && letters.iter().all(|c| c.is_alphabetic()) && letters.len() <= 4 {
        // Unknown dotted abbreviation ("U.A.E.", "Ph.D."): same rule as the ambiguous ones.
        return opener;
    }
    true
}

/// "…the criticism.Premier Jacinta Allan": a full stop glued to a capitalised word after a plain
/// lower-case word (not an abbreviation, not a domain name).
fn missing_space(chars: &[(usize, char)], run_start: usize, next: usize) -> bool {
    let before = word_before(chars, run_start);
    let next_char = chars[next].1;
    let lower_word = before.len() >= 2 && before.chars().all(|c| c.is_lowercase());
    let following: String = chars[next..]
        .iter()
        .map(|&(_, c)| c)
        .skip_while(|c| is_opening(*c))
        .take_while(|c| c.is_alphabetic())
        .collect();
    lower_word
        && (next_char.is_uppercase() || matches!(next_char, '“' | '«' | '‘'))
        && following.chars().next().is_some_and(char::is_uppercase)
        && following.chars().skip(1).all(char::is_lowercase)
        && !words::is_prefix_abbreviation(&before)
        && !words::is_ambiguous_abbreviation(&before)
}

/// The word (letters, digits, apostrophes, hyphens, inner dots) that ends just before index `end`.
fn word_before(chars: &[(usize, char)], end: usize) -> String {
    let mut i = end;
    while i > 0 {
        let c = chars[i - 1].1;
        if c.is_alphanumeric() || c == '.' || c == '-' || c == '\'' || c == '’' {
            i -= 1;
        } else {
            break;
        }
    }
    chars[i..end]
        .iter()
        .map(|&(_, c)| c)
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// The alphabetic word starting at index `start`, skipping opening marks.
fn word_at(_text: &str, chars: &[(usize, char)], start: usize) -> String {
    chars[start..]
        .iter()
        .map(|&(_, c)| c)
        .skip_while(|c| is_opening(*c))
        .take_while(|c| c.is_alphanumeric())
        .collect()
}

/// True when the words from `start` read like an attribution: up to four capitalised words or a
/// pronoun, then a speech verb ("Smith said", "Prime Minister Jane Doe told", "she asked").
fn attribution_follows(text: &str, chars: &[(usize, char)], start: usize) -> bool {
    let rest_start = chars[start].0;
    let rest = &text[rest_start..];
    for (seen, word) in rest.split_whitespace().take(6).enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.is_empty() {
            return false;
        }
        if words::is_cue_verb(bare) {
            return seen > 0 || bare.chars().next().is_some_and(char::is_lowercase);
        }
        if seen >= 5 || word.ends_with(['.', ',', ';', ':', '!', '?']) {
            return false;
        }
    }
    false
}

fn first_text_offset(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// Words that cannot end a headline glued to the first sentence: a headline's last word is not a
/// preposition, an article or a conjunction ("… in The Hague", "… told The Times").
const NOT_HEADLINE_END: &[&str] = &[
    "in", "of", "at", "to", "for", "by", "from", "on", "with", "into", "via", "about", "and", "or",
    "the", "a", "an", "told", "said", "says", "as", "than", "over", "under", "near", "against",
];

/// In copy stored on one line, the headline runs into the first sentence with only a space:
/// "Galway ring road works to start in spring Galway County Council says …", "… market town,
/// four civilians dead BAMAKO, Feb 19 (Wire) - …". Returns where the first sentence starts: before
/// an all-capitals dateline, or before "The"/"A" or a capitalised name that is the subject of a
/// speech verb within a few words, after at least four headline words.
fn glued_headline(text: &str, paragraph: Span) -> Option<usize> {
    let para = &text[paragraph.start..paragraph.end];
    let line_end = para.find('\n').unwrap_or(para.len());
    let words: Vec<(usize, &str)> = para[..line_end]
        .split_whitespace()
        .take(40)
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let last = words
        .iter()
        .position(|(_, w)| w.ends_with(['.', '!', '?', ':', ';']))
        .unwrap_or(words.len());
    (4..last.min(24)).find_map(|i| {
        let (prev, (at, word)) = (words[i - 1].1, words[i]);
        let clean_prev = prev.chars().last().is_some_and(char::is_alphanumeric)
            && !NOT_HEADLINE_END.contains(&prev.to_lowercase().as_str());
        (clean_prev && (is_dateline(&words[i..]) || subject_of_cue(&words[i..], prev)))
            .then_some(at)
            .filter(|_| word.chars().next().is_some_and(char::is_uppercase))
    })
}

/// "MOGADISHU, July 21 (Wire) -", "COX'S BAZAR, Bangladesh", "SUVA, Friday -", "HONIARA:".
fn is_dateline(words: &[(usize, &str)]) -> bool {
    let caps = words
        .iter()
        .take_while(|(_, w)| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            !letters.is_empty() && letters.iter().all(|c| c.is_uppercase())
        })
        .count();
    let Some(&(_, last)) = caps.checked_sub(1).and_then(|k| words.get(k)) else {
        return false;
    };
    let letters = words[..caps]
        .iter()
        .map(|(_, w)| w.chars().filter(|c| c.is_alphabetic()).count())
        .sum::<usize>();
    let next = words.get(caps).map_or("", |(_, w)| *w);
    letters >= 4
        && (last.ends_with([',', ':']) || ["-", "—", "–"].contains(&next) || next.starts_with('('))
}

/// "The Bureau of Meteorology says" (up to six words after "The" or "A"), "Mirrabrook City Council
/// says" (a run of capitalised words after a lower-case word), then a speech verb.
fn subject_of_cue(words: &[(usize, &str)], prev: &str) -> bool {
    let is_cue = |w: &str| ["says", "say", "said"].contains(&w);
    let Some(cue) = words.iter().take(7).position(|(_, w)| is_cue(w)) else {
        return false;
    };
    let subject = &words[..cue];
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let plain = subject.iter().all(|(_, w)| {
        w.trim_end_matches(['\'', '’'])
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric)
    });
    let first = subject.first().map_or("", |(_, w)| *w);
    let article = ["The", "A", "An"].contains(&first);
    let name = subject.iter().all(|(_, w)| capital(w))
        && !words::is_capitalised_non_name(first)
        && prev.chars().next().is_some_and(char::is_lowercase);
    cue > 0 && plain && (article || name)
}

/// True when the line break at `k` follows a headline-like line: no final punctuation, short, and
/// mostly capitalised words, with the next line starting with a capital.
fn headline_break(text: &str, line_start: usize, chars: &[(usize, char)], k: usize) -> bool {
    let line = text[line_start..chars[k].0].trim();
    let next = chars[k + 1..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace());
    if line.is_empty() || !next.is_some_and(|c| c.is_uppercase() || is_opening(c)) {
        return false;
    }
    // Only consider the last line of the current sentence so far.
    let line = line.rsplit('\n').next().unwrap_or(line).trim();
    if line.ends_with(|c: char| is_terminal(c) || c == ',' || c == ';' || c == ':') {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 16 {
        return false;
    }
    // The text's first line, short and unpunctuated, is its headline even in sentence case.
    if line_start == first_text_offset(text) && !text[line_start..chars[k].0].contains('\n') {
        return true;
    }
    if words.len() > 14 {
        return false;
    }
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        .count();
    capitalised * 3 >= words.len() * 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn paragraphs_are_split_on_blank_lines() {
        let text = "One.\n\nTwo\nstill two.\n \n\nThree.";
        let spans: Vec<&str> = paragraphs(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(spans, vec!["One.", "Two\nstill two.", "Three."]);
    }

    #[test]
    fn the_answer_no_ends_a_sentence_but_no_before_a_number_does_not() {
        assert_eq!(
            split("Few towns will vote No. Returning officer Jo Roe says polls open at eight."),
            vec![
                "Few towns will vote No.",
                "Returning officer Jo Roe says polls open at eight."
            ]
        );
        assert_eq!(
            split("He went to No. 10 Downing Street."),
            vec!["He went to No. 10 Downing Street."]
        );
    }

    #[test]
    fn simple_split() {
        assert_eq!(
            split("It rained. We stayed in."),
            vec!["It rained.", "We stayed in."]
        );
    }
}
