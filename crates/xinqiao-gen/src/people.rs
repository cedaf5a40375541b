//! Fictitious people and their personal data, written the way complainants write it: names,
//! mobile numbers (+86, spaces, dashes, full-width digits), 身份证号 with the GB 11643 check
//! character, bank cards passing Luhn, e-mail, licence plates and detailed addresses.

use super::places::{self, COMPOUNDS, City, District};
use super::rng::Rng;
use super::text::{Kind, Text};
use xinqiao_domain::ids::id_check_char;

const SURNAMES: [&str; 100] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武",
    "戴", "莫", "孔", "向", "汤",
];
const COMPOUND_SURNAMES: [&str; 6] = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"];
const MALE: [char; 48] = [
    '伟', '强', '磊', '军', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '斌', '宇',
    '浩', '凯', '健', '俊', '帆', '旭', '宁', '龙', '林', '洋', '建', '国', '志', '文', '海', '东', '亮', '成', '峰',
    '晨', '博', '毅', '彬', '泽', '昊', '睿', '轩', '德', '荣',
];
const FEMALE: [char; 48] = [
    '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '桂', '兰', '燕', '萍', '红', '梅', '琳', '雪',
    '婷', '慧', '莉', '颖', '倩', '洁', '琴', '云', '丹', '蓉', '薇', '欣', '怡', '佳', '悦', '晶', '妍', '琪', '璐',
    '露', '珍', '凤', '茜', '婉', '琦', '瑶', '岚', '菲', '月',
];
const MOBILE_PREFIXES: [&str; 43] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "171", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "191", "193", "195", "196", "198", "199",
];
/// Bank identification numbers, card lengths and the bank complainants name with them.
pub const BANKS: [(&str, usize, &str); 7] = [
    ("622202", 19, "中国工商银行"),
    ("621700", 19, "中国建设银行"),
    ("622848", 19, "中国农业银行"),
    ("621661", 19, "中国银行"),
    ("622588", 16, "招商银行"),
    ("622262", 19, "交通银行"),
    ("621799", 19, "中国邮政储蓄银行"),
];
const MAIL_WORDS: [&str; 24] = [
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "xiaoming", "wei",
    "fang", "jing", "hui", "ying", "lei", "tao", "jun", "hong", "mei", "ping",
];
const MAIL_DOMAINS: [&str; 8] =
    ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "139.com", "aliyun.com"];
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A complainant (or a person they name): everything the row and the narrative may show.
#[derive(Debug, Default)]
pub struct Person {
    pub name: String,
    pub female: bool,
    pub mobile: [u8; 11],
    pub id: [u8; 18],
}

impl Person {
    pub fn fill(&mut self, rng: &mut Rng) {
        self.female = rng.percent(52);
        name(rng, self.female, &mut self.name);
        self.mobile = mobile(rng);
        id_number(rng, self.female, &mut self.id);
    }
}

/// A mobile number's 11 digits, from a real carrier prefix.
pub fn mobile(rng: &mut Rng) -> [u8; 11] {
    let mut m = [0u8; 11];
    m[..3].copy_from_slice(rng.pick(&MOBILE_PREFIXES).as_bytes());
    for d in &mut m[3..] {
        *d = b'0' + rng.below(10) as u8;
    }
    m
}

/// A full name: surname (front-weighted, rarely compound) and one or two given characters.
pub fn name(rng: &mut Rng, female: bool, out: &mut String) {
    out.clear();
    if rng.per_mille(8) {
        out.push_str(rng.text(&COMPOUND_SURNAMES));
    } else {
        let u = rng.unit();
        out.push_str(SURNAMES[(u * u * SURNAMES.len() as f64) as usize]);
    }
    let given: &[char] = if female { &FEMALE } else { &MALE };
    out.push(*rng.pick(given));
    if rng.percent(72) {
        out.push(*rng.pick(given));
    }
}

/// Just a surname, for the honorific forms that are not personal data (王经理, 李老师).
pub fn surname(rng: &mut Rng) -> &'static str {
    SURNAMES[rng.below(30) as usize]
}

fn id_number(rng: &mut Rng, female: bool, id: &mut [u8; 18]) {
    id[..6].copy_from_slice(rng.pick(&places::BIRTH_REGIONS).as_bytes());
    let year = 1950 + rng.below(56);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let mut date = [0u8; 8];
    let mut n = year * 10_000 + month * 100 + day;
    for d in date.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    id[6..14].copy_from_slice(&date);
    let seq = rng.below(500) * 2 + u64::from(!female);
    id[14] = b'0' + (seq / 100) as u8;
    id[15] = b'0' + (seq / 10 % 10) as u8;
    id[16] = b'0' + (seq % 10) as u8;
    id[17] = id_check_char(&id[..17]);
}

/// A mobile number in one of the ways people type it.
pub fn write_mobile(t: &mut Text, rng: &mut Rng, m: &[u8; 11]) {
    let form = rng.below(100);
    t.span(Kind::Mobile, |t| {
        let full = (80..92).contains(&form);
        let (lead, sep): (&str, &str) = match form {
            0..=44 => ("", ""),
            45..=56 => ("", " "),
            57..=66 => ("", "-"),
            67..=72 => ("+86 ", " "),
            73..=77 => ("+86", ""),
            78..=79 => ("0086", ""),
            80..=89 => ("", ""),
            90..=91 => ("＋８６", ""),
            _ => ("+86-", "-"),
        };
        t.push_str(lead);
        for (i, &d) in m.iter().enumerate() {
            if i == 3 || i == 7 {
                t.push_str(sep);
            }
            t.digit(d, full);
        }
    });
}

