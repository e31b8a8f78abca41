//! What decides a run's rows, written down: the run's settings and inputs ([`RunDescription`]),
//! fingerprinted by the resume journal and recorded beside every sharded output as a
//! [`Manifest`], so that `merge` can refuse parts that do not form exactly one complete run.
//!
//! Rows alone cannot tell a `lexicon` part from a `trained` one, a `--skip-classify` part from a
//! classified one, or a corpus with one more file from the corpus the shards read; the manifest
//! can. It is a small JSON file named after the output with `.manifest` appended
//! (`part-0.csv.manifest`), written when the run completes, and it must travel with its part.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The settings and inputs that decide a run's rows. Two runs with equal descriptions write the
/// same rows for the same shard; the thread count and the progress display are not part of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDescription {
    /// The quotestance version that wrote the rows.
    pub quotestance: String,
    /// `csv` or `jsonl`.
    pub format: String,
    /// The classifier, its backend, heads and encoder; `None` with `--skip-classify`.
    pub classifier: Option<ClassifierDescription>,
    pub id_field: String,
    pub text_field: String,
    pub max_article_bytes: usize,
    /// `--keep-fields`: the article fields copied into every row.
    #[serde(default)]
    pub keep_fields: Vec<String>,
    /// `--date-field`.
    #[serde(default)]
    pub date_field: Option<String>,
    /// Every input file in reading order (folders walked), as the paths were given, with its size.
    pub inputs: Vec<InputFile>,
}

/// Which classifier labelled the rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifierDescription {
    /// `trained`, `zero-shot` or `lexicon`.
    pub name: String,
    /// The encoder backend it ran on (`ort-int8`), if it uses one.
    pub backend: Option<String>,
    /// What identifies its heads and encoder (checksums), if it has any.
    pub model: Option<String>,
    pub max_tokens: usize,
    pub batch_size: usize,
}

/// One input file as a run read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub size: u64,
}

impl RunDescription {
    /// The input files of a run, in order, with their sizes (0 for those that cannot be read).
    pub fn input_files(files: &[PathBuf]) -> Vec<InputFile> {
        files
            .iter()
            .map(|path| InputFile {
                path: path.display().to_string(),
                size: std::fs::metadata(path).map_or(0, |m| m.len()),
            })
            .collect()
    }

    /// The description as one line of JSON (for fingerprints).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The first setting in which `other` differs from `self`, in words, or `None` when they
    /// describe the same run.
    pub fn difference(&self, other: &RunDescription) -> Option<String> {
        let show = |c: &Option<ClassifierDescription>| match c {
            None => "--skip-classify".to_string(),
            Some(c) => format!(
                "{}{}",
                c.name,
                c.backend
                    .as_deref()
                    .map_or_else(String::new, |b| format!(" on {b}"))
            ),
        };
        if self.quotestance != other.quotestance {
            return Some(format!(
                "quotestance {} against {}",
                self.quotestance, other.quotestance
            ));
        }
        if self.format != other.format {
            return Some(format!("format {} against {}", self.format, other.format));
        }
        if self.classifier != other.classifier {
            let (a, b) = (show(&self.classifier), show(&other.classifier));
            return Some(if a == b {
                format!("{a} with other heads, encoder or batch settings")
            } else {
                format!("classifier {a} against {b}")
            });
        }
        if (&self.id_field, &self.text_field, self.max_article_bytes)
            != (&other.id_field, &other.text_field, other.max_article_bytes)
        {
            return Some("--id-field, --text-field or --max-article-bytes".into());
        }
        if (&self.keep_fields, &self.date_field) != (&other.keep_fields, &other.date_field) {
            return Some("--keep-fields or --date-field".into());
        }
        if self.inputs != other.inputs {
            return Some(input_difference(&self.inputs, &other.inputs));
        }
        None
    }
}

fn input_difference(a: &[InputFile], b: &[InputFile]) -> String {
    for (x, y) in a.iter().zip(b) {
        if x.path != y.path {
            return format!("input {} against {}", x.path, y.path);
        }
        if x.size != y.size {
            return format!(
                "input {} of {} bytes against {} bytes (changed since)",
                x.path, x.size, y.size
            );
        }
    }
    match (a.get(b.len()), b.get(a.len())) {
        (Some(extra), _) => format!("input {} read by one and not the other", extra.path),
        (_, Some(extra)) => format!("input {} read by one and not the other", extra.path),
        _ => "inputs".into(),
    }
}

/// What a sharded run records beside its output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub run: RunDescription,
    /// `K/N`.
    pub shard: String,
    pub articles: u64,
    pub rows: u64,
    /// The size of the output file when the run completed.
    pub bytes: u64,
}

impl Manifest {
    /// Where the manifest of `output` lives: beside it, `.manifest` appended to its name.
    pub fn path_for(output: &Path) -> PathBuf {
        let mut name = output.as_os_str().to_owned();
        name.push(".manifest");
        PathBuf::from(name)
    }

