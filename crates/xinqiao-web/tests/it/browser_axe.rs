//! In headless Chromium: axe-core (vendored, test-only, see `tests/vendor/axe-core/README.md`)
//! finds no serious or critical accessibility violation on the public pages and on every page in
//! the navigation of every role.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Actor;

/// Injected through WebDriver into the page under test; never served by the application.
const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// The serious and critical violations on the page shown: "rule: selector …" lines.
async fn violations(c: &Client) -> Result<Vec<String>, String> {
    let loaded = c.execute("return typeof axe !== 'undefined';", vec![]).await.map_err(e2s)?;
    if loaded != Value::Bool(true) {
        c.execute(&format!("{AXE}\nreturn true;"), vec![]).await.map_err(e2s)?;
    }
    let script = "var done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
          done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
            .map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(function (n) {
              return n.target.join(' '); }).join(' | '); }));
        }, function (e) { done(['axe failed: ' + e]); });";
    let found = c.execute_async(script, vec![]).await.map_err(e2s)?;
    Ok(found.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

async fn check(c: &Client, app: &TestApp, path: &str, out: &mut Vec<String>) -> Step {
    c.goto(&app.url(path)).await.map_err(e2s)?;
    c.find(Locator::Css("main")).await.map_err(e2s)?;
    for v in violations(c).await? {
        out.push(format!("{path}: {v}"));
    }
    Ok(())
}

/// The links of the signed-in person's navigation.
async fn nav_links(c: &Client) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for a in c.find_all(Locator::Css("#main-nav a")).await.map_err(e2s)? {
        if let Some(href) = a.attr("href").await.map_err(e2s)? {
            out.push(href);
        }
    }
    Ok(out)
}

async fn scenario(app: &TestApp, c: &Client, entry: &str, task: &str, case: &str) -> Result<Vec<String>, String> {
    // The check can fail: an image without a text alternative (critical) is reported.
    c.goto(&app.url("/")).await.map_err(e2s)?;
    c.execute(
        "var i = document.createElement('img'); i.src = '/favicon.svg'; document.querySelector('main').appendChild(i);",
        vec![],
    )
    .await
    .map_err(e2s)?;
    let planted = violations(c).await?;
    ensure(planted.iter().any(|v| v.starts_with("image-alt")), format!("axe runs: {planted:?}"))?;
    let mut found = Vec::new();
    for path in [
        "/",
        "/submit",
        "/track",
        "/qa",
        &format!("/qa/{entry}"),
        "/stats",
        "/draws",
        "/draws/results",
        "/draws/verify",
        &format!("/draws/{task}"),
        "/login",
        "/no/such/page",
    ] {
        check(c, app, path, &mut found).await?;
    }
    for user in ["officer.li", "supervisor.wang", "gym", "reviewer", "sys", "sec", "aud"] {
        sign_in(app, c, user, PASSWORD).await?;
        let mut pages = nav_links(c).await?;
        if user == "officer.li" {
            pages.push(format!("/cases/{case}"));
            pages.push("/qualification/apply".into());
        }
        if user == "supervisor.wang" {
            pages.push("/inspections/new".into());
        }
        for path in pages {
            check(c, app, &path, &mut found).await?;
        }
        c.goto(&app.url("/")).await.map_err(e2s)?;
        navigate(c, "#logout").await?;
    }
    Ok(found)
}

#[tokio::test]
async fn no_serious_accessibility_violation_on_any_page_of_any_role() {
    let app = TestApp::start_on(xinqiao_store::Backend::Sqlite, false).await.unwrap();
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("reviewer", &b.gusu, Role::Reviewer).await;
    app.user("gym", &[Role::Enterprise]).await;
    for (name, role) in [("sys", Role::SysAdmin), ("sec", Role::SecAdmin), ("aud", Role::AuditAdmin)] {
        app.user(name, &[role]).await;
    }
    crate::ux::seed_statistics(&app).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let mut entry = String::new();
    for e in app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1000).await.unwrap() {
        app.state
            .store
            .set_entry_status(
                &Actor::console(),
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await
            .unwrap();
        entry = e.id;
    }
    let task = crate::inspections::committed_task(&app).await;
    let case = crate::ux::complaint_in(&app, "320508").await;
    let Some((_driver, c)) = browser().await else { return };
    let result = scenario(&app, &c, &entry, &task, &case).await;
    let result = match result {
        Ok(found) => ensure(found.is_empty(), format!("{} violations:\n{}", found.len(), found.join("\n"))),
        Err(e) => Err(e),
    };
    finish("axe-every-role", c, result).await;
}
