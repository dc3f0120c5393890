//! Channels and channel membership (upstream `model.Channel`, `model.ChannelMember`,
//! `app/channel.go`): creating open, private and group channels with upstream's name rules and a
//! name unique in the team, reading, listing a team's public channels, updating, archiving (a soft
//! delete), the direct channel of two users made on first use; adding members (who must belong to
//! the channel's team), reading, listing and removing them.

use super::db::{Abort, Store};
use super::error::StoreError;
use super::ids::new_id;
use super::rows::{self, id_shaped, invalid, max_chars, required};
use super::teams::{load_member as load_team_member, member_not_found as team_member_not_found, require_team};
use super::users::require_user;
use api_definitions::model::{
    Channel, ChannelMember, CHANNEL_MARK_UNREAD_ALL, CHANNEL_NOTIFY_DEFAULT, CHANNEL_TYPE_DIRECT, CHANNEL_TYPE_GROUP,
    CHANNEL_TYPE_OPEN, CHANNEL_TYPE_PRIVATE, DESKTOP_NOTIFY_PROP, EMAIL_NOTIFY_PROP, MARK_UNREAD_NOTIFY_PROP,
    PUSH_NOTIFY_PROP,
};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

const WHAT: &str = "channel";
const MEMBER: &str = "channel member";

/// Channel names are 1 to this many characters (upstream `ChannelNameMaxLength`).
pub const CHANNEL_NAME_MAX_CHARS: usize = 64;
/// Upstream's other limits (`ChannelDisplayNameMaxRunes`, `ChannelHeaderMaxRunes`,
/// `ChannelPurposeMaxRunes`).
const DISPLAY_NAME_MAX_CHARS: usize = 64;
const HEADER_MAX_CHARS: usize = 1024;
const PURPOSE_MAX_CHARS: usize = 250;
/// The roles a new member gets (upstream: the channel scheme's user role).
const MEMBER_ROLES: &str = "channel_user";

const SELECT: &str = "SELECT id, create_at, update_at, delete_at, last_post_at, last_root_post_at, total_msg_count,
                             total_msg_count_root, doc
                      FROM channels";
const SELECT_MEMBER: &str = "SELECT channel_id, user_id, doc FROM channel_members";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Channel> {
    let mut channel: Channel = rows::decode(row, 8)?;
    channel.id = row.get(0)?;
    channel.create_at = row.get(1)?;
    channel.update_at = row.get(2)?;
    channel.delete_at = row.get(3)?;
    channel.last_post_at = row.get(4)?;
    channel.last_root_post_at = row.get(5)?;
    channel.total_msg_count = row.get(6)?;
    channel.total_msg_count_root = row.get(7)?;
    Ok(channel)
}

fn member_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ChannelMember> {
    let mut member: ChannelMember = rows::decode(row, 2)?;
    member.channel_id = row.get(0)?;
    member.user_id = row.get(1)?;
    Ok(member)
}

impl Store {
    /// Creates `channel`, open (`O`) or private (`P`) in the team `channel.team_id`, or a group
    /// channel (`G`, no team); returns it as stored, with its new id, `create_at` and `update_at`
    /// now, and `delete_at`, the post times and the message counts 0. No member is added (as
    /// upstream's plugin API). Fails when `channel.id` is set, for type `D` (direct channels come
    /// from [`Store::get_direct_channel`]), when a field is invalid, when the team does not exist
    /// or is archived, or when a channel of the team, archived ones included, has the name.
    pub fn create_channel(&self, channel: &Channel) -> Result<Channel, StoreError> {
        if !channel.id.is_empty() {
            return Err(invalid(WHAT, "channel.id", format!("is `{}`; a new channel must have none", channel.id)));
        }
        if channel.channel_type == CHANNEL_TYPE_DIRECT {
            return Err(invalid(WHAT, "channel.type", "is `D`; direct channels are made by get_direct_channel"));
        }
        let mut channel = channel.clone();
        validate(&channel)?;
        let now = self.now_millis();
        channel.id = new_id();
        (channel.create_at, channel.update_at, channel.delete_at) = (now, now, 0);
        (channel.last_post_at, channel.last_root_post_at, channel.total_msg_count, channel.total_msg_count_root) =
            (0, 0, 0, 0);
        self.transaction(
            || format!("creating channel `{}` in team `{}`", channel.name, channel.team_id),
            |tx| {
                check_team(tx, &channel)?;
                insert(tx, &channel)?;
                Ok(())
            },
        )?;
        Ok(channel)
    }

