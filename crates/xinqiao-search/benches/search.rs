//! `cargo bench -p xinqiao-search --bench search`: case-narrative search latency over an on-disk
//! index of synthetic masked narratives (1,000,000 by default; `XQ_SEARCH_DOCS=N` for fewer).
//! Narratives are generated from templates (merchants, products, problems, amounts, masked phones
//! and names), deterministically. Prints the index build time and size, then p50/p90/p99 of 2,000
//! realistic queries (one at a time, each with its snippets), half of them scoped to a few
//! organisations. The index is kept under the target directory and reused when complete
//! (`XQ_SEARCH_REBUILD=1` forces a rebuild). Run outside `cargo bench` (e.g. by
//! `cargo test --all-targets`), it does a small smoke run. With `XQ_SEARCH_EXPORT=DIR` it also
//! writes the same narratives (`DIR/docs.tsv`: id, organisation, text) and the same timed queries
//! (`DIR/queries.tsv`: text, organisations or `*`) for `bench/search-fts5.py`, and ends with a
//! `RESULT` line for `bench/run`.

use std::path::Path;
use std::time::{Duration, Instant};

use xinqiao_domain::cases::CaseKind;
use xinqiao_search::{CaseDoc, CaseQuery, IndexOptions, MaskedText, OrgScope, SearchIndex};

const ORGS: u64 = 50;

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const CITIES: &[&str] =
    &["苏州", "无锡", "昆山", "常熟", "张家港", "吴江", "太仓", "南通", "杭州", "宁波", "嘉兴", "湖州"];
const BRANDS: &[&str] = &[
    "天天",
    "鑫源",
    "华联",
    "佳佳",
    "百姓",
    "乐购",
    "优品",
    "金辉",
    "福满",
    "盛世",
    "阳光",
    "康乐",
    "美好",
    "新世纪",
    "永辉",
    "万家",
    "好邻居",
    "金诚",
    "鸿运",
    "悦享",
    "一品",
    "蓝天",
    "益民",
    "万达",
    "星辰",
    "东方",
    "丰收",
    "宏达",
];
const SHOPS: &[&str] = &[
    "超市",
    "健身房",
    "美容店",
    "理发店",
    "培训机构",
    "餐馆",
    "火锅店",
    "奶茶店",
    "药店",
    "手机店",
    "家电城",
    "汽车4S店",
    "装修公司",
    "网店",
    "直播间",
    "母婴店",
    "水果店",
    "洗衣店",
    "宠物店",
    "眼镜店",
    "游泳馆",
    "烘焙坊",
    "便利店",
    "家具城",
    "早教中心",
];
const PRODUCTS: &[&str] = &[
    "牛奶",
    "婴儿奶粉",
    "鸡蛋",
    "大米",
    "食用油",
    "猪肉",
    "水果礼盒",
    "月饼",
    "蛋糕",
    "保健品",
    "面膜",
    "护肤品",
    "口红",
    "洗发水",
    "手机",
    "蓝牙耳机",
    "笔记本电脑",
    "空调",
    "冰箱",
    "洗衣机",
    "电动车",
    "羽绒服",
    "运动鞋",
    "儿童玩具",
    "眼镜",
    "沙发",
    "床垫",
    "瓷砖",
    "课程套餐",
    "会员卡",
    "储值卡",
    "预付卡",
    "年卡",
    "外卖套餐",
    "白酒",
    "茶叶",
    "狗粮",
    "宠物疫苗",
    "二手车",
    "轮胎",
];
const BUY: &[&str] = &["购买了", "买了", "办理了", "充值了", "订购了", "网购了", "预订了"];
const PROBLEMS: &[&str] = &[
    "发现已经过期",
    "收到后发现是假货",
    "使用三天就坏了",
    "商家拒绝退款",
    "老板跑路了联系不上",
    "门店突然关门",
    "实际价格比宣传的高",
    "被强制搭售其他商品",
    "缺斤少两",
    "七天无理由退货被拒绝",
    "预付卡余额无法使用",
    "售后一直不处理",
    "标签上没有生产日期",
    "吃出了异物",
    "宣称全网最低价但实际不是",
    "虚假宣传夸大功效",
    "包装破损还漏液",
    "质量有问题要求三包被拒",
    "收费不明码标价",
    "私自扣除押金",
    "发票开不出来",
    "承诺的赠品没有兑现",
    "课程没上完机构就停业了",
    "外卖送来已经变质",
    "维修后又出现同样故障",
];
const DEMANDS: &[&str] = &[
    "要求退款",
    "要求退还余额",
    "希望市场监管部门处理",
    "要求赔偿损失",
    "要求三倍赔偿",
    "要求更换商品",
    "希望依法查处",
    "要求商家道歉并退货",
    "请求调解",
    "要求退一赔三",
];
const SURNAMES: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡"];

