//! Near-duplicate reports: shingled similarity over jieba tokens of masked narratives.
//!
//! A new 举报 about the same enterprise whose text is near-identical to an open one is proposed for
//! merging rather than handled twice. The text (already masked: 138****5678, 张**, [地址]) is
//! normalised, cut with jieba, stripped of stop-words, and turned into word 3-shingles hashed with
//! FNV-1a 64, a hash fixed by its definition (not std's `DefaultHasher`), so stored fingerprints stay
//! comparable across builds. Two fingerprints are compared by Jaccard similarity and containment;
//! [`score`] blends them and [`MERGE_THRESHOLD`] decides.

use data_encoding::BASE64URL_NOPAD;

/// Words per shingle.
const K: usize = 3;
/// Marks the current storage format; a new hashing or normalisation would take a new prefix.
const STORAGE_PREFIX: &str = "s1";
/// Containment counts only when both texts have at least this many shingles (a few words are
/// contained in many longer reports without being the same report).
pub const MIN_CONTAINMENT_SHINGLES: usize = 8;
/// [`score`] at or above which two reports are proposed for merging.
pub const MERGE_THRESHOLD: f64 = 0.6;

/// Multi-character tokens that carry no content of their own.
const STOP_WORDS: &[&str] = &[
    "我们", "你们", "他们", "她们", "它们", "自己", "本人", "这个", "那个", "这些", "那些", "这样", "那样", "这里",
    "那里", "这种", "那种", "一个", "一下", "一些", "什么", "怎么", "因为", "所以", "但是", "而且", "并且", "然后",
    "如果", "或者", "还是", "已经", "就是", "可是", "以及", "非常", "现在", "当时", "其中", "您好", "你好", "谢谢",
];
/// Single-character function words (particles, pronouns, prepositions, conjunctions). Other single
/// characters (店, 药, 卖, 奶, 不, 没) carry meaning and are kept.
const STOP_CHARS: &str = "的地得了着过吗呢吧啊呀哦嘛啦么是在我你您他她它这那就也都和与及并很还又被把给对说从向往到让将而但或等个之其于以为则该此即";

/// The shingles of one text: hashes sorted ascending without repeats, and the number of tokens
/// they came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    shingles: Vec<u64>,
    tokens: usize,
}

impl Fingerprint {
    /// Shingle hashes, sorted ascending, without repeats.
    pub fn shingles(&self) -> &[u64] {
        &self.shingles
    }

    /// Tokens kept after normalisation and stop-words.
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }

    /// `s1.<tokens>.<hashes>`: the token count in decimal, then the hashes as 8-byte big-endian
    /// words, concatenated in ascending order and encoded in unpadded URL-safe base64 (RFC 4648 §5),
    /// about 11 characters per shingle.
    pub fn to_storage(&self) -> String {
        let bytes: Vec<u8> = self.shingles.iter().flat_map(|h| h.to_be_bytes()).collect();
        format!("{STORAGE_PREFIX}.{}.{}", self.tokens, BASE64URL_NOPAD.encode(&bytes))
    }

    /// Reads [`Fingerprint::to_storage`]'s form; `None` for anything else (another version, bad
    /// encoding, hashes out of order or repeated).
    pub fn from_storage(s: &str) -> Option<Self> {
        let mut parts = s.split('.');
        let (prefix, tokens, hashes) = (parts.next()?, parts.next()?, parts.next()?);
        if prefix != STORAGE_PREFIX || parts.next().is_some() || !tokens.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let tokens = tokens.parse().ok()?;
        let bytes = BASE64URL_NOPAD.decode(hashes.as_bytes()).ok()?;
        if bytes.len() % 8 != 0 {
            return None;
        }
        let shingles: Vec<u64> =
            bytes.chunks_exact(8).map(|c| u64::from_be_bytes(c.try_into().expect("8 bytes"))).collect();
        if shingles.windows(2).any(|w| w[0] >= w[1]) || shingles.is_empty() != (tokens == 0) {
            return None;
        }
        Some(Self { shingles, tokens })
    }
}

/// FNV-1a 64 over `bytes`, continuing from `hash`.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// FNV-1a 64 of the shingle's words' UTF-8 joined by U+001F (unit separator).
fn shingle_hash(words: &[&str]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            hash = fnv1a(hash, &[0x1f]);
        }
        hash = fnv1a(hash, w.as_bytes());
    }
    hash
}

