//! Teams and team membership (upstream `model.Team`, `model.TeamMember`, `app/team.go`): creating
//! a team with upstream's name rules and a unique name, reading, listing, updating, archiving (a
//! soft delete); joining a user to a team, reading and listing members, and removing a member,
//! which also takes the user out of the team's channels.

use super::db::{Abort, Store};
use super::error::StoreError;
use super::ids::new_id;
use super::rows::{self, id_shaped, invalid, max_chars, required};
use super::users::require_user;
use api_definitions::model::{Team, TeamMember, TEAM_INVITE, TEAM_OPEN};
use rusqlite::{params, Connection, OptionalExtension};

const WHAT: &str = "team";
const MEMBER: &str = "team member";

/// Team names are 2 to this many characters (upstream `TeamNameMinLength`, `TeamNameMaxLength`).
pub const TEAM_NAME_MIN_CHARS: usize = 2;
pub const TEAM_NAME_MAX_CHARS: usize = 64;
/// Names a team cannot start with: they are paths of the web app (upstream `reservedName`, which
/// `IsReservedTeamName` matches as prefixes).
const RESERVED_TEAM_NAME_PREFIXES: [&str; 17] = [
    "admin",
    "api",
    "channel",
    "claim",
    "error",
    "files",
    "help",
    "landing",
    "login",
    "mfa",
    "oauth",
    "plug",
    "plugins",
    "post",
    "signup",
    "boards",
    "playbooks",
];
/// Upstream's other limits (`TeamDisplayNameMaxRunes`, `TeamDescriptionMaxLength`, ...).
const DISPLAY_NAME_MAX_CHARS: usize = 64;
const DESCRIPTION_MAX_CHARS: usize = 255;
const COMPANY_NAME_MAX_CHARS: usize = 64;
const ALLOWED_DOMAINS_MAX_CHARS: usize = 1000;
const EMAIL_MAX_CHARS: usize = 128;
/// The roles a new member gets (upstream: the team scheme's user role).
const MEMBER_ROLES: &str = "team_user";

const SELECT: &str = "SELECT id, create_at, update_at, delete_at, doc FROM teams";
const SELECT_MEMBER: &str = "SELECT team_id, user_id, delete_at, doc FROM team_members";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Team> {
    let mut team: Team = rows::decode(row, 4)?;
    team.id = row.get(0)?;
    team.create_at = row.get(1)?;
    team.update_at = row.get(2)?;
    team.delete_at = row.get(3)?;
    Ok(team)
}

fn member_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TeamMember> {
    let mut member: TeamMember = rows::decode(row, 3)?;
    member.team_id = row.get(0)?;
    member.user_id = row.get(1)?;
    member.delete_at = row.get(2)?;
    Ok(member)
}

