//! The personal-data scanner and masker (去标识化) run before publication.
//!
//! What it is for: before a government document or a citizen's published
//! message goes public, its text is scanned for personal data — resident ID
//! numbers, mobile and landline numbers, bank card numbers, e-mail addresses,
//! licence plates and labelled names. Each [`Finding`] carries byte offsets
//! into the scanned text so the editor can show it in place, and a ready
//! masked form so one click replaces it ([`mask_finding`], [`mask_all`]).
//! Publication stays blocked until every finding is masked or marked lawful
//! with a [`LawfulBasis`]. This implements the seed document's requirement
//! "要依法保护个人隐私，除惩戒公示、强制性信息披露外，对于其他涉及个人隐私的
//! 政府信息，公开时要去标识化处理", with an eye to 《个人信息保护法》第二十八条
//! (sensitive personal information: identity numbers, financial accounts,
//! whereabouts and the like).
//!
//! Checks that make a finding credible rather than any long digit run:
//! - 18-digit resident ID numbers must carry the GB 11643-1999 check
//!   character (ISO 7064 MOD 11-2), a real province code and a birth date
//!   between 1900 and the current year; 15-digit legacy numbers need the
//!   province code and a valid YYMMDD date. An 18-character unified social
//!   credit code (GB 32100-2015) has letters where an ID cannot, so it fails;
//!   an all-digit one right after its label (`统一社会信用代码：`) is skipped.
//! - Bank card numbers must pass the ISO/IEC 7812 Luhn check, start with an
//!   issuer digit (3–6, 9) and not be shaped like a mistyped ID.
//! - No number is matched inside a longer digit run, a letter-digit code,
//!   a decimal or hyphenated number (文号, 索引号, dates, ISBNs, statute
//!   numbers), an amount (`…元`, `¥…`), an e-mail address or a URL; phone
//!   numbers listed in [`ScanOptions::public_phones`] (offices' public
//!   numbers) are not findings.
//! - Names count only after a label (`姓名：`, `联系人：`, `申请人：`, …),
//!   2–4 characters starting with a common surname (or a minority name with
//!   `·`), cut before titles (`同志`, `科长`) and the next field's label.
//!
//! Masking is stable: masks keep the layout of numbers (one `*` per digit)
//! and the scanner reads `*` as a digit when it splits digit runs, so after
//! masking any subset of the findings a new scan finds exactly the others.
//! That is what makes one-click masking followed by a re-scan safe.
//!
//! What it is not for: deciding lawfulness (a person does that); names
//! without a label (in prose or in table columns) — those would need a
//! dictionary and would drown editors in false alarms; offices' public
//! e-mail addresses (they are findings; mark them lawful); full-width
//! digits; any I/O. The only impurity is reading the clock once, to bound ID
//! birth years.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The kind of a personal datum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    IdNumber,
    Mobile,
    Landline,
    BankCard,
    Email,
    LicencePlate,
    Name,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::IdNumber,
        Kind::Mobile,
        Kind::Landline,
        Kind::BankCard,
        Kind::Email,
        Kind::LicencePlate,
        Kind::Name,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::IdNumber => "id_number",
            Kind::Mobile => "mobile",
            Kind::Landline => "landline",
            Kind::BankCard => "bank_card",
            Kind::Email => "email",
            Kind::LicencePlate => "licence_plate",
            Kind::Name => "name",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            Kind::IdNumber => "身份证号码",
            Kind::Mobile => "手机号码",
            Kind::Landline => "固定电话",
            Kind::BankCard => "银行卡号",
            Kind::Email => "电子邮箱",
            Kind::LicencePlate => "车牌号码",
            Kind::Name => "姓名",
        }
    }

    /// Which kind wins when two candidates overlap (lower wins). An e-mail
    /// address is delimited by its syntax and its mask hides the whole local
    /// part, so it ranks above the numbers it may contain.
    fn rank(self) -> u8 {
        match self {
            Kind::Email => 0,
            Kind::IdNumber => 1,
            Kind::BankCard => 2,
            Kind::Mobile => 3,
            Kind::Landline => 4,
            Kind::LicencePlate => 5,
            Kind::Name => 6,
        }
    }
}

/// Why a finding may be published unmasked: the two exceptions of the seed
/// document. Recording the choice is the caller's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    /// 惩戒公示: publication of sanctions (e.g. 行政处罚决定).
    PunishmentNotice,
    /// 强制性信息披露: disclosure required by law.
    MandatoryDisclosure,
}

impl LawfulBasis {
    pub const ALL: [LawfulBasis; 2] = [LawfulBasis::PunishmentNotice, LawfulBasis::MandatoryDisclosure];

    pub fn as_str(&self) -> &'static str {
        match self {
            LawfulBasis::PunishmentNotice => "punishment_notice",
            LawfulBasis::MandatoryDisclosure => "mandatory_disclosure",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            LawfulBasis::PunishmentNotice => "惩戒公示",
            LawfulBasis::MandatoryDisclosure => "强制性信息披露",
        }
    }
}

/// One personal datum found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    /// Byte offset of the first byte (always a char boundary).
    pub start: usize,
    /// Byte offset one past the last byte (always a char boundary).
    pub end: usize,
    /// `text[start..end]` of the scanned text.
    pub text: String,
    /// What [`mask`] makes of `text`.
    pub masked: String,
}

/// What the scanner needs to know about the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanOptions {
    /// Offices' public phone numbers as shown on the site, in any layout
    /// (`023-57612345`, `(023)5761 2345`, `13800000000`, `57612345`).
    /// They are compared on digits only; an entry without area code matches
    /// a landline with any area code.
    pub public_phones: Vec<String>,
}

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

/// Scans plain text. Findings are sorted by `start` and never overlap.
pub fn scan(text: &str, opts: &ScanOptions) -> Vec<Finding> {
    let mut cands = Vec::new();
    let email_zones = scan_emails(text, &mut cands);
    scan_numbers(text, &email_zones, &mut cands);
    scan_plates(text, &mut cands);
    scan_names(text, &mut cands);
    if cands.is_empty() {
        return Vec::new();
    }

    let urls = url_spans(text);
    if !urls.is_empty() {
        cands.retain(|c| !urls.iter().any(|&(s, e)| c.start < e && s < c.end));
    }
    if !opts.public_phones.is_empty() && cands.iter().any(|c| matches!(c.kind, Kind::Mobile | Kind::Landline)) {
        let public = PublicPhones::new(&opts.public_phones);
        cands.retain(|c| !public.contains(text, c));
    }

    resolve_overlaps(cands)
        .into_iter()
        .map(|c| {
            let t = &text[c.start..c.end];
            Finding {
                kind: c.kind,
                start: c.start,
                end: c.end,
                text: t.to_owned(),
                masked: mask(c.kind, t),
            }
        })
        .collect()
}

