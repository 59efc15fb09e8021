//! Sanitising the rich-text body of a catalogue item.
//!
//! The editor's HTML is untrusted (pasted from Word, from other sites, typed
//! by a compromised account). [`sanitize_body`] keeps what a government
//! document body needs — paragraphs, headings h2–h4, emphasis, lists,
//! tables with merged cells, quotations, links, images, figures, alignment
//! classes — and drops everything that can run code or restyle the page:
//! scripts, event handlers, `style` attributes, `javascript:`/`data:` URLs,
//! forms, embeds, and iframes other than the site's own video pages.
//!
//! Links may be `http`, `https`, `mailto`, `tel` or relative (including
//! protocol-relative `//host/…`); images `http`, `https` or relative —
//! pasted `data:` images are dropped (upload them as files instead). `h1` is
//! turned into `h2` and `h5`/`h6` into `h4`; other unknown elements are
//! unwrapped, keeping their text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

/// Classes an editor may put on blocks (alignment and first-line indent);
/// any other class is removed.
pub const BODY_CLASSES: &[&str] = &["text-center", "text-left", "text-right", "text-justify", "text-indent"];

/// Iframe sources allowed by [`sanitize_body`]: paths on the site itself.
const OWN_SITE: &[&str] = &["/"];

const TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "blockquote",
    "a",
    "img",
    "figure",
    "figcaption",
    "span",
    "div",
    "iframe",
];

/// Elements removed together with their content (everything else that is
/// not allowed is unwrapped: its text stays).
const DROP_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "object",
    "embed",
    "applet",
    "textarea",
    "select",
    "svg",
    "math",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "frameset",
    "frame",
];

const CLASS_TAGS: &[&str] = &["p", "div", "span", "h2", "h3", "h4", "td", "th", "figure", "table"];

fn tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    [
        ("a", &["href", "title"][..]),
        ("img", &["src", "alt", "width", "height", "title"][..]),
        ("td", &["colspan", "rowspan"][..]),
        ("th", &["colspan", "rowspan", "scope"][..]),
        ("iframe", &["src", "width", "height", "title", "allowfullscreen"][..]),
    ]
    .into_iter()
    .map(|(t, a)| (t, a.iter().copied().collect()))
    .collect()
}

fn is_small_number(v: &str, max: u32, percent: bool) -> bool {
    let v = v.trim();
    let digits = if percent { v.strip_suffix('%').unwrap_or(v) } else { v };
    !digits.is_empty()
        && digits.len() <= 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
}

/// An iframe source: an absolute path on the site under one of `prefixes`,
/// with no characters a browser would reinterpret (`//host`, `/\host`, tabs
/// or line breaks, which browsers drop, making `/\t/host` a foreign URL).
fn is_own_iframe_src(v: &str, prefixes: &[String]) -> bool {
    static PATH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^/[A-Za-z0-9._~/?=&%#+-]*$").expect("valid iframe path pattern"));
    PATH.is_match(v) && !v.starts_with("//") && !v.contains("/../") && prefixes.iter().any(|p| v.starts_with(p.as_str()))
}

fn is_http_or_relative(v: &str) -> bool {
    match ammonia::Url::parse(v) {
        Ok(u) => matches!(u.scheme(), "http" | "https"),
        Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

fn builder(iframe_prefixes: Vec<String>) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(tag_attributes())
        .allowed_classes(CLASS_TAGS.iter().map(|t| (*t, BODY_CLASSES.iter().copied().collect())).collect())
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            let keep = match (element, attribute) {
                ("img", "src") => is_http_or_relative(value),
                ("iframe", "src") => is_own_iframe_src(value, &iframe_prefixes),
                ("iframe", "title") => {
                    // Keep the serialised start tag free of `<`/`>` so the
                    // post-processing below can find its end.
                    return Some(Cow::Owned(value.replace(['<', '>'], "")));
                }
                ("iframe", "allowfullscreen") => return Some(Cow::Borrowed("")),
                (_, "width" | "height") => is_small_number(value, 4000, element == "img"),
                (_, "colspan" | "rowspan") => is_small_number(value, 1000, false),
                ("th", "scope") => matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
                _ => true,
            };
            keep.then_some(Cow::Borrowed(value))
        });
    b
}

