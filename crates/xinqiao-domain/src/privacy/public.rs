//! Text already masked for staff (欧***, 139****5678, 苏E*****, z***@qq.com) made fit for public
//! output: every masked fragment is dropped whole ([已隐去]), so no part of it (a surname, the
//! first digits of a number) is shown. For texts whose spans were not kept; where they were,
//! `render_public` on the original is exact.

fn is_star(c: char) -> bool {
    matches!(c, '*' | '＊')
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn glued(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_star(c)
}

/// `text` with every run of mask stars, the letters and digits glued to it, the Han character
/// kept before it (a surname, a plate's province) and an e-mail domain after it, replaced by
/// [已隐去].
pub fn drop_masked_fragments(text: &str) -> String {
    // Every fragment starts at a star: a text without one is its own public form.
    if !text.contains(is_star) {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_star(chars[i]) {
            i += 1;
            continue;
        }
        let mut s = i;
        while s > 0 && glued(chars[s - 1]) {
            s -= 1;
        }
        let mut e = i;
        while e < chars.len() && (glued(chars[e]) || matches!(chars[e], '@' | '.' | '-' | '_')) {
            e += 1;
        }
        while e > i + 1 && matches!(chars[e - 1], '.' | '-' | '_') {
            e -= 1;
        }
        // A kept surname (欧***: stars alone) or a plate's province before its letter (苏E*****);
        // a card's stars (************1234) keep nothing before them.
        let prefix = &chars[s..i];
        let stars_only = chars[i..e].iter().all(|&c| is_star(c));
        let han_kept = prefix.is_empty() && stars_only || prefix.len() == 1 && prefix[0].is_ascii_uppercase();
        if han_kept && s > 0 && is_han(chars[s - 1]) {
            s -= 1;
        }
        match ranges.last_mut() {
            Some(last) if s <= last.1 => last.1 = e,
            _ => ranges.push((s, e)),
        }
        i = e.max(i + 1);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in ranges {
        out.extend(&chars[at..s]);
        out.push_str("[已隐去]");
        at = e;
    }
    out.extend(&chars[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::drop_masked_fragments as drop;

    #[test]
    fn no_part_of_a_masked_span_is_left() {
        assert_eq!(drop("投诉人欧***称，电话139****5678。"), "投诉人[已隐去]称，电话[已隐去]。");
        assert_eq!(drop("车牌苏E*****，邮箱z***@qq.com。"), "车牌[已隐去]，邮箱[已隐去]。");
        assert_eq!(drop("身份证320***********1234号"), "身份证[已隐去]号");
        assert_eq!(drop("卡号************1234"), "卡号[已隐去]");
    }

    #[test]
    fn text_without_stars_is_unchanged() {
        let t = "某经理说会员卡余额不退，[地址]，小某也在场。";
        assert_eq!(drop(t), t);
        assert_eq!(drop(""), "");
    }
}
