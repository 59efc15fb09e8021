//! Static publishing with tamper evidence (防篡改): `gongkai export-site OUT`
//! writes the public portal of the site as static files plus a SHA-256
//! manifest; `gongkai verify-site OUT` reports every file that was changed,
//! added or removed since.
//!
//! Pages are rendered in process through the app's own router (no socket, no
//! second copy of the rendering code), anonymously, in their default state
//! (no 适老化 cookie, no search query). The crawler starts from the portal's
//! entry pages and follows every same-site `href`/`src` in HTML and every
//! `<loc>`/`href` in the sitemap and feeds; it never enters the login,
//! admin or API paths and never follows links with a query string other than
//! `page` (paging) — files with an extension drop their query (a cache-buster).
//!
//! URL paths map to files: `/` → `index.html`, `/documents/12` →
//! `documents/12/index.html`, `/columns/x?page=2` → `columns/x/page-2/index.html`;
//! files keep their path (`/static/site.css`, `/files/3/预算.pdf`). Links in
//! the exported HTML are rewritten to these folder URLs; links to what the
//! export cannot hold (login, 适老化 switches, the API, pages that failed)
//! point at the live site when `--base-url` is given and lose their `href`
//! otherwise, so the static site has no dead links.
//!
//! Not for: serving the export (any static web server does), signing it, or
//! incremental updates. The manifest only proves integrity against a pinned
//! hash: whoever can rewrite the folder can rewrite `manifest.json.sha256`
//! too, so the operator keeps the printed hash elsewhere and verifies with
//! `--manifest-sha256`.

use crate::config::Config;
use crate::state::AppState;
use anyhow::{Context, anyhow, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use url::Url;

pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_SHA256: &str = "manifest.json.sha256";

/// Where the crawl starts.
const START: [&str; 6] = ["/", "/catalogue", "/sitemap.xml", "/static/site.css", "/a11y", "/workdays"];
/// First path segments the export never requests.
const SKIPPED: [&str; 5] = ["login", "logout", "admin", "api", "healthz"];
/// A runaway guard: no county portal has this many public URLs.
const MAX_TARGETS: usize = 200_000;
/// The largest response the exporter accepts (attachments are limited far below).
const MAX_BODY: usize = 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Manifest, hashing and comparison (pure; no app needed)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub sha256: String,
    pub size: u64,
}

/// `OUT/manifest.json`: every exported file with its SHA-256 and size, by
/// relative path (`/`-separated, sorted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub site: String,
    pub generated_at: String,
    pub files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    /// The manifest as written to disk (pretty JSON, trailing newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("a manifest always serialises");
        v.push(b'\n');
        v
    }

    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn entry_of(bytes: &[u8]) -> FileEntry {
    FileEntry {
        sha256: sha256_hex(bytes),
        size: bytes.len() as u64,
    }
}

/// Hashes a file without reading it into memory at once.
pub fn hash_file(path: &Path) -> std::io::Result<FileEntry> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok(FileEntry {
        sha256: hex::encode(h.finalize()),
        size,
    })
}

/// `manifest.json.sha256`: in the format `sha256sum -c` reads.
pub fn manifest_hash_line(manifest_bytes: &[u8]) -> String {
    format!("{}  {MANIFEST}\n", sha256_hex(manifest_bytes))
}

/// A 64-digit hex SHA-256 (any case), lower-cased; `None` otherwise.
pub fn parse_sha256(s: &str) -> Option<String> {
    let s = s.trim();
    (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// One difference between a folder and its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// In the manifest, present, but its hash or size differs.
    Changed(String),
    /// Present but not in the manifest.
    Added(String),
    /// In the manifest but absent.
    Missing(String),
    /// `manifest.json` does not hash to what `against` says.
    Manifest { against: String, expected: String, actual: String },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Changed(p) => write!(f, "已篡改 changed  {p}"),
            Finding::Added(p) => write!(f, "已新增 added    {p}"),
            Finding::Missing(p) => write!(f, "已缺失 missing  {p}"),
            Finding::Manifest { against, expected, actual } => {
                write!(f, "清单不符 manifest  {MANIFEST} sha256 {actual}, {against} says {expected}")
            }
        }
    }
}