    /// Writes the manifest of `output` (atomically).
    pub fn write(&self, output: &Path) -> io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        bytes.push(b'\n');
        crate::fs::write_atomic(&Manifest::path_for(output), &bytes)
    }

    /// Reads the manifest of the part `output`, with errors that say what to do.
    pub fn read(output: &Path) -> io::Result<Manifest> {
        let path = Manifest::path_for(output);
        let bytes = std::fs::read(&path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "{}: no manifest {} beside it ({e}); merge takes the outputs of \
                     `run --shard K/N -o FILE`, each with the manifest the run wrote beside it",
                    output.display(),
                    path.display()
                ),
            )
        })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            io::Error::other(format!(
                "{}: not a quotestance manifest: {e}",
                path.display()
            ))
        })
    }

    /// The shard as `(k, n)`.
    pub fn shard(&self) -> Option<(u64, u64)> {
        let (k, n) = self.shard.split_once('/')?;
        Some((k.parse().ok()?, n.parse().ok()?))
    }
}

/// Checks that `parts` (each with its manifest) are all the shards of one run over `inputs`,
/// each once, unchanged since the run wrote them. Returns the number of shards.
pub fn check_parts(parts: &[(PathBuf, Manifest)], inputs: &[InputFile]) -> io::Result<u64> {
    let refuse = |message: String| Err(io::Error::other(message));
    let Some((first_path, first)) = parts.first() else {
        return refuse("no parts to merge".into());
    };
    let Some((_, count)) = first.shard() else {
        return refuse(format!(
            "{}: its manifest names no shard",
            first_path.display()
        ));
    };
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for (path, manifest) in parts {
        if let Some(difference) = first.run.difference(&manifest.run) {
            return refuse(format!(
                "{} and {} are parts of different runs ({difference}); give all parts of one run",
                first_path.display(),
                path.display()
            ));
        }
        let (k, n) = manifest.shard().unwrap_or((u64::MAX, 0));
        if n != count || k >= n {
            return refuse(format!(
                "{} is shard {} but {} is shard {}: give all parts of one run with --shard K/{count}",
                path.display(),
                manifest.shard,
                first_path.display(),
                first.shard
            ));
        }
        if let Some(other) = seen[k as usize] {
            return refuse(format!(
                "{} and {} are both shard {k} of {count}: give each shard's output once",
                other.display(),
                path.display()
            ));
        }
        seen[k as usize] = Some(path);
        let size = std::fs::metadata(path)?.len();
        if size != manifest.bytes {
            return refuse(format!(
                "{} is {size} bytes but its run wrote {}: it was changed or cut short since",
                path.display(),
                manifest.bytes
            ));
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|&k| seen[k as usize].is_none())
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return refuse(format!(
            "the parts of shard {} are missing: give all {count} parts of the run",
            missing.join(", ")
        ));
    }
    if first.run.inputs != inputs {
        return refuse(format!(
            "the parts were made from other inputs than --inputs names ({}): give merge the \
             inputs the runs read, as they were given to run",
            input_difference(&first.run.inputs, inputs)
        ));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn description(classifier: Option<&str>) -> RunDescription {
        RunDescription {
            quotestance: "0.1.0".into(),
            format: "csv".into(),
            classifier: classifier.map(|name| ClassifierDescription {
                name: name.into(),
                backend: None,
                model: None,
                max_tokens: 256,
                batch_size: 16,
            }),
            id_field: "id".into(),
            text_field: "text".into(),
            max_article_bytes: 5_000_000,
            keep_fields: Vec::new(),
            date_field: None,
            inputs: vec![InputFile {
                path: "corpus/a.jsonl".into(),
                size: 10,
            }],
        }
    }

    #[test]
    fn differences_are_named() {
        let lexicon = description(Some("lexicon"));
        assert_eq!(lexicon.difference(&lexicon.clone()), None);
        assert!(
            lexicon
                .difference(&description(None))
                .unwrap()
                .contains("--skip-classify")
        );
        let mut grown = lexicon.clone();
        grown.inputs.push(InputFile {
            path: "corpus/b.jsonl".into(),
            size: 3,
        });
        assert!(
            lexicon
                .difference(&grown)
                .unwrap()
                .contains("corpus/b.jsonl")
        );
        let mut rewritten = lexicon.clone();
        rewritten.inputs[0].size = 11;
        assert!(lexicon.difference(&rewritten).unwrap().contains("changed"));
        let mut kept = lexicon.clone();
        kept.keep_fields = vec!["source".into()];
        assert!(lexicon.difference(&kept).unwrap().contains("--keep-fields"));
    }

    #[test]
    fn the_manifest_sits_beside_its_output() {
        assert_eq!(
            Manifest::path_for(Path::new("out/part-0.csv")),
            PathBuf::from("out/part-0.csv.manifest")
        );
    }
}
