//! `cargo bench -p xinqiao-domain --bench pii_eval`: the detector on the hand-labelled corpus of
//! `data/pii-eval/` (recall and precision by kind, must-keep damage), tuning and held-out parts
//! reported apart. `XQ_PII_EVAL_MISSES=1` prints what the tuning part missed (never the held-out
//! part's). With `XQ_PII_PUBLIC=FILE` (a character-per-line CoNLL file with PER tags, such as
//! the Weibo NER test set; not kept in the repository) it also scores person names on it.
//! `XQ_PII_TRY=FILE` only masks each line of FILE and prints it (for trying sentences by hand;
//! `XQ_PII_TRY_WORDS=1` also prints jieba's words and tags, `XQ_PII_TRY_CANDS=1` the name model's
//! candidates with their surname prior, given-name likelihood, segmentation and context scores).
//! `XQ_PII_FRESH=style,style` also reports those styles' tuning and held-out parts on their own
//! (the newest files, to measure a pass on text written before it).
//! `XQ_PII_JIEBA_NR=1` (with `XQ_PII_PUBLIC`) also scores jieba's `nr` words alone on the public file,
//! by length and by whether the dictionary lists the word or jieba's model guessed it; on the corpus
//! it counts how many names the detector misses in the tuning part jieba tags `nr`.
//! `XQ_PII_NAMES=hand` decides the name model's candidates by the hand-set score instead of the
//! learned one; `XQ_PII_NAME_T=LOGIT` moves the learned threshold.

use std::time::Instant;
use xinqiao_domain::privacy::eval::Report;
use xinqiao_domain::privacy::{Detector, NameScoring};

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/why.rs"]
mod why;

fn main() {
    // `XQ_PII_NAMES=hand` measures the hand-set name score instead of the learned one;
    // `XQ_PII_NAME_T=LOGIT` moves the learned threshold.
    let mode = match std::env::var("XQ_PII_NAMES").as_deref() {
        Ok("hand") => NameScoring::Hand,
        Ok("learned") => NameScoring::Learned,
        Ok("either") => NameScoring::Either,
        _ => Detector::new().name_scoring(),
    };
    let threshold = std::env::var("XQ_PII_NAME_T").ok().and_then(|t| t.parse().ok());
    let detector = Detector::new().with_name_scoring(mode, threshold);
    if let Ok(path) = std::env::var("XQ_PII_TRY") {
        let content = std::fs::read_to_string(path).expect("the file to try");
        for line in content.lines().map(|l| l.replace("\\n", "\n")) {
            let spans = detector.detect(&line);
            let shown: Vec<String> = spans.iter().map(|s| format!("{:?}:{}", s.kind, s.text)).collect();
            println!("{line}\n    {}\n    {shown:?}", xinqiao_domain::privacy::mask_spans(&line, &spans));
            if std::env::var("XQ_PII_TRY_CANDS").is_ok() {
                // The name model's candidates: surname prior, given-name likelihood, segmentation, context.
                let chars: Vec<char> = line.chars().collect();
                for c in detector.name_candidates(&line, &[]) {
                    let f = &c.features;
                    let text: String = chars[c.start..c.end].iter().collect();
                    println!("    cand {text}: sur {:.1} given {:.1} seg {:.1} ctx {:.1}", f[1], f[2], f[5], f[6]);
                }
            }
            if std::env::var("XQ_PII_TRY_WORDS").is_ok() {
                let words: Vec<String> =
                    detector.jieba().tag(&line, true).iter().map(|t| format!("{}/{}", t.word, t.tag)).collect();
                println!("    {}", words.join(" "));
            }
        }
        return;
    }
    let (mut tuning, mut held_out) = (Report::default(), Report::default());
    let mut by_style = Vec::new();
    let fresh_styles: Vec<String> =
        std::env::var("XQ_PII_FRESH").map(|v| v.split(',').map(|s| s.trim().to_owned()).collect()).unwrap_or_default();
    let (mut fresh_tuning, mut fresh_held_out) = (Report::default(), Report::default());
    let show = std::env::var("XQ_PII_EVAL_MISSES").is_ok();
    let t0 = Instant::now();
    let mut bytes = 0;
    for (style, texts) in corpus::styles() {
        let mut mine = Report::default();
        for t in &texts {
            bytes += t.text.len();
            let known = t.enterprises();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let got = detector.detect_for(&t.text, &known);
            mine.add(t, &got, false);
            if fresh_styles.contains(&style) {
                if t.held_out() {
                    fresh_held_out.add(t, &got, false);
                } else {
                    fresh_tuning.add(t, &got, false);
                }
            }
            if t.held_out() {
                held_out.add(t, &got, false);
            } else {
                tuning.add(t, &got, show);
            }
        }
        by_style.push((style, mine));
    }
    let secs = t0.elapsed().as_secs_f64();
    for m in &tuning.misses {
        println!("{m}");
    }
    if std::env::var("XQ_PII_JIEBA_NR").is_ok() {
        missed_nr(&detector);
    }
    if std::env::var("XQ_PII_WHY").is_ok() {
        missed_why(&detector);
    }
    for (style, r) in &by_style {
        println!(
            "{style:10} {:4} texts: identifiers {:.3}, names {:.3}, addresses {:.3}, precision {:.3}",
            r.texts,
            r.recall(xinqiao_domain::privacy::eval::is_identifier),
            r.recall(|k| k == xinqiao_domain::privacy::PiiKind::Name),
            r.recall(|k| k == xinqiao_domain::privacy::PiiKind::Address),
            r.precision()
        );
    }
    println!("{}", tuning.render("tuning"));
    println!("{}", held_out.render("held_out"));
    if !fresh_styles.is_empty() {
        println!("{}", fresh_tuning.render("fresh_tuning"));
        println!("{}", fresh_held_out.render("fresh_held_out"));
    }
    println!("corpus: {bytes} bytes in {secs:.3} s");
    if let Ok(path) = std::env::var("XQ_PII_PUBLIC") {
        public(&detector, &path);
    }
}