/// A 身份证号: mostly as is, sometimes with a lower-case x or grouped by spaces.
pub fn write_id(t: &mut Text, rng: &mut Rng, id: &[u8; 18]) {
    let form = rng.below(100);
    t.span(Kind::IdNumber, |t| {
        for (i, &d) in id.iter().enumerate() {
            if form >= 90 && (i == 6 || i == 14) {
                t.push(' ');
            }
            t.push(if d == b'X' && form < 40 { 'x' } else { d as char });
        }
    });
}

/// A bank card passing Luhn, plain or in groups of four; returns the bank's name.
pub fn write_card(t: &mut Text, rng: &mut Rng) -> &'static str {
    let (bin, len, bank) = *rng.pick(&BANKS);
    let mut d = [0u8; 19];
    d[..6].copy_from_slice(bin.as_bytes());
    for x in &mut d[6..len - 1] {
        *x = b'0' + rng.below(10) as u8;
    }
    d[len - 1] = luhn_check(&d[..len - 1]);
    let grouped = rng.percent(30);
    t.span(Kind::BankCard, |t| {
        for (i, &x) in d[..len].iter().enumerate() {
            if grouped && i > 0 && i % 4 == 0 {
                t.push(' ');
            }
            t.push(x as char);
        }
    });
    bank
}

/// The Luhn check digit for `body` (the digits before it).
pub fn luhn_check(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let v = u32::from(c - b'0');
            if i % 2 == 0 { if v * 2 > 9 { v * 2 - 9 } else { v * 2 } } else { v }
        })
        .sum();
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// A licence plate of the city (now and then of another): 苏E12345, 苏E·3A56B, 苏E D12345.
pub fn write_plate(t: &mut Text, rng: &mut Rng, city: &City) {
    let prefix = if rng.percent(80) { city.plate } else { rng.pick(&places::CITIES).plate };
    let form = rng.below(10);
    let new_energy = rng.percent(25);
    t.span(Kind::Plate, |t| {
        t.push_str(prefix);
        match form {
            0..=1 => t.push('·'),
            2 => t.push(' '),
            _ => {}
        }
        if new_energy {
            t.push(if rng.percent(70) { 'D' } else { 'F' });
        }
        let letter_at = if rng.percent(40) { rng.below(5) as usize } else { 9 };
        for i in 0..5 {
            if i == letter_at {
                t.push(*rng.pick(PLATE_LETTERS) as char);
            } else {
                t.push((b'0' + rng.below(10) as u8) as char);
            }
        }
    });
}

pub fn write_email(t: &mut Text, rng: &mut Rng) {
    t.span(Kind::Email, |t| {
        if rng.percent(30) {
            t.num(rng.range(10_000_000, 3_999_999_999));
            t.push_str("@qq.com");
            return;
        }
        t.push_str(rng.text(&MAIL_WORDS));
        match rng.below(4) {
            0 => t.push('.'),
            1 => t.push('_'),
            _ => {}
        }
        t.push_str(rng.text(&MAIL_WORDS));
        if rng.percent(60) {
            t.num(rng.range(1960, 2008));
        }
        t.push('@');
        t.push_str(rng.text(&MAIL_DOMAINS));
    });
}

fn room(t: &mut Text, rng: &mut Rng) {
    t.num(rng.range(1, 28) * 100 + rng.range(1, 4));
}

/// A detailed address in the district: street and number, compound, building, unit and room.
pub fn write_address(t: &mut Text, rng: &mut Rng, d: &District) {
    let city = d.city();
    let form = rng.below(100);
    t.span(Kind::Address, |t| match form {
        0..=29 => {
            t.push_str(city.name);
            t.push_str(d.name);
            t.push_str(places::street(rng, city));
            t.num(rng.range(1, 999));
            t.push_str("号");
            t.num(rng.range(1, 30));
            t.push_str("栋");
            t.num(rng.range(1, 4));
            t.push_str("单元");
            room(t, rng);
            t.push('室');
        }
        30..=49 => {
            t.push_str(d.name);
            t.push_str(places::street(rng, city));
            t.num(rng.range(1, 999));
            t.push('号');
        }
        50..=74 => {
            t.push_str(rng.text(&COMPOUNDS));
            t.num(rng.range(1, 30));
            if rng.percent(50) {
                t.push_str("栋");
                t.num(rng.range(1, 4));
                t.push_str("单元");
                room(t, rng);
                t.push('室');
            } else {
                t.push('幢');
                room(t, rng);
            }
        }
        75..=84 => {
            t.push_str(city.name);
            t.push_str(d.name);
            t.push_str(rng.text(&COMPOUNDS));
            t.num(rng.range(1, 30));
            t.push('栋');
            room(t, rng);
        }
        85..=94 => {
            t.push_str(places::street(rng, city));
            t.num(rng.range(1, 999));
            t.push('弄');
            t.num(rng.range(1, 60));
            t.push('号');
            room(t, rng);
            t.push('室');
        }
        _ => {
            t.push_str(d.name);
            t.push(*rng.pick(&['王', '李', '张', '陈', '周', '高', '刘']));
            t.push_str(rng.text(&["庄村", "家村", "楼村", "巷村"]));
            t.num(rng.range(1, 12));
            t.push('组');
            t.num(rng.range(1, 80));
            t.push('号');
        }
    });
}
