#!/usr/bin/env python3
"""The Python peer of PII detection in bench/run: what a bureau's IT team would write with jieba
and regular expressions. Same input as the Rust bench (JSON lines {"id","text"}), same output
(JSON lines {"case_id","kind","start","end"}, offsets in characters), timed on one core.

    python3 bench/pii-peer.py NARRATIVES.jsonl OUT.jsonl

Detects: mobiles (+86/0086, spaces, dashes, full-width digits), 18-digit 身份证号 with the GB 11643
check, bank cards (16-19 digits, Luhn), e-mail, licence plates, detailed addresses (road + number
+ building/unit/room, or compound + building + room), and names (jieba.posseg `nr`, HMM on, plus
cue words 我叫/姓名/联系人). Full-width ASCII is folded one-for-one first, so offsets hold.
Prints a RESULT line with MB/s (UTF-8 bytes of input per second, best of 2).
"""

import json
import re
import sys
import time

import jieba
import jieba.posseg as pseg

jieba.setLogLevel(60)

FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FOLD[0x3000] = 0x20

MOBILE = re.compile(r"(?<![\d])(?:(?:\+86|0086)[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
ID = re.compile(r"(?<![\dA-Za-z])\d{6} ?\d{8} ?\d{3}[\dXx](?![\dA-Za-z])")
CARD = re.compile(r"(?<!\d)\d{4}(?: ?\d{4}){3}(?: ?\d{1,3})?(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·. ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])")
ADDRESS = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,12}(?:路|街|大道|巷|道)\d+(?:弄\d+)?号(?:\d+(?:栋|幢|号楼)(?:\d+单元)?\d+室?)?"
    r"|[\u4e00-\u9fa5]{2,8}(?:小区|花园|苑|公寓|新村|家园|华府|名都|城)\d+(?:栋|幢)(?:\d+单元)?\d+室?)"
)
CUE = re.compile(r"(?:我叫|姓名[:：]?|联系人[:：]?|本人)([\u4e00-\u9fa5]{2,3})")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_ok(s):
    d = s.replace(" ", "").upper()
    if len(d) != 18 or not d[:17].isdigit():
        return False
    return "10X98765432"[sum(int(a) * w for a, w in zip(d, ID_WEIGHTS)) % 11] == d[17]


def luhn(s):
    d = [int(c) for c in s if c.isdigit()]
    total = 0
    for i, v in enumerate(reversed(d)):
        if i % 2:
            v = v * 2 - 9 if v > 4 else v * 2
        total += v
    return 16 <= len(d) <= 19 and total % 10 == 0


def detect(text):
    t = text.translate(FOLD)
    spans = []
    taken = bytearray(len(t))

    def add(kind, a, b):
        if any(taken[a:b]):
            return
        taken[a:b] = b"\x01" * (b - a)
        spans.append((kind, a, b))

    for m in ID.finditer(t):
        if id_ok(m.group()):
            add("id_card", m.start(), m.end())
    for m in CARD.finditer(t):
        if luhn(m.group()):
            add("bank_card", m.start(), m.end())
    for m in MOBILE.finditer(t):
        add("mobile", m.start(), m.end())
    for m in EMAIL.finditer(t):
        add("email", m.start(), m.end())
    for m in PLATE.finditer(t):
        add("plate", m.start(), m.end())
    for m in ADDRESS.finditer(t):
        add("address", m.start(), m.end())
    for m in CUE.finditer(t):
        add("name", m.start(1), m.end(1))
    at = 0
    for word, flag in pseg.cut(t, HMM=True):
        n = len(word)
        if flag == "nr" and 2 <= n <= 4:
            add("name", at, at + n)
        at += n
    spans.sort(key=lambda s: s[1])
    return spans


def main():
    src, out = sys.argv[1], sys.argv[2]
    docs = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            docs.append((v["id"], v["text"]))
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    jieba.initialize()
    for _, t in docs[:50]:
        detect(t)
    best, found = float("inf"), None
    for _ in range(2):
        started = time.perf_counter()
        found = [(i, detect(t)) for i, t in docs]
        best = min(best, time.perf_counter() - started)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for i, spans in found:
            for kind, a, b in spans:
                f.write(json.dumps({"case_id": i, "kind": kind, "start": a, "end": b}) + "\n")
                n += 1
    mbs = size / 1e6 / best
    print(f"python jieba + regex: {len(docs)} narratives, {size / 1e6:.2f} MB, {n} spans, best of 2: {best:.2f} s = {mbs:.3f} MB/s on one core")
    print(f"RESULT narratives={len(docs)} bytes={size} secs={best:.3f} mb_per_s={mbs:.4f}")


if __name__ == "__main__":
    main()
