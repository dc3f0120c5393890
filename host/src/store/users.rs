//! Users (upstream `model.User`, `app/user.go`, `store/sqlstore/user_store.go`): creating one with
//! upstream's checks and unique usernames and emails, reading by id, username or email, updating,
//! deactivating (a soft delete), and listing with `UserGetOptions` filters.

use super::db::{Abort, Store};
use super::error::StoreError;
use super::ids::new_id;
use super::rows::{self, id_shaped, invalid, max_chars, required};
use api_definitions::model::{User, UserGetOptions};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

const WHAT: &str = "user";

/// Usernames are 1 to this many characters (upstream `UserNameMaxLength`).
pub const USERNAME_MAX_CHARS: usize = 64;
/// Emails are at most this many characters (upstream `UserEmailMaxLength`).
pub const EMAIL_MAX_CHARS: usize = 128;
/// Names upstream keeps for mentions and the system (`restrictedUsernames`).
const RESTRICTED_USERNAMES: [&str; 4] = ["all", "channel", "matterbot", "system"];
/// Upstream's limits on the other names (`UserNicknameMaxRunes`, `UserFirstNameMaxRunes`, ...).
const NAME_MAX_CHARS: usize = 64;
const POSITION_MAX_CHARS: usize = 128;
const LOCALE_MAX_CHARS: usize = 5;
/// What a new user gets when created without roles or locale (upstream `SystemUserRoleId`,
/// `DefaultLocale`).
const DEFAULT_ROLES: &str = "system_user";
const DEFAULT_LOCALE: &str = "en";

/// The columns every user read selects, in the order [`from_row`] takes them.
const SELECT: &str = "SELECT id, create_at, update_at, delete_at, doc FROM users";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let mut user: User = rows::decode(row, 4)?;
    user.id = row.get(0)?;
    user.create_at = row.get(1)?;
    user.update_at = row.get(2)?;
    user.delete_at = row.get(3)?;
    Ok(user)
}

