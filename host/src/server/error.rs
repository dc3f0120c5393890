//! The JSON error every endpoint answers with (upstream's `AppError` shape: `id`, `message`,
//! `status_code`), with stable ids a client can match on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::borrow::Cow;

/// An error answered to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// Ours are constants; those of the host API's errors (plugins' included) are made at run time.
    pub id: Cow<'static, str>,
    pub message: String,
    pub status: StatusCode,
}

impl ApiError {
    pub fn new(status: StatusCode, id: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { id: Cow::Borrowed(id), message: message.into(), status }
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "api.context.admin_token.app_error", message)
    }

    pub fn not_installed(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "app.plugin.not_installed.app_error",
            format!("plugin `{id}` is not installed"),
        )
    }

    /// `Enable: false` in the settings (upstream's answer too).
    pub fn plugins_disabled() -> ApiError {
        ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "app.plugin.disabled.app_error",
            "plugins are disabled on this server (PluginSettings.Enable)",
        )
    }

    /// Something inside the server went wrong (a task panicked, a file could not be written).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "api.plugin.internal.app_error", message)
    }
}

/// A host API error (or a plugin's answer) as the REST answer: its id, message and status
/// (500 when the status is not a valid HTTP error status); its details go to the log only.
impl From<api_definitions::model::AppError> for ApiError {
    fn from(e: api_definitions::model::AppError) -> ApiError {
        let status = u16::try_from(e.status_code)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .filter(|s| s.is_client_error() || s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if !e.detailed_error.is_empty() {
            log::info!("{}: {} ({})", e.where_, e.message, e.detailed_error);
        }
        let e = e.into_details();
        ApiError { id: Cow::Owned(e.id), message: e.message, status }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "id": self.id,
            "message": self.message,
            "status_code": self.status.as_u16(),
        });
        (self.status, Json(body)).into_response()
    }
}
