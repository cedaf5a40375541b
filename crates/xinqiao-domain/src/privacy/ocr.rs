//! Numbers as a recogniser returns them from handwriting or a photograph: letters that look like
//! digits (O and o for 0, l, I and | for 1, Z for 2, S for 5, B for 8) and `_` between groups. A
//! run of digit-like groups is read as digits only where the digits then have the shape of an
//! identifier (a mobile, an ID, a bank card, a landline) or
//! of a house number or date right before 号, 栋, 室, 年 … Letters next to other letters (a model
//! number B8S-1O, VIP0012) are never changed, nor a run that reads as nothing.

/// The digit a look-alike letter stands for.
fn lookalike(c: char) -> Option<char> {
    Some(match c {
        'O' | 'o' => '0',
        'l' | 'I' | '|' => '1',
        'Z' => '2',
        'S' => '5',
        'B' => '8',
        _ => return None,
    })
}

fn digitlike(c: char) -> bool {
    c.is_ascii_digit() || lookalike(c).is_some()
}

/// Characters that follow or precede a house number or a date.
fn unit_after(c: char) -> bool {
    matches!(c, '号' | '栋' | '幢' | '楼' | '室' | '单' | '弄' | '巷' | '层' | '座' | '年' | '月' | '日' | '期' | '组')
}

fn unit_before(c: char) -> bool {
    matches!(c, '路' | '街' | '道' | '巷' | '弄' | '栋' | '幢' | '楼' | '村')
}

/// Whether `d` (digits only, perhaps a final X) has the shape of an identifier.
fn identifier(d: &[char]) -> bool {
    let n = d.len();
    let num = |a: usize, b: usize| d[a..b].iter().fold(0u32, |v, c| v * 10 + c.to_digit(10).unwrap_or(99));
    let date = |at: usize| (1..=12).contains(&num(at, at + 2)) && (1..=31).contains(&num(at + 2, at + 4));
    if n == 18 {
        return d[..17].iter().all(char::is_ascii_digit)
            && (d[17].is_ascii_digit() || d[17] == 'X')
            && matches!(num(6, 8), 19 | 20)
            && date(10);
    }
    if !d.iter().all(char::is_ascii_digit) {
        return false;
    }
    match n {
        11 => d[0] == '1' && ('3'..='9').contains(&d[1]) || d[0] == '0' && d[1] != '0',
        10 | 12 => d[0] == '0' && d[1] != '0',
        15 => date(8),
        16..=19 => matches!(d[0], '3' | '4' | '5' | '6' | '9'),
        _ => false,
    }
}

/// A Chinese numeral read as a digit (一三五…), as callers' numbers are written out.
fn numeral(c: char) -> bool {
    !c.is_ascii() && super::digits::digit_of(c).is_some()
}

/// Characters that may stand between two groups of one number (one or two of them).
fn between(c: char) -> bool {
    matches!(c, ' ' | '_' | '-' | '\n' | '(' | ')')
}

/// Whether `chars[start..end]` reads as a number once its look-alikes are digits.
fn fits(chars: &[char], start: usize, end: usize) -> bool {
    let run = &chars[start..end];
    let letters = run.iter().filter(|c| !c.is_ascii_digit() && lookalike(**c).is_some()).count();
    let real = run.iter().filter(|&&c| c.is_ascii_digit() || numeral(c)).count();
    if (letters == 0 && !run.contains(&'_')) || real == 0 {
        return false;
    }
    let read: Vec<char> = run
        .iter()
        .filter(|&&c| !between(c))
        .map(|&c| match c {
            'x' => 'X',
            c if numeral(c) => char::from(b'0' + super::digits::digit_of(c).unwrap_or(0)),
            c => lookalike(c).unwrap_or(c),
        })
        .collect();
    // An X may end an ID only.
    if read.iter().take(read.len().saturating_sub(1)).any(|c| *c == 'X') {
        return false;
    }
    let unit = (end < chars.len() && unit_after(chars[end]))
        || (start > 0 && unit_before(chars[start - 1]) && read.len() <= 5);
    // A house number may begin with a look-alike (l08号), but not with B: B1层, B12号 are basements.
    let house = unit && real >= letters && read.len() <= 5 && !read.contains(&'X') && run[0] != 'B';
    (real > letters && identifier(&read)) || house
}

/// Rewrites look-alike letters to digits in `chars` where a run reads as a number (see the
/// module's comment); separators `_` become spaces. One character for one.
pub(crate) fn read_lookalikes(chars: &mut [char]) {
    // Quick exit: no look-alike letter at all.
    if !chars.iter().any(|&c| lookalike(c).is_some() || c == '_') {
        return;
    }
    let part = |c: char| digitlike(c) || numeral(c);
    let mut i = 0;
    while i < chars.len() {
        let opens = chars[i] == '(' && chars.get(i + 1).is_some_and(|&c| digitlike(c));
        if !(part(chars[i]) || opens) || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        // Groups of digit-like characters joined by one or two separators; a final X after digits.
        let start = i;
        let mut j = i + usize::from(opens);
        let mut ends = Vec::new();
        loop {
            while j < chars.len() && part(chars[j]) {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j], 'X' | 'x') {
                j += 1;
            }
            ends.push(j);
            let gap = chars[j..].iter().take(3).take_while(|&&c| between(c)).count();
            if (1..=2).contains(&gap) && chars.get(j + gap).is_some_and(|&c| part(c)) {
                j += gap;
                continue;
            }
            break;
        }
        let last = *ends.last().unwrap_or(&j);
        i = last.max(i + 1);
        // The run must not run into letters.
        if last < chars.len() && chars[last].is_ascii_alphabetic() {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        // The longest run of whole groups that reads as a number (a mobile followed by the next
        // field's number 3、 is read without it).
        let Some(end) = ends.iter().rev().copied().find(|&end| fits(chars, start, end)) else { continue };
        i = end.max(start + 1);
        for c in &mut chars[start..end] {
            if *c == '_' {
                *c = ' ';
            } else if !c.is_ascii_digit()
                && let Some(d) = lookalike(*c)
            {
                *c = d;
            }
        }
    }
}
