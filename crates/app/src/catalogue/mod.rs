//! The disclosure catalogue (政府信息公开目录): columns, policy documents and
//! interpretations, the 三审三校 review workflow with the privacy guard and
//! attachment checks, and validity changes.
//!
//! Rules live in `gongkai_domain::catalogue` (文号, 索引号, validity, review
//! transitions, sanitising, diff), `gongkai_domain::privacy` (the scanner)
//! and `gongkai_domain::files` (attachment checks); this module applies them
//! to requests, persists through `gongkai_store::catalogue` and audits every
//! state change in the same transaction. 《政府信息公开条例》第十九条、第二十条
//! define what is published; 国办发〔2017〕47号 requires repealed and expired
//! documents to stay marked on their original page.

pub mod admin;
pub mod api;
pub mod demo;
pub mod export;
pub mod files;
pub mod import;
pub mod portal;

use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::catalogue::{
    ColumnKind, DocNo, DocState, Genre, IndexNo, InterpretationKind, ReviewAction, Title, Topic, TransitionCtx, UnpublishReason, Validity,
    check_interpretation_links, effective_validity, sanitize_body, transition,
};
use gongkai_domain::privacy::{Finding, ScanOptions};
use gongkai_store::catalogue::{ColumnRow, DocumentFields, DocumentRow, NewColumn, NewDocument};
use gongkai_store::{Store, Tx};

/// `kind` values of the documents table.
pub const KIND_DOCUMENT: &str = "document";
pub const KIND_INTERPRETATION: &str = "interpretation";

/// Creates the default column tree for a site (idempotent by slug).
pub async fn ensure_default_columns(store: &Store, site_id: i64, actor: &str) -> AppResult<usize> {
    let existing = store.columns_of_site(site_id).await?;
    let mut by_slug: std::collections::HashMap<String, i64> = existing.iter().map(|c| (c.slug.clone(), c.id)).collect();
    let mut created = 0;
    let mut tx = store.begin().await?;
    for (i, t) in gongkai_domain::catalogue::default_columns().iter().enumerate() {
        if by_slug.contains_key(t.slug) {
            continue;
        }
        let parent_id = t.parent.and_then(|p| by_slug.get(p).copied());
        let id = tx
            .create_column(&NewColumn {
                site_id,
                parent_id,
                slug: t.slug.to_string(),
                name: t.name.to_string(),
                kind: t.kind.code().to_string(),
                sort_order: i as i64,
                update_interval_days: t.update_interval_days.map(i64::from),
                page_body: None,
                link_url: if t.kind == ColumnKind::Link {
                    Some("/foi".to_string())
                } else {
                    None
                },
            })
            .await?;
        by_slug.insert(t.slug.to_string(), id);
        created += 1;
    }
    if created > 0 {
        tx.audit(NewEntry::new(actor, "column.create_defaults", "site", site_id).detail(serde_json::json!({ "created": created })))
            .await?;
    }
    tx.commit().await?;
    Ok(created)
}

pub fn column_kind(c: &ColumnRow) -> ColumnKind {
    ColumnKind::from_code(&c.kind).unwrap_or(ColumnKind::Documents)
}