/// Compares what the manifest lists with what the folder holds, in path order.
pub fn diff(expected: &BTreeMap<String, FileEntry>, actual: &BTreeMap<String, FileEntry>) -> Vec<Finding> {
    let mut out = vec![];
    let mut paths: Vec<&String> = expected.keys().chain(actual.keys()).collect();
    paths.sort();
    paths.dedup();
    for p in paths {
        match (expected.get(p), actual.get(p)) {
            (Some(e), Some(a)) if e != a => out.push(Finding::Changed(p.clone())),
            (Some(_), None) => out.push(Finding::Missing(p.clone())),
            (None, Some(_)) => out.push(Finding::Added(p.clone())),
            _ => {}
        }
    }
    out
}

/// Files under `root` (relative `/`-separated paths), without following
/// symbolic links; the manifest files at the top are left out.
pub fn list_files(root: &Path) -> std::io::Result<Vec<(String, PathBuf, std::fs::FileType)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf, std::fs::FileType)>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let ft = e.file_type()?;
            if ft.is_dir() {
                walk(&e.path(), &rel, out)?;
            } else if !(prefix.is_empty() && (rel == MANIFEST || rel == MANIFEST_SHA256)) {
                out.push((rel, e.path(), ft));
            }
        }
        Ok(())
    }
    let mut out = vec![];
    walk(root, "", &mut out)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Hashes every file under `root` (manifest files left out). Symbolic links
/// and other special files are not followed; they never match an entry.
pub fn scan_dir(root: &Path) -> std::io::Result<BTreeMap<String, FileEntry>> {
    let mut map = BTreeMap::new();
    for (rel, path, ft) in list_files(root)? {
        let entry = if ft.is_file() {
            hash_file(&path)?
        } else {
            FileEntry {
                sha256: "(not a regular file)".into(),
                size: 0,
            }
        };
        map.insert(rel, entry);
    }
    Ok(map)
}

/// What `verify-site` found.
#[derive(Debug)]
pub struct Verification {
    pub site: String,
    pub generated_at: String,
    pub manifest_sha256: String,
    pub files_checked: usize,
    pub findings: Vec<Finding>,
}

