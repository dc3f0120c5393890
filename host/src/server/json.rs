//! JSON request bodies for the REST API, read whatever their `Content-Type` says (as upstream's
//! handlers decode the body as JSON without looking): `curl -d '{...}'` sends a form type, and
//! refusing it would only make people add a header. Safe because every such endpoint also needs
//! the admin token in `Authorization`, which a cross-site form can never send. A body that is
//! not the expected JSON is a 400 in the API's error shape, naming the field at fault.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A JSON body of type `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            ApiError::new(e.status(), "api.context.invalid_body_param.app_error", format!("cannot read the body: {e}"))
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut de).map(JsonBody).map_err(|e| {
            let message = format!("the body is not the JSON this endpoint takes: {e}");
            ApiError::new(StatusCode::BAD_REQUEST, "api.context.invalid_body_param.app_error", message)
        })
    }
}
