//! Sharding: which articles one of N workers processes.
//!
//! An article belongs to shard `h mod N`, where `h` is the first 8 bytes, read big-endian, of the
//! SHA-256 of its id's UTF-8 bytes. In Python:
//! `int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big") % N`. The hash depends on the
//! id alone, so adding input files never moves an existing article to another shard, and it is
//! specified (not std's `DefaultHasher` or FxHash, whose algorithms may change between releases),
//! so shards made by different builds, or by other tools, agree.
//!
//! Shards are numbered from 0 (`0/3`, `1/3`, `2/3`), as Kubernetes Indexed Jobs and AWS Batch array
//! jobs number their tasks. [`from_env`] reads the shard from those job-array variables; it is only
//! used for an explicit `--shard auto`, so a variable left over in the environment (a Slurm array
//! launched for some other reason, say) never silently drops articles from a run.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// One shard of a corpus: `index` of `count`, numbered from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole corpus as one shard.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`; fails unless `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 {
            return Err("the number of shards must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard {index} of {count} does not exist: shards are numbered from 0 to {}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the article with this id belongs to this shard.
    pub fn contains(&self, article_id: &str) -> bool {
        self.count == 1 || shard_of(article_id, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The first 8 bytes of SHA-256(id), big-endian: the stable hash that assigns articles to shards.
pub fn id_hash(article_id: &str) -> u64 {
    let digest = Sha256::digest(article_id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// The shard (of `count`) that the article with this id belongs to.
pub fn shard_of(article_id: &str, count: u64) -> u64 {
    id_hash(article_id) % count.max(1)
}

/// What `--shard` asked for: a fixed `K/N`, or `auto` (read a job-array environment variable).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardSpec {
    Fixed(Shard),
    Auto,
}

impl FromStr for ShardSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<ShardSpec, String> {
        if s == "auto" {
            return Ok(ShardSpec::Auto);
        }
        let usage = || {
            format!(
                "{s:?} is not K/N (shard K of N, numbered from 0, e.g. 0/4 … 3/4) or auto (read \
                 JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX)"
            )
        };
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let k: u64 = k.trim().parse().map_err(|_| usage())?;
        let n: u64 = n.trim().parse().map_err(|_| usage())?;
        Shard::new(k, n).map(ShardSpec::Fixed)
    }
}

/// The job-array variables [`from_env`] reads.
pub const INDEX_VARIABLES: [&str; 3] = [
    "JOB_COMPLETION_INDEX",
    "SLURM_ARRAY_TASK_ID",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// The variable that gives the shard count where the scheduler does not (Kubernetes, AWS Batch).
pub const COUNT_VARIABLE: &str = "QUOTESTANCE_SHARDS";

/// Resolves `--shard auto` from job-array variables, read through `env` (so tests need not touch
/// the process environment). `shards` is `--shards N`.
///
/// * Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`; the count from `--shards` or
///   `QUOTESTANCE_SHARDS` (a Job does not export its completions).
/// * Slurm job array: `(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP` of
///   `SLURM_ARRAY_TASK_COUNT`, so `--array=1-8` and `--array=0-7` both give shards 0/8 … 7/8.
/// * AWS Batch array job: `AWS_BATCH_JOB_ARRAY_INDEX`; the count from `--shards` or
///   `QUOTESTANCE_SHARDS`.
///
/// Exactly one of the index variables must be set: two would be ambiguous, none a mistake.
/// Returns the shard and the variable it came from.
pub fn from_env(
    shards: Option<u64>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Shard, &'static str), String> {
    let set: Vec<&'static str> = INDEX_VARIABLES
        .iter()
        .copied()
        .filter(|v| env(v).is_some_and(|s| !s.trim().is_empty()))
        .collect();
    let source = match set.as_slice() {
        [one] => *one,
        [] => {
            return Err(format!(
                "--shard auto: none of {} is set; run inside a job array or give --shard K/N",
                INDEX_VARIABLES.join(", ")
            ));
        }
        several => {
            return Err(format!(
                "--shard auto: {} are all set, so the shard is ambiguous; give --shard K/N",
                several.join(" and ")
            ));
        }
    };
    let number = |name: &str| -> Result<Option<u64>, String> {
        match env(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| format!("--shard auto: {name}={v:?} is not a whole number")),
        }
    };
    let count_env = number(COUNT_VARIABLE)?;
    let requested = match (shards, count_env) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "--shards {a} disagrees with {COUNT_VARIABLE}={b}; give one of them"
            ));
        }
        (a, b) => a.or(b),
    };
    let (index, count) = if source == "SLURM_ARRAY_TASK_ID" {
        let id = number(source)?.unwrap_or(0);
        let count = number("SLURM_ARRAY_TASK_COUNT")?.ok_or(
            "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give \
             --shard K/N",
        )?;
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
        if id < min || (id - min) % step != 0 {
            return Err(format!(
                "--shard auto: SLURM_ARRAY_TASK_ID={id} is not on the array's range (min {min}, \
                 step {step}); use a contiguous --array or give --shard K/N"
            ));
        }
        if let Some(n) = requested.filter(|&n| n != count) {
            return Err(format!(
                "--shard auto: SLURM_ARRAY_TASK_COUNT={count} disagrees with the requested {n} shards"
            ));
        }
        ((id - min) / step, count)
    } else {
        let index = number(source)?.unwrap_or(0);
        let count = requested.ok_or_else(|| {
            format!(
                "--shard auto: {source} gives the shard index but not the number of shards; pass \
                 --shards N or set {COUNT_VARIABLE}"
            )
        })?;
        (index, count)
    };
    let shard = Shard::new(index, count).map_err(|e| format!("--shard auto ({source}): {e}"))?;
    Ok((shard, source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn hash_is_the_first_eight_bytes_of_sha256() {
        // Reference values from Python's hashlib (see the module documentation).
        assert_eq!(id_hash("a1"), 17681116122850800480);
        assert_eq!(id_hash(""), 16406829232824261652);
        assert_eq!(id_hash("article-42"), 3756391354745862525);
        assert_eq!(id_hash("é"), 5375421630974772051);
        assert_eq!(shard_of("a1", 7), 17681116122850800480 % 7);
    }

    #[test]
    fn every_id_is_in_exactly_one_shard() {
        for n in [1, 2, 3, 7] {
            for k in 0..200 {
                let id = format!("id-{k}");
                let holders = (0..n)
                    .filter(|&i| Shard::new(i, n).unwrap().contains(&id))
                    .count();
                assert_eq!(holders, 1, "{id} of {n}");
            }
        }
    }

    #[test]
    fn shards_are_roughly_even() {
        let mut counts = [0u32; 4];
        for k in 0..4000 {
            counts[shard_of(&format!("doc{k}"), 4) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn parses_k_of_n_numbered_from_zero() {
        assert_eq!(
            "2/3".parse::<ShardSpec>(),
            Ok(ShardSpec::Fixed(Shard { index: 2, count: 3 }))
        );
        assert_eq!("auto".parse::<ShardSpec>(), Ok(ShardSpec::Auto));
        let past_end = "3/3".parse::<ShardSpec>().unwrap_err();
        assert!(past_end.contains("numbered from 0 to 2"), "{past_end}");
        for bad in ["3", "1/0", "a/b", "-1/3", "1/3/4", ""] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn kubernetes_index_needs_a_count() {
        let e = from_env(None, &env(&[("JOB_COMPLETION_INDEX", "2")])).unwrap_err();
        assert!(e.contains("--shards") && e.contains(COUNT_VARIABLE), "{e}");
        assert_eq!(
            from_env(Some(4), &env(&[("JOB_COMPLETION_INDEX", "2")])),
            Ok((Shard { index: 2, count: 4 }, "JOB_COMPLETION_INDEX"))
        );
        assert_eq!(
            from_env(
                None,
                &env(&[("JOB_COMPLETION_INDEX", "3"), (COUNT_VARIABLE, "4")])
            )
            .map(|(s, _)| s),
            Ok(Shard { index: 3, count: 4 })
        );
        assert!(
            from_env(
                Some(3),
                &env(&[("JOB_COMPLETION_INDEX", "0"), (COUNT_VARIABLE, "4")])
            )
            .is_err()
        );
        assert!(from_env(Some(4), &env(&[("JOB_COMPLETION_INDEX", "4")])).is_err());
    }

    #[test]
    fn slurm_arrays_are_renumbered_from_zero() {
        let one_based = env(&[
            ("SLURM_ARRAY_TASK_ID", "8"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(
            from_env(None, &one_based),
            Ok((Shard { index: 7, count: 8 }, "SLURM_ARRAY_TASK_ID"))
        );
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "12"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            from_env(None, &stepped).map(|(s, _)| s),
            Ok(Shard { index: 3, count: 4 })
        );
        assert!(from_env(Some(5), &one_based).is_err());
        assert!(from_env(None, &env(&[("SLURM_ARRAY_TASK_ID", "0")])).is_err());
    }

    #[test]
    fn aws_batch_index() {
        assert_eq!(
            from_env(Some(10), &env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "9")])),
            Ok((
                Shard {
                    index: 9,
                    count: 10
                },
                "AWS_BATCH_JOB_ARRAY_INDEX"
            ))
        );
    }

    #[test]
    fn no_or_several_index_variables_are_refused() {
        let none = from_env(Some(2), &env(&[])).unwrap_err();
        assert!(none.contains("none of"), "{none}");
        let two = from_env(
            Some(2),
            &env(&[
                ("JOB_COMPLETION_INDEX", "0"),
                ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ]),
        )
        .unwrap_err();
        assert!(two.contains("ambiguous"), "{two}");
        let junk = from_env(Some(2), &env(&[("JOB_COMPLETION_INDEX", "x")])).unwrap_err();
        assert!(junk.contains("not a whole number"), "{junk}");
    }
}
