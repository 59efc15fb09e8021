//! `/admin/search`: the index's state, a rebuild button for site managers,
//! and the searches that found nothing (the catalogue's gaps) for editors.

use crate::auth::Staff;
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_store::search::SearchMissRow;

#[derive(Template)]
#[template(path = "admin/search.html")]
struct SearchAdminT {
    page: Page,
    documents: u64,
    watermark: String,
    size: String,
    misses: Vec<SearchMissRow>,
    may_rebuild: bool,
}

fn may_view(session: &crate::auth::Session) -> bool {
    session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ManageSites)
}

async fn show(state: &AppState, staff: &Staff, flash: Option<(&'static str, String)>) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    if !may_view(session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(state).await?;
    let mut page = admin_page(state, session, ctx, "站内搜索").await?;
    if let Some((kind, text)) = flash {
        page = page.flash(kind, text);
    }
    let index = &state.search.index;
    render(&SearchAdminT {
        page,
        documents: index.num_docs(),
        watermark: index.watermark().unwrap_or_else(|| "尚未建立".into()),
        size: format!("{:.1} MB", index.size_on_disk() as f64 / 1_048_576.0),
        misses: state.store.search_misses(site.id, 100).await?,
        may_rebuild: session.can(Action::ManageSites, Scope::Global),
    })
}

/// `GET /admin/search`.
pub async fn page(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    show(&state, &staff, None).await
}

/// `POST /admin/search/rebuild`: recreates the index from the database.
pub async fn rebuild(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    staff.0.require(Action::ManageSites, Scope::Global)?;
    let n = super::rebuild(&state).await?;
    let mut tx = state.store.begin().await?;
    tx.audit(
        NewEntry::new(staff.0.user.username.clone(), "search.rebuild", "search_index", 0).detail(serde_json::json!({ "documents": n })),
    )
    .await?;
    tx.commit().await?;
    show(&state, &staff, Some(("ok", format!("索引已重建：共 {n} 条已发布信息。")))).await
}

/// `POST /admin/search/misses/{id}/delete`: an editor has dealt with a gap.
pub async fn delete_miss(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> AppResult<Response> {
    if !may_view(&staff.0) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let mut tx = state.store.begin().await?;
    if tx.delete_search_miss(site.id, id).await? == 0 {
        return Err(AppError::not_found());
    }
    tx.audit(NewEntry::new(
        staff.0.user.username.clone(),
        "search.miss.delete",
        "search_miss",
        id,
    ))
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/search").into_response())
}
