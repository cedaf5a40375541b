//! The modules of the web crate import each other without cycles: between top-level modules
//! (features and shared parts), and between the submodules of one feature. Read from the sources'
//! `crate::…` and `super::…` paths (a feature's `mod.rs` may use its submodules and they may use it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from `src/`: `["cases", "view"]`; `mod.rs` is its directory's module.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The first identifier of each item of a path that starts right after `crate::` or `super::`:
/// `view::deadline` → [view]; `{auth::Staff, pages}` → [auth, pages].
fn heads(rest: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let (mut depth, mut item, mut out) = (0, String::new(), Vec::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(ident(item.trim()));
                item.clear();
                continue;
            }
            _ => {}
        }
        if depth == 0 || c != '{' {
            item.push(c);
        }
    }
    out.push(ident(item.trim()));
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Every path a file names, as (`crate` or `super`, the heads after it), comments left out.
fn paths(text: &str) -> Vec<(&'static str, Vec<String>)> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    let mut found = Vec::new();
    for (start, prefix) in [("crate::", "crate"), ("super::", "super")] {
        let mut at = 0;
        while let Some(i) = code[at..].find(start) {
            let pos = at + i;
            let before = code[..pos].chars().next_back();
            at = pos + start.len();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            found.push((prefix, heads(&code[at..])));
        }
    }
    found
}

/// The edges between top-level modules, and between the submodules of each feature.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = Vec::new();
    files(src, &mut all);
    let submodules = |feature: &str| -> BTreeSet<String> {
        let mut subs = BTreeSet::new();
        if let Ok(rd) = std::fs::read_dir(src.join(feature)) {
            for e in rd {
                let name = e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_owned();
                if name != "mod" {
                    subs.insert(name);
                }
            }
        }
        subs
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in all {
        let module = module_of(file.strip_prefix(src).unwrap());
        let Some(top) = module.first().cloned() else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let sub = module.get(1).cloned();
        for (prefix, heads) in paths(&text) {
            for head in heads {
                // Where the path points: (top-level module, submodule in it).
                let (to_top, to_sub) = match (prefix, &sub) {
                    ("crate", _) => (head.clone(), None),
                    // From a feature's mod.rs, super is the crate.
                    ("super", None) => (head.clone(), None),
                    ("super", Some(_)) => (top.clone(), Some(head.clone())),
                    _ => unreachable!(),
                };
                if to_top != top {
                    if !to_top.is_empty() && src.join(format!("{to_top}.rs")).exists() || src.join(&to_top).is_dir() {
                        edges.entry(top.clone()).or_default().insert(to_top);
                    }
                } else if let (Some(from), Some(to)) = (&sub, to_sub)
                    && from != &to
                    && submodules(&top).contains(&to)
                {
                    edges.entry(format!("{top}::{from}")).or_default().insert(format!("{top}::{to}"));
                }
            }
        }
        // `crate::<own feature>::<sub>` paths (from inside the feature), each occurrence.
        if let Some(from) = &sub {
            let needle = format!("crate::{top}::");
            for rest in text.split(&needle).skip(1) {
                let to = heads_after(rest).unwrap_or_default();
                if &to != from && submodules(&top).contains(&to) {
                    edges.entry(format!("{top}::{from}")).or_default().insert(format!("{top}::{to}"));
                }
            }
        }
    }
    edges
}

fn heads_after(rest: &str) -> Option<String> {
    let s: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!s.is_empty()).then_some(s)
}

/// The cycles of a graph: its strongly connected components of more than one module.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let component: Vec<String> = nodes
            .iter()
            .filter(|m| reaches[*n].contains(**m) && reaches[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if component.len() > 1 && !out.contains(&component) {
            out.push(component);
        }
    }
    out
}

#[test]
fn the_modules_of_web_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = graph(&src);
    assert!(edges.get("cases").is_some_and(|e| e.contains("auth")), "the reader sees imports: {edges:?}");
    let staff = edges.get("cases::staff");
    assert!(staff.is_some_and(|e| e.contains("cases::view")), "and the submodules' imports: {edges:?}");
    let found = cycles(&edges);
    let shown: Vec<String> = found.iter().map(|c| c.join(" ↔ ")).collect();
    assert!(found.is_empty(), "module cycles:\n{}", shown.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    edges.entry("c".into()).or_default().insert("d".into());
    assert_eq!(cycles(&edges), vec![vec!["a".to_owned(), "b".into(), "c".into()]]);
    assert_eq!(heads("{auth::{Staff, X}, pages::render};"), ["auth", "pages"]);
    assert_eq!(heads("view::deadline(&state)"), ["view"]);
}