fn phone(rng: &mut Rng) -> String {
    format!("1{}{}****{:04}", 3 + rng.below(7), rng.below(10), rng.below(10_000))
}

/// One masked narrative, 60 to 200 characters.
fn narrative(rng: &mut Rng) -> String {
    let merchant = format!("{}{}{}", rng.pick(CITIES), rng.pick(BRANDS), rng.pick(SHOPS));
    let (product, problem, demand) = (rng.pick(PRODUCTS), rng.pick(PROBLEMS), rng.pick(DEMANDS));
    let amount = 10 + rng.below(20_000);
    let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
    let person = format!("{}**", rng.pick(SURNAMES));
    match rng.below(5) {
        0 => format!(
            "{month}月{day}日，我在{merchant}{}{product}，花了{amount}元，{problem}。{demand}。联系电话{}。",
            rng.pick(BUY),
            phone(rng)
        ),
        1 => format!(
            "投诉人{person}反映：{month}月{day}日在{merchant}消费{amount}元，{problem}，多次与商家协商未果，{demand}。"
        ),
        2 => format!(
            "举报{merchant}销售的{product}{problem}，现场还有不少顾客在买，{}。举报人电话{}，请为举报人保密。",
            rng.pick(DEMANDS),
            phone(rng)
        ),
        3 => format!(
            "本人在{merchant}{}{product}，价格{amount}元。{problem}，{}，{demand}。另外同店{}{}，也{}。",
            rng.pick(BUY),
            rng.pick(&["店员态度很差", "客服电话打不通", "商家一直推脱", "经理说找总部"]),
            rng.pick(BUY),
            rng.pick(PRODUCTS),
            rng.pick(PROBLEMS)
        ),
        _ => format!(
            "{person}来电咨询：在{merchant}办的{product}{problem}，已经付了{amount}元，请问怎么维权？回访电话{}。",
            phone(rng)
        ),
    }
}

fn case_doc(rng: &mut Rng, n: u64) -> CaseDoc {
    let kinds = [CaseKind::Complaint, CaseKind::Complaint, CaseKind::Report, CaseKind::Consultation];
    CaseDoc {
        id: format!("case-{n:08}"),
        narrative: MaskedText::already_masked(narrative(rng)),
        org_id: Some(format!("org-{:02}", rng.below(ORGS))),
        kind: kinds[rng.below(kinds.len() as u64) as usize],
        received_ms: 1_704_038_400_000 + rng.below(730) as i64 * 86_400_000,
    }
}

/// A query an officer would type.
fn query_text(rng: &mut Rng) -> String {
    let shop = rng.pick(SHOPS);
    match rng.below(8) {
        0 => format!("{shop}跑路"),
        1 => format!("{}过期", rng.pick(PRODUCTS)),
        2 => rng.pick(&["储值卡退款", "预付卡 老板跑路", "会员卡余额退不了", "健身房关门退钱"]).to_string(),
        3 => rng.pick(&["直播间全网最低价", "直播带货虚假宣传", "网络直播营销 夸大功效"]).to_string(),
        4 => format!("{}{shop}", rng.pick(BRANDS)),
        5 => format!("{} {}", rng.pick(PRODUCTS), rng.pick(&["假货", "缺斤少两", "没有生产日期", "异物"])),
        6 => rng.pick(&["七日无理由退货 拒绝", "三包 维修", "外卖变质", "不明码标价", "强制搭售"]).to_string(),
        _ => format!("{}{shop}{}", rng.pick(CITIES), rng.pick(&["退款", "投诉", "赔偿"])),
    }
}

fn scope(rng: &mut Rng) -> OrgScope {
    if rng.below(2) == 0 {
        return OrgScope::All;
    }
    OrgScope::Only((0..1 + rng.below(5)).map(|_| format!("org-{:02}", rng.below(ORGS))).collect())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn segments(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("cases"))
        .map(|es| es.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "store")).count())
        .unwrap_or(0)
}

