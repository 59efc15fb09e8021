//! Admin pages of the catalogue: the document list, the editor, the review
//! page (privacy findings with one-click masking, attachment checks, review
//! actions, versions and diff, validity), and column management.

use super::{DocumentInput, FieldError, KIND_INTERPRETATION, PrivacyItem, column_kind, doc_state, parse_date, portal::default_site};
use crate::auth::{Session, Staff};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::catalogue::{ColumnKind, DiffLine, DocState, ReviewAction, UnpublishReason, Validity, diff_text, html_to_text};
use gongkai_domain::privacy::LawfulBasis;
use gongkai_store::catalogue::{ColumnRow, DocumentFilter, DocumentRow};
use serde::Deserialize;

fn units_where(session: &Session, units: &[gongkai_store::accounts::Unit], actions: &[Action]) -> Vec<i64> {
    units
        .iter()
        .filter(|u| actions.iter().any(|a| session.can(*a, Scope::Unit(&u.unit_path()))))
        .map(|u| u.id)
        .collect()
}

pub struct DocLine {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub column: String,
    pub unit: String,
    pub state: String,
    pub updated: String,
    pub needs_review: bool,
}

#[derive(Template)]
#[template(path = "admin/documents.html")]
struct ListT {
    page: Page,
    docs: Vec<DocLine>,
    state_filter: String,
    can_create: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
}