pub fn doc_state(d: &DocumentRow) -> DocState {
    match d.state.as_str() {
        "in_review" => DocState::InReview {
            stage: d.review_stage.unwrap_or(1).clamp(1, 3) as u8,
        },
        "scheduled" => DocState::Scheduled,
        "published" => DocState::Published,
        "unpublished" => DocState::Unpublished,
        _ => DocState::Draft,
    }
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// The validity the public sees today (an in-force document past its expiry
/// date shows as expired even before the nightly job records it).
pub fn current_validity(d: &DocumentRow, today: NaiveDate) -> Validity {
    let declared = Validity::parse(&d.validity).unwrap_or(Validity::InForce);
    effective_validity(declared, d.expires_on.as_deref().and_then(parse_date), today)
}

/// What an editor submits for a document or an interpretation.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DocumentInput {
    pub column_id: i64,
    pub title: String,
    /// 发文机关; defaults to the unit's name.
    #[serde(default)]
    pub issuer: String,
    /// 文号, e.g. 巫山府办发〔2021〕48号 (variants with [] () are normalised).
    #[serde(default)]
    pub doc_no: String,
    /// 成文日期 YYYY-MM-DD.
    #[serde(default)]
    pub written_on: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub genre: String,
    /// in_force, expired, repealed, amended.
    #[serde(default)]
    pub validity: String,
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub expires_on: String,
    /// Rich text (HTML); sanitised on save.
    #[serde(default)]
    pub body: String,
    /// Caption or transcript of a video interpretation.
    #[serde(default)]
    pub transcript: String,
    /// For interpretations: ids of the policy documents interpreted.
    #[serde(default)]
    pub links: Vec<i64>,
}

/// A rejected field: (field name, Chinese message).
pub type FieldError = (&'static str, String);

/// Parses and checks the input against the column it goes into.
pub fn parse_input(
    input: &DocumentInput,
    column: &ColumnRow,
    default_issuer: &str,
) -> Result<(DocumentFields, Option<InterpretationKind>), FieldError> {
    let kind = column_kind(column);
    if !kind.holds_items() {
        return Err(("column_id", format!("栏目“{}”不能发布文件", column.name)));
    }
    let interp = match kind {
        ColumnKind::Interpretations(k) => Some(k),
        _ => None,
    };
    let title = Title::parse(&input.title).map_err(|e| ("title", e.message_zh()))?;
    let doc_no = match input.doc_no.trim() {
        "" => None,
        s => Some(DocNo::parse(s).map_err(|e| ("doc_no", e.message_zh()))?),
    };
    let date = |field: &'static str, label: &str, s: &str| -> Result<Option<String>, FieldError> {
        match s.trim() {
            "" => Ok(None),
            v => parse_date(v)
                .map(|d| Some(d.to_string()))
                .ok_or((field, format!("{label}格式不正确，应为 YYYY-MM-DD"))),
        }
    };
    let written_on = date("written_on", "成文日期", &input.written_on)?;
    let effective_on = date("effective_on", "生效日期", &input.effective_on)?;
    let expires_on = date("expires_on", "失效日期", &input.expires_on)?;
    if let (Some(a), Some(b)) = (&effective_on, &expires_on)
        && b < a
    {
        return Err(("expires_on", "失效日期不能早于生效日期".into()));
    }
    let topic = match input.topic.trim() {
        "" => Topic::ALL[0],
        t => Topic::parse(t).map_err(|e| ("topic", e.message_zh()))?,
    };
    let genre = match input.genre.trim() {
        "" => Genre::from_title(title.as_str()),
        g => Genre::parse(g).map_err(|e| ("genre", e.message_zh()))?,
    };
    let validity = match input.validity.trim() {
        "" => Validity::InForce,
        v => Validity::parse(v).map_err(|e| ("validity", e.message_zh()))?,
    };
    let issuer = match input.issuer.trim() {
        "" => default_issuer.to_string(),
        s if s.chars().count() > 100 => return Err(("issuer", "发文机关不超过100个字符".into())),
        s => s.to_string(),
    };
    let body = sanitize_body(&input.body);
    if interp.is_none() && gongkai_domain::catalogue::html_to_text(&body).trim().is_empty() {
        return Err(("body", "正文不能为空".into()));
    }
    let transcript = Some(input.transcript.trim().to_string()).filter(|t| !t.is_empty());
    Ok((
        DocumentFields {
            column_id: column.id,
            interpretation_kind: interp.map(|k| k.as_str().to_string()),
            title: title.as_str().to_string(),
            issuer,
            doc_no_year: doc_no.as_ref().map(|d| i64::from(d.year())),
            doc_no: doc_no.map(|d| d.normalized()),
            written_on,
            topic: topic.as_str().to_string(),
            genre: genre.as_str().to_string(),
            validity: validity.as_str().to_string(),
            effective_on,
            expires_on,
            body,
            transcript,
        },
        interp,
    ))
}

