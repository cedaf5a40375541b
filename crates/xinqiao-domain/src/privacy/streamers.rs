//! Screen names after a streamer's, blogger's or seller's word with no 叫 or quotes (主播翠姐说玉说是…,
//! UP主老陈讲数码推荐的…, 卖家东京小野说…, 视频号王大夫谈健康的直播, 博主是桃子呀推荐的).

use super::PiiKind;
use super::cues;
use super::lexicon::Lexicon;
use super::names::Words;
use super::text::is_han;

type Found = Vec<(PiiKind, usize, usize)>;

/// Words after which a streamer's, blogger's or seller's screen name follows with no 叫 or quotes
/// (主播小鹿姐姐爱分享在直播间说…, UP主老陈讲数码推荐的…, 卖家东京小野说…, 视频号王大夫谈健康的直播).
/// A buyer, a commenter and an answerer are named so too (买家zz…收货后, 网友椰子鸡…称, 答主法学硕士阿Kun
/// 披露了), like a seller: only with an act after the name.
const STREAMER_WORDS: [&str; 15] = [
    "主播",
    "UP主",
    "up主",
    "博主",
    "卖家",
    "店主",
    "群主",
    "视频号",
    "团长",
    "买家",
    "网友",
    "答主",
    "评论区",
    "红娘",
    "组织人",
];
/// Words that end such a name: what a streamer does next.
const STREAMER_STOPS: [&str; 43] = [
    "连线", "帮", "说", "称", "推荐", "卖", "直播", "带货", "发", "承诺", "介绍", "宣传", "让", "叫", "是", "把", "被",
    "给", "和", "跟", "号称", "保证", "连麦", "上架", "买", "发货", "发来", "寄来", "寄", "不", "收", "收了", "收到",
    "收货", "披露", "曝光", "表示", "回复", "回应", "声称", "自称", "拉黑", "也",
];
/// Words that never start a screen name after a seller's word: what is said about the seller (卖家客服
/// 态度很差, 卖家发货很慢).
const NOT_A_SCREEN_NAME: [&str; 28] = [
    "本名",
    "真名",
    "实名",
    "大名",
    "全名",
    "收货",
    "收到",
    "发货",
    "客服",
    "态度",
    "服务",
    "质量",
    "商品",
    "产品",
    "东西",
    "电话",
    "地址",
    "信息",
    "账号",
    "店铺",
    "页面",
    "售后",
    "物流",
    "快递",
    "本人",
    "那边",
    "这边",
    "直播间",
];
/// Last characters of a screen name built on a kin word or a person (恒久金姐, 张家界土家妹).
const PERSON_ENDS: &str = "姐哥妹弟叔姨婶嫂娘妈爸爷奶";

