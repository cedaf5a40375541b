#!/usr/bin/env python3
"""Scores detected personal-data spans against the ground truth `xinqiao gen` writes (pii.jsonl).

    python3 bench/pii-score.py TRUTH.jsonl DETECTED.jsonl --ids IDS.txt [--label NAME]

Only the cases listed in IDS.txt (one id a line: the sample both detectors ran on) are scored.
A truth span counts as found when a detected span of the same kind overlaps it (boundaries may
differ by a character or two, as with 电话：138… vs 138…); a detected span is correct when it
overlaps a truth span of the same kind. Kinds the generator never writes (landline, QQ/WeChat
ids) count against precision. Structured = mobile, id_number, bank_card, email, plate.
Prints a table and a RESULT line.
"""

import argparse
import json
from collections import defaultdict

KIND = {"id_card": "id_number"}  # detector names → generator names
STRUCTURED = ("mobile", "id_number", "bank_card", "email", "plate")


def load(path, ids):
    by_case = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            if v["case_id"] in ids:
                by_case[v["case_id"]].append((KIND.get(v["kind"], v["kind"]), v["start"], v["end"]))
    return by_case


def overlaps(a, b):
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("detected")
    ap.add_argument("--ids", required=True)
    ap.add_argument("--label", default="detector")
    args = ap.parse_args()
    with open(args.ids) as f:
        ids = {int(x) for x in f if x.strip()}
    truth, found = load(args.truth, ids), load(args.detected, ids)
    t_all, t_hit = defaultdict(int), defaultdict(int)
    d_all, d_ok = defaultdict(int), defaultdict(int)
    for case in ids:
        t, d = truth.get(case, []), found.get(case, [])
        for s in t:
            t_all[s[0]] += 1
            t_hit[s[0]] += any(overlaps(s, x) for x in d)
        for s in d:
            d_all[s[0]] += 1
            d_ok[s[0]] += any(overlaps(s, x) for x in t)

    def ratio(a, b):
        return a / b if b else float("nan")

    print(f"{args.label}: kind, truth spans, recall, detected spans, precision")
    for k in sorted(set(t_all) | set(d_all)):
        print(f"  {k:10} {t_all[k]:7} {ratio(t_hit[k], t_all[k]):7.3f} {d_all[k]:7} {ratio(d_ok[k], d_all[k]):7.3f}")
    s_all = sum(t_all[k] for k in STRUCTURED)
    s_hit = sum(t_hit[k] for k in STRUCTURED)
    print(
        f"RESULT label={args.label} structured_recall={ratio(s_hit, s_all):.4f} name_recall={ratio(t_hit['name'], t_all['name']):.4f} "
        f"address_recall={ratio(t_hit['address'], t_all['address']):.4f} "
        f"precision={ratio(sum(d_ok.values()), sum(d_all.values())):.4f} "
        f"name_precision={ratio(d_ok['name'], d_all['name']):.4f} "
        f"recall={ratio(sum(t_hit.values()), sum(t_all.values())):.4f}"
    )


if __name__ == "__main__":
    main()
