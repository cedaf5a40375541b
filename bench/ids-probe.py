#!/usr/bin/env python3
"""An outside probe of the identifier rules (issue 24): generates thousands of 统一社会信用代码
and 身份证号 — valid, wrong check character, lower case, 18xx birth years, born after "today",
bad region codes, any of the 31 symbols in positions 1–2, typed with spaces, hyphens or
full-width characters — and compares the platform's verdicts (`xinqiao ids check`) with
python-stdnum's check character plus the issue's structural rules:

- 统一社会信用代码: position 1 ∈ 1–9, A, N, Y; position 2 a digit; positions 3–8 a GB/T 2260 code
  listed in crates/xinqiao-domain/data/regions/regions.txt (or 100000, 710000, 810000, 820000),
  or a county part under a listed prefecture (320594: development zones' registration
  authorities, districts merged since the code was issued);
  positions 9–18 from the 31 symbols; check character as stdnum.cn.uscc computes it;
- 身份证号: 17 digits and a digit or X; positions 1–2 a province (or 83, Taiwan residents'
  permits); a real birth date from 1800-01-01 to today; check character as stdnum.cn.ric
  computes it; the 15-digit legacy form with a province and a real 19yy date;
- as typed: spaces, hyphens, the ideographic space and full-width characters between or in
  place of symbols are normalised, lower case is upper-cased; any other character is refused.

Then it checks that masking never depends on a checksum (`xinqiao mask --json`): 18-digit IDs
with a wrong check digit or a small x, and card numbers failing Luhn, are masked in full, and a
统一社会信用代码 in text is kept.

    python3 bench/ids-probe.py --xinqiao target/release/xinqiao --today 2026-12-07 [--n 1000]

"Today" is passed in, never read from the wall clock. Exit status 1 when any verdict disagrees.
Needs python-stdnum (`pip install python-stdnum`).
"""

import argparse
import datetime as dt
import json
import pathlib
import random
import subprocess
import sys

from stdnum.cn import ric, uscc

ROOT = pathlib.Path(__file__).resolve().parent.parent
REGIONS = ROOT / "crates/xinqiao-domain/data/regions/regions.txt"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
AUTHORITY = set("123456789ANY")
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def load_regions():
    codes = {l.split()[0] for l in REGIONS.read_text(encoding="utf-8").splitlines() if l[:1].isdigit()}
    return sorted(codes | {"100000", "710000", "810000", "820000"})


def compact(value):
    """The input as the rules read it: full-width to ASCII, spaces and hyphens removed, upper case."""
    out = []
    for c in value:
        if "\uff01" <= c <= "\uff5e":
            c = chr(ord(c) - 0xFEE0)
        elif c == "\u3000":
            c = " "
        if c in " -\t":
            continue
        out.append(c)
    return "".join(out).strip().upper()


def uscc_expected(value, regions):
    s = compact(value)
    if len(s) != 18 or any(c not in ALPHABET for c in s):
        return False
    region = s[2:8] in regions or s[2:6] + "00" in regions
    return s[0] in AUTHORITY and s[1].isdigit() and region and uscc.calc_check_digit(s[:17]) == s[17]


def real_date(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def id_expected(value, today):
    s = compact(value)
    if len(s) == 15:
        if not s.isdigit() or int(s[:2]) not in PROVINCES:
            return False
        return real_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])) is not None
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return False
    born = real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    return (int(s[:2]) in PROVINCES and born is not None and dt.date(1800, 1, 1) <= born <= today
            and ric.calc_check_digit(s[:17] + "0") == s[17])


def wrong(c, alphabet):
    return random.choice([a for a in alphabet if a != c])


def full_width(s, share=1.0):
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() and random.random() < share else c for c in s)


def typed(s):
    """The ways people type a code: groups with spaces or hyphens, full-width, lower case."""
    form = random.choice(["space4", "space_parts", "hyphen", "fullwidth", "mixedwidth", "ideographic", "lower",
                          "padded"])
    if form == "space4":
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    if form == "space_parts":
        return f"{s[:6]} {s[6:14]} {s[14:]}"
    if form == "hyphen":
        return f"{s[:6]}-{s[6:14]}-{s[14:]}"
    if form == "fullwidth":
        return full_width(s)
    if form == "mixedwidth":
        return full_width(s, 0.4)
    if form == "ideographic":
        return f"{s[:6]}\u3000{s[6:]}"
    if form == "lower":
        return s.lower()
    return f" {s} "