fn version_meta(f: &DocumentFields) -> serde_json::Value {
    serde_json::json!({
        "issuer": f.issuer, "doc_no": f.doc_no, "written_on": f.written_on, "topic": f.topic, "genre": f.genre,
        "validity": f.validity, "effective_on": f.effective_on, "expires_on": f.expires_on, "column_id": f.column_id,
    })
}

/// Checks that the editor may edit content of `unit_id`.
pub fn require_edit(session: &Session, unit_path: &gongkai_domain::accounts::UnitPath) -> AppResult<()> {
    session.require(Action::EditContent, Scope::Unit(unit_path))
}

/// Creates a draft; returns its id.
pub async fn create_document(
    state: &AppState,
    session: &Session,
    site_id: i64,
    unit_id: i64,
    input: &DocumentInput,
) -> AppResult<Result<i64, FieldError>> {
    let unit = state.store.get_unit(unit_id).await?;
    require_edit(session, &unit.unit_path())?;
    let column = state
        .store
        .get_column(input.column_id)
        .await
        .map_err(|_| AppError::invalid("column_id", "栏目不存在"))?;
    if column.site_id != site_id {
        return Ok(Err(("column_id", "栏目不属于本站点".into())));
    }
    let (fields, interp) = match parse_input(input, &column, &unit.name) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    if interp.is_some()
        && let Err(e) = check_links(state, site_id, &input.links).await?
    {
        return Ok(Err(e));
    }
    let year = state.clock.now().date_naive().year_ce().1 as i64;
    let mut tx = state.store.begin().await?;
    let serial = tx.next_index_serial(unit_id, year).await?;
    let index_no = IndexNo::new(
        gongkai_domain::accounts::UnitCode::parse(&unit.code).map_err(|_| AppError::internal())?,
        year as i32,
        serial as u32,
    )
    .map_err(|_| AppError::internal())?;
    let kind = if interp.is_some() { KIND_INTERPRETATION } else { KIND_DOCUMENT };
    let id = tx
        .insert_document(&NewDocument {
            site_id,
            unit_id,
            kind: kind.into(),
            index_no: index_no.to_string(),
            index_year: year,
            index_serial: serial,
            author_id: session.user.id,
            fields: fields.clone(),
        })
        .await?;
    if interp.is_some() {
        tx.set_links(id, &input.links).await?;
    }
    tx.add_version(id, 1, &fields.title, &fields.body, &version_meta(&fields), &session.user.username)
        .await?;
    tx.add_event(id, "create", None, &session.user.username, Some(session.user.id), None)
        .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), format!("{kind}.create"), kind, id)
            .unit(Some(unit_id))
            .detail(serde_json::json!({ "index_no": index_no.to_string(), "column_id": column.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

use chrono::Datelike;

async fn check_links(state: &AppState, site_id: i64, links: &[i64]) -> AppResult<Result<(), FieldError>> {
    if let Err(e) = check_interpretation_links(links.len()) {
        return Ok(Err(("links", e.message_zh())));
    }
    for id in links {
        match state.store.get_document(*id).await {
            Ok(d) if d.site_id == site_id && d.kind == KIND_DOCUMENT => {}
            _ => return Ok(Err(("links", format!("关联的政策文件（编号 {id}）不存在")))),
        }
    }
    Ok(Ok(()))
}

/// Saves an edited draft as a new version.
pub async fn update_document(
    state: &AppState,
    session: &Session,
    doc: &DocumentRow,
    input: &DocumentInput,
) -> AppResult<Result<i64, FieldError>> {
    let unit = state.store.get_unit(doc.unit_id).await?;
    require_edit(session, &unit.unit_path())?;
    if doc_state(doc) != DocState::Draft {
        return Err(AppError::conflict("只有草稿可以修改；已提交或已发布的内容请先撤回为草稿"));
    }
    let column = state
        .store
        .get_column(input.column_id)
        .await
        .map_err(|_| AppError::invalid("column_id", "栏目不存在"))?;
    if column.site_id != doc.site_id {
        return Ok(Err(("column_id", "栏目不属于本站点".into())));
    }
    let (fields, interp) = match parse_input(input, &column, &unit.name) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    if (interp.is_some()) != (doc.kind == KIND_INTERPRETATION) {
        return Ok(Err(("column_id", "政策文件与政策解读不能互相移动栏目".into())));
    }
    if interp.is_some()
        && let Err(e) = check_links(state, doc.site_id, &input.links).await?
    {
        return Ok(Err(e));
    }
    let mut tx = state.store.begin().await?;
    let version = tx.update_document(doc.id, &fields).await?;
    if interp.is_some() {
        tx.set_links(doc.id, &input.links).await?;
    }
    tx.add_version(
        doc.id,
        version,
        &fields.title,
        &fields.body,
        &version_meta(&fields),
        &session.user.username,
    )
    .await?;
    tx.add_event(doc.id, "update", None, &session.user.username, Some(session.user.id), None)
        .await?;
    tx.audit(
        NewEntry::new(
            session.user.username.clone(),
            format!("{}.update", doc.kind),
            doc.kind.clone(),
            doc.id,
        )
        .unit(Some(doc.unit_id))
        .detail(serde_json::json!({ "version": version })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(version))
}

/// A privacy finding in a document, with where it is and what was decided.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PrivacyItem {
    /// `body` or `attachment:<id>`.
    pub source: String,
    pub kind: String,
    pub kind_label: String,
    pub start: usize,
    pub end: usize,
    /// The masked form; the unmasked text is shown only on the admin page.
    pub masked: String,
    /// Key for decisions (BLAKE3 of kind and text).
    pub key: String,
    /// Set when an editor marked it lawful (惩戒公示 / 强制性信息披露).
    pub lawful_reason: Option<String>,
    #[serde(skip)]
    pub text: String,
}

pub fn finding_key(document_id: i64, f: &Finding) -> String {
    blake3::hash(format!("{document_id}\u{0}{:?}\u{0}{}", f.kind, f.text).as_bytes())
        .to_hex()
        .to_string()
}

/// Runs the privacy scanner over the body and the attachments' text.
pub async fn privacy_report(state: &AppState, doc: &DocumentRow) -> AppResult<Vec<PrivacyItem>> {
    let opts = ScanOptions {
        public_phones: public_phones(state).await?,
    };
    let decisions = state.store.privacy_decisions(doc.id).await?;
    let mut items = vec![];
    let mut push = |source: String, f: Finding| {
        let key = finding_key(doc.id, &f);
        items.push(PrivacyItem {
            source,
            kind: serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            kind_label: f.kind.label_zh().to_string(),
            start: f.start,
            end: f.end,
            masked: f.masked.clone(),
            lawful_reason: decisions.iter().find(|d| d.text_hash == key).map(|d| d.reason.clone()),
            key,
            text: f.text,
        });
    };
    for f in gongkai_domain::privacy::scan_html(&doc.body, &opts) {
        push("body".into(), f);
    }
    if let Some(t) = &doc.transcript {
        for f in gongkai_domain::privacy::scan(t, &opts) {
            push("transcript".into(), f);
        }
    }
    for (attachment_id, text) in files::attachment_texts(state, doc.id).await? {
        for f in gongkai_domain::privacy::scan(&text, &opts) {
            push(format!("attachment:{attachment_id}"), f);
        }
    }
    Ok(items)
}

/// Public phone numbers of all units (offices' numbers are not personal data).
pub async fn public_phones(state: &AppState) -> AppResult<Vec<String>> {
    let mut phones: Vec<String> = state.store.list_units().await?.into_iter().filter_map(|u| u.phone).collect();
    for s in state.store.list_sites().await? {
        phones.push(s.settings.phone);
    }
    Ok(phones)
}

/// Open findings block submission and publication.
pub fn privacy_blocked(items: &[PrivacyItem]) -> bool {
    items.iter().any(|i| i.lawful_reason.is_none())
}

pub async fn files_blocked(state: &AppState, doc_id: i64) -> AppResult<bool> {
    Ok(state
        .store
        .attachments(doc_id)
        .await?
        .iter()
        .any(|a| !a.acknowledged && a.findings != "[]"))
}

/// Applies a review action: checks permissions and guards, moves the state,
/// records the event and the audit entry, and handles publication.
pub async fn apply_action(
    state: &AppState,
    session: &Session,
    doc: &DocumentRow,
    action: ReviewAction,
) -> AppResult<Result<DocState, String>> {
    let unit = state.store.get_unit(doc.unit_id).await?;
    let path = unit.unit_path();
    let needed = match action {
        ReviewAction::Submit | ReviewAction::Withdraw => Action::EditContent,
        ReviewAction::Approve
        | ReviewAction::Reject { .. }
        | ReviewAction::Schedule { .. }
        | ReviewAction::Publish
        | ReviewAction::Unpublish { .. } => Action::ReviewContent,
    };
    // Editors may withdraw their own submissions; reviewers may withdraw too.
    if !(session.can(needed, Scope::Unit(&path))
        || (needed == Action::EditContent && session.can(Action::ReviewContent, Scope::Unit(&path))))
    {
        return Err(AppError::forbidden());
    }
    let site = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .find(|s| s.id == doc.site_id)
        .ok_or_else(AppError::not_found)?;
    let stages = site.settings.review_stages.len().clamp(1, 3) as u8;
    let report = privacy_report(state, doc).await?;
    let links = if doc.kind == KIND_INTERPRETATION {
        state.store.linked_documents(doc.id, false).await?.len()
    } else {
        1
    };
    let ctx = TransitionCtx {
        stages,
        actor_is_author: doc.author_id == session.user.id,
        privacy_blocked: privacy_blocked(&report),
        files_blocked: files_blocked(state, doc.id).await?,
        has_required_links: links > 0,
    };
    let from = doc_state(doc);
    let to = match transition(from, &action, &ctx) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.message_zh())),
    };
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    record_state(&mut tx, doc, to, &action, &today).await?;
    let comment = match &action {
        ReviewAction::Reject { comment } => Some(comment.trim().to_string()),
        _ => None,
    };
    let stage = match from {
        DocState::InReview { stage } => Some(i64::from(stage)),
        _ => None,
    };
    tx.add_event(
        doc.id,
        action.name(),
        stage,
        &session.user.username,
        Some(session.user.id),
        comment.as_deref(),
    )
    .await?;
    tx.audit(
        NewEntry::new(
            session.user.username.clone(),
            format!("{}.{}", doc.kind, action.name()),
            doc.kind.clone(),
            doc.id,
        )
        .unit(Some(doc.unit_id))
        .detail(serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "stage": stage, "comment": comment })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(to))
}