impl Verification {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// The folder or its manifest cannot be read, or the pinned hash is malformed
/// (exit status 2: nothing was compared).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VerifyError(pub String);

/// Recomputes every hash under `out` and compares with `out/manifest.json`;
/// checks the manifest against `manifest.json.sha256` and, if given, against
/// the hash the operator pinned.
pub fn verify_site(out: &Path, pinned: Option<&str>) -> Result<Verification, VerifyError> {
    let pinned = match pinned {
        Some(p) => Some(parse_sha256(p).ok_or_else(|| VerifyError(format!("--manifest-sha256 must be 64 hex digits, got `{p}`")))?),
        None => None,
    };
    if !out.is_dir() {
        return Err(VerifyError(format!("{} is not a readable folder", out.display())));
    }
    let bytes = std::fs::read(out.join(MANIFEST)).map_err(|e| VerifyError(format!("cannot read {}: {e}", out.join(MANIFEST).display())))?;
    let manifest =
        Manifest::parse(&bytes).map_err(|e| VerifyError(format!("{} is not a site manifest: {e}", out.join(MANIFEST).display())))?;
    let actual_hash = sha256_hex(&bytes);
    let mut findings = vec![];
    match std::fs::read_to_string(out.join(MANIFEST_SHA256)) {
        Ok(s) => {
            let recorded = s.split_whitespace().next().unwrap_or("");
            if parse_sha256(recorded).as_deref() != Some(actual_hash.as_str()) {
                findings.push(Finding::Manifest {
                    against: MANIFEST_SHA256.into(),
                    expected: recorded.to_string(),
                    actual: actual_hash.clone(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => findings.push(Finding::Missing(MANIFEST_SHA256.into())),
        Err(e) => return Err(VerifyError(format!("cannot read {}: {e}", out.join(MANIFEST_SHA256).display()))),
    }
    if let Some(p) = pinned
        && p != actual_hash
    {
        findings.push(Finding::Manifest {
            against: "--manifest-sha256".into(),
            expected: p,
            actual: actual_hash.clone(),
        });
    }
    let actual = scan_dir(out).map_err(|e| VerifyError(format!("cannot read {}: {e}", out.display())))?;
    findings.extend(diff(&manifest.files, &actual));
    Ok(Verification {
        site: manifest.site,
        generated_at: manifest.generated_at,
        manifest_sha256: actual_hash,
        files_checked: manifest.files.len(),
        findings,
    })
}

// ---------------------------------------------------------------------------
// URLs, links and paths
// ---------------------------------------------------------------------------

/// A resource the export holds: a URL path (percent-encoded, as `url` writes
/// it) and, for paged lists, the page number (> 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub path: String,
    pub page: Option<u32>,
}

impl Target {
    /// The request URI (also the crawl key).
    pub fn uri(&self) -> String {
        match self.page {
            Some(n) => format!("{}?page={n}", self.path),
            None => self.path.clone(),
        }
    }

    /// Decoded path segments; `None` if any is unsafe as a file name.
    fn segments(&self) -> Option<Vec<String>> {
        let raw: Vec<&str> = self.path.trim_start_matches('/').split('/').collect();
        let mut out = vec![];
        for (i, s) in raw.iter().enumerate() {
            if s.is_empty() {
                if i + 1 == raw.len() {
                    continue; // a trailing slash
                }
                return None;
            }
            let d = urlencoding::decode(s).ok()?;
            if d == "." || d == ".." || d.contains(['/', '\\', '\0']) || d.chars().any(char::is_control) {
                return None;
            }
            out.push(d.into_owned());
        }
        Some(out)
    }

    fn is_html_file_name(segs: &[String]) -> bool {
        segs.last().is_some_and(|l| l.ends_with(".html") || l.ends_with(".htm"))
    }

    /// The file's relative path in the export (`/`-separated): pages become
    /// `…/index.html` in a folder of their own, files keep their path.
    pub fn file_path(&self, html: bool) -> Option<String> {
        let mut segs = self.segments()?;
        if let Some(n) = self.page {
            segs.push(format!("page-{n}"));
        }
        if segs.is_empty() || (html && !Self::is_html_file_name(&segs)) {
            segs.push("index.html".into());
        }
        Some(segs.join("/"))
    }

    /// The link to the exported file: folder URLs (`/documents/12/`) for pages.
    pub fn static_url(&self, html: bool) -> String {
        let segs = self.segments().unwrap_or_default();
        let folder = html && !Self::is_html_file_name(&segs);
        let base = self.path.trim_end_matches('/');
        match (self.page, folder) {
            (Some(n), true) => format!("{base}/page-{n}/"),
            (Some(n), false) => format!("{base}/page-{n}"),
            (None, true) => format!("{base}/"),
            (None, false) => self.path.clone(),
        }
    }
}

/// What a link in an exported page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Left alone: fragments, other sites, mail, telephone.
    Keep,
    /// A same-site resource the export may hold.
    Crawl(Target),
    /// A same-site URL the export does not hold (login, admin, API, other
    /// query strings, unsafe paths): the absolute live URL.
    Live(Url),
}

/// Classifies `raw` (an attribute value, entities decoded) found on the page at `page`.
pub fn classify(raw: &str, page: &Url) -> Link {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return Link::Keep;
    }
    let Ok(mut url) = page.join(raw) else { return Link::Keep };
    if !matches!(url.scheme(), "http" | "https") || url.origin() != page.origin() {
        return Link::Keep;
    }
    url.set_fragment(None);
    let path = url.path().to_string();
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if SKIPPED.contains(&first) {
        return Link::Live(url);
    }
    let mut target = Target { path, page: None };
    let Some(segs) = target.segments() else { return Link::Live(url) };
    let has_extension = segs
        .last()
        .is_some_and(|l| l.rsplit_once('.').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()));
    match url.query() {
        None | Some("") => {}
        Some(_) if has_extension => {} // a cache-buster on a file
        Some(q) => {
            let pairs: Vec<(Cow<str>, Cow<str>)> = form_urlencoded::parse(q.as_bytes()).collect();
            match pairs.as_slice() {
                [(k, v)] if k == "page" && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => match v.parse::<u32>() {
                    Ok(1) => {}
                    Ok(n) if n > 1 => target.page = Some(n),
                    _ => return Link::Live(url),
                },
                _ => return Link::Live(url),
            }
        }
    }
    Link::Crawl(target)
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<[a-zA-Z][a-zA-Z0-9:-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>"#).expect("tag pattern")
});
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"#).expect("attribute pattern"));
static LOC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<loc>\s*([^<]*?)\s*</loc>").expect("loc pattern"));

/// Decodes the character references that can appear in attribute values.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|&j| j <= 12);
        let decoded = end.and_then(|j| {
            let name = &rest[1..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if name.starts_with("#x") || name.starts_with("#X") => u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32),
                _ if name.starts_with('#') => name[1..].parse::<u32>().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every `(attribute, value)` of the given names in the markup's tags, values decoded.
fn attributes<'a>(markup: &'a str, names: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
    TAG.find_iter(markup).flat_map(move |tag| {
        ATTR.captures_iter(tag.as_str()).filter_map(move |c| {
            let name = c.get(1)?.as_str();
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                return None;
            }
            let v = c.get(2).or(c.get(3)).or(c.get(4))?.as_str();
            Some(decode_entities(v).into_owned())
        })
    })
}

/// The URLs an HTML page or an XML document (sitemap, feed) links to.
pub fn links_in(body: &str, xml: bool) -> Vec<String> {
    let mut out: Vec<String> = attributes(body, &["href", "src"]).collect();
    if xml {
        out.extend(LOC.captures_iter(body).map(|c| decode_entities(&c[1]).into_owned()));
    }
    out
}

/// How links are rewritten: to the exported file, to the live site, or dropped.
pub struct Rewriter<'a> {
    /// `scheme://host` of the live site (`--base-url`), if known.
    pub live: Option<&'a Url>,
    /// The static URL of an exported target.
    pub exported: &'a dyn Fn(&Target) -> Option<String>,
}

impl Rewriter<'_> {
    /// Rewrites `href`, `src` and form `action` attributes of an exported page;
    /// returns the new page and how many links lost their target.
    pub fn rewrite(&self, html: &str, page: &Url) -> (String, usize) {
        let mut dropped = 0;
        let out = TAG.replace_all(html, |tag: &regex::Captures| {
            let tag = &tag[0];
            let mut changed = false;
            let new = ATTR.replace_all(tag, |c: &regex::Captures| {
                let whole = c[0].to_string();
                let name = c[1].to_ascii_lowercase();
                let Some(v) = c.get(2).or(c.get(3)).or(c.get(4)) else {
                    return whole;
                };
                if !matches!(name.as_str(), "href" | "src" | "action") {
                    return whole;
                }
                let raw = decode_entities(v.as_str());
                let fragment = raw.split_once('#').map(|(_, f)| format!("#{f}")).unwrap_or_default();
                let live_url = |u: &Url| {
                    self.live.map(|base| {
                        let mut l = base.clone();
                        l.set_path(u.path());
                        l.set_query(u.query());
                        format!("{l}{fragment}")
                    })
                };
                let new_value = match (classify(&raw, page), name.as_str()) {
                    (Link::Keep, _) => return whole,
                    // Forms need the live server; without one they stay as they are.
                    (Link::Crawl(_), "action") | (Link::Live(_), "action") => match page.join(&raw).ok().as_ref().and_then(live_url) {
                        Some(v) => Some(v),
                        None => return whole,
                    },
                    (Link::Crawl(t), _) => match (self.exported)(&t) {
                        Some(s) => Some(format!("{s}{fragment}")),
                        None => page.join(&raw).ok().as_ref().and_then(live_url),
                    },
                    (Link::Live(u), _) => live_url(&u),
                };
                changed = true;
                match new_value {
                    Some(v) => format!(" {name}=\"{}\"", escape_attr(&v)),
                    None => {
                        dropped += 1;
                        String::new()
                    }
                }
            });
            if changed { new.into_owned() } else { tag.to_string() }
        });
        (out.into_owned(), dropped)
    }
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The site's code; default: the site the portal serves.
    pub site: Option<String>,
    /// `https://host[:port]` of the live site: absolute URLs in the sitemap
    /// and feeds, and the target of links the export cannot hold.
    pub base_url: Option<String>,
    /// Write into a non-empty folder (files of an earlier export are replaced).
    pub force: bool,
}

