//! The Chinese names of audit actions and of the kinds of object they touch, in one table, and
//! the categories the audit page filters by. A test reads the workspace's sources and checks that
//! every action code written anywhere has a name here.

/// Action code → 中文名.
pub const ACTIONS: &[(&str, &str)] = &[
    ("access.denied", "越权访问被拒绝"),
    ("annual_report.filed", "企业声明已报送年报"),
    ("annual_report.remind", "年报到期提醒"),
    ("audit.checkpoint", "签发审计检查点"),
    ("audit.export", "导出审计日志"),
    ("audit.read", "查阅审计日志"),
    ("audit.verify", "校验审计链"),
    ("auth.lock", "账户锁定"),
    ("auth.login", "登录"),
    ("auth.logout", "退出登录"),
    ("auth.throttle", "登录限速"),
    ("calendar.load", "载入节假日安排"),
    ("campaign.create", "创建专项整治"),
    ("case.accept", "受理诉求"),
    ("case.assign", "分派承办人"),
    ("case.attachment.names_sealed", "封存附件原始文件名"),
    ("case.attachment.read", "查看附件"),
    ("case.classify", "确认问题分类"),
    ("case.close", "办结"),
    ("case.close_approve", "批准办结"),
    ("case.close_request", "申请办结（待主管审核）"),
    ("case.close_return", "退回办结申请"),
    ("case.deadline_moved", "期限因节假日调整而变化"),
    ("case.decline", "不接受和解"),
    ("case.follow_up", "回访"),
    ("case.identity.read", "查看投诉人联系方式"),
    ("case.inform", "告知处理结果"),
    ("case.intake", "收到诉求"),
    ("case.mediate", "开始调解"),
    ("case.merge", "合并重复举报"),
    ("case.merged_in", "并入重复举报"),
    ("case.note", "添加办理记录"),
    ("case.open", "立案"),
    ("case.outcome", "记录办理结果"),
    ("case.pause", "暂停计时"),
    ("case.privacy.confirm", "确认脱敏（企业此后可见）"),
    ("case.privacy.revise", "调整脱敏范围"),
    ("case.qa_link", "关联政策问答"),
    ("case.rating", "投诉人评价"),
    ("case.recuse", "申请回避"),
    ("case.reject", "不予受理"),
    ("case.reply", "答复"),
    ("case.resume", "恢复计时"),
    ("case.return", "退回"),
    ("case.status", "变更诉求状态"),
    ("case.supplement", "投诉人补充材料"),
    ("case.tie_override", "准许有关联的人员办理"),
    ("case.transfer", "移送"),
    ("certificate.register", "登记证书"),
    ("certificate.reinstate", "恢复证书"),
    ("certificate.reinstate_request", "申请恢复证书"),
    ("certificate.review", "证书年度考核"),
    ("certificate.revoke", "撤销证书"),
    ("certificate.suspend", "暂停证书"),
    ("confidential.deposit", "企业提交保密资料"),
    ("confidential.destroy", "销毁保密资料"),
    ("confidential.open", "开启保密资料交换"),
    ("confidential.sign", "签署保密承诺"),
    ("confidential.view", "查阅保密资料"),
    ("deferred.accept", "容缺受理"),
    ("deferred.ended", "容缺受理逾期终止"),
    ("deferred.policy", "修改容缺受理规则"),
    ("deferred.remind", "容缺受理到期提醒"),
    ("deferred.supplied", "容缺材料已补齐"),
    ("draw.commit", "公示抽查任务"),
    ("draw.run", "抽取检查对象"),
    ("enterprise.reply", "企业答复"),
    ("incident.create", "开启突发事件"),
    ("incident.drill", "开始泄密演练"),
    ("incident.drill_closed", "结束泄密演练"),
    ("incident.drill_view", "查看泄密演练报告"),
    ("incident.evidence", "上传事件证据"),
    ("incident.evidence_publish", "打码发布证据"),
    ("incident.extend", "延长措施期限"),
    ("incident.link", "关联诉求或预警"),
    ("incident.measure", "登记措施"),
    ("incident.measure_done", "办结措施"),
    ("incident.media", "登记舆情信息"),
    ("incident.product", "列入商品批次"),
    ("incident.promise", "对外承诺时限"),
    ("incident.promise_kept", "承诺已兑现"),
    ("incident.retest_lab", "随机确定复检机构"),
    ("incident.review", "保存事件复盘"),
    ("incident.secret", "登记商业秘密条目"),
    ("incident.statement_draft", "起草情况通报"),
    ("incident.statement_publish", "发布情况通报"),
    ("incident.team", "调整事件负责人与事件组"),
    ("incident.testing", "登记检测期间"),
    ("incident.view", "查看突发事件"),
    ("insights.public_min_complaints", "修改公示门槛"),
    ("insights.rebuild", "重建统计"),
    ("insights.taxonomy", "修改问题分类"),
    ("inspection.inspectors.import", "导入检查人员名录"),
    ("inspection.publish", "公示检查结果"),
    ("inspection.result", "录入检查结果"),
    ("inspection.targets.import", "导入检查对象名录"),
    ("integrity.record", "廉洁登记"),
    ("keys.record", "登记密钥"),
    ("keys.reseal", "重新加密"),
    ("keys.retire", "停用密钥"),
    ("law.change", "法规修订"),
    ("law.upsert", "登记法规"),
    ("ledger.case_batch.link", "诉求关联台账批次"),
    ("ledger.enroll", "开通电子台账"),
    ("ledger.entry.add", "录入台账"),
    ("ledger.entry.correct", "更正台账"),
    ("ledger.party.add", "登记供货方或购货方"),
    ("ledger.product.save", "保存商品信息"),
    ("ledger.purge", "清除超过保存期限的台账记录"),
    ("ledger.read", "查阅企业台账"),
    ("ledger.recall.confirm", "确认批次已下架封存"),
    ("ledger.recall.open", "发起召回或封存"),
    ("ledger.trace", "批次追溯"),
    ("ledger.voucher.read", "查看进货凭证"),
    ("ledger.warning_batch.link", "预警关联台账批次"),
    ("odr.join", "企业加入先行和解"),
    ("odr.leave", "企业退出先行和解"),
    ("officer.industries", "申报熟悉行业"),
    ("officer.tie", "申报关联关系"),
    ("open311.key.issue", "签发 Open311 密钥"),
    ("open311.key.revoke", "吊销 Open311 密钥"),
    ("org.create", "创建机构"),
    ("qa.create", "新建政策问答"),
    ("qa.gap_draft", "据未答问题起草问答"),
    ("qa.publish", "发布政策问答"),
    ("qa.reject", "退回政策问答"),
    ("qa.retire", "撤下政策问答"),
    ("qa.revise", "修改政策问答"),
    ("qa.submit", "提交问答审核"),
    ("qualification.apply", "申请任职资格评审"),
    ("qualification.assessor_tie", "评审员申报关联"),
    ("qualification.certificate", "颁发证书"),
    ("qualification.decide", "评审决定"),
    ("qualification.discussion", "评审讨论记录"),
    ("qualification.evidence", "登记评审材料"),
    ("qualification.framework", "修改能力标准"),
    ("qualification.panel", "组成评审组"),
    ("qualification.params", "修改评审参数"),
    ("qualification.register", "登记持证人员"),
    ("qualification.require_certificate", "要求持证上岗"),
    ("qualification.review", "年度考核"),
    ("qualification.score", "评审打分"),
    ("qualification.test_start", "开始笔试"),
    ("qualification.test_submit", "交卷"),
    ("qualification.ties", "登记回避关系"),
    ("settings.update", "修改设置"),
    ("settlement.accept", "接受和解"),
    ("settlement.decline", "不接受和解"),
    ("settlement.propose", "企业提出和解方案"),
    ("token.create", "创建API令牌"),
    ("token.revoke", "撤销API令牌"),
    ("user.create", "创建用户"),
    ("user.disable", "停用账户"),
    ("user.enable", "启用账户"),
    ("user.org", "变更所属机构"),
    ("user.password", "设置密码"),
    ("user.roles", "变更角色"),
    ("user.totp_enrol", "绑定动态验证码"),
    ("user.totp_reset", "重置动态验证码"),
    ("warning.acknowledge", "确认预警"),
    ("warning.assign", "指派预警"),
    ("warning.close", "关闭预警"),
    ("warning.raise", "发出预警"),
    ("warning.status", "变更预警状态"),
    ("worklog.add", "记录工作日志"),
];

