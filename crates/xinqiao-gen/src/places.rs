//! Places: real GB/T 2260 district codes of a few cities (Suzhou weighted first, as the bureau
//! the demo serves), with their plate prefixes, streets, residential compounds and shopping
//! places. Street names are common ones; house numbers are invented.

use super::rng::Rng;

/// A city: its name, licence-plate prefix, and streets typical of it.
#[derive(Debug)]
pub struct City {
    pub name: &'static str,
    pub short: &'static str,
    pub plate: &'static str,
    pub streets: &'static [&'static str],
}

/// A district (区/县级市): its code, name, city and share of the volume (per mille of cases).
#[derive(Debug)]
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub city: usize,
    pub weight: u32,
}

pub const CITIES: [City; 8] = [
    City {
        name: "苏州市",
        short: "苏州",
        plate: "苏E",
        streets: &[
            "人民路",
            "干将路",
            "十全街",
            "石路",
            "观前街",
            "金鸡湖大道",
            "星湖街",
            "长江路",
            "东环路",
            "苏州大道",
        ],
    },
    City {
        name: "南京市",
        short: "南京",
        plate: "苏A",
        streets: &["中山路", "中山北路", "汉中路", "珠江路", "新街口", "江东中路", "北京东路", "龙蟠路"],
    },
    City {
        name: "杭州市",
        short: "杭州",
        plate: "浙A",
        streets: &["文三路", "延安路", "莫干山路", "庆春路", "解放路", "江南大道", "天目山路", "凤起路"],
    },
    City {
        name: "上海市",
        short: "上海",
        plate: "沪A",
        streets: &["南京西路", "淮海中路", "漕溪北路", "四川北路", "张杨路", "延安西路", "天山路", "共和新路"],
    },
    City {
        name: "北京市",
        short: "北京",
        plate: "京N",
        streets: &["建国路", "望京西路", "中关村大街", "学院路", "朝阳北路", "丰台路", "西直门外大街", "东四十条"],
    },
    City {
        name: "广州市",
        short: "广州",
        plate: "粤A",
        streets: &["天河路", "中山五路", "环市东路", "东风中路", "黄埔大道", "广州大道", "解放北路", "白云大道"],
    },
    City {
        name: "成都市",
        short: "成都",
        plate: "川A",
        streets: &["春熙路", "科华北路", "人民南路", "蜀都大道", "一环路", "青羊大道", "建设路", "天府大道"],
    },
    City {
        name: "武汉市",
        short: "武汉",
        plate: "鄂A",
        streets: &["解放大道", "中山大道", "武珞路", "珞喻路", "中北路", "雄楚大道", "建设大道", "光谷大道"],
    },
];

pub const DISTRICTS: [District; 36] = [
    District { code: "320505", name: "虎丘区", city: 0, weight: 40 },
    District { code: "320506", name: "吴中区", city: 0, weight: 55 },
    District { code: "320507", name: "相城区", city: 0, weight: 35 },
    District { code: "320508", name: "姑苏区", city: 0, weight: 70 },
    District { code: "320509", name: "吴江区", city: 0, weight: 45 },
    District { code: "320571", name: "苏州工业园区", city: 0, weight: 65 },
    District { code: "320581", name: "常熟市", city: 0, weight: 35 },
    District { code: "320582", name: "张家港市", city: 0, weight: 30 },
    District { code: "320583", name: "昆山市", city: 0, weight: 50 },
    District { code: "320585", name: "太仓市", city: 0, weight: 20 },
    District { code: "320102", name: "玄武区", city: 1, weight: 20 },
    District { code: "320104", name: "秦淮区", city: 1, weight: 22 },
    District { code: "320105", name: "建邺区", city: 1, weight: 18 },
    District { code: "320106", name: "鼓楼区", city: 1, weight: 25 },
    District { code: "320115", name: "江宁区", city: 1, weight: 30 },
    District { code: "330102", name: "上城区", city: 2, weight: 22 },
    District { code: "330105", name: "拱墅区", city: 2, weight: 22 },
    District { code: "330106", name: "西湖区", city: 2, weight: 25 },
    District { code: "330108", name: "滨江区", city: 2, weight: 18 },
    District { code: "330110", name: "余杭区", city: 2, weight: 30 },
    District { code: "310101", name: "黄浦区", city: 3, weight: 22 },
    District { code: "310104", name: "徐汇区", city: 3, weight: 25 },
    District { code: "310106", name: "静安区", city: 3, weight: 22 },
    District { code: "310115", name: "浦东新区", city: 3, weight: 45 },
    District { code: "110105", name: "朝阳区", city: 4, weight: 40 },
    District { code: "110108", name: "海淀区", city: 4, weight: 30 },
    District { code: "110106", name: "丰台区", city: 4, weight: 20 },
    District { code: "440106", name: "天河区", city: 5, weight: 30 },
    District { code: "440104", name: "越秀区", city: 5, weight: 20 },
    District { code: "440111", name: "白云区", city: 5, weight: 25 },
    District { code: "510107", name: "武侯区", city: 6, weight: 25 },
    District { code: "510104", name: "锦江区", city: 6, weight: 20 },
    District { code: "510108", name: "成华区", city: 6, weight: 18 },
    District { code: "420106", name: "武昌区", city: 7, weight: 22 },
    District { code: "420111", name: "洪山区", city: 7, weight: 22 },
    District { code: "420102", name: "江岸区", city: 7, weight: 20 },
];

/// Streets found in every city.
pub const COMMON_STREETS: [&str; 16] = [
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "新华路",
    "青年路",
    "文化路",
    "胜利路",
    "东风路",
    "朝阳路",
    "光明路",
    "学府路",
    "幸福路",
    "迎宾大道",
    "滨河路",
];

/// Residential compounds (小区), with the word that ends each.
pub const COMPOUNDS: [&str; 24] = [
    "阳光花园",
    "锦绣家园",
    "幸福里小区",
    "翠苑小区",
    "金色家园",
    "滨江花园",
    "名都花园",
    "湖畔佳苑",
    "和谐家园",
    "书香门第",
    "枫林湾",
    "香樟园",
    "紫金苑",
    "玉兰花园",
    "东方新城",
    "世纪华庭",
    "绿地新都会",
    "金桂苑",
    "梧桐苑",
    "春华里",
    "天和家园",
    "明珠花园",
    "丽景湾",
    "左岸小区",
];

/// Shopping places where things are bought (not personal data: no house number).
pub const SHOPPING: [&str; 12] = [
    "万达广场",
    "印象城",
    "吾悦广场",
    "苏宁广场",
    "步行街",
    "龙湖天街",
    "来福士",
    "大润发旁边",
    "地铁站附近",
    "商业街",
    "农贸市场",
    "美食街",
];

/// Birth-place codes for 身份证号: the districts above and a few counties elsewhere.
pub const BIRTH_REGIONS: [&str; 16] = [
    "320508", "320583", "320106", "330106", "310104", "110105", "440106", "510107", "420106", "360426", "341221",
    "411323", "430521", "513822", "370829", "232302",
];

impl District {
    pub fn city(&self) -> &'static City {
        &CITIES[self.city]
    }
}

/// A street of the district's city (its own or a common one).
pub fn street(rng: &mut Rng, city: &City) -> &'static str {
    if rng.percent(60) { rng.text(city.streets) } else { rng.text(&COMMON_STREETS) }
}
