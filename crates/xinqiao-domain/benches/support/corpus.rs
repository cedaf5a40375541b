//! The labelled corpus of `data/pii-eval/`, shared by the benches that read it (`pii_eval`,
//! `name_train`): every `*.txt` file, by name, parsed into its style's texts.

use xinqiao_domain::privacy::eval::{LabelledText, parse_corpus};

/// Each style (the file's stem) with its texts, in file-name order.
pub fn styles() -> Vec<(String, Vec<LabelledText>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/pii-eval");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let style = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_owned();
            let content = std::fs::read_to_string(path).expect("a corpus file");
            let texts = parse_corpus(&style, &content).expect("well-formed markup");
            (style, texts)
        })
        .collect()
}
