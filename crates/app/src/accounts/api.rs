//! Units (public directory) and the current caller.

use crate::auth::ApiUser;
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UnitDto {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    code: String,
    /// government, department, township, street or other.
    kind: String,
    /// The unit's public phone (对外联系电话).
    phone: Option<String>,
}

/// The active units with their public phones (the 机构设置 directory).
#[utoipa::path(get, path = "/api/v1/units", tag = "accounts", responses((status = 200, body = Vec<UnitDto>)))]
pub async fn units(State(state): State<AppState>) -> Result<Json<Vec<UnitDto>>, AppError> {
    let units = state.store.list_units().await.api()?;
    Ok(Json(
        units
            .into_iter()
            .filter(|u| u.active)
            .map(|u| UnitDto {
                id: u.id,
                parent_id: u.parent_id,
                name: u.name,
                code: u.code,
                kind: u.kind,
                phone: u.phone,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GrantDto {
    role: String,
    unit_id: i64,
    unit_name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeDto {
    id: i64,
    username: String,
    display_name: String,
    grants: Vec<GrantDto>,
}

/// Who the caller is and what roles they hold.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
pub async fn me(ApiUser(s): ApiUser) -> Result<Json<MeDto>, AppError> {
    Ok(Json(MeDto {
        id: s.user.id,
        username: s.user.username.clone(),
        display_name: s.user.display_name.clone(),
        grants: s
            .grant_rows
            .iter()
            .map(|g| GrantDto {
                role: g.role.clone(),
                unit_id: g.unit_id,
                unit_name: g.unit_name.clone(),
            })
            .collect(),
    }))
}