/// Scans the text content of an HTML body: tags (with their attributes),
/// comments and the content of `<script>` / `<style>` are skipped; nothing
/// is decoded except that `&nbsp;` counts as a space. Offsets refer to `html`
/// itself, so [`mask_all`] / [`mask_finding`] can be applied to it directly.
pub fn scan_html(html: &str, opts: &ScanOptions) -> Vec<Finding> {
    let shadow = html_shadow(html);
    let mut found = scan(&shadow, opts);
    // The shadow differs from `html` only where it holds spaces, and no
    // finding contains a run of spaces, so the texts agree; keep the check
    // so a finding can never point at markup.
    found.retain(|f| html.get(f.start..f.end) == Some(f.text.as_str()));
    found
}

/// The masked form of a personal datum of the given kind. Separators and
/// layout are kept; masked characters become `*`. Any input is accepted;
/// text that does not look like `kind` is still masked, never returned as is
/// (unless it is empty or all whitespace).
pub fn mask(kind: Kind, text: &str) -> String {
    match kind {
        Kind::IdNumber => {
            let n = text.chars().filter(char::is_ascii_alphanumeric).count();
            let (first, last) = if n == 15 { (6, 3) } else { (6, 4) };
            mask_chars(text, |c| c.is_ascii_alphanumeric(), first, last)
        }
        Kind::Mobile => {
            let n = text.chars().filter(char::is_ascii_digit).count();
            let first = if n == 13 { 5 } else { 3 };
            mask_chars(text, |c| c.is_ascii_digit(), first, 4)
        }
        Kind::Landline => mask_landline(text),
        Kind::BankCard => mask_chars(text, |c| c.is_ascii_digit(), 4, 4),
        Kind::Email => match text.find('@') {
            Some(at) if at > 0 => {
                let first = text[..at].chars().next().unwrap_or('*');
                format!("{first}***{}", &text[at..])
            }
            _ => mask_chars(text, |c| !c.is_whitespace(), 1, 0),
        },
        Kind::LicencePlate => mask_chars(text, |c| !is_name_dot(c), 2, 1),
        Kind::Name => {
            let n = text.chars().filter(|&c| !is_name_dot(c)).count();
            let keep = if n >= 3 && COMPOUND_SURNAMES.iter().any(|s| text.starts_with(s)) {
                2
            } else {
                1
            };
            mask_chars(text, |c| !is_name_dot(c), keep, 0)
        }
    }
}

/// Applies the masks of `findings` to `text`, from the end backwards.
/// Findings whose text is no longer at their offsets, or that overlap a
/// finding already applied, are skipped.
pub fn mask_all(text: &str, findings: &[Finding]) -> String {
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by(|a, b| b.start.cmp(&a.start).then(b.end.cmp(&a.end)));
    let mut out = text.to_owned();
    let mut limit = usize::MAX;
    for f in order {
        if f.end > limit || !still_there(text, f) {
            continue;
        }
        out.replace_range(f.start..f.end, &mask(f.kind, &f.text));
        limit = f.start;
    }
    out
}

/// Masks one finding (one-click masking): `Some(new text)` if `text` still
/// has the finding's text at its offsets, `None` otherwise (the text was
/// edited since the scan; scan again).
pub fn mask_finding(text: &str, finding: &Finding) -> Option<String> {
    if !still_there(text, finding) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..finding.start]);
    out.push_str(&mask(finding.kind, &finding.text));
    out.push_str(&text[finding.end..]);
    Some(out)
}

/// Is `s` exactly an 18-character resident ID number (GB 11643-1999) with a
/// correct check character, a real province code and a birth date between
/// 1900-01-01 and the current year?
pub fn is_valid_id18(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let expected = check_char(&b[..17]);
    let last = b[17].to_ascii_uppercase();
    last == expected && province_ok(&b[..2]) && birth_ok(num(&b[6..10]), num(&b[10..12]), num(&b[12..14]))
}

/// Is `s` exactly a 15-digit legacy resident ID number (province code and a
/// valid 19YYMMDD birth date; these numbers have no check digit)?
pub fn is_valid_id15(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15
        && b.iter().all(u8::is_ascii_digit)
        && province_ok(&b[..2])
        && birth_ok(1900 + num(&b[6..8]), num(&b[8..10]), num(&b[10..12]))
}

/// The ISO/IEC 7812 Luhn check over the ASCII digits of `digits`; any other
/// character makes it false, as does an empty string.
pub fn luhn(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let d = u32::from(c - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The GB 11643-1999 check character (`0`–`9` or `X`) for the first 17
/// digits of an ID number; `None` unless `first17` is 17 ASCII digits.
pub fn id18_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    (b.len() == 17 && b.iter().all(u8::is_ascii_digit)).then(|| char::from(check_char(b)))
}

/// ISO 7064 MOD 11-2 as GB 11643-1999 applies it; `first17` are digits.
fn check_char(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CODES: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&c, w)| u32::from(c - b'0') * w).sum();
    CODES[(sum % 11) as usize]
}

// ---------------------------------------------------------------------------
// Candidates and overlap resolution
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Cand {
    kind: Kind,
    start: usize,
    end: usize,
    /// For phones: where the number proper ends (an extension follows).
    core_end: usize,
}

impl Cand {
    fn new(kind: Kind, start: usize, end: usize) -> Self {
        Cand {
            kind,
            start,
            end,
            core_end: end,
        }
    }
}

/// Keeps the best-ranked candidates that do not overlap, sorted by start.
fn resolve_overlaps(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.sort_by_key(|c| (c.kind.rank(), c.start));
    let mut kept: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        let pos = kept.partition_point(|k| k.start < c.start);
        let clash_before = pos > 0 && kept[pos - 1].end > c.start;
        let clash_after = pos < kept.len() && kept[pos].start < c.end;
        if !clash_before && !clash_after {
            kept.insert(pos, c);
        }
    }
    kept
}

fn still_there(text: &str, f: &Finding) -> bool {
    f.start <= f.end && text.get(f.start..f.end) == Some(f.text.as_str())
}

// ---------------------------------------------------------------------------
// Numbers: IDs, bank cards, mobiles, landlines
// ---------------------------------------------------------------------------
//
// Digits are read as chains: runs joined by a single space or hyphen. A
// chain is cut into segments by layout alone — run lengths, separators and
// the leading digits of a segment, which every mask keeps — and a segment
// becomes a finding only if its digits pass the checks of its kind. Masks
// replace digits by `*` one for one and `*` counts as a digit for layout,
// so masking some findings changes neither the segmentation nor the other
// findings: a re-scan finds exactly the findings not yet masked.

/// A maximal run of digits (and `*`); `sep` is the single separator (`' '`
/// or `'-'`) that joins it to the previous run of the chain (0 for the
/// first); `masked` if it holds a `*`.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    sep: u8,
    masked: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

/// The index of the first ASCII byte at or after `i` (or `b.len()`),
/// skipping Chinese text eight bytes at a time.
fn next_ascii(b: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH != HIGH {
            break;
        }
        i += 8;
    }
    while i < b.len() && !b[i].is_ascii() {
        i += 1;
    }
    i
}

