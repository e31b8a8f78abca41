//! What a classifier reads about one quote: its words and, where the article is at hand, the
//! words around it in its sentence.
//!
//! The speech act of a reported clause is often carried by its cue, not by its words: after
//! "the minister denied" the clause "the payments were ever discussed" is a denial. So the
//! encoder reads the quote between marks with a few words of its sentence on either side, where
//! the cue and the speaker sit:
//!
//! ```text
//! the minister denied « the payments were ever discussed »
//! « We will respond if they cross that line, » the general said
//! ```
//!
//! A [`QuoteInput`] keeps up to [`BEFORE_WORDS`] words before the quote and [`AFTER_WORDS`]
//! after it, inside the quote's own sentences; the heads read all of them as n-grams, which cost
//! nothing. The encoder reads a narrower [`Window`], recorded in the heads' model card, because
//! every token costs encoder time. One format serves `run`, `eval`, `compare`, `train` and every
//! backend: they all build it here.

use serde::{Deserialize, Serialize};

use crate::extract::segment::Span;

/// Words of the quote's sentence kept before it: enough for "According to the country's
/// foreign minister, …" or "Police in the northern city said on Tuesday that …".
pub const BEFORE_WORDS: usize = 10;
/// Words kept after it: enough for ", the union's general secretary told reporters."
pub const AFTER_WORDS: usize = 6;
/// The marks put around the quote in a marked window.
pub const OPEN: char = '«';
pub const CLOSE: char = '»';

/// How much of a quote's surroundings the encoder reads: words before and after it (at most
/// [`BEFORE_WORDS`] and [`AFTER_WORDS`]), and whether marks set the quote off. Zero words on
/// both sides is the quote alone, as heads made before context windows read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub before: usize,
    pub after: usize,
    #[serde(default)]
    pub marked: bool,
}

impl Window {
    /// The quote alone.
    pub const QUOTE_ONLY: Window = Window {
        before: 0,
        after: 0,
        marked: false,
    };

    pub fn is_quote_only(&self) -> bool {
        *self == Window::QUOTE_ONLY
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_quote_only() {
            return write!(f, "quote");
        }
        write!(f, "{},{}", self.before, self.after)?;
        if self.marked {
            write!(f, ",marked")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Window {
    type Err = String;

    /// `quote`, `BEFORE,AFTER` or `BEFORE,AFTER,marked` (words before and after the quote).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "quote" {
            return Ok(Window::QUOTE_ONLY);
        }
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let words = |p: &str, max: usize| -> Result<usize, String> {
            match p.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(format!("{p:?} is not a number of words from 0 to {max}")),
            }
        };
        match parts.as_slice() {
            [b, a] | [b, a, "marked"] => Ok(Window {
                before: words(b, BEFORE_WORDS)?,
                after: words(a, AFTER_WORDS)?,
                marked: parts.len() == 3,
            }),
            _ => Err(format!(
                "{s:?}: expected quote, BEFORE,AFTER or BEFORE,AFTER,marked"
            )),
        }
    }
}

/// One quote to classify.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteInput {
    /// The quote's words, as in the output's `quote` column.
    pub quote: String,
    /// Words of its sentence just before it (the cue and speaker of reported speech); may be empty.
    pub before: String,
    /// Words of its sentence just after it (the attribution of a direct quote); may be empty.
    pub after: String,
}

impl QuoteInput {
    /// A quote without context.
    pub fn plain(quote: &str) -> QuoteInput {
        QuoteInput {
            quote: quote.to_string(),
            ..QuoteInput::default()
        }
    }

    /// The quote at byte range `span` of `text`, whose sentences are `sentences` (in order, as
    /// [`crate::extract::segment::sentences`] gives them), with the window of its sentences around it.
    pub fn in_article(text: &str, sentences: &[Span], span: Span) -> QuoteInput {
        let first = sentences.partition_point(|s| s.end <= span.start);
        let last = sentences.partition_point(|s| s.start < span.end);
        let (from, to) = match (
            sentences.get(first),
            last.checked_sub(1).map(|k| sentences[k]),
        ) {
            (Some(a), Some(b)) if a.start <= span.start && b.end >= span.end => (a.start, b.end),
            _ => (span.start, span.end),
        };
        QuoteInput::around(
            &text[span.start..span.end],
            &text[from..span.start],
            &text[span.end..to],
        )
    }

    /// A labelled quote from a training or evaluation file: `context` is the text around the
    /// quote (its sentence, say) and contains it; without one, a `cue` stands before the quote
    /// as it would in "X denied …".
    pub fn from_columns(quote: &str, cue: &str, context: &str) -> QuoteInput {
        if !context.is_empty()
            && let Some(at) = context.find(quote)
        {
            return QuoteInput::around(quote, &context[..at], &context[at + quote.len()..]);
        }
        QuoteInput::around(quote, cue, "")
    }