impl Store {
    /// Creates `team`; returns it as stored, with its new id, `create_at` and `update_at` now,
    /// `delete_at` 0 and an `invite_id` when it had none (upstream's `PreSave`). Fails when
    /// `team.id` is set, when a field is invalid, or when any team, archived ones included, has
    /// the name ([`StoreError::Conflict`] on `team.name`).
    pub fn create_team(&self, team: &Team) -> Result<Team, StoreError> {
        if !team.id.is_empty() {
            return Err(invalid(WHAT, "team.id", format!("is `{}`; a new team must have none", team.id)));
        }
        let mut team = team.clone();
        validate(&team)?;
        let now = self.now_millis();
        team.id = new_id();
        (team.create_at, team.update_at, team.delete_at) = (now, now, 0);
        if team.invite_id.is_empty() {
            team.invite_id = new_id();
        }
        self.transaction(
            || format!("creating team `{}`", team.name),
            |tx| {
                check_unique_name(tx, &team)?;
                tx.prepare_cached(
                    "INSERT INTO teams (id, name, create_at, update_at, delete_at, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    team.id,
                    team.name,
                    team.create_at,
                    team.update_at,
                    team.delete_at,
                    rows::encode(WHAT, &team)?
                ])?;
                Ok(())
            },
        )?;
        Ok(team)
    }

    /// The team `id`, archived or not (upstream returns archived teams, `delete_at` set).
    pub fn get_team(&self, id: &str) -> Result<Team, StoreError> {
        self.read_transaction(|| format!("reading team `{id}`"), |tx| load(tx, id))
    }

    /// The team named `name`, archived or not.
    pub fn get_team_by_name(&self, name: &str) -> Result<Team, StoreError> {
        self.read_transaction(
            || format!("reading team `{name}`"),
            |tx| {
                let team =
                    tx.prepare_cached(&format!("{SELECT} WHERE name = ?1"))?.query_row([name], from_row).optional()?;
                team.ok_or_else(|| StoreError::NotFound { what: WHAT, id: name.to_owned() }.into())
            },
        )
    }

    /// Every team not archived, by name.
    pub fn get_teams(&self) -> Result<Vec<Team>, StoreError> {
        self.read_transaction(
            || "listing teams".to_owned(),
            |tx| {
                let mut stmt = tx.prepare_cached(&format!("{SELECT} WHERE delete_at = 0 ORDER BY name"))?;
                let teams = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<Team>>>()?;
                Ok(teams)
            },
        )
    }

    /// Replaces the team `team.id` with `team`, checked as by [`Store::create_team`] (a new name
    /// must be free); returns it as stored. `create_at` and `delete_at` are kept, an empty
    /// `invite_id` keeps the old one, `update_at` becomes now.
    pub fn update_team(&self, team: &Team) -> Result<Team, StoreError> {
        let mut team = team.clone();
        required(WHAT, "team.id", &team.id)?;
        validate(&team)?;
        let now = self.now_millis();
        let id = team.id.clone();
        self.transaction(
            || format!("updating team `{id}`"),
            |tx| {
                let old = load(tx, &team.id)?;
                (team.create_at, team.delete_at, team.update_at) = (old.create_at, old.delete_at, now);
                if team.invite_id.is_empty() {
                    team.invite_id = old.invite_id;
                }
                check_unique_name(tx, &team)?;
                tx.prepare_cached("UPDATE teams SET name = ?2, update_at = ?3, doc = ?4 WHERE id = ?1")?
                    .execute(params![team.id, team.name, team.update_at, rows::encode(WHAT, &team)?])?;
                Ok(())
            },
        )?;
        Ok(team)
    }

    /// Archives the team `id` (upstream's soft delete): `delete_at` and `update_at` become now.
    /// It keeps its name, members and channels, and stays readable by id and name, but leaves
    /// [`Store::get_teams`]. Archiving an archived team changes nothing.
    pub fn delete_team(&self, id: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("archiving team `{id}`"),
            |tx| {
                require_team(tx, id)?;
                tx.prepare_cached("UPDATE teams SET delete_at = ?2, update_at = ?2 WHERE id = ?1 AND delete_at = 0")?
                    .execute(params![id, now])?;
                Ok(())
            },
        )
    }

    /// Makes user `user_id` a member of team `team_id`; returns the membership. Idempotent: an
    /// active member is returned as it is, and a user who had left is let back in (`delete_at`
    /// back to 0, as upstream's `JoinUserToTeam`). A new member has roles `team_user` and
    /// `scheme_user`. Both must exist ([`StoreError::NotFound`]) and be live: an archived team or
    /// a deactivated user is refused ([`StoreError::Invalid`]).
    pub fn create_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("adding user `{user_id}` to team `{team_id}`"),
            |tx| {
                if require_team(tx, team_id)? != 0 {
                    return Err(invalid(MEMBER, "team_id", format!("names team `{team_id}`, which is archived")).into());
                }
                if require_user(tx, user_id)? != 0 {
                    return Err(
                        invalid(MEMBER, "user_id", format!("names user `{user_id}`, who is deactivated")).into()
                    );
                }
                if let Some(mut member) = load_member(tx, team_id, user_id)? {
                    if member.delete_at != 0 {
                        tx.prepare_cached("UPDATE team_members SET delete_at = 0 WHERE team_id = ?1 AND user_id = ?2")?
                            .execute(params![team_id, user_id])?;
                        member.delete_at = 0;
                    }
                    return Ok(member);
                }
                let member = TeamMember {
                    team_id: team_id.to_owned(),
                    user_id: user_id.to_owned(),
                    roles: MEMBER_ROLES.to_owned(),
                    scheme_user: true,
                    ..TeamMember::default()
                };
                tx.prepare_cached(
                    "INSERT INTO team_members (team_id, user_id, create_at, delete_at, doc) VALUES (?1, ?2, ?3, 0, ?4)",
                )?
                .execute(params![team_id, user_id, now, rows::encode(MEMBER, &member)?])?;
                Ok(member)
            },
        )
    }

    /// The membership of user `user_id` in team `team_id`, also when the user has left (then
    /// `delete_at` is set), as upstream's `GetTeamMember`.
    pub fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, StoreError> {
        self.read_transaction(
            || format!("reading the membership of user `{user_id}` in team `{team_id}`"),
            |tx| load_member(tx, team_id, user_id)?.ok_or_else(|| member_not_found(team_id, user_id).into()),
        )
    }

    /// One page of the active members of team `team_id`, by user id (upstream's default order);
    /// `per_page <= 0` means 60.
    pub fn get_team_members(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<TeamMember>, StoreError> {
        let (limit, offset) = rows::page(page, per_page);
        self.read_transaction(
            || format!("listing the members of team `{team_id}`"),
            |tx| {
                let mut stmt = tx.prepare_cached(&format!(
                    "{SELECT_MEMBER} WHERE team_id = ?1 AND delete_at = 0 ORDER BY user_id LIMIT ?2 OFFSET ?3"
                ))?;
                let members = stmt.query_map(params![team_id, limit, offset], member_from_row)?;
                Ok(members.collect::<rusqlite::Result<Vec<TeamMember>>>()?)
            },
        )
    }

    /// Removes user `user_id` from team `team_id`, in one transaction: the membership is kept
    /// with `delete_at` now (upstream's soft removal), and the user's memberships of the team's
    /// channels, archived ones included, are deleted (as upstream's `RemoveTeamMemberFromTeam`).
    /// Fails with [`StoreError::NotFound`] when the user is not an active member.
    pub fn delete_team_member(&self, team_id: &str, user_id: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("removing user `{user_id}` from team `{team_id}`"),
            |tx| {
                let left = tx
                    .prepare_cached(
                        "UPDATE team_members SET delete_at = ?3 WHERE team_id = ?1 AND user_id = ?2 AND delete_at = 0",
                    )?
                    .execute(params![team_id, user_id, now])?;
                if left == 0 {
                    return Err(member_not_found(team_id, user_id).into());
                }
                tx.prepare_cached(
                    "DELETE FROM channel_members
                     WHERE user_id = ?2 AND channel_id IN (SELECT id FROM channels WHERE team_id = ?1)",
                )?
                .execute(params![team_id, user_id])?;
                Ok(())
            },
        )
    }
}

