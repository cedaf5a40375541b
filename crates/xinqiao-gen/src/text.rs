//! A narrative under construction: the text, its length in characters, and the personal-data
//! spans written into it (character offsets, end exclusive), plus small formatting helpers that
//! avoid `format!` in the hot loop.

/// The kinds of personal data the ground truth records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Name,
    Mobile,
    IdNumber,
    BankCard,
    Address,
    Plate,
    Email,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Name, Kind::Mobile, Kind::IdNumber, Kind::BankCard, Kind::Address, Kind::Plate, Kind::Email];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Mobile => "mobile",
            Kind::IdNumber => "id_number",
            Kind::BankCard => "bank_card",
            Kind::Address => "address",
            Kind::Plate => "plate",
            Kind::Email => "email",
        }
    }
}

/// One span: character offsets for the ground truth, byte offsets to slice the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Text with a running character count and its spans. Cleared and reused for every case.
#[derive(Debug, Default)]
pub struct Text {
    pub s: String,
    pub chars: usize,
    pub spans: Vec<Span>,
}

impl Text {
    pub fn clear(&mut self) {
        self.s.clear();
        self.chars = 0;
        self.spans.clear();
    }

    pub fn push_str(&mut self, s: &str) {
        self.s.push_str(s);
        self.chars += s.chars().count();
    }

    /// A literal whose character count is known.
    pub fn push_counted(&mut self, s: &str, chars: usize) {
        self.s.push_str(s);
        self.chars += chars;
    }

    pub fn push(&mut self, c: char) {
        self.s.push(c);
        self.chars += 1;
    }

    /// An ASCII digit, or its full-width form.
    pub fn digit(&mut self, d: u8, full_width: bool) {
        self.push(if full_width { char::from_u32(0xFF10 + u32::from(d - b'0')).unwrap_or('0') } else { d as char });
    }

    pub fn num(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let digits = num_bytes(n, &mut buf);
        self.chars += digits.len();
        self.s.push_str(std::str::from_utf8(digits).expect("ASCII digits"));
    }

    /// Writes whatever `f` writes as one span of `kind`.
    pub fn span(&mut self, kind: Kind, f: impl FnOnce(&mut Self)) {
        let (start, byte_start) = (self.chars, self.s.len());
        f(self);
        self.spans.push(Span { kind, start, end: self.chars, byte_start, byte_end: self.s.len() });
    }

    pub fn span_text(&self, span: &Span) -> &str {
        &self.s[span.byte_start..span.byte_end]
    }

    /// The spans as JSON lines: `{"case_id","kind","start","end","text"}`.
    pub fn write_spans(&self, out: &mut Vec<u8>, case_id: u64) {
        for span in &self.spans {
            out.extend_from_slice(b"{\"case_id\":");
            push_num(out, case_id);
            out.extend_from_slice(b",\"kind\":\"");
            out.extend_from_slice(span.kind.code().as_bytes());
            out.extend_from_slice(b"\",\"start\":");
            push_num(out, span.start as u64);
            out.extend_from_slice(b",\"end\":");
            push_num(out, span.end as u64);
            out.extend_from_slice(b",\"text\":");
            json_string(out, self.span_text(span));
            out.extend_from_slice(b"}\n");
        }
    }
}

/// The decimal digits of `n`, written at the end of `buf`.
pub fn num_bytes(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

pub fn push_num(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    out.extend_from_slice(num_bytes(n, &mut buf));
}

/// A CSV field: quoted only when it holds a comma, quote or line break.
pub fn csv_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// A JSON string literal (with its quotes).
pub fn json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let v = c as usize;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[v >> 4]);
                out.push(HEX[v & 15]);
            }
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    out.push(b'"');
}
