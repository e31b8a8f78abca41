#!/usr/bin/env python3
"""Make a second annotator's items.jsonl from a writer's folder (spans only, no labels).
usage: prepare_annotation.py WRITER_FOLDER ANNOTATOR_FOLDER"""
import csv, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
arts = {}
for line in open(f"{src}/articles.jsonl", encoding="utf-8"):
    if line.strip():
        a = json.loads(line); arts[a["id"]] = a["text"]
with open(f"{dst}/items.jsonl", "w", encoding="utf-8") as out:
    for r in csv.DictReader(open(f"{src}/gold.csv", encoding="utf-8")):
        t, s, e = arts[r["article_id"]], int(r["start"]), int(r["end"])
        item = {k: r[k] for k in ("article_id", "quote_index", "kind", "speaker", "cue", "quote")}
        item["context"] = t[:s] + "[[" + t[s:e] + "]]" + t[e:]
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
print("items written to", dst)