    /// The channel `id`, archived or not (upstream returns archived channels, `delete_at` set).
    pub fn get_channel(&self, id: &str) -> Result<Channel, StoreError> {
        self.read_transaction(|| format!("reading channel `{id}`"), |tx| load(tx, id))
    }

    /// The channel named `name` in team `team_id` (`""` for direct and group channels); an
    /// archived one only with `include_deleted`.
    pub fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> Result<Channel, StoreError> {
        self.read_transaction(
            || format!("reading channel `{name}` of team `{team_id}`"),
            |tx| {
                let channel = tx
                    .prepare_cached(&format!("{SELECT} WHERE team_id = ?1 AND name = ?2 AND (?3 OR delete_at = 0)"))?
                    .query_row(params![team_id, name, include_deleted], from_row)
                    .optional()?;
                channel.ok_or_else(|| StoreError::NotFound { what: WHAT, id: format!("{team_id}/{name}") }.into())
            },
        )
    }

    /// One page of the open, not archived channels of team `team_id`, by display name (as
    /// upstream), then name; `per_page <= 0` means 60.
    pub fn get_public_channels_for_team(
        &self,
        team_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<Channel>, StoreError> {
        let (limit, offset) = rows::page(page, per_page);
        self.read_transaction(
            || format!("listing the public channels of team `{team_id}`"),
            |tx| {
                let mut stmt = tx.prepare_cached(&format!(
                    "{SELECT} WHERE team_id = ?1 AND type = 'O' AND delete_at = 0
                     ORDER BY display_name, name LIMIT ?2 OFFSET ?3"
                ))?;
                let channels = stmt.query_map(params![team_id, limit, offset], from_row)?;
                Ok(channels.collect::<rusqlite::Result<Vec<Channel>>>()?)
            },
        )
    }

    /// Replaces the channel `channel.id` with `channel`, checked as by [`Store::create_channel`]
    /// (a new name must be free in the team); returns it as stored. Kept from the stored channel:
    /// `team_id`, `create_at`, `delete_at`, the post times and message counts; `update_at`
    /// becomes now. The type may change between `O` and `P` only.
    pub fn update_channel(&self, channel: &Channel) -> Result<Channel, StoreError> {
        let mut channel = channel.clone();
        required(WHAT, "channel.id", &channel.id)?;
        validate(&channel)?;
        let now = self.now_millis();
        let id = channel.id.clone();
        self.transaction(
            || format!("updating channel `{id}`"),
            |tx| {
                let old = load(tx, &channel.id)?;
                let team_channel = |t: &str| t == CHANNEL_TYPE_OPEN || t == CHANNEL_TYPE_PRIVATE;
                if channel.channel_type != old.channel_type
                    && !(team_channel(&channel.channel_type) && team_channel(&old.channel_type))
                {
                    return Err(invalid(
                        WHAT,
                        "channel.type",
                        format!(
                            "cannot change from `{}` to `{}`; only open and private channels trade types",
                            old.channel_type, channel.channel_type
                        ),
                    )
                    .into());
                }
                channel.team_id = old.team_id;
                (channel.create_at, channel.delete_at, channel.update_at) = (old.create_at, old.delete_at, now);
                channel.last_post_at = old.last_post_at;
                channel.last_root_post_at = old.last_root_post_at;
                channel.total_msg_count = old.total_msg_count;
                channel.total_msg_count_root = old.total_msg_count_root;
                check_unique_name(tx, &channel)?;
                tx.prepare_cached(
                    "UPDATE channels SET type = ?2, name = ?3, display_name = ?4, update_at = ?5, doc = ?6 WHERE id = ?1",
                )?
                .execute(params![
                    channel.id,
                    channel.channel_type,
                    channel.name,
                    channel.display_name,
                    channel.update_at,
                    rows::encode(WHAT, &channel)?
                ])?;
                Ok(())
            },
        )?;
        Ok(channel)
    }

    /// Archives the channel `id` (upstream's soft delete): `delete_at` and `update_at` become
    /// now. It keeps its members and posts. As upstream, direct and group channels cannot be
    /// archived, nor an archived channel archived again ([`StoreError::Invalid`]).
    pub fn delete_channel(&self, id: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("archiving channel `{id}`"),
            |tx| {
                let channel = load(tx, id)?;
                if channel.channel_type == CHANNEL_TYPE_DIRECT || channel.channel_type == CHANNEL_TYPE_GROUP {
                    let reason = format!("is `{}`; direct and group channels cannot be archived", channel.channel_type);
                    return Err(invalid(WHAT, "channel.type", reason).into());
                }
                if channel.delete_at != 0 {
                    return Err(invalid(WHAT, "channel.delete_at", "is set; the channel is archived already").into());
                }
                tx.prepare_cached("UPDATE channels SET delete_at = ?2, update_at = ?2 WHERE id = ?1")?
                    .execute(params![id, now])?;
                Ok(())
            },
        )
    }

