#!/usr/bin/env python3
"""Check an annotator's labels.csv against its items.jsonl. usage: check_labels.py FOLDER"""
import csv, json, sys
d = sys.argv[1]
items = {(i["article_id"], str(i["quote_index"])) for i in map(json.loads, filter(str.strip, open(f"{d}/items.jsonl", encoding="utf-8")))}
seen, problems = set(), []
ST = {"threat", "offer", "denial", "demand", "accusation", "rejection", "neutral"}
SE = {"positive", "negative", "neutral"}
for n, r in enumerate(csv.DictReader(open(f"{d}/labels.csv", encoding="utf-8")), 2):
    k = (r.get("article_id"), str(r.get("quote_index")))
    if k not in items: problems.append(f"line {n}: unknown item {k}")
    if k in seen: problems.append(f"line {n}: item {k} twice")
    seen.add(k)
    if r.get("stance") not in ST: problems.append(f"line {n}: stance {r.get('stance')!r}")
    if r.get("sentiment") not in SE: problems.append(f"line {n}: sentiment {r.get('sentiment')!r}")
    if r.get("unsure") not in ("0", "1"): problems.append(f"line {n}: unsure {r.get('unsure')!r}")
for k in sorted(items - seen): problems.append(f"missing label for {k}")
print("\n".join(problems) if problems else f"OK: {len(seen)} labels")
sys.exit(1 if problems else 0)
