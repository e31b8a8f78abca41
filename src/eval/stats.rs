//! Uncertainty for scores on a few hundred quotes: percentile bootstrap intervals that resample
//! whole articles (quotes of one article are not independent: one writer, one topic, one
//! speaker), paired bootstrap tests between two systems scored on the same items, and McNemar's
//! exact test for paired accuracy.
//!
//! Every resampling draws from a seeded generator, so the same data and seed give the same
//! intervals on every run and machine.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The default number of bootstrap replicates.
pub const DEFAULT_REPLICATES: usize = 1000;
/// The default seed of the resampling.
pub const DEFAULT_SEED: u64 = 20261207;

/// A point estimate with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// `0.613 [0.571, 0.655]`.
    pub fn to_text(&self) -> String {
        format!("{:.3} [{:.3}, {:.3}]", self.value, self.low, self.high)
    }
}

/// How to resample.
#[derive(Clone, Copy, Debug)]
pub struct Bootstrap {
    pub replicates: usize,
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            replicates: DEFAULT_REPLICATES,
            seed: DEFAULT_SEED,
        }
    }
}

impl Bootstrap {
    /// The statistic over all clusters, and its 95% percentile interval from `replicates`
    /// resamples of `clusters` clusters drawn with replacement. `statistic` gets the indices of
    /// the drawn clusters (repeats included) and returns `None` when the resample has nothing to
    /// score (an F1 with no positives); such resamples are left out.
    pub fn estimate(
        &self,
        clusters: usize,
        statistic: impl Fn(&[usize]) -> Option<f64>,
    ) -> Option<Estimate> {
        let all: Vec<usize> = (0..clusters).collect();
        let value = statistic(&all)?;
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut draws: Vec<f64> = Vec::with_capacity(self.replicates);
        let mut sample = vec![0usize; clusters];
        for _ in 0..self.replicates {
            for slot in sample.iter_mut() {
                *slot = rng.random_range(0..clusters.max(1));
            }
            if let Some(v) = statistic(&sample) {
                draws.push(v);
            }
        }
        if draws.is_empty() {
            return Some(Estimate {
                value,
                low: value,
                high: value,
            });
        }
        draws.sort_by(f64::total_cmp);
        Some(Estimate {
            value,
            low: percentile(&draws, 0.025),
            high: percentile(&draws, 0.975),
        })
    }

    /// Two-sided p-value of a paired bootstrap test that systems A and B, scored on the same
    /// clusters, have the same statistic: the share of resamples in which the difference
    /// `a - b` crosses zero against the observed sign, doubled (at least 1/(replicates+1)).
    pub fn paired_p_value(
        &self,
        clusters: usize,
        a: impl Fn(&[usize]) -> Option<f64>,
        b: impl Fn(&[usize]) -> Option<f64>,
    ) -> Option<f64> {
        let all: Vec<usize> = (0..clusters).collect();
        let observed = a(&all)? - b(&all)?;
        let mut rng = StdRng::seed_from_u64(self.seed ^ 0x9e37_79b9_7f4a_7c15);
        let mut sample = vec![0usize; clusters];
        let (mut against, mut counted) = (0usize, 0usize);
        for _ in 0..self.replicates {
            for slot in sample.iter_mut() {
                *slot = rng.random_range(0..clusters.max(1));
            }
            let (Some(x), Some(y)) = (a(&sample), b(&sample)) else {
                continue;
            };
            counted += 1;
            let d = x - y;
            if (observed >= 0.0 && d <= 0.0) || (observed <= 0.0 && d >= 0.0) {
                against += 1;
            }
        }
        if counted == 0 {
            return None;
        }
        Some((2.0 * (against as f64 + 1.0) / (counted as f64 + 1.0)).min(1.0))
    }
}

/// The `q` quantile of sorted `values`, by linear interpolation.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (lower, upper) = (position.floor() as usize, position.ceil() as usize);
    let fraction = position - lower as f64;
    sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
}

