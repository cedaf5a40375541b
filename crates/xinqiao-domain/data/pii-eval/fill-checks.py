#!/usr/bin/env python3
"""Completes check characters in the corpus files, in place: in `{id_card|…?}` the `?` becomes the
GB 11643 check character of the 17 digits before it, in `{bank_card|…?}` the Luhn check digit.
Spaces between digit groups are kept. Run once after writing new lines; it is idempotent."""

import pathlib
import re

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_check(d):
    return "10X98765432"[sum(int(a) * w for a, w in zip(d, W)) % 11]


def luhn_check(d):
    total = 0
    for i, c in enumerate(reversed(d)):
        v = int(c)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            v = v * 2 - 9 if v > 4 else v * 2
        total += v
    return str((10 - total % 10) % 10)


def fill(m):
    kind, body = m.group(1), m.group(2)
    digits = "".join(c for c in body if c.isdigit())
    check = id_check(digits) if kind == "id_card" else luhn_check(digits)
    return "{%s|%s%s}" % (kind, body, check)


for path in sorted(pathlib.Path(__file__).parent.glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"\{(id_card|bank_card)\|([0-9 ]+)\?\}", fill, text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path.name}: filled")