fn fold(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_mask_neighbour(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-')
}

/// Full-width folded to ASCII, lower case, masks and bracket tags removed, then only letters and
/// digits (CJK included) kept: whitespace and punctuation edits leave no trace.
fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(fold).flat_map(char::to_lowercase).collect();
    let mut keep = vec![true; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            // A tag such as [地址] or [qq/微信号].
            let end = chars[i + 1..].iter().take(12).position(|&c| c == ']' || c == '[');
            if let Some(off) = end.filter(|&off| chars[i + 1 + off] == ']') {
                keep[i..=i + 1 + off].fill(false);
                i += off + 2;
                continue;
            }
        } else if chars[i] == '*' {
            // A masked value: 138****5678, 110*************23, 张**, 京a*****, z***@qq.com.
            let mut end = i;
            while end < chars.len() && chars[end] == '*' {
                end += 1;
            }
            while end < chars.len() && is_mask_neighbour(chars[end]) {
                end += 1;
            }
            let mut start = i;
            while start > 0 && keep[start - 1] && chars[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
            // A masked name keeps its surname, a plate its province: neither belongs to the complaint
            // (a bank card's mask takes the character before it along, the same in every text).
            if i - start <= 1 && start > 0 && keep[start - 1] && !chars[start - 1].is_ascii() {
                start -= 1;
            }
            keep[start..end].fill(false);
            i = end;
            continue;
        }
        i += 1;
    }
    chars.iter().zip(keep).filter(|&(c, k)| k && c.is_alphanumeric()).map(|(&c, _)| c).collect()
}

fn is_stop_word(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => STOP_CHARS.contains(c),
        _ => STOP_WORDS.contains(&word),
    }
}

/// The fingerprint of a (masked) narrative. Uses `jieba` without HMM, so the result depends only on
/// the text and jieba's built-in dictionary.
pub fn fingerprint(jieba: &jieba_rs::Jieba, text: &str) -> Fingerprint {
    let normalised = normalise(text);
    let words: Vec<&str> =
        jieba.cut(&normalised, false).into_iter().map(|t| t.word).filter(|w| !is_stop_word(w)).collect();
    let mut shingles: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < K {
        vec![shingle_hash(&words)]
    } else {
        words.windows(K).map(shingle_hash).collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    Fingerprint { shingles, tokens: words.len() }
}

fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard similarity of the shingle sets, |a∩b| / |a∪b|; 0.0 when either is empty.
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = intersection(&a.shingles, &b.shingles);
    common as f64 / (a.shingles.len() + b.shingles.len() - common) as f64
}

/// |a∩b| / min(|a|, |b|): how much of the shorter text the longer one repeats (a resubmission
/// often adds a sentence); 0.0 when either is empty.
pub fn containment(a: &Fingerprint, b: &Fingerprint) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    intersection(&a.shingles, &b.shingles) as f64 / a.shingles.len().min(b.shingles.len()) as f64
}

/// The mean of Jaccard similarity and containment, Jaccard standing in for containment when either
/// text has fewer than [`MIN_CONTAINMENT_SHINGLES`] shingles. 1.0 for identical shingle sets; a
/// text repeated with a sentence added stays well above [`MERGE_THRESHOLD`], a few words lifted
/// from a longer report stay below it.
pub fn score(a: &Fingerprint, b: &Fingerprint) -> f64 {
    let jaccard = similarity(a, b);
    let contained =
        if a.shingles.len().min(b.shingles.len()) >= MIN_CONTAINMENT_SHINGLES { containment(a, b) } else { jaccard };
    (jaccard + contained) / 2.0
}

/// Whether the two reports should be proposed for merging: [`score`] ≥ [`MERGE_THRESHOLD`].
pub fn is_near_duplicate(a: &Fingerprint, b: &Fingerprint) -> bool {
    score(a, b) >= MERGE_THRESHOLD
}

/// An open report that a new one nearly duplicates, with the [`score`] between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeCandidate<Id> {
    pub id: Id,
    pub score: f64,
}

/// Every open report that `new` nearly duplicates, best first (equal scores keep `open`'s order).
pub fn merge_candidates<'a, Id>(
    new: &Fingerprint,
    open: impl IntoIterator<Item = (Id, &'a Fingerprint)>,
) -> Vec<MergeCandidate<Id>> {
    let mut found: Vec<MergeCandidate<Id>> = open
        .into_iter()
        .map(|(id, fp)| MergeCandidate { id, score: score(new, fp) })
        .filter(|c| c.score >= MERGE_THRESHOLD)
        .collect();
    found.sort_by(|x, y| y.score.total_cmp(&x.score));
    found
}