fn is_digitish(c: u8) -> bool {
    c.is_ascii_digit() || c == b'*'
}

/// Finds numbers outside `skip` (sorted, disjoint spans: e-mail addresses).
fn scan_numbers(text: &str, skip: &[(usize, usize)], out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut groups: Vec<Group> = Vec::with_capacity(8);
    let mut skip = skip.iter().peekable();
    let mut i = 0;
    while i < b.len() {
        i = next_ascii(b, i);
        if i >= b.len() {
            break;
        }
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        while skip.next_if(|&&(_, e)| e <= i).is_some() {}
        let n = match skip.peek() {
            Some(&&(s, e)) if s <= i => {
                i = e;
                continue;
            }
            Some(&&(s, _)) => s,
            None => b.len(),
        };
        if let Some((cand, next)) = paren_landline(text, i, n) {
            out.extend(cand);
            i = next;
            continue;
        }
        groups.clear();
        let mut j = i;
        let mut sep = 0;
        loop {
            let s = j;
            let mut masked = false;
            while j < n && is_digitish(b[j]) {
                masked |= b[j] == b'*';
                j += 1;
            }
            groups.push(Group {
                start: s,
                end: j,
                sep,
                masked,
            });
            if j + 1 < n && matches!(b[j], b' ' | b'-') && is_digitish(b[j + 1]) {
                sep = b[j];
                j += 1;
            } else {
                break;
            }
        }
        analyse_chain(text, n, &groups, out);
        i = j;
    }
}

fn analyse_chain(text: &str, limit: usize, groups: &[Group], out: &mut Vec<Cand>) {
    let mut k = 0;
    while k < groups.len() {
        // A run glued to the previous one by a hyphen is part of a longer
        // number (dates, 索引号, ISBNs, statute numbers).
        if groups[k].sep == b'-' {
            k += 1;
            continue;
        }
        match segment_at(text, limit, groups, k) {
            Some((cand, next)) => {
                out.extend(cand);
                k = next;
            }
            None => k += 1,
        }
    }
}

/// The segment starting at group `k`, if some layout fits: the finding it
/// makes (if its digits and context pass) and the index of the first group
/// after it.
/// `limit` is where the next e-mail address starts (digits from there on are
/// not numbers).
fn segment_at(text: &str, limit: usize, groups: &[Group], k: usize) -> Option<(Option<Cand>, usize)> {
    let b = text.as_bytes();
    let g = groups[k];
    let d = &b[g.start..g.end];
    let len = g.len();
    let start = g.start;
    // A `+` before a country code belongs to the number.
    let lead = if k == 0 && start > 0 && b[start - 1] == b'+' {
        start - 1
    } else {
        start
    };
    // Only a chain's first run has a context of its own; later runs follow
    // a space.
    let left = k > 0 || (left_ok(text, start) && (lead == start || left_ok(text, lead)));
    let clear = |to: usize| groups[k..to].iter().all(|g| !g.masked);
    let seg = |ok: bool, kind: Kind, from: usize, end: usize, next: usize| Some((ok.then_some(Cand::new(kind, from, end)), next));

    // Mobile with country code: `+86 138…`, `86-138-…`, `+8613812345678`.
    if d == b"86"
        && let Some(next) = mobile_layout(b, groups, k + 1)
    {
        let end = groups[next - 1].end;
        return seg(left && clear(next) && right_ok(text, end), Kind::Mobile, lead, end, next);
    }
    if len == 13 && d.starts_with(b"86") && mobile_lead(&d[2..]) {
        return seg(left && !g.masked && right_ok(text, g.end), Kind::Mobile, lead, g.end, k + 1);
    }

    // One run: an ID (18, 17 + X, 15) or a card (16–19).
    let x_after = len == 17 && g.end < b.len() && matches!(b[g.end], b'X' | b'x');
    if len == 15 || (16..=19).contains(&len) {
        let end = if x_after { g.end + 1 } else { g.end };
        let s = &text[start..end];
        let ok = left && !g.masked && right_ok(text, end) && !after_code_label(text, start);
        let kind = if !ok {
            None
        } else if (end - start == 18 && is_valid_id18(s)) || (len == 15 && is_valid_id15(s)) {
            Some(Kind::IdNumber)
        } else if !x_after && len >= 16 && card_ok(d) {
            Some(Kind::BankCard)
        } else {
            None
        };
        return Some((kind.map(|kind| Cand::new(kind, start, end)), k + 1));
    }

    // `110105 19491231 002X`: an ID in the 6-8-4 layout.
    if len == 6 && k + 2 < groups.len() && groups[k + 1].sep == b' ' && groups[k + 2].sep == b' ' && groups[k + 1].len() == 8 {
        let (g1, g2) = (groups[k + 1], groups[k + 2]);
        let end = match g2.len() {
            4 => g2.end,
            3 if g2.end < b.len() && matches!(b[g2.end], b'X' | b'x') => g2.end + 1,
            _ => return None,
        };
        let mut id = String::with_capacity(18);
        id.push_str(&text[start..g.end]);
        id.push_str(&text[g1.start..g1.end]);
        id.push_str(&text[g2.start..end]);
        let ok = left && clear(k + 3) && right_ok(text, end) && !after_code_label(text, start) && is_valid_id18(&id);
        return seg(ok, Kind::IdNumber, start, end, k + 3);
    }

    // Mobiles: `13812345678`, `138 1234 5678`, `138-1234-5678`, `138 12345678`.
    if let Some(next) = mobile_layout(b, groups, k) {
        let end = groups[next - 1].end;
        return seg(left && clear(next) && right_ok(text, end), Kind::Mobile, start, end, next);
    }

    // Landlines with a separated area code, optionally an extension.
    if is_area_code(d)
        && let Some(sub_next) = subscriber_layout(b, groups, k + 1)
    {
        let sub_end = groups[sub_next - 1].end;
        let (end, next, ext_masked) = extension(&text[..limit], groups, sub_next, sub_end);
        let ok = left && clear(next) && !ext_masked && right_ok(text, end);
        let cand = Cand {
            kind: Kind::Landline,
            start,
            end,
            core_end: sub_end,
        };
        return Some((ok.then_some(cand), next));
    }

    // Cards written in groups of four.
    if len == 4
        && d[0] != b'0'
        && let Some(next) = card_layout(groups, k)
    {
        let end = groups[next - 1].end;
        let digits: String = groups[k..next].iter().map(|g| &text[g.start..g.end]).collect();
        let ok = left && clear(next) && right_ok(text, end) && !after_code_label(text, start) && card_ok(digits.as_bytes());
        return seg(ok, Kind::BankCard, start, end, next);
    }
    None
}