/// The Chinese name of an action, or `None` for a code not in the table.
pub fn action_name(code: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Object kind (the part of a target before `:`) → 中文名.
pub const OBJECTS: &[(&str, &str)] = &[
    ("assessment", "任职资格评审"),
    ("annual_report", "年报"),
    ("audit_log", "审计日志"),
    ("campaign", "专项整治"),
    ("case", "诉求"),
    ("cases", "诉求"),
    ("certificate", "证书"),
    ("draw", "抽查任务"),
    ("entry", "政策问答"),
    ("incident", "突发事件"),
    ("inspectors", "检查人员名录"),
    ("insights", "洞察与预警"),
    ("key", "密钥"),
    ("law", "法规"),
    ("ledger", "电子台账"),
    ("org", "机构"),
    ("qa", "政策问答"),
    ("recall", "召回与封存"),
    ("setting", "设置"),
    ("settings", "设置"),
    ("targets", "检查对象名录"),
    ("token", "API令牌"),
    ("user", "用户"),
    ("warning", "预警"),
];

/// The Chinese name of an object kind, if known.
pub fn object_name(kind: &str) -> Option<&'static str> {
    OBJECTS.iter().find(|(c, _)| *c == kind).map(|(_, n)| *n)
}

/// The categories of the audit page's filter: (code, 中文名, action prefixes, any of which matches).
pub const CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "cases",
        "诉求",
        &[
            "case.",
            "settlement.",
            "odr.",
            "enterprise.",
            "officer.",
            "worklog.",
            "deferred.",
            "open311.",
            "annual_report.",
        ],
    ),
    ("contact", "查看联系方式", &["case.identity.read"]),
    ("confidential", "保密资料交换", &["confidential."]),
    ("draws", "抽查", &["draw.", "inspection."]),
    ("warnings", "预警", &["warning.", "campaign.", "insights."]),
    ("incidents", "突发事件", &["incident."]),
    ("ledger", "电子台账", &["ledger."]),
    ("qualification", "任职资格", &["qualification.", "certificate.", "integrity."]),
    ("accounts", "账户", &["auth.", "user.", "token."]),
    ("denied", "越权拒绝", &["access.denied"]),
    ("knowledge", "政策问答", &["qa.", "law."]),
    ("settings", "设置与机构", &["settings.", "org.", "calendar.", "keys."]),
    ("audit", "审计操作", &["audit."]),
];

