"""The Python peer: embed quotes with sentence-transformers and label them with a logistic-regression
head trained on the same training set; print the median quotes/s of labelling (model loading and
training excluded, as for quotestance's own figure)."""

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
    ap.add_argument("--train", required=True)
    ap.add_argument("--quotes", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model = SentenceTransformer(args.model, device="cpu")
    train = read(args.train)
    x = model.encode([r["text"] for r in train], batch_size=16, normalize_embeddings=True)
    stance = LogisticRegression(max_iter=2000).fit(x, [r["stance"] for r in train])
    sentiment = LogisticRegression(max_iter=2000).fit(x, [r["sentiment"] for r in train])

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