/// A plausible card number: issuer digit 3–6 or 9, not shaped like an ID
/// (an ID with a wrong check digit is a typo, not a card), Luhn.
fn card_ok(d: &[u8]) -> bool {
    matches!(d[0], b'3' | b'4' | b'5' | b'6' | b'9') && !(d.len() == 18 && id_shaped(d)) && std::str::from_utf8(d).is_ok_and(luhn)
}

/// Looks like an ID number (province code and a date-like birth field)
/// whatever its check digit or exact date.
fn id_shaped(d: &[u8]) -> bool {
    d.len() >= 14
        && d[..14].iter().all(u8::is_ascii_digit)
        && province_ok(&d[..2])
        && (1900..=*CURRENT_YEAR).contains(&num(&d[6..10]))
        && (1..=12).contains(&num(&d[10..12]))
        && (1..=31).contains(&num(&d[12..14]))
}

fn mobile_lead(d: &[u8]) -> bool {
    d.len() >= 2 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// Runs from `k` laid out as a mobile number: 11 digits, 3-4-4 with one
/// kind of separator, or 3-8. Returns the index after the last run.
fn mobile_layout(b: &[u8], groups: &[Group], k: usize) -> Option<usize> {
    let g = groups.get(k)?;
    if !mobile_lead(&b[g.start..g.end]) {
        return None;
    }
    match g.len() {
        11 => Some(k + 1),
        3 if k + 2 < groups.len() && groups[k + 1].len() == 4 && groups[k + 2].len() == 4 && groups[k + 1].sep == groups[k + 2].sep => {
            Some(k + 3)
        }
        3 if k + 1 < groups.len() && groups[k + 1].len() == 8 => Some(k + 2),
        _ => None,
    }
}

/// `010`, `023` (three digits after `01`/`02`) or `0755` (four otherwise).
fn is_area_code(d: &[u8]) -> bool {
    match d.len() {
        3 => d[0] == b'0' && matches!(d[1], b'1' | b'2'),
        4 => d[0] == b'0' && (b'3'..=b'9').contains(&d[1]),
        _ => false,
    }
}

/// A 7–8 digit subscriber number from run `k`, whole or split 3/4 + 4.
fn subscriber_layout(b: &[u8], groups: &[Group], k: usize) -> Option<usize> {
    let g = groups.get(k)?;
    if b[g.start] == b'0' {
        return None;
    }
    match g.len() {
        7 | 8 => Some(k + 1),
        3 | 4 if k + 1 < groups.len() && groups[k + 1].len() == 4 => Some(k + 2),
        _ => None,
    }
}

/// Runs of four from `k` with one kind of separator, the last possibly
/// shorter, 16–19 digits in all, and not continued by another run.
fn card_layout(groups: &[Group], k: usize) -> Option<usize> {
    let sep = groups.get(k + 1)?.sep;
    let mut total = 0;
    let mut m = k;
    while m < groups.len() && (m == k || groups[m].sep == sep) {
        let l = groups[m].len();
        if l == 4 {
            total += 4;
            m += 1;
            if total > 19 {
                return None;
            }
        } else if l < 4 && m > k {
            total += l;
            m += 1;
            break;
        } else {
            return None;
        }
    }
    let continued = m < groups.len() && groups[m].sep == sep;
    ((16..=19).contains(&total) && !continued).then_some(m)
}

/// An optional extension after a landline: `-801` or `转801`. Returns the
/// end, the next run index and whether the extension is masked.
fn extension(text: &str, groups: &[Group], next: usize, sub_end: usize) -> (usize, usize, bool) {
    if next < groups.len() && groups[next].sep == b'-' && (1..=5).contains(&groups[next].len()) {
        return (groups[next].end, next + 1, groups[next].masked);
    }
    if let Some(rest) = text[sub_end..].strip_prefix('转') {
        let ext = &rest.as_bytes()[..rest.bytes().take_while(|&c| is_digitish(c)).count()];
        if (1..=5).contains(&ext.len()) {
            // The digits after 转 start a new chain, which is fine: they are
            // too short to be anything on their own.
            return (sub_end + '转'.len_utf8() + ext.len(), next, ext.contains(&b'*'));
        }
    }
    (sub_end, next, false)
}

/// `(023)57612345`, `（0755）1234 5678`, `(023) 5761-2345转801`, starting at
/// the area code's first digit `i`: the finding (if unmasked and in a good
/// context) and where to resume.
fn paren_landline(text: &str, i: usize, limit: usize) -> Option<(Option<Cand>, usize)> {
    let b = &text.as_bytes()[..limit];
    let open = if i >= 1 && b[i - 1] == b'(' {
        i - 1
    } else if text[..i].ends_with('（') {
        i - '（'.len_utf8()
    } else {
        return None;
    };
    let run = |s: usize| s + b[s..].iter().take_while(|&&c| is_digitish(c)).count();
    let area_end = run(i);
    if !is_area_code(&b[i..area_end]) {
        return None;
    }
    let rest = &text[area_end..];
    let mut p = area_end
        + if rest.starts_with(')') {
            1
        } else if rest.starts_with('）') {
            '）'.len_utf8()
        } else {
            return None;
        };
    if p < b.len() && matches!(b[p], b' ' | b'-') {
        p += 1;
    }
    let e1 = run(p);
    if e1 == p || b[p] == b'0' {
        return None;
    }
    let sub_end = if (7..=8).contains(&(e1 - p)) {
        e1
    } else if (3..=4).contains(&(e1 - p)) && e1 + 1 < b.len() && matches!(b[e1], b' ' | b'-') && run(e1 + 1) - (e1 + 1) == 4 {
        e1 + 5
    } else {
        return None;
    };
    let mut end = sub_end;
    if end + 1 < b.len() && b[end] == b'-' {
        let e = run(end + 1);
        if (1..=5).contains(&(e - end - 1)) {
            end = e;
        }
    } else if let Some(r) = text[end..limit].strip_prefix('转') {
        let digits = r.bytes().take_while(|&c| is_digitish(c)).count();
        if (1..=5).contains(&digits) {
            end += '转'.len_utf8() + digits;
        }
    }
    let ok = !b[open..end].contains(&b'*') && right_ok(text, end);
    let cand = Cand {
        kind: Kind::Landline,
        start: open,
        end,
        core_end: sub_end,
    };
    Some((ok.then_some(cand), end))
}

/// May a number start at `start` (given what precedes it)?
fn left_ok(text: &str, start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let b = text.as_bytes();
    let p = b[start - 1];
    if p.is_ascii_alphanumeric() || matches!(p, b'_' | b'@' | b'&' | b'#') {
        return false;
    }
    // Decimals, thousands, hyphenated numbers; host, file and code names.
    if start >= 2 {
        let pp = b[start - 2];
        if (p == b',' && pp.is_ascii_digit()) || (matches!(p, b'.' | b'-') && pp.is_ascii_alphanumeric()) {
            return false;
        }
    }
    // Amounts: ¥ / ￥, optionally followed by one space.
    let before = &text[..start];
    let before = before.strip_suffix(' ').unwrap_or(before);
    !(before.ends_with('¥') || before.ends_with('￥'))
}

/// May a number end at `end` (given what follows it)?
fn right_ok(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    if end >= b.len() {
        return true;
    }
    let c = b[end];
    if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'@' | b'%' | b'*') {
        return false;
    }
    if end + 1 < b.len() {
        let nn = b[end + 1];
        if (matches!(c, b',' | b'-') && nn.is_ascii_digit()) || (c == b'.' && nn.is_ascii_alphanumeric()) {
            return false;
        }
    }
    // 索引号 layout: `<code>/2021-00048`.
    if c == b'/' && b.len() >= end + 6 && b[end + 1..end + 5].iter().all(u8::is_ascii_digit) && b[end + 5] == b'-' {
        return false;
    }
    // Amounts: `…元`, `…万元`, `…亿元`, optionally after one space.
    let rest = &text[end..];
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    !(rest.starts_with('元') || rest.starts_with('万') || rest.starts_with('亿'))
}

