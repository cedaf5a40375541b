#!/usr/bin/env python3
"""Trains the name model of `privacy::model` from jieba's dictionary (jieba-rs 0.11, `dict.txt`,
MIT licence): the words it tags as person names (`nr`) against the characters of all its words.

    python3 train-names.py [PATH/TO/jieba-rs-0.11.0/src/data/dict.txt] > name-model.tsv
    python3 train-names.py --nr-words [PATH] > nr-words.txt
    python3 train-names.py --nr3-words [PATH] > nr3-words.txt

Output, one character a line: `char  surname  given1  given2  single` — natural-log likelihood
ratios, rounded to 0.01, of the character as a surname, as the first / second character of a
two-character given name, and as a one-character given name (either position of a
two-character one), each against how often the
character appears in ordinary words (weighted by the words' frequencies). Names are counted as
types (each dictionary entry once), so famous names weigh no more than others. Surnames are the
single characters of SURNAMES below (the usual list of common surnames); compound surnames are
handled in code. A character never seen in a name but rare in ordinary words (under half the
average frequency: 囤, 飚, 珂, 渭) gets the smoothed ratio of a zero count, about -1 — the model
has no evidence against it as a given name, and rare characters are typical of given names —
instead of the code's floor of -3.5 for characters it knows nothing of (issue 24, ninth pass: 15
of the 272 names missed in MSRA's looked-at half held one). Frequent characters with no evidence
are left out, so they keep the floor.
"""

import glob
import math
import sys
from collections import Counter

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝区练冼晁蔺廉楼揭计衣宿郜战谈帅勾晋钮仝"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "端木", "宇文", "长孙", "南宫", "西门", "呼延", "澹台", "申屠"]


def nr_words(path):
    """Two-character words jieba tags `nr` that are frequent (50 or more): ordinary words
    (陈述, 顾客, 麻醉) far more often than names."""
    print("# Two-character words tagged nr in jieba-rs 0.11 dict.txt (MIT) with frequency >= 50: ordinary words")
    print("# far more often than names. Written by train-names.py --nr-words.")
    with open(path, encoding="utf-8") as f:
        words = [p[0] for p in (line.split() for line in f) if len(p) == 3 and p[2].startswith("nr") and len(p[0]) == 2 and int(p[1]) >= 50]
    for i in range(0, len(words), 20):
        print(" ".join(words[i : i + 20]))


def nr3_words(path):
    """Three-character words tagged `nr` whose first two characters are a frequent ordinary word
    (frequency 300 or more, not itself tagged as a name): 黄金周, 小学生, 安全感, 银行卡 — words
    built on an ordinary word, which jieba's dictionary tags as names by mistake. Compound
    surnames are left out (公孙胜, 东方朔 are names)."""
    print("# Three-character words tagged nr in jieba-rs 0.11 dict.txt (MIT) whose first two characters are an")
    print("# ordinary word of frequency >= 300: ordinary words, not names. Written by train-names.py --nr3-words.")
    freq, tag = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 3:
                freq[p[0]], tag[p[0]] = int(p[1]), p[2]
    words = sorted(
        w
        for w in freq
        if len(w) == 3
        and tag[w] in ("nr", "nrfg")
        and freq.get(w[:2], 0) >= 300
        and not tag.get(w[:2], "").startswith("nr")
        and w[:2] not in COMPOUND
    )
    for i in range(0, len(words), 20):
        print(" ".join(words[i : i + 20]))


def main():
    if sys.argv[1:2] == ["--nr3-words"]:
        sys.argv.pop(1)
        path = sys.argv[1] if len(sys.argv) > 1 else glob.glob(f"{__import__('os').path.expanduser('~')}/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt")[0]
        nr3_words(path)
        return
    if sys.argv[1:2] == ["--nr-words"]:
        sys.argv.pop(1)
        path = sys.argv[1] if len(sys.argv) > 1 else glob.glob(f"{__import__('os').path.expanduser('~')}/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt")[0]
        nr_words(path)
        return
    paths = sys.argv[1:] or glob.glob(
        f"{__import__('os').path.expanduser('~')}/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt"
    )
    bg = Counter()
    starts, g1, g2, single = Counter(), Counter(), Counter(), Counter()
    names = 0
    with open(paths[0], encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            tag = parts[2] if len(parts) > 2 else ""
            for c in word:
                bg[c] += freq
            # nr and nrfg only: nrt holds transliterations, and two-character entries tagged nr are
            # mostly ordinary words (顾客, 宝马, 陈述), so single given names are learnt from the
            # given-name characters of three-character names instead.
            if tag not in ("nr", "nrfg") or len(word) < 3:
                continue
            sur = next((s for s in COMPOUND if word.startswith(s)), word[0] if word[0] in SURNAMES else None)
            if sur is None:
                continue
            given = word[len(sur):]
            if len(given) == 2:
                g1[given[0]] += 1
                g2[given[1]] += 1
                single[given[0]] += 1
                single[given[1]] += 1
            else:
                continue
            names += 1
            if len(sur) == 1:
                starts[sur] += 1
    total_bg = sum(bg.values())

    vocab = len(bg)

    def lr(count, total, c):
        # Smoothed on both sides: a character rare in ordinary words gets no credit for that alone
        # (its background probability is floored at half the average).
        p_name = (count + 0.5) / (total + 0.5 * vocab)
        p_bg = (bg[c] + total_bg / (2 * vocab)) / (1.5 * total_bg)
        return round(math.log(p_name / p_bg), 2)

    rare = {c for c in bg if "\u4e00" <= c <= "\u9fff" and bg[c] <= total_bg / (2 * vocab)}
    chars = sorted(set(starts) | set(g1) | set(g2) | set(single) | SURNAMES | rare)
    t_s, t1, t2, ts = sum(starts.values()), sum(g1.values()), sum(g2.values()), sum(single.values())
    print(f"# name model: {names} names from jieba-rs 0.11 dict.txt (MIT); columns: char surname given1 given2 single")
    for c in chars:
        # A listed surname keeps a small positive prior even where jieba's names rarely use it.
        surname = max(lr(starts[c], t_s, c), 0.5) if c in SURNAMES else -9.0
        print(f"{c}\t{surname}\t{lr(g1[c], t1, c)}\t{lr(g2[c], t2, c)}\t{lr(single[c], ts, c)}")


if __name__ == "__main__":
    main()
