//! 保密资料交换 rules: what opening an exchange needs (matter, enterprise, named officers, a
//! destruction day), the two commitments (the enterprise's with each deposit, each officer's
//! 保密承诺 before any view), which files can be watermarked (JPEG, PNG, PDF), the neutral name a
//! file is shown under, and the watermarked rendering of a view (an SVG document holding the image,
//! whose pixels already carry the account and time burned in by `confidential_watermark`, with
//! the viewer's name, account and time tiled across it).

use crate::calendar::Date;
use crate::cases::attachments::{Dimensions, MediaType};
use crate::error::FieldError;
use crate::ids::Uscc;
use crate::xml::escape;

/// What an enterprise signs with each deposit.
pub const ENTERPRISE_COMMITMENT: &str = "本企业承诺：所提交的资料真实、完整，与所述事项一致，\
    仅供本次咨询使用；提交即视为同意监管部门指定的工作人员在约定期限内查阅，期满后销毁。";

/// What each named officer signs before viewing.
pub const OFFICER_COMMITMENT: &str = "本人承诺：对本事项中企业提交的保密资料（包括配方、客户名单等商业秘密）严格保密，\
    仅为本次咨询事项查阅，不复制、不拍摄、不转发、不向任何无关人员透露；查阅记录将告知企业；\
    违反承诺依法依纪承担责任。";

/// At most this many officers named on one exchange.
pub const MAX_OFFICERS: usize = 10;
/// The destruction day is at most this many days away.
pub const MAX_DAYS: i64 = 366;

/// An exchange as asked for, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeForm {
    pub matter: String,
    pub enterprise_uscc: Uscc,
    pub destroy_day: Date,
    /// Account names of the officers, deduplicated, in the order given.
    pub officers: Vec<String>,
}

impl ExchangeForm {
    /// Checks the fields as typed on `today`: the matter 2–60 characters, a valid 统一社会信用代码,
    /// a destruction day after today and within [`MAX_DAYS`], one to [`MAX_OFFICERS`] officers.
    pub fn parse(
        matter: &str,
        uscc: &str,
        destroy_day: &str,
        officers: &[String],
        today: Date,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let matter = matter.trim().to_owned();
        let n = matter.chars().count();
        if !(2..=60).contains(&n) || matter.chars().any(char::is_control) {
            errors.push(FieldError::new("matter", "bad_matter", "事项名称应为2至60个字符"));
        }
        let enterprise_uscc = Uscc::parse(uscc).map_err(|mut e| {
            e.field = "enterprise_uscc";
            e
        });
        let day = Date::parse(destroy_day.trim());
        match day {
            Some(d) if d > today && d.0 - today.0 <= MAX_DAYS => {}
            Some(_) => errors.push(FieldError::new(
                "destroy_day",
                "bad_destroy_day",
                format!("销毁日期应在今天之后、{MAX_DAYS}天以内"),
            )),
            None => errors.push(FieldError::new("destroy_day", "bad_date", "销毁日期格式应为 YYYY-MM-DD")),
        }
        let mut names: Vec<String> = Vec::new();
        for o in officers.iter().flat_map(|o| o.split([',', '，', ' ', '\n'])) {
            let o = o.trim();
            if !o.is_empty() && !names.iter().any(|x| x == o) {
                names.push(o.to_owned());
            }
        }
        if names.is_empty() || names.len() > MAX_OFFICERS {
            errors.push(FieldError::new(
                "officers",
                "bad_officers",
                format!("请指定1至{MAX_OFFICERS}名可查阅的工作人员（账户名）"),
            ));
        }
        match (enterprise_uscc, day) {
            (Ok(u), Some(d)) if errors.is_empty() => {
                Ok(ExchangeForm { matter, enterprise_uscc: u, destroy_day: d, officers: names })
            }
            (u, _) => {
                if let Err(e) = u {
                    errors.insert(0, e);
                }
                Err(errors)
            }
        }
    }
}

/// Whether a file of this type can be shown with a watermark burned into its pixels (and so may
/// be deposited): JPEG and PNG images, and PDFs, whose pages are drawn to pixels at each view
/// (`confidential_pdf`). GIF and WebP are refused with a way out.
pub fn accepted(media: MediaType) -> Result<(), FieldError> {
    if matches!(media, MediaType::Jpeg | MediaType::Png | MediaType::Pdf) {
        Ok(())
    } else {
        Err(FieldError::new(
            "files",
            "not_watermarkable",
            "只能提交 JPEG、PNG 图片或 PDF 文档：查阅时要把查阅人水印烧入画面。GIF、WebP 请另存为 PNG 后提交",
        ))
    }
}

