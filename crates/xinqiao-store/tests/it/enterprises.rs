//! Known enterprises looked up by name or code for the intake form, on both backends.

use crate::backend_test;
use xinqiao_store::audit::Actor;
use xinqiao_store::inspections::TargetRow;

fn target(uscc: &str, name: &str, industry: &str, status: &str) -> TargetRow {
    TargetRow {
        uscc: uscc.into(),
        name: name.into(),
        industry: industry.into(),
        region_code: "320508".into(),
        risk_class: "B".into(),
        status: status.into(),
    }
}

backend_test!(known_enterprises_by_name_or_code, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.import_targets(
        &a,
        &[
            target("91320508AAAAAAAAA1", "姑苏示例健身管理有限公司", "R", "active"),
            target("91320508AAAAAAAAA2", "姑苏100%餐馆", "H", "active"),
            target("91320508AAAAAAAAA3", "姑苏旧健身房", "R", "inactive"),
        ],
    )
    .await
    .unwrap();
    s.join_odr(&a, "91320508BBBBBBBBB1", "姑苏示例超市有限公司").await.unwrap();
    s.join_odr(&a, "91320508AAAAAAAAA1", "姑苏示例健身管理有限公司").await.unwrap();

    let names = |v: Vec<xinqiao_store::enterprises::KnownEnterprise>| v.into_iter().map(|e| e.name).collect::<Vec<_>>();
    let gym = s.known_enterprises("健身", 10).await.unwrap();
    assert_eq!(gym.len(), 1, "inactive ones are out, and one in both lists is listed once");
    assert_eq!(gym[0].industry.as_deref(), Some("R"));
    assert_eq!(
        names(s.known_enterprises("示例", 10).await.unwrap()),
        ["姑苏示例健身管理有限公司", "姑苏示例超市有限公司"]
    );
    assert_eq!(names(s.known_enterprises("示例", 1).await.unwrap()).len(), 1, "the limit holds");
    let by_code = s.known_enterprises("91320508bbb", 10).await.unwrap();
    assert_eq!(names(by_code.clone()), ["姑苏示例超市有限公司"], "a code prefix, in any case");
    assert_eq!(by_code[0].industry, None, "the ODR list does not say the industry");
    assert_eq!(names(s.known_enterprises("100%", 10).await.unwrap()), ["姑苏100%餐馆"]);
    assert!(s.known_enterprises("_", 10).await.unwrap().is_empty(), "a typed _ is no wildcard");
    assert!(s.known_enterprises("姑苏%餐馆", 10).await.unwrap().is_empty(), "nor a typed %");
    assert!(s.known_enterprises("  ", 10).await.unwrap().is_empty());
    let exact = s.known_enterprise("91320508aaaaaaaaa1").await.unwrap().unwrap();
    assert_eq!(exact.name, "姑苏示例健身管理有限公司");
    assert!(s.known_enterprise("91320508AAAAAAAAA3").await.unwrap().is_none(), "an inactive entry is not known");
});
