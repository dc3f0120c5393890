//! What the core-data modules (users, teams, channels, posts) share: a record kept as columns
//! for what queries filter, sort and join on, beside a document of the whole struct; paging; and
//! the small checks their validation is made of.
//!
//! The document is the struct in MessagePack (the wire codec, `plugin_runtime::codec`), not JSON:
//! it keeps every value as it came, fields a newer peer sent that this build does not know
//! (`unknown_fields`, which hold MessagePack values) included, and floats in `props` bit for bit.
//! On read the columns are laid over the decoded document, so a column a statement updates alone
//! (`delete_at`, a channel's `last_post_at`) is what the caller sees.

use super::error::StoreError;
use rusqlite::types::Type;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The page size of the paged reads when asked for `per_page <= 0` (upstream's API default,
/// `PerPageDefault`).
pub const DEFAULT_PER_PAGE: i64 = 60;

/// `value` as a document for the `doc` column.
pub(crate) fn encode<T: Serialize>(what: &'static str, value: &T) -> rusqlite::Result<Vec<u8>> {
    plugin_runtime::codec::encode(what, value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// The document in column `index` of `row`, decoded. A document that does not decode (a file
/// written by hand, or damaged) fails the read naming the column, rather than yielding a default.
pub(crate) fn decode<T: DeserializeOwned>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<T> {
    let bytes: Vec<u8> = row.get(index)?;
    plugin_runtime::codec::decode("doc", &bytes)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Blob, Box::new(e)))
}

/// `LIMIT` and `OFFSET` for page `page` (from 0) of `per_page` rows: `per_page <= 0` means
/// [`DEFAULT_PER_PAGE`], a negative page the first; the offset saturates rather than overflows.
pub(crate) fn page(page: i64, per_page: i64) -> (i64, i64) {
    let limit = if per_page <= 0 { DEFAULT_PER_PAGE } else { per_page };
    (limit, page.max(0).saturating_mul(limit))
}

/// An [`StoreError::Invalid`] for `field` of a `what`.
pub(crate) fn invalid(what: &'static str, field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid { what, field, reason: reason.into() }
}

/// Refuses `value` longer than `max` characters (Go's runes: Unicode scalar values, as
/// upstream's `utf8.RuneCountInString` limits).
pub(crate) fn max_chars(what: &'static str, field: &'static str, value: &str, max: usize) -> Result<(), StoreError> {
    let chars = value.chars().count();
    if chars > max {
        return Err(invalid(what, field, format!("is {chars} characters long; at most {max} are allowed")));
    }
    Ok(())
}

/// Refuses an empty `value`.
pub(crate) fn required(what: &'static str, field: &'static str, value: &str) -> Result<(), StoreError> {
    if value.is_empty() {
        return Err(invalid(what, field, "is empty"));
    }
    Ok(())
}

/// Refuses a `value` that is not shaped like an id (when `value` is set at all: an empty one is
/// left to [`required`]).
pub(crate) fn id_shaped(what: &'static str, field: &'static str, value: &str) -> Result<(), StoreError> {
    if !value.is_empty() && !super::ids::is_valid_id(value) {
        return Err(invalid(what, field, format!("`{value}` is not an id (26 letters and digits)")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_and_saturates() {
        assert_eq!(page(0, 10), (10, 0));
        assert_eq!(page(3, 10), (10, 30));
        assert_eq!(page(2, 0), (DEFAULT_PER_PAGE, 2 * DEFAULT_PER_PAGE));
        assert_eq!(page(-1, -5), (DEFAULT_PER_PAGE, 0));
        assert_eq!(page(i64::MAX, 1000), (1000, i64::MAX));
    }

    #[test]
    fn length_checks_count_characters_not_bytes() {
        assert!(max_chars("user", "user.nickname", &"é".repeat(64), 64).is_ok());
        let err = max_chars("user", "user.nickname", &"é".repeat(65), 64).unwrap_err();
        assert_eq!(err.to_string(), "invalid user: user.nickname is 65 characters long; at most 64 are allowed");
    }
}
