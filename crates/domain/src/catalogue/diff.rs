//! Comparing two versions of a document: [`html_to_text`] turns a rich-text
//! body into one line per paragraph, [`diff_text`] compares line by line
//! and highlights the changed characters inside changed lines.

use std::sync::LazyLock;
use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};

/// Lines of a replaced block are compared character by character only when
/// at least this share of them is common; below it the whole line is marked,
/// which reads better than a confetti of one-character matches.
const INLINE_MIN_RATIO: f32 = 0.4;

/// Upper bound for one diff; beyond it `similar` returns a coarser (still
/// correct) diff instead of spending quadratic time on huge, very different
/// texts.
const DIFF_TIMEOUT: Duration = Duration::from_millis(500);

/// How a line relates the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffTag {
    Equal,
    Insert,
    Delete,
}

/// One line of a version comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub tag: DiffTag,
    /// The line without its line break.
    pub text: String,
    /// `text` cut into segments, `true` for characters that changed. The
    /// segments always concatenate to `text`; an equal line is one unchanged
    /// segment, a line without counterpart one changed segment.
    pub inline: Vec<(bool, String)>,
    /// 1-based line number in the old text (none for inserted lines).
    pub old_line: Option<usize>,
    /// 1-based line number in the new text (none for deleted lines).
    pub new_line: Option<usize>,
}

fn strip_eol(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

fn whole(changed: bool, text: &str) -> Vec<(bool, String)> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![(changed, text.to_owned())]
    }
}

fn push_segment(segments: &mut Vec<(bool, String)>, changed: bool, text: &str) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some((c, s)) if *c == changed => s.push_str(text),
        _ => segments.push((changed, text.to_owned())),
    }
}

type Segments = Vec<(bool, String)>;

/// Character-level segments of a deleted line and its inserted replacement.
fn inline_pair(old: &str, new: &str) -> (Segments, Segments) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_chars(old, new);
    if diff.ratio() < INLINE_MIN_RATIO {
        return (whole(true, old), whole(true, new));
    }
    let (mut o, mut n) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push_segment(&mut o, false, v);
                push_segment(&mut n, false, v);
            }
            ChangeTag::Delete => push_segment(&mut o, true, v),
            ChangeTag::Insert => push_segment(&mut n, true, v),
        }
    }
    (o, n)
}

