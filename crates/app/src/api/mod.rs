//! The JSON API under `/api/v1`, documented by OpenAPI 3 generated from
//! these handlers (`utoipa`); the router and the document are built from the
//! same `routes!` list, so every endpoint is in the spec.
//!
//! Conventions for every domain: JSON bodies; errors as
//! `{"error":{"code":…,"message":…,"field":…}}`; staff endpoints take a bearer
//! token (`gongkai token create`) or a session cookie plus `X-CSRF-Token`.

pub mod health;

use crate::state::AppState;
use crate::{accounts, audit, calendar, catalogue, foi, mailbox, qa, search, tasks};
use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "gongkai 政务公开平台 API", description = "JSON API of the gongkai open-government platform."),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Health and metadata"),
        (name = "workdays", description = "Working-day calendar (工作日) and statutory deadlines"),
        (name = "accounts", description = "Units, users and the current caller"),
        (name = "audit", description = "Tamper-evident audit log"),
        (name = "catalogue", description = "Disclosure catalogue: columns, documents, interpretations, review"),
        (name = "search", description = "Portal search (站内搜索) over the published catalogue"),
        (name = "qa", description = "Policy consultation Q&A library (政策咨询问答库): matching and consultation tickets"),
        (name = "foi", description = "Disclosure on application (依申请公开): fee estimates, public case status, cases"),
        (name = "mailbox", description = "Public mailbox (公开信箱): messages registered by other systems, public status by query code"),
        (name = "tasks", description = "Task responsibility lists (任务清单): plans, rows, 细化清单 entries, progress, 销号, lagging units, assessment"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API router and its OpenAPI document.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(calendar::api::deadline))
        .routes(routes!(calendar::api::day))
        .routes(routes!(accounts::api::units))
        .routes(routes!(accounts::api::me))
        .routes(routes!(audit::api::entries))
        .routes(routes!(audit::api::verify))
        .routes(routes!(catalogue::api::columns))
        .routes(routes!(catalogue::api::list, catalogue::api::create))
        .routes(routes!(catalogue::api::get, catalogue::api::update))
        .routes(routes!(catalogue::api::transition))
        .routes(routes!(catalogue::api::privacy))
        .routes(routes!(search::api::search))
        .routes(routes!(qa::api::match_question))
        .routes(routes!(qa::api::create))
        .routes(routes!(qa::api::get))
        .routes(routes!(foi::api::fee_estimate))
        .routes(routes!(foi::api::status))
        .routes(routes!(foi::api::case))
        .routes(routes!(mailbox::api::create))
        .routes(routes!(mailbox::api::status))
        .routes(routes!(tasks::api::plans))
        .routes(routes!(tasks::api::plan))
        .routes(routes!(tasks::api::dashboard))
        .routes(routes!(tasks::api::lagging))
        .routes(routes!(tasks::api::assessment))
        .routes(routes!(tasks::api::row))
        .routes(routes!(tasks::api::entry))
        .routes(routes!(tasks::api::create_entry))
        .routes(routes!(tasks::api::report))
        .routes(routes!(tasks::api::review))
        .split_for_parts()
}
