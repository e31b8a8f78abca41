//! Article fields carried into every row of the article (`run --keep-fields date,source,url` and
//! `--date-field NAME`), so that rows join back to their articles and can be grouped by them.
//!
//! They are columns after the schema's twelve, in the order given, named as in the input; the
//! date field becomes a `date` column holding `YYYY-MM-DD` ([`crate::ingest::dates`]), which
//! `report` and `summarize --by date` read. A date that cannot be read stays empty, with a
//! warning naming the record.

use crate::ingest::Article;
use crate::ingest::dates::normalize_date;
use crate::run::output::COLUMNS;

/// The name of the column that holds the normalised date.
pub const DATE_COLUMN: &str = "date";

/// Which input fields become which output columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeptFields {
    /// The input fields to read, in column order (what `ReadOptions::keep_fields` asks for).
    pub fields: Vec<String>,
    /// The output column of each field.
    pub columns: Vec<String>,
    /// The index of the date column, whose values are normalised.
    pub date: Option<usize>,
}

impl KeptFields {
    /// The columns for `--keep-fields keep` and `--date-field date_field`. A name the schema
    /// already uses, a field named twice, or a kept `date` beside a date field of another name
    /// would give two columns one name: refused, with the reason.
    pub fn new(keep: &[String], date_field: Option<&str>) -> Result<KeptFields, String> {
        let mut kept = KeptFields {
            fields: keep.to_vec(),
            columns: keep.to_vec(),
            date: None,
        };
        if let Some(field) = date_field {
            match keep.iter().position(|k| k == field) {
                Some(k) if field == DATE_COLUMN => kept.date = Some(k),
                _ => {
                    kept.fields.push(field.to_string());
                    kept.columns.push(DATE_COLUMN.to_string());
                    kept.date = Some(kept.columns.len() - 1);
                }
            }
        }
        for (k, column) in kept.columns.iter().enumerate() {
            if column.trim().is_empty() {
                return Err("--keep-fields: an empty field name".into());
            }
            if COLUMNS.contains(&column.as_str()) {
                return Err(format!(
                    "--keep-fields {column}: the output already has a {column} column"
                ));
            }
            if kept.columns[..k].contains(column) {
                return Err(if column == DATE_COLUMN && date_field.is_some() {
                    format!(
                        "--keep-fields date and --date-field {} would both write a date column; keep one",
                        date_field.unwrap_or_default()
                    )
                } else {
                    format!("--keep-fields names {column} twice")
                });
            }
        }
        Ok(kept)
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The article's values for the kept columns, with the date normalised, and a warning when
    /// its date cannot be read (the value is then empty).
    pub fn values(&self, article: &Article) -> (Vec<String>, Option<String>) {
        let mut values: Vec<String> = (0..self.columns.len())
            .map(|k| article.fields.get(k).cloned().unwrap_or_default())
            .collect();
        let mut warning = None;
        if let Some(k) = self.date {
            let raw = std::mem::take(&mut values[k]);
            match normalize_date(&raw) {
                Some(day) => values[k] = day,
                None if raw.trim().is_empty() => {}
                None => {
                    warning = Some(format!(
                        "{}: {} {raw:?} is not a date quotestance reads (ISO 8601, RFC 2822 or a month name such as \"March 5, 2024\"); its rows have an empty date",
                        article.source, self.fields[k]
                    ));
                }
            }
        }
        (values, warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Location;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn article(fields: &[&str]) -> Article {
        Article {
            id: "a1".into(),
            text: String::new(),
            source: Location {
                path: "corpus.jsonl".into(),
                line: 7,
            },
            fields: names(fields),
        }
    }

    #[test]
    fn a_date_field_becomes_the_date_column() {
        let kept = KeptFields::new(&names(&["source"]), Some("published")).unwrap();
        assert_eq!(kept.fields, names(&["source", "published"]));
        assert_eq!(kept.columns, names(&["source", "date"]));
        let (values, warning) = kept.values(&article(&["Wire", "March 5, 2024"]));
        assert_eq!(values, names(&["Wire", "2024-03-05"]));
        assert_eq!(warning, None);
    }

    #[test]
    fn a_kept_field_named_date_is_the_date_column_itself() {
        let kept = KeptFields::new(&names(&["date", "url"]), Some("date")).unwrap();
        assert_eq!(kept.columns, names(&["date", "url"]));
        assert_eq!(kept.date, Some(0));
    }

    #[test]
    fn an_unreadable_date_is_empty_and_warned_with_its_record() {
        let kept = KeptFields::new(&[], Some("date")).unwrap();
        let (values, warning) = kept.values(&article(&["05/03/2024"]));
        assert_eq!(values, names(&[""]));
        let warning = warning.unwrap();
        assert!(
            warning.starts_with("corpus.jsonl:7: date \"05/03/2024\""),
            "{warning}"
        );
        let (values, warning) = kept.values(&article(&[""]));
        assert_eq!(
            (values, warning),
            (names(&[""]), None),
            "a missing date is no warning"
        );
    }

    #[test]
    fn clashing_column_names_are_refused() {
        for (keep, date, expected) in [
            (&["speaker"][..], None, "already has a speaker column"),
            (&["url", "url"][..], None, "names url twice"),
            (&["date"][..], Some("published"), "both write a date column"),
            (&[""][..], None, "empty field name"),
        ] {
            let e = KeptFields::new(&names(keep), date).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
    }
}
