#!/usr/bin/env python3
"""Trains the transliteration likelihood of `privacy::name_latin` from jieba's dictionary (jieba-rs
0.11, `dict.txt`, MIT licence): how much more often a character appears in the foreign names and
words jieba tags `nrt` (three to six characters: 约翰逊, 伊丽莎白, 普里马科夫) than in all its words.

    python3 train-translit.py [PATH/TO/jieba-rs-0.11.0/src/data/dict.txt] > translit-model.tsv

Output, one character a line: `char  ratio` — the natural-log likelihood ratio, rounded to 0.01,
of the character in a transliteration (entries counted as types, each once) against its share of
all characters of ordinary words (weighted by the words' frequencies). Only characters seen in at
least three transliterations are written; the code uses a floor for the rest.
"""

import glob
import math
import sys
from collections import Counter


def main():
    paths = sys.argv[1:] or glob.glob(
        str(__import__("pathlib").Path.home() / ".cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt")
    )
    translit, ordinary = Counter(), Counter()
    with open(paths[0], encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) != 3:
                continue
            word, freq, tag = p[0], int(p[1]), p[2]
            if tag == "nrt" and 3 <= len(word) <= 6:
                translit.update(word)
            elif not tag.startswith("nr"):
                for c in word:
                    ordinary[c] += freq
    nt, no = sum(translit.values()), sum(ordinary.values())
    print("# Transliteration likelihood per character, by train-translit.py from jieba-rs 0.11 dict.txt (MIT).")
    for c, n in sorted(translit.items(), key=lambda kv: -kv[1]):
        if n < 3:
            continue
        p_t = n / nt
        p_o = (ordinary[c] + 1) / (no + len(ordinary))
        print(f"{c}\t{math.log(p_t / p_o):.2f}")


if __name__ == "__main__":
    main()
