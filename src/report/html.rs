//! `report`: one self-contained HTML page over a run's quotes, to open from a USB stick with no
//! network. The page is static CSS and JavaScript (`page.css`, `page.js`) around the data, which
//! is embedded as JSON in a `<script type="application/json">` block and drawn by the script
//! (charts are inline SVG, every text from the data goes through `textContent`).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Quotes, ReportError, day_of, sentiment_order, stance_order};
use crate::extract::quotes::QuoteKind;
use crate::ingest::Corpus;

/// The most quotes a page holds. Beyond it the page keeps an evenly spaced sample (every
/// `total / MAX_QUOTES`-th quote, in file order) and says so: 200,000 quotes are about 40 MB of
/// JSON at most, which browsers still parse in a few seconds.
pub const MAX_QUOTES: usize = 200_000;

/// How far (in characters) from a quote its cue is looked for in the article text.
const CUE_WINDOW: usize = 200;

/// Article texts by id, for the article view.
pub type Articles = HashMap<String, String>;

/// Reads from `corpus` the texts of the articles `quotes` cite (and no others, to keep memory to
/// what the page needs). Records that cannot be read are passed over: a quote that needs one is
/// then reported as a missing article.
pub fn read_articles(quotes: &Quotes, corpus: Corpus) -> Articles {
    let wanted: HashSet<&str> = quotes
        .table
        .rows
        .iter()
        .map(|r| r.article_id.as_str())
        .collect();
    corpus
        .filter_map(Result::ok)
        .filter(|a| wanted.contains(a.id.as_str()))
        .map(|a| (a.id, a.text))
        .collect()
}

/// The quote columns of the page's data, one array per field (far smaller than an object per
/// quote). Labels, speakers, articles and cues are indices into the dictionaries of [`Data`].
#[derive(Serialize, Default)]
struct Columns {
    /// Article index.
    a: Vec<usize>,
    /// Quote index within the article.
    i: Vec<usize>,
    /// Speaker index.
    sp: Vec<usize>,
    /// Kind index.
    k: Vec<usize>,
    /// Stance index, stance score.
    st: Vec<usize>,
    ss: Vec<Option<f64>>,
    /// Sentiment index, sentiment score.
    se: Vec<usize>,
    ses: Vec<Option<f64>>,
    /// Quote text.
    t: Vec<String>,
    /// Cue index.
    c: Vec<usize>,
    /// Day (`YYYY-MM-DD`), "" when unknown; present only with a `date` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<Vec<String>>,
}

/// One article of the article view: its text cut into parts `[text, quote, cue]`, where quote
/// is the row of the quote the part belongs to (-1 for none) and cue is 1 inside the cue.
#[derive(Serialize)]
struct ArticleText {
    a: usize,
    parts: Vec<(String, i64, u8)>,
}

/// Everything the page shows.
#[derive(Serialize)]
struct Data {
    source: String,
    total: usize,
    shown: usize,
    limit: usize,
    sample: Option<String>,
    stances: Vec<String>,
    sentiments: Vec<String>,
    kinds: Vec<&'static str>,
    speakers: Vec<String>,
    articles: Vec<String>,
    cues: Vec<String>,
    q: Columns,
    texts: Option<Vec<ArticleText>>,
}

/// Interns strings as indices into a dictionary.
#[derive(Default)]
struct Dictionary {
    values: Vec<String>,
    index: HashMap<String, usize>,
}

impl Dictionary {
    fn from(values: Vec<String>) -> Dictionary {
        let index = values
            .iter()
            .enumerate()
            .map(|(k, v)| (v.clone(), k))
            .collect();
        Dictionary { values, index }
    }

    fn get(&mut self, value: &str) -> usize {
        if let Some(&k) = self.index.get(value) {
            return k;
        }
        self.values.push(value.to_string());
        self.index.insert(value.to_string(), self.values.len() - 1);
        self.values.len() - 1
    }
}

/// The rows a page keeps: all of them, or an evenly spaced sample of [`MAX_QUOTES`].
fn kept_rows(total: usize) -> (Vec<usize>, Option<String>) {
    if total <= MAX_QUOTES {
        return ((0..total).collect(), None);
    }
    let rows = (0..MAX_QUOTES).map(|k| k * total / MAX_QUOTES).collect();
    let note = format!(
        "The file has {total} quotes, more than the page's limit of {MAX_QUOTES}: it shows an \
         evenly spaced sample of {MAX_QUOTES} (about every {:.1}th quote, in file order), and \
         every figure is computed on that sample.",
        total as f64 / MAX_QUOTES as f64
    );
    (rows, Some(note))
}

/// A score rounded to the four decimals of the CSV.
fn score(value: Option<f32>) -> Option<f64> {
    value.map(|v| (f64::from(v) * 1e4).round() / 1e4)
}