/// Person names in a CoNLL file (one character and its tag a line, blank line between
/// sentences; B-PER…/I-PER… or B-PER.NAM…): recall and precision of Name spans.
fn public(detector: &Detector, path: &str) {
    let content = std::fs::read_to_string(path).expect("the public corpus file");
    let (mut truth, mut found, mut detected, mut correct, mut sentences, mut masked) = (0, 0, 0, 0, 0, 0);
    let mut chars = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut tally = NrTally::default();
    let mut why = std::env::var("XQ_PII_WHY").is_ok().then(why::Why::new);
    let mut flush = |chars: &mut String, spans: &mut Vec<(usize, usize)>| {
        if chars.is_empty() {
            return;
        }
        sentences += 1;
        let all = detector.detect(chars);
        // A name masked as an @mention (ImId) is masked all the same: recall counts any span.
        masked += spans.iter().filter(|t| all.iter().any(|g| g.start < t.1 && t.0 < g.end)).count();
        let got: Vec<_> = all.into_iter().filter(|s| s.kind == xinqiao_domain::privacy::PiiKind::Name).collect();
        if std::env::var("XQ_PII_PUBLIC_MISSES").is_ok() {
            let cs: Vec<char> = chars.chars().collect();
            let show = |s: usize, e: usize| cs[s..e].iter().collect::<String>();
            let missed: Vec<String> = spans
                .iter()
                .filter(|t| !got.iter().any(|g| g.start < t.1 && t.0 < g.end))
                .map(|t| show(t.0, t.1))
                .collect();
            let wrong: Vec<String> = got
                .iter()
                .filter(|g| !spans.iter().any(|t| g.start < t.1 && t.0 < g.end))
                .map(|g| g.text.clone())
                .collect();
            if !missed.is_empty() || !wrong.is_empty() {
                println!("{chars}\n    missed {missed:?} wrong {wrong:?}");
            }
        }
        if std::env::var("XQ_PII_JIEBA_NR").is_ok() {
            nr_tally(detector, chars, spans, &mut tally);
        }
        if let Some(why) = &mut why {
            for t in spans.iter().filter(|t| !got.iter().any(|g| g.start < t.1 && t.0 < g.end)) {
                let name: String = chars.chars().skip(t.0).take(t.1 - t.0).collect();
                println!("why {name}: {}", why.missed(detector, chars, t.0, t.1));
            }
        }
        truth += spans.len();
        found += spans.iter().filter(|t| got.iter().any(|g| g.start < t.1 && t.0 < g.end)).count();
        detected += got.len();
        correct += got.iter().filter(|g| spans.iter().any(|t| g.start < t.1 && t.0 < g.end)).count();
        chars.clear();
        spans.clear();
    };
    let mut n = 0;
    for line in content.lines() {
        let mut parts = line.split_whitespace();
        let (Some(ch), Some(tag)) = (parts.next(), parts.last()) else {
            flush(&mut chars, &mut spans);
            n = 0;
            continue;
        };
        let c = ch.chars().next().unwrap_or(' ');
        chars.push(c);
        let person = tag.contains("PER") && !tag.contains("NOM");
        if person && tag.starts_with('B') {
            spans.push((n, n + 1));
        } else if person
            && tag.starts_with(['I', 'M', 'E'])
            && let Some(last) = spans.last_mut()
        {
            last.1 = n + 1;
        }
        n += 1;
    }
    flush(&mut chars, &mut spans);
    if let Some(why) = &why {
        print_why(why);
    }
    let r = |a: usize, b: usize| if b == 0 { f64::NAN } else { a as f64 / b as f64 };
    if std::env::var("XQ_PII_JIEBA_NR").is_ok() {
        for (k, (n, right)) in tally.words.iter().enumerate() {
            let (len, guessed) = (k / 2 + 2, k % 2 == 1);
            println!(
                "jieba nr, {len} chars, {}: {n} words, precision {:.3}",
                if guessed { "model's guess" } else { "dictionary" },
                r(*right, *n)
            );
        }
        println!(
            "jieba nr words cover exactly {} of {} names (recall {:.3})",
            tally.exact,
            truth,
            r(tally.exact, truth)
        );
    }
    println!(
        "RESULT label=public sentences={sentences} names={truth} name_recall={:.4} masked_recall={:.4} name_precision={:.4}",
        r(found, truth),
        r(masked, truth),
        r(correct, detected)
    );
}

