//! Tests of category suggestion: tokenising masked narratives, keyword rules on clear texts, the
//! naive Bayes model learning staff corrections, and hold-out evaluation on a synthetic set.

use super::*;
use std::sync::OnceLock;

fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(Taxonomy::shipped)
}

fn keywords_only(axis: Axis, text: &str) -> Option<Suggestion> {
    suggest(taxonomy(), axis, None, &tokens(jieba(), text), text)
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

#[test]
fn clean_removes_masks_and_placeholders() {
    let text = "联系电话【手机号】，或138****5678，张**，住[地址]，邮箱z***@qq.com，ＡＢＣ";
    let c = clean(text);
    for gone in ["手机号", "138", "5678", "张", "地址", "qq.com", "*", "【", "["] {
        assert!(!c.contains(gone), "{gone} in {c}");
    }
    assert!(c.contains("联系电话") && c.contains("邮箱") && c.contains("abc"), "{c}");
    // Same length in characters: masks become spaces, so neighbouring words never merge.
    assert_eq!(c.chars().count(), text.chars().count());
}

#[test]
fn tokens_drop_noise_and_keep_content_words() {
    let t = tokens(jieba(), "健身房突然闭店了，会员卡里还有3000元没退！！联系【手机号】 138****5678 张**");
    assert!(t.iter().any(|w| w == "健身房"), "{t:?}");
    assert!(t.iter().any(|w| w == "会员卡"), "{t:?}");
    for w in &t {
        assert!(!w.contains('*') && !w.contains('【') && w != "手机号" && w != "张", "{w} in {t:?}");
        assert!(!w.chars().all(|c| c.is_ascii_digit()), "{w}");
        assert!(w.chars().any(char::is_alphanumeric), "{w}");
        assert!(!matches!(w.as_str(), "了" | "的" | "还" | "里"), "{w} in {t:?}");
        assert_eq!(w, &w.to_lowercase());
    }
    assert!(tokens(jieba(), "，。！ 123 4.5 ……").is_empty());
    assert_eq!(tokens(jieba(), "iPhone 屏幕"), strings(&["iphone", "屏幕"]));
}

#[test]
fn keywords_suggest_clear_texts() {
    let s = keywords_only(Axis::Nature, "健身房突然闭店，会员卡里还有3000元没退").unwrap();
    assert_eq!(s.code, "prepaid");
    assert_eq!(s.source, Source::Keywords);
    assert_eq!(s.matched_keywords, strings(&["会员卡", "闭店"]));
    assert!(s.confidence > 0.5 && s.confidence <= 1.0, "{}", s.confidence);
    assert_eq!(keywords_only(Axis::Subject, "健身房突然闭店，会员卡里还有3000元没退").unwrap().code, "fitness");

    for (axis, text, code) in [
        (Axis::Nature, "去年的年报忘了报，被列入经营异常名录，怎么移出？", "annual_report"),
        (Axis::Nature, "超市价签标价和结账时不一样，明显多收费", "price"),
        (Axis::Nature, "我的个人信息被泄露了，每天接到骚扰电话", "personal_info"),
        (Axis::Nature, "在超市买的面包已经发霉变质，还在保质期内", "food_safety"),
        (Axis::Nature, "有人冒用我的身份证办了营业执照，我成了法定代表人", "registration"),
        (Axis::Subject, "物业费年年涨，小区电梯三天两头坏", "property_services"),
        (Axis::Subject, "孩子在培训机构报的课程，学费交了两万", "education"),
        (Axis::Subject, "4S店卖给我的新车发动机有异响", "automobiles"),
    ] {
        let s = keywords_only(axis, text).unwrap_or_else(|| panic!("nothing for {text}"));
        assert_eq!(s.code, code, "{text}: {s:?}");
        assert!(!s.matched_keywords.is_empty());
    }
}

#[test]
fn nothing_matches_nothing_is_suggested() {
    assert_eq!(keywords_only(Axis::Nature, "今天天气很好，谢谢"), None);
    // The placeholder 【手机号】 must not read as the keyword 手机.
    assert_eq!(keywords_only(Axis::Subject, "请回电【手机号】"), None);
    assert_eq!(keywords_only(Axis::Subject, "请回电，我的手机坏了").unwrap().code, "telecom_devices");
}

#[test]
fn a_keyword_inside_another_counts_once() {
    let scores = keyword_scores(taxonomy(), Axis::Subject, "在直播间里看主播带货");
    let live = scores.iter().find(|s| s.code == "live_streaming").unwrap();
    assert_eq!(live.matched, strings(&["直播间", "主播", "带货"]));
    assert_eq!(live.score, 7.0);
    assert!(scores.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn naive_bayes_counts_smooths_and_normalises() {
    let mut m = NaiveBayes::new();
    assert!(m.is_empty() && m.predict(&strings(&["a"])).is_empty());
    m.add(&strings(&["充值", "退卡"]), "prepaid");
    m.add(&strings(&["退货", "客服"]), "after_sales");
    m.add(&strings(&["退卡", "跑路"]), "prepaid");
    assert_eq!(m.len(), 3);
    assert_eq!(m.labels().collect::<Vec<_>>(), ["after_sales", "prepaid"]);
    let p = m.predict(&strings(&["退卡"]));
    assert_eq!(p[0].0, "prepaid");
    assert!((p.iter().map(|(_, x)| x).sum::<f64>() - 1.0).abs() < 1e-12);
    // Laplace: a word never seen with a class does not rule it out.
    assert!(p[1].1 > 0.0 && p[1].1 < p[0].1);
    // By hand: V = 5; prepaid: prior 2/3, P(退卡|prepaid) = (2+1)/(4+5); after_sales: 1/3, (0+1)/(2+5).
    let (a, b) = (2.0 / 3.0 * 3.0 / 9.0, 1.0 / 3.0 * 1.0 / 7.0);
    assert!((p[0].1 - a / (a + b)).abs() < 1e-12, "{p:?}");
    // Unknown words are ignored: the priors remain.
    let priors = m.predict(&strings(&["没见过"]));
    assert!((priors[0].1 - 2.0 / 3.0).abs() < 1e-12 && !m.knows_any(&strings(&["没见过"])));
    // Batch training equals incremental training.
    let batch = NaiveBayes::train([
        (strings(&["充值", "退卡"]), "prepaid".to_owned()),
        (strings(&["退货", "客服"]), "after_sales".to_owned()),
        (strings(&["退卡", "跑路"]), "prepaid".to_owned()),
    ]);
    assert_eq!(batch, m);
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<NaiveBayes>(&json).unwrap(), m);
}

#[test]
fn many_tokens_do_not_underflow() {
    let long: Vec<String> = (0..5000).map(|i| format!("w{}", i % 50)).collect();
    let m = NaiveBayes::train([(long.clone(), "x".to_owned()), (strings(&["other"]), "y".to_owned())]);
    let p = m.predict(&long);
    assert_eq!(p[0].0, "x");
    assert!(p.iter().all(|(_, x)| x.is_finite()));
}

/// Texts where 充值 (prepaid) and 退款 (after-sales) tie on keywords; staff file them as prepaid.
const AMBIGUOUS: &[&str] = &[
    "在美甲店充值了两千，现在要退款商家不给",
    "理发店充值的钱想退款，老板一直拖着",
    "给孩子游泳课充值五千，申请退款被拒绝",
    "洗车店充值后换了老板，要求退款没人管",
    "奶茶店充值的余额要退款，店员说不能退",
    "充值了一年的瑜伽课，搬家了想退款商家不同意",
];
const AFTER_SALES: &[&str] = &[
    "网上买的衣服申请退款，客服一直不处理",
    "退货寄回去半个月了，商家还不退款",
    "买的电饭煲坏了，售后说要收检测费才给换货",
    "七天无理由退货被拒绝，商家说拆封了不退",
    "空调保修期内坏了，售后推诿不上门",
];
const QUALITY: &[&str] = &["新买的鞋子穿两天就开裂了", "衣服洗一次就掉色，质量太差", "买的桌子有明显瑕疵，做工粗糙"];

fn corrections() -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for round in 0..3 {
        for (texts, label) in [(AMBIGUOUS, "prepaid"), (AFTER_SALES, "after_sales"), (QUALITY, "quality")] {
            for t in texts.iter().skip(round % 2) {
                out.push((tokens(jieba(), t), label.to_owned()));
            }
        }
    }
    out
}

#[test]
fn the_model_learns_a_correction() {
    let text = "在健身房充值了三千，现在想退款";
    let toks = tokens(jieba(), text);
    let before = suggest(taxonomy(), Axis::Nature, None, &toks, text).unwrap();
    assert_eq!(before.code, "after_sales", "keywords tie and the code order decides: {before:?}");

    let examples = corrections();
    assert!(examples.len() >= MIN_MODEL_EXAMPLES);
    let model = NaiveBayes::train(examples.clone());
    let after = suggest(taxonomy(), Axis::Nature, Some(&model), &toks, text).unwrap();
    assert_eq!(after.code, "prepaid", "{after:?}");
    assert_eq!(after.source, Source::Both);
    assert_eq!(after.matched_keywords, strings(&["充值"]));
    assert!(after.confidence > 0.5 && after.confidence <= 1.0, "{after:?}");

    // Too few examples: the model is not used yet.
    let small = NaiveBayes::train(examples.into_iter().take(MIN_MODEL_EXAMPLES - 1));
    assert_eq!(suggest(taxonomy(), Axis::Nature, Some(&small), &toks, text).unwrap(), before);
}

#[test]
fn the_model_alone_when_no_keyword_matches_and_unknown_labels_are_dropped() {
    let mut examples = corrections();
    // A label that is not in the taxonomy (a retired code) is never suggested.
    for _ in 0..40 {
        examples.push((strings(&["老板", "不见"]), "retired_code".to_owned()));
    }
    let model = NaiveBayes::train(examples);
    let text = "老板不见了，衣服掉色";
    let toks = tokens(jieba(), text);
    assert!(model.predict(&toks)[0].0 == "retired_code");
    let s = suggest(taxonomy(), Axis::Nature, Some(&model), &toks, text).unwrap();
    assert_ne!(s.code, "retired_code");
    assert_eq!(s.code, "quality");

    let text = "鞋子穿两天";
    let s = suggest(taxonomy(), Axis::Nature, Some(&model), &tokens(jieba(), text), text).unwrap();
    assert_eq!((s.code.as_str(), s.source), ("quality", Source::Model));
    assert!(s.matched_keywords.is_empty());
    // Tokens the model never saw, and no keyword: nothing.
    let text = "今天天气很好";
    assert_eq!(suggest(taxonomy(), Axis::Nature, Some(&model), &tokens(jieba(), text), text), None);
}

/// A tiny deterministic generator (xorshift64*).
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn evaluation_on_a_synthetic_set_is_accurate_and_deterministic() {
    let classes = ["prepaid", "price", "quality", "food_safety", "after_sales"];
    let mut state = 0x9e37_79b9_7f4a_7c15;
    let mut examples = Vec::new();
    for _ in 0..500 {
        let c = (next(&mut state) % classes.len() as u64) as usize;
        let words: Vec<String> = (0..6)
            .map(|_| {
                let r = next(&mut state);
                if r % 10 < 6 { format!("{}_{}", classes[c], r % 8) } else { format!("noise_{}", r % 12) }
            })
            .collect();
        examples.push((words, classes[c].to_owned()));
    }
    let e = evaluate(&examples, 5);
    assert_eq!(e.held_out, 100);
    let accuracy = e.accuracy.unwrap();
    assert!(accuracy > 0.8, "{e:?}");
    assert_eq!(accuracy, e.correct as f64 / 100.0);
    assert_eq!(evaluate(&examples, 5), e);
    assert_eq!(evaluate(&examples, 7).held_out, 500 / 7);
    let none = evaluate(&examples, 0);
    assert_eq!((none.held_out, none.correct, none.accuracy), (0, 0, None));
    // Pure noise cannot be learned: accuracy near chance (1/5).
    let noise: Vec<(Vec<String>, String)> = (0..500)
        .map(|i| ((0..6).map(|_| format!("n{}", next(&mut state) % 20)).collect(), classes[i % 5].to_owned()))
        .collect();
    assert!(evaluate(&noise, 5).accuracy.unwrap() < 0.45);
}