/// Builds the page's data: the quotes as columns, and with `articles` the highlighted texts.
fn data(quotes: &Quotes, articles: Option<(&Articles, &str)>) -> Result<Data, ReportError> {
    let table = &quotes.table;
    let (kept, sample) = kept_rows(table.rows.len());
    let mut stances = Dictionary::from(stance_order(table));
    let mut sentiments = Dictionary::from(sentiment_order(table));
    let mut speakers = Dictionary::default();
    let mut ids = Dictionary::default();
    let mut cues = Dictionary::default();
    let dates = quotes
        .has_dates()
        .then(|| quotes.column("date"))
        .transpose()?;
    let mut q = Columns {
        d: dates.as_ref().map(|_| Vec::with_capacity(kept.len())),
        ..Columns::default()
    };
    for &k in &kept {
        let row = &table.rows[k];
        q.a.push(ids.get(&row.article_id));
        q.i.push(row.quote_index);
        q.sp.push(speakers.get(&row.speaker));
        q.k.push(
            QuoteKind::ALL
                .iter()
                .position(|&x| x == row.kind)
                .unwrap_or(0),
        );
        q.st.push(stances.get(row.stance.as_deref().unwrap_or("")));
        q.ss.push(score(row.stance_score));
        q.se.push(sentiments.get(row.sentiment.as_deref().unwrap_or("")));
        q.ses.push(score(row.sentiment_score));
        q.t.push(row.quote.clone());
        q.c.push(cues.get(&row.cue));
        if let (Some(days), Some(dates)) = (&mut q.d, &dates) {
            days.push(day_of(dates[k]).unwrap_or("").to_string());
        }
    }
    let texts = match articles {
        Some((texts, described)) => Some(article_texts(quotes, &kept, &ids, texts, described)?),
        None => None,
    };
    Ok(Data {
        source: quotes.path.display().to_string(),
        total: table.rows.len(),
        shown: kept.len(),
        limit: MAX_QUOTES,
        sample,
        stances: stances.values,
        sentiments: sentiments.values,
        kinds: QuoteKind::ALL.iter().map(|k| k.as_str()).collect(),
        speakers: speakers.values,
        articles: ids.values,
        cues: cues.values,
        q,
        texts,
    })
}

/// A quote's place in its article, in characters.
struct Mark {
    row: usize,
    start: usize,
    end: usize,
    cue: Option<(usize, usize)>,
}

/// The highlighted texts of the articles in `ids` (the order quotes first cite them).
fn article_texts(
    quotes: &Quotes,
    kept: &[usize],
    ids: &Dictionary,
    texts: &Articles,
    described: &str,
) -> Result<Vec<ArticleText>, ReportError> {
    let mut marks: Vec<Vec<Mark>> = ids.values.iter().map(|_| Vec::new()).collect();
    for (shown, &k) in kept.iter().enumerate() {
        let row = &quotes.table.rows[k];
        let line = quotes.table.lines.get(k).copied().unwrap_or(0);
        let Some(text) = texts.get(&row.article_id) else {
            return Err(ReportError::MissingArticle {
                quotes: quotes.path.clone(),
                line,
                article_id: row.article_id.clone(),
                articles: described.to_string(),
            });
        };
        let mismatch = || ReportError::Mismatch {
            quotes: quotes.path.clone(),
            line,
            article_id: row.article_id.clone(),
            quote_index: row.quote_index,
            start: row.start,
            end: row.end,
        };
        let chars = CharIndex::new(text);
        let span = chars.bytes(row.start, row.end).ok_or_else(mismatch)?;
        if !same_text(&text[span.clone()], &row.quote) {
            return Err(mismatch());
        }
        let cue = find_cue(text, &chars, span, &row.cue);
        let at = ids.index.get(&row.article_id).copied().unwrap_or(0);
        marks[at].push(Mark {
            row: shown,
            start: row.start,
            end: row.end,
            cue,
        });
    }
    Ok(ids
        .values
        .iter()
        .enumerate()
        .map(|(a, id)| ArticleText {
            a,
            parts: texts.get(id).map_or_else(Vec::new, |t| parts(t, &marks[a])),
        })
        .collect())
}

/// Equal, or equal once runs of white space are one space (a quote may have been re-wrapped).
fn same_text(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

/// Character index -> byte offset for one text.
struct CharIndex {
    /// Byte offset of every character, and the text's length at the end.
    offsets: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        CharIndex { offsets }
    }

    fn byte(&self, char: usize) -> Option<usize> {
        self.offsets.get(char).copied()
    }

    fn bytes(&self, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        Some(self.byte(start)?..self.byte(end)?)
    }

    fn char(&self, byte: usize) -> usize {
        self.offsets.partition_point(|&b| b < byte)
    }
}

