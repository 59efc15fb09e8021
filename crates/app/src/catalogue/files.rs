//! Attachments: the content-addressed file store under `data/files/`, the
//! checks of `gongkai_domain::files` at upload (type by magic bytes, size,
//! hidden content, displayability), the text extracted at upload for search
//! and the privacy scanner (`gongkai_search::extract`), and downloads.

use crate::auth::{RequestCtx, Session};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::files::{FileKind, HiddenFinding, HiddenKind};
use gongkai_search::extract::ExtractError;
use gongkai_store::catalogue::{AttachmentRow, DocumentRow};
use std::path::PathBuf;

/// `data/files/ab/abcdef…` for a BLAKE3 hex hash.
pub fn file_path(state: &AppState, hash: &str) -> Option<PathBuf> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(state.config.files_dir().join(&hash[..2]).join(hash))
}

/// Writes bytes under their hash (once; identical files share storage).
pub async fn store_bytes(state: &AppState, bytes: &[u8]) -> AppResult<String> {
    let hash = gongkai_domain::files::content_address(bytes);
    let path = file_path(state, &hash).ok_or_else(AppError::internal)?;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(hash);
    }
    let dir = path.parent().ok_or_else(AppError::internal)?;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| anyhow::anyhow!("create {}: {e}", dir.display()))?;
    let tmp = dir.join(format!("{hash}.{}.tmp", std::process::id()));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| anyhow::anyhow!("write attachment: {e}"))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| anyhow::anyhow!("store attachment: {e}"))?;
    Ok(hash)
}

pub fn findings_of(a: &AttachmentRow) -> Vec<HiddenFinding> {
    serde_json::from_str(&a.findings).unwrap_or_default()
}

/// The text of each of a document's attachments, for the privacy scanner:
/// `(attachment id, text)` in display order.
///
/// The text was extracted at upload (`gongkai_search::extract`) and stored
/// with the attachment. Word and Excel files stored before that (no stored
/// text) are read from disk again, as they always were.
pub async fn attachment_texts(state: &AppState, document_id: i64) -> AppResult<Vec<(i64, String)>> {
    let stored = state.store.attachment_texts(document_id).await?;
    let mut out = Vec::new();
    for a in state.store.attachments(document_id).await? {
        if let Some((_, _, text)) = stored.iter().find(|(id, _, _)| *id == a.id) {
            out.push((a.id, text.clone()));
        } else if matches!(a.file_kind.as_str(), "docx" | "xlsx")
            && let Some(text) = legacy_attachment_text(state, &a).await
        {
            out.push((a.id, text));
        }
    }
    Ok(out)
}

/// The text of a Word or Excel file stored without extracted text.
async fn legacy_attachment_text(state: &AppState, a: &AttachmentRow) -> Option<String> {
    let path = file_path(state, &a.content_hash)?;
    let bytes = tokio::fs::read(path).await.ok()?;
    let name = a.filename.clone();
    tokio::task::spawn_blocking(move || gongkai_domain::files::check(&name, &bytes).ok().and_then(|(_, i)| i.text))
        .await
        .ok()
        .flatten()
}

/// The plain text of an upload that passed `check`, for search and the
/// privacy scanner. When the text cannot be read, the file gets an
/// [`HiddenKind::Uninspectable`] finding instead: nobody could check it for
/// personal data, so it waits for a reviewer to look at it and acknowledge it.
fn extract_or_flag(kind: FileKind, bytes: &[u8], findings: &mut Vec<HiddenFinding>) -> Option<String> {
    match gongkai_search::extract::extract_text(kind, bytes) {
        Ok(text) => text,
        Err(ExtractError::Encrypted) if findings.iter().any(|f| f.kind == HiddenKind::Encrypted) => None,
        Err(error) => {
            // Only the code: a parser's message may quote the file.
            tracing::warn!(kind = kind.as_str(), code = error.code(), "attachment text could not be extracted");
            findings.push(HiddenFinding::new(
                HiddenKind::Uninspectable,
                "整个文件",
                format!(
                    "{}系统无法检查其中是否含有个人信息；如确需发布原文件，须由审核人打开文件逐项人工检查后确认。",
                    error.message_zh()
                ),
            ));
            None
        }
    }
}

