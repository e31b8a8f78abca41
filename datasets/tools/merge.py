#!/usr/bin/env python3
"""Compare writers' and second annotators' labels; write adjudication items; build the final gold.
usage: merge.py adjudicate OUTDIR w1 w2 ...   -> OUTDIR/items.jsonl (disagreements, the two labels in random order)
       merge.py final        -> final/<prefix>_gold.csv, final/annotations.csv, agreement figures
Pairs: w1/a1, w2/a2, w3/a3, w4/a4; w1 and w2 wrote the natural half. SET names the set
(heldout4 by default; SET=heldout5 made the fourth held-out set)."""
import csv, json, os, random, sys, collections
PAIRS = [("w1", "a1"), ("w2", "a2"), ("w3", "a3"), ("w4", "a4")]
random.seed(20261207)
SET = os.environ.get("SET", "heldout4")

def load(pairs=PAIRS):
    rows = []
    for w, a in pairs:
        gold = list(csv.DictReader(open(f"{w}/gold.csv", encoding="utf-8")))
        lab = {(r["article_id"], r["quote_index"]): r for r in csv.DictReader(open(f"{a}/labels.csv", encoding="utf-8"))}
        items = {(i["article_id"], str(i["quote_index"])): i for i in map(json.loads, filter(str.strip, open(f"{a}/items.jsonl", encoding="utf-8")))}
        for g in gold:
            k = (g["article_id"], g["quote_index"])
            rows.append((w, g, lab[k], items[k]["context"]))
    return rows

def kappa(pairs):
    n = len(pairs); po = sum(x == y for x, y in pairs) / n
    ca, cb = collections.Counter(x for x, _ in pairs), collections.Counter(y for _, y in pairs)
    pe = sum(ca[l] * cb[l] for l in ca) / n / n
    return po, (po - pe) / (1 - pe)

def adjudicate(outdir, names):
    os.makedirs(outdir, exist_ok=True)
    n = 0
    with open(f"{outdir}/items.jsonl", "w", encoding="utf-8") as out:
        for w, g, l, ctx in load([p for p in PAIRS if p[0] in names]):
            item = {"article_id": g["article_id"], "quote_index": g["quote_index"], "kind": g["kind"],
                    "speaker": g["speaker"], "cue": g["cue"], "quote": g["quote"], "context": ctx}
            for f in ("stance", "sentiment"):
                if g[f] != l[f]:
                    opts = [g[f], l[f]]; random.shuffle(opts); item[f + "_options"] = opts
            if len(item) > 7:
                out.write(json.dumps(item, ensure_ascii=False) + "\n"); n += 1
    print(n, "items to adjudicate")

def final():
    import glob
    dec = {}
    for p in glob.glob("adj*/decisions.csv"):
        dec.update({(r["article_id"], r["quote_index"]): r for r in csv.DictReader(open(p, encoding="utf-8"))})
    os.makedirs("final", exist_ok=True)
    by_prefix, ann, st, se, nadj = collections.defaultdict(list), [], [], [], 0
    for w, g, l, _ in load():
        k = (g["article_id"], g["quote_index"]); out = dict(g)
        st.append((g["stance"], l["stance"])); se.append((g["sentiment"], l["sentiment"]))
        if g["stance"] != l["stance"] or g["sentiment"] != l["sentiment"]:
            d = dec[k]; nadj += 1
            for f in ("stance", "sentiment"):
                if g[f] != l[f]:
                    assert d[f] in (g[f], l[f]), (k, f, d[f])
                    out[f] = d[f]
        out["unsure"] = str(int(g["unsure"] == "1" or l["unsure"] == "1" or g["stance"] != l["stance"]))
        mix = "natural" if w in ("w1", "w2") else "acts"
        by_prefix[mix].append(out)
        ann.append([SET + "-" + mix, g["article_id"], g["start"], g["end"], g["stance"], l["stance"], out["stance"],
                    g["sentiment"], l["sentiment"], out["sentiment"], g["unsure"], l["unsure"], out["unsure"]])
    cols = ["article_id", "quote_index", "start", "end", "kind", "speaker", "cue", "quote", "stance",
            "stance_score", "sentiment", "sentiment_score", "unsure"]
    for mix, rows in by_prefix.items():
        with open(f"final/{SET}-{mix}_gold.csv", "w", newline="", encoding="utf-8") as f:
            wr = csv.DictWriter(f, cols, lineterminator="\n", extrasaction="ignore"); wr.writeheader(); wr.writerows(rows)
    with open("final/annotations.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows(ann)
    (sa, sk), (ea, ek) = kappa(st), kappa(se)
    print(f"quotes {len(st)}: stance agreement {sa:.1%} kappa {sk:.3f}; sentiment agreement {ea:.1%} kappa {ek:.3f}; adjudicated {nadj}")

if sys.argv[1] == "adjudicate":
    adjudicate(sys.argv[2], sys.argv[3:])
else:
    final()
