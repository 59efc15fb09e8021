//! The one error type at the HTTP boundary.
//!
//! Handlers return `Result<_, AppError>`. Under `/api/` an error renders as
//! the JSON envelope `{"error":{"code":…,"message":…,"field":…}}`; elsewhere as
//! a Chinese HTML page. Internal errors are logged with the request id and
//! shown without detail; nothing the user typed is logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// Machine-readable, stable: `bad_request`, `not_found`, `forbidden`, …
    pub code: &'static str,
    /// For people; Chinese on HTML pages, and in the API for user-facing fields.
    pub message: String,
    pub field: Option<String>,
    /// Render as JSON (API) or HTML.
    pub json: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    pub message: String,
    /// The offending parameter or form field, when there is one.
    pub field: Option<String>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code,
            message: message.into(),
            field: None,
            json: false,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError {
            field: Some(field.to_string()),
            ..Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "您访问的页面或对象不存在")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "您没有执行此操作的权限")
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录")
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统繁忙，请稍后再试")
    }

    pub fn unavailable() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "数据库暂时不可用，请稍后再试")
    }

    pub fn json(mut self) -> Self {
        self.json = true;
        self
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            StoreError::Conflict(_) => AppError::conflict("该记录已存在（名称、代码或用户名重复）"),
            e if e.is_unavailable() => {
                tracing::error!(error = %e, "database unavailable");
                AppError::unavailable()
            }
            e => {
                tracing::error!(error = %e, "store error");
                AppError::internal()
            }
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!(error = %e, "internal error");
        AppError::internal()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut res = if self.json {
            axum::Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code.to_string(),
                    message: self.message,
                    field: self.field,
                },
            })
            .into_response()
        } else {
            axum::response::Html(crate::web::render_error_page(status, &self.message)).into_response()
        };
        *res.status_mut() = status;
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Marks errors of API handlers as JSON.
pub trait ApiResultExt<T> {
    fn api(self) -> Result<T, AppError>;
}

impl<T, E: Into<AppError>> ApiResultExt<T> for Result<T, E> {
    fn api(self) -> Result<T, AppError> {
        self.map_err(|e| e.into().json())
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status.as_u16(), self.code, self.message)
    }
}

impl std::error::Error for AppError {}