/// The prefixes of a category, by its code.
pub fn category(code: &str) -> Option<&'static [&'static str]> {
    CATEGORIES.iter().find(|(c, _, _)| *c == code).map(|(_, _, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// String literals in the workspace's sources that look like audit action codes.
    fn codes_in(dir: &Path, prefixes: &[&str], out: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                codes_in(&path, prefixes, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for literal in text.split('"').skip(1).step_by(2) {
                    let Some((head, rest)) = literal.split_once('.') else { continue };
                    let shaped =
                        !rest.is_empty() && literal.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_');
                    if shaped && prefixes.contains(&head) {
                        out.insert(literal.to_owned());
                    }
                }
            }
        }
    }

    #[test]
    fn every_action_code_written_anywhere_has_a_chinese_name() {
        let mut prefixes: Vec<&str> = ACTIONS.iter().map(|(c, _)| c.split('.').next().unwrap()).collect();
        prefixes.dedup();
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut found = std::collections::BTreeSet::new();
        for krate in std::fs::read_dir(crates).unwrap().flatten() {
            let src = krate.path().join("src");
            if src.is_dir() {
                codes_in(&src, &prefixes, &mut found);
            }
        }
        // Literals with an action's shape that are not actions: a template's and a demo user's
        // names, the store's conflict codes, and the target of a refused ledger view.
        let not_actions = [
            "audit.html",
            "deferred.html",
            "guide.html",
            "officer.li",
            "open311.keys",
            "case.not_allowed",
            "case.privacy_confirmed",
            "ledger.bureau",
        ];
        let missing: Vec<&String> =
            found.iter().filter(|c| !not_actions.contains(&c.as_str()) && action_name(c).is_none()).collect();
        assert!(found.len() > 80, "the scan finds the codes: {found:?}");
        assert!(missing.is_empty(), "audit actions without a Chinese name: {missing:?}");
    }

    #[test]
    fn names_are_unique_and_categories_cover_every_action() {
        let mut codes: Vec<&str> = ACTIONS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ACTIONS.len(), "a code appears twice");
        for (code, _) in ACTIONS {
            assert!(
                CATEGORIES.iter().any(|(_, _, p)| p.iter().any(|p| code.starts_with(p))),
                "{code} is in no category"
            );
        }
        assert_eq!(category("contact"), Some(&["case.identity.read"][..]));
        assert_eq!(object_name("case"), Some("诉求"));
        assert_eq!(action_name("case.close"), Some("办结"));
    }
}
