//! `summarize`: quotes counted by speaker (with the stance mix of each), or by another column,
//! as CSV for notebooks or Markdown for papers.

use std::collections::HashMap;

use super::{Quotes, ReportError, day_of, stance_order};

/// What to group quotes by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Speaker,
    Stance,
    Sentiment,
    Kind,
    /// The day of an ISO-8601 `date` column.
    Date,
    /// Any extra column (a kept article field such as `source`).
    Field(String),
}

impl GroupBy {
    /// `speaker`, `stance`, `sentiment`, `kind`, `date`, or any other column name.
    pub fn parse(name: &str) -> GroupBy {
        match name {
            "speaker" => GroupBy::Speaker,
            "stance" => GroupBy::Stance,
            "sentiment" => GroupBy::Sentiment,
            "kind" => GroupBy::Kind,
            "date" => GroupBy::Date,
            other => GroupBy::Field(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            GroupBy::Speaker => "speaker",
            GroupBy::Stance => "stance",
            GroupBy::Sentiment => "sentiment",
            GroupBy::Kind => "kind",
            GroupBy::Date => "date",
            GroupBy::Field(name) => name,
        }
    }
}

/// One row of a summary: a group's quote count and its count of each stance.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub value: String,
    pub quotes: usize,
    /// Counts per [`Summary::stances`] column (empty when grouping by stance).
    pub stances: Vec<usize>,
}

/// Quotes counted by one column, with a total row.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub by: String,
    /// Stance columns ("" for unlabelled quotes); empty when grouping by stance itself.
    pub stances: Vec<String>,
    /// Groups, most quotes first (dates in date order).
    pub groups: Vec<Group>,
    pub total: Group,
}

/// Shown for a group with no value (an unknown speaker, an unlabelled quote, no date).
pub const NONE: &str = "(none)";

/// Counts `quotes` by `by`: every group with its share of all quotes and its stance mix.
pub fn summarize(quotes: &Quotes, by: &GroupBy) -> Result<Summary, ReportError> {
    let keys = group_keys(quotes, by)?;
    let table = &quotes.table;
    let stances = if *by == GroupBy::Stance {
        Vec::new()
    } else {
        stance_order(table)
    };
    let column: HashMap<&str, usize> = stances
        .iter()
        .enumerate()
        .map(|(k, s)| (s.as_str(), k))
        .collect();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let empty = |value: String| Group {
        value,
        quotes: 0,
        stances: vec![0; stances.len()],
    };
    let mut total = empty("total".to_string());
    for (row, key) in table.rows.iter().zip(keys) {
        let k = *at.entry(key.clone()).or_insert_with(|| {
            groups.push(empty(key));
            groups.len() - 1
        });
        let stance = column.get(row.stance.as_deref().unwrap_or("")).copied();
        for group in [&mut groups[k], &mut total] {
            group.quotes += 1;
            if let Some(s) = stance {
                group.stances[s] += 1;
            }
        }
    }
    if *by == GroupBy::Date {
        // Days in order, undated quotes last.
        groups.sort_by(|a, b| (a.value == NONE, &a.value).cmp(&(b.value == NONE, &b.value)));
    } else {
        groups.sort_by(|a, b| b.quotes.cmp(&a.quotes).then_with(|| a.value.cmp(&b.value)));
    }
    Ok(Summary {
        by: by.name().to_string(),
        stances,
        groups,
        total,
    })
}

/// Each row's group under `by`, with [`NONE`] for an empty value.
fn group_keys(quotes: &Quotes, by: &GroupBy) -> Result<Vec<String>, ReportError> {
    let rows = &quotes.table.rows;
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            NONE.to_string()
        } else {
            s.to_string()
        }
    };
    Ok(match by {
        GroupBy::Speaker => rows.iter().map(|r| or_none(&r.speaker)).collect(),
        GroupBy::Stance => rows
            .iter()
            .map(|r| or_none(r.stance.as_deref().unwrap_or("")))
            .collect(),
        GroupBy::Sentiment => rows
            .iter()
            .map(|r| or_none(r.sentiment.as_deref().unwrap_or("")))
            .collect(),
        GroupBy::Kind => rows.iter().map(|r| r.kind.as_str().to_string()).collect(),
        GroupBy::Date => quotes
            .column("date")?
            .into_iter()
            .map(|d| or_none(day_of(d).unwrap_or("")))
            .collect(),
        GroupBy::Field(name) => quotes.column(name)?.into_iter().map(or_none).collect(),
    })
}

/// `part / whole`, 0 for an empty whole.
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn stance_name(stance: &str) -> &str {
    if stance.is_empty() {
        "unlabelled"
    } else {
        stance
    }
}