/// The team `id`, or [`StoreError::NotFound`].
fn load(conn: &Connection, id: &str) -> Result<Team, Abort> {
    let team = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?.query_row([id], from_row).optional()?;
    team.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

/// The `delete_at` of team `id` (0 while live), or [`StoreError::NotFound`].
pub(crate) fn require_team(conn: &Connection, id: &str) -> Result<i64, Abort> {
    let delete_at = conn
        .prepare_cached("SELECT delete_at FROM teams WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    delete_at.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

/// The membership of `user_id` in `team_id`, active or not.
pub(crate) fn load_member(conn: &Connection, team_id: &str, user_id: &str) -> Result<Option<TeamMember>, Abort> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_MEMBER} WHERE team_id = ?1 AND user_id = ?2"))?
        .query_row([team_id, user_id], member_from_row)
        .optional()?)
}

pub(crate) fn member_not_found(team_id: &str, user_id: &str) -> StoreError {
    StoreError::NotFound { what: MEMBER, id: format!("{team_id}/{user_id}") }
}

fn check_unique_name(conn: &Connection, team: &Team) -> Result<(), Abort> {
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM teams WHERE name = ?1 AND id <> ?2)")?
        .query_row([&team.name, &team.id], |row| row.get(0))?;
    if taken {
        return Err(StoreError::Conflict { what: WHAT, field: "team.name", value: team.name.clone() }.into());
    }
    Ok(())
}

