//! Reports over a finished run: `summarize` tables ([`summary`]) and the self-contained HTML
//! page ([`html`]), both read from quotestance output (CSV or JSON lines).
//!
//! Reading goes through [`crate::run::output::read_table`], the one reader of the output schema,
//! so a report accepts exactly what `run` writes (plus kept article fields after the columns).

pub mod html;
pub mod summary;

use std::path::{Path, PathBuf};

use crate::classify::{SENTIMENT_LABELS, STANCE_LABELS};
use crate::run::output::{self, ReadError, Table};

/// What a report could not do.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(
        "{path}: there is no {column:?} column to group by (columns after the schema: {})",
        list_or_none(available)
    )]
    NoColumn {
        path: PathBuf,
        column: String,
        available: Vec<String>,
    },
    #[error("{quotes}:{line}: article {article_id:?} is not in --articles ({articles})")]
    MissingArticle {
        quotes: PathBuf,
        line: u64,
        article_id: String,
        articles: String,
    },
    #[error(
        "{quotes}:{line}: quote {quote_index} of article {article_id:?} does not match the \
         article text from --articles at {start}..{end} (is it the same version of the article?)"
    )]
    Mismatch {
        quotes: PathBuf,
        line: u64,
        article_id: String,
        quote_index: usize,
        start: usize,
        end: usize,
    },
    #[error("cannot write the page's data as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn list_or_none(columns: &[String]) -> String {
    if columns.is_empty() {
        "none".to_string()
    } else {
        columns.join(", ")
    }
}

/// The quotes of one output file, with where they came from.
#[derive(Clone, Debug)]
pub struct Quotes {
    pub path: PathBuf,
    pub table: Table,
}

impl Quotes {
    /// Reads and checks a quotestance output file.
    pub fn read(path: &Path) -> Result<Quotes, ReportError> {
        let table = output::read_table(path)?;
        check_offsets(path, &table)?;
        Ok(Quotes {
            path: path.to_path_buf(),
            table,
        })
    }

    /// Values of an extra column, or an error naming the columns there are.
    pub fn column(&self, name: &str) -> Result<Vec<&str>, ReportError> {
        self.table
            .column(name)
            .ok_or_else(|| ReportError::NoColumn {
                path: self.path.clone(),
                column: name.to_string(),
                available: self.table.extra_columns.clone(),
            })
    }

    /// Whether the file has a `date` column (kept from the articles).
    pub fn has_dates(&self) -> bool {
        self.table.extra_columns.iter().any(|c| c == "date")
    }
}

/// `start <= end` on every row: anything else is not a quote span, and would break highlights.
fn check_offsets(path: &Path, table: &Table) -> Result<(), ReadError> {
    for (row, &line) in table.rows.iter().zip(&table.lines) {
        if row.start > row.end {
            return Err(ReadError::Malformed {
                path: path.to_path_buf(),
                line,
                message: format!("start {} is after end {}", row.start, row.end),
            });
        }
    }
    Ok(())
}

/// The label columns of a report: the known labels in their usual order, then any other label
/// the file uses (a custom classifier's), then "" for unlabelled quotes when there are any.
pub fn label_order<'a>(known: &[&str], used: impl Iterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut order: Vec<String> = known.iter().map(|s| s.to_string()).collect();
    let mut others = std::collections::BTreeSet::new();
    let mut unlabelled = false;
    for label in used {
        match label {
            Some(l) if !known.contains(&l) => {
                others.insert(l.to_string());
            }
            Some(_) => {}
            None => unlabelled = true,
        }
    }
    order.extend(others);
    if unlabelled {
        order.push(String::new());
    }
    order
}

/// Stance columns for `quotes`.
pub fn stance_order(table: &Table) -> Vec<String> {
    label_order(
        &STANCE_LABELS,
        table.rows.iter().map(|r| r.stance.as_deref()),
    )
}

/// Sentiment columns for `quotes`.
pub fn sentiment_order(table: &Table) -> Vec<String> {
    label_order(
        &SENTIMENT_LABELS,
        table.rows.iter().map(|r| r.sentiment.as_deref()),
    )
}

/// The day (`YYYY-MM-DD`) of an ISO-8601 date or date-time, `None` when it is not one.
pub fn day_of(value: &str) -> Option<&str> {
    let day = value.trim().get(..10)?;
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let month: u32 = day[5..7].parse().ok()?;
    let dom: u32 = day[8..10].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&dom)).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_iso_dates() {
        assert_eq!(day_of("2024-03-05"), Some("2024-03-05"));
        assert_eq!(day_of("2024-03-05T10:00:00Z"), Some("2024-03-05"));
        assert_eq!(day_of(" 2024-12-31 "), Some("2024-12-31"));
        assert_eq!(day_of("2024-13-05"), None);
        assert_eq!(day_of("05/03/2024"), None);
        assert_eq!(day_of("2024"), None);
        assert_eq!(day_of("é2024-03-05"), None);
    }

    #[test]
    fn labels_known_first_then_others_then_unlabelled() {
        let used = [Some("offer"), Some("praise"), None, Some("threat")];
        let order = label_order(&["threat", "offer"], used.into_iter());
        assert_eq!(order, ["threat", "offer", "praise", ""]);
    }
}
