//! Transparent baseline: keyword rules for stance, VADER (the `vader_sentiment` crate) for
//! sentiment. Every decision can be traced to a phrase in the tables below.

use super::{Classifier, Labels, QuoteInput, Result};

/// Stance cues, checked in this order; the first label with a match wins.
const RULES: [(&str, &[&str]); 6] = [
    (
        "denial",
        &[
            "deny",
            "denied",
            "denies",
            "not responsible",
            "nothing to do with",
            "untrue",
            "false",
            "fabricat",
            "baseless",
            "never happened",
            "no truth",
            "did not",
            "didn't",
            "were not involved",
            "was not involved",
            "fiction",
            "no evidence",
            "no basis",
        ],
    ),
    (
        "rejection",
        &[
            "reject",
            "refuse",
            "will not accept",
            "won't accept",
            "will not sign",
            "won't sign",
            "unacceptable",
            "non-starter",
            "not negotiable",
            "rule out",
            "ruled out",
            "say no",
            "decline",
            "will not agree",
            "won't agree",
            "will not be",
            "not going to",
        ],
    ),
    (
        "threat",
        &[
            "retaliat",
            "consequences",
            "will respond",
            "strike back",
            "destroy",
            "punish",
            "sanction",
            "legitimate target",
            "pay a price",
            "pay the price",
            "will face",
            "regret",
            "crush",
            "will not hesitate",
            "all options",
            "legal action",
            "will sue",
            "walk out",
            "strike action",
            "force",
        ],
    ),
    (
        "demand",
        &[
            "must",
            "should",
            "call on",
            "calls on",
            "called on",
            "urge",
            "demand",
            "need to",
            "needs to",
            "have to",
            "has to",
            "immediately",
            "we ask",
            "insist",
            "it is time",
            "stop",
        ],
    ),
    (
        "offer",
        &[
            "ready to",
            "willing to",
            "offer",
            "propose",
            "open to",
            "will provide",
            "can help",
            "invite",
            "prepared to",
            "door is open",
            "happy to",
            "will fund",
            "we will help",
            "pledge",
            "promise",
        ],
    ),
    (
        "accusation",
        &[
            "accuse",
            "blame",
            "lied",
            "lies",
            "corrupt",
            "failed",
            "fault",
            "responsible for",
            "betray",
            "incompetent",
            "shameful",
            "disgrace",
            "crime",
            "abuse",
            "negligen",
            "cover-up",
            "cover up",
            "reckless",
            "hypocri",
        ],
    ),
];

pub struct Lexicon {
    vader: vader_sentiment::SentimentIntensityAnalyzer<'static>,
}

impl Lexicon {
    pub fn new() -> Self {
        Lexicon {
            vader: vader_sentiment::SentimentIntensityAnalyzer::new(),
        }
    }

    /// The stance rule that fires for `text`, with a confidence that grows with the matches.
    pub fn stance(text: &str) -> (String, f32) {
        let lower = text.to_lowercase();
        for (label, cues) in RULES {
            let hits = cues.iter().filter(|c| lower.contains(*c)).count();
            if hits > 0 {
                return (label.to_string(), (0.5 + 0.1 * hits as f32).min(0.9));
            }
        }
        ("neutral".to_string(), 0.5)
    }

    /// VADER's compound score mapped to a label (the thresholds its authors recommend, ±0.05).
    pub fn sentiment(&self, text: &str) -> (String, f32) {
        let scores = self.vader.polarity_scores(text);
        let compound = scores.get("compound").copied().unwrap_or(0.0) as f32;
        if compound >= 0.05 {
            ("positive".to_string(), 0.5 + compound / 2.0)
        } else if compound <= -0.05 {
            ("negative".to_string(), 0.5 - compound / 2.0)
        } else {
            ("neutral".to_string(), 1.0 - compound.abs() * 5.0)
        }
    }
}

impl Default for Lexicon {
    fn default() -> Self {
        Self::new()
    }
}

impl Classifier for Lexicon {
    fn name(&self) -> &str {
        "lexicon"
    }

    fn classify(&self, quotes: &[QuoteInput]) -> Result<Vec<Labels>> {
        Ok(quotes
            .iter()
            .map(|q| {
                let (stance, stance_score) = Self::stance(&q.quote);
                let (sentiment, sentiment_score) = self.sentiment(&q.quote);
                Labels {
                    stance,
                    stance_score,
                    sentiment,
                    sentiment_score,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_traceable() {
        assert_eq!(
            Lexicon::stance("We categorically deny any involvement.").0,
            "denial"
        );
        assert_eq!(
            Lexicon::stance("The government must resign now.").0,
            "demand"
        );
        assert_eq!(Lexicon::stance("The talks resume on Monday.").0, "neutral");
        let lexicon = Lexicon::new();
        assert_eq!(
            lexicon.sentiment("This is a wonderful, happy day.").0,
            "positive"
        );
        assert_eq!(
            lexicon.sentiment("A horrible, shameful disaster.").0,
            "negative"
        );
    }
}