/// A screen name right after a streamer word, up to what the streamer does: two jieba words or
/// more, four to ten characters, starting with no verb, adverb, pronoun or number (an adjective
/// only where the name ends on a person: 恒久金姐), and ending before a preposition, 的, an adverb
/// or one of `STREAMER_STOPS`. A verb of speech inside the name stays in it where no clause
/// follows (翠姐说玉说是…: the second 说 ends it); a place may start it with two characters or
/// more after it (张家界土家妹); a name from 是 that ends on a particle (博主是桃子呀推荐的) is whole.
/// A shorter run (主播小美说) is left to the name rules.
pub(super) fn streamer_names(lex: &Lexicon, words: &Words<'_>, chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if !matches!(
            chars[i],
            '主' | 'U' | 'u' | '博' | '卖' | '店' | '群' | '视' | '团' | '买' | '网' | '答' | '评' | '红' | '组'
        ) {
            continue;
        }
        let Some(w) = STREAMER_WORDS.iter().find(|w| super::text::starts_with_at(chars, i, w)) else { continue };
        let mut s = i + w.chars().count();
        // 是 + a name ending on a particle (是桃子呀): the name holds the 是.
        let particle_name = chars.get(s) == Some(&'是') && {
            let e = (s + 1..chars.len().min(s + 8)).find(|&k| !is_han(chars[k]) || "推荐说卖的在".contains(chars[k]));
            e.is_some_and(|e| e >= s + 3 && "呀吖哦啦鸭哟".contains(chars[e - 1]))
        };
        // 叫, 是, 说 right after: a name introduced (handles::nicknames) or a clause.
        if chars.get(s).is_none_or(|&c| matches!(c, '叫' | '是' | '说' | '称' | '的' | '在' | '处')) && !particle_name
        {
            continue;
        }
        // A person's name found there (店主农忠良不认账, 群主黄总天天…) stays a name: the seller is
        // named, not a screen name (a streamer's or a channel's name on a person, 主播老陈讲数码,
        // 视频号陈老师讲养生, is one).
        // A nickname the name rules read at its start (小鹿 in 小鹿姐姐爱分享, 老陈 in 老陈讲数码) does not
        // count: a name of three characters or more, one with a title, or one a clause follows does.
        let named = |f: &(PiiKind, usize, usize)| {
            f.0 == PiiKind::Name
                && f.1 == s
                && (f.2 - s >= 3
                    || chars.get(f.2).is_none_or(|&c| super::names::follower(c))
                    || (s + 1..f.2).any(|k| cues::title_at(chars, k) == Some(f.2 - k)))
        };
        // A group-buying leader (团长) is named by a shop's or a nickname like a seller.
        let seller =
            matches!(*w, "卖家" | "店主" | "群主" | "团长" | "买家" | "网友" | "答主" | "评论区" | "红娘" | "组织人");
        // 网友们, 评论区里, 网友纷纷: a crowd or a place, no one's name.
        if chars.get(s).is_some_and(|&c| "们里中有都也很纷".contains(c)) {
            continue;
        }
        if seller && found.iter().any(named) {
            continue;
        }
        if particle_name {
            s += 1;
        }
        if NOT_A_SCREEN_NAME.iter().any(|w| super::text::starts_with_at(chars, s, w)) {
            continue;
        }
        // The first word's tag, where jieba starts one there (it may glue the cue on: UP|主老|陈讲).
        let first_adjective = words.at(s).is_some_and(|t| t.start == s && t.tag.starts_with('a'));
        // A leader's shop may start on a verb (团长优选到家-阿凯那里): what the leader did is ruled out
        // by the act required after the name.
        let verb_ok = *w == "团长";
        // A brand (极氪001-老K) or a character jieba reads as a quantity but no numeral (月老阿强: 月/m)
        // may start a name.
        let brand_first = lex.brand_at(chars, s) >= 2;
        let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十两几每半数多".contains(c);
        if !brand_first
            && words.at(s).is_some_and(|t| {
                t.start == s
                    && ["v", "d", "p", "r", "m", "q", "c", "u", "t", "x"].iter().any(|f| {
                        t.tag.starts_with(f) && !(verb_ok && t.tag == "v") && (t.tag != "m" || numeral(chars[s]))
                    })
            })
        {
            continue;
        }
        // Character by character, stopping where a word that ends the name starts.
        let (mut e, mut n) = (s, 1);
        // Where a verb of speech was read as inside the name (翠姐说玉说是…).
        let mut speech_at = None;
        // A hyphen between parts stays inside (优选到家-阿凯).
        let hyphen = |e: usize| {
            chars[e] == '-' && e > s && chars.get(e + 1).is_some_and(|&c| is_han(c) || c.is_ascii_alphanumeric())
        };
        let emoji = |e: usize| e > s && super::running_names::emoji(chars[e]);
        while e < chars.len()
            && e - s <= 10
            && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric() || hyphen(e) || emoji(e))
        {
            if let Some(t) = words.at(e).filter(|t| t.start == e && e > s) {
                // A number or a quantity (一共, 五个) is no part of a name either; a kin word on a
                // numeral (二哥) is.
                let kin = t.tag.starts_with('n') && t.end > e + 1 && PERSON_ENDS.contains(chars[t.end - 1]);
                // A verb of speech with a noun after it and no clause (翠姐说玉说是): inside the name.
                // (Not after a seller's word: 团长果园鲜生小铺说榴莲包甜 — what the seller said.)
                let inner_speech = t.word == "说"
                    && !seller
                    && chars
                        .get(e + 1)
                        .is_some_and(|&c| is_han(c) && !"是的了这那我你他她能会要就都也还给".contains(c))
                    && words.at(e + 1).is_some_and(|u| u.start == e + 1 && u.tag.starts_with('n'));
                // A model's number before a hyphen (极氪001-老K, 理想L7-阿杰) is part of a group nickname.
                let model = t.word.chars().all(|c| c.is_ascii_digit()) && chars.get(t.end) == Some(&'-');
                let stop = !model
                    && ((STREAMER_STOPS.contains(&t.word) && !inner_speech)
                        || super::text::starts_with_at(chars, e, "连线")
                        || ["p", "uj", "ul", "d", "m", "r", "c", "q"].iter().any(|f| t.tag.starts_with(f)) && !kin
                        || "一二三四五六七八九十两几每".contains(chars[e]) && !kin);
                if stop {
                    break;
                }
                if inner_speech {
                    speech_at = Some(e);
                }
                n += 1;
            }
            e += 1;
        }
        // A name that holds 说 goes on to what the streamer did (翠姐说玉说是…); where the run ends at a
        // quote or a stop instead (主播乌兰说奶茶"降三高"), the 说 is what the streamer said; a bracket
        // after it annotates the name (主播玉姐说玉（本名…）).
        if let Some(p) = speech_at
            && chars.get(e).is_none_or(|&c| !is_han(c) && !c.is_ascii_alphanumeric() && !matches!(c, '（' | '('))
        {
            e = p;
            n = 1;
        }
        let place = lex.place_at(chars, s);
        let place_ok = place == 0 || e >= s + place + 2;
        let person_end = chars[s..e].iter().rev().find(|&&c| is_han(c)).is_some_and(|&c| PERSON_ENDS.contains(c));
        // After a seller's word the name is followed by what the seller did (店主东京小野说…, 卖家海外仓
        // 清货买的); a run that ends otherwise is what the seller did (店主卷款跑路了，).
        let acts = chars.get(e) == Some(&'的')
            || ["那里", "那儿", "那边"].iter().any(|w| super::text::starts_with_at(chars, e, w))
            || words.at(e).is_some_and(|t| t.start == e && (STREAMER_STOPS.contains(&t.word) || t.tag == "p"));
        if seller && !acts {
            continue;
        }
        let from = if particle_name { s - 1 } else { s };
        // A leader's shop of three characters (团长虾仔团说) where it reads as no person.
        let shortest = if *w == "团长" && !super::chat::person_like(lex, chars, from, e) { 3 } else { 4 };
        if n >= 2
            && (shortest..=10).contains(&(e - from))
            && brand_ok(lex, chars, s, e)
            && place_ok
            && (!first_adjective || person_end)
        {
            found.push((PiiKind::ImId, from, e));
        }
    }
}