impl Store {
    /// Creates `user`; returns it as stored, with its new id, `create_at` and `update_at` now,
    /// `delete_at` 0, the username and email lowercased (upstream's `PreSave`), `roles`
    /// `system_user` and `locale` `en` when empty, and no password (see the docs: the store keeps
    /// none). Fails when `user.id` is set (upstream refuses to save a user that has one), when a
    /// field is invalid ([`StoreError::Invalid`] naming it), or when an active user has the same
    /// username or email ([`StoreError::Conflict`]).
    pub fn create_user(&self, user: &User) -> Result<User, StoreError> {
        if !user.id.is_empty() {
            return Err(invalid(WHAT, "user.id", format!("is `{}`; a new user must have none", user.id)));
        }
        let mut user = user.clone();
        normalize(&mut user);
        validate(&user)?;
        if user.roles.is_empty() {
            user.roles = DEFAULT_ROLES.to_owned();
        }
        if user.locale.is_empty() {
            user.locale = DEFAULT_LOCALE.to_owned();
        }
        let now = self.now_millis();
        user.id = new_id();
        (user.create_at, user.update_at, user.delete_at) = (now, now, 0);
        user.password.clear();
        self.transaction(
            || format!("creating user `{}`", user.username),
            |tx| {
                check_unique(tx, &user)?;
                let doc = rows::encode(WHAT, &user)?;
                tx.prepare_cached(
                    "INSERT INTO users (id, username, email, roles, create_at, update_at, delete_at, doc)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    user.id,
                    user.username,
                    user.email,
                    user.roles,
                    user.create_at,
                    user.update_at,
                    user.delete_at,
                    doc
                ])?;
                Ok(())
            },
        )?;
        Ok(user)
    }

    /// The user with id `id`, deactivated or not (upstream returns deactivated users too, with
    /// `delete_at` set).
    pub fn get_user(&self, id: &str) -> Result<User, StoreError> {
        self.read_transaction(|| format!("reading user `{id}`"), |tx| load(tx, id))
    }

    /// The user with username `username` (compared in lower case). Usernames are unique among
    /// active users only: when a deactivated user had the name too, the active one is returned,
    /// and with only deactivated ones, the last deactivated.
    pub fn get_user_by_username(&self, username: &str) -> Result<User, StoreError> {
        let username = username.to_lowercase();
        self.by_unique_column("username", &username)
    }

    /// The user with email `email` (compared in lower case, surrounding spaces ignored), chosen
    /// as in [`Store::get_user_by_username`].
    pub fn get_user_by_email(&self, email: &str) -> Result<User, StoreError> {
        let email = email.trim().to_lowercase();
        self.by_unique_column("email", &email)
    }

    fn by_unique_column(&self, column: &'static str, value: &str) -> Result<User, StoreError> {
        let sql = format!("{SELECT} WHERE {column} = ?1 ORDER BY delete_at = 0 DESC, delete_at DESC LIMIT 1");
        self.read_transaction(
            || format!("reading the user with {column} `{value}`"),
            |tx| {
                let user = tx.prepare_cached(&sql)?.query_row([value], from_row).optional()?;
                user.ok_or_else(|| StoreError::NotFound { what: WHAT, id: value.to_owned() }.into())
            },
        )
    }

    /// Replaces the user `user.id` with `user`, checked as by [`Store::create_user`]; returns it
    /// as stored. As upstream's untrusted update (`UpdateUser` from a plugin), the fields only the
    /// server or other calls change are kept from the stored user: `create_at`, `delete_at`,
    /// `roles`, `auth_data`, `auth_service`, `last_password_update`, `last_picture_update`,
    /// `failed_attempts`, `mfa_active`, `mfa_secret`, and `email_verified` (which turns false when
    /// the email changes). `update_at` becomes now.
    pub fn update_user(&self, user: &User) -> Result<User, StoreError> {
        let mut user = user.clone();
        normalize(&mut user);
        required(WHAT, "user.id", &user.id)?;
        validate(&user)?;
        let now = self.now_millis();
        let id = user.id.clone();
        self.transaction(
            || format!("updating user `{id}`"),
            |tx| {
                let old = load(tx, &user.id)?;
                user.create_at = old.create_at;
                user.delete_at = old.delete_at;
                user.update_at = now;
                user.roles = old.roles;
                user.auth_data = old.auth_data;
                user.auth_service = old.auth_service;
                user.last_password_update = old.last_password_update;
                user.last_picture_update = old.last_picture_update;
                user.failed_attempts = old.failed_attempts;
                user.mfa_active = old.mfa_active;
                user.mfa_secret = old.mfa_secret;
                user.email_verified = old.email_verified && user.email == old.email;
                user.password.clear();
                // A deactivated user's username and email are not reserved, so only an active
                // user's are checked.
                if user.delete_at == 0 {
                    check_unique(tx, &user)?;
                }
                let doc = rows::encode(WHAT, &user)?;
                tx.prepare_cached(
                    "UPDATE users SET username = ?2, email = ?3, roles = ?4, update_at = ?5, doc = ?6 WHERE id = ?1",
                )?
                .execute(params![
                    user.id,
                    user.username,
                    user.email,
                    user.roles,
                    user.update_at,
                    doc
                ])?;
                Ok(())
            },
        )?;
        Ok(user)
    }

    /// Deactivates the user `id` (upstream's soft delete): `delete_at` and `update_at` become now.
    /// The user stays readable by id and keeps its memberships; its username and email are free
    /// for a new user. Deactivating a deactivated user changes nothing.
    pub fn delete_user(&self, id: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("deactivating user `{id}`"),
            |tx| {
                require_user(tx, id)?;
                tx.prepare_cached("UPDATE users SET delete_at = ?2, update_at = ?2 WHERE id = ?1 AND delete_at = 0")?
                    .execute(params![id, now])?;
                Ok(())
            },
        )
    }

    /// One page of the users `options` selects, by username (or newest first with `sort`
    /// `create_at`). Supported filters: `in_team_id`, `not_in_team_id`, `in_channel_id`,
    /// `not_in_channel_id`, `without_team` (team memberships count while active), `inactive`
    /// (only deactivated users; wins over `active`), `active` (only active ones; with neither,
    /// both kinds), `role`, `roles` (any of them), `updated_after` and `view_restrictions` (only
    /// members of one of its teams or channels; with both lists empty, nobody). Paging: `page`
    /// from 0, `per_page` rows (60 when `<= 0`). The group filters, `channel_roles`, `team_roles`
    /// and other sorts are refused ([`StoreError::Invalid`] naming the option) rather than
    /// ignored, which would return users the caller meant to exclude.
    pub fn get_users(&self, options: &UserGetOptions) -> Result<Vec<User>, StoreError> {
        let (sql, args) = users_query(options)?;
        self.read_transaction(
            || "listing users".to_owned(),
            |tx| {
                let mut stmt = tx.prepare(&sql)?;
                let users = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
                Ok(users.collect::<rusqlite::Result<Vec<User>>>()?)
            },
        )
    }
}

