//! The import parsers on arbitrary bytes, for the cargo-fuzz targets `import_table` and
//! `import_cases` and a short run in the tests. The parsers read files, so each input is written
//! to a file of this thread's own in the temporary directory first; what must hold: no panic, and
//! every row accepted or reported by its line number.

use std::path::PathBuf;

/// A scratch file for this process and thread, with the extension the parser dispatches on.
fn scratch(data: &[u8], ext: &str) -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let path = std::env::temp_dir().join(format!("xinqiao-fuzz-{}-{thread}.{ext}", std::process::id()));
    std::fs::write(&path, data).expect("the temporary directory is writable");
    path
}

/// `xinqiao import targets|inspectors FILE` up to the check of the rows: the file read as CSV and
/// as XLSX, then every row checked as a target and as an inspector.
pub fn import_table(data: &[u8]) {
    for ext in ["csv", "xlsx"] {
        let path = scratch(data, ext);
        let table = crate::tables::read_table(&path, crate::import_file::Encoding::Auto);
        let _ = std::fs::remove_file(&path);
        if let Ok((header, rows)) = table {
            let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
            assert!(lines.iter().enumerate().all(|(i, &l)| l == i + 2), "rows are numbered from line 2");
            xinqiao_domain::fuzzing::directory(&header, rows);
        }
    }
}

/// `xinqiao import cases FILE.csv` up to the check of the rows (nothing is stored): every record
/// is a row or a message naming its line; the rows that parse are checked as a batch.
pub fn import_cases(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let opened = crate::case_rows::reader(text.as_bytes());
    let mut rows = Vec::new();
    if let Ok((mut reader, cols)) = opened {
        for (i, record) in reader.records().enumerate() {
            let Ok(record) = record else { break };
            if let Ok(row) = crate::case_rows::row(&cols, i + 2, &record) {
                assert_eq!(row.line, i + 2);
                rows.push(row);
            }
        }
    }
    for problem in xinqiao_web::cases::bulk::check(&rows) {
        assert!(rows.iter().any(|r| r.line == problem.line), "a problem names a line that was read");
        assert!(!problem.message.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use xinqiao_domain::fuzzing::mutations;

    fn seeds(target: &str) -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[test]
    fn directory_imports_survive_a_short_campaign() {
        let tokens: [&[u8]; 6] = [b",", b"\"", b"\n", b"\r\n", b"\xEF\xBB\xBF", "统一社会信用代码".as_bytes()];
        mutations(&seeds("import_table"), &tokens, 1_500, super::import_table);
    }

    #[test]
    fn case_imports_survive_a_short_campaign() {
        let tokens: [&[u8]; 6] = [b",", b"\"", b"\n", b"2026-02-29", b"-9223372036854775808", b"closed"];
        mutations(&seeds("import_cases"), &tokens, 1_500, super::import_cases);
    }
}
