"""The Python peer: embed quotes with sentence-transformers and label them with a logistic-regression
head trained on the same training set; print the median quotes/s of labelling (model loading and
training excluded, as for quotestance's own figure). With --predict GOLD.csv --out FILE it instead
labels the gold quotes of an annotated set and writes them as labelled quotes
(article_id,start,end,text,stance,sentiment) for `quotestance compare --predictions`."""

import argparse
import csv
import statistics
import time

import torch
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--train", required=True, nargs="+")
    ap.add_argument("--quotes")
    ap.add_argument("--predict", help="gold CSV in quotestance's output schema")
    ap.add_argument("--out", help="where --predict writes the peer's labels")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model = SentenceTransformer(args.model, device="cpu")
    train = [r for path in args.train for r in read(path)]
    for r in train:
        r.setdefault("text", r.get("quote", ""))
    x = model.encode([r["text"] for r in train], batch_size=16, normalize_embeddings=True)
    stance = LogisticRegression(max_iter=2000).fit(x, [r["stance"] for r in train])
    sentiment = LogisticRegression(max_iter=2000).fit(x, [r["sentiment"] for r in train])

    if args.predict:
        gold = read(args.predict)
        e = model.encode([r["quote"] for r in gold], batch_size=16, normalize_embeddings=True)
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["article_id", "start", "end", "text", "stance", "sentiment"])
            for r, s, t in zip(gold, stance.predict(e), sentiment.predict(e)):
                w.writerow([r["article_id"], r["start"], r["end"], r["quote"], s, t])
        return

    quotes = [r["text"] for r in read(args.quotes)]
    rates = []
    for _ in range(args.runs):
        start = time.perf_counter()
        e = model.encode(quotes, batch_size=16, normalize_embeddings=True)
        stance.predict_proba(e)
        sentiment.predict_proba(e)
        rates.append(len(quotes) / (time.perf_counter() - start))
    print(f"{statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