/// Labels right before which (up to a colon, a bracket or 为) a number is an
/// organisation's code, not a person's.
const CODE_LABELS: [&str; 6] = ["信用代码", "索引号", "组织机构代码", "纳税人识别号", "登记证号", "注册号"];

fn after_code_label(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t', '\u{3000}', ':', '：', '(', '（', '为', '是']);
    CODE_LABELS.iter().any(|l| before.ends_with(l))
}

const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    83,
];

fn province_ok(two: &[u8]) -> bool {
    let p = (two[0] - b'0') * 10 + (two[1] - b'0');
    PROVINCES.contains(&p)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, &c| acc * 10 + u32::from(c - b'0'))
}

static CURRENT_YEAR: LazyLock<u32> = LazyLock::new(|| chrono::Utc::now().year().max(2024) as u32);

fn birth_ok(year: u32, month: u32, day: u32) -> bool {
    (1900..=*CURRENT_YEAR).contains(&year) && NaiveDate::from_ymd_opt(year as i32, month, day).is_some()
}

// ---------------------------------------------------------------------------
// Public phones
// ---------------------------------------------------------------------------

struct PublicPhones {
    /// Full numbers: national mobile digits, or area code + subscriber.
    full: HashSet<String>,
    /// Entries of 7–8 digits: subscriber numbers without area code.
    local: HashSet<String>,
}

impl PublicPhones {
    fn new(entries: &[String]) -> Self {
        let mut full = HashSet::new();
        let mut local = HashSet::new();
        for e in entries {
            let digits: String = e.chars().filter(char::is_ascii_digit).collect();
            if (7..=8).contains(&digits.len()) && !digits.starts_with('0') {
                local.insert(digits.clone());
            }
            if digits.len() == 13 && digits.starts_with("86") {
                full.insert(digits[2..].to_owned());
            }
            // The same parser as the scan, so `023-57612345转801` yields
            // `02357612345`.
            let mut cands = Vec::new();
            scan_numbers(e, &[], &mut cands);
            for c in cands.iter().filter(|c| matches!(c.kind, Kind::Mobile | Kind::Landline)) {
                full.insert(core_digits(e, c));
            }
            full.insert(digits);
        }
        PublicPhones { full, local }
    }

    fn contains(&self, text: &str, c: &Cand) -> bool {
        match c.kind {
            Kind::Mobile => self.full.contains(&core_digits(text, c)),
            Kind::Landline => {
                let core = core_digits(text, c);
                let area = if core.as_bytes().get(1).is_some_and(|d| matches!(d, b'1' | b'2')) {
                    3
                } else {
                    4
                };
                self.full.contains(&core) || core.get(area..).is_some_and(|s| self.local.contains(s))
            }
            _ => false,
        }
    }
}

fn core_digits(text: &str, c: &Cand) -> String {
    let digits: String = text[c.start..c.core_end].chars().filter(char::is_ascii_digit).collect();
    if c.kind == Kind::Mobile && digits.len() == 13 {
        digits[2..].to_owned()
    } else {
        digits
    }
}

// ---------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------

/// Finds e-mail addresses and returns the spans of all addresses, including
/// masked ones (`z***@example.com`): digits in them are not numbers.
fn scan_emails(text: &str, out: &mut Vec<Cand>) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let is_local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut zones = Vec::new();
    for (at, _) in text.match_indices('@') {
        let Some(e) = email_domain_end(b, at) else { continue };
        // A run of `*` after an ASCII character (what masking a number or an
        // address leaves) is read as part of the local part, so masking
        // does not move where an address starts; `*` after a Chinese
        // character (a masked name) ends it.
        let masked_run = |pos: usize| {
            let mut r = pos;
            while r > 0 && b[r - 1] == b'*' {
                r -= 1;
            }
            (r < pos && r > 0 && b[r - 1].is_ascii()).then_some(r)
        };
        let mut s = at;
        while s > 0 && at - s < 64 {
            if is_local(b[s - 1]) {
                s -= 1;
            } else if let Some(r) = masked_run(s) {
                s = r;
            } else {
                break;
            }
        }
        if s > 0 && (is_local(b[s - 1]) || b[s - 1] == b'@' || masked_run(s).is_some()) {
            continue; // local part too long, or glued to another address
        }
        while s < at && matches!(b[s], b'.' | b'-' | b'+' | b'%') {
            s += 1;
        }
        let local = &b[s..at];
        if local.is_empty() {
            continue;
        }
        if local.contains(&b'*') {
            // A masked address (one character, `***`) still shields its
            // digits; any other local part with `*` is not an address.
            if local.len() == 4 && &local[1..] == b"***" && (local[0].is_ascii_alphanumeric() || local[0] == b'_') {
                zones.push((s, e));
            }
            continue;
        }
        zones.push((s, e));
        out.push(Cand::new(Kind::Email, s, e));
    }
    zones
}

/// The end of a valid domain after the `@` at `at`: labels of letters,
/// digits and hyphens, at least one dot, an alphabetic TLD of two or more
/// letters, and not continued by address characters.
fn email_domain_end(b: &[u8], at: usize) -> Option<usize> {
    let is_label = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    if b.get(at + 1) == Some(&b'-') {
        return None;
    }
    let mut e = at + 1;
    let mut last_dot = None;
    loop {
        let ls = e;
        while e < b.len() && is_label(b[e]) {
            e += 1;
        }
        if e == ls {
            break;
        }
        if e + 1 < b.len() && b[e] == b'.' && is_label(b[e + 1]) {
            last_dot = Some(e);
            e += 1;
        } else {
            break;
        }
    }
    let tld = &b[last_dot? + 1..e];
    let continued = e < b.len() && matches!(b[e], b'_' | b'%' | b'+' | b'@');
    (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) && !continued).then_some(e)
}

// ---------------------------------------------------------------------------
// Licence plates
// ---------------------------------------------------------------------------

const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

