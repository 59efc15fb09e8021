//! The route table: every URL of the platform, in one place.

use crate::api;
use crate::auth::session_layer;
use crate::error::{AppError, ErrorBody, ErrorDetail};
use crate::state::AppState;
use crate::{accounts, admin, audit, calendar, catalogue, foi, mailbox, portal, qa, search, tasks};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = api::router();
    let openapi = std::sync::Arc::new(openapi);

    let app = Router::new()
        // Public portal
        .route("/", get(portal::home))
        .route("/workdays", get(calendar::pages::workdays))
        .route("/a11y", get(portal::a11y))
        .route("/static/site.css", get(portal::stylesheet))
        .route("/healthz", get(api::health::healthz))
        .route("/catalogue", get(catalogue::portal::catalogue))
        .route("/columns/{slug}", get(catalogue::portal::column))
        .route("/columns/{slug}/feed.xml", get(catalogue::portal::feed))
        .route("/documents/{id}", get(catalogue::portal::document))
        .route("/files/{id}/{name}", get(catalogue::files::download))
        .route("/sitemap.xml", get(catalogue::portal::sitemap))
        .route("/search", get(search::portal::search))
        .route("/qa", get(qa::portal::ask))
        .route("/qa/ask", post(qa::portal::register))
        .route("/qa/suggest", get(qa::portal::suggest))
        .route("/qa/replies", get(qa::portal::replies))
        .route("/qa/entries/{id}", get(qa::portal::entry))
        .route("/qa/entries/{id}/feedback", post(qa::portal::feedback))
        .route("/qa/tickets/{id}", get(qa::portal::ticket))
        .route("/static/qa.js", get(qa::portal::script))
        .route("/foi", get(foi::portal::apply))
        // An application with its identity document: at most 12 MB read.
        .route(
            "/foi/apply",
            post(foi::portal::submit).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
        )
        .route("/foi/status", get(foi::portal::status))
        .route("/foi/fees", get(foi::portal::fees))
        .route("/mailbox", get(mailbox::portal::form).post(mailbox::portal::post))
        .route("/mailbox/similar", get(mailbox::portal::similar))
        .route("/mailbox/track", get(mailbox::portal::track))
        .route("/mailbox/track/rate", post(mailbox::portal::rate_post))
        .route("/mailbox/track/reopen", post(mailbox::portal::reopen_post))
        .route("/mailbox/replies", get(mailbox::portal::replies))
        .route("/mailbox/replies/{id}", get(mailbox::portal::reply))
        .route("/mailbox/stats", get(mailbox::portal::stats))
        .route("/mailbox/commitments", get(mailbox::portal::commitments))
        .route("/static/mailbox.js", get(mailbox::portal::script))
        // Open311 GeoReport v2, read-only
        .route("/open311/v2/services.json", get(mailbox::open311::services))
        .route("/open311/v2/requests.json", get(mailbox::open311::requests))
        .route("/open311/v2/requests/{id}", get(mailbox::open311::request))
        // Login
        .route("/login", get(accounts::session::login_page).post(accounts::session::login))
        .route("/logout", post(accounts::session::logout))
        // Admin
        .route("/admin", get(admin::index))
        .route("/admin/units", get(accounts::units::list).post(accounts::units::create))
        .route("/admin/units/{id}", get(accounts::units::edit_page).post(accounts::units::update))
        .route("/admin/users", get(accounts::users::list).post(accounts::users::create))
        .route("/admin/users/{id}", get(accounts::users::show))
        .route("/admin/users/{id}/grants", post(accounts::users::add_grant))
        .route("/admin/users/{id}/grants/{grant_id}/delete", post(accounts::users::remove_grant))
        .route("/admin/users/{id}/reset-password", post(accounts::users::reset_password))
        .route("/admin/users/{id}/disable", post(accounts::users::disable))
        .route("/admin/users/{id}/enable", post(accounts::users::enable))
        .route("/admin/account", get(accounts::account::show))
        .route(
            "/admin/account/password",
            get(accounts::account::password_page).post(accounts::account::change_password),
        )
        .route("/admin/account/tokens", post(accounts::account::create_token))
        .route("/admin/account/tokens/{id}/revoke", post(accounts::account::revoke_token))
        .route("/admin/audit", get(audit::pages::list))
        .route("/admin/audit/verify", post(audit::pages::verify))
        .route("/admin/calendar", get(calendar::admin::show).post(calendar::admin::import))
        .route("/admin/sites", get(accounts::sites::list))
        .route("/admin/sites/{id}", post(accounts::sites::update))
        .route(
            "/admin/columns",
            get(catalogue::admin::columns).post(catalogue::admin::create_column),
        )
        .route("/admin/columns/{id}", post(catalogue::admin::update_column))
        .route("/admin/documents", get(catalogue::admin::list).post(catalogue::admin::create))
        .route("/admin/documents/new", get(catalogue::admin::new_page))
        .route("/admin/documents/{id}", get(catalogue::admin::show))
        .route(
            "/admin/documents/{id}/edit",
            get(catalogue::admin::edit_page).post(catalogue::admin::update),
        )
        .route("/admin/documents/{id}/action", post(catalogue::admin::act))
        .route("/admin/documents/{id}/privacy/mask", post(catalogue::admin::mask))
        .route("/admin/documents/{id}/privacy/lawful", post(catalogue::admin::lawful))
        .route("/admin/documents/{id}/attachments", post(catalogue::admin::upload))
        .route(
            "/admin/documents/{id}/attachments/{aid}/delete",
            post(catalogue::admin::remove_attachment),
        )
        .route(
            "/admin/documents/{id}/attachments/{aid}/acknowledge",
            post(catalogue::admin::acknowledge_attachment),
        )
        .route("/admin/documents/{id}/validity", post(catalogue::admin::set_validity))
        .route("/admin/documents/{id}/diff", get(catalogue::admin::diff))
        .route("/admin/search", get(search::admin::page))
        .route("/admin/search/rebuild", post(search::admin::rebuild))
        .route("/admin/search/misses/{id}/delete", post(search::admin::delete_miss))
        .route("/admin/qa", get(qa::admin::entries).post(qa::admin::create))
        .route("/admin/qa/new", get(qa::admin::new_page))
        .route("/admin/qa/synonyms", get(qa::admin::synonyms_page).post(qa::admin::save_synonyms))
        .route("/admin/qa/agent", get(qa::admin::agent))
        .route("/admin/qa/agent/answered", post(qa::admin::agent_answered))
        .route("/admin/qa/agent/register", post(qa::admin::agent_register))
        .route("/admin/qa/tickets", get(qa::admin::tickets))
        .route("/admin/qa/tickets/{id}", get(qa::admin::ticket))
        .route("/admin/qa/tickets/{id}/reply", post(qa::admin::reply))
        .route("/admin/qa/tickets/{id}/assign", post(qa::admin::assign))
        .route("/admin/qa/tickets/{id}/library", post(qa::admin::to_library))
        .route("/admin/qa/reports", get(qa::admin::reports))
        .route("/admin/foi", get(foi::admin::cases).post(foi::admin::register))
        .route("/admin/foi/new", get(foi::admin::new_form))
        .route("/admin/foi/stats", get(foi::admin::stats_page))
        .route("/admin/foi/stats.xlsx", get(foi::admin::stats_xlsx))
        .route("/admin/foi/recompute", post(foi::admin::recompute))
        .route("/admin/foi/{id}", get(foi::admin::case))
        .route("/admin/foi/{id}/events", post(foi::admin::add_event))
        .route("/admin/foi/{id}/events/{eid}/delete", post(foi::admin::delete_event))
        .route("/admin/foi/{id}/assign", post(foi::admin::assign))
        .route("/admin/foi/{id}/fee", post(foi::admin::fee))
        .route("/admin/foi/{id}/split", post(foi::admin::split))
        .route("/admin/foi/{id}/id-file", get(foi::admin::id_file))
        .route("/admin/foi/{id}/letters", post(foi::admin::draft_letter))
        .route(
            "/admin/foi/{id}/letters/{lid}",
            get(foi::admin::letter).post(foi::admin::save_letter),
        )
        .route("/admin/foi/{id}/letters/{lid}/issue", post(foi::admin::issue_letter))
        .route("/admin/foi/{id}/letters/{lid}/deliver", post(foi::admin::deliver_letter))
        .route("/admin/foi/{id}/letters/{lid}/delete", post(foi::admin::delete_letter))
        .route("/admin/foi/{id}/letters/{lid}/docx", get(foi::admin::letter_docx))
        .route("/admin/foi/{id}/reviews", post(foi::admin::add_review))
        .route("/admin/foi/{id}/reviews/{rid}", post(foi::admin::decide_review))
        .route("/admin/mailbox", get(mailbox::admin::ledger))
        .route("/admin/mailbox/calls", get(mailbox::admin::calls).post(mailbox::admin::add_call))
        .route("/admin/mailbox/calls/{id}/close", post(mailbox::admin::close_call))
        .route("/admin/mailbox/checks", post(mailbox::admin::add_check))
        .route(
            "/admin/mailbox/commitments",
            get(mailbox::admin::commitments).post(mailbox::admin::add_commitment),
        )
        .route("/admin/mailbox/commitments/{id}", post(mailbox::admin::update_commitment))
        .route("/admin/mailbox/{id}", get(mailbox::admin::message))
        .route("/admin/mailbox/{id}/action", post(mailbox::admin::act))
        .route("/admin/mailbox/{id}/publish", post(mailbox::admin::publish))
        .route("/admin/tasks", get(tasks::admin::plans))
        // A task list as text, Word or Excel: at most 20 MB read.
        .route(
            "/admin/tasks/import",
            post(tasks::admin::import_upload).layer(DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route("/admin/tasks/import/confirm", post(tasks::admin::import_confirm))
        .route("/admin/tasks/mine", get(tasks::admin::mine))
        .route("/admin/tasks/plans/{id}", get(tasks::admin::plan))
        .route("/admin/tasks/plans/{id}/dashboard", get(tasks::admin::dashboard))
        .route("/admin/tasks/plans/{id}/lagging", get(tasks::admin::lagging))
        .route("/admin/tasks/plans/{id}/notices", post(tasks::admin::issue_notice))
        .route("/admin/tasks/plans/{id}/assessment", get(tasks::admin::assessment))
        .route("/admin/tasks/plans/{id}/weights", post(tasks::admin::set_weights))
        .route("/admin/tasks/plans/{id}/report.xlsx", get(tasks::admin::report_xlsx))
        .route("/admin/tasks/plans/{id}/report.docx", get(tasks::admin::report_docx))
        .route("/admin/tasks/plans/{id}/report/publish", post(tasks::admin::publish_report))
        .route("/admin/tasks/rows/{id}", get(tasks::admin::row))
        .route("/admin/tasks/rows/{id}/entries", post(tasks::admin::create_entry))
        .route("/admin/tasks/rows/{id}/from-measures", post(tasks::admin::from_measures))
        .route("/admin/tasks/rows/{id}/units", post(tasks::admin::assign))
        .route("/admin/tasks/entries/{id}", get(tasks::admin::entry))
        // A progress report with an evidence file: at most 50 MB read.
        .route(
            "/admin/tasks/entries/{id}/report",
            post(tasks::admin::report).layer(DefaultBodyLimit::max(50 * 1024 * 1024)),
        )
        .route("/admin/tasks/entries/{id}/review", post(tasks::admin::review))
        .route("/admin/tasks/entries/{id}/delete", post(tasks::admin::delete_entry))
        .route("/admin/tasks/events/{id}/file", get(tasks::admin::evidence_file))
        .route("/admin/tasks/notices/{id}", get(tasks::admin::notice))
        .route("/admin/tasks/notices/{id}/publish", post(tasks::admin::publish_notice))
        .route("/admin/qa/{id}", get(qa::admin::edit_page).post(qa::admin::update))
        .route("/admin/qa/{id}/action", post(qa::admin::act))
        // JSON API and its description
        .merge(api_router)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
        .layer(middleware::from_fn(error_envelope))
        .layer(DefaultBodyLimit::max(512 * 1024 * 1024))
        .with_state(state);

    app.layer(SetResponseHeaderLayer::if_not_present(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::if_not_present(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    ))
    .layer(SetResponseHeaderLayer::if_not_present(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ))
    .layer(PropagateRequestIdLayer::new(REQUEST_ID))
    .layer(
        TraceLayer::new_for_http()
            .make_span_with(crate::telemetry::make_span)
            .on_response(crate::telemetry::on_response),
    )
    .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

async fn not_found(uri: axum::http::Uri) -> AppError {
    if uri.path().starts_with("/api/") {
        AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no API endpoint at {}", uri.path())).json()
    } else {
        AppError::not_found()
    }
}

/// Gives framework rejections (a malformed query string, an unknown API path,
/// a wrong method) the same form as our own errors: the JSON envelope under
/// `/api/`, a Chinese page elsewhere.
async fn error_envelope(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let already = ct.starts_with("application/json") || (!api && ct.starts_with("text/html"));
    if already {
        return res;
    }
    let (parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ if status.is_server_error() => "internal",
        _ => "error",
    };
    let mut out = if api {
        let message = if detail.is_empty() || detail.trim_start().starts_with('<') {
            status.canonical_reason().unwrap_or("error").to_string()
        } else {
            detail
        };
        axum::Json(ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message,
                field: None,
            },
        })
        .into_response()
    } else {
        let message = match status {
            StatusCode::NOT_FOUND => "您访问的页面不存在".to_string(),
            StatusCode::METHOD_NOT_ALLOWED => "不支持该请求方式".to_string(),
            StatusCode::PAYLOAD_TOO_LARGE => "提交的内容过大".to_string(),
            s if s.is_server_error() => "系统繁忙，请稍后再试".to_string(),
            _ => "提交的内容格式有误，请检查后重试".to_string(),
        };
        axum::response::Html(crate::web::render_error_page(status, &message)).into_response()
    };
    *out.status_mut() = status;
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}