/// McNemar's exact test for two classifiers labelling the same items: `only_a` items only A got
/// right, `only_b` only B got right. Two-sided p-value of the binomial test that both are equally
/// likely: `2 · P(X ≤ min(only_a, only_b))` for X ~ Binomial(only_a + only_b, 1/2), at most 1.
pub fn mcnemar_exact(only_a: u64, only_b: u64) -> f64 {
    let n = only_a + only_b;
    if n == 0 {
        return 1.0;
    }
    let k = only_a.min(only_b);
    // log C(n, i) built up term by term; probabilities summed in log space then exponentiated.
    let mut log_choose = 0.0f64;
    let mut total = 0.0f64;
    let log_half_n = n as f64 * 0.5f64.ln();
    for i in 0..=k {
        if i > 0 {
            log_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        total += (log_choose + log_half_n).exp();
    }
    (2.0 * total).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean(values: &[f64]) -> impl Fn(&[usize]) -> Option<f64> + '_ {
        move |sample: &[usize]| {
            Some(sample.iter().map(|&k| values[k]).sum::<f64>() / sample.len() as f64)
        }
    }

    #[test]
    fn a_constant_has_no_spread_and_the_point_estimate_uses_every_cluster() {
        let values = [0.75; 12];
        let e = Bootstrap::default()
            .estimate(values.len(), mean(&values))
            .unwrap();
        assert_eq!((e.value, e.low, e.high), (0.75, 0.75, 0.75));
    }

    #[test]
    fn the_interval_of_a_mean_matches_its_standard_error() {
        // Half zeros, half ones: mean 0.5, standard error 0.5/sqrt(n); the 95% interval of the
        // bootstrap is about 0.5 ± 1.96 · 0.5/sqrt(400) = 0.5 ± 0.049.
        let values: Vec<f64> = (0..400).map(|k| (k % 2) as f64).collect();
        let e = Bootstrap::default()
            .estimate(values.len(), mean(&values))
            .unwrap();
        assert_eq!(e.value, 0.5);
        assert!((e.low - 0.451).abs() < 0.012, "{e:?}");
        assert!((e.high - 0.549).abs() < 0.012, "{e:?}");
    }

    #[test]
    fn resampling_is_reproducible_for_a_seed_and_changes_with_it() {
        let values: Vec<f64> = (0..50).map(|k| (k * 7 % 11) as f64).collect();
        let b = Bootstrap::default();
        let first = b.estimate(values.len(), mean(&values));
        assert_eq!(first, b.estimate(values.len(), mean(&values)));
        let other = Bootstrap { seed: 1, ..b }.estimate(values.len(), mean(&values));
        assert_ne!(first, other);
    }

    #[test]
    fn resamples_with_nothing_to_score_are_left_out() {
        let e = Bootstrap::default()
            .estimate(3, |s: &[usize]| s.contains(&0).then_some(1.0))
            .unwrap();
        assert_eq!((e.low, e.high), (1.0, 1.0));
    }

    #[test]
    fn percentiles_interpolate() {
        let sorted = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&sorted, 0.5), 2.0);
        assert_eq!(percentile(&sorted, 0.125), 0.5);
    }

    /// Hand-computed: with 10 discordant items split 2 / 8, p = 2 · (1 + 10 + 45) / 1024.
    #[test]
    fn mcnemar_on_a_small_table() {
        assert!((mcnemar_exact(2, 8) - 112.0 / 1024.0).abs() < 1e-12);
        assert!((mcnemar_exact(8, 2) - 112.0 / 1024.0).abs() < 1e-12);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
    }

    /// Agresti's presidential approval table (Categorical Data Analysis, 2nd ed., table 10.1):
    /// 150 and 86 discordant pairs. The chi-square statistic is 17.36 (p about 3e-5); the exact
    /// binomial p-value, 2 · Σ_{i≤86} C(236, i) / 2^236, is 3.7159e-5.
    #[test]
    fn mcnemar_on_the_textbook_approval_table() {
        let p = mcnemar_exact(150, 86);
        assert!((p - 3.715_936e-5).abs() < 1e-9, "{p}");
    }

    #[test]
    fn a_paired_test_separates_a_clear_difference_from_none() {
        // A right on 80% of items, B on 50%, over 200 items in 50 clusters of 4.
        let a: Vec<f64> = (0..50)
            .map(|k| if k % 5 == 0 { 0.0 } else { 1.0 })
            .collect();
        let b: Vec<f64> = (0..50).map(|k| (k % 2) as f64).collect();
        let bootstrap = Bootstrap::default();
        let p = bootstrap.paired_p_value(50, mean(&a), mean(&b)).unwrap();
        assert!(p < 0.01, "{p}");
        let same = bootstrap.paired_p_value(50, mean(&a), mean(&a)).unwrap();
        assert_eq!(same, 1.0);
    }
}