fn scan_plates(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let n = b.len();
    let is_plate_char = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    let mut i = 3;
    while i < n {
        i = next_ascii(b, i);
        if i >= n {
            break;
        }
        let c = b[i];
        // All province abbreviations are three bytes long in UTF-8.
        if !c.is_ascii_uppercase() || i < 3 || b[i - 3] & 0xF0 != 0xE0 || !PLATE_PROVINCES.contains(&text[i - 3..i]) {
            i += 1;
            continue;
        }
        let start = i - 3;
        let mut p = i + 1;
        let rest = &text[p..];
        if rest.starts_with('·') {
            p += '·'.len_utf8();
        } else if rest.starts_with('•') {
            p += '•'.len_utf8();
        }
        let mut e = p;
        while e < n && is_plate_char(b[e]) && e - p < 7 {
            e += 1;
        }
        let body = &b[p..e];
        let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
        let ok = !(e < n && (b[e].is_ascii_alphanumeric() || b[e] == b'_'))
            && !body.iter().any(|c| matches!(c, b'I' | b'O'))
            && match body.len() {
                5 => digits >= 3,
                6 => (matches!(body[0], b'D' | b'F') && digits >= 4) || (matches!(body[5], b'D' | b'F') && digits == 5),
                _ => false,
            };
        if ok {
            out.push(Cand::new(Kind::LicencePlate, start, e));
            i = e;
        } else {
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// Labelled names
// ---------------------------------------------------------------------------

/// Labels that introduce a natural person's name before a colon. Matched as
/// suffixes, so `委托代理人` and `被申请人` are covered.
const NAME_LABELS: [&str; 40] = [
    "姓名",
    "姓　名",
    "姓 名",
    "联系人",
    "申请人",
    "当事人",
    "负责人",
    "法定代表人",
    "法人代表",
    "经办人",
    "举报人",
    "投诉人",
    "来信人",
    "来访人",
    "反映人",
    "户主",
    "代理人",
    "监护人",
    "收件人",
    "承办人",
    "填报人",
    "填表人",
    "被处罚人",
    "违法行为人",
    "被告人",
    "原告",
    "被告",
    "犯罪嫌疑人",
    "患者",
    "报案人",
    "求助人",
    "领取人",
    "签收人",
    "持卡人",
    "开户名",
    "户名",
    "参保人",
    "借款人",
    "担保人",
    "联络人",
];

/// The last characters of [`NAME_LABELS`].
const LABEL_ENDS: &str = "名人主告者表";

/// Common single-character surnames. Characters that more often start an
/// ordinary word after a label (国, 公, 全, 安, 成, 单, 党, …) are left out on
/// purpose: missing a rare surname costs less than flagging `负责人：单位`.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱丘江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农卓古吉缪简车项连芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘闻厉仝郜阚帅屠豆朴盖廉禹祖漆巴丰狄宣晋芮扈晁鹿邸雍辜裘亓邰赫杭逯隆茹嵇湛戎茅尉冶檀昝尧文符路";

const COMPOUND_SURNAMES: [&str; 40] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "端木", "长孙", "宇文", "轩辕", "独孤",
    "南宫", "西门", "呼延", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "闻人", "万俟", "赫连", "百里", "东郭",
    "南门", "羊舌", "微生", "梁丘", "左丘", "拓跋",
];

/// Words that end a name when they follow its first character (titles).
const TITLES: [&str; 30] = [
    "同志", "先生", "女士", "小姐", "老师", "主任", "科长", "局长", "处长", "部长", "书记", "县长", "镇长", "乡长", "村长", "经理", "院长",
    "所长", "站长", "队长", "组长", "社长", "校长", "医生", "律师", "委员", "警官", "师傅", "副", "总",
];

/// Words that end a name when they follow its first two characters.
const STOPS: [&str; 38] = [
    "等", "的", "于", "在", "向", "对", "因", "系", "是", "称", "男", "女", "已", "将", "从", "共", "之", "及", "与", "申请", "现住",
    "现居", "住址", "家住", "性别", "身份", "电话", "手机", "联系", "年龄", "出生", "民族", "汉族", "地址", "户籍", "籍贯", "工作", "职务",
];

/// A name ending in one of these is an office (`金融办`, `卫健委`, `车管所`).
const ORG_ENDINGS: &str = "办局委所站室科处部院队厂镇乡村县市省组会司校馆";

/// Characters that show a name is already masked or pseudonymised.
const MASK_CHARS: &str = "*＊×xX某○〇";

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・')
}

fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

fn scan_names(text: &str, out: &mut Vec<Cand>) {
    static COLONS: LazyLock<Regex> = LazyLock::new(|| Regex::new("[:：]").expect("colons"));
    let mut run: Vec<(usize, char)> = Vec::with_capacity(24);
    for m in COLONS.find_iter(text) {
        let (colon, i) = (m.start(), m.end());
        let label_text = text[..colon].trim_end_matches(is_gap);
        // Cheap test first: most colons follow no label at all.
        let last = label_text.chars().next_back().unwrap_or(' ');
        if !LABEL_ENDS.contains(last) || !NAME_LABELS.iter().any(|l| label_text.ends_with(l)) {
            continue;
        }
        let body = text[i..].trim_start_matches(is_gap);
        let body_start = text.len() - body.len();
        run.clear();
        for (off, c) in body.char_indices() {
            if !(is_han(c) || is_name_dot(c)) || run.len() >= 20 {
                break;
            }
            run.push((body_start + off, c));
        }
        if let Some((start, end)) = name_in_run(text, &run) {
            out.push(Cand::new(Kind::Name, start, end));
        }
    }
}

/// The name at the start of `run` (chars after a label), if it is one.
fn name_in_run(text: &str, run: &[(usize, char)]) -> Option<(usize, usize)> {
    if run.is_empty() || is_name_dot(run[0].1) {
        return None;
    }
    let mut cut = run.len();
    for (idx, &(off, _)) in run.iter().enumerate().skip(1) {
        let rest = &text[off..];
        // The next field's label (`姓名：张三联系人：李四`) ends a name too.
        if TITLES.iter().any(|t| rest.starts_with(t))
            || NAME_LABELS.iter().any(|t| rest.starts_with(t))
            || (idx >= 2 && STOPS.iter().any(|t| rest.starts_with(t)))
        {
            cut = idx;
            break;
        }
    }
    // `张三渝A12345`: a province abbreviation right before a plate's
    // letter belongs to the plate.
    if cut == run.len() && cut > 0 {
        let (off, c) = run[cut - 1];
        let after = off + c.len_utf8();
        if text.as_bytes().get(after).is_some_and(u8::is_ascii_uppercase) && PLATE_PROVINCES.contains(c) {
            cut -= 1;
        }
    }
    while cut > 0 && is_name_dot(run[cut - 1].1) {
        cut -= 1;
    }
    let name = &run[..cut];
    let start = name.first()?.0;
    let last = name.last()?;
    let end = last.0 + last.1.len_utf8();
    // Already masked (`张*`, `欧阳**`, `张某`)?
    if text[end..].chars().next().is_some_and(|c| MASK_CHARS.contains(c)) || name.iter().any(|&(_, c)| MASK_CHARS.contains(c)) {
        return None;
    }
    if ORG_ENDINGS.contains(last.1) {
        return None;
    }
    let dots = name.iter().filter(|(_, c)| is_name_dot(*c)).count();
    if dots > 0 {
        // Minority names: 买买提·艾力, 阿依古丽·买买提·吐尔逊.
        let parts = name.split(|(_, c)| is_name_dot(*c));
        let ok = parts.clone().all(|p| (1..=8).contains(&p.len())) && name.len() - dots <= 16;
        return ok.then_some((start, end));
    }
    if !(2..=4).contains(&name.len()) {
        return None;
    }
    let surname_ok = SURNAMES.contains(name[0].1) || (name.len() >= 3 && COMPOUND_SURNAMES.iter().any(|s| text[start..].starts_with(s)));
    surname_ok.then_some((start, end))
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

fn is_url_char(c: u8) -> bool {
    (0x21..=0x7E).contains(&c) && !matches!(c, b'"' | b'\'' | b'<' | b'>' | b'`' | b',')
}

/// Spans of URLs (`scheme://…`, `www.…`, bare `….gov.cn/…`); numbers in them
/// are not personal data.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let extend = |mut e: usize| {
        while e < b.len() && is_url_char(b[e]) {
            e += 1;
        }
        e
    };
    static MARKERS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"://|www\.|\.gov\.cn").expect("URL markers"));
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let (mut schemes, mut wwws, mut govs) = (Vec::new(), Vec::new(), Vec::new());
    for m in MARKERS.find_iter(text) {
        match m.as_str() {
            "://" => schemes.push(m.start()),
            "www." => wwws.push(m.start()),
            _ => govs.push(m.start()),
        }
    }
    for p in schemes {
        let mut s = p;
        while s > 0 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        if s < p {
            spans.push((s, extend(p + 3)));
        }
    }
    for p in wwws {
        let token_start = p == 0 || !(b[p - 1].is_ascii_alphanumeric() || matches!(b[p - 1], b'.' | b'-' | b'_' | b'+' | b'%'));
        let e = extend(p + 4);
        // `www.x@example.com` is an address, not a URL.
        if token_start && !b[p..e].contains(&b'@') && !spans.iter().any(|&(s, e)| s <= p && p < e) {
            spans.push((p, e));
        }
    }
    for p in govs {
        if spans.iter().any(|&(s, e)| s <= p && p < e) {
            continue;
        }
        let mut s = p;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'.' | b'-')) {
            s -= 1;
        }
        let e = extend(p);
        if (s > 0 && b[s - 1] == b'@') || b[p..e].contains(&b'@') {
            continue; // an e-mail domain
        }
        spans.push((s, e));
    }
    spans
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

