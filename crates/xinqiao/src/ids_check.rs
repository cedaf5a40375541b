//! `xinqiao ids check`: the platform's validation of 统一社会信用代码 and 身份证号, line by line,
//! for probing the rules from outside (bench/ids-probe.py compares it with python-stdnum).

use anyhow::{Result, anyhow};
use std::io::{BufRead, Write};
use std::process::ExitCode;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::{IdNumber, Uscc};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// 统一社会信用代码
    Uscc,
    /// 身份证号
    Id,
}

/// One verdict as a JSON object: what was stored, or why the input was refused.
pub fn verdict(kind: IdKind, input: &str, today: Date) -> serde_json::Value {
    let parsed = match kind {
        IdKind::Uscc => Uscc::parse(input).map(|u| u.as_str().to_owned()),
        IdKind::Id => IdNumber::parse_on(input, today).map(|i| i.as_str().to_owned()),
    };
    match parsed {
        Ok(value) => serde_json::json!({"input": input, "ok": true, "value": value}),
        Err(e) => serde_json::json!({"input": input, "ok": false, "code": e.code, "message": e.message}),
    }
}

pub fn command(kind: IdKind, today: Option<&str>) -> Result<ExitCode> {
    let today = match today {
        Some(t) => Date::parse(t).ok_or_else(|| anyhow!("--today 应为 YYYY-MM-DD 格式的日期"))?,
        None => xinqiao_web::store::clock::Clock::system().today(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        writeln!(out, "{}", verdict(kind, &line, today))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_say_what_was_kept_or_why_not() {
        let today = Date::from_ymd(2026, 12, 7).unwrap();
        let ok = verdict(IdKind::Uscc, "9111 0000 6000 3734 1l", today);
        assert_eq!(ok["ok"], true);
        assert_eq!(ok["value"], "91110000600037341L");
        let bad = verdict(IdKind::Uscc, "91110000600037341M", today);
        assert_eq!(bad["code"], "bad_check_char");
        let first17 = "11010520261208002";
        let check = xinqiao_domain::ids::id_check_char(first17.as_bytes()) as char;
        let future = verdict(IdKind::Id, &format!("{first17}{check}"), today);
        assert_eq!(future["code"], "future_birth");
    }
}