#[derive(Debug)]
pub struct ExportSummary {
    pub site: String,
    pub files: usize,
    pub bytes: u64,
    pub manifest_sha256: String,
    /// Non-200 responses and files that could not be written.
    pub warnings: Vec<String>,
    /// Redirects followed (e.g. `/a11y` → `/`).
    pub redirects: usize,
    /// Links that lost their `href` (no `--base-url`).
    pub dropped_links: usize,
    pub elapsed: Duration,
}

/// Parses `--base-url`: an origin, `http(s)://host[:port]` (a path prefix is
/// not supported: the pages link with absolute paths).
pub fn parse_base_url(s: &str) -> anyhow::Result<Url> {
    let u = Url::parse(s.trim()).map_err(|e| anyhow!("--base-url `{s}` is not a URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        bail!("--base-url must start with http:// or https:// and name a host, e.g. https://gk.wuxi.gov.cn");
    }
    if u.path() != "/" || u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() || u.password().is_some() {
        bail!(
            "--base-url must be an origin such as https://gk.wuxi.gov.cn (no path, query or credentials): the site is exported for the root of a host"
        );
    }
    Ok(u)
}

/// Makes `out` ready: created if absent; refused if not empty unless `force`,
/// in which case the files an earlier export listed in its manifest are removed.
fn prepare_out(out: &Path, force: bool) -> anyhow::Result<()> {
    if !out.exists() {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let non_empty = std::fs::read_dir(out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .next()
        .is_some();
    if !non_empty {
        return Ok(());
    }
    if !force {
        bail!(
            "输出目录 {0} 不为空，请使用空目录或加 --force / the output folder {0} is not empty: use an empty or new folder, or --force to replace an earlier export",
            out.display()
        );
    }
    if let Ok(bytes) = std::fs::read(out.join(MANIFEST))
        && let Ok(old) = Manifest::parse(&bytes)
    {
        for rel in old.files.keys() {
            let safe = rel.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
            if safe {
                let p = out.join(rel);
                if p.symlink_metadata().is_ok_and(|m| m.is_file()) {
                    std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
                }
            }
        }
        for f in [MANIFEST, MANIFEST_SHA256] {
            let _ = std::fs::remove_file(out.join(f));
        }
        prune_empty_dirs(out);
    }
    Ok(())
}

fn prune_empty_dirs(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                prune_empty_dirs(&e.path());
                let _ = std::fs::remove_dir(e.path()); // fails unless empty
            }
        }
    }
}