/// `\r\n` → `\n`, and a final line break added when missing, so that the
/// last line compares equal whether or not the text ends with a break.
fn normalise_breaks(s: &str) -> String {
    let mut s = s.replace("\r\n", "\n");
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Compares two plain texts line by line (a body after [`html_to_text`]).
/// Unchanged lines come as [`DiffTag::Equal`]; a replaced block comes as its
/// deleted lines, then its inserted lines, the i-th deleted and i-th
/// inserted line carrying a character-level highlight of what changed.
/// `\r\n` and `\n` are both line breaks; a missing final line break is not a
/// difference.
pub fn diff_text(old: &str, new: &str) -> Vec<DiffLine> {
    let (old, new) = (normalise_breaks(old), normalise_breaks(new));
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(&old, &new);
    let old_lines: Vec<&str> = diff.iter_old_slices().map(strip_eol).collect();
    let new_lines: Vec<&str> = diff.iter_new_slices().map(strip_eol).collect();
    let mut out = Vec::new();
    let line = |tag, text: &str, inline, old_line, new_line| DiffLine {
        tag,
        text: text.to_owned(),
        inline,
        old_line,
        new_line,
    };
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { old_index, new_index, len } => {
                for i in 0..len {
                    let text = old_lines[old_index + i];
                    out.push(line(
                        DiffTag::Equal,
                        text,
                        whole(false, text),
                        Some(old_index + i + 1),
                        Some(new_index + i + 1),
                    ));
                }
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                for (i, text) in old_lines.iter().enumerate().skip(old_index).take(old_len) {
                    out.push(line(DiffTag::Delete, text, whole(true, text), Some(i + 1), None));
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for (i, text) in new_lines.iter().enumerate().skip(new_index).take(new_len) {
                    out.push(line(DiffTag::Insert, text, whole(true, text), None, Some(i + 1)));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let paired = old_len.min(new_len);
                let mut new_inline = Vec::with_capacity(new_len);
                for k in 0..old_len {
                    let o = old_lines[old_index + k];
                    let o_inline = if k < paired {
                        let (oi, ni) = inline_pair(o, new_lines[new_index + k]);
                        new_inline.push(ni);
                        oi
                    } else {
                        whole(true, o)
                    };
                    out.push(line(DiffTag::Delete, o, o_inline, Some(old_index + k + 1), None));
                }
                for k in 0..new_len {
                    let n = new_lines[new_index + k];
                    let n_inline = if k < paired {
                        std::mem::take(&mut new_inline[k])
                    } else {
                        whole(true, n)
                    };
                    out.push(line(DiffTag::Insert, n, n_inline, None, Some(new_index + k + 1)));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// html_to_text
// ---------------------------------------------------------------------------

/// Elements that end a line (paragraph-like blocks and breaks).
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "blockquote",
    "figure",
    "figcaption",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "pre",
    "hr",
];

/// ammonia configured to keep only structure: the block elements, table
/// cells, images (alt and src) and nothing else, without script or style
/// content. Its output is well-formed, with entities decoded except `&amp;
/// &lt; &gt; &nbsp; &quot;`, which makes the scan below simple.
static STRUCTURE_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(BLOCK_TAGS.iter().copied().chain(["td", "th", "img"]).collect())
        .generic_attributes(Default::default())
        .tag_attributes([("img", ["alt", "src"].into_iter().collect())].into_iter().collect())
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .clean_content_tags(
            [
                "script", "style", "noscript", "template", "textarea", "select", "object", "embed", "svg", "math", "title",
            ]
            .into_iter()
            .collect(),
        )
        .strip_comments(true);
    b
});

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a serialised start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(decode_entities(&tag[start..end]))
}

struct TextBuilder {
    lines: Vec<String>,
    current: String,
}

impl TextBuilder {
    fn text(&mut self, raw: &str) {
        // HTML collapses runs of ASCII whitespace (source line breaks
        // included) to one space.
        let mut last_space = self.current.ends_with(' ');
        for c in decode_entities(raw).chars() {
            if c.is_ascii_whitespace() {
                if !last_space {
                    self.current.push(' ');
                }
                last_space = true;
            } else {
                self.current.push(c);
                last_space = false;
            }
        }
    }

    fn break_line(&mut self) {
        let line = self.current.trim_matches(char::is_whitespace);
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
        self.current.clear();
    }

    fn cell(&mut self) {
        if !self.current.trim_matches(char::is_whitespace).is_empty() {
            let trimmed = self.current.trim_end_matches(char::is_whitespace).len();
            self.current.truncate(trimmed);
            self.current.push_str(" | ");
        }
    }
}

/// Turns a rich-text body into plain text for comparison: tags dropped,
/// entities decoded, whitespace collapsed as a browser would, one line per
/// paragraph, heading, list item or table row (cells separated by ` | `),
/// blank lines dropped and each line trimmed (also of full-width indentation
/// spaces, so re-indenting a paragraph is not a change). Images become
/// `[图片：alt]` (or the address when there is no alt text). Script and style
/// content is dropped.
pub fn html_to_text(html: &str) -> String {
    let clean = STRUCTURE_ONLY.clean(html).to_string();
    let mut b = TextBuilder {
        lines: Vec::new(),
        current: String::new(),
    };
    let mut rest = clean.as_str();
    while let Some(lt) = rest.find('<') {
        b.text(&rest[..lt]);
        // Find the end of the tag, skipping `>` inside quoted attribute values.
        let mut in_quotes = false;
        let mut end = None;
        for (i, c) in rest[lt..].char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                '>' if !in_quotes => {
                    end = Some(lt + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(gt) = end else {
            b.text(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt..=gt];
        rest = &rest[gt + 1..];
        let body = tag.trim_start_matches('<').trim_start_matches('/');
        let name: String = body.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        match name.as_str() {
            "td" | "th" if !tag.starts_with("</") => b.cell(),
            "img" => {
                let label = attribute(tag, "alt")
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .or_else(|| attribute(tag, "src"));
                match label {
                    Some(l) => b.text(&format!("[图片：{}]", l.replace('&', "&amp;"))),
                    None => b.text("[图片]"),
                }
            }
            n if BLOCK_TAGS.contains(&n) => b.break_line(),
            _ => {}
        }
    }
    b.text(rest);
    b.break_line();
    b.lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_entities() {
        let html =
            "<p>　　第一段&nbsp;内容&ldquo;引号&rdquo;</p>\n<p>第二段<br>换行</p><script>alert(1)</script><p>a &amp; b &lt;c&gt;</p>";
        assert_eq!(html_to_text(html), "第一段\u{a0}内容\u{201c}引号\u{201d}\n第二段\n换行\na & b <c>");
    }

    #[test]
    fn tables_and_images() {
        let html = r#"<table><tr><th>单位</th><th>电话</th></tr><tr><td>县政府办</td><td>023-1234</td></tr></table><img src="/a.png" alt="图解"><img src="/b.png">"#;
        assert_eq!(html_to_text(html), "单位 | 电话\n县政府办 | 023-1234\n[图片：图解][图片：/b.png]");
    }

    #[test]
    fn inline_segments_concatenate() {
        let d = diff_text("第一行\n公开时限为15个工作日\n", "第一行\n公开时限为20个工作日\n新增一行");
        assert_eq!(d[0].tag, DiffTag::Equal);
        assert_eq!(d[1].tag, DiffTag::Delete);
        assert_eq!(
            d[1].inline,
            vec![(false, "公开时限为".into()), (true, "15".into()), (false, "个工作日".into())]
        );
        assert_eq!(d[2].tag, DiffTag::Insert);
        assert_eq!(
            d[2].inline,
            vec![(false, "公开时限为".into()), (true, "20".into()), (false, "个工作日".into())]
        );
        assert_eq!(d[3].text, "新增一行");
        assert_eq!(d[3].inline, vec![(true, "新增一行".into())]);
    }
}