/// jieba's `nr` words on a public file: (words, right) by length 2–4 and dictionary or guess.
#[derive(Default)]
struct NrTally {
    words: [(usize, usize); 6],
    exact: usize,
}

fn nr_words(detector: &Detector, text: &str) -> Vec<(usize, usize, bool)> {
    let jieba = detector.jieba();
    let mut at = 0;
    let mut out = Vec::new();
    for t in jieba.tag(text, true) {
        let n = t.word.chars().count();
        if t.tag.starts_with("nr") && (2..=4).contains(&n) {
            out.push((at, at + n, !jieba.has_word(t.word)));
        }
        at += n;
    }
    out
}

fn nr_tally(detector: &Detector, text: &str, spans: &[(usize, usize)], tally: &mut NrTally) {
    for (s, e, guessed) in nr_words(detector, text) {
        let k = (e - s - 2) * 2 + usize::from(guessed);
        tally.words[k].0 += 1;
        tally.words[k].1 += usize::from(spans.iter().any(|t| s < t.1 && t.0 < e));
        tally.exact += usize::from(spans.contains(&(s, e)));
    }
}

/// How many of the names the detector misses in the tuning part jieba tags `nr` (exactly or
/// overlapping), by style.
fn missed_nr(detector: &Detector) {
    use xinqiao_domain::privacy::PiiKind;
    use xinqiao_domain::privacy::eval::Label;
    let (mut missed, mut exact, mut overlap) = (0, 0, 0);
    for (style, texts) in corpus::styles() {
        for t in texts.iter().filter(|t| !t.held_out()) {
            let known = t.enterprises();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let got = detector.detect_for(&t.text, &known);
            let nr = nr_words(detector, &t.text);
            for &(l, s, e) in &t.spans {
                if l != Label::Pii(PiiKind::Name) || got.iter().any(|g| g.start < e && s < g.end) {
                    continue;
                }
                missed += 1;
                let word: String = t.text.chars().skip(s).take(e - s).collect();
                let how = if nr.iter().any(|w| w.0 == s && w.1 == e) {
                    exact += 1;
                    "exact"
                } else if nr.iter().any(|w| w.0 < e && s < w.1) {
                    overlap += 1;
                    "overlap"
                } else {
                    "-"
                };
                println!("missed name [{style}] {word} nr:{how}");
            }
        }
    }
    println!("missed names in the tuning part: {missed}; jieba nr exactly {exact}, overlapping {overlap}");
}

/// The tuning part's missed names by mechanism (`XQ_PII_WHY=1`; never the held-out part's).
fn missed_why(detector: &Detector) {
    use xinqiao_domain::privacy::PiiKind;
    use xinqiao_domain::privacy::eval::Label;
    let mut why = why::Why::new();
    for (style, texts) in corpus::styles() {
        for t in texts.iter().filter(|t| !t.held_out()) {
            let known = t.enterprises();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let got = detector.detect_for(&t.text, &known);
            for &(l, s, e) in &t.spans {
                if l != Label::Pii(PiiKind::Name) || got.iter().any(|g| g.start < e && s < g.end) {
                    continue;
                }
                let word: String = t.text.chars().skip(s).take(e - s).collect();
                println!("why [{style}] {word}: {}", why.missed(detector, &t.text, s, e));
            }
        }
    }
    print_why(&why);
}

fn print_why(why: &why::Why) {
    let total: usize = why.tally.values().sum();
    println!(
        "missed names by mechanism ({total}; {} with a given-name character the model never saw):",
        why.unseen_given
    );
    let mut groups: Vec<_> = why.tally.iter().collect();
    groups.sort_by(|a, b| b.1.cmp(a.1));
    for (g, n) in groups {
        println!("  {n:4}  {g}");
    }
}