# ---- 统一社会信用代码 --------------------------------------------------------------------------


def uscc_valid(regions):
    first = random.choice(sorted(AUTHORITY)) + random.choice("0123456789") + random.choice(regions)
    first += "".join(random.choice(ALPHABET) for _ in range(9))
    return first + uscc.calc_check_digit(first)


def uscc_cases(n, regions):
    cases = []
    for _ in range(n):
        v = uscc_valid(regions)
        cases.append(("uscc valid", v))
        cases.append(("uscc wrong check", v[:17] + wrong(v[17], ALPHABET)))
        cases.append(("uscc typed", typed(v)))
        # Any of the 31 symbols in positions 1–2, with a right check character.
        f = random.choice(ALPHABET) + random.choice(ALPHABET) + v[2:17]
        cases.append(("uscc positions 1-2", f + uscc.calc_check_digit(f)))
        # A region code: random six digits, or a listed prefecture with an unlisted county.
        r = random.choice([f"{random.randrange(1000000):06d}", v[2:6] + f"{random.randrange(100):02d}",
                           f"{random.choice(sorted(PROVINCES))}{random.randrange(10000):04d}"])
        f = v[:2] + r + v[8:17]
        cases.append(("uscc region", f + uscc.calc_check_digit(f)))
        # A letter outside the alphabet (I, O, S, V, Z) or another character.
        k = random.randrange(8, 17)
        cases.append(("uscc bad symbol", v[:k] + random.choice("IOSVZ.*/_#") + v[k + 1:]))
        cases.append(("uscc length", v[:random.choice([15, 16, 17])] if random.random() < 0.5 else v + "1"))
    return cases


# ---- 身份证号 -------------------------------------------------------------------------------------


def birth(lo, hi):
    return lo + dt.timedelta(days=random.randrange((hi - lo).days + 1))


def id_of(region, born, seq=None):
    seq = f"{random.randrange(1000):03d}" if seq is None else seq
    first = f"{region}{born:%Y%m%d}{seq}"
    return first + ric.calc_check_digit(first + "0")


def id_cases(n, regions, today):
    counties = [r for r in regions if r[:2].isdigit() and int(r[:2]) in PROVINCES and r != "100000"]
    cases = []
    for _ in range(n):
        region = random.choice(counties)
        v = id_of(region, birth(dt.date(1900, 1, 1), today))
        cases.append(("id valid", v))
        cases.append(("id wrong check", v[:17] + wrong(v[17], "0123456789X")))
        cases.append(("id typed", typed(v)))
        # 18xx birth years, and before 1800.
        cases.append(("id 18xx", id_of(region, birth(dt.date(1800, 1, 1), dt.date(1899, 12, 31)))))
        cases.append(("id before 1800", id_of(region, birth(dt.date(1700, 1, 1), dt.date(1799, 12, 31)))))
        # Born today or after it (tomorrow up to the end of the century).
        after = random.choice([today + dt.timedelta(days=1), today, birth(today, dt.date(2099, 12, 31))])
        cases.append(("id after today", id_of(region, after)))
        # An impossible date.
        y = random.randrange(1900, 2020)
        m, d = random.choice([(2, 30), (2, 29), (4, 31), (13, 1), (0, 10), (6, 0), (11, 31), (2, 28)])
        first = f"{region}{y:04d}{m:02d}{d:02d}{random.randrange(1000):03d}"
        cases.append(("id bad date", first + ric.calc_check_digit(first + "0")))
        # A province that does not exist (or 71, 81, 82, 83).
        p = random.choice(["00", "10", "19", "20", "29", "47", "55", "66", "70", "71", "72", "80", "81", "82", "83",
                           "84", "90", "91", "99"])
        cases.append(("id province", id_of(p + region[2:], birth(dt.date(1950, 1, 1), today))))
        # A small x.
        while True:
            x = id_of(region, birth(dt.date(1930, 1, 1), today))
            if x.endswith("X"):
                break
        cases.append(("id small x", x[:17] + "x"))
        cases.append(("id typed x", typed(x[:17] + "x")))
        k = random.randrange(17)
        cases.append(("id bad symbol", v[:k] + random.choice("Xx.*/#A") + v[k + 1:]))
        # The 15-digit legacy form.
        b = birth(dt.date(1900, 1, 1), dt.date(1999, 12, 31))
        cases.append(("id 15 digits", f"{region}{b:%y%m%d}{random.randrange(1000):03d}"))
        cases.append(("id 15 bad date", f"{region}{random.randrange(100):02d}0230{random.randrange(1000):03d}"))
    return cases


