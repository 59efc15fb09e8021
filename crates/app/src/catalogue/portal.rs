//! Public catalogue pages: the column tree, a column's items with paging,
//! the document page (the metadata table government sites use, the body,
//! attachments, linked interpretations or documents, the validity banner),
//! Atom feeds per column and the sitemap.

use super::{KIND_INTERPRETATION, column_kind, current_validity, parse_date, unpublish_reason};
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::catalogue::{ColumnKind, UnpublishReason, Validity, banner_zh, needs_banner};
use gongkai_store::accounts::Site;
use gongkai_store::catalogue::{ColumnRow, DocumentFilter, DocumentRow};
use serde::Deserialize;
use std::sync::Arc;

pub const PAGE_SIZE: u64 = 20;

/// The default site, its columns, and the visible column named `slug` (404 otherwise).
async fn visible_column(state: &AppState, slug: &str) -> AppResult<(Site, Vec<ColumnRow>, ColumnRow)> {
    let site = default_site(state).await?;
    let columns = state.store.columns_of_site(site.id).await?;
    let column = columns
        .iter()
        .find(|c| c.slug == slug && !c.hidden)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    Ok((site, columns, column))
}

pub async fn default_site(state: &AppState) -> AppResult<Site> {
    state.store.list_sites().await?.into_iter().next().ok_or_else(AppError::not_found)
}

pub struct ItemLine {
    pub id: i64,
    pub title: String,
    pub date: String,
    pub doc_no: String,
    pub validity: String,
    pub flagged: bool,
}

fn line(d: &DocumentRow, today: chrono::NaiveDate) -> ItemLine {
    let v = current_validity(d, today);
    ItemLine {
        id: d.id,
        title: d.title.clone(),
        date: d.published_on.clone().unwrap_or_default(),
        doc_no: d.doc_no.clone().unwrap_or_default(),
        validity: v.label_zh().to_string(),
        flagged: needs_banner(v),
    }
}

pub struct ColumnNode {
    pub slug: String,
    pub name: String,
    pub depth: usize,
    pub current: bool,
}

/// Visible columns in tree order with depth.
pub fn tree(columns: &[ColumnRow], current: Option<i64>) -> Vec<ColumnNode> {
    fn visit(cols: &[ColumnRow], parent: Option<i64>, depth: usize, current: Option<i64>, out: &mut Vec<ColumnNode>) {
        let mut children: Vec<&ColumnRow> = cols.iter().filter(|c| c.parent_id == parent && !c.hidden).collect();
        children.sort_by_key(|c| (c.sort_order, c.id));
        for c in children {
            out.push(ColumnNode {
                slug: c.slug.clone(),
                name: c.name.clone(),
                depth,
                current: Some(c.id) == current,
            });
            visit(cols, Some(c.id), depth + 1, current, out);
        }
    }
    let mut out = vec![];
    visit(columns, None, 0, current, &mut out);
    out
}

/// A column and its visible descendants' ids.
pub fn subtree_ids(columns: &[ColumnRow], root: i64) -> Vec<i64> {
    let mut ids = vec![root];
    let mut i = 0;
    while i < ids.len() {
        let p = ids[i];
        ids.extend(columns.iter().filter(|c| c.parent_id == Some(p) && !c.hidden).map(|c| c.id));
        i += 1;
    }
    ids
}

pub struct ColumnBlock {
    pub slug: String,
    pub name: String,
    pub items: Vec<ItemLine>,
}

/// The latest items of the main columns, for the home page.
pub async fn home_blocks(state: &AppState) -> AppResult<Vec<ColumnBlock>> {
    let Ok(site) = default_site(state).await else { return Ok(vec![]) };
    let columns = state.store.columns_of_site(site.id).await?;
    let today = state.clock.now().date_naive();
    let mut blocks = vec![];
    for slug in [
        "notices",
        "news",
        "normative-documents",
        "other-documents",
        "interpretations",
        "plans",
        "budgets",
    ] {
        let Some(c) = columns.iter().find(|c| c.slug == slug && !c.hidden) else {
            continue;
        };
        let f = DocumentFilter {
            column_ids: Some(subtree_ids(&columns, c.id)),
            states: Some(vec!["published".into()]),
            ..Default::default()
        };
        let items: Vec<ItemLine> = state.store.list_documents(&f, 6, 0).await?.iter().map(|d| line(d, today)).collect();
        if !items.is_empty() {
            blocks.push(ColumnBlock {
                slug: c.slug.clone(),
                name: c.name.clone(),
                items,
            });
        }
    }
    Ok(blocks)
}