fn build(dir: &Path, docs: u64) -> SearchIndex {
    let options = IndexOptions { writer_threads: 2, writer_memory_bytes: 256_000_000 };
    let index = SearchIndex::open_with(dir, &options).expect("open");
    index.clear().expect("clear");
    let mut rng = Rng(20_260_301);
    let started = Instant::now();
    let mut bytes = 0u64;
    for n in 0..docs {
        let doc = case_doc(&mut rng, n);
        bytes += doc.narrative.as_str().len() as u64;
        index.upsert_case(&doc).expect("upsert");
        if (n + 1) % 100_000 == 0 {
            println!("  {} docs in {:.1} s", n + 1, started.elapsed().as_secs_f64());
        }
    }
    index.commit(docs as i64).expect("commit");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "built: {docs} narratives ({:.0} MB of text) in {secs:.1} s = {:.0} docs/s, 2 writer threads, 256 MB budget",
        bytes as f64 / 1e6,
        docs as f64 / secs
    );
    index
}

/// The narratives and the queries, as tab-separated text (none of them holds a tab or a newline).
fn export(dir: &Path, docs: u64, workload: &[CaseQuery]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("docs.tsv"))?);
    let mut rng = Rng(20_260_301);
    for n in 0..docs {
        let doc = case_doc(&mut rng, n);
        writeln!(out, "{}\t{}\t{}", doc.id, doc.org_id.unwrap_or_default(), doc.narrative.as_str())?;
    }
    out.flush()?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("queries.tsv"))?);
    for q in workload {
        let orgs = match &q.orgs {
            OrgScope::All => "*".to_string(),
            OrgScope::Only(orgs) => orgs.join(","),
        };
        writeln!(out, "{}\t{orgs}", q.text)?;
    }
    out.flush()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let docs: u64 = std::env::var("XQ_SEARCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(if full {
        1_000_000
    } else {
        2_000
    });
    let queries = if full { 2_000 } else { 100 };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("search-bench-{docs}"));
    let reuse = std::env::var("XQ_SEARCH_REBUILD").is_err()
        && SearchIndex::open(&dir).is_ok_and(|i| i.last_seq().ok() == Some(docs as i64) && i.doc_count().cases == docs);
    if reuse {
        println!("reusing the index in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        drop(build(&dir, docs));
    }
    println!("index: {:.0} MB on disk, {} segments ({})", dir_size(&dir) as f64 / 1e6, segments(&dir), dir.display());

    // Reopened as a server would after a restart; the writer's merges are not running.
    let opened = Instant::now();
    let index = SearchIndex::open(&dir).expect("reopen");
    println!("opened in {:.0} ms: {} cases", opened.elapsed().as_secs_f64() * 1e3, index.doc_count().cases);
    let mut rng = Rng(7);
    let workload: Vec<CaseQuery> = (0..queries + 200)
        .map(|_| {
            let mut q = CaseQuery::new(query_text(&mut rng), scope(&mut rng));
            q.limit = 20;
            q
        })
        .collect();
    if let Ok(dir) = std::env::var("XQ_SEARCH_EXPORT") {
        export(Path::new(&dir), docs, &workload[200..]).expect("export for the FTS5 peer");
        println!("exported {docs} narratives and {queries} queries to {dir}");
    }
    for q in &workload[..200] {
        index.search_cases(q).expect("warm-up");
    }
    let (mut timed, mut hits, mut empty) = (Vec::with_capacity(queries), 0usize, 0usize);
    for q in &workload[200..] {
        let t = Instant::now();
        let found = index.search_cases(q).expect("search");
        timed.push((t.elapsed(), q));
        hits += found.len();
        empty += usize::from(found.is_empty());
    }
    timed.sort_by_key(|(t, _)| *t);
    for (t, q) in timed.iter().rev().take(5) {
        let scope = match &q.orgs {
            OrgScope::All => "all".to_string(),
            OrgScope::Only(orgs) => format!("{} orgs", orgs.len()),
        };
        println!("  slow: {:.2} ms for {:?} ({scope})", t.as_secs_f64() * 1e3, q.text);
    }
    let times: Vec<Duration> = timed.iter().map(|(t, _)| *t).collect();
    let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64 * 1e3;
    println!(
        "{queries} queries (top 20 with snippets, half scoped to 1-5 of {ORGS} organisations): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean {mean:.2} ms; {:.1} hits per query, {empty} with none",
        percentile(&times, 0.50),
        percentile(&times, 0.90),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        hits as f64 / queries as f64
    );
    println!(
        "RESULT docs={docs} queries={queries} p50_ms={:.3} p99_ms={:.3} hits_per_query={:.2} empty={empty}",
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        hits as f64 / queries as f64
    );
}