pub async fn list(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<ListQuery>) -> AppResult<Response> {
    if !(session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ReviewContent)) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let units = state.store.list_units().await?;
    let unit_ids = if session.is_system_admin() {
        None
    } else {
        Some(units_where(&session, &units, &[Action::EditContent, Action::ReviewContent]))
    };
    let states = match q.state.as_deref() {
        Some("review") => Some(vec!["in_review".to_string()]),
        Some(s @ ("draft" | "scheduled" | "published" | "unpublished")) => Some(vec![s.to_string()]),
        _ => None,
    };
    let f = DocumentFilter {
        site_id: Some(site.id),
        unit_ids,
        states,
        title_contains: q.q.clone(),
        ..Default::default()
    };
    let columns = state.store.columns_of_site(site.id).await?;
    let stage_names = site.settings.review_stages.clone();
    let docs = state
        .store
        .list_documents(&f, 200, 0)
        .await?
        .into_iter()
        .map(|d| DocLine {
            id: d.id,
            kind: if d.kind == KIND_INTERPRETATION {
                "政策解读"
            } else {
                "政策文件"
            },
            column: columns
                .iter()
                .find(|c| c.id == d.column_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            unit: units.iter().find(|u| u.id == d.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            state: doc_state(&d).label_zh(&stage_names),
            updated: d.updated_at.get(..16).unwrap_or("").replace('T', " "),
            needs_review: d.needs_review,
            title: d.title,
        })
        .collect();
    let page = admin_page(&state, &session, &ctx, "信息发布").await?;
    render(&ListT {
        page,
        docs,
        state_filter: q.state.unwrap_or_default(),
        can_create: session.can_somewhere(Action::EditContent),
    })
}

#[derive(Template)]
#[template(path = "admin/document_form.html")]
struct FormT {
    page: Page,
    action: String,
    input: DocumentInput,
    links_text: String,
    columns: Vec<(i64, String)>,
    units: Vec<(i64, String)>,
    unit_id: i64,
    topics: Vec<(&'static str, &'static str)>,
    genres: Vec<(&'static str, &'static str)>,
    validities: Vec<(&'static str, &'static str)>,
    error: Option<FieldError>,
    interpretation: bool,
}

fn item_columns(columns: &[ColumnRow], interpretation: bool) -> Vec<(i64, String)> {
    columns
        .iter()
        .filter(|c| match column_kind(c) {
            ColumnKind::Interpretations(_) => interpretation,
            k => !interpretation && k.holds_items(),
        })
        .map(|c| (c.id, c.name.clone()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    session: &Session,
    ctx: &crate::auth::RequestCtx,
    action: String,
    input: DocumentInput,
    unit_id: i64,
    interpretation: bool,
    error: Option<FieldError>,
) -> AppResult<Response> {
    let site = default_site(state).await?;
    let columns = state.store.columns_of_site(site.id).await?;
    let units = crate::accounts::units_in_scope(session, &state.store.list_units().await?, Action::EditContent);
    if units.is_empty() {
        return Err(AppError::forbidden());
    }
    let page = admin_page(
        state,
        session,
        ctx,
        if interpretation {
            "编辑政策解读"
        } else {
            "编辑政策文件"
        },
    )
    .await?;
    let links_text = input.links.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(",");
    let mut res = render(&FormT {
        page,
        action,
        input,
        links_text,
        columns: item_columns(&columns, interpretation),
        units,
        unit_id,
        topics: gongkai_domain::catalogue::Topic::ALL
            .iter()
            .map(|t| (t.as_str(), t.label_zh()))
            .collect(),
        genres: gongkai_domain::catalogue::Genre::ALL
            .iter()
            .map(|t| (t.as_str(), t.label_zh()))
            .collect(),
        validities: [Validity::InForce, Validity::Expired, Validity::Repealed, Validity::Amended]
            .iter()
            .map(|v| (v.as_str(), v.label_zh()))
            .collect(),
        error: error.clone(),
        interpretation,
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
}

pub async fn new_page(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<NewQuery>) -> AppResult<Response> {
    let interpretation = q.kind.as_deref() == Some("interpretation");
    form_page(
        &state,
        &session,
        &ctx,
        "/admin/documents".into(),
        DocumentInput::default(),
        0,
        interpretation,
        None,
    )
    .await
}

/// The editor's form, as posted.
#[derive(Deserialize)]
pub struct DocForm {
    unit_id: Option<i64>,
    column_id: i64,
    title: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    written_on: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    genre: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    effective_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    transcript: String,
    #[serde(default)]
    links: String,
    #[serde(default)]
    interpretation: Option<String>,
}

impl DocForm {
    fn input(&self) -> Result<DocumentInput, FieldError> {
        let links = self
            .links
            .split([',', '，', ' ', '、'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<i64>().map_err(|_| ("links", format!("关联文件编号“{s}”应为数字"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DocumentInput {
            column_id: self.column_id,
            title: self.title.clone(),
            issuer: self.issuer.clone(),
            doc_no: self.doc_no.clone(),
            written_on: self.written_on.clone(),
            topic: self.topic.clone(),
            genre: self.genre.clone(),
            validity: self.validity.clone(),
            effective_on: self.effective_on.clone(),
            expires_on: self.expires_on.clone(),
            body: self.body.clone(),
            transcript: self.transcript.clone(),
            links,
        })
    }
}

pub async fn create(State(state): State<AppState>, Staff(session, ctx): Staff, axum::Form(f): axum::Form<DocForm>) -> AppResult<Response> {
    let interpretation = f.interpretation.is_some();
    let unit_id = f.unit_id.unwrap_or(0);
    let input = match f.input() {
        Ok(i) => i,
        Err(e) => {
            return form_page(
                &state,
                &session,
                &ctx,
                "/admin/documents".into(),
                DocumentInput {
                    title: f.title.clone(),
                    ..Default::default()
                },
                unit_id,
                interpretation,
                Some(e),
            )
            .await;
        }
    };
    let site = default_site(&state).await?;
    match super::create_document(&state, &session, site.id, unit_id, &input).await? {
        Ok(id) => Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response()),
        Err(e) => {
            form_page(
                &state,
                &session,
                &ctx,
                "/admin/documents".into(),
                input,
                unit_id,
                interpretation,
                Some(e),
            )
            .await
        }
    }
}

fn input_of(d: &DocumentRow, links: Vec<i64>) -> DocumentInput {
    DocumentInput {
        column_id: d.column_id,
        title: d.title.clone(),
        issuer: d.issuer.clone(),
        doc_no: d.doc_no.clone().unwrap_or_default(),
        written_on: d.written_on.clone().unwrap_or_default(),
        topic: d.topic.clone(),
        genre: d.genre.clone(),
        validity: d.validity.clone(),
        effective_on: d.effective_on.clone().unwrap_or_default(),
        expires_on: d.expires_on.clone().unwrap_or_default(),
        body: d.body.clone(),
        transcript: d.transcript.clone().unwrap_or_default(),
        links,
    }
}

pub async fn edit_page(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let d = state.store.get_document(id).await?;
    let links = state.store.linked_documents(id, false).await?.into_iter().map(|l| l.id).collect();
    form_page(
        &state,
        &session,
        &ctx,
        format!("/admin/documents/{id}/edit"),
        input_of(&d, links),
        d.unit_id,
        d.kind == KIND_INTERPRETATION,
        None,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<DocForm>,
) -> AppResult<Response> {
    let d = state.store.get_document(id).await?;
    let interpretation = d.kind == KIND_INTERPRETATION;
    let input = match f.input() {
        Ok(i) => i,
        Err(e) => {
            return form_page(
                &state,
                &session,
                &ctx,
                format!("/admin/documents/{id}/edit"),
                input_of(&d, vec![]),
                d.unit_id,
                interpretation,
                Some(e),
            )
            .await;
        }
    };
    match super::update_document(&state, &session, &d, &input).await? {
        Ok(_) => Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response()),
        Err(e) => {
            form_page(
                &state,
                &session,
                &ctx,
                format!("/admin/documents/{id}/edit"),
                input,
                d.unit_id,
                interpretation,
                Some(e),
            )
            .await
        }
    }
}

pub struct AttachmentView {
    pub id: i64,
    pub filename: String,
    pub kind: String,
    pub size: i64,
    pub findings: Vec<String>,
    pub acknowledged: bool,
    pub only_uninspectable: bool,
}

pub struct EventView {
    pub at: String,
    pub action: String,
    pub actor: String,
    pub comment: String,
}

pub struct FindingView {
    pub key: String,
    pub source: String,
    pub kind: String,
    pub text: String,
    pub masked: String,
    pub context: String,
    pub lawful: Option<String>,
    pub maskable: bool,
}

#[derive(Template)]
#[template(path = "admin/document.html")]
struct ShowT {
    page: Page,
    doc: DocumentRow,
    state_label: String,
    column: String,
    unit: String,
    findings: Vec<FindingView>,
    open_findings: usize,
    attachments: Vec<AttachmentView>,
    events: Vec<EventView>,
    versions: Vec<(i64, String, String)>,
    linked: Vec<(i64, String)>,
    actions: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    can_review: bool,
    is_draft: bool,
    is_published: bool,
    bases: Vec<(&'static str, &'static str)>,
    validities: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

fn context_of(body: &str, start: usize, end: usize) -> String {
    let text_before: String = body[..start].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = body[end..].chars().take(40).collect();
    let strip = |s: &str| html_to_text(s).replace('\n', " ");
    format!("…{}【{}】{}…", strip(&text_before), &body[start..end], strip(&after))
}

pub async fn show_page(
    state: &AppState,
    session: &Session,
    ctx: &crate::auth::RequestCtx,
    id: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    let unit = state.store.get_unit(doc.unit_id).await?;
    let path = unit.unit_path();
    let can_edit = session.can(Action::EditContent, Scope::Unit(&path));
    let can_review = session.can(Action::ReviewContent, Scope::Unit(&path));
    if !(can_edit || can_review) {
        return Err(AppError::forbidden());
    }
    let site = default_site(state).await?;
    let report: Vec<PrivacyItem> = super::privacy_report(state, &doc).await?;
    let findings: Vec<FindingView> = report
        .iter()
        .map(|i| FindingView {
            key: i.key.clone(),
            source: if i.source == "body" {
                "正文".into()
            } else if i.source == "transcript" {
                "文字稿".into()
            } else {
                format!("附件 {}", &i.source[11..])
            },
            kind: i.kind_label.clone(),
            context: if i.source == "body" {
                context_of(&doc.body, i.start, i.end)
            } else {
                String::new()
            },
            text: i.text.clone(),
            masked: i.masked.clone(),
            lawful: i.lawful_reason.clone(),
            maskable: i.source == "body" || i.source == "transcript",
        })
        .collect();
    let open_findings = findings.iter().filter(|f| f.lawful.is_none()).count();
    let attachments = state
        .store
        .attachments(id)
        .await?
        .into_iter()
        .map(|a| {
            let fs = super::files::findings_of(&a);
            AttachmentView {
                only_uninspectable: !fs.is_empty() && fs.iter().all(|f| f.kind == gongkai_domain::files::HiddenKind::Uninspectable),
                findings: fs.iter().map(|f| f.message_zh()).collect(),
                id: a.id,
                filename: a.filename,
                kind: a.file_kind,
                size: a.size,
                acknowledged: a.acknowledged,
            }
        })
        .collect();
    let events = state
        .store
        .events(id)
        .await?
        .into_iter()
        .map(|e| EventView {
            at: e.at.get(..16).unwrap_or("").replace('T', " "),
            action: match e.action.as_str() {
                "create" => "创建".into(),
                "update" => "修改".into(),
                "validity" => "变更有效性".into(),
                a => gongkai_domain::catalogue::action_label_zh(a).to_string(),
            },
            actor: e.actor,
            comment: e.comment.unwrap_or_default(),
        })
        .collect();
    let versions = state
        .store
        .versions(id)
        .await?
        .into_iter()
        .map(|v| (v.version, v.actor, v.created_at.get(..16).unwrap_or("").replace('T', " ")))
        .collect();
    let linked = state
        .store
        .linked_documents(id, doc.kind != KIND_INTERPRETATION)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let st = doc_state(&doc);
    let mut actions = vec![];
    match st {
        DocState::Draft if can_edit => actions.push(("submit", "提交审核")),
        DocState::InReview { stage } if can_review => {
            actions.push(("approve", "审核通过"));
            actions.push(("reject", "退回修改"));
            if usize::from(stage) >= site.settings.review_stages.len() {
                actions.push(("schedule", "定时发布"));
            }
        }
        DocState::Scheduled if can_review => actions.push(("publish", "立即发布")),
        DocState::Published if can_review => {
            actions.push(("unpublish_withdrawn", "撤下（保留页面并说明）"));
            actions.push(("unpublish_error", "撤销（发布错误，页面返回410）"));
        }
        _ => {}
    }
    if matches!(st, DocState::InReview { .. } | DocState::Scheduled | DocState::Unpublished) && (can_edit || can_review) {
        actions.push(("withdraw", "撤回为草稿"));
    }
    let page = admin_page(state, session, ctx, &doc.title).await?;
    let mut res = render(&ShowT {
        page,
        state_label: st.label_zh(&site.settings.review_stages),
        column: state.store.get_column(doc.column_id).await?.name,
        unit: unit.name,
        findings,
        open_findings,
        attachments,
        events,
        versions,
        linked,
        actions,
        can_edit,
        can_review,
        is_draft: st == DocState::Draft,
        is_published: st == DocState::Published,
        bases: LawfulBasis::ALL.iter().map(|b| (b.as_str(), b.label_zh())).collect(),
        validities: [Validity::Expired, Validity::Repealed, Validity::Amended, Validity::InForce]
            .iter()
            .map(|v| (v.as_str(), v.label_zh()))
            .collect(),
        doc,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn show(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    show_page(&state, &session, &ctx, id, None).await
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    comment: String,
    /// 定时发布时间 from a `datetime-local` field (Beijing time) or RFC 3339.
    #[serde(default)]
    at: String,
}

/// Reads a publication time: RFC 3339, or `YYYY-MM-DDTHH:MM` in Beijing time (UTC+8).
pub fn parse_publish_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()?;
    let beijing = chrono::FixedOffset::east_opt(8 * 3600)?;
    local.and_local_timezone(beijing).single().map(|t| t.with_timezone(&chrono::Utc))
}

/// Parses the review action a form or API call names.
pub fn review_action(action: &str, comment: &str, at: Option<&str>) -> Result<ReviewAction, String> {
    Ok(match action {
        "submit" => ReviewAction::Submit,
        "approve" => ReviewAction::Approve,
        "reject" => ReviewAction::Reject {
            comment: comment.to_string(),
        },
        "publish" => ReviewAction::Publish,
        "withdraw" => ReviewAction::Withdraw,
        "unpublish_withdrawn" => ReviewAction::Unpublish {
            reason: UnpublishReason::Withdrawn,
        },
        "unpublish_error" => ReviewAction::Unpublish {
            reason: UnpublishReason::PublishedInError,
        },
        "schedule" => ReviewAction::Schedule {
            at: at.and_then(parse_publish_time).ok_or("定时发布时间格式不正确")?,
        },
        _ => return Err("未知的操作".into()),
    })
}

pub async fn act(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ActionForm>,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    let action = match review_action(&f.action, &f.comment, Some(&f.at)) {
        Ok(ReviewAction::Schedule { at }) if at <= state.clock.now() => {
            return show_page(&state, &session, &ctx, id, Some("定时发布时间应晚于当前时间".into())).await;
        }
        Ok(a) => a,
        Err(e) => return show_page(&state, &session, &ctx, id, Some(e)).await,
    };
    match super::apply_action(&state, &session, &doc, action).await? {
        Ok(_) => Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response()),
        Err(msg) => show_page(&state, &session, &ctx, id, Some(msg)).await,
    }
}

#[derive(Deserialize)]
pub struct FindingForm {
    key: String,
    #[serde(default)]
    basis: String,
}

/// One-click masking of a finding in the body or transcript.
pub async fn mask(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<FindingForm>,
) -> AppResult<Response> {
    let doc = doc_requiring(&state, &session, id, Action::EditContent).await?;
    if doc_state(&doc) != DocState::Draft {
        return show_page(&state, &session, &ctx, id, Some("只有草稿可以修改，请先撤回为草稿".into())).await;
    }
    let opts = gongkai_domain::privacy::ScanOptions {
        public_phones: super::public_phones(&state).await?,
    };
    let body_hit = gongkai_domain::privacy::scan_html(&doc.body, &opts)
        .into_iter()
        .find(|x| super::finding_key(id, x) == f.key);
    let transcript = doc.transcript.clone().unwrap_or_default();
    let transcript_hit = gongkai_domain::privacy::scan(&transcript, &opts)
        .into_iter()
        .find(|x| super::finding_key(id, x) == f.key);
    let (body, new_transcript, kind) = match (body_hit, transcript_hit) {
        (Some(x), _) => (
            gongkai_domain::privacy::mask_finding(&doc.body, &x).ok_or_else(AppError::internal)?,
            doc.transcript.clone(),
            x.kind,
        ),
        (None, Some(x)) => (doc.body.clone(), gongkai_domain::privacy::mask_finding(&transcript, &x), x.kind),
        (None, None) => return show_page(&state, &session, &ctx, id, Some("该项已不存在（可能已被处理）".into())).await,
    };
    let mut input = input_of(
        &doc,
        state.store.linked_documents(id, false).await?.into_iter().map(|l| l.id).collect(),
    );
    input.body = body;
    input.transcript = new_transcript.unwrap_or_default();
    match super::update_document(&state, &session, &doc, &input).await? {
        Ok(_) => {
            state
                .store
                .audit(
                    NewEntry::new(session.user.username.clone(), "privacy.mask", doc.kind.clone(), id)
                        .unit(Some(doc.unit_id))
                        .detail(serde_json::json!({ "kind": kind })),
                )
                .await?;
            Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response())
        }
        Err((_, msg)) => show_page(&state, &session, &ctx, id, Some(msg)).await,
    }
}

/// Marks a finding lawful (惩戒公示 / 强制性信息披露); reviewers decide.
pub async fn lawful(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<FindingForm>,
) -> AppResult<Response> {
    let doc = doc_requiring(&state, &session, id, Action::ReviewContent).await?;
    let Some(basis) = LawfulBasis::ALL.into_iter().find(|b| b.as_str() == f.basis) else {
        return show_page(&state, &session, &ctx, id, Some("请选择依据：惩戒公示或强制性信息披露".into())).await;
    };
    let report = super::privacy_report(&state, &doc).await?;
    let Some(item) = report.iter().find(|i| i.key == f.key) else {
        return show_page(&state, &session, &ctx, id, Some("该项已不存在（可能已被处理）".into())).await;
    };
    let mut tx = state.store.begin().await?;
    tx.add_privacy_decision(id, &item.kind, &item.key, basis.label_zh(), &session.user.username)
        .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "privacy.lawful", doc.kind.clone(), id)
            .unit(Some(doc.unit_id))
            .detail(serde_json::json!({ "kind": item.kind, "basis": basis.as_str(), "source": item.source })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response())
}

/// Attachment upload (multipart; the CSRF token travels in the query string).
pub async fn upload(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    let mut error = None;
    let mut any = false;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b.to_vec(),
            Err(_) => {
                error = Some("文件上传失败或超过大小限制".to_string());
                break;
            }
        };
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        any = true;
        if let Err(msg) = super::files::upload(&state, &session, &doc, &name, bytes).await? {
            error = Some(format!("{name}：{msg}"));
        }
    }
    if !any && error.is_none() {
        error = Some("请选择要上传的文件".into());
    }
    match error {
        Some(e) => show_page(&state, &session, &ctx, id, Some(e)).await,
        None => Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response()),
    }
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    Staff(session, _ctx): Staff,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    super::files::remove(&state, &session, &doc, aid).await?;
    Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response())
}

pub async fn acknowledge_attachment(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    match super::files::acknowledge(&state, &session, &doc, aid).await? {
        Ok(()) => Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response()),
        Err(msg) => show_page(&state, &session, &ctx, id, Some(msg)).await,
    }
}

#[derive(Deserialize)]
pub struct ValidityForm {
    validity: String,
    on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    replaced_by: String,
}

pub async fn set_validity(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ValidityForm>,
) -> AppResult<Response> {
    let doc = doc_requiring(&state, &session, id, Action::ReviewContent).await?;
    let Ok(v) = Validity::parse(&f.validity) else {
        return show_page(&state, &session, &ctx, id, Some("有效性取值无效".into())).await;
    };
    let Some(on) = parse_date(&f.on) else {
        return show_page(&state, &session, &ctx, id, Some("日期格式不正确，应为 YYYY-MM-DD".into())).await;
    };
    if v != Validity::InForce && f.reason.trim().is_empty() {
        return show_page(&state, &session, &ctx, id, Some("请填写失效、废止或修改的原因".into())).await;
    }
    let replaced_by = match f.replaced_by.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(r) if r != id && state.store.get_document(r).await.is_ok() => Some(r),
            _ => return show_page(&state, &session, &ctx, id, Some("替代文件编号无效".into())).await,
        },
    };
    super::change_validity(
        &state,
        &session.user.username,
        &doc,
        v,
        on,
        Some(f.reason.trim()).filter(|r| !r.is_empty()),
        replaced_by,
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/documents/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "admin/diff.html")]
struct DiffT {
    page: Page,
    doc_id: i64,
    from: i64,
    to: i64,
    lines: Vec<DiffView>,
}

pub struct DiffView {
    pub class: &'static str,
    pub mark: &'static str,
    pub inline: Vec<(bool, String)>,
}

fn diff_view(l: DiffLine) -> DiffView {
    let (class, mark) = match l.tag {
        gongkai_domain::catalogue::DiffTag::Equal => ("equal", " "),
        gongkai_domain::catalogue::DiffTag::Insert => ("insert", "+"),
        gongkai_domain::catalogue::DiffTag::Delete => ("delete", "−"),
    };
    DiffView {
        class,
        mark,
        inline: l.inline,
    }
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

pub async fn diff(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let doc = state.store.get_document(id).await?;
    let unit = state.store.get_unit(doc.unit_id).await?;
    if !(session.can(Action::EditContent, Scope::Unit(&unit.unit_path()))
        || session.can(Action::ReviewContent, Scope::Unit(&unit.unit_path())))
    {
        return Err(AppError::forbidden());
    }
    let versions = state.store.versions(id).await?;
    let a = versions.iter().find(|v| v.version == q.from).ok_or_else(AppError::not_found)?;
    let b = versions.iter().find(|v| v.version == q.to).ok_or_else(AppError::not_found)?;
    let old = format!("{}\n{}\n{}", a.title, a.meta, html_to_text(&a.body));
    let new = format!("{}\n{}\n{}", b.title, b.meta, html_to_text(&b.body));
    let page = admin_page(&state, &session, &ctx, "版本比较").await?;
    render(&DiffT {
        page,
        doc_id: id,
        from: q.from,
        to: q.to,
        lines: diff_text(&old, &new).into_iter().map(diff_view).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/columns.html")]
struct ColumnsT {
    page: Page,
    columns: Vec<(ColumnRow, usize, String)>,
    parents: Vec<(i64, String)>,
    error: Option<String>,
}

async fn columns_page(state: &AppState, session: &Session, ctx: &crate::auth::RequestCtx, error: Option<String>) -> AppResult<Response> {
    session.require(Action::ManageSites, Scope::Global)?;
    let site = default_site(state).await?;
    let all = state.store.columns_of_site(site.id).await?;
    let mut ordered = vec![];
    fn visit(all: &[ColumnRow], parent: Option<i64>, depth: usize, out: &mut Vec<(ColumnRow, usize, String)>) {
        let mut c: Vec<&ColumnRow> = all.iter().filter(|c| c.parent_id == parent).collect();
        c.sort_by_key(|c| (c.sort_order, c.id));
        for x in c {
            let kind = column_kind(x);
            let label = match kind {
                ColumnKind::Group => "分组",
                ColumnKind::Documents => "文件",
                ColumnKind::Interpretations(_) => "解读",
                ColumnKind::Page => "单页",
                ColumnKind::Link => "链接",
                ColumnKind::AnnualReports => "年报",
            };
            out.push((x.clone(), depth, label.to_string()));
            visit(all, Some(x.id), depth + 1, out);
        }
    }
    visit(&all, None, 0, &mut ordered);
    let parents = ordered
        .iter()
        .filter(|(c, _, _)| column_kind(c) == ColumnKind::Group)
        .map(|(c, d, _)| (c.id, format!("{}{}", "　".repeat(*d), c.name)))
        .collect();
    let page = admin_page(state, session, ctx, "栏目管理").await?;
    let mut res = render(&ColumnsT {
        page,
        columns: ordered,
        parents,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn columns(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    columns_page(&state, &session, &ctx, None).await
}

#[derive(Deserialize)]
pub struct ColumnForm {
    name: String,
    #[serde(default)]
    sort_order: String,
    #[serde(default)]
    hidden: Option<String>,
    #[serde(default)]
    interval: String,
    #[serde(default)]
    page_body: Option<String>,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
}

fn parse_interval(s: &str) -> Result<Option<i64>, String> {
    match s.trim() {
        "" => Ok(None),
        v => v
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .map(Some)
            .ok_or("更新周期应为1至3650天".into()),
    }
}

pub async fn update_column(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ColumnForm>,
) -> AppResult<Response> {
    session.require(Action::ManageSites, Scope::Global)?;
    let c = state.store.get_column(id).await?;
    let name = match gongkai_domain::catalogue::validate_column_name(&f.name) {
        Ok(n) => n,
        Err(e) => return columns_page(&state, &session, &ctx, Some(e.message_zh())).await,
    };
    let interval = match parse_interval(&f.interval) {
        Ok(i) => i,
        Err(e) => return columns_page(&state, &session, &ctx, Some(e)).await,
    };
    let sort = f.sort_order.trim().parse().unwrap_or(c.sort_order);
    let body = f
        .page_body
        .map(|b| gongkai_domain::catalogue::sanitize_body(&b))
        .or(c.page_body.clone());
    let mut tx = state.store.begin().await?;
    tx.update_column(id, name.as_str(), sort, f.hidden.is_some(), interval, body)
        .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "column.update", "column", id)
            .detail(serde_json::json!({ "name": name.as_str(), "hidden": f.hidden.is_some(), "sort_order": sort, "interval": interval })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/columns").into_response())
}

pub async fn create_column(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    axum::Form(f): axum::Form<ColumnForm>,
) -> AppResult<Response> {
    session.require(Action::ManageSites, Scope::Global)?;
    let site = default_site(&state).await?;
    let name = match gongkai_domain::catalogue::validate_column_name(&f.name) {
        Ok(n) => n,
        Err(e) => return columns_page(&state, &session, &ctx, Some(e.message_zh())).await,
    };
    let slug = f.slug.trim().to_ascii_lowercase();
    if !(2..=40).contains(&slug.len()) || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return columns_page(&state, &session, &ctx, Some("栏目标识应为2至40位小写字母、数字或“-”".into())).await;
    }
    let Ok(kind) = ColumnKind::from_code(&f.kind) else {
        return columns_page(&state, &session, &ctx, Some("栏目类型无效".into())).await;
    };
    let interval = match parse_interval(&f.interval) {
        Ok(i) => i,
        Err(e) => return columns_page(&state, &session, &ctx, Some(e)).await,
    };
    let parent_id = f.parent_id.trim().parse::<i64>().ok();
    let mut tx = state.store.begin().await?;
    let id = match tx
        .create_column(&gongkai_store::catalogue::NewColumn {
            site_id: site.id,
            parent_id,
            slug: slug.clone(),
            name: name.as_str().to_string(),
            kind: kind.code().to_string(),
            sort_order: f.sort_order.trim().parse().unwrap_or(100),
            update_interval_days: interval,
            page_body: None,
            link_url: None,
        })
        .await
    {
        Ok(id) => id,
        Err(gongkai_store::StoreError::Conflict(_)) => {
            return columns_page(&state, &session, &ctx, Some(format!("栏目标识“{slug}”已存在"))).await;
        }
        Err(e) => return Err(e.into()),
    };
    tx.audit(
        NewEntry::new(session.user.username.clone(), "column.create", "column", id)
            .detail(serde_json::json!({ "slug": slug, "name": name.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/columns").into_response())
}

/// Loads a document and checks the session may perform `action` on its unit.
async fn doc_requiring(state: &AppState, session: &Session, id: i64, action: Action) -> AppResult<DocumentRow> {
    let doc = state.store.get_document(id).await?;
    let unit = state.store.get_unit(doc.unit_id).await?;
    session.require(action, Scope::Unit(&unit.unit_path()))?;
    Ok(doc)
}
