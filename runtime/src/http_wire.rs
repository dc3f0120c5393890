//! HTTP requests and responses as call arguments and results. The head (method, URI, status,
//! headers) is encoded with the arguments; the body travels as a [`ByteStream`] beside them, so
//! a large upload or download streams instead of being buffered into one frame.

use crate::{ByteStream, RpcError};
use serde::{Deserialize, Serialize};

/// Everything of an HTTP request but its body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpRequestHead {
    pub method: String,
    pub uri: String,
    pub version: String,
    pub headers: Vec<(String, crate::codec::ByteBuf)>,
}

/// Everything of an HTTP response but its body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpResponseHead {
    pub status: u16,
    pub version: String,
    pub headers: Vec<(String, crate::codec::ByteBuf)>,
}

fn version_name(version: http::Version) -> String {
    // The names `parse_version` reads; a literal each, since `format!` would grow a string.
    let name = match version {
        http::Version::HTTP_09 => "HTTP/0.9",
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_2 => "HTTP/2.0",
        http::Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    };
    name.to_owned()
}

fn parse_version(name: &str) -> http::Version {
    match name {
        "HTTP/0.9" => http::Version::HTTP_09,
        "HTTP/1.0" => http::Version::HTTP_10,
        "HTTP/2.0" => http::Version::HTTP_2,
        "HTTP/3.0" => http::Version::HTTP_3,
        _ => http::Version::HTTP_11,
    }
}

fn headers_to_wire(headers: &http::HeaderMap) -> Vec<(String, crate::codec::ByteBuf)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), crate::codec::ByteBuf(value.as_bytes().to_vec())))
        .collect()
}

fn headers_from_wire(headers: Vec<(String, crate::codec::ByteBuf)>, map: &mut http::HeaderMap) -> Result<(), RpcError> {
    for (name, value) in headers {
        let name = http::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| RpcError::Protocol { detail: format!("bad HTTP header name {name:?}: {e}") })?;
        let value = http::header::HeaderValue::from_bytes(&value.0)
            .map_err(|e| RpcError::Protocol { detail: format!("bad value for HTTP header {name}: {e}") })?;
        map.append(name, value);
    }
    Ok(())
}

/// Splits a request into the head that is encoded and the body that streams.
pub fn split_request(request: http::Request<ByteStream>) -> (HttpRequestHead, ByteStream) {
    let (parts, body) = request.into_parts();
    let head = HttpRequestHead {
        method: parts.method.as_str().to_owned(),
        uri: parts.uri.to_string(),
        version: version_name(parts.version),
        headers: headers_to_wire(&parts.headers),
    };
    (head, body)
}

/// Joins a received head and body into a request; a head that is not valid HTTP is a protocol
/// error.
pub fn join_request(head: HttpRequestHead, body: ByteStream) -> Result<http::Request<ByteStream>, RpcError> {
    let mut request = http::Request::new(body);
    *request.method_mut() = http::Method::from_bytes(head.method.as_bytes())
        .map_err(|e| RpcError::Protocol { detail: format!("bad HTTP method {:?}: {e}", head.method) })?;
    *request.uri_mut() =
        head.uri.parse().map_err(|e| RpcError::Protocol { detail: format!("bad HTTP URI {:?}: {e}", head.uri) })?;
    *request.version_mut() = parse_version(&head.version);
    headers_from_wire(head.headers, request.headers_mut())?;
    Ok(request)
}

/// Splits a response into the head that is encoded and the body that streams.
pub fn split_response(response: http::Response<ByteStream>) -> (HttpResponseHead, ByteStream) {
    let (parts, body) = response.into_parts();
    let head = HttpResponseHead {
        status: parts.status.as_u16(),
        version: version_name(parts.version),
        headers: headers_to_wire(&parts.headers),
    };
    (head, body)
}

/// Joins a received head and body into a response.
pub fn join_response(head: HttpResponseHead, body: ByteStream) -> Result<http::Response<ByteStream>, RpcError> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(head.status)
        .map_err(|e| RpcError::Protocol { detail: format!("bad HTTP status {}: {e}", head.status) })?;
    *response.version_mut() = parse_version(&head.version);
    headers_from_wire(head.headers, response.headers_mut())?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSIONS: [http::Version; 5] = [
        http::Version::HTTP_09,
        http::Version::HTTP_10,
        http::Version::HTTP_11,
        http::Version::HTTP_2,
        http::Version::HTTP_3,
    ];

    #[test]
    fn every_version_crosses_the_wire_under_its_usual_name() {
        for version in VERSIONS {
            // The names earlier builds sent (`format!("{version:?}")`), so both ends still agree.
            assert_eq!(version_name(version), format!("{version:?}"));

            let mut request = http::Request::new(ByteStream::empty());
            *request.version_mut() = version;
            let (head, body) = split_request(request);
            assert_eq!(join_request(head, body).unwrap().version(), version);

            let mut response = http::Response::new(ByteStream::empty());
            *response.version_mut() = version;
            let (head, body) = split_response(response);
            assert_eq!(join_response(head, body).unwrap().version(), version);
        }
    }
}
