//! An Atom 1.0 feed (RFC 4287) of an incident's published statements: feed id, title, updated,
//! link and author; each entry with id, title, updated, published and text content. Every text is
//! escaped and characters XML cannot carry are dropped.

use crate::time::civil_from_days;

pub struct Feed {
    /// A permanent IRI (`urn:uuid:…` or the page's address).
    pub id: String,
    pub title: String,
    /// The public page (absolute or root-relative).
    pub link: String,
    pub self_link: String,
    pub author: String,
    pub updated_ms: i64,
    pub entries: Vec<Entry>,
}

pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub published_ms: i64,
    pub updated_ms: i64,
    /// Plain text (line breaks kept).
    pub content: String,
}

/// RFC 3339 in UTC with seconds: `2026-11-16T02:00:00Z`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

pub use crate::xml::escape;

impl Feed {
    pub fn render(&self) -> String {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n",
        );
        x.push_str(&format!("  <id>{}</id>\n", escape(&self.id)));
        x.push_str(&format!("  <title type=\"text\">{}</title>\n", escape(&self.title)));
        x.push_str(&format!("  <updated>{}</updated>\n", rfc3339(self.updated_ms)));
        x.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&self.link)));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_link)
        ));
        x.push_str(&format!("  <author><name>{}</name></author>\n", escape(&self.author)));
        for e in &self.entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
            x.push_str(&format!("    <title type=\"text\">{}</title>\n", escape(&e.title)));
            x.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&e.link)));
            x.push_str(&format!("    <published>{}</published>\n", rfc3339(e.published_ms)));
            x.push_str(&format!("    <updated>{}</updated>\n", rfc3339(e.updated_ms)));
            x.push_str(&format!("    <content type=\"text\">{}</content>\n", escape(&e.content)));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_escaping() {
        // 2026-11-16 10:00 China time is 02:00 UTC.
        let ms = crate::calendar::Date::parse("2026-11-16").unwrap().start_ms() + 10 * 3_600_000;
        assert_eq!(rfc3339(ms), "2026-11-16T02:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(escape("a<b>&\"c'\u{1}\n"), "a&lt;b&gt;&amp;&quot;c&apos;\n");
        let feed = Feed {
            id: "urn:x".into(),
            title: "</title><script>".into(),
            link: "/s?a=1&b=2".into(),
            self_link: "/s/feed.atom".into(),
            author: "局".into(),
            updated_ms: ms,
            entries: vec![],
        };
        let xml = feed.render();
        assert!(xml.contains("<title type=\"text\">&lt;/title&gt;&lt;script&gt;</title>"));
        assert!(xml.contains("href=\"/s?a=1&amp;b=2\""));
        assert!(!xml.contains("<script>"));
    }
}