/// Checks and stores an upload; returns the attachment id or the Chinese
/// reason it was refused.
pub async fn upload(
    state: &AppState,
    session: &Session,
    doc: &DocumentRow,
    filename: &str,
    bytes: Vec<u8>,
) -> AppResult<Result<i64, String>> {
    let unit = state.store.get_unit(doc.unit_id).await?;
    super::require_edit(session, &unit.unit_path())?;
    if super::doc_state(doc) != gongkai_domain::catalogue::DocState::Draft {
        return Ok(Err("只有草稿可以增删附件".into()));
    }
    let name = filename.rsplit(['/', '\\']).next().unwrap_or(filename).trim().to_string();
    // The checks, then the text for search and the privacy scanner, off the async threads.
    let checked = {
        let (n, b) = (name.clone(), bytes.clone());
        tokio::task::spawn_blocking(move || {
            gongkai_domain::files::check(&n, &b).map(|(kind, mut inspection)| {
                let text = extract_or_flag(kind, &b, &mut inspection.findings);
                (kind, inspection, text)
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!(e))?
    };
    let (kind, inspection, text) = match checked {
        Ok(v) => v,
        Err(e) => return Ok(Err(e.message_zh())),
    };
    let hash = store_bytes(state, &bytes).await?;
    let findings = serde_json::to_string(&inspection.findings).unwrap_or_else(|_| "[]".into());
    let sort = state.store.attachments(doc.id).await?.len() as i64;
    let mut tx = state.store.begin().await?;
    let id = tx
        .add_attachment(
            doc.id,
            &name,
            &hash,
            kind.as_str(),
            bytes.len() as i64,
            &findings,
            sort,
            text.as_deref(),
        )
        .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "attachment.add", doc.kind.clone(), doc.id)
            .unit(Some(doc.unit_id))
            .detail(serde_json::json!({ "attachment_id": id, "kind": kind.as_str(), "size": bytes.len(), "hash": hash, "findings": inspection.findings.len(), "text_chars": text.as_ref().map(|t| t.chars().count()) })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub async fn remove(state: &AppState, session: &Session, doc: &DocumentRow, attachment_id: i64) -> AppResult<()> {
    let unit = state.store.get_unit(doc.unit_id).await?;
    super::require_edit(session, &unit.unit_path())?;
    let a = state.store.get_attachment(attachment_id).await?;
    if a.document_id != doc.id {
        return Err(AppError::not_found());
    }
    let mut tx = state.store.begin().await?;
    tx.remove_attachment(a.id).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "attachment.remove", doc.kind.clone(), doc.id)
            .unit(Some(doc.unit_id))
            .detail(serde_json::json!({ "attachment_id": a.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Only findings that a person can check by hand (old binary formats) may be
/// acknowledged; hidden sheets, comments and the like must be removed from
/// the file itself.
pub async fn acknowledge(state: &AppState, session: &Session, doc: &DocumentRow, attachment_id: i64) -> AppResult<Result<(), String>> {
    let unit = state.store.get_unit(doc.unit_id).await?;
    session.require(
        gongkai_domain::accounts::Action::ReviewContent,
        gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
    )?;
    let a = state.store.get_attachment(attachment_id).await?;
    if a.document_id != doc.id {
        return Err(AppError::not_found());
    }
    if findings_of(&a).iter().any(|f| f.kind != HiddenKind::Uninspectable) {
        return Ok(Err("该附件含隐藏内容或无法正常显示，须修改文件后重新上传".into()));
    }
    let mut tx = state.store.begin().await?;
    tx.acknowledge_attachment(a.id).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "attachment.acknowledge", doc.kind.clone(), doc.id)
            .unit(Some(doc.unit_id))
            .detail(serde_json::json!({ "attachment_id": a.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// `GET /files/{id}/{name}`: an attachment of a published document (staff
/// who may edit the unit's content also get drafts').
pub async fn download(State(state): State<AppState>, ctx: RequestCtx, Path((id, _name)): Path<(i64, String)>) -> AppResult<Response> {
    let a = state.store.get_attachment(id).await?;
    let doc = state.store.get_document(a.document_id).await?;
    let public = doc.state == "published" || (doc.state == "unpublished" && doc.unpublish_reason.as_deref() == Some("withdrawn"));
    if !public {
        let unit = state.store.get_unit(doc.unit_id).await?;
        let staff = ctx.session.as_ref().is_some_and(|s| {
            s.can(
                gongkai_domain::accounts::Action::EditContent,
                gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
            ) || s.can(
                gongkai_domain::accounts::Action::ReviewContent,
                gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
            )
        });
        if !staff {
            return Err(AppError::not_found());
        }
    }
    let path = file_path(&state, &a.content_hash).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(&path).await.map_err(|_| AppError::not_found())?;
    let mime = gongkai_domain::files::FileKind::from_extension(&a.file_kind)
        .map(|k| k.mime())
        .unwrap_or("application/octet-stream");
    let disposition = format!("inline; filename*=UTF-8''{}", urlencoding::encode(&a.filename));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        bytes,
    )
        .into_response())
}