/// Whether a brand at a screen name's start leaves it a screen name: no brand there, or three
/// characters or more of the name after it (华为发烧友阿彪), and no official account's word (华为官方旗舰店).
fn brand_ok(lex: &Lexicon, chars: &[char], s: usize, e: usize) -> bool {
    let brand = lex.brand_at(chars, s);
    brand == 0 || e >= s + brand + 3 && !super::handles::official_name(&chars[s..e])
}

/// Accounts given in brackets after a name (澳洲小羊驼Cici（微信cici_syd2018）, 农家阿芳（抖音号…）).
const ACCOUNTS: [&str; 9] = ["微信", "vx", "VX", "wx", "QQ", "抖音", "快手", "小红书", "ins"];
/// Words after which a seller's or a blogger's name starts (朋友圈代购澳洲小羊驼Cici).
/// (我是打假老炮儿（抖音号…）: the writer's own screen name.)
const NAME_AFTER: [&str; 11] =
    ["代购", "卖家", "主播", "博主", "店主", "群主", "网友", "团长", "朋友圈", "微商", "我是"];

/// A screen name right before its account in brackets (代购澳洲小羊驼Cici（微信cici_syd2018）): from a
/// seller's or blogger's word (`NAME_AFTER`) in the same clause, three to twelve characters,
/// letters and digits, not a person's name as the name rules read it, a place or a brand alone.
pub(super) fn before_account(lex: &Lexicon, chars: &[char], found: &mut Found) {
    for i in 1..chars.len() {
        if !matches!(chars[i], '（' | '(') || !ACCOUNTS.iter().any(|w| super::text::starts_with_at(chars, i + 1, w)) {
            continue;
        }
        let mut s = i;
        while s > 0 && i - s < 16 && (is_han(chars[s - 1]) || chars[s - 1].is_ascii_alphanumeric()) {
            s -= 1;
        }
        // The name starts after the last seller's word in the run.
        let Some(cue_end) = (s..i).rev().find_map(|k| {
            NAME_AFTER.iter().find(|w| super::text::starts_with_at(chars, k, w)).map(|w| k + w.chars().count())
        }) else {
            continue;
        };
        let n = i - cue_end;
        let whole = |len: usize| len >= n;
        if !(3..=12).contains(&n)
            || whole(lex.place_at(chars, cue_end))
            || whole(lex.brand_at(chars, cue_end))
            || super::chat::person_like(lex, chars, cue_end, i)
            || found.iter().any(|f| f.0 == PiiKind::Name && f.1 == cue_end && f.2 == i)
        {
            continue;
        }
        found.push((PiiKind::ImId, cue_end, i));
    }
}
