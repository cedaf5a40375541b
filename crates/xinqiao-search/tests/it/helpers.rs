//! Test helpers: realistic Q&A entries drafted from the seed's topics, case narratives, an index
//! holding them, and a temporary directory that removes itself.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::knowledge::{Audience, QaStatus};
use xinqiao_search::{CaseDoc, MaskedText, QaDoc, QaQuery, SearchIndex, plain_text};

/// 2025-03-01 00:00 (UTC+8), epoch milliseconds.
pub const MARCH_2025: i64 = 1_740_758_400_000;
pub const DAY_MS: i64 = 86_400_000;

/// A published entry for everyone, to be adjusted by the caller.
pub fn qa(id: &str, question: &str, answer: &str) -> QaDoc {
    QaDoc {
        id: id.into(),
        question: question.into(),
        answer: answer.into(),
        explanation: String::new(),
        tags: Vec::new(),
        audience: Vec::new(),
        industries: Vec::new(),
        status: QaStatus::Published,
        updated_ms: MARCH_2025,
        law_names: Vec::new(),
    }
}

fn with(
    mut d: QaDoc,
    audience: &[Audience],
    industries: &str,
    tags: &[&str],
    laws: &[&str],
    explanation: &str,
    days: i64,
) -> QaDoc {
    d.audience = audience.to_vec();
    d.industries = industries.chars().collect();
    d.tags = tags.iter().map(|t| t.to_string()).collect();
    d.law_names = laws.iter().map(|l| l.to_string()).collect();
    d.explanation = explanation.into();
    d.updated_ms = MARCH_2025 + days * DAY_MS;
    d
}