/// Upstream's `Team.IsValid` checks on what a caller sets.
fn validate(team: &Team) -> Result<(), StoreError> {
    id_shaped(WHAT, "team.id", &team.id)?;
    required(WHAT, "team.display_name", &team.display_name)?;
    max_chars(WHAT, "team.display_name", &team.display_name, DISPLAY_NAME_MAX_CHARS)?;
    check_team_name(&team.name)?;
    max_chars(WHAT, "team.description", &team.description, DESCRIPTION_MAX_CHARS)?;
    max_chars(WHAT, "team.company_name", &team.company_name, COMPANY_NAME_MAX_CHARS)?;
    max_chars(WHAT, "team.allowed_domains", &team.allowed_domains, ALLOWED_DOMAINS_MAX_CHARS)?;
    max_chars(WHAT, "team.email", &team.email, EMAIL_MAX_CHARS)?;
    if !team.email.is_empty() && !team.email.contains('@') {
        return Err(invalid(WHAT, "team.email", format!("`{}` is not an email address", team.email)));
    }
    if team.team_type != TEAM_OPEN && team.team_type != TEAM_INVITE {
        return Err(invalid(
            WHAT,
            "team.type",
            format!("is `{}`; it must be `{TEAM_OPEN}` (open) or `{TEAM_INVITE}` (invite only)", team.team_type),
        ));
    }
    Ok(())
}

/// Upstream's team name rules (`IsValidTeamName`, `IsReservedTeamName`, the length limits): 2 to
/// 64 characters of lowercase ASCII letters, digits and `-`, starting and ending with a letter or
/// digit, or two such runs joined by one `__`; not starting with a reserved word.
pub(crate) fn check_team_name(name: &str) -> Result<(), StoreError> {
    let field = "team.name";
    let chars = name.chars().count();
    if !(TEAM_NAME_MIN_CHARS..=TEAM_NAME_MAX_CHARS).contains(&chars) {
        return Err(invalid(
            WHAT,
            field,
            format!("must have {TEAM_NAME_MIN_CHARS} to {TEAM_NAME_MAX_CHARS} characters, `{name}` has {chars}"),
        ));
    }
    if !is_alphanumeric_name(name) {
        return Err(invalid(
            WHAT,
            field,
            format!(
                "`{name}` must be lowercase letters, digits and `-`, start and end with a letter or digit, \
                 and have `_` only as one `__` between letters and digits"
            ),
        ));
    }
    if let Some(word) = RESERVED_TEAM_NAME_PREFIXES.iter().find(|word| name.starts_with(*word)) {
        return Err(invalid(WHAT, field, format!("`{name}` starts with `{word}`, which is reserved")));
    }
    Ok(())
}

/// Upstream's `validAlphaNum`, `^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$`, by hand: at least two
/// characters, a letter or digit at both ends, and between them either letters, digits and `-`,
/// or a single `__` and nothing but letters and digits around it.
fn is_alphanumeric_name(name: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = name.as_bytes();
    if bytes.len() < 2 || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    match name.split_once("__") {
        Some((left, right)) => left.bytes().all(alnum) && right.bytes().all(alnum),
        None => bytes.iter().all(|&b| alnum(b) || b == b'-'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_follow_upstreams_pattern() {
        for good in ["ab", "team-1", "a-b-c", "ab__cd", "x9", &"a".repeat(64)] {
            assert!(check_team_name(good).is_ok(), "{good}");
        }
        for bad in ["a", "-ab", "ab-", "Ab", "a_b", "a___b", "a__b__c", "a-__b", "a b", &*"a".repeat(65)] {
            let err = check_team_name(bad).unwrap_err();
            assert!(err.to_string().contains("team.name"), "{bad}: {err}");
        }
    }

    #[test]
    fn reserved_words_are_refused_as_prefixes() {
        for bad in ["admin", "api", "apiary", "post-office", "playbooks2"] {
            assert!(check_team_name(bad).unwrap_err().to_string().contains("reserved"), "{bad}");
        }
        assert!(check_team_name("my-api").is_ok());
    }
}
