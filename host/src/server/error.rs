//! The JSON error every endpoint answers with (upstream's `AppError` shape: `id`, `message`,
//! `status_code`), with stable ids a client can match on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error answered to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub id: &'static str,
    pub message: String,
    pub status: StatusCode,
}

impl ApiError {
    pub fn new(status: StatusCode, id: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { id, message: message.into(), status }
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