static DEFAULT: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(OWN_SITE.iter().map(|s| (*s).to_owned()).collect()));

/// Sanitises a document body (see the module documentation). Iframes are
/// kept only with a `src` that is a path on the site itself ("no foreign
/// iframes"); any other iframe is removed. Links get
/// `rel="noopener noreferrer"`. Idempotent.
pub fn sanitize_body(html: &str) -> String {
    finish(DEFAULT.clean(&map_headings(html)).to_string())
}

/// Like [`sanitize_body`], with iframes allowed only under the given path
/// prefixes (e.g. `["/media/video/"]`). Prefixes that are not site paths
/// (not starting with a single `/`) are ignored.
pub fn sanitize_body_with(html: &str, iframe_prefixes: &[&str]) -> String {
    let prefixes = iframe_prefixes
        .iter()
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .map(|p| (*p).to_owned())
        .collect();
    finish(builder(prefixes).clean(&map_headings(html)).to_string())
}

/// Renames `h1` to `h2` and `h5`/`h6` to `h4` (the page title is the
/// document's own h1; deeper levels are not used in documents), so that such
/// headings stay headings instead of being unwrapped into the neighbouring
/// text. Runs before ammonia, which still sees and cleans everything.
fn map_headings(html: &str) -> Cow<'_, str> {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<(/?)h([156])\b").expect("valid heading pattern"));
    HEADING.replace_all(html, |c: &regex::Captures<'_>| {
        let level = if &c[2] == "1" { "2" } else { "4" };
        format!("<{}h{level}", &c[1])
    })
}

/// Drops iframes left without a source and any text inside iframes (which
/// browsers never show, and which the serialiser writes unescaped).
fn finish(html: String) -> String {
    static IFRAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<iframe\b([^>]*)>.*?</iframe>").expect("valid iframe pattern"));
    if !html.contains("<iframe") {
        return html;
    }
    IFRAME
        .replace_all(&html, |c: &regex::Captures<'_>| {
            let attrs = &c[1];
            if attrs.contains(" src=\"") {
                format!("<iframe{attrs}></iframe>")
            } else {
                String::new()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_document_structure() {
        let html = r#"<h2 class="text-center">巫山县人民政府办公室</h2><p class="text-indent evil">正文<strong>加粗</strong><sup>1</sup></p><table><tr><td colspan="2" rowspan="x">合并</td></tr></table>"#;
        assert_eq!(
            sanitize_body(html),
            r#"<h2 class="text-center">巫山县人民政府办公室</h2><p class="text-indent">正文<strong>加粗</strong><sup>1</sup></p><table><tbody><tr><td colspan="2">合并</td></tr></tbody></table>"#
        );
    }

    #[test]
    fn iframes_only_from_own_site() {
        assert_eq!(
            sanitize_body(r#"<iframe src="/media/v/1" width="640" height="360" onload="x()">inside</iframe>"#),
            r#"<iframe src="/media/v/1" width="640" height="360"></iframe>"#
        );
        for src in [
            "https://evil.example/x",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "javascript:alert(1)",
            "",
        ] {
            let html = format!(r#"<p>a</p><iframe src="{src}"></iframe>"#);
            assert_eq!(sanitize_body(&html), "<p>a</p>", "{src:?}");
        }
        assert_eq!(
            sanitize_body_with(
                r#"<iframe src="/other/1"></iframe><iframe src="/media/video/2"></iframe>"#,
                &["/media/video/"]
            ),
            r#"<iframe src="/media/video/2"></iframe>"#
        );
    }
}