    /// The direct channel of users `user_a` and `user_b` (the same user for one's own channel),
    /// made with both as members on first use, in one transaction. Either order gives the same
    /// channel: its name is the two ids, smaller first, joined by `__` (upstream
    /// `GetDMNameFromIds`). Both users must exist.
    pub fn get_direct_channel(&self, user_a: &str, user_b: &str) -> Result<Channel, StoreError> {
        let (low, high) = if user_a <= user_b { (user_a, user_b) } else { (user_b, user_a) };
        let name = format!("{low}__{high}");
        let now = self.now_millis();
        self.transaction(
            || format!("getting the direct channel of users `{user_a}` and `{user_b}`"),
            |tx| {
                require_user(tx, user_a)?;
                require_user(tx, user_b)?;
                if let Some(channel) = tx
                    .prepare_cached(&format!("{SELECT} WHERE team_id = '' AND name = ?1"))?
                    .query_row([&name], from_row)
                    .optional()?
                {
                    return Ok(channel);
                }
                let channel = Channel {
                    id: new_id(),
                    create_at: now,
                    update_at: now,
                    channel_type: CHANNEL_TYPE_DIRECT.to_owned(),
                    name: name.clone(),
                    creator_id: user_a.to_owned(),
                    ..Channel::default()
                };
                insert(tx, &channel)?;
                insert_member(tx, &new_member(&channel.id, low, now))?;
                if high != low {
                    insert_member(tx, &new_member(&channel.id, high, now))?;
                }
                Ok(channel)
            },
        )
    }

    /// Makes user `user_id` a member of channel `channel_id`; returns the membership. Idempotent:
    /// a member is returned as they are. For an open or private channel the user must be an active
    /// member of its team (as upstream's `AddUserToChannel`: [`StoreError::NotFound`] for a user
    /// who never joined it, [`StoreError::Invalid`] for one who left). Refused for an archived
    /// channel, a direct channel (its two members are fixed) and a deactivated user. A new member
    /// has roles `channel_user`, `scheme_user`, upstream's default notification properties and
    /// `last_update_at` now.
    pub fn add_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("adding user `{user_id}` to channel `{channel_id}`"),
            |tx| {
                let channel = load(tx, channel_id)?;
                if let Some(member) = load_member(tx, channel_id, user_id)? {
                    return Ok(member);
                }
                if channel.delete_at != 0 {
                    let reason = format!("names channel `{channel_id}`, which is archived");
                    return Err(invalid(MEMBER, "channel_id", reason).into());
                }
                if channel.channel_type == CHANNEL_TYPE_DIRECT {
                    let reason = format!("names direct channel `{channel_id}`, whose members cannot change");
                    return Err(invalid(MEMBER, "channel_id", reason).into());
                }
                if require_user(tx, user_id)? != 0 {
                    return Err(
                        invalid(MEMBER, "user_id", format!("names user `{user_id}`, who is deactivated")).into()
                    );
                }
                if channel.channel_type != CHANNEL_TYPE_GROUP {
                    match load_team_member(tx, &channel.team_id, user_id)? {
                        None => return Err(team_member_not_found(&channel.team_id, user_id).into()),
                        Some(member) if member.delete_at != 0 => {
                            let reason = format!(
                                "names user `{user_id}`, who has left team `{}` of the channel",
                                channel.team_id
                            );
                            return Err(invalid(MEMBER, "user_id", reason).into());
                        }
                        Some(_) => {}
                    }
                }
                let member = new_member(channel_id, user_id, now);
                insert_member(tx, &member)?;
                Ok(member)
            },
        )
    }

    /// The membership of user `user_id` in channel `channel_id`.
    pub fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, StoreError> {
        self.read_transaction(
            || format!("reading the membership of user `{user_id}` in channel `{channel_id}`"),
            |tx| load_member(tx, channel_id, user_id)?.ok_or_else(|| member_not_found(channel_id, user_id).into()),
        )
    }

    /// One page of the members of channel `channel_id`, by user id; `per_page <= 0` means 60.
    pub fn get_channel_members(
        &self,
        channel_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<ChannelMember>, StoreError> {
        let (limit, offset) = rows::page(page, per_page);
        self.read_transaction(
            || format!("listing the members of channel `{channel_id}`"),
            |tx| {
                let mut stmt = tx.prepare_cached(&format!(
                    "{SELECT_MEMBER} WHERE channel_id = ?1 ORDER BY user_id LIMIT ?2 OFFSET ?3"
                ))?;
                let members = stmt.query_map(params![channel_id, limit, offset], member_from_row)?;
                Ok(members.collect::<rusqlite::Result<Vec<ChannelMember>>>()?)
            },
        )
    }

    /// Removes user `user_id` from channel `channel_id` (the membership is deleted, as
    /// upstream). Fails with [`StoreError::NotFound`] when the user is not a member, and for a
    /// direct channel, whose members are fixed.
    pub fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<(), StoreError> {
        self.transaction(
            || format!("removing user `{user_id}` from channel `{channel_id}`"),
            |tx| {
                let channel = load(tx, channel_id)?;
                if channel.channel_type == CHANNEL_TYPE_DIRECT {
                    let reason = format!("names direct channel `{channel_id}`, whose members cannot change");
                    return Err(invalid(MEMBER, "channel_id", reason).into());
                }
                let removed = tx
                    .prepare_cached("DELETE FROM channel_members WHERE channel_id = ?1 AND user_id = ?2")?
                    .execute(params![channel_id, user_id])?;
                if removed == 0 {
                    return Err(member_not_found(channel_id, user_id).into());
                }
                Ok(())
            },
        )
    }
}