impl Summary {
    /// CSV: `BY,quotes,share` then `STANCE,STANCE_share` per stance; shares are fractions with
    /// four decimals (of all quotes for `share`, of the group's quotes for a stance).
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![self.by.clone(), "quotes".into(), "share".into()];
        for s in &self.stances {
            header.push(stance_name(s).to_string());
            header.push(format!("{}_share", stance_name(s)));
        }
        w.write_record(&header)?;
        for group in self.groups.iter().chain([&self.total]) {
            let mut record = vec![
                group.value.clone(),
                group.quotes.to_string(),
                format!("{:.4}", share(group.quotes, self.total.quotes)),
            ];
            for &n in &group.stances {
                record.push(n.to_string());
                record.push(format!("{:.4}", share(n, group.quotes)));
            }
            w.write_record(&record)?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    /// A Markdown table: counts with percentages (one decimal), the total row in bold.
    pub fn to_markdown(&self) -> String {
        let mut header = vec![self.by.clone(), "quotes".into(), "share".into()];
        header.extend(self.stances.iter().map(|s| stance_name(s).to_string()));
        let mut out = markdown_row(&header);
        let rule: Vec<String> = (0..header.len())
            .map(|k| if k == 0 { "---" } else { "---:" }.to_string())
            .collect();
        out.push_str(&markdown_row(&rule));
        for group in self.groups.iter().chain([&self.total]) {
            let bold = |s: String| {
                if std::ptr::eq(group, &self.total) {
                    format!("**{s}**")
                } else {
                    s
                }
            };
            let mut cells = vec![
                bold(markdown_escape(&group.value)),
                bold(group.quotes.to_string()),
                bold(percent(share(group.quotes, self.total.quotes))),
            ];
            for &n in &group.stances {
                cells.push(format!("{n} ({})", percent(share(n, group.quotes))));
            }
            out.push_str(&markdown_row(&cells));
        }
        out
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.1}%", 100.0 * fraction)
}

fn markdown_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// A value in a Markdown cell: pipes escaped, line breaks as spaces.
fn markdown_escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::output::{Row, Table};
    use std::path::PathBuf;

    fn row(speaker: &str, stance: Option<&str>) -> Row {
        Row {
            article_id: "a".into(),
            quote_index: 0,
            start: 0,
            end: 1,
            kind: crate::extract::quotes::QuoteKind::Direct,
            speaker: speaker.into(),
            cue: String::new(),
            quote: "x".into(),
            stance: stance.map(String::from),
            stance_score: None,
            sentiment: None,
            sentiment_score: None,
            unsure: None,
        }
    }

    fn quotes(rows: Vec<Row>, dates: &[&str]) -> Quotes {
        let n = rows.len();
        Quotes {
            path: PathBuf::from("q.csv"),
            table: Table {
                extra_columns: vec!["date".into()],
                extra: dates.iter().map(|d| vec![d.to_string()]).collect(),
                lines: (2..n as u64 + 2).collect(),
                rows,
            },
        }
    }

    #[test]
    fn speakers_by_count_with_stance_mix_and_total() {
        let q = quotes(
            vec![
                row("B", Some("threat")),
                row("A", Some("offer")),
                row("B", Some("offer")),
                row("", None),
            ],
            &["", "", "", ""],
        );
        let s = summarize(&q, &GroupBy::Speaker).unwrap();
        assert_eq!(s.stances.last().map(String::as_str), Some(""));
        let names: Vec<&str> = s.groups.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(names, ["B", "(none)", "A"]);
        assert_eq!(s.groups[0].stances[..2], [1, 1]);
        assert_eq!(s.total.quotes, 4);
        let md = s.to_markdown();
        assert!(
            md.contains("| B | 2 | 50.0% | 1 (50.0%) | 1 (50.0%) |"),
            "{md}"
        );
        assert!(md.contains("| **total** | **4** | **100.0%** |"), "{md}");
    }

    #[test]
    fn dates_group_by_day_in_order() {
        let q = quotes(
            vec![row("A", None), row("A", None), row("A", None)],
            &["2024-05-02T08:00:00Z", "2024-05-01", "nope"],
        );
        let s = summarize(&q, &GroupBy::Date).unwrap();
        let days: Vec<&str> = s.groups.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(days, ["2024-05-01", "2024-05-02", "(none)"]);
    }

    #[test]
    fn a_missing_column_is_named() {
        let q = quotes(vec![row("A", None)], &[""]);
        let e = summarize(&q, &GroupBy::Field("source".into())).unwrap_err();
        assert!(e.to_string().contains("\"source\""), "{e}");
        assert!(e.to_string().contains("date"), "{e}");
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        assert_eq!(markdown_escape("a|b\nc"), "a\\|b c");
    }
}