/// The user `id`, or [`StoreError::NotFound`].
pub(crate) fn load(conn: &Connection, id: &str) -> Result<User, Abort> {
    let user = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?.query_row([id], from_row).optional()?;
    user.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

/// The `delete_at` of user `id` (0 while active), or [`StoreError::NotFound`].
pub(crate) fn require_user(conn: &Connection, id: &str) -> Result<i64, Abort> {
    let delete_at = conn
        .prepare_cached("SELECT delete_at FROM users WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    delete_at.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

/// Refuses `user` when another active user has its username or email.
fn check_unique(conn: &Connection, user: &User) -> Result<(), Abort> {
    for (column, field, value) in [("username", "user.username", &user.username), ("email", "user.email", &user.email)]
    {
        let taken: bool = conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM users WHERE {column} = ?1 AND delete_at = 0 AND id <> ?2)"
            ))?
            .query_row([value, &user.id], |row| row.get(0))?;
        if taken {
            return Err(StoreError::Conflict { what: WHAT, field, value: value.clone() }.into());
        }
    }
    Ok(())
}

/// Upstream's `PreSave` normalisation: usernames and emails in lower case, emails trimmed.
fn normalize(user: &mut User) {
    user.username = user.username.to_lowercase();
    user.email = user.email.trim().to_lowercase();
}

/// Upstream's `User.IsValid` checks on what a caller sets.
fn validate(user: &User) -> Result<(), StoreError> {
    id_shaped(WHAT, "user.id", &user.id)?;
    check_username(&user.username)?;
    check_email(&user.email)?;
    max_chars(WHAT, "user.nickname", &user.nickname, NAME_MAX_CHARS)?;
    max_chars(WHAT, "user.first_name", &user.first_name, NAME_MAX_CHARS)?;
    max_chars(WHAT, "user.last_name", &user.last_name, NAME_MAX_CHARS)?;
    max_chars(WHAT, "user.position", &user.position, POSITION_MAX_CHARS)?;
    max_chars(WHAT, "user.locale", &user.locale, LOCALE_MAX_CHARS)?;
    Ok(())
}

/// Upstream's `IsValidUsername`: 1 to 64 of lowercase ASCII letters, digits, `.`, `-` and `_`,
/// not a restricted name; and, as upstream's clients require, a letter first.
pub(crate) fn check_username(username: &str) -> Result<(), StoreError> {
    let field = "user.username";
    let chars = username.chars().count();
    if chars == 0 || chars > USERNAME_MAX_CHARS {
        return Err(invalid(WHAT, field, format!("must have 1 to {USERNAME_MAX_CHARS} characters, it has {chars}")));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    if let Some(c) = username.chars().find(|&c| !allowed(c)) {
        return Err(invalid(
            WHAT,
            field,
            format!("`{username}` has `{c}`; only lowercase letters, digits, `.`, `-` and `_` are allowed"),
        ));
    }
    if !username.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(invalid(WHAT, field, format!("`{username}` must start with a letter")));
    }
    if RESTRICTED_USERNAMES.contains(&username) {
        return Err(invalid(WHAT, field, format!("`{username}` is reserved")));
    }
    Ok(())
}

/// A plausible address: one `@` with something on both sides, no spaces, at most 128 characters.
fn check_email(email: &str) -> Result<(), StoreError> {
    let field = "user.email";
    required(WHAT, field, email)?;
    max_chars(WHAT, field, email, EMAIL_MAX_CHARS)?;
    let plausible = match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    };
    if !plausible || email.chars().any(char::is_whitespace) {
        return Err(invalid(WHAT, field, format!("`{email}` is not an email address")));
    }
    Ok(())
}

