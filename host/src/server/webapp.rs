//! What web clients load, without the admin token: `GET /api/v4/plugins/webapp` (the running
//! plugins' client manifests) and `GET /static/plugins/{id}/{file}` (their web-app bundles,
//! copied into `ClientDirectory` by the environment at activation, `environment::webapp`).
//! Upstream: `getWebappPlugins` in `api4/plugin.go`, and the static file server of `web/static.go`.
//!
//! Beyond upstream, the static route serves exactly the bundles the listing names: the name in
//! the request is only compared with the environment's record of the running plugin's bundle,
//! and the file opened is the recorded path — nothing of the request becomes a path. Upstream
//! serves whatever lies in the client directory, including a stopped plugin's files.

use super::error::ApiError;
use super::plugins::current_statuses;
use super::{blocking, AppState};
use crate::environment::webapp::{is_bundle_file_name, is_plain_id};
use crate::environment::{PluginState, WebappBundle};
use api_definitions::model::{Manifest, ManifestWebapp};
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use tokio::io::AsyncReadExt;

/// Where the bundles are served: `<PREFIX>/<id>/<id>_<hash>_bundle.js`.
pub const STATIC_PREFIX: &str = "/static/plugins";

/// The bundles' cache header: a bundle's name changes whenever its content does, so a name's
/// content never changes and clients may keep it for a year (the longest `max-age` caches
/// honour) without revalidating.
pub const BUNDLE_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Bytes read from a bundle file per chunk of the response.
const CHUNK: usize = 64 << 10;

/// `GET /api/v4/plugins/webapp`, public (clients load it before anyone signs in): the running
/// plugins that have a web app, as client manifests — without the server part and the settings
/// schema, which are the server's business (upstream: `ClientManifest`) — with
/// `webapp.bundle_path` the URL of the bundle (`/static/plugins/<id>/<id>_<hash>_bundle.js`).
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Manifest>>, ApiError> {
    let statuses = current_statuses(&state).await?;
    Ok(Json(
        statuses
            .into_iter()
            .filter(|s| s.state == PluginState::Running)
            // A running plugin with a web app always has a bundle (the server gives the
            // environment its client directory); one without is not listed, as its URL could not
            // be served.
            .filter_map(|s| client_manifest(s.manifest, s.webapp_bundle.as_ref()))
            .collect(),
    ))
}

/// What clients are told of a plugin with a web app (upstream: `Manifest.ClientManifest`): the
/// manifest without the server part and the settings schema, `webapp.bundle_path` the URL of
/// its bundle. `None` without a web app or a bundle.
pub fn client_manifest(manifest: Manifest, bundle: Option<&WebappBundle>) -> Option<Manifest> {
    let bundle = bundle?;
    let webapp = ManifestWebapp {
        bundle_path: format!("{STATIC_PREFIX}/{}/{}", manifest.id, bundle.file_name),
        ..manifest.webapp?
    };
    Some(Manifest { server: None, settings_schema: None, webapp: Some(webapp), ..manifest })
}

fn not_found(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "api.plugin.webapp_bundle.not_found.app_error", message)
}

fn no_bundle(id: &str, file: &str) -> ApiError {
    not_found(format!("no web-app bundle {file:?} of a running plugin {id:?}"))
}

/// `GET /static/plugins/{id}/{file}`: the bundle of running plugin `id` if `file` is its
/// current name, streamed from its file (bundles have no size cap, so none is read whole),
/// with [`BUNDLE_CACHE_CONTROL`]; 404 for anything else. The path parameters arrive
/// percent-decoded, so an encoded `/` or `..` is seen as such and refused by the shape checks
/// before the environment is asked; one that does not decode to UTF-8 is a 404 as well (not
/// axum's 400), since no bundle has such a name.
///
/// A 404 is `Cache-Control: no-store`: the same URL is served again once its plugin runs
/// again (a restart, a re-enable), and a cache in between must not remember the gap.
pub async fn bundle(State(state): State<AppState>, path: Result<Path<(String, String)>, PathRejection>) -> Response {
    match serve_bundle(state, path).await {
        Ok(response) => response,
        Err(e) => {
            let mut response = e.into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

async fn serve_bundle(
    state: AppState,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let Ok(Path((id, file))) = path else {
        return Err(not_found("no web-app bundle has this path (it does not decode to UTF-8)"));
    };
    if !is_plain_id(&id) || !is_bundle_file_name(&id, &file) {
        return Err(no_bundle(&id, &file));
    }
    let env = state.env.clone();
    let (opened, length) = blocking(move || {
        let Some(current) = env.webapp_bundle(&id).filter(|b| b.file_name == file) else {
            return Err(no_bundle(&id, &file));
        };
        // The recorded path, never one made from the request; the file is replaced only by a
        // rename, so what is opened stays whole while it streams.
        let open = || -> io::Result<(std::fs::File, u64)> {
            let opened = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(&current.path)?;
            let length = opened.metadata()?.len();
            Ok((opened, length))
        };
        open().map_err(|e| {
            log::warn!("plugin {id}: its web-app bundle `{}` cannot be served: {e}", current.path.display());
            no_bundle(&id, &file)
        })
    })
    .await?;
    let body = Body::from_stream(chunks(tokio::fs::File::from_std(opened)));
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(BUNDLE_CACHE_CONTROL));
    // The bundle is script and nothing else, whatever a browser would guess from its bytes.
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    Ok(response)
}

/// The file's bytes as a stream of chunks; ends after the first error.
fn chunks(file: tokio::fs::File) -> impl futures_util::Stream<Item = io::Result<Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = Vec::with_capacity(CHUNK);
        match (&mut file).take(CHUNK as u64).read_to_end(&mut buffer).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(Bytes::from(buffer)), Some(file))),
            Err(e) => Some((Err(e), None)),
        }
    })
}
