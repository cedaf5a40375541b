//! The directories, draw tasks, rotation and results of 双随机、一公开, on both backends.

use crate::backend_test;
use xinqiao_store::StoreError;
use xinqiao_store::audit::Actor;
use xinqiao_store::inspections::{InspectorRow, TargetRow, region_prefix};

fn target(uscc: &str, name: &str, industry: &str, region: &str) -> TargetRow {
    TargetRow {
        uscc: uscc.into(),
        name: name.into(),
        industry: industry.into(),
        region_code: region.into(),
        risk_class: "B".into(),
        status: "active".into(),
    }
}

fn inspector(cert: &str) -> InspectorRow {
    InspectorRow {
        cert_no: cert.into(),
        name: format!("检查员{cert}"),
        unit: "姑苏区市场监督管理局".into(),
        fields: "食品".into(),
        status: "active".into(),
        user_id: None,
    }
}

#[test]
fn region_prefixes() {
    assert_eq!(region_prefix("320000"), "32");
    assert_eq!(region_prefix("320500"), "3205");
    assert_eq!(region_prefix("320508"), "320508");
}

backend_test!(directories_scope_and_rotation, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.import_targets(
        &a,
        &[
            target("91320508AAAAAAAAA1", "姑苏餐馆", "H", "320508"),
            target("91320506AAAAAAAAA2", "吴中餐馆", "H", "320506"),
            target("91320508AAAAAAAAA3", "姑苏超市", "F", "320508"),
            target("91310000AAAAAAAAA4", "上海餐馆", "H", "310101"),
        ],
    )
    .await
    .unwrap();
    // Importing again replaces by key.
    let mut closed = target("91320508AAAAAAAAA3", "姑苏超市", "F", "320508");
    closed.status = "inactive".into();
    s.import_targets(&a, &[closed]).await.unwrap();
    assert_eq!(s.directory_counts().await.unwrap().0, 4);
    let in_city: Vec<String> =
        s.targets_in_scope(&[], &["320500".into()]).await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(in_city, vec!["吴中餐馆", "姑苏餐馆"], "the city covers its districts; inactive ones are out");
    let catering = s.targets_in_scope(&["H".into()], &[]).await.unwrap();
    assert_eq!(catering.len(), 3);

    s.import_inspectors(&a, &[inspector("JZ002"), inspector("JZ001"), inspector("JZ003")]).await.unwrap();
    let staff: Vec<String> = s.active_inspectors().await.unwrap().into_iter().map(|i| i.cert_no).collect();
    assert_eq!(staff, vec!["JZ001", "JZ002", "JZ003"]);

    // Two drawn tasks: rotation looks at each enterprise's most recent draw only.
    s.commit_draw_task(&a, "t1", "第一次", "{}", "c1").await.unwrap();
    s.record_draw(&a, "t1", "{\"drawn\":1}", &[("91320508AAAAAAAAA1".into(), vec!["JZ001".into(), "JZ002".into()])])
        .await
        .unwrap();
    assert!(matches!(s.record_draw(&a, "t1", "{}", &[]).await, Err(StoreError::Conflict(_))), "drawn once");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    s.commit_draw_task(&a, "t2", "第二次", "{}", "c2").await.unwrap();
    s.record_draw(
        &a,
        "t2",
        "{}",
        &[
            ("91320508AAAAAAAAA1".into(), vec!["JZ003".into(), "JZ002".into()]),
            ("91320506AAAAAAAAA2".into(), vec!["JZ001".into(), "JZ003".into()]),
        ],
    )
    .await
    .unwrap();
    let previous = s.previous_teams().await.unwrap();
    assert_eq!(
        previous,
        vec![
            ("91320506AAAAAAAAA2".to_owned(), vec!["JZ001".to_owned(), "JZ003".to_owned()]),
            ("91320508AAAAAAAAA1".to_owned(), vec!["JZ002".to_owned(), "JZ003".to_owned()]),
        ]
    );
    assert_eq!(s.team_of("t2", "91320508AAAAAAAAA1").await.unwrap(), vec!["JZ002", "JZ003"]);
    let (row, doc) = s.draw_task("t1").await.unwrap();
    assert_eq!((row.status.as_str(), doc.as_str()), ("drawn", "{\"drawn\":1}"));
    assert_eq!(s.draw_tasks().await.unwrap().len(), 2);
});

backend_test!(results_are_corrected_until_published_and_searchable_after, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.commit_draw_task(&a, "t1", "抽查", "{}", "c1").await.unwrap();
    s.record_result(&a, "t1", "91320508AAAAAAAAA1", "姑苏餐馆", "no_problem", "", 20_800).await.unwrap();
    s.record_result(&a, "t1", "91320508AAAAAAAAA1", "姑苏餐馆", "corrected", "已责令改正", 20_800).await.unwrap();
    assert!(s.search_results("姑苏", 10).await.unwrap().is_empty(), "not public before publication");
    assert_eq!(s.task_results("t1", false).await.unwrap()[0].category, "corrected");
    assert_eq!(s.publish_results(&a, "t1").await.unwrap(), 1);
    let found = s.search_results("姑苏", 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].published_at.is_some());
    assert_eq!(s.search_results("91320508", 10).await.unwrap().len(), 1);
    assert!(s.search_results("吴中", 10).await.unwrap().is_empty());
    assert!(matches!(
        s.record_result(&a, "t1", "91320508AAAAAAAAA1", "姑苏餐馆", "no_problem", "", 20_800).await,
        Err(StoreError::Conflict(_))
    ));
});

backend_test!(result_counts_are_read_for_a_bureau_tree_by_the_targets_region, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.import_targets(
        &a,
        &[
            target("91320508AAAAAAAAA1", "姑苏餐馆", "H", "320508"),
            target("91320506AAAAAAAAA2", "吴中餐馆", "H", "320506"),
            target("91110105AAAAAAAAA3", "朝阳餐馆", "H", "110105"),
        ],
    )
    .await
    .unwrap();
    s.commit_draw_task(&a, "t1", "抽查", "{}", "c1").await.unwrap();
    s.record_result(&a, "t1", "91320508AAAAAAAAA1", "姑苏餐馆", "no_problem", "", 20_800).await.unwrap();
    s.record_result(&a, "t1", "91320506AAAAAAAAA2", "吴中餐馆", "corrected", "已责令改正", 20_800).await.unwrap();
    s.record_result(&a, "t1", "91110105AAAAAAAAA3", "朝阳餐馆", "corrected", "已责令改正", 20_800).await.unwrap();
    let (from, to) = (0, i64::MAX);
    let all = s.inspection_result_counts(from, to, None).await.unwrap();
    assert_eq!(all, vec![("corrected".to_owned(), 2), ("no_problem".to_owned(), 1)]);
    let suzhou = ["320500".to_owned(), "320508".to_owned(), "320506".to_owned()];
    let tree = s.inspection_result_counts(from, to, Some(&suzhou)).await.unwrap();
    assert_eq!(tree, vec![("corrected".to_owned(), 1), ("no_problem".to_owned(), 1)], "not 朝阳's result");
    let gusu = s.inspection_result_counts(from, to, Some(&["320508".to_owned()])).await.unwrap();
    assert_eq!(gusu, vec![("no_problem".to_owned(), 1)]);
    assert!(s.inspection_result_counts(from, to, Some(&[])).await.unwrap().is_empty(), "an empty tree holds none");
    assert!(s.inspection_result_counts(0, 1, None).await.unwrap().is_empty(), "outside the window");
});