/// The neutral name a file is shown and served under (never the name it was sent with).
pub fn neutral_name(seq: i64, media: MediaType) -> String {
    format!("保密资料-{seq}.{}", media.extension())
}

/// The watermark line of one view.
pub fn watermark_text(viewer_name: &str, username: &str, at_cst: &str) -> String {
    format!("{viewer_name}（{username}）{at_cst} 查阅 · 保密资料 仅限本事项")
}

/// An SVG document showing the image (`base64`, of `media`, `size` pixels) with `text` tiled
/// diagonally over all of it, half-transparent, in dark and light so it shows on any background.
pub fn watermarked_svg(media: MediaType, size: Dimensions, base64: &str, text: &str) -> String {
    let (w, h) = (size.width.max(1), size.height.max(1));
    let font = (w.max(h) / 40).clamp(12, 64);
    let step_x = font * 22;
    let step_y = font * 6;
    let text = escape(text);
    let mut marks = String::new();
    let diag = w.max(h) * 2;
    let mut y = 0;
    let mut row = 0;
    while y < diag {
        let mut x = if row % 2 == 0 { 0 } else { step_x / 2 };
        while x < diag {
            marks.push_str(&format!(
                "<text x=\"{x}\" y=\"{y}\" font-size=\"{font}\" fill=\"#000\" fill-opacity=\"0.28\" stroke=\"#fff\" \
                 stroke-opacity=\"0.35\" stroke-width=\"{sw}\">{text}</text>",
                sw = (font / 12).max(1)
            ));
            x += step_x;
        }
        y += step_y;
        row += 1;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\"><image width=\"{w}\" height=\"{h}\" href=\"data:{mime};base64,{base64}\"/>\
         <g font-family=\"sans-serif\" transform=\"translate({tx} {ty}) rotate(-30)\">{marks}</g></svg>",
        mime = media.mime(),
        tx = -(i64::from(w) / 2),
        ty = i64::from(h) / 3,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-18").unwrap()
    }

    #[test]
    fn an_exchange_needs_a_matter_a_valid_code_a_future_day_and_officers() {
        let ok = ExchangeForm::parse(
            "饮料配方标签审核",
            "91110000600037341L",
            "2026-12-18",
            &["officer.li, officer.li，li.wang".into()],
            today(),
        )
        .unwrap();
        assert_eq!(ok.officers, ["officer.li", "li.wang"]);
        let codes =
            |r: Result<ExchangeForm, Vec<FieldError>>| r.unwrap_err().iter().map(|e| e.code).collect::<Vec<_>>();
        assert_eq!(
            codes(ExchangeForm::parse("x", "91110000600037341L", "2026-12-18", &["a".into()], today())),
            ["bad_matter"]
        );
        assert_eq!(
            codes(ExchangeForm::parse("配方审核", "91110000600037341L", "2026-11-18", &[], today())),
            ["bad_destroy_day", "bad_officers"]
        );
        assert_eq!(
            codes(ExchangeForm::parse("配方审核", "91110000600037341L", "2028-01-01", &["a".into()], today())),
            ["bad_destroy_day"]
        );
        let bad_code = ExchangeForm::parse("配方审核", "911100006000373410", "2026-12-18", &["a".into()], today());
        assert_eq!(bad_code.unwrap_err()[0].field, "enterprise_uscc");
    }

    #[test]
    fn only_what_can_be_drawn_to_pixels_is_taken() {
        assert!(accepted(MediaType::Png).is_ok() && accepted(MediaType::Jpeg).is_ok());
        assert!(accepted(MediaType::Pdf).is_ok(), "pages are drawn to pixels");
        assert_eq!(accepted(MediaType::Webp).unwrap_err().code, "not_watermarkable");
        assert_eq!(accepted(MediaType::Gif).unwrap_err().code, "not_watermarkable", "no decoder to burn a GIF");
        assert_eq!(neutral_name(3, MediaType::Jpeg), "保密资料-3.jpg");
    }

    #[test]
    fn the_watermark_covers_the_image_and_escapes_the_name() {
        let svg = watermarked_svg(
            MediaType::Png,
            Dimensions { width: 800, height: 600 },
            "AAAA",
            &watermark_text("李<明>", "officer.li", "2026-11-18 10:00:00"),
        );
        assert!(svg.starts_with("<svg") && svg.contains("href=\"data:image/png;base64,AAAA\""));
        assert!(svg.contains("李&lt;明&gt;（officer.li）2026-11-18 10:00:00 查阅") && !svg.contains("李<明>"));
        assert!(svg.matches("<text ").count() >= 6, "tiled, not one line");
    }
}