/// The open report `new` most nearly duplicates, with its [`score`], if any passes
/// [`MERGE_THRESHOLD`]; on equal scores the first in `open` wins.
pub fn best_match<'a, Id>(
    new: &Fingerprint,
    open: impl IntoIterator<Item = (Id, &'a Fingerprint)>,
) -> Option<(Id, f64)> {
    merge_candidates(new, open).into_iter().next().map(|c| (c.id, c.score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn jieba() -> &'static jieba_rs::Jieba {
        static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
        J.get_or_init(jieba_rs::Jieba::new)
    }

    fn fp(text: &str) -> Fingerprint {
        fingerprint(jieba(), text)
    }

    fn pair(a: &str, b: &str) -> f64 {
        let s = score(&fp(a), &fp(b));
        assert_eq!(s, score(&fp(b), &fp(a)), "symmetric");
        s
    }

    const MILK: &str = "本人于2024年3月5日在[地址]的华润万家超市购买了两盒蒙牛纯牛奶，回家后发现生产日期是2023年12月1日，保质期只有60天，已经过期一个多月。超市货架上还有很多同批次的过期牛奶在销售，我找店长理论，店长态度恶劣，拒绝退款。请市场监管部门依法查处，联系人张**，联系电话138****5678。";
    const MILK_PUNCT: &str = "本人于２０２４年３月５日在[地址]的华润万家超市购买了两盒蒙牛纯牛奶!! 回家后发现 生产日期是2023年12月1日; 保质期只有60天, 已经过期一个多月……超市货架上还有很多同批次的过期牛奶在销售 我找店长理论 店长态度恶劣 拒绝退款！！请市场监管部门依法查处。联系人：张**  联系电话：138****5678";
    const MILK_EXTRA: &str = "本人于2024年3月5日在[地址]的华润万家超市购买了两盒蒙牛纯牛奶，回家后发现生产日期是2023年12月1日，保质期只有60天，已经过期一个多月。超市货架上还有很多同批次的过期牛奶在销售，我找店长理论，店长态度恶劣，拒绝退款。另外超市冷柜温度明显偏高，酸奶也有胀袋现象。请市场监管部门依法查处，联系人张**，联系电话138****5678。";
    const MILK_WORDS: &str = "本人于2024年3月5日在[地址]的华润万家超市购买了三盒蒙牛纯牛奶，回家后发现生产日期是2023年12月1日，保质期只有60天，已经过期一个多月。超市货架上还有很多同批次的过期牛奶在卖，我找经理理论，经理态度恶劣，拒绝退款。请市场监管部门依法查处，联系人张**，联系电话138****5678。";
    const MILK_OTHER_PERSON: &str = "本人于2024年3月5日在[地址]的华润万家超市购买了两盒蒙牛纯牛奶，回家后发现生产日期是2023年12月1日，保质期只有60天，已经过期一个多月。超市货架上还有很多同批次的过期牛奶在销售，我找店长理论，店长态度恶劣，拒绝退款。请市场监管部门依法查处，联系人欧**，联系电话139****0021。";
    const PRICE_TAG: &str = "[地址]的华润万家超市水果区和生鲜区很多商品没有明码标价，我买了一袋苹果，结账时每斤要价15.8元，比货架旁边写的价格高出不少，收银员说价签还没来得及换。请市场监管部门核查该超市的价格违法行为，联系电话138****5678。";
    const GYM: &str = "我叫王**，在[地址]的力美健身房办了一张年卡，花了3680元，还买了20节私教课6000元。上周去的时候发现健身房大门紧锁，门口贴着装修停业的通知，老板电话打不通，微信也把我们拉黑了。现在有上百名会员的预付卡无法使用，怀疑老板卷款跑路，请监管部门尽快介入，帮助我们追回预付款。";
    const GYM_RESUBMIT: &str = "我叫刘*，在[地址]的力美健身房办了一张年卡，花了3680元，还买了20节私教课6000元。上周去的时候发现健身房大门紧锁，门口贴着装修停业的通知，老板电话打不通，微信也把我们拉黑了。我们几十个会员已经去派出所报了案，民警让我们找市场监管部门。现在有上百名会员的预付卡无法使用，怀疑老板卷款跑路，请监管部门尽快介入，帮助我们追回预付款，电话186****3344。";
    const GYM_OTHER_MEMBER: &str = "力美健身房老板跑路了！我上个月刚续了两年的会员卡，交了5200元，现在门店关门，前台和教练都联系不上。听说老板还在外地开了新店，希望市场监管局查一查他们的预付卡资金去向，给我们会员一个说法。";
    const PHARMACY: &str = "[地址]的康德大药房在没有执业药师在场的情况下，不用处方就直接卖给我阿莫西林和头孢克肟等处方药，店员还推荐我多买几盒。我怀疑该药店没有药品经营许可证，也没有按规定凭处方销售处方药，存在严重安全隐患，请求药监部门调查处理。";
    const PHARMACY_WORDS: &str = "[地址]的康德大药房在没有执业药师在场的情况下，不用处方就直接卖给我左氧氟沙星和头孢克肟等处方药，店员还推荐我多买两盒。我怀疑这家药店没有药品经营许可证，也没有按规定凭处方销售处方药，存在严重安全隐患，请求药监部门调查处理。";
    const PHARMACY_HEALTH: &str = "康德大药房销售的一款保健品在店内宣传可以治疗高血压和糖尿病，店员说吃三个月就能停药，价格高达1980元一盒。保健食品不能宣称治疗疾病，这是虚假宣传，请依法查处。";
    const SHOP: &str = "我在拼多多上的优品家居旗舰店购买了一款空气净化器，商品详情页宣传除甲醛率99.9%，并且标注有国家权威机构检测报告。收到货后我自己找第三方检测，除甲醛效果几乎为零，联系客服要求退货退款，客服以已拆封为由拒绝。商家涉嫌虚假宣传，请求责令退款并处罚。";
    const SHOP_PRICE: &str = "优品家居旗舰店在双十一活动期间先涨价后降价，空气净化器原价标899元，活动前一周标价1299元再打七折，实际上比平时还贵，属于价格欺诈，请依法查处。";
    const RESTAURANT: &str = "[地址]的老味道饭店后厨卫生条件很差，地上到处是污水，生肉和熟食混放在一起，厨师不戴口罩和帽子，我在这里吃饭后全家腹泻，请卫生部门检查。";
    const BREAD: &str = "[地址]的永辉超市在卖过期面包，生产日期是上个月的，标签被撕掉重新贴过，我买了以后吃坏了肚子，要求超市赔偿被拒绝，请市场监管部门依法查处。";

    #[test]
    fn identical_and_deterministic() {
        assert_eq!(pair(MILK, MILK), 1.0);
        assert_eq!(fp(GYM), fp(GYM));
        assert_eq!(fingerprint(jieba(), SHOP), fingerprint(&jieba_rs::Jieba::new(), SHOP));
        assert!(fp(MILK).tokens() > 40);
        // FNV-1a 64 reference values: the hash is fixed by its definition.
        assert_eq!(shingle_hash(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(shingle_hash(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(shingle_hash(&["foobar"]), 0x8594_4171_f739_67e8);
        assert_ne!(shingle_hash(&["ab", "c"]), shingle_hash(&["a", "bc"]));
    }

    #[test]
    fn punctuation_whitespace_and_width_leave_no_trace() {
        assert_eq!(fp(MILK), fp(MILK_PUNCT));
        assert_eq!(fp("ＡＢＣ牌  奶粉，假货！"), fp("abc牌奶粉假货"));
    }

    #[test]
    fn masked_values_do_not_count() {
        assert_eq!(fp(MILK), fp(MILK_OTHER_PERSON));
        assert_eq!(normalise("我叫张**，电话138****5678"), normalise("我叫欧**。电话 139****0021"));
        assert_eq!(normalise("车牌京A*****，身份证110*************23，住[地址]"), "车牌身份证住");
        assert_eq!(normalise("邮箱z***@qq.com或[QQ/微信号]联系"), "邮或联系");
        assert_eq!(normalise("[未闭合 a*b"), "未闭合");
    }

    #[test]
    fn resubmissions_are_near_duplicates() {
        for (a, b, floor) in [
            (MILK, MILK_PUNCT, 1.0),
            (MILK, MILK_OTHER_PERSON, 1.0),
            (MILK, MILK_EXTRA, 0.8),
            (GYM, GYM_RESUBMIT, 0.8),
            (MILK, MILK_WORDS, 0.7),
            (PHARMACY, PHARMACY_WORDS, 0.7),
            (MILK_EXTRA, MILK_WORDS, 0.6),
        ] {
            let s = pair(a, b);
            assert!(s >= floor && is_near_duplicate(&fp(a), &fp(b)), "{s}: {a} / {b}");
        }
    }

    #[test]
    fn different_complaints_are_not() {
        for (a, b) in [
            (MILK, PRICE_TAG),
            (GYM, GYM_OTHER_MEMBER),
            (PHARMACY, PHARMACY_HEALTH),
            (SHOP, SHOP_PRICE),
            (MILK, BREAD),
            (SHOP, RESTAURANT),
            (GYM, PHARMACY),
            (MILK_EXTRA, PRICE_TAG),
        ] {
            let s = pair(a, b);
            assert!(s < 0.15 && !is_near_duplicate(&fp(a), &fp(b)), "{s}: {a} / {b}");
        }
        assert_eq!(pair(SHOP, RESTAURANT), 0.0);
    }

    #[test]
    fn short_texts_do_not_merge_with_longer_ones() {
        for (short, long) in
            [("卖过期食品", MILK), ("超市卖过期牛奶", MILK), ("超市卖过期面包", BREAD), ("老板跑路", GYM)]
        {
            let (a, b) = (fp(short), fp(long));
            assert!(!a.is_empty() && a.shingles().len() < MIN_CONTAINMENT_SHINGLES);
            assert!(score(&a, &b) < 0.15 && !is_near_duplicate(&a, &b), "{short}");
        }
        assert!(containment(&fp("超市卖过期面包"), &fp(BREAD)) == 1.0);
        assert_eq!(pair("卖过期食品", "卖过期食品!"), 1.0);
        // One shingle of two shared: Jaccard 0.5, below the threshold.
        assert!(!is_near_duplicate(&fp("卖过期食品"), &fp("超市卖过期食品")));
    }

    #[test]
    fn empty_texts_match_nothing() {
        let empty = fp("，。！[地址] 138****5678 的了");
        assert!(empty.is_empty());
        assert_eq!(empty.tokens(), 0);
        assert_eq!(similarity(&empty, &empty), 0.0);
        assert_eq!(containment(&empty, &fp(MILK)), 0.0);
        assert!(!is_near_duplicate(&empty, &empty));
    }

    #[test]
    fn storage_round_trip() {
        for text in [MILK, GYM_RESUBMIT, "卖过期食品", ""] {
            let f = fp(text);
            assert_eq!(Fingerprint::from_storage(&f.to_storage()), Some(f));
        }
        let f = Fingerprint { shingles: vec![1, u64::MAX], tokens: 2 };
        assert_eq!(f.to_storage(), "s1.2.AAAAAAAAAAH__________w");
        assert_eq!(Fingerprint::default().to_storage(), "s1.0.");
        for bad in [
            "",
            "s1.2",
            "s1.0.AAAAAAAAAAE",
            "s2.2.AAAAAAAAAAH__________w",
            "s1.+2.AAAAAAAAAAH__________w",
            "s1.2.AAAAAAAAAAH__________w.x",
            "s1.2.AAAAAAAAAAH_________",
            "s1.2.__________wAAAAAAAAAAH",
            "s1.2.AAAAAAAAAAEAAAAAAAAAAQ",
            "s1.3.",
        ] {
            assert_eq!(Fingerprint::from_storage(bad), None, "{bad}");
        }
    }

    #[test]
    fn best_match_picks_the_most_similar_open_report() {
        let open = [(7u32, fp(PRICE_TAG)), (8, fp(MILK_WORDS)), (9, fp(MILK_EXTRA)), (10, fp(GYM))];
        let new = fp(MILK_PUNCT);
        let refs = open.iter().map(|(id, f)| (*id, f));
        let (id, s) = best_match(&new, refs.clone()).expect("a match");
        assert_eq!(id, 9);
        assert_eq!(s, score(&new, &open[2].1));
        let ids: Vec<u32> = merge_candidates(&new, refs).iter().map(|c| c.id).collect();
        assert_eq!(ids, [9, 8]);
        assert_eq!(best_match(&fp(SHOP), open.iter().map(|(id, f)| (*id, f))), None);
        assert_eq!(best_match(&new, [("a", &fp(MILK)), ("b", &fp(MILK_OTHER_PERSON))]), Some(("a", 1.0)));
        assert_eq!(best_match::<u32>(&new, []), None);
    }
}
