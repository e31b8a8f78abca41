//! Publication dates as corpora write them, read into one form (`YYYY-MM-DD`) so that rows can be
//! grouped by day, week or month (`run --date-field`).
//!
//! Accepted: ISO 8601 and RFC 3339 (`2024-03-05`, `2024-03-05T10:00:00Z`), RFC 2822 as in RSS
//! feeds (`Tue, 05 Mar 2024 10:00:00 +0000`), `2024/03/05`, `20240305`, and the news styles with
//! a month name (`March 5, 2024`, `Mar. 5, 2024`, `5 March 2024`, `Tuesday, 5 March 2024`), each
//! optionally followed by a time. The date is the one written, in the writer's time zone: a
//! story dated 23:30 in New York stays on its day. All-numeric day/month forms (`05/03/2024`)
//! are refused: the same text is 5 March in London and 3 May in New York.

use chrono::{DateTime, Datelike, NaiveDate};

/// Formats tried on the text after an optional weekday, in order; `%B` also reads abbreviations.
const FORMATS: [&str; 7] = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%d %B, %Y",
];

/// The day `value` names, as `YYYY-MM-DD`; `None` when it is not a date in a form above.
pub fn normalize_date(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.date_naive().to_string());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(value) {
        return Some(t.date_naive().to_string());
    }
    // "Mar. 5, 2024" (AP style) and "Tuesday, March 5, 2024".
    let cleaned = value.replace('.', " ").replace(',', ", ");
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.replace(" ,", ",");
    let without_weekday = cleaned
        .split_once(", ")
        .filter(|(first, _)| is_weekday(first))
        .map_or(cleaned.as_str(), |(_, rest)| rest);
    FORMATS.iter().find_map(|format| {
        let (date, rest) = NaiveDate::parse_and_remainder(without_weekday, format).ok()?;
        let time_follows = rest.is_empty()
            || rest.starts_with([' ', 'T', ','])
                && rest
                    .trim_start_matches([' ', 'T', ','])
                    .starts_with(|c: char| c.is_ascii_digit());
        // "3/5/24" would be the year 3.
        (time_follows && date.year() >= 1000).then(|| date.to_string())
    })
}

fn is_weekday(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|day| word.starts_with(day))
        && word.len() <= "wednesday".len()
        && word.ends_with(|c: char| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_date_forms_read_as_one_day() {
        for value in [
            "2024-03-05",
            " 2024-03-05 ",
            "2024-03-05T23:30:00-05:00",
            "2024-03-05T10:00:00Z",
            "2024-03-05 10:00",
            "Tue, 05 Mar 2024 10:00:00 +0000",
            "2024/03/05",
            "20240305",
            "March 5, 2024",
            "March 5 2024",
            "Mar. 5, 2024",
            "Mar 5, 2024 10:32 AM",
            "5 March 2024",
            "05 Mar 2024",
            "Tuesday, March 5, 2024",
            "Tuesday, 5 March 2024",
        ] {
            assert_eq!(
                normalize_date(value).as_deref(),
                Some("2024-03-05"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn ambiguous_and_broken_dates_are_refused() {
        for value in [
            "",
            "05/03/2024",
            "3/5/24",
            "2024-13-05",
            "February 30, 2024",
            "yesterday",
            "March 2024",
            "2024",
            "March 5, 2024 and later",
        ] {
            assert_eq!(normalize_date(value), None, "{value:?}");
        }
    }
}