fn write_file(out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

struct Fetched {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: axum::body::Bytes,
}

/// Writes the public portal of a site into `out` as static files with a manifest.
pub async fn export_site(state: &AppState, out: &Path, opts: &ExportOptions) -> anyhow::Result<ExportSummary> {
    let started = Instant::now();
    let live = opts.base_url.as_deref().map(parse_base_url).transpose()?;
    let portal_site = crate::catalogue::portal::default_site(state)
        .await
        .map_err(|_| anyhow!("there is no site to export; create one first (e.g. `gongkai demo`)"))?;
    if let Some(code) = &opts.site
        && code != &portal_site.code
    {
        match state.store.site_by_code(code).await? {
            None => bail!("no site with code `{code}`"),
            Some(_) => bail!(
                "site `{code}` is not the one the portal serves (`{}`); only that site can be exported",
                portal_site.code
            ),
        }
    }
    prepare_out(out, opts.force)?;

    let origin = live.clone().unwrap_or_else(|| Url::parse("http://localhost/").expect("valid URL"));
    let host = match origin.port() {
        Some(p) => format!("{}:{p}", origin.host_str().unwrap_or("localhost")),
        None => origin.host_str().unwrap_or("localhost").to_string(),
    };
    let https = origin.scheme() == "https";
    let router = crate::routes::router(state.clone());
    let fetch = |uri: String| {
        let router = router.clone();
        let host = host.clone();
        async move {
            let mut req = Request::get(&uri).header(header::HOST, host);
            if https {
                req = req.header("x-forwarded-proto", "https");
            }
            let req = req.body(Body::empty()).map_err(|e| anyhow!("bad request URI {uri}: {e}"))?;
            let res = router.oneshot(req).await.map_err(|e| anyhow!("{uri}: {e}"))?;
            let status = res.status();
            let text = |h: header::HeaderName| res.headers().get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
            let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
            let location = text(header::LOCATION);
            let body = axum::body::to_bytes(res.into_body(), MAX_BODY)
                .await
                .map_err(|e| anyhow!("{uri}: {e}"))?;
            anyhow::Ok(Fetched {
                status,
                content_type,
                location,
                body,
            })
        }
    };

    let mut warnings = vec![];
    let mut queue: VecDeque<(Target, String)> = VecDeque::new();
    let mut seen: HashSet<Target> = HashSet::new();
    for s in START {
        if let Link::Crawl(t) = classify(s, &origin)
            && seen.insert(t.clone())
        {
            queue.push_back((t, "(start)".into()));
        }
    }
    let mut files: BTreeMap<String, FileEntry> = BTreeMap::new();
    let mut exported: HashMap<Target, String> = HashMap::new();
    let mut redirects: HashMap<Target, Target> = HashMap::new();
    let mut pages: Vec<(Target, String, String)> = vec![]; // target, file path, html
    let mut taken: HashSet<String> = HashSet::new();
    let mut capped = false;
    while let Some((target, from)) = queue.pop_front() {
        let uri = target.uri();
        let page_url = origin.join(&uri).unwrap_or_else(|_| origin.clone());
        let res = fetch(uri.clone()).await?;
        if res.status.is_redirection() {
            if let Some(loc) = &res.location
                && let Link::Crawl(next) = classify(loc, &page_url)
            {
                redirects.insert(target.clone(), next.clone());
                if seen.len() < MAX_TARGETS && seen.insert(next.clone()) {
                    queue.push_back((next, uri));
                }
            }
            continue;
        }
        if res.status != StatusCode::OK {
            warnings.push(format!("{} {uri} (linked from {from})", res.status.as_u16()));
            continue;
        }
        let html = res.content_type.starts_with("text/html");
        let xml = res.content_type.contains("xml");
        if html || xml {
            let body = String::from_utf8_lossy(&res.body);
            for l in links_in(&body, xml) {
                if let Link::Crawl(next) = classify(&l, &page_url)
                    && !seen.contains(&next)
                {
                    if seen.len() >= MAX_TARGETS {
                        if !capped {
                            warnings.push(format!("more than {MAX_TARGETS} URLs; stopped following links"));
                            capped = true;
                        }
                        break;
                    }
                    seen.insert(next.clone());
                    queue.push_back((next, uri.clone()));
                }
            }
        }
        let Some(rel) = target.file_path(html) else {
            warnings.push(format!("{uri}: no safe file name"));
            continue;
        };
        if !taken.insert(rel.clone()) {
            warnings.push(format!("{uri}: {rel} is already taken by another URL"));
            continue;
        }
        exported.insert(target.clone(), target.static_url(html));
        if html {
            pages.push((target, rel, String::from_utf8_lossy(&res.body).into_owned()));
        } else {
            write_file(out, &rel, &res.body).with_context(|| format!("cannot write {}", out.join(&rel).display()))?;
            files.insert(rel, entry_of(&res.body));
        }
    }

    let resolve = |t: &Target| -> Option<String> {
        let mut t = t.clone();
        for _ in 0..5 {
            if let Some(s) = exported.get(&t) {
                return Some(s.clone());
            }
            t = redirects.get(&t)?.clone();
        }
        None
    };
    let rewriter = Rewriter {
        live: live.as_ref(),
        exported: &resolve,
    };
    let mut dropped_links = 0;
    for (target, rel, html) in &pages {
        let page_url = origin.join(&target.uri()).unwrap_or_else(|_| origin.clone());
        let (html, dropped) = rewriter.rewrite(html, &page_url);
        dropped_links += dropped;
        write_file(out, rel, html.as_bytes()).with_context(|| format!("cannot write {}", out.join(rel).display()))?;
        files.insert(rel.clone(), entry_of(html.as_bytes()));
    }

    let manifest = Manifest {
        site: portal_site.code.clone(),
        generated_at: state.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        files,
    };
    let bytes = manifest.to_bytes();
    write_file(out, MANIFEST, &bytes).with_context(|| format!("cannot write {}", out.join(MANIFEST).display()))?;
    write_file(out, MANIFEST_SHA256, manifest_hash_line(&bytes).as_bytes())
        .with_context(|| format!("cannot write {}", out.join(MANIFEST_SHA256).display()))?;
    let leftovers = list_files(out)
        .map(|l| l.iter().filter(|(rel, _, _)| !manifest.files.contains_key(rel)).count())
        .unwrap_or(0);
    if leftovers > 0 {
        warnings.push(format!(
            "{leftovers} files in {} are not part of this export (verify-site will list them as added)",
            out.display()
        ));
    }
    Ok(ExportSummary {
        site: manifest.site,
        files: manifest.files.len(),
        bytes: manifest.files.values().map(|f| f.size).sum(),
        manifest_sha256: sha256_hex(&bytes),
        warnings,
        redirects: redirects.len(),
        dropped_links,
        elapsed: started.elapsed(),
    })
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/// `gongkai export-site OUT [--site CODE] [--base-url URL] [--force]`.
pub async fn cli_export(config: &Config, out: &Path, opts: ExportOptions) -> anyhow::Result<ExitCode> {
    let store = crate::server::open_store(config).await?;
    let state = AppState::new(store, config.clone()).await?;
    let s = export_site(&state, out, &opts).await?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "exported site {} to {}: {} files, {} bytes in {:.1} s ({} warnings, {} redirects followed)",
        s.site,
        out.display(),
        s.files,
        s.bytes,
        s.elapsed.as_secs_f64(),
        s.warnings.len(),
        s.redirects
    );
    if s.dropped_links > 0 {
        println!(
            "{} links to pages only the live site serves (适老化 switches, API, …) were removed; give --base-url to point them at the live site",
            s.dropped_links
        );
    }
    if opts.base_url.is_none() {
        println!("note: the sitemap and feeds name http://localhost; give --base-url https://your.host for publishable absolute URLs");
    }
    println!("manifest sha256 {}", s.manifest_sha256);
    println!(
        "keep this hash apart from the site and check with: gongkai verify-site {} --manifest-sha256 {}",
        out.display(),
        s.manifest_sha256
    );
    Ok(ExitCode::SUCCESS)
}

/// `gongkai verify-site OUT [--manifest-sha256 HEX]`: exit 0 clean, 1 differences, 2 unreadable.
pub fn cli_verify(out: &Path, pinned: Option<&str>) -> ExitCode {
    match verify_site(out, pinned) {
        Ok(v) => {
            for f in &v.findings {
                println!("{f}");
            }
            if v.is_clean() {
                println!(
                    "校验通过 clean: {} files match the manifest of site {} generated at {} (manifest sha256 {})",
                    v.files_checked, v.site, v.generated_at, v.manifest_sha256
                );
                ExitCode::SUCCESS
            } else {
                println!(
                    "发现 {0} 处差异 {0} differences from the manifest of site {1}",
                    v.findings.len(),
                    v.site
                );
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(h: &str, n: u64) -> FileEntry {
        FileEntry { sha256: h.into(), size: n }
    }

    #[test]
    fn diff_names_changed_added_and_missing_in_path_order() {
        let expected: BTreeMap<_, _> = [
            ("a.html", e("1", 1)),
            ("b/index.html", e("2", 2)),
            ("c.css", e("3", 3)),
            ("d", e("4", 4)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mut actual = expected.clone();
        actual.insert("b/index.html".into(), e("x", 2)); // same size, other hash
        actual.insert("d".into(), e("4", 5)); // same hash, other size
        actual.remove("c.css");
        actual.insert("aa.js".into(), e("5", 5));
        assert_eq!(
            diff(&expected, &actual),
            vec![
                Finding::Added("aa.js".into()),
                Finding::Changed("b/index.html".into()),
                Finding::Missing("c.css".into()),
                Finding::Changed("d".into()),
            ]
        );
        assert!(diff(&expected, &expected).is_empty());
        assert_eq!(
            Finding::Changed("documents/3/index.html".into()).to_string(),
            "已篡改 changed  documents/3/index.html"
        );
    }

    #[test]
    fn hashing_matches_known_vectors_and_the_manifest_round_trips() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"abc").unwrap();
        assert_eq!(hash_file(&dir.path().join("f")).unwrap(), entry_of(b"abc"));
        let m = Manifest {
            site: "wsx".into(),
            generated_at: "2021-09-24T00:00:00Z".into(),
            files: [("z".to_string(), e("1", 1)), ("a".to_string(), e("2", 2))].into_iter().collect(),
        };
        let bytes = m.to_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.find("\"a\"").unwrap() < text.find("\"z\"").unwrap(), "sorted by path");
        assert_eq!(Manifest::parse(&bytes).unwrap(), m);
        assert_eq!(parse_sha256(&manifest_hash_line(&bytes)[..64]), Some(sha256_hex(&bytes)));
        assert_eq!(parse_sha256("xyz"), None);
    }

    #[test]
    fn urls_map_to_files_and_folder_links() {
        let site = Url::parse("http://localhost/").unwrap();
        let page = site.join("/columns/news").unwrap();
        let t = |raw: &str| match classify(raw, &page) {
            Link::Crawl(t) => t,
            other => panic!("{raw}: {other:?}"),
        };
        assert_eq!(t("/").file_path(true).unwrap(), "index.html");
        assert_eq!(t("/").static_url(true), "/");
        assert_eq!(t("/documents/12").file_path(true).unwrap(), "documents/12/index.html");
        assert_eq!(t("/documents/12#x").static_url(true), "/documents/12/");
        assert_eq!(t("?page=2").file_path(true).unwrap(), "columns/news/page-2/index.html");
        assert_eq!(t("/columns/news?page=2").static_url(true), "/columns/news/page-2/");
        assert_eq!(t("/columns/news?page=1"), t("/columns/news"));
        assert_eq!(t("/static/site.css?v=0.1.0").file_path(false).unwrap(), "static/site.css");
        assert_eq!(t("/static/site.css?v=0.1.0").static_url(false), "/static/site.css");
        assert_eq!(t("/files/3/预算.pdf").file_path(false).unwrap(), "files/3/预算.pdf");
        assert_eq!(t("http://localhost/sitemap.xml").file_path(false).unwrap(), "sitemap.xml");
        for live in [
            "/login",
            "/admin",
            "/admin/documents",
            "/api/v1/openapi.json",
            "/a11y?set=f1&back=%2F",
            "/workdays?from=2021-09-24",
            "/columns/x?page=0",
            "/files/1/a%2F..%2Fb",
        ] {
            assert!(matches!(classify(live, &page), Link::Live(_)), "{live}");
        }
        for keep in ["#main", "https://www.gov.cn/", "mailto:a@b.cn", "tel:023", ""] {
            assert_eq!(classify(keep, &page), Link::Keep, "{keep}");
        }
        assert_eq!(
            t("../documents/%2e%2e/%2e%2e/etc").path,
            "/etc",
            "dot segments resolve inside the site"
        );
    }

    #[test]
    fn links_are_rewritten_to_exported_files_the_live_site_or_dropped() {
        let site = Url::parse("http://localhost/").unwrap();
        let page = site.join("/columns/news").unwrap();
        let exported = |t: &Target| (t.path != "/documents/404").then(|| t.static_url(!t.path.starts_with("/static")));
        let html = r#"<link rel="stylesheet" href="/static/site.css?v=1"><a href="?page=2">下一页</a> <a href='/documents/3#att' title="a>b">x</a><a class="x" href="/a11y?set=f1&amp;back=%2F" rel="nofollow">大字号</a><a href="/documents/404">gone</a><a href="https://www.gov.cn/">gov</a><form method="get" action="/workdays"><p>href="/admin" in text</p>"#;
        let (out, dropped) = Rewriter {
            live: None,
            exported: &exported,
        }
        .rewrite(html, &page);
        assert_eq!(
            out,
            r#"<link rel="stylesheet" href="/static/site.css"><a href="/columns/news/page-2/">下一页</a> <a href="/documents/3/#att" title="a>b">x</a><a class="x" rel="nofollow">大字号</a><a>gone</a><a href="https://www.gov.cn/">gov</a><form method="get" action="/workdays"><p>href="/admin" in text</p>"#
        );
        assert_eq!(dropped, 2);
        let live = Url::parse("https://gk.wuxi.gov.cn").unwrap();
        let (out, dropped) = Rewriter {
            live: Some(&live),
            exported: &exported,
        }
        .rewrite(html, &page);
        assert_eq!(dropped, 0);
        assert!(out.contains(r#"href="https://gk.wuxi.gov.cn/a11y?set=f1&amp;back=%2F""#), "{out}");
        assert!(out.contains(r#"href="https://gk.wuxi.gov.cn/documents/404""#), "{out}");
        assert!(out.contains(r#"action="https://gk.wuxi.gov.cn/workdays""#), "{out}");
        assert_eq!(links_in(html, false).len(), 6);
    }

    #[test]
    fn entities_and_base_urls() {
        assert_eq!(decode_entities("a&amp;b&#38;c&#x26;d&quot;&unknown;&"), "a&b&c&d\"&unknown;&");
        assert!(parse_base_url("https://gk.wuxi.gov.cn").is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080/").is_ok());
        assert!(parse_base_url("https://gk.wuxi.gov.cn/gk/").is_err());
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("nope").is_err());
    }
}
