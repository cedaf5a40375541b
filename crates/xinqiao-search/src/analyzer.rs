//! The text analyzer shared by indexing, querying and highlighting: jieba (the process's one
//! instance, `xinqiao_domain::privacy::shared_jieba`, built-in dictionary, HMM off so that segmentation depends on the dictionary only and query and document
//! are cut alike), then filters:
//!
//! - tokens overlapping a masked span are dropped: a run of `*` with the ASCII letters, digits and
//!   e-mail characters around it (`138****5678`, `110***********12`, `a***@qq.com`), the one Chinese
//!   character right before a run of `*` (a masked name, `张**`), and the placeholders of
//!   `xinqiao_domain::privacy::mask_spans` (`[地址]`, `[QQ/微信号]`, `[电子邮箱]`). The visible part of
//!   masked personal data is therefore never searchable;
//! - tokens with seven or more ASCII digits are dropped (belt and braces: a phone, ID or card number
//!   that escaped masking is still not searchable);
//! - tokens without a letter or digit (punctuation, spaces) are dropped;
//! - token text is normalised: full-width ASCII to ASCII, then lower case.
//!
//! Positions are jieba's, in characters, so phrase queries use character offsets.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use xinqiao_domain::privacy::shared_jieba;

/// The name the analyzer is registered under in both indexes.
pub(crate) const ANALYZER: &str = "xq_jieba";

/// Placeholders the domain's masking writes instead of personal data.
const PLACEHOLDERS: [&str; 3] = ["[地址]", "[QQ/微信号]", "[电子邮箱]"];

/// jieba plus Xinqiao's filters. `search_mode` also emits the dictionary words inside long words
/// (营业执照 → 营业, 执照, 营业执照); documents are indexed that way.
#[derive(Clone)]
pub(crate) struct XqTokenizer {
    mode: jieba_rs::TokenizeMode,
}

impl XqTokenizer {
    pub(crate) fn new(search_mode: bool) -> Self {
        let mode = if search_mode { jieba_rs::TokenizeMode::Search } else { jieba_rs::TokenizeMode::Default };
        Self { mode }
    }

    /// The filtered tokens of `text`. jieba reads the text with full-width letters and digits made
    /// half-width (character for character, so its character positions hold for `text`); byte
    /// offsets are then those of `text`.
    pub(crate) fn tokens(&mut self, text: &str) -> Vec<Token> {
        let masked = masked_spans(text);
        let narrow: String = text.chars().map(narrow).collect();
        let byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let mut out = Vec::new();
        // Positions in characters, HMM off (as the module says).
        for token in shared_jieba().tokenize(&narrow, self.mode, false) {
            let (Some(&from), Some(&to)) = (byte_at.get(token.start), byte_at.get(token.end)) else {
                continue;
            };
            if masked.iter().any(|m| m.start < to && from < m.end) {
                continue;
            }
            if !token.word.chars().any(char::is_alphanumeric) {
                continue;
            }
            if token.word.chars().filter(char::is_ascii_digit).count() >= 7 {
                continue;
            }
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position: token.start,
                position_length: token.end - token.start,
                text: token.word.to_lowercase(),
            });
        }
        out
    }
}

impl Tokenizer for XqTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: self.tokens(text), next: 0, empty: Token::default() }
    }
}

/// Tokens computed up front.
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    /// One past the current token.
    next: usize,
    /// Returned by `token()` before the first `advance()`.
    empty: Token,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next.checked_sub(1).and_then(|i| self.tokens.get(i)).unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

/// Full-width ASCII to ASCII, ideographic space to space.
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Full-width ASCII to ASCII, ideographic space to space, then lower case.
pub(crate) fn normalise(text: &str) -> String {
    text.chars().map(narrow).flat_map(char::to_lowercase).collect()
}

fn is_mask(c: char) -> bool {
    matches!(c, '*' | '＊')
}