async fn record_state(tx: &mut Tx, doc: &DocumentRow, to: DocState, action: &ReviewAction, today: &str) -> AppResult<()> {
    match (to, action) {
        (DocState::Unpublished, ReviewAction::Unpublish { reason }) => {
            tx.set_unpublished(doc.id, reason.as_str(), reason.label_zh()).await?;
        }
        (DocState::InReview { stage }, _) => tx.set_state(doc.id, "in_review", Some(i64::from(stage)), None, None).await?,
        (DocState::Scheduled, ReviewAction::Schedule { at }) => {
            tx.set_state(doc.id, "scheduled", None, Some(gongkai_store::ts(*at)), None).await?
        }
        (DocState::Published, _) => {
            // The first publication fixes the 发布日期; re-publication keeps it.
            let published_on = doc.published_on.clone().unwrap_or_else(|| today.to_string());
            tx.set_state(doc.id, "published", None, None, Some(published_on)).await?;
        }
        (s, _) => tx.set_state(doc.id, s.as_str(), None, None, None).await?,
    }
    Ok(())
}

/// Changes a published document's validity (失效/废止/已修改) with the date,
/// reason and replacement, and queues everything linked to it for review.
pub async fn change_validity(
    state: &AppState,
    actor: &str,
    doc: &DocumentRow,
    validity: Validity,
    on: NaiveDate,
    reason: Option<&str>,
    replaced_by: Option<i64>,
) -> AppResult<Vec<i64>> {
    let mut tx = state.store.begin().await?;
    tx.set_validity(doc.id, validity.as_str(), &on.to_string(), reason, replaced_by)
        .await?;
    let linked = if gongkai_domain::catalogue::needs_banner(validity) {
        tx.interpretations_linked_to(doc.id).await?
    } else {
        vec![]
    };
    tx.set_needs_review(&linked, true).await?;
    // Q&A entries citing the policy stop answering at once until reviewed.
    let qa_flagged = if gongkai_domain::catalogue::needs_banner(validity) {
        tx.flag_qa_linked_to(doc.id, &gongkai_domain::qa::entry::review_reason(validity.label_zh(), &doc.title))
            .await?
    } else {
        vec![]
    };
    tx.add_event(doc.id, "validity", None, actor, None, reason).await?;
    tx.audit(
        NewEntry::new(actor, format!("{}.validity", doc.kind), doc.kind.clone(), doc.id)
            .unit(Some(doc.unit_id))
            .detail(serde_json::json!({ "validity": validity.as_str(), "on": on.to_string(), "replaced_by": replaced_by, "queued_for_review": linked, "qa_entries_flagged": qa_flagged })),
    )
    .await?;
    tx.commit().await?;
    Ok(linked)
}