# ---- the platform ------------------------------------------------------------------------------


def platform(xinqiao, kind, values, today):
    text = "".join(v.replace("\n", " ") + "\n" for v in values)
    out = subprocess.run([xinqiao, "ids", "check", "--kind", kind, "--today", today.isoformat()], input=text,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def compare(name, cases, expected, verdicts, show):
    by_group = {}
    wrong_cases = []
    for (group, value), v in zip(cases, verdicts):
        want = expected(value)
        agree = want == v["ok"]
        a, t = by_group.get(group, (0, 0))
        by_group[group] = (a + agree, t + 1)
        if not agree:
            wrong_cases.append((group, value, want, v))
    total = sum(t for _, t in by_group.values())
    agreed = sum(a for a, _ in by_group.values())
    print(f"{name}: {agreed} of {total} verdicts agree")
    for group, (a, t) in sorted(by_group.items()):
        print(f"  {group:22} {a:5} / {t:5}")
    for group, value, want, v in wrong_cases[:show]:
        print(f"  DISAGREE {group}: {value!r} expected {'ok' if want else 'refused'}, got {v}")
    return total - agreed


# ---- masking ------------------------------------------------------------------------------------


def read_out(d):
    """Digits read out in Chinese numerals, in the groups of a 身份证号 (幺 for one, at random)."""
    words = "零一二三四五六七八九"
    said = "".join(("幺" if c == "1" and random.random() < 0.5 else words[int(c)]) if c.isdigit() else c for c in d)
    return f"{said[:6]} {said[6:14]} {said[14:]}"


def luhn_ok(d):
    s = 0
    for i, c in enumerate(reversed(d)):
        v = int(c) * (2 if i % 2 else 1)
        s += v - 9 if v > 9 else v
    return s % 10 == 0


def mask_cases(n, regions, today):
    """(text, [(start, end, must be masked?)]) lines: IDs with a wrong check digit or a small x,
    cards failing Luhn, and 统一社会信用代码 that must be kept."""
    counties = [r for r in regions if int(r[:2]) in PROVINCES and r != "100000" and r[:2] not in ("71", "81", "82")]
    frames_id = ["身份证号{}，", "我的身份证是{}。", "他身份证 {} 丢了", "证件号码：{}", "身份证{}，请核实",
                 "当事人（{}）已到场", "他的证件 {} 还在店里"]
    frames_card = ["卡号{}，", "退款到银行卡{}。", "账号：{} 户名见附件", "转到{}这张卡", "银行卡号是 {}"]
    frames_code = ["统一社会信用代码{}，", "该公司（信用代码：{}）", "营业执照上的代码是{}。"]
    lines = []
    for _ in range(n):
        region = random.choice(counties)
        v = id_of(region, birth(dt.date(1930, 1, 1), today))
        bad = v[:17] + wrong(v[17], "0123456789X")
        while True:
            x = id_of(region, birth(dt.date(1930, 1, 1), today))
            if x.endswith("X"):
                break
        for group, value in (("id wrong check", bad), ("id small x", x[:17] + "x"), ("id valid", v)):
            lines.append((group, random.choice(frames_id), value, True))
        # The same numbers as people write them: groups of 6-8-4, full-width, read out.
        lines.append(("id wrong check, grouped", random.choice(frames_id), f"{bad[:6]} {bad[6:14]} {bad[14:]}", True))
        lines.append(("id small x, full-width", random.choice(frames_id), full_width(x[:17] + "x"), True))
        lines.append(("id wrong check, read out", random.choice(frames_id), read_out(bad), True))
        length = random.choice([16, 16, 17, 18, 19, 19])
        while True:
            card = "62" + "".join(random.choice("0123456789") for _ in range(length - 2))
            if not luhn_ok(card):
                break
        grouped = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
        lines.append(("card failing Luhn", random.choice(frames_card), card, True))
        lines.append(("card failing Luhn, grouped", random.choice(frames_card), grouped, True))
        lines.append(("uscc kept", random.choice(frames_code), uscc_valid(regions), False))
    return lines


def probe_masking(xinqiao, n, regions, today, show):
    lines = mask_cases(n, regions, today)
    text, where, at = "", [], 0
    for group, frame, value, masked in lines:
        line = frame.format(value)
        s = at + line.index(value)
        where.append((group, s, s + len(value), masked, value))
        text += line + "\n"
        at += len(line) + 1
    out = subprocess.run([xinqiao, "mask", "--json"], input=text, capture_output=True, text=True, check=True).stdout
    spans = json.loads(out)
    results = {}
    bad = []
    for group, s, e, masked, value in where:
        covered = [p for p in spans if p["start"] < e and s < p["end"]]
        full = any(p["start"] <= s and e <= p["end"] for p in covered)
        ok = full if masked else not covered
        a, t = results.get(group, (0, 0))
        results[group] = (a + ok, t + 1)
        if not ok:
            bad.append((group, value, [(p["kind"], p["text"]) for p in covered]))
    total = sum(t for _, t in results.values())
    agreed = sum(a for a, _ in results.values())
    print(f"masking: {agreed} of {total} as the labelling rules say (identifiers masked in full whatever "
          f"their checksum; 统一社会信用代码 kept)")
    for group, (a, t) in sorted(results.items()):
        print(f"  {group:28} {a:5} / {t:5}")
    for group, value, covered in bad[:show]:
        print(f"  WRONG {group}: {value!r} spans {covered}")
    return total - agreed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xinqiao", default=str(ROOT / "target/release/xinqiao"))
    ap.add_argument("--today", default="2026-12-07", help="the application's today (YYYY-MM-DD)")
    ap.add_argument("--n", type=int, default=1000, help="rounds of generation (each makes ~7 codes, ~13 IDs)")
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--show", type=int, default=10, help="disagreements to print per check")
    args = ap.parse_args()
    random.seed(args.seed)
    today = dt.date.fromisoformat(args.today)
    regions = load_regions()
    region_set = set(regions)

    ucases = uscc_cases(args.n, regions)
    wrong_u = compare("统一社会信用代码", ucases, lambda v: uscc_expected(v, region_set),
                      platform(args.xinqiao, "uscc", [v for _, v in ucases], today), args.show)
    icases = id_cases(args.n, regions, today)
    wrong_i = compare("身份证号", icases, lambda v: id_expected(v, today),
                      platform(args.xinqiao, "id", [v for _, v in icases], today), args.show)
    # For information: where stdnum's own validate() differs from the rules.
    def stdnum_valid(module, v):
        try:
            return module.is_valid(v)
        except Exception:  # stdnum 2.2's ric raises KeyError on a prefecture code
            return False

    su = sum(stdnum_valid(uscc, v) != uscc_expected(v, region_set) for _, v in ucases)
    si = sum(stdnum_valid(ric, v) != id_expected(v, today) for _, v in icases)
    print(f"stdnum's own is_valid() differs from the issue's rules on {su} codes (positions 1–2, regions, "
          f"typed forms) and {si} IDs (county lists by year, 15 digits, dates after today, typed forms)")
    wrong_m = probe_masking(args.xinqiao, max(args.n // 4, 50), regions, today, args.show)
    print(f"RESULT ids_probe disagreements uscc={wrong_u} id={wrong_i} masking={wrong_m}")
    sys.exit(1 if wrong_u or wrong_i or wrong_m else 0)


if __name__ == "__main__":
    main()
