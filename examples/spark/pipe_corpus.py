"""Run quotestance over a JSONL corpus on Spark, one quotestance process per partition.

    python pipe_corpus.py --input corpus.jsonl --output out_dir [--partitions 8]
                          [--binary target/release/quotestance] [--classifier lexicon]
                          [--run-args "--batch-size 32"]

Spark reads the corpus as lines (one article object per line), and `RDD.pipe` streams each
partition's lines into `quotestance run - --format jsonl` and takes its output lines back: one JSON
row per quote, the same rows `quotestance run corpus.jsonl --format jsonl` writes. The rows are
saved with `saveAsTextFile` (part-00000, part-00001, ... in partition order).

Without --classifier the job runs with --skip-classify (extraction and attribution only); with it,
each partition's process loads that classifier once, so use few, large partitions for `trained`.

Two things keep the rows identical to a direct run:
- Articles must carry their own ids. An article without one is named after its line on standard
  input (`<stdin>:LINE`), and that line number counts from the start of its partition.
- A JSONL article is one line, and Spark never splits a line across partitions, so every quote of
  an article comes from the same process; quote_index is per article, so it does not change.

The script runs Spark in local mode (`--master local[N]`, the default here); on a cluster, submit it
with spark-submit and ship the binary to every executor (e.g. `--files` and `--binary ./quotestance`).
"""

import argparse
import os
import shlex

from pyspark.sql import SparkSession


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="a JSONL corpus (any path Spark reads)")
    parser.add_argument("--output", required=True, help="output folder (must not exist)")
    parser.add_argument("--binary", default="target/release/quotestance", help="the quotestance binary")
    parser.add_argument("--partitions", type=int, default=4, help="minimum number of partitions")
    parser.add_argument("--classifier", choices=["trained", "zero-shot", "lexicon"],
                        help="label stance and sentiment with this classifier (default: extraction only)")
    parser.add_argument("--threads", type=int, default=1,
                        help="quotestance threads per partition (Spark already runs partitions in parallel)")
    parser.add_argument("--run-args", default="", help="more `quotestance run` arguments, as one shell-quoted string")
    parser.add_argument("--master", default="local[2]", help="Spark master (default: local[2])")
    args = parser.parse_args()

    binary = os.path.abspath(args.binary)
    command = [binary, "run", "-", "--format", "jsonl", "--quiet", "--threads", str(args.threads)]
    command += ["--classifier", args.classifier] if args.classifier else ["--skip-classify"]
    command += shlex.split(args.run_args)

    spark = (
        SparkSession.builder.master(args.master)
        .appName("quotestance")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    try:
        lines = spark.sparkContext.textFile(args.input, minPartitions=args.partitions)
        # Blank lines would be skipped by quotestance anyway; dropping them here saves a process
        # feeding nothing.
        articles = lines.filter(lambda line: line.strip() != "")
        # checkCode: a quotestance process that exits non-zero fails its task (and so the job).
        rows = articles.pipe(shlex.join(command), checkCode=True)
        rows.saveAsTextFile(args.output)
        print(f"{lines.getNumPartitions()} partitions -> {args.output}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