#[derive(Template)]
#[template(path = "portal/catalogue.html")]
struct CatalogueT {
    page: Page,
    nodes: Vec<ColumnNode>,
}

/// `GET /catalogue`: the 政府信息公开目录 tree.
pub async fn catalogue(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let page = portal_page(&state, &ctx, "政府信息公开目录").await?;
    let nodes = tree(&state.store.columns_of_site(site.id).await?, None);
    render(&CatalogueT { page, nodes })
}

#[derive(Template)]
#[template(path = "portal/column.html")]
struct ColumnT {
    page: Page,
    column: ColumnRow,
    nodes: Vec<ColumnNode>,
    items: Vec<ItemLine>,
    total: i64,
    page_no: u64,
    pages: u64,
    page_body: Option<String>,
    link_url: Option<String>,
    unit_phones: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
}

/// `GET /columns/{slug}`: a column's items (with its sub-columns'), newest first.
pub async fn column(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, columns, column) = visible_column(&state, &slug).await?;
    let page_no = q.page.unwrap_or(1).max(1);
    let f = DocumentFilter {
        column_ids: Some(subtree_ids(&columns, column.id)),
        states: Some(vec!["published".into(), "unpublished".into()]),
        ..Default::default()
    };
    let total = state.store.count_documents(&f).await?;
    let today = state.clock.now().date_naive();
    let items = state
        .store
        .list_documents(&f, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?
        .iter()
        .filter(|d| d.state == "published" || unpublish_reason(d) == Some(UnpublishReason::Withdrawn))
        .map(|d| line(d, today))
        .collect();
    // 联系我们 shows every unit's public phone (对外联系电话).
    let unit_phones = if column.slug == "contact" {
        state
            .store
            .list_units()
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.name, u.phone.unwrap_or_else(|| "未公布".into())))
            .collect()
    } else {
        vec![]
    };
    let page = portal_page(&state, &ctx, &column.name).await?;
    let pages = ((total.max(0) as u64).div_ceil(PAGE_SIZE)).max(1);
    let nodes = tree(&columns, Some(column.id));
    let kind = column_kind(&column);
    render(&ColumnT {
        page,
        page_body: if kind == ColumnKind::Page { column.page_body.clone() } else { None },
        link_url: if kind == ColumnKind::Link { column.link_url.clone() } else { None },
        column,
        nodes,
        items,
        total,
        page_no,
        pages,
        unit_phones,
    })
}

pub struct Meta {
    pub label: &'static str,
    pub value: String,
}

pub struct AttachmentLine {
    pub id: i64,
    pub filename: String,
    pub kind: String,
    pub size: String,
    pub is_image: bool,
    pub is_video: bool,
}

#[derive(Template)]
#[template(path = "portal/document.html")]
struct DocumentT {
    page: Page,
    doc: DocumentRow,
    column: ColumnRow,
    meta: Vec<Meta>,
    banner: Option<String>,
    replacement: Option<(i64, String)>,
    withdrawn: Option<String>,
    attachments: Vec<AttachmentLine>,
    linked: Vec<ItemLine>,
    linked_heading: &'static str,
    interpretation_kind: String,
}

