//! Issue 24, eleventh pass: names on text nobody here wrote — titles after a surname that jieba
//! glued to the word before, kin and role words before a full name, rare surnames, and words that
//! are no names. Sentences written for these tests, not taken from the corpus.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn a_title_stands_where_jieba_glued_the_surname_to_the_word_before() {
    has("我打算明天去问葛经理要个说法。", Name, "葛经理");
    has("家里请的育儿嫂梁阿姨做事很马虎。", Name, "梁阿姨");
    has("我们组牛大爷家的麦子全倒了。", Name, "牛大爷");
    has("隔壁的张伯伯也被推销员骗了。", Name, "张伯伯");
    has("地陪覃导只带我们去购物店。", Name, "覃导");
    has("给我看病的是魏医师。", Name, "魏医师");
    // Words that end on a title's characters stay words.
    untouched("这是领导的意思，他会指导我们。", "领导");
    untouched("向导带我们上了山。", "向导");
}

#[test]
fn kin_and_role_words_before_a_full_name() {
    has("家父邱以谦，享年八十有五。", Name, "邱以谦");
    has("我是退休教师闻立平，住在学院路。", Name, "闻立平");
    has("我爸凤德成记性不好，签了合同。", Name, "凤德成");
    has("殡仪馆把死者邹凤山的名字写错了。", Name, "邹凤山");
    // A surname the model does not know, with a title of two characters or in a quote.
    has("养老院的凤主任说这是规定。", Name, "凤主任");
    has("导游带我们去了“木老板”的银器店。", Name, "木老板");
    untouched("凤凰古城的木雕很漂亮，新闻里也说了。", "凤凰");
    assert!(names("我闻到一股木头烧焦的味道。").is_empty());
}

#[test]
fn the_surname_of_a_name_found_stands_again_with_a_title_or_lao() {
    has("老板游志强卷款跑了，前台说游总在处理。", Name, "游总");
    has("老板包国栋收的钱，店长老包说跟他无关。", Name, "老包");
    // A conjunction and the words on 老/小 stay.
    untouched("委员王建设和秘书长一起到场。", "和秘书长");
    untouched("张国强说他很老实，小张心很细。", "老实");
}

#[test]
fn names_in_english_sentences() {
    has("Hello, I'm Anjali Mehta from Pune. The milk was expired.", Name, "Anjali Mehta");
    has("hi. this is Khalid Al-Mansouri, my order never came.", Name, "Khalid Al-Mansouri");
    has("Please refund me. Regards, Inês Carvalho", Name, "Inês Carvalho");
    has("I am Tran Van Minh, a student in Hangzhou.", Name, "Tran Van Minh");
    has("The gym closed and Coach Brian disappeared.", Name, "Brian");
    has("The rental was through agent Wendy, contract attached.", Name, "Wendy");
    has("The installer Master Wang broke the tiles.", Name, "Master Wang");
    has("Our helper Ayi Chen was sent by the agency.", Name, "Ayi Chen");
    has("瑜伽馆的教练Mandy、Grace都离职了。", Name, "Grace");
    has("My daughter Chloe Martin (马可欣) was enrolled there.", Name, "马可欣");
    // Not names: a brand in brackets, a place, English words after a role.
    untouched("I bought a bag at Tom Ford (汤姆福特) in Beijing.", "汤姆福特");
    untouched("This is Shanghai, not a village.", "Shanghai");
    untouched("I'm Russian and I live in Dalian.", "Russian");
}

#[test]
fn a_ayi_alone_is_no_name() {
    assert!(names("保洁阿姨说她姓阮。公司让我找阿姨，阿姨说找公司。").iter().all(|n| !n.contains("阿姨")));
    untouched("钟点工阿姨把花瓶打碎了，护工阿婆也看见了。", "阿姨");
    has("保洁的黄阿姨把花瓶打碎了。", Name, "黄阿姨");
    has("店员阿强说不能退。", Name, "阿强");
}

#[test]
fn a_birth_rank_with_lao_names_one_person_after_a_role_or_jiao() {
    has("殡仪馆门口的司机老六说是殡仪馆的车。", Name, "老六");
    has("送货的是一个叫老四的人。", Name, "老四");
    // Counts, ages and orders stay.
    untouched("他是老三届的知青，老二十年没回来了。", "老三");
    untouched("这批货老五年了。", "老五");
}
