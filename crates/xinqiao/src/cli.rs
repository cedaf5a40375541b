//! The command line, as clap reads it. Help texts are Chinese: the people at the console are a
//! bureau's operators.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "xinqiao", version, about = "心桥：市场监管客户体验官工作平台")]
pub struct Cli {
    /// 配置文件（默认读取当前目录下的 xinqiao.toml，若存在）
    #[arg(long, global = true, env = "XINQIAO_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct Place {
    /// 数据目录（SQLite 数据库与密钥文件所在）
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL 地址，例如 postgres://user:pass@host/db；不填则使用数据目录中的 SQLite
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 启动服务
    Serve {
        /// 监听地址
        #[arg(long)]
        addr: Option<SocketAddr>,
        #[command(flatten)]
        place: Place,
    },
    /// 以演示数据启动（全新的演示机构与各角色账户，登录信息只在启动时显示一次）
    Demo {
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// 演示数据目录（须为空或不存在；默认新建临时目录）
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// 执行数据库迁移
    Migrate {
        #[command(flatten)]
        place: Place,
    },
    /// 显示生效的配置（隐藏密钥与口令）
    Config {
        #[command(flatten)]
        place: Place,
    },
    /// 账户管理
    User {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: UserAction,
    },
    /// 机构（按 GB/T 2260 行政区划代码）
    Org {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: OrgAction,
    },
    /// Open311 GeoReport v2 接口
    Open311 {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: Open311Action,
    },
    /// 审计日志
    Audit {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: AuditAction,
    },
    /// 个人信息遮蔽：从标准输入读中文文本，输出遮蔽后的文本（--json 输出识别出的片段）
    Mask {
        /// 输出 JSON 数组 [{"kind","start","end","text"}]，偏移按字符计
        #[arg(long)]
        json: bool,
        /// 本案被投诉企业的名称（可重复）：无论写法如何都不遮蔽
        #[arg(long = "enterprise", value_name = "名称")]
        enterprises: Vec<String>,
        /// 按对外公开的要求输出：每个片段整体替换为 [已隐去]，不保留任何部分
        #[arg(long, conflicts_with = "json")]
        public: bool,
        /// 同时输出仍需人工复核的可疑片段（JSON：{"spans","doubts"}）
        #[arg(long, requires = "json")]
        doubts: bool,
    },
    /// 证件号码校验：从标准输入逐行读统一社会信用代码或身份证号，按平台的规则校验，每行输出一个 JSON 对象
    Ids {
        #[command(subcommand)]
        action: IdsAction,
    },
    /// GS1 商品条码：解析并校验 GS1 元素串（GS1-128、GS1 DataMatrix 扫描结果或带括号的文字）或单独的 GTIN
    Gs1 {
        #[command(subcommand)]
        action: Gs1Action,
    },
    /// 双随机抽取：RFC 3797 公开可验证的随机抽取，及按公示文件复核抽取结果
    Draw {
        #[command(subcommand)]
        action: DrawAction,
    },
    /// 导入双随机名录库（CSV 或 XLSX）：先逐行检查，有误则列出行号与原因且不写入任何数据
    Import {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// 节假日安排：显示各年份的依据，或导入国务院公布的一年安排（TOML，与内置数据同格式）
    Calendar {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: CalendarAction,
    },
    /// 从数据库重建本机的全文检索索引（须先停止本机的服务）
    Reindex {
        #[command(flatten)]
        place: Place,
    },
    /// 核对本机的全文检索索引与统计汇总是否与数据库一致：一致时退出码为 0；否则逐项列出不一致之处（附处理办法）并以 1 退出
    Check {
        #[command(flatten)]
        place: Place,
    },
    /// 密钥：查看数据库记录的密钥指纹，计划内轮换数据密钥，用当前密钥重新加密旧数据
    Keys {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: KeysAction,
    },
    /// 统计汇总（洞察看板的数据）
    Rollups {
        #[command(flatten)]
        place: Place,
        #[command(subcommand)]
        action: RollupsAction,
    },
    /// 生成合成数据集（确定性：参数相同则输出逐字节相同）：enterprises.csv、cases.csv，以及 pii.jsonl（叙述中每个个人信息片段的标准答案，偏移按字符计）
    Gen(crate::r#gen::GenArgs),
    /// 在线备份 SQLite 数据库（PostgreSQL 请使用 pg_dump）
    Backup {
        #[command(flatten)]
        place: Place,
        /// 备份文件路径（不会覆盖已有文件）
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// 新建账户；未给出密码时生成一个并显示一次，首次登录须修改
    Add {
        #[arg(long)]
        username: String,
        /// 姓名
        #[arg(long)]
        name: String,
        /// 角色：enterprise officer supervisor reviewer sysadmin secadmin auditadmin（可重复）
        #[arg(long = "role")]
        roles: Vec<String>,
        /// 所属机构的行政区划代码
        #[arg(long)]
        org: Option<String>,
        /// 企业用户的统一社会信用代码
        #[arg(long)]
        uscc: Option<String>,
        /// 从标准输入读取密码
        #[arg(long)]
        password_stdin: bool,
    },
    /// 重置密码；未给出密码时生成一个并显示一次
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// 设置账户的全部角色（不给角色即清空）
    Roles { username: String, roles: Vec<String> },
    /// 停用账户（会话与令牌立即失效）
    Disable { username: String },
    /// 重新启用账户
    Enable { username: String },
    /// 列出账户
    List,
}

#[derive(Subcommand, Debug)]
pub enum OrgAction {
    /// 添加机构
    Add {
        /// 行政区划代码（6位）
        #[arg(long)]
        code: String,
        /// 名称，如“某某市市场监督管理局”
        #[arg(long)]
        name: String,
        /// 上级机构的行政区划代码
        #[arg(long)]
        parent: Option<String>,
    },
    /// 列出机构
    List,
}

#[derive(Subcommand, Debug)]
pub enum Open311Action {
    /// 为机构签发 api_key（密钥只显示这一次，系统只保存其摘要）
    Issue {
        /// 机构的行政区划代码
        #[arg(long)]
        bureau: String,
        /// 使用方，如“随手拍小程序”
        #[arg(long)]
        label: String,
    },
    /// 撤销 api_key（按 list 显示的编号）
    Revoke { id: String },
    /// 列出已签发的 api_key
    List,
}

#[derive(Subcommand, Debug)]
pub enum CalendarAction {
    /// 显示各年份工作日的依据（已核实的通知、未核实的通知或暂按法定节假日）与提醒
    Show,
    /// 检查并导入一年（或几年）的安排；未结诉求的期限随之重新计算，各节点无需重启即生效
    Import {
        /// TOML 文件（UTF-8）
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysAction {
    /// 列出数据库记录的各密钥（编号、指纹、是否已停用）以及本机密钥文件中是否有它们
    List,
    /// 新增一个数据密钥，此后的新数据用它加密；旧密钥保留用于读取。完成后须把新的 secrets.toml 复制到所有节点并重启
    Rotate,
    /// 把仍用旧密钥加密的数据改用当前密钥重新加密（分批进行、记入审计）；全部完成后旧密钥标记为停用
    Reseal,
}

#[derive(Subcommand, Debug)]
pub enum RollupsAction {
    /// 按全部诉求重新计算统计汇总（一次事务完成，记入审计；运行中的各节点随后自动重新载入）
    Rebuild,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// 校验审计链：完整时退出码为 0，否则指出第一条不符的记录并以 1 退出；给出 --checkpoint 时还核对审计链与该检查点一致
    Verify {
        /// 此前下载并在系统外保存的检查点文件（JSON）
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// 签发当前审计链的检查点（链头哈希与条数，带签名），以 JSON 输出到标准输出：请在系统外保存
    Checkpoint,
}

#[derive(Subcommand, Debug)]
pub enum IdsAction {
    /// 每行输出 {"input","ok","value","code","message"}：ok 为 true 时 value 是保存的写法，否则 code 与 message 说明原因；退出码总为 0
    Check {
        /// 号码种类
        #[arg(long, value_enum)]
        kind: crate::ids_check::IdKind,
        /// 按此日期（YYYY-MM-DD）判断身份证号的出生日期是否晚于今天（默认今天）
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Gs1Action {
    /// 输出 JSON {"gtin","batch","production","best_before","expiry"}（日期为 YYYY-MM-DD，没有的为 null）；校验位错误或格式有误时以 1 退出
    Parse {
        /// 条码内容：(01)…(10)… 形式，扫描枪原样输出的形式（分隔符为 GS 0x1D，可带 ]C1、]d2、]Q3 前缀），或 8/12/13/14 位 GTIN
        string: String,
        /// 按此日期（YYYY-MM-DD）判断两位年份所属的世纪（默认今天）
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DrawAction {
    /// 按 RFC 3797 从 N 个中抽取 K 个：按抽取顺序逐行输出被抽中的序号（从 1 起）
    #[command(name = "rfc3797")]
    Rfc3797 {
        /// 名单总数 N（名单须事先公示并编号 1…N）
        #[arg(long)]
        pool_size: u64,
        /// 抽取个数 K
        #[arg(long)]
        count: u64,
        /// 随机数来源的开奖值，按公示的顺序逐个给出（可重复）；全为整数时按数字处理（排序、去前导零），否则按文字处理
        #[arg(long = "source", required = true)]
        sources: Vec<String>,
    },
    /// 按公示页面下载的抽取文件重新计算并核对：一致时退出码为 0，否则指出第一处不同并以 1 退出
    Verify {
        /// 抽取文件（TASK.json）
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// 检查对象名录：统一社会信用代码、企业名称、行业门类、行政区划代码、信用风险分类，可选“状态”
    Targets {
        /// .csv（UTF-8 或 GBK）或 .xlsx 文件
        file: PathBuf,
        /// CSV 的编码：auto（默认：UTF-8，否则按 GBK）、utf-8、gbk
        #[arg(long, value_enum, default_value_t)]
        encoding: crate::import_file::Encoding,
    },
    /// 执法检查人员名录：执法证号、姓名、单位，可选“专业领域”“状态”“账户”（平台登录名，其回避申报适用于抽查）
    Inspectors {
        /// .csv（UTF-8 或 GBK）或 .xlsx 文件
        file: PathBuf,
        /// CSV 的编码：auto（默认：UTF-8，否则按 GBK）、utf-8、gbk
        #[arg(long, value_enum, default_value_t)]
        encoding: crate::import_file::Encoding,
    },
    /// 诉求（本局导出的数据或 xinqiao gen 生成的 cases.csv）：经完整受理流程（校验、遮蔽、加密、审计、索引、汇总）分批导入；中断后重新运行同一命令，从中断处继续（已导入的行跳过）
    Cases {
        /// .csv（UTF-8 或 GBK）文件，列名见 README
        file: PathBuf,
        /// CSV 的编码：auto（默认：UTF-8，否则按 GBK）、utf-8、gbk
        #[arg(long, value_enum, default_value_t)]
        encoding: crate::import_file::Encoding,
        /// 每批行数（每批一个事务；中断后按批续传）
        #[arg(long, default_value_t = 8_000, value_parser = clap::value_parser!(u32).range(1..=20_000))]
        batch: u32,
    },
}