fn human_size(n: i64) -> String {
    match n {
        n if n >= 1024 * 1024 => format!("{:.1} MB", n as f64 / 1048576.0),
        n if n >= 1024 => format!("{:.0} KB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// `GET /documents/{id}`. Anonymous views are served from a short-lived
/// in-memory cache (the most-read page of the portal).
pub async fn document(State(state): State<AppState>, ctx: RequestCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let key = format!("doc:{id}:{}:{}", ctx.a11y.encode(), state.clock.now().date_naive());
    let anonymous = ctx.session.is_none();
    if anonymous && let Some(html) = state.cached_page(&key) {
        return Ok(axum::response::Html(html.to_string()).into_response());
    }
    let res = render_document(&state, &ctx, id).await?;
    if !anonymous || res.status() != StatusCode::OK {
        return Ok(res);
    }
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.map_err(|e| anyhow::anyhow!(e))?;
    let html: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
    state.store_page(key, html);
    Ok(Response::from_parts(parts, axum::body::Body::from(bytes)))
}

async fn render_document(state: &AppState, ctx: &RequestCtx, id: i64) -> AppResult<Response> {
    let (state, ctx) = (state.clone(), ctx.clone());
    let doc = state.store.get_document(id).await.map_err(|_| AppError::not_found())?;
    let withdrawn = match (doc.state.as_str(), unpublish_reason(&doc)) {
        ("published", _) => None,
        ("unpublished", Some(UnpublishReason::Withdrawn)) => Some(format!(
            "本文件已于{}撤下：{}",
            doc.updated_at.get(..10).unwrap_or(""),
            doc.unpublish_note.clone().unwrap_or_default()
        )),
        ("unpublished", Some(UnpublishReason::PublishedInError)) => {
            return Err(AppError::new(StatusCode::GONE, "gone", "该信息因发布错误已撤销"));
        }
        _ => return Err(AppError::not_found()),
    };
    let column = state.store.get_column(doc.column_id).await?;
    let unit = state.store.get_unit(doc.unit_id).await?;
    let today = state.clock.now().date_naive();
    let validity = current_validity(&doc, today);
    let mut meta = vec![
        Meta {
            label: "索引号",
            value: doc.index_no.clone(),
        },
        Meta {
            label: "发布机构",
            value: unit.name.clone(),
        },
        Meta {
            label: "发文机关",
            value: doc.issuer.clone(),
        },
        Meta {
            label: "主题分类",
            value: gongkai_domain::catalogue::Topic::parse(&doc.topic)
                .map(|t| t.label_zh().to_string())
                .unwrap_or(doc.topic.clone()),
        },
        Meta {
            label: "体裁",
            value: gongkai_domain::catalogue::Genre::parse(&doc.genre)
                .map(|t| t.label_zh().to_string())
                .unwrap_or(doc.genre.clone()),
        },
    ];
    if let Some(n) = &doc.doc_no {
        meta.push(Meta {
            label: "文号",
            value: n.clone(),
        });
    }
    if let Some(w) = &doc.written_on {
        meta.push(Meta {
            label: "成文日期",
            value: w.clone(),
        });
    }
    meta.push(Meta {
        label: "发布日期",
        value: doc.published_on.clone().unwrap_or_default(),
    });
    if doc.kind != KIND_INTERPRETATION {
        meta.push(Meta {
            label: "有效性",
            value: validity.label_zh().to_string(),
        });
        if let Some(e) = &doc.effective_on {
            meta.push(Meta {
                label: "生效日期",
                value: e.clone(),
            });
        }
        if let Some(e) = &doc.expires_on {
            meta.push(Meta {
                label: "失效日期",
                value: e.clone(),
            });
        }
    }
    let replacement = match doc.replaced_by {
        Some(r) => state
            .store
            .get_document(r)
            .await
            .ok()
            .filter(|d| d.state == "published")
            .map(|d| (d.id, d.title)),
        None => None,
    };
    let banner = needs_banner(validity).then(|| {
        let on = doc
            .validity_changed_on
            .as_deref()
            .and_then(parse_date)
            .or_else(|| {
                doc.expires_on
                    .as_deref()
                    .and_then(parse_date)
                    .map(gongkai_domain::catalogue::first_day_expired)
            })
            .unwrap_or(today);
        let reason = doc.validity_reason.clone().unwrap_or_else(|| {
            if validity == Validity::Expired {
                "有效期届满".into()
            } else {
                String::new()
            }
        });
        banner_zh(validity, on, &reason, replacement.as_ref().map(|r| r.1.as_str()))
    });
    let attachments = state
        .store
        .attachments(doc.id)
        .await?
        .into_iter()
        .map(|a| AttachmentLine {
            id: a.id,
            kind: gongkai_domain::files::FileKind::from_extension(&a.file_kind)
                .map(|k| k.label_zh().to_string())
                .unwrap_or_default(),
            is_image: matches!(a.file_kind.as_str(), "png" | "jpeg" | "jpg"),
            is_video: a.file_kind == "mp4",
            size: human_size(a.size),
            filename: a.filename,
        })
        .collect();
    let is_interp = doc.kind == KIND_INTERPRETATION;
    let linked = state
        .store
        .linked_documents(doc.id, !is_interp)
        .await?
        .iter()
        .filter(|d| d.state == "published")
        .map(|d| line(d, today))
        .collect();
    let page = portal_page(&state, &ctx, &doc.title).await?;
    render(&DocumentT {
        page,
        interpretation_kind: doc
            .interpretation_kind
            .as_deref()
            .and_then(|k| gongkai_domain::catalogue::InterpretationKind::parse(k).ok())
            .map(|k| k.label_zh().to_string())
            .unwrap_or_default(),
        doc,
        column,
        meta,
        banner,
        replacement,
        withdrawn,
        attachments,
        linked,
        linked_heading: if is_interp { "解读的政策文件" } else { "政策解读" },
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn base_url(ctx_host: Option<&HeaderValue>, secure: bool) -> String {
    let host = ctx_host
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')))
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

/// `GET /columns/{slug}/feed.xml`: Atom feed of a column's latest items.
pub async fn feed(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: axum::http::HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (site, columns, column) = visible_column(&state, &slug).await?;
    let f = DocumentFilter {
        column_ids: Some(subtree_ids(&columns, column.id)),
        states: Some(vec!["published".into()]),
        ..Default::default()
    };
    let docs = state.store.list_documents(&f, 50, 0).await?;
    let base = base_url(headers.get(header::HOST), ctx.secure);
    let updated = docs
        .iter()
        .map(|d| d.updated_at.clone())
        .max()
        .unwrap_or_else(|| column.created_at.clone());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{} - {}</title>\n<id>{base}/columns/{}</id>\n<link rel=\"self\" href=\"{base}/columns/{}/feed.xml\"/>\n<link href=\"{base}/columns/{}\"/>\n<updated>{}</updated>\n",
        xml_escape(&column.name),
        xml_escape(&site.name),
        column.slug,
        column.slug,
        column.slug,
        updated
    );
    for d in &docs {
        let summary = gongkai_domain::catalogue::html_to_text(&d.body)
            .chars()
            .take(200)
            .collect::<String>();
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/documents/{}</id>\n<link href=\"{base}/documents/{}\"/>\n<updated>{}</updated>\n<published>{}T00:00:00Z</published>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&d.title),
            d.id,
            d.id,
            d.updated_at,
            d.published_on.clone().unwrap_or_default(),
            xml_escape(&d.issuer),
            xml_escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        xml,
    )
        .into_response())
}

/// `GET /sitemap.xml`: the portal's pages, columns and published items.
pub async fn sitemap(State(state): State<AppState>, ctx: RequestCtx, headers: axum::http::HeaderMap) -> AppResult<Response> {
    let base = base_url(headers.get(header::HOST), ctx.secure);
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in ["/", "/catalogue", "/workdays"] {
        xml.push_str(&format!("<url><loc>{base}{p}</loc></url>\n"));
    }
    if let Ok(site) = default_site(&state).await {
        for c in state.store.columns_of_site(site.id).await?.iter().filter(|c| !c.hidden) {
            xml.push_str(&format!("<url><loc>{base}/columns/{}</loc></url>\n", c.slug));
        }
        let f = DocumentFilter {
            site_id: Some(site.id),
            states: Some(vec!["published".into()]),
            ..Default::default()
        };
        let mut offset = 0;
        loop {
            let docs = state.store.list_documents(&f, 1000, offset).await?;
            for d in &docs {
                xml.push_str(&format!(
                    "<url><loc>{base}/documents/{}</loc><lastmod>{}</lastmod></url>\n",
                    d.id,
                    &d.updated_at[..10]
                ));
            }
            if docs.len() < 1000 || offset >= 49_000 {
                break;
            }
            offset += 1000;
        }
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))],
        xml,
    )
        .into_response())
}