/// Characters that belong to masked personal data when they touch a run of `*`.
fn is_mask_neighbour(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+')
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Byte ranges of masked personal data in `text` (see the module documentation).
pub(crate) fn masked_spans(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_mask(chars[i].1) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && (is_mask(chars[end].1) || is_mask_neighbour(chars[end].1)) {
            end += 1;
        }
        let mut start = i;
        while start > 0 && is_mask_neighbour(chars[start - 1].1) {
            start -= 1;
        }
        if start == i && start > 0 && is_han(chars[start - 1].1) {
            start -= 1;
        }
        spans.push(byte_at(start)..byte_at(end));
        i = end;
    }
    for placeholder in PLACEHOLDERS {
        spans.extend(text.match_indices(placeholder).map(|(at, p)| at..at + p.len()));
    }
    spans
}

/// Words that carry no meaning in a question (的, 怎么, 可以 …): dropped from queries, kept in the
/// index so that phrases stay intact.
pub(crate) fn is_stop_word(word: &str) -> bool {
    const STOP: &str = concat!(
        "的 了 吗 呢 啊 吧 呀 嘛 是 在 和 与 及 或 或者 我 你 您 他 她 ",
        "它 我们 你们 他们 这 那 这个 那个 这些 那些 就 都 也 还 又 被 把 ",
        "给 对 从 向 让 有 没有 有没有 是否 是不是 怎么 怎么办 怎样 如何 ",
        "什么 哪些 哪里 哪个 为什么 为何 多少 几 可以 可不可以 能 能否 能不能 ",
        "不能 会 会不会 要 需要 应该 请问 请 一下 一个 个 该 么 之 其 所 ",
        "等 ",
        // everyday and spoken fillers
        "啥 咋 咋办 咋整 咋弄 咋样 怎么整 怎么弄 干啥 干嘛 为啥 啥样 些啥 哈 哇 哦 嘞 呗 咯 喔 噢 嗯 ",
        "着 过 得 地 想 想要 做 点 些 一些 有些 说 去 来 打 带 用 弄 搞 看 现在 已经 还是 到底 ",
        "真的 明明 这样 那样 这种 那种 这么 那么 就是 一下子 一点 一点儿 什么样 行不行 行吗 行不 ",
        "好不好 对不对 算不算 能够 可否 何 有何 咱 咱们 俺 俺们 那边 这边 时 时候 的话 之后 以后 ",
        "然后 所以 因为 但是 可是 不过 而且 还有 另外 比如 结果 非要 非得 一直 总是 老是 突然 ",
        "马上 刚 刚刚 才 再 更 很 太 挺 特别 非常 最近 听说 觉得 知道 谁 哪 哪儿 那儿 这儿 呢 ",
    );
    STOP.split_whitespace().any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        XqTokenizer::new(true).tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn masked_phone_leaves_no_token() {
        let w = words("联系电话138****5678，张**投诉直播间");
        assert!(w.contains(&"联系电话".to_string()), "{w:?}");
        assert!(w.contains(&"投诉".to_string()), "{w:?}");
        for gone in ["138", "5678", "张", "*"] {
            assert!(!w.contains(&gone.to_string()), "{gone} in {w:?}");
        }
    }

    #[test]
    fn placeholders_email_and_id_are_not_indexed() {
        let w = words("住在[地址]，邮箱a***@qq.com，身份证110***********12，加[QQ/微信号]");
        for gone in ["地址", "qq", "com", "110", "12", "微信"] {
            assert!(!w.contains(&gone.to_string()), "{gone} in {w:?}");
        }
        assert!(w.contains(&"邮箱".to_string()), "{w:?}");
    }

    #[test]
    fn long_numbers_are_dropped_and_text_normalised() {
        let w = words("电话13812345678，ＡＰＰＬＥ iPhone15，金额 3999 元");
        assert!(!w.iter().any(|t| t.contains("13812345678")), "{w:?}");
        assert!(w.contains(&"apple".to_string()), "{w:?}");
        assert!(w.contains(&"iphone15".to_string()), "{w:?}");
        assert!(w.contains(&"3999".to_string()), "{w:?}");
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in ["", "*", "**张", "张*", "[地址", "]", "\u{0}", "😀*😀", "a*", "*a", "＊＊＊"] {
            let _ = words(text);
        }
    }
}