/// Twelve entries: ten published, one retired, one awaiting review after a law change.
pub fn entries() -> Vec<QaDoc> {
    use Audience::{Consumer, Enterprise};
    let mut all = vec![
        with(
            qa(
                "live-price",
                "直播间里能不能说“全网最低价”？",
                "不能随便说。除非能拿出证据证明在全网范围内确实最低，否则属于引人误解的价格宣传，可能被罚款。建议改说“直播间专享价”，并写明和什么价格比。",
            ),
            &[Enterprise],
            "FI",
            &["价格宣传"],
            &["《中华人民共和国价格法》", "《中华人民共和国反不正当竞争法》"],
            "“全网最低价”是无法证实的价格比较用语，主播和直播间运营者都要对宣传内容负责。",
            1,
        ),
        with(
            qa(
                "live-duty",
                "网络直播营销中，主播对商品信息要负责吗？",
                "要负责。主播要核对商品的来源、质量和宣传内容，不能夸大其词；出了问题，消费者可以找直播间运营者和商家赔偿。",
            ),
            &[Enterprise, Consumer],
            "FI",
            &["网络直播营销"],
            &["《网络直播营销管理办法（试行）》"],
            "",
            2,
        ),
        with(
            qa(
                "prepaid-refund",
                "在美容店办的预付卡，店铺关门了怎么退钱？",
                "先保留好付款记录和卡片，联系经营者协商退还余额；协商不成可以拨打 12315 投诉，或者向法院起诉。",
            ),
            &[Consumer],
            "O",
            &["预付式消费"],
            &["《中华人民共和国消费者权益保护法》"],
            "经营者以预收款方式提供商品或者服务的，应当按照约定提供；未按照约定提供的，应当按照消费者的要求履行约定或者退回预付款。",
            3,
        ),
        with(
            qa(
                "food-licence",
                "开一家小餐馆需要办食品经营许可证吗？怎么办？",
                "需要。带上营业执照、经营场所平面图和食品安全管理制度，到区县市场监管部门窗口或者在网上申请，材料齐全的按时发证。",
            ),
            &[Enterprise],
            "H",
            &["食品经营许可"],
            &["《食品经营许可和备案管理办法》"],
            "",
            4,
        ),
        with(
            qa(
                "annual-report",
                "企业年报每年什么时候报？不报会怎样？",
                "每年1月1日至6月30日，通过国家企业信用信息公示系统报送上一年度的年度报告。逾期不报会被列入经营异常名录。",
            ),
            &[Enterprise],
            "",
            &[],
            &["《企业信息公示暂行条例》"],
            "",
            5,
        ),
        with(
            qa(
                "seven-day-return",
                "网上买的衣服不喜欢，能七日无理由退货吗？",
                "可以。网购商品自收到之日起七日内，商品完好的可以无理由退货，退回的运费一般由消费者承担，商家另有约定的除外。",
            ),
            &[Consumer],
            "F",
            &["网络购物"],
            &["《中华人民共和国消费者权益保护法》"],
            "",
            6,
        ),
        with(
            qa(
                "food-label",
                "预包装食品的标签必须标注哪些内容？",
                "名称、配料表、净含量、生产者的名称和地址、生产日期和保质期、贮存条件、食品生产许可证编号等。",
            ),
            &[Enterprise],
            "CF",
            &[],
            &["《食品安全国家标准 预包装食品标签通则》"],
            "",
            7,
        ),
        with(
            qa(
                "cosmetics-filing",
                "进口普通化妆品上市前要办什么手续？",
                "普通化妆品实行备案管理：国产的在上市销售前向所在地省级药品监管部门备案，进口的在进口前向国家药监局备案。特殊化妆品要注册。",
            ),
            &[Enterprise],
            "CF",
            &[],
            &["《化妆品监督管理条例》"],
            "",
            8,
        ),
        with(
            qa(
                "random-check",
                "市场监管部门来检查，为什么偏偏查到我家？",
                "检查对象是按“双随机、一公开”的办法从名录库里随机抽取的，检查人员也是随机选派，结果向社会公开，不是针对哪一家。",
            ),
            &[Enterprise],
            "",
            &[],
            &[],
            "",
            9,
        ),
        with(
            qa(
                "e-ledger",
                "可以用电子台账代替纸质进货台账吗？",
                "可以。电子记录只要如实记录进货信息、能够查询和导出，就和纸质台账一样有效。",
            ),
            &[Enterprise],
            "FH",
            &["进货台账"],
            &["《中华人民共和国食品安全法》"],
            "",
            10,
        ),
    ];
    let mut retired =
        with(qa("licence-term-old", "食品经营许可证有效期是几年？", "五年。"), &[Enterprise], "H", &[], &[], "", -300);
    retired.status = QaStatus::Retired;
    let mut stale = with(
        qa("ledger-keep", "进货查验记录要保存多久？", "不得少于产品保质期满后六个月；没有明确保质期的，不得少于二年。"),
        &[Enterprise],
        "FH",
        &[],
        &["《中华人民共和国食品安全法》"],
        "",
        11,
    );
    stale.status = QaStatus::Stale;
    all.extend([retired, stale]);
    all
}

/// An in-memory index holding [`entries`], committed at outbox position 12.
pub fn index_with_entries() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    for e in entries() {
        index.upsert_qa(&e).expect("upsert");
    }
    index.commit(12).expect("commit");
    index
}

/// Ids of the published hits for `text`, best first.
pub fn ids(index: &SearchIndex, text: &str) -> Vec<String> {
    index.search_qa(&QaQuery::new(text)).expect("search").hits.into_iter().map(|h| h.id).collect()
}

/// The text of each hit's snippet for a query, to show in failures.
pub fn snippets(index: &SearchIndex, text: &str) -> Vec<String> {
    index.search_qa(&QaQuery::new(text)).expect("search").hits.iter().map(|h| plain_text(&h.snippet)).collect()
}

pub fn case(id: &str, org: &str, kind: CaseKind, narrative: &str, day: i64) -> CaseDoc {
    CaseDoc {
        id: id.into(),
        narrative: MaskedText::already_masked(narrative),
        org_id: Some(org.into()),
        kind,
        received_ms: MARCH_2025 + day * DAY_MS,
    }
}

/// A directory under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xq-search-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