/// The statement and its arguments for [`Store::get_users`].
fn users_query(options: &UserGetOptions) -> Result<(String, Vec<Value>), StoreError> {
    let unsupported = |field: &'static str| invalid("user query", field, "is not supported by this store");
    if !options.in_group_id.is_empty() {
        return Err(unsupported("options.in_group_id"));
    }
    if !options.not_in_group_id.is_empty() {
        return Err(unsupported("options.not_in_group_id"));
    }
    if options.group_constrained {
        return Err(unsupported("options.group_constrained"));
    }
    if !options.channel_roles.is_empty() {
        return Err(unsupported("options.channel_roles"));
    }
    if !options.team_roles.is_empty() {
        return Err(unsupported("options.team_roles"));
    }
    let order = match options.sort.as_str() {
        "" | "username" => "username, id",
        "create_at" => "create_at DESC, id",
        other => {
            return Err(invalid(
                "user query",
                "options.sort",
                format!("`{other}` is not supported by this store; use `username` or `create_at`"),
            ))
        }
    };

    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    // Binds `value` as the next argument; returns its placeholder.
    fn arg(value: &str, args: &mut Vec<Value>) -> String {
        args.push(Value::Text(value.to_owned()));
        format!("?{}", args.len())
    }
    let team_member =
        |p: &str| format!("EXISTS (SELECT 1 FROM team_members tm WHERE tm.user_id = users.id AND tm.delete_at = 0{p})");
    let channel_member = |p: &str| format!("EXISTS (SELECT 1 FROM channel_members cm WHERE cm.user_id = users.id{p})");
    if !options.in_team_id.is_empty() {
        let p = arg(&options.in_team_id, &mut args);
        conditions.push(team_member(&format!(" AND tm.team_id = {p}")));
    }
    if !options.not_in_team_id.is_empty() {
        let p = arg(&options.not_in_team_id, &mut args);
        conditions.push(format!("NOT {}", team_member(&format!(" AND tm.team_id = {p}"))));
    }
    if !options.in_channel_id.is_empty() {
        let p = arg(&options.in_channel_id, &mut args);
        conditions.push(channel_member(&format!(" AND cm.channel_id = {p}")));
    }
    if !options.not_in_channel_id.is_empty() {
        let p = arg(&options.not_in_channel_id, &mut args);
        conditions.push(format!("NOT {}", channel_member(&format!(" AND cm.channel_id = {p}"))));
    }
    if options.without_team {
        conditions.push(format!("NOT {}", team_member("")));
    }
    if options.inactive {
        conditions.push("delete_at <> 0".to_owned());
    } else if options.active {
        conditions.push("delete_at = 0".to_owned());
    }
    // Roles are space-separated words; a role matches a whole word.
    let mut roles: Vec<&str> = options.roles.iter().map(String::as_str).filter(|r| !r.is_empty()).collect();
    if !options.role.is_empty() {
        roles.push(&options.role);
    }
    if !roles.is_empty() {
        let any: Vec<String> = roles
            .iter()
            .map(|role| format!("instr(' ' || roles || ' ', ' ' || {} || ' ') > 0", arg(role, &mut args)))
            .collect();
        conditions.push(format!("({})", any.join(" OR ")));
    }
    if options.updated_after > 0 {
        args.push(Value::Integer(options.updated_after));
        conditions.push(format!("update_at > ?{}", args.len()));
    }
    if let Some(restrictions) = &options.view_restrictions {
        let mut any = Vec::new();
        for team in &restrictions.teams {
            any.push(team_member(&format!(" AND tm.team_id = {}", arg(team, &mut args))));
        }
        for channel in &restrictions.channels {
            any.push(channel_member(&format!(" AND cm.channel_id = {}", arg(channel, &mut args))));
        }
        conditions.push(if any.is_empty() { "0".to_owned() } else { format!("({})", any.join(" OR ")) });
    }

    let (limit, offset) = rows::page(options.page, options.per_page);
    args.push(Value::Integer(limit));
    args.push(Value::Integer(offset));
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let sql = format!("{SELECT}{filter} ORDER BY {order} LIMIT ?{} OFFSET ?{}", args.len() - 1, args.len());
    Ok((sql, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_upstreams_rules() {
        for good in ["a", "alice", "a.b-c_d", "x1", &"a".repeat(64)] {
            assert!(check_username(good).is_ok(), "{good}");
        }
        for (bad, says) in [
            ("", "1 to 64"),
            (&*"a".repeat(65), "it has 65"),
            ("Alice", "has `A`"),
            ("al ice", "has ` `"),
            ("élan", "has `é`"),
            ("1abc", "start with a letter"),
            ("_abc", "start with a letter"),
            ("all", "reserved"),
            ("system", "reserved"),
        ] {
            let err = check_username(bad).unwrap_err();
            let message = err.to_string();
            assert!(message.contains("user.username") && message.contains(says), "{bad}: {message}");
        }
    }

    #[test]
    fn emails_need_one_at_with_both_sides() {
        for good in ["a@b", "first.last@example.com"] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        for bad in ["", "ab", "@b", "a@", "a@b@c", "a b@c"] {
            assert!(check_email(bad).unwrap_err().to_string().contains("user.email"), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(120));
        assert!(check_email(&long).is_err());
    }
}