/// The cue nearest the quote within [`CUE_WINDOW`] characters, outside the quote, in characters.
fn find_cue(
    text: &str,
    chars: &CharIndex,
    quote: std::ops::Range<usize>,
    cue: &str,
) -> Option<(usize, usize)> {
    let cue = cue.trim();
    if cue.is_empty() {
        return None;
    }
    let (qs, qe) = (chars.char(quote.start), chars.char(quote.end));
    let from = chars.byte(qs.saturating_sub(CUE_WINDOW))?;
    let to = chars
        .byte((qe + CUE_WINDOW).min(chars.offsets.len() - 1))
        .unwrap_or(text.len());
    let window = text.get(from..to)?;
    // ASCII case folding keeps byte offsets, so matches map back onto `text`.
    let (haystack, needle) = (window.to_ascii_lowercase(), cue.to_ascii_lowercase());
    haystack
        .match_indices(&needle)
        .map(|(i, m)| (from + i, from + i + m.len()))
        .filter(|&(s, e)| e <= quote.start || s >= quote.end)
        .min_by_key(|&(s, e)| {
            if e <= quote.start {
                quote.start - e
            } else {
                s - quote.end
            }
        })
        .filter(|&(s, e)| text.is_char_boundary(s) && text.is_char_boundary(e))
        .map(|(s, e)| (chars.char(s), chars.char(e)))
}

/// Cuts `text` at every quote and cue boundary; each part belongs to the innermost quote over
/// it (the one that starts last), and is a cue when one of the cues covers it.
fn parts(text: &str, marks: &[Mark]) -> Vec<(String, i64, u8)> {
    let chars = CharIndex::new(text);
    let length = chars.offsets.len() - 1;
    let mut cuts: Vec<usize> = vec![0, length];
    for m in marks {
        cuts.extend([m.start, m.end]);
        if let Some((s, e)) = m.cue {
            cuts.extend([s, e]);
        }
    }
    cuts.retain(|&c| c <= length);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<(String, i64, u8)> = Vec::new();
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        let owner = marks
            .iter()
            .filter(|m| m.start <= s && e <= m.end && m.start < m.end)
            .max_by_key(|m| (m.start, std::cmp::Reverse(m.end)))
            .map_or(-1, |m| m.row as i64);
        let cue = marks
            .iter()
            .any(|m| m.cue.is_some_and(|(cs, ce)| cs <= s && e <= ce));
        let piece = chars.bytes(s, e).map_or("", |r| &text[r]);
        match out.last_mut() {
            Some(last) if last.1 == owner && last.2 == u8::from(cue) => last.0.push_str(piece),
            _ => out.push((piece.to_string(), owner, u8::from(cue))),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (so no `</script>` or `<!--`
/// can end it) and the line separators U+2028/U+2029 are written as `\u` escapes. They can only
/// occur inside JSON strings, where the escapes mean the same characters.
pub fn script_json(value: &impl Serialize) -> serde_json::Result<String> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len() + json.len() / 32);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// The page for `quotes`; with `articles` (texts by id, and how they were given, for messages)
/// it has the article view, and every quote's article must be among them.
pub fn render(quotes: &Quotes, articles: Option<(&Articles, &str)>) -> Result<String, ReportError> {
    let data = data(quotes, articles)?;
    let json = script_json(&data).map_err(ReportError::Json)?;
    let mut page = String::with_capacity(json.len() + CSS.len() + JS.len() + 4096);
    page.push_str(concat!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
        "<title>quotestance report</title>\n<style>\n"
    ));
    page.push_str(CSS);
    page.push_str("</style>\n</head>\n<body>\n");
    page.push_str(include_str!("page.html"));
    page.push_str("<script type=\"application/json\" id=\"data\">");
    page.push_str(&json);
    page.push_str("</script>\n<script>\n");
    page.push_str(JS);
    page.push_str("</script>\n</body>\n</html>\n");
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let json = script_json(&"</script><!-- & \u{2028}").unwrap();
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert!(!json.contains('\u{2028}'));
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "</script><!-- & \u{2028}");
    }

    #[test]
    fn parts_follow_quotes_and_cues() {
        let text = "Ann said “no” today.";
        let marks = [Mark {
            row: 0,
            start: 9,
            end: 13,
            cue: Some((4, 8)),
        }];
        let parts = parts(text, &marks);
        let shown: Vec<(&str, i64, u8)> =
            parts.iter().map(|(t, q, c)| (t.as_str(), *q, *c)).collect();
        assert_eq!(
            shown,
            [
                ("Ann ", -1, 0),
                ("said", -1, 1),
                (" ", -1, 0),
                ("“no”", 0, 0),
                (" today.", -1, 0)
            ]
        );
    }

    #[test]
    fn cue_is_found_near_the_quote() {
        let text = "said. Ann said “no” today.";
        let chars = CharIndex::new(text);
        let start = text.find('“').unwrap();
        let end = text.find(" today").unwrap();
        assert_eq!(find_cue(text, &chars, start..end, "said"), Some((10, 14)));
        assert_eq!(find_cue(text, &chars, start..end, "shouted"), None);
    }
}