/// The channel `id`, or [`StoreError::NotFound`].
pub(crate) fn load(conn: &Connection, id: &str) -> Result<Channel, Abort> {
    let channel = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?.query_row([id], from_row).optional()?;
    channel.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

fn load_member(conn: &Connection, channel_id: &str, user_id: &str) -> Result<Option<ChannelMember>, Abort> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_MEMBER} WHERE channel_id = ?1 AND user_id = ?2"))?
        .query_row([channel_id, user_id], member_from_row)
        .optional()?)
}

fn member_not_found(channel_id: &str, user_id: &str) -> StoreError {
    StoreError::NotFound { what: MEMBER, id: format!("{channel_id}/{user_id}") }
}

fn insert(conn: &Connection, channel: &Channel) -> Result<(), Abort> {
    check_unique_name(conn, channel)?;
    conn.prepare_cached(
        "INSERT INTO channels (id, team_id, type, name, display_name, create_at, update_at, delete_at, last_post_at,
                               last_root_post_at, total_msg_count, total_msg_count_root, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        channel.id,
        channel.team_id,
        channel.channel_type,
        channel.name,
        channel.display_name,
        channel.create_at,
        channel.update_at,
        channel.delete_at,
        channel.last_post_at,
        channel.last_root_post_at,
        channel.total_msg_count,
        channel.total_msg_count_root,
        rows::encode(WHAT, channel)?
    ])?;
    Ok(())
}

