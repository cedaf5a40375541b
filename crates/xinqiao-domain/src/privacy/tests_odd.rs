//! The detector on text cut anywhere and on scrambled text: it must never panic (a panic here is
//! a complaint that cannot be submitted, or an import that stops), and its spans must lie inside
//! the text, in order, without overlaps, each holding exactly the characters it covers.

use super::corpus::CORPUS;
use super::tests_v2::detector;

fn check(text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let spans = detector().detect_for(text, &["张记饭店"]);
    let mut last = 0;
    for s in &spans {
        assert!(s.start < s.end && s.end <= chars.len(), "{text:?}: {s:?} outside the text");
        assert!(s.start >= last, "{text:?}: {s:?} overlaps or is out of order");
        assert_eq!(s.text, chars[s.start..s.end].iter().collect::<String>(), "{text:?}");
        last = s.end;
    }
    let _ = detector().doubtful(text, &spans);
    let _ = super::mask_spans(text, &spans);
}

/// Every sentence of the first corpus cut at every character, from the front and from the back:
/// a cue word, a surname or a number left as the text's first or last character.
#[test]
fn text_cut_at_any_character_never_panics() {
    for (text, _, _) in CORPUS {
        let chars: Vec<char> = text.chars().collect();
        for k in 0..=chars.len() {
            check(&chars[..k].iter().collect::<String>());
            check(&chars[k..].iter().collect::<String>());
        }
    }
    // The one found this way: 姓 as the last character (他不肯说他姓) read past the text's end.
    check("他不肯说他姓");
    check("方照家姓");
}

/// Scrambled text from the characters the rules turn on (cues, surnames, units, look-alike
/// letters, traditional forms, brackets and colons), with a fixed seed so a failure repeats.
#[test]
fn scrambled_text_never_panics() {
    const ALPHABET: &str = "@：:【】[]（）()+-_/.·、，。！？ \n0123456789一二三四五六七八九十零幺两壹贰OolISZBx\
        张王李欧阳司马第五某氏君姓叫名是为和与及的了在说老小阿哥姐总工师傅经理女士先生\
        主播卖家店主场控群昵称微信QQ号码电话手机身份证护照護照號碼香港身分證台胞證回鄉證通行證\
        省市区县镇乡村组社嘎查旗路街道巷弄栋幢单元室楼层小区期座对面旁边门口地铁站出口往东米\
        记录岳潘店长敖护士长沈投诉方代表戴着阿拉有限公司市场监管局12315局委";
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut state: u64 = 0x2026_1207_0000_0024;
    let mut next = move || {
        // xorshift64*: enough spread for picking characters, and the same on every run.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for _ in 0..4000 {
        let len = (next() % 48) as usize;
        let text: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
        check(&text);
    }
}
