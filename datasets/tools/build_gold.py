#!/usr/bin/env python3
"""Check a writer's folder and build its gold CSV.

usage: python3 build_gold.py FOLDER
FOLDER/articles.jsonl: one article per line: id, title, domain, style, region, year, mix, text
FOLDER/quotes.jsonl:   one quote per line: article_id, quote (an exact substring of the text),
                       occurrence (optional, 1 = first place the quote string appears; default 1),
                       kind, speaker, cue, stance, sentiment, unsure (0/1)
writes FOLDER/gold.csv (offsets in code points) and prints what it found, or every problem.
"""
import csv, json, sys, collections

KINDS = {"direct", "indirect", "mixed"}
STANCES = {"threat", "offer", "denial", "demand", "accusation", "rejection", "neutral"}
SENTS = {"positive", "negative", "neutral"}
ART_FIELDS = ["id", "title", "domain", "style", "region", "year", "mix", "text"]

def main(folder):
    problems = []
    arts = {}
    with open(f"{folder}/articles.jsonl", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                a = json.loads(line)
            except Exception as e:
                problems.append(f"articles.jsonl:{n}: bad JSON: {e}")
                continue
            for k in ART_FIELDS:
                if k not in a:
                    problems.append(f"articles.jsonl:{n}: missing field {k}")
            if a.get("mix") not in ("natural", "acts"):
                problems.append(f"articles.jsonl:{n}: mix must be natural or acts")
            if a.get("id") in arts:
                problems.append(f"articles.jsonl:{n}: duplicate id {a.get('id')}")
            arts[a.get("id")] = a
    rows = collections.defaultdict(list)
    with open(f"{folder}/quotes.jsonl", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"quotes.jsonl:{n}"
            try:
                q = json.loads(line)
            except Exception as e:
                problems.append(f"{where}: bad JSON: {e}")
                continue
            a = arts.get(q.get("article_id"))
            if a is None:
                problems.append(f"{where}: unknown article_id {q.get('article_id')}")
                continue
            text, quote = a["text"], q.get("quote", "")
            if not quote or quote != quote.strip():
                problems.append(f"{where}: quote empty or with spaces at its ends: {quote!r}")
                continue
            occ = int(q.get("occurrence", 1))
            start = -1
            for _ in range(occ):
                start = text.find(quote, start + 1)
                if start < 0:
                    break
            if start < 0:
                problems.append(f"{where}: quote not found (occurrence {occ}) in {a['id']}: {quote[:60]!r}")
                continue
            for k, allowed in (("kind", KINDS), ("stance", STANCES), ("sentiment", SENTS)):
                if q.get(k) not in allowed:
                    problems.append(f"{where}: {k} {q.get(k)!r} not one of {sorted(allowed)}")
            if str(q.get("unsure", "")) not in ("0", "1"):
                problems.append(f"{where}: unsure must be 0 or 1")
            if q.get("kind") == "direct" and ('"' in quote or "\u201c" in quote):
                problems.append(f"{where}: a direct quote's span excludes its own quote marks")
            rows[a["id"]].append((start, start + len(quote), q))
    out = []
    for aid, qs in rows.items():
        qs.sort(key=lambda r: r[0])
        for (s1, e1, q1), (s2, e2, q2) in zip(qs, qs[1:]):
            if s2 < e1:
                problems.append(f"{aid}: quotes overlap: {q1['quote'][:40]!r} and {q2['quote'][:40]!r}")
        for i, (s, e, q) in enumerate(qs):
            out.append([aid, i, s, e, q["kind"], q.get("speaker", ""), q.get("cue", "").lower(), q["quote"],
                        q["stance"], "", q["sentiment"], "", int(q["unsure"])])
    for aid in arts:
        if aid not in rows:
            problems.append(f"{aid}: article has no quotes")
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problems; gold.csv not written")
        sys.exit(1)
    order = {aid: i for i, aid in enumerate(arts)}
    out.sort(key=lambda r: (order[r[0]], r[2]))
    with open(f"{folder}/gold.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["article_id", "quote_index", "start", "end", "kind", "speaker", "cue", "quote",
                    "stance", "stance_score", "sentiment", "sentiment_score", "unsure"])
        w.writerows(out)
    words = sorted(len(a["text"].split()) for a in arts.values())
    c = collections.Counter
    print(f"OK: {len(arts)} articles, {len(out)} quotes, median words {words[len(words)//2]}")
    print("kind", dict(c(r[4] for r in out)))
    print("stance", dict(c(r[8] for r in out)))
    print("sentiment", dict(c(r[10] for r in out)))
    print("unsure", sum(r[12] for r in out), "one-line articles", sum("\n" not in a["text"] for a in arts.values()))

if __name__ == "__main__":
    main(sys.argv[1])
