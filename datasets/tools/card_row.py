#!/usr/bin/env python3
"""Print a dataset-card row: usage card_row.py NAME ARTICLES.jsonl GOLD.csv"""
import csv, json, sys, collections
name, aj, gc = sys.argv[1:4]
arts = [json.loads(l) for l in open(aj, encoding="utf-8") if l.strip()]
g = list(csv.DictReader(open(gc, encoding="utf-8")))
c = lambda f: collections.Counter(r[f] for r in g)
st, se, k = c("stance"), c("sentiment"), c("kind")
words = sorted(len(a["text"].split()) for a in arts)
m = len(words)
med = words[m // 2] if m % 2 else (words[m // 2 - 1] + words[m // 2]) // 2
cells = [name, len(arts), len(g)] + [st[x] for x in ["threat", "offer", "denial", "demand", "accusation", "rejection", "neutral"]] \
    + [se[x] for x in ["positive", "negative", "neutral"]] + [k[x] for x in ["direct", "indirect", "mixed"]] \
    + [sum(r["unsure"] == "1" for r in g), sum("\n" not in a["text"] for a in arts), med]
print("| " + " | ".join(f"{x:,}" if isinstance(x, int) else x for x in cells) + " |")
