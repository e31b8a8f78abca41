"""Writes a synthetic JSONL corpus of at least --bytes bytes of article text, made from the
repository's own articles, repeated and varied so that no two articles are the same:

- every article gets a unique id (`<source id>-<copy number>`);
- surnames seen after a title ("Mr Putin", "Dr. Okafor") are swapped, consistently within the
  article, for other surnames from the corpus, so attribution and coreference still have work to do;
- the body paragraphs (not the headline and lead) are shuffled in half the copies, and the sentences
  of one paragraph in a quarter of them;
- a fifth of the lower-case words of four letters or more (not speech verbs or function words) are swapped for other
  such words from the corpus, so that quotes, too, are rarely repeated word for word: the
  classifier labels each distinct quote once, so a corpus of repeats would flatter its speed.

    python3 gen.py --out corpus.jsonl --bytes 1000000000 [--seed 1]

Deterministic for a given seed. Prints one JSON line of totals (articles, text bytes, file bytes).
Standard library only.
"""

import argparse
import csv
import json
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Prof)\.? ([A-Z][a-z]{2,})\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
WORD = re.compile(r"\b[a-z]{4,}\b")
# Words the quote rules key on; swapping them would change what is extracted, not just its text.
KEEP = set("""said says saying told telling added adding warned warning according accused urged denied
stated insisted claimed argued noted explained asked replied announced wrote writes called calls
described believed thought suggested declared admitted acknowledged confirmed promised threatened
demanded rejected refused which where while there their these those would could should about after
before because that this with from have been will they were what when than them into said""".split())


def base_articles() -> list[tuple[str, str]]:
    articles = []
    for path in sorted((ROOT / "datasets" / "articles").glob("*.jsonl")) + [ROOT / "datasets" / "sample" / "wire.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                articles.append((str(record["id"]), record["text"]))
    with open(ROOT / "datasets" / "sample" / "courts.csv", newline="", encoding="utf-8") as f:
        articles += [(row["id"], row["text"]) for row in csv.DictReader(f)]
    sport = ROOT / "datasets" / "sample" / "sport-b18.txt"
    articles.append((sport.stem, sport.read_text(encoding="utf-8")))
    return articles


def vary(text: str, surnames: list[str], words: list[str], rng: random.Random) -> str:
    own = sorted(set(TITLED.findall(text)))
    if own:
        swap = {name: rng.choice(surnames) for name in own}
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, own)) + r")\b")
        text = pattern.sub(lambda m: swap[m.group(1)], text)
    text = WORD.sub(lambda m: rng.choice(words) if m.group(0) not in KEEP and rng.random() < 0.2 else m.group(0), text)
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.5:
        body = paragraphs[2:]
        rng.shuffle(body)
        paragraphs = paragraphs[:2] + body
    if len(paragraphs) > 2 and rng.random() < 0.25:
        k = rng.randrange(1, len(paragraphs))
        sentences = SENTENCE.split(paragraphs[k])
        rng.shuffle(sentences)
        paragraphs[k] = " ".join(sentences)
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--bytes", type=int, required=True, help="minimum bytes of article text")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    articles = base_articles()
    surnames = sorted({name for _, text in articles for name in TITLED.findall(text)})
    words = sorted({w for _, text in articles for w in WORD.findall(text)} - KEEP)
    text_bytes = 0
    count = 0
    copy = 0
    with open(args.out, "w", encoding="utf-8") as out:
        while text_bytes < args.bytes:
            copy += 1
            order = list(range(len(articles)))
            rng.shuffle(order)
            for k in order:
                source_id, text = articles[k]
                text = vary(text, surnames, words, rng)
                out.write(json.dumps({"id": f"{source_id}-{copy}", "text": text}, ensure_ascii=False))
                out.write("\n")
                text_bytes += len(text.encode("utf-8"))
                count += 1
                if text_bytes >= args.bytes:
                    break
        size = out.tell()
    print(json.dumps({"articles": count, "text_bytes": text_bytes, "file_bytes": size, "surnames": len(surnames)}))


if __name__ == "__main__":
    main()
