//! What a new server's database starts with, so the REST API and the plugins have someone to
//! act as and somewhere to post: the admin's user (username `admin`), and on a database with no
//! team yet a team `main` with its channel `town-square`, the admin a member of both. Upstream
//! makes its first user and team through its setup pages; this server has none.

use crate::store::{Store, StoreError};
use api_definitions::model::{Channel, Team, User, CHANNEL_TYPE_OPEN};

/// The admin user's username, and the names of the first team and channel.
pub const ADMIN_USERNAME: &str = "admin";
pub const FIRST_TEAM: &str = "main";
pub const FIRST_CHANNEL: &str = "town-square";

/// What the server found or made.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The user requests with the admin token act as.
    pub admin_user_id: String,
    /// The first team's town square, when there is one.
    pub town_square: Option<Channel>,
}

/// Finds or makes the admin's user (unless `configured_admin_id` names one: then that id is
/// used as it is), and on a database without teams the first team and channel.
pub fn seed(store: &Store, configured_admin_id: &str) -> Result<Seeded, StoreError> {
    let admin_user_id = if configured_admin_id.is_empty() {
        match store.get_user_by_username(ADMIN_USERNAME) {
            Ok(user) => user.id,
            Err(e) if e.is_not_found() => {
                let admin = User {
                    username: ADMIN_USERNAME.to_owned(),
                    email: "admin@localhost".to_owned(),
                    roles: "system_admin system_user".to_owned(),
                    ..User::default()
                };
                store.create_user(&admin)?.id
            }
            Err(e) => return Err(e),
        }
    } else {
        configured_admin_id.to_owned()
    };
    if store.get_teams()?.is_empty() {
        let team = Team {
            name: FIRST_TEAM.to_owned(),
            display_name: "Main".to_owned(),
            team_type: "O".to_owned(),
            ..Team::default()
        };
        let team = store.create_team(&team)?;
        let channel = Channel {
            team_id: team.id.clone(),
            name: FIRST_CHANNEL.to_owned(),
            display_name: "Town Square".to_owned(),
            channel_type: CHANNEL_TYPE_OPEN.to_owned(),
            ..Channel::default()
        };
        let channel = store.create_channel(&channel)?;
        if store.get_user(&admin_user_id).is_ok() {
            store.create_team_member(&team.id, &admin_user_id)?;
            store.add_channel_member(&channel.id, &admin_user_id)?;
        }
    }
    let town_square = match store.get_team_by_name(FIRST_TEAM) {
        Ok(team) => match store.get_channel_by_name(&team.id, FIRST_CHANNEL, false) {
            Ok(channel) => Some(channel),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e),
        },
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(e),
    };
    Ok(Seeded { admin_user_id, town_square })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_the_admin_a_team_and_a_channel_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let first = seed(&store, "").unwrap();
        let channel = first.town_square.clone().unwrap();
        assert_eq!(store.get_user(&first.admin_user_id).unwrap().username, "admin");
        store.get_channel_member(&channel.id, &first.admin_user_id).unwrap();
        let again = seed(&store, "").unwrap();
        assert_eq!(again.admin_user_id, first.admin_user_id);
        assert_eq!(again.town_square.unwrap().id, channel.id);
        assert_eq!(store.get_teams().unwrap().len(), 1);
        assert_eq!(seed(&store, "someone-else").unwrap().admin_user_id, "someone-else");
    }
}
