//! Tests of the competency framework: the shipped data, validation, canonical form, pinning.

use super::framework::*;

const EXPECTED: [(&str, &str, [&str; 3]); 7] = [
    ("political", "政治素养过硬", ["监管为民", "廉洁自律", "责任意识"]),
    ("professional", "专业功底扎实", ["法律法规", "业务流程", "行业知识"]),
    ("communication", "沟通共情力强", ["倾听", "说人话", "协调"]),
    ("independence", "独立性有保障", ["一视同仁", "不怕得罪人", "风险预判"]),
    ("experience", "实践经验丰富", ["一线监管", "企业服务", "危机处理"]),
    ("learning", "学习创新力足", ["政策更新", "方法创新", "总结复盘"]),
    ("confidentiality", "保密意识到位", ["商业秘密", "个人信息", "舆情"]),
];

#[test]
fn shipped_has_the_seven_dimensions_and_their_criteria_in_order() {
    let f = Framework::shipped();
    f.check_shape(7, 3).unwrap();
    for (d, (code, label, criteria)) in f.dimensions.iter().zip(EXPECTED) {
        assert_eq!((d.code.as_str(), d.label.as_str()), (code, label));
        let labels: Vec<&str> = d.criteria.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, criteria, "criteria of {label}");
    }
    assert!(!f.verified, "an example until the bureau adopts it");
    assert!(f.note.contains("示例") && f.source.contains("加喜财税"));
    assert_eq!(f.threshold, 3.5);
    assert_eq!(f.total_weight(), 46);
}

#[test]
fn shipped_gate_rules_are_the_issue_defaults() {
    let f = Framework::shipped();
    assert_eq!(f.gates, GateRules::default());
    assert_eq!(f.gates.frontline_years_min, 3.0);
    assert_eq!(f.gates.integrity_lookback_years, 3);
    assert!(f.gates.pledge_required && f.gates.declarations_required);
    let gates: Vec<&str> = f.criteria().filter(|(_, c)| c.gate).map(|(_, c)| c.code.as_str()).collect();
    assert_eq!(gates, ["integrity", "impartiality", "frontline", "trade_secrets", "personal_info"]);
}

#[test]
fn every_shipped_criterion_is_complete() {
    let f = Framework::shipped();
    for (_, c) in f.criteria() {
        assert!(c.weight > 0);
        for s in 1..=5u8 {
            let a = c.anchor(s).unwrap_or_else(|| panic!("{} lacks anchor {s}", c.code));
            assert!(a.chars().count() >= 12, "{} anchor {s} is too thin: {a}", c.code);
        }
        assert_eq!(c.anchor(0), None);
        assert_eq!(c.anchor(6), None);
        assert_ne!(c.anchor(1), c.anchor(5));
    }
    // Anchors are written from the seed's stories.
    let (_, listening) = f.criterion("listening").unwrap();
    assert!(listening.anchor(4).unwrap().contains("一分一分攒"));
    let (_, courage) = f.criterion("courage").unwrap();
    assert!(courage.anchor(4).unwrap().contains("生鲜抽检"));
    let (_, laws) = f.criterion("laws").unwrap();
    assert!(laws.anchor(1).unwrap().contains("全网最低价"));
}

#[test]
fn lookups_and_methods() {
    let f = Framework::shipped();
    let (d, c) = f.criterion("plain_speech").unwrap();
    assert_eq!((d.code.as_str(), c.label.as_str()), ("communication", "说人话"));
    assert!(f.criterion("nonexistent").is_none());
    assert_eq!(f.dimension("independence").unwrap().minimum, 3.5);
    let record: Vec<&str> =
        f.criteria_by_method(AssessmentMethod::RecordCheck).iter().map(|c| c.code.as_str()).collect();
    assert_eq!(record, ["integrity", "frontline"]);
    assert_eq!(f.criteria().count(), 21);
    for m in AssessmentMethod::ALL {
        assert_eq!(AssessmentMethod::parse(m.code()), Some(m));
        assert!(!m.label().is_empty());
    }
    assert_eq!(AssessmentMethod::parse("oral_exam"), None);
}

