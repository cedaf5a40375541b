//! Names of stored files: what is shown, and what a download is called.

use super::MediaType;

/// Longest display name of a download, in characters.
const MAX_NAME_CHARS: usize = 80;

/// A display name safe for a `Content-Disposition` header: last path component, without control,
/// bidi-override, zero-width or quoting characters, at most 80 characters, never empty.
pub fn safe_filename(name: &str) -> String {
    let name = clean_name(name);
    let (stem, ext) = split_extension(&name);
    join_name(stem, ext)
}

/// The name to serve a download under: the safe stem of the uploaded name with the extension of
/// the sniffed type, so `invoice.pdf.exe` stored as PNG is served as `invoice.pdf.png`.
pub fn download_name(original: &str, media: MediaType) -> String {
    let name = clean_name(original);
    join_name(split_extension(&name).0, Some(media.extension()))
}

fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base
        .chars()
        .filter(|&c| {
            !c.is_control()
                && !matches!(c, '"' | '\'' | '`' | '<' | '>' | ':' | '*' | '?' | '|' | ';')
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect();
    kept.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).trim().to_string()
}

fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && (1..=10).contains(&ext.len()) && ext.bytes().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

fn join_name(stem: &str, ext: Option<&str>) -> String {
    let room = MAX_NAME_CHARS - ext.map_or(0, |e| e.len() + 1);
    let stem = stem.char_indices().nth(room).map_or(stem, |(i, _)| &stem[..i]).trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { "附件" } else { stem };
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::attachments::MediaType;

    #[test]
    fn names_for_display_and_download() {
        assert_eq!(safe_filename("C:\\Users\\张三\\Desktop\\发票.pdf"), "发票.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("a\"b'c\r\n\u{202E}gpj.exe"), "abcgpj.exe");
        assert_eq!(safe_filename(".htaccess"), "htaccess");
        assert_eq!(safe_filename("  ...  "), "附件");
        assert_eq!(safe_filename("dir/"), "附件");
        let long = format!("{}.jpeg", "很".repeat(200));
        let safe = safe_filename(&long);
        assert_eq!(safe.chars().count(), 80);
        assert!(safe.ends_with("很.jpeg"));
        assert_eq!(download_name("invoice.pdf.exe", MediaType::Png), "invoice.pdf.png");
        assert_eq!(download_name("现场照片.JPEG", MediaType::Jpeg), "现场照片.jpg");
        assert_eq!(download_name("scan", MediaType::Pdf), "scan.pdf");
        assert_eq!(download_name("", MediaType::Gif), "附件.gif");
        assert_eq!(download_name("/tmp/x.y/", MediaType::Webp), "附件.webp");
        assert_eq!(download_name(&long, MediaType::Webp).chars().count(), 80);
    }
}