    fn around(quote: &str, before: &str, after: &str) -> QuoteInput {
        let is_edge = |c: char| c.is_whitespace() || is_quote_mark(c);
        QuoteInput {
            quote: quote.to_string(),
            before: last_words(before.trim_end_matches(is_edge), BEFORE_WORDS),
            after: first_words(after.trim_start_matches(is_edge), AFTER_WORDS),
        }
    }

    /// The text the encoder reads through `window`: the last words before the quote, the quote
    /// (between marks if the window says so) and the first words after it.
    pub fn encoder_text(&self, window: Window) -> String {
        if window.is_quote_only() {
            return self.quote.clone();
        }
        let before = last_words(&self.before, window.before);
        let after = first_words(&self.after, window.after);
        let (open, close) = (OPEN.to_string(), CLOSE.to_string());
        let mut parts: Vec<&str> = Vec::with_capacity(5);
        if !before.is_empty() {
            parts.push(&before);
        }
        if window.marked {
            parts.push(&open);
        }
        parts.push(self.quote.trim());
        if window.marked {
            parts.push(&close);
        }
        if !after.is_empty() {
            parts.push(&after);
        }
        parts.join(" ")
    }
}

fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '‘' | '’' | '\'' | '«' | '»' | '„' | '‹' | '›'
    )
}

fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::segment;

    fn input_for(text: &str, quote: &str) -> QuoteInput {
        let start = text.find(quote).expect("quote in text");
        let span = Span::new(start, start + quote.len());
        QuoteInput::in_article(text, &segment::sentences(text), span)
    }

    #[test]
    fn reported_speech_keeps_its_cue_and_speaker() {
        let text = "Talks stalled. The minister denied the payments were ever discussed. Nobody else spoke.";
        let input = input_for(text, "the payments were ever discussed");
        assert_eq!(input.before, "The minister denied");
        assert_eq!(input.after, ".");
        let marked = Window {
            before: 10,
            after: 6,
            marked: true,
        };
        assert_eq!(
            input.encoder_text(marked),
            "The minister denied « the payments were ever discussed » ."
        );
        let narrow = Window {
            before: 1,
            after: 0,
            marked: false,
        };
        assert_eq!(
            input.encoder_text(narrow),
            "denied the payments were ever discussed"
        );
        assert_eq!(
            input.encoder_text(Window::QUOTE_ONLY),
            "the payments were ever discussed"
        );
    }

    #[test]
    fn a_direct_quote_keeps_its_attribution_without_the_marks() {
        let text = "“We will respond,” the general said on Friday. “That is all.”";
        let input = input_for(text, "We will respond,");
        assert_eq!(input.before, "");
        assert_eq!(input.after, "the general said on Friday.");
    }

    #[test]
    fn the_window_stays_inside_the_quotes_sentences_and_its_budget() {
        let text = "One two three four five six seven eight nine ten eleven twelve said the thing was done, he added. Next sentence here.";
        let input = input_for(text, "the thing was done");
        assert_eq!(input.before.split_whitespace().count(), BEFORE_WORDS);
        assert!(input.before.ends_with("twelve said"));
        assert_eq!(input.after, ", he added.");
        let multi = "Intro. “First sentence. Second sentence,” she said. After.";
        let input = input_for(multi, "First sentence. Second sentence,");
        assert_eq!(input.before, "", "nothing of the sentence before");
        assert_eq!(input.after, "she said.");
    }

    #[test]
    fn labelled_quotes_take_their_context_or_their_cue() {
        let from_context =
            QuoteInput::from_columns("Y of lying", "accused", "Later X accused Y of lying.");
        assert_eq!(from_context.before, "Later X accused");
        assert_eq!(from_context.after, ".");
        let from_cue = QuoteInput::from_columns("the payments were discussed", "denied", "");
        let window: Window = "3,2,marked".parse().unwrap();
        assert_eq!(
            from_cue.encoder_text(window),
            "denied « the payments were discussed »"
        );
        assert_eq!(QuoteInput::plain("Fine.").encoder_text(window), "« Fine. »");
        let missing = QuoteInput::from_columns("not there", "", "Some other sentence.");
        assert_eq!(missing, QuoteInput::plain("not there"));
    }

    #[test]
    fn windows_parse_and_print_alike() {
        for spec in ["quote", "3,2", "10,6,marked", "0,1"] {
            let window: Window = spec.parse().unwrap();
            assert_eq!(window.to_string(), spec);
        }
        assert!("11,2".parse::<Window>().is_err(), "over the words kept");
        assert!("3".parse::<Window>().is_err());
        assert!("3,2,bold".parse::<Window>().is_err());
        assert!("0,0".parse::<Window>().unwrap().is_quote_only());
    }

    #[test]
    fn a_span_outside_every_sentence_is_its_own_window() {
        let text = "Hello there.";
        let input = QuoteInput::in_article(text, &[], Span::new(0, 5));
        assert_eq!(input, QuoteInput::plain("Hello"));
    }
}