/// Background work: publish scheduled items whose time has come, and mark
/// in-force documents past their expiry date as expired.
pub async fn run_due_jobs(state: &AppState) -> AppResult<(usize, usize)> {
    let now = state.clock.now();
    let mut published = 0;
    for d in state.store.due_scheduled(&gongkai_store::ts(now)).await? {
        let mut tx = state.store.begin().await?;
        tx.set_state(
            d.id,
            "published",
            None,
            None,
            Some(d.published_on.clone().unwrap_or_else(|| now.date_naive().to_string())),
        )
        .await?;
        tx.add_event(d.id, "publish", None, "system", None, Some("定时发布")).await?;
        tx.audit(
            NewEntry::new("system", format!("{}.publish", d.kind), d.kind.clone(), d.id)
                .unit(Some(d.unit_id))
                .detail(serde_json::json!({ "scheduled": true })),
        )
        .await?;
        tx.commit().await?;
        published += 1;
    }
    let today = now.date_naive();
    let mut expired = 0;
    for d in state.store.expired_in_force(&today.to_string()).await? {
        let on = d
            .expires_on
            .as_deref()
            .and_then(parse_date)
            .map(gongkai_domain::catalogue::first_day_expired)
            .unwrap_or(today);
        change_validity(state, "system", &d, Validity::Expired, on, Some("有效期届满"), None).await?;
        expired += 1;
    }
    if published + expired > 0 {
        state.content_changed();
    }
    Ok((published, expired))
}

/// The unpublish reason stored on a document.
pub fn unpublish_reason(d: &DocumentRow) -> Option<UnpublishReason> {
    match d.unpublish_reason.as_deref() {
        Some("published_in_error") => Some(UnpublishReason::PublishedInError),
        Some("withdrawn") => Some(UnpublishReason::Withdrawn),
        _ => None,
    }
}