/// A copy of `html` with markup (tags, comments, script and style content)
/// and `&nbsp;` replaced by spaces, byte for byte, so offsets carry over.
/// Replaced spans run from an ASCII `<` to an ASCII `>` (or `&` to `;`), so
/// the copy is still UTF-8.
fn html_shadow(html: &str) -> String {
    let b = html.as_bytes();
    let n = b.len();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, s: usize, e: usize| out[s..e].fill(b' ');
    let mut i = 0;
    while i < n {
        match b[i] {
            b'<' if i + 1 < n && (b[i + 1].is_ascii_alphabetic() || matches!(b[i + 1], b'/' | b'!' | b'?')) => {
                let end = if html[i..].starts_with("<!--") {
                    html[i + 4..].find("-->").map_or(n, |p| i + 4 + p + 3)
                } else {
                    tag_end(b, i)
                };
                blank(&mut out, i, end);
                // Skip the content of script and style elements.
                let name: String = b[i + 1..end]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase() as char)
                    .collect();
                if name == "script" || name == "style" {
                    let close = format!("</{name}");
                    let rest_end = find_ascii_ci(&b[end..], close.as_bytes()).map_or(n, |p| end + p);
                    blank(&mut out, end, rest_end);
                    i = rest_end;
                } else {
                    i = end;
                }
            }
            b'&' => {
                let lower = html[i..].get(..6).map(str::to_ascii_lowercase);
                let len = match lower.as_deref() {
                    Some("&nbsp;") | Some("&#160;") | Some("&#xa0;") => 6,
                    _ => 1,
                };
                if len > 1 {
                    blank(&mut out, i, i + len);
                }
                i += len;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).expect("only whole ASCII-delimited spans are blanked")
}

/// One past the `>` that closes the tag opened at `i`, honouring quoted
/// attribute values; the end of the input if it is never closed.
fn tag_end(b: &[u8], i: usize) -> usize {
    let mut quote = 0u8;
    for (j, &c) in b.iter().enumerate().skip(i + 1) {
        match c {
            b'"' | b'\'' if quote == 0 => quote = c,
            q if q == quote && quote != 0 => quote = 0,
            b'>' if quote == 0 => return j + 1,
            _ => {}
        }
    }
    b.len()
}

fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------
// Masking helpers
// ---------------------------------------------------------------------------

/// Replaces with `*` the characters for which `significant` holds, except
/// the first `first` and the last `last` of them. If that would leave
/// nothing masked, keeps only the first significant character (or none).
/// Text without any significant character is masked as a whole (but for
/// its first character and whitespace).
fn mask_chars(text: &str, significant: fn(char) -> bool, first: usize, last: usize) -> String {
    let total = text.chars().filter(|&c| significant(c)).count();
    if total == 0 && !text.chars().all(char::is_whitespace) {
        return mask_chars(text, |c| !c.is_whitespace(), 1, 0);
    }
    let (first, last) = if total > first + last {
        (first, last)
    } else {
        (usize::from(total > 1), 0)
    };
    let mut out = String::with_capacity(text.len());
    let mut idx = 0;
    for c in text.chars() {
        if significant(c) {
            out.push(if idx >= first && idx < total - last { '*' } else { c });
            idx += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// Keeps the area code and the last two digits of the subscriber number;
/// masks the other digits, including an extension.
fn mask_landline(text: &str) -> String {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
    let area = match digits.as_slice() {
        [b'0', b'1' | b'2', ..] => 3,
        [b'0', ..] => 4,
        _ => 0,
    };
    if digits.len() < area + 7 {
        return mask_chars(text, |c| !c.is_whitespace(), 1, 0);
    }
    // The subscriber number: the digit groups after the area code until at
    // least seven digits are collected; what follows is an extension.
    let mut sub = 0;
    let mut seen = 0;
    let mut in_group = false;
    for c in text.chars() {
        let d = c.is_ascii_digit();
        if d {
            if seen >= area && (sub < 7 || in_group) {
                sub += 1;
            }
            seen += 1;
        }
        if !d && in_group && sub >= 7 {
            break;
        }
        in_group = d && seen > area;
    }
    let core = area + sub;
    let keep_from = core.saturating_sub(2).max(area);
    let mut idx = 0;
    text.chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            let i = idx;
            idx += 1;
            if i < area || (i >= keep_from && i < core) { c } else { '*' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ScanOptions {
        ScanOptions::default()
    }

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        scan(text, &opts()).into_iter().map(|f| (f.kind, &text[f.start..f.end])).collect()
    }

    #[test]
    fn check_char_of_the_classic_sample() {
        assert_eq!(id18_check_char("11010519491231002"), Some('X'));
        assert_eq!(id18_check_char("1101051949123100"), None);
        assert_eq!(id18_check_char("1101051949123100a"), None);
        assert!(is_valid_id18("11010519491231002X"));
        assert!(is_valid_id18("11010519491231002x"));
        assert!(!is_valid_id18("110105194912310021"));
        assert!(!is_valid_id18("11010519491231002"));
    }

    #[test]
    fn id18_rejects_bad_province_date_and_credit_codes() {
        // Province 00 and 99 do not exist; compute the right check char so
        // only the structure fails.
        for first17 in [
            "00010519491231002",
            "99010519491231002",
            "11010518991231002",
            "11010519490230002",
            "11010529991231002",
        ] {
            let mut s = first17.to_owned();
            s.push(id18_check_char(first17).unwrap());
            assert!(!is_valid_id18(&s), "{s}");
        }
        assert!(!is_valid_id18("11500237MB1234567X"));
        assert!(!is_valid_id18("91500237MA5U2XXX1A"));
    }

    #[test]
    fn id15_needs_province_and_date() {
        assert!(is_valid_id15("110105491231002"));
        assert!(!is_valid_id15("110105491331002"));
        assert!(!is_valid_id15("000105491231002"));
        assert!(!is_valid_id15("11010549123100"));
    }

    #[test]
    fn luhn_known_values() {
        assert!(luhn("79927398713"));
        assert!(!luhn("79927398710"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn(""));
        assert!(!luhn("4111 1111 1111 1111"));
    }

    #[test]
    fn masks_of_each_kind() {
        assert_eq!(mask(Kind::IdNumber, "11010519491231002X"), "110105********002X");
        assert_eq!(mask(Kind::IdNumber, "110105491231002"), "110105******002");
        assert_eq!(mask(Kind::Mobile, "13812345678"), "138****5678");
        assert_eq!(mask(Kind::Mobile, "138 1234 5678"), "138 **** 5678");
        assert_eq!(mask(Kind::Mobile, "+86 138-1234-5678"), "+86 138-****-5678");
        assert_eq!(mask(Kind::Landline, "023-57612345"), "023-******45");
        assert_eq!(mask(Kind::Landline, "(0755)1234 5678"), "(0755)**** **78");
        assert_eq!(mask(Kind::Landline, "023-57612345-801"), "023-******45-***");
        assert_eq!(mask(Kind::Landline, "023-5761-2345转8"), "023-****-**45转*");
        assert_eq!(mask(Kind::BankCard, "6222 0212 3456 7890 128"), "6222 **** **** ***0 128");
        assert_eq!(mask(Kind::BankCard, "6222021234567890"), "6222********7890");
        assert_eq!(mask(Kind::Email, "zhangsan@example.com"), "z***@example.com");
        assert_eq!(mask(Kind::LicencePlate, "渝A12345"), "渝A****5");
        assert_eq!(mask(Kind::LicencePlate, "渝A·D12345"), "渝A·*****5");
        assert_eq!(mask(Kind::Name, "张三"), "张*");
        assert_eq!(mask(Kind::Name, "欧阳娜娜"), "欧阳**");
        assert_eq!(mask(Kind::Name, "王小明"), "王**");
        assert_eq!(mask(Kind::Name, "买买提·艾力"), "买**·**");
    }

    #[test]
    fn mask_never_returns_its_input_unchanged() {
        for kind in Kind::ALL {
            for s in ["12", "abc", "0", "x", "ab@", "@x.cn", "张三丰", "1234567890"] {
                assert_ne!(mask(kind, s), s, "{kind:?} {s}");
            }
        }
    }

    #[test]
    fn overlap_keeps_the_more_specific_kind() {
        let c = vec![
            Cand::new(Kind::Landline, 0, 12),
            Cand::new(Kind::Mobile, 5, 16),
            Cand::new(Kind::Name, 20, 26),
            Cand::new(Kind::IdNumber, 14, 22),
        ];
        let kept: Vec<Kind> = resolve_overlaps(c).into_iter().map(|c| c.kind).collect();
        assert_eq!(kept, vec![Kind::Landline, Kind::IdNumber]);
    }

    #[test]
    fn glued_and_decimal_numbers_are_not_phones() {
        assert!(kinds("编号2021-13812345678").is_empty());
        assert!(kinds("比值3.13812345678").is_empty());
        assert!(kinds("13812345678.5元").is_empty());
        assert!(kinds("ab13812345678").is_empty());
        assert!(kinds("13812345678元").is_empty());
        assert!(luhn("6222000000000000012"));
        assert_eq!(kinds("卡号6222000000000000012"), vec![(Kind::BankCard, "6222000000000000012")]);
        assert!(kinds("¥ 6222000000000000012").is_empty());
        assert!(kinds("6222000000000000012 万元").is_empty());
        assert_eq!(kinds("电话13812345678。"), vec![(Kind::Mobile, "13812345678")]);
    }

    #[test]
    fn names_stop_at_titles_and_functional_words() {
        assert_eq!(kinds("联系人：王小明同志"), vec![(Kind::Name, "王小明")]);
        assert_eq!(kinds("申请人：张三于2021年"), vec![(Kind::Name, "张三")]);
        assert_eq!(kinds("申请人 ： 李四申请公开"), vec![(Kind::Name, "李四")]);
        assert!(kinds("联系人：王科长").is_empty());
        assert!(kinds("联系人：金融办").is_empty());
        assert!(kinds("当事人：张某某").is_empty());
        assert!(kinds("负责人：分管领导").is_empty());
        assert!(kinds("姓名：张*").is_empty());
        assert!(kinds("姓名：欧阳**").is_empty());
    }

    #[test]
    fn label_ends_cover_every_label() {
        for l in NAME_LABELS {
            assert!(LABEL_ENDS.contains(l.chars().last().unwrap()), "{l}");
        }
    }

    #[test]
    fn html_shadow_keeps_offsets_and_utf8() {
        let html = "<p title=\"a>b 电话\">张</p><!-- 13812345678 --><script>var t='13912345678';</script>&nbsp;x";
        let s = html_shadow(html);
        assert_eq!(s.len(), html.len());
        assert!(!s.contains('<') && !s.contains("139") && !s.contains("138"));
        assert!(s.contains('张') && s.ends_with('x'));
    }
}