/// A new membership as upstream's `AddUserToChannel` makes it (for a user who is not a guest).
fn new_member(channel_id: &str, user_id: &str, now: i64) -> ChannelMember {
    let notify_props: BTreeMap<String, String> = [
        (DESKTOP_NOTIFY_PROP, CHANNEL_NOTIFY_DEFAULT),
        (PUSH_NOTIFY_PROP, CHANNEL_NOTIFY_DEFAULT),
        (EMAIL_NOTIFY_PROP, CHANNEL_NOTIFY_DEFAULT),
        (MARK_UNREAD_NOTIFY_PROP, CHANNEL_MARK_UNREAD_ALL),
        ("ignore_channel_mentions", "default"),
        ("channel_auto_follow_threads", "off"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect();
    ChannelMember {
        channel_id: channel_id.to_owned(),
        user_id: user_id.to_owned(),
        roles: MEMBER_ROLES.to_owned(),
        notify_props,
        last_update_at: now,
        scheme_user: true,
        ..ChannelMember::default()
    }
}

fn insert_member(conn: &Connection, member: &ChannelMember) -> Result<(), Abort> {
    conn.prepare_cached("INSERT INTO channel_members (channel_id, user_id, doc) VALUES (?1, ?2, ?3)")?
        .execute(params![member.channel_id, member.user_id, rows::encode(MEMBER, member)?])?;
    Ok(())
}

/// Refuses a channel whose name another channel of the same team (or, without a team, another
/// direct or group channel) has, archived ones included.
fn check_unique_name(conn: &Connection, channel: &Channel) -> Result<(), Abort> {
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM channels WHERE team_id = ?1 AND name = ?2 AND id <> ?3)")?
        .query_row([&channel.team_id, &channel.name, &channel.id], |row| row.get(0))?;
    if taken {
        return Err(StoreError::Conflict { what: WHAT, field: "channel.name", value: channel.name.clone() }.into());
    }
    Ok(())
}

/// The team of a new open or private channel must exist and be live; a group channel has none.
fn check_team(conn: &Connection, channel: &Channel) -> Result<(), Abort> {
    if channel.channel_type == CHANNEL_TYPE_GROUP {
        if !channel.team_id.is_empty() {
            let reason = format!("is `{}`; group channels belong to no team", channel.team_id);
            return Err(invalid(WHAT, "channel.team_id", reason).into());
        }
        return Ok(());
    }
    required(WHAT, "channel.team_id", &channel.team_id)?;
    if require_team(conn, &channel.team_id)? != 0 {
        let reason = format!("names team `{}`, which is archived", channel.team_id);
        return Err(invalid(WHAT, "channel.team_id", reason).into());
    }
    Ok(())
}

/// Upstream's `Channel.IsValid` checks on what a caller sets.
fn validate(channel: &Channel) -> Result<(), StoreError> {
    id_shaped(WHAT, "channel.id", &channel.id)?;
    let kinds = [CHANNEL_TYPE_OPEN, CHANNEL_TYPE_PRIVATE, CHANNEL_TYPE_DIRECT, CHANNEL_TYPE_GROUP];
    if !kinds.contains(&channel.channel_type.as_str()) {
        let reason = format!("is `{}`; it must be `O`, `P`, `D` or `G`", channel.channel_type);
        return Err(invalid(WHAT, "channel.type", reason));
    }
    check_channel_name(&channel.name)?;
    max_chars(WHAT, "channel.display_name", &channel.display_name, DISPLAY_NAME_MAX_CHARS)?;
    max_chars(WHAT, "channel.header", &channel.header, HEADER_MAX_CHARS)?;
    max_chars(WHAT, "channel.purpose", &channel.purpose, PURPOSE_MAX_CHARS)?;
    id_shaped(WHAT, "channel.creator_id", &channel.creator_id)?;
    Ok(())
}

/// Upstream's `IsValidChannelIdentifier` and length limit: 1 to 64 characters, a lowercase ASCII
/// letter or digit first, then lowercase letters, digits, `-` and `_`.
pub(crate) fn check_channel_name(name: &str) -> Result<(), StoreError> {
    let field = "channel.name";
    let chars = name.chars().count();
    if chars == 0 || chars > CHANNEL_NAME_MAX_CHARS {
        let reason = format!("must have 1 to {CHANNEL_NAME_MAX_CHARS} characters, `{name}` has {chars}");
        return Err(invalid(WHAT, field, reason));
    }
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = name.as_bytes();
    if !alnum(bytes[0]) || !bytes.iter().all(|&b| alnum(b) || b == b'-' || b == b'_') {
        let reason =
            format!("`{name}` must be lowercase letters, digits, `-` and `_`, and start with a letter or digit");
        return Err(invalid(WHAT, field, reason));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_follow_upstreams_pattern() {
        let dm = format!("{}__{}", "a".repeat(26), "b".repeat(26));
        for good in ["a", "town-square", "off_topic", "9lives", "a-", "b_", &dm, &"a".repeat(64)] {
            assert!(check_channel_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "_a", "Town", "a b", "é", &*"a".repeat(65)] {
            let err = check_channel_name(bad).unwrap_err();
            assert!(err.to_string().contains("channel.name"), "{bad}: {err}");
        }
    }
}