#[test]
fn canonical_toml_round_trips_and_fingerprint_ignores_layout() {
    let f = Framework::shipped();
    let text = f.to_toml();
    let again = Framework::from_toml(&text).unwrap();
    assert_eq!(again, f);
    assert_eq!(again.fingerprint(), f.fingerprint());
    assert_eq!(again.to_toml(), text, "canonical form is a fixed point");
    let fp = f.fingerprint();
    assert_eq!(fp.len(), 64);
    assert!(fp.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    // The shipped file has comments the canonical form drops; the fingerprint is of content only.
    assert_ne!(FRAMEWORK_TOML, text);
}

fn edited(change: impl FnOnce(&mut Framework)) -> Framework {
    let mut f = Framework::shipped();
    change(&mut f);
    f
}

#[test]
fn every_change_needs_a_new_version() {
    let old = Framework::shipped();
    let same_version = edited(|f| f.dimensions[0].criteria[0].weight = 4);
    assert_ne!(same_version.fingerprint(), old.fingerprint());
    assert_eq!(check_revision(&old, &same_version).unwrap_err().code, "version_unchanged");
    let new_version = edited(|f| {
        f.dimensions[0].criteria[0].weight = 4;
        f.version = "2026.2".into();
    });
    check_revision(&old, &new_version).unwrap();
    check_revision(&old, &old.clone()).unwrap();
    let broken = edited(|f| {
        f.version = "2026.3".into();
        f.dimensions[1].criteria[0].weight = 0;
    });
    assert_eq!(check_revision(&old, &broken).unwrap_err().code, "bad_weight");
}

#[test]
fn an_assessment_stays_pinned_to_its_version() {
    let f = Framework::shipped();
    let pin = f.pin();
    assert_eq!(pin.version, "2026.1");
    f.check_pin(&pin).unwrap();
    let silently_changed = edited(|f| f.threshold = 3.0);
    assert_eq!(silently_changed.check_pin(&pin).unwrap_err().code, "fingerprint_mismatch");
    let next = edited(|f| f.version = "2026.2".into());
    let err = next.check_pin(&pin).unwrap_err();
    assert_eq!(err.code, "version_mismatch");
    assert!(err.message.contains("2026.1") && err.message.contains("2026.2"));
}

#[test]
fn validation_refuses_broken_frameworks() {
    let cases: Vec<(Framework, &str)> = vec![
        (edited(|f| f.dimensions[2].criteria[1].code = "倾听".into()), "bad_code"),
        (edited(|f| f.dimensions[2].code = "Communication".into()), "bad_code"),
        (edited(|f| f.dimensions[3].criteria[2].code = "listening".into()), "duplicate_code"),
        (edited(|f| f.dimensions[6].code = "political".into()), "duplicate_code"),
        (edited(|f| f.dimensions[4].criteria[0].weight = 0), "bad_weight"),
        (edited(|f| f.dimensions[5].criteria[2].anchors.remove("4").map(drop).unwrap()), "missing_anchor"),
        (
            edited(|f| f.dimensions[5].criteria[2].anchors.insert("3".into(), "  ".into()).map(drop).unwrap()),
            "missing_anchor",
        ),
        (edited(|f| drop(f.dimensions[0].criteria[0].anchors.insert("6".into(), "超常".into()))), "bad_anchor"),
        (edited(|f| f.threshold = 5.5), "bad_threshold"),
        (edited(|f| f.gate_min_score = 0.0), "bad_gate_score"),
        (edited(|f| f.dimensions[1].minimum = 0.5), "bad_minimum"),
        (edited(|f| f.dimensions[1].criteria.clear()), "no_criteria"),
        (edited(|f| f.dimensions.clear()), "no_dimensions"),
        (edited(|f| f.gates.frontline_years_min = -1.0), "bad_gate_rule"),
        (edited(|f| f.gates.pledge_text_version = Some(" ".into())), "bad_gate_rule"),
        (edited(|f| f.dimensions[0].criteria[1].evidence = String::new()), "empty_field"),
        (edited(|f| f.version = String::new()), "empty_field"),
    ];
    for (f, code) in cases {
        let err = f.validate().unwrap_err();
        assert_eq!(err.code, code, "{}", err.message);
        assert!(!err.message.is_ascii(), "a Chinese message: {}", err.message);
    }
}

#[test]
fn an_edited_framework_may_change_its_shape() {
    let f = edited(|f| {
        f.version = "2027.1".into();
        f.dimensions.truncate(2);
        f.dimensions[1].criteria.pop();
        f.gates.frontline_years_min = 5.0;
        f.gates.pledge_text_version = Some("2027版".into());
    });
    f.validate().unwrap();
    let back = Framework::from_toml(&f.to_toml()).unwrap();
    assert_eq!(back.gates.pledge_text_version.as_deref(), Some("2027版"));
    assert_eq!(back.gates.frontline_years_min, 5.0);
    assert_eq!(f.check_shape(7, 3).unwrap_err().code, "bad_shape");
    assert_eq!(edited(|f| drop(f.dimensions[3].criteria.pop())).check_shape(7, 3).unwrap_err().code, "bad_shape");
}

#[test]
fn unknown_fields_and_bad_toml_are_refused() {
    let text = Framework::shipped().to_toml().replacen("threshold = ", "passing = 1\nthreshold = ", 1);
    assert_eq!(Framework::from_toml(&text).unwrap_err().code, "bad_toml");
    let text = Framework::shipped().to_toml().replacen("method = \"record_check\"", "method = \"oral\"", 1);
    assert_eq!(Framework::from_toml(&text).unwrap_err().code, "bad_toml");
    assert_eq!(Framework::from_toml("version = ").unwrap_err().code, "bad_toml");
}
