#!/usr/bin/env python3
"""Writes data/statutory-crosscheck.tsv: 除夕, 端午, 中秋 and 清明 for 2025-2060 from implementations
independent of the one Xinqiao uses (tyme4rs). Needs `pip install lunardate ephem`.

    python3 crates/xinqiao-domain/data/tools/statutory-crosscheck.py > crates/xinqiao-domain/data/statutory-crosscheck.tsv
"""
import datetime
import math

import ephem
import lunardate


def qingming(year):
    """The date in China Standard Time on which the sun's apparent longitude reaches 15 degrees."""
    lo = ephem.Date(datetime.datetime(year, 4, 1))
    hi = ephem.Date(datetime.datetime(year, 4, 8))

    def longitude(t):
        sun = ephem.Sun()
        sun.compute(t, epoch=t)
        return math.degrees(ephem.Ecliptic(sun, epoch=t).lon)

    for _ in range(60):
        mid = (lo + hi) / 2
        if longitude(mid) < 15:
            lo = mid
        else:
            hi = mid
    return (ephem.Date(lo).datetime() + datetime.timedelta(hours=8)).date()


def lunar(year, month, day):
    return lunardate.LunarDate(year, month, day).to_solar_date()


print("# year\t除夕\t端午\t中秋\t清明")
for y in range(2025, 2061):
    eve = lunar(y, 1, 1) - datetime.timedelta(days=1)
    print(f"{y}\t{eve}\t{lunar(y, 5, 5)}\t{lunar(y, 8, 15)}\t{qingming(y)}")
