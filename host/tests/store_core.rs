//! The store's core data as the host will use it, on real files: users, teams, channels, their
//! memberships and posts round-trip whole; uniqueness, validation naming the field, soft deletes,
//! paging and order; removing a team member takes them out of the team's channels; direct
//! channels are made once; a version-1 file migrates keeping its KV data; and eight threads
//! racing for one username get exactly one user.

use api_definitions::model::{Channel, Post, Team, User, UserGetOptions};
use plugin_host::store::{ManualClock, Store, StoreError, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    (dir, path)
}

/// A store on a clock the test moves, so times are exact and ordered.
fn store_at(path: &std::path::Path, now: i64) -> (Store, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(now));
    (Store::open_with_clock(path, clock.clone()).unwrap(), clock)
}

fn user(username: &str) -> User {
    User { username: username.into(), email: format!("{username}@example.com"), ..User::default() }
}

fn team(name: &str) -> Team {
    Team { name: name.into(), display_name: name.to_uppercase(), team_type: "O".into(), ..Team::default() }
}

fn channel(team_id: &str, name: &str, kind: &str) -> Channel {
    Channel {
        team_id: team_id.into(),
        name: name.into(),
        display_name: name.into(),
        channel_type: kind.into(),
        ..Channel::default()
    }
}

fn post(channel_id: &str, user_id: &str, message: &str) -> Post {
    Post { channel_id: channel_id.into(), user_id: user_id.into(), message: message.into(), ..Post::default() }
}

#[track_caller]
fn assert_invalid(err: StoreError, field: &str) {
    match &err {
        StoreError::Invalid { field: f, .. } => assert_eq!(*f, field, "{err}"),
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
    assert!(err.is_bad_request() && !err.is_not_found());
    assert_eq!(err.kind(), "store.invalid");
    assert!(err.to_string().contains(field), "{err}");
}

#[track_caller]
fn assert_conflict(err: StoreError, field: &str, value: &str) {
    match &err {
        StoreError::Conflict { field: f, value: v, .. } => assert_eq!((*f, v.as_str()), (field, value), "{err}"),
        other => panic!("expected Conflict on {field}, got {other:?}"),
    }
    assert!(err.is_bad_request());
    assert_eq!(err.kind(), "store.conflict");
}

#[track_caller]
fn assert_not_found(err: StoreError, what: &str) {
    match &err {
        StoreError::NotFound { what: w, .. } => assert_eq!(*w, what, "{err}"),
        other => panic!("expected NotFound of a {what}, got {other:?}"),
    }
    assert!(err.is_not_found() && !err.is_bad_request());
    assert_eq!(err.kind(), "store.not_found");
}

// ---------------------------------------------------------------------------------------------
// Users

#[test]
fn a_user_round_trips_whole_with_server_set_fields() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 1_000);
    let mut given = user("alice");
    given.username = "Alice".into();
    given.email = " Alice@Example.COM ".into();
    given.nickname = "Al".into();
    given.password = "secret".into();
    given.props = BTreeMap::from([("k".into(), "v".into())]);
    given.notify_props = BTreeMap::from([("desktop".into(), "all".into())]);
    given.create_at = 5; // server-set: replaced
    given.unknown_fields.insert("from_a_newer_peer", plugin_runtime::unknown::Value::Binary(vec![1, 2, 3]));

    let created = store.create_user(&given).unwrap();
    assert_eq!(created.id.len(), 26);
    assert_eq!((created.create_at, created.update_at, created.delete_at), (1_000, 1_000, 0));
    assert_eq!((created.username.as_str(), created.email.as_str()), ("alice", "alice@example.com"));
    assert_eq!((created.roles.as_str(), created.locale.as_str()), ("system_user", "en"));
    assert_eq!(created.password, "", "the store keeps no password");
    let expected = User {
        id: created.id.clone(),
        create_at: 1_000,
        update_at: 1_000,
        username: "alice".into(),
        email: "alice@example.com".into(),
        roles: "system_user".into(),
        locale: "en".into(),
        password: String::new(),
        ..given.clone()
    };
    assert_eq!(created, expected);

    // Read back by every key, and after a reopen: the same struct, unknown fields included.
    assert_eq!(store.get_user(&created.id).unwrap(), expected);
    assert_eq!(store.get_user_by_username("ALICE").unwrap(), expected);
    assert_eq!(store.get_user_by_email("alice@example.com ").unwrap(), expected);
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_user(&created.id).unwrap(), expected);

    // Update: create_at and roles kept, update_at now, the rest replaced.
    clock.set(2_000);
    let store = Store::open_with_clock(&path, clock.clone()).unwrap();
    let mut changed = expected.clone();
    changed.nickname = "Ally".into();
    changed.roles = "system_admin".into(); // not changeable by an update, as upstream
    changed.create_at = 1;
    let updated = store.update_user(&changed).unwrap();
    assert_eq!((updated.create_at, updated.update_at), (1_000, 2_000));
    assert_eq!((updated.nickname.as_str(), updated.roles.as_str()), ("Ally", "system_user"));
    assert_eq!(store.get_user(&created.id).unwrap(), updated);

    assert_not_found(store.get_user("nosuchuserxxxxxxxxxxxxxxxx").unwrap_err(), "user");
    assert_not_found(store.get_user_by_username("bob").unwrap_err(), "user");
    assert_not_found(store.update_user(&User { id: "x".repeat(26), ..user("bob") }).unwrap_err(), "user");
}

#[test]
fn usernames_and_emails_are_unique_among_active_users() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 1_000);
    let alice = store.create_user(&user("alice")).unwrap();
    assert_conflict(store.create_user(&user("alice")).unwrap_err(), "user.username", "alice");
    let same_email = User { email: "ALICE@example.com".into(), ..user("alice2") };
    assert_conflict(store.create_user(&same_email).unwrap_err(), "user.email", "alice@example.com");
    let bob = store.create_user(&user("bob")).unwrap();
    assert_conflict(
        store.update_user(&User { username: "alice".into(), ..bob.clone() }).unwrap_err(),
        "user.username",
        "alice",
    );

    // Deactivated: hidden from active listings, still readable, name free again.
    clock.set(1_500);
    store.delete_user(&alice.id).unwrap();
    store.delete_user(&alice.id).unwrap(); // again: no change
    let gone = store.get_user(&alice.id).unwrap();
    assert_eq!((gone.delete_at, gone.update_at), (1_500, 1_500));
    let active = UserGetOptions { active: true, ..UserGetOptions::default() };
    assert_eq!(names(&store.get_users(&active).unwrap()), ["bob"]);
    let inactive = UserGetOptions { inactive: true, ..UserGetOptions::default() };
    assert_eq!(names(&store.get_users(&inactive).unwrap()), ["alice"]);
    let again = store.create_user(&user("alice")).unwrap();
    assert_ne!(again.id, alice.id);
    // By name, the active one wins.
    assert_eq!(store.get_user_by_username("alice").unwrap().id, again.id);
    assert_not_found(store.delete_user("nosuchuserxxxxxxxxxxxxxxxx").unwrap_err(), "user");
}

#[test]
fn invalid_users_are_refused_naming_the_field() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert_invalid(store.create_user(&user("1abc")).unwrap_err(), "user.username");
    assert_invalid(store.create_user(&user("a b")).unwrap_err(), "user.username");
    assert_invalid(store.create_user(&user("channel")).unwrap_err(), "user.username");
    assert_invalid(store.create_user(&user(&"a".repeat(65))).unwrap_err(), "user.username");
    assert_invalid(store.create_user(&User { email: "".into(), ..user("bob") }).unwrap_err(), "user.email");
    assert_invalid(store.create_user(&User { email: "bob".into(), ..user("bob") }).unwrap_err(), "user.email");
    assert_invalid(store.create_user(&User { nickname: "n".repeat(65), ..user("bob") }).unwrap_err(), "user.nickname");
    assert_invalid(store.create_user(&User { id: "x".repeat(26), ..user("bob") }).unwrap_err(), "user.id");
    assert!(store.get_users(&UserGetOptions::default()).unwrap().is_empty(), "nothing was written");
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.username.as_str()).collect()
}

#[test]
fn listing_users_filters_pages_and_orders_by_username() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let mut ids = BTreeMap::new();
    for name in ["dave", "alice", "carol", "bob", "erin"] {
        ids.insert(name, store.create_user(&user(name)).unwrap().id);
    }
    let all = UserGetOptions { per_page: 100, ..UserGetOptions::default() };
    assert_eq!(names(&store.get_users(&all).unwrap()), ["alice", "bob", "carol", "dave", "erin"]);
    let page = |page, per_page| UserGetOptions { page, per_page, ..UserGetOptions::default() };
    assert_eq!(names(&store.get_users(&page(0, 2)).unwrap()), ["alice", "bob"]);
    assert_eq!(names(&store.get_users(&page(1, 2)).unwrap()), ["carol", "dave"]);
    assert_eq!(names(&store.get_users(&page(2, 2)).unwrap()), ["erin"]);
    assert!(store.get_users(&page(3, 2)).unwrap().is_empty());

    let t = store.create_team(&team("team-a")).unwrap();
    for name in ["alice", "carol", "erin"] {
        store.create_team_member(&t.id, &ids[name]).unwrap();
    }
    let c = store.create_channel(&channel(&t.id, "town-square", "O")).unwrap();
    store.add_channel_member(&c.id, &ids["carol"]).unwrap();

    let with = |f: &dyn Fn(&mut UserGetOptions)| {
        let mut options = UserGetOptions::default();
        f(&mut options);
        store.get_users(&options).unwrap().iter().map(|u| u.username.clone()).collect::<Vec<_>>()
    };
    assert_eq!(with(&|o| o.in_team_id = t.id.clone()), ["alice", "carol", "erin"]);
    assert_eq!(with(&|o| o.not_in_team_id = t.id.clone()), ["bob", "dave"]);
    assert_eq!(with(&|o| o.without_team = true), ["bob", "dave"]);
    assert_eq!(with(&|o| o.in_channel_id = c.id.clone()), ["carol"]);
    assert_eq!(
        with(&|o| {
            o.in_team_id = t.id.clone();
            o.not_in_channel_id = c.id.clone();
        }),
        ["alice", "erin"]
    );
    assert_eq!(with(&|o| o.role = "system_user".into()).len(), 5);
    assert!(with(&|o| o.role = "system_admin".into()).is_empty());
    assert!(with(&|o| o.role = "system".into()).is_empty(), "roles match whole words");
    let restricted =
        api_definitions::model::ViewUsersRestrictions { channels: vec![c.id.clone()], ..Default::default() };
    assert_eq!(with(&|o| o.view_restrictions = Some(restricted.clone())), ["carol"]);

    let grouped = UserGetOptions { in_group_id: "g".into(), ..UserGetOptions::default() };
    assert_invalid(store.get_users(&grouped).unwrap_err(), "options.in_group_id");
    let sorted = UserGetOptions { sort: "last_activity_at".into(), ..UserGetOptions::default() };
    assert_invalid(store.get_users(&sorted).unwrap_err(), "options.sort");
}

#[test]
fn eight_threads_creating_one_username_make_exactly_one_user() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let barrier = Barrier::new(8);
    let results: Vec<Result<User, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (store, barrier) = (store.clone(), &barrier);
                scope.spawn(move || {
                    // Different emails, so only the username can collide.
                    let candidate = User { email: format!("racer{i}@example.com"), ..user("racer") };
                    barrier.wait();
                    store.create_user(&candidate)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners: Vec<&User> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(matches!(err, StoreError::Conflict { field: "user.username", .. }), "{err}");
    }
    assert_eq!(store.get_user_by_username("racer").unwrap().id, winners[0].id);
    assert_eq!(store.get_users(&UserGetOptions::default()).unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Teams

#[test]
fn teams_round_trip_are_unique_and_archive_softly() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 10);
    let mut given = team("zeta");
    given.description = "the last".into();
    given.allow_open_invite = true;
    let zeta = store.create_team(&given).unwrap();
    assert_eq!((zeta.create_at, zeta.update_at, zeta.delete_at), (10, 10, 0));
    assert_eq!(zeta.invite_id.len(), 26, "an invite id is made");
    assert_eq!(
        zeta,
        Team { id: zeta.id.clone(), create_at: 10, update_at: 10, invite_id: zeta.invite_id.clone(), ..given }
    );
    assert_eq!(store.get_team(&zeta.id).unwrap(), zeta);
    assert_eq!(store.get_team_by_name("zeta").unwrap(), zeta);
    let alpha = store.create_team(&team("alpha")).unwrap();
    assert_eq!(store.get_teams().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["alpha", "zeta"]);

    assert_conflict(store.create_team(&team("zeta")).unwrap_err(), "team.name", "zeta");
    assert_invalid(store.create_team(&team("a")).unwrap_err(), "team.name");
    assert_invalid(store.create_team(&team("Zeta")).unwrap_err(), "team.name");
    assert_invalid(store.create_team(&team("api-team")).unwrap_err(), "team.name");
    assert_invalid(store.create_team(&Team { team_type: "X".into(), ..team("omega") }).unwrap_err(), "team.type");
    assert_invalid(
        store.create_team(&Team { display_name: "".into(), ..team("omega") }).unwrap_err(),
        "team.display_name",
    );

    clock.set(20);
    let renamed = store
        .update_team(&Team { name: "omega".into(), create_at: 0, invite_id: String::new(), ..zeta.clone() })
        .unwrap();
    assert_eq!((renamed.create_at, renamed.update_at, renamed.invite_id.as_str()), (10, 20, zeta.invite_id.as_str()));
    assert_eq!(store.get_team_by_name("omega").unwrap(), renamed);
    assert_not_found(store.get_team_by_name("zeta").unwrap_err(), "team");
    assert_conflict(
        store.update_team(&Team { name: "alpha".into(), ..renamed.clone() }).unwrap_err(),
        "team.name",
        "alpha",
    );

    clock.set(30);
    store.delete_team(&alpha.id).unwrap();
    assert_eq!(store.get_teams().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["omega"]);
    assert_eq!(store.get_team(&alpha.id).unwrap().delete_at, 30);
    // An archived team keeps its name.
    assert_conflict(store.create_team(&team("alpha")).unwrap_err(), "team.name", "alpha");
    assert_not_found(store.delete_team("nosuchteamxxxxxxxxxxxxxxxx").unwrap_err(), "team");
}

#[test]
fn team_members_are_idempotent_paged_and_their_removal_leaves_the_teams_channels() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let t = store.create_team(&team("team-a")).unwrap();
    let other = store.create_team(&team("team-b")).unwrap();
    let users: Vec<User> = ["u1", "u2", "u3"].iter().map(|n| store.create_user(&user(n)).unwrap()).collect();
    let mut sorted_ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    sorted_ids.sort();

    let first = store.create_team_member(&t.id, &users[0].id).unwrap();
    assert_eq!((first.roles.as_str(), first.scheme_user, first.delete_at), ("team_user", true, 0));
    assert_eq!(store.create_team_member(&t.id, &users[0].id).unwrap(), first, "idempotent");
    for u in &users[1..] {
        store.create_team_member(&t.id, &u.id).unwrap();
    }
    assert_eq!(store.get_team_member(&t.id, &users[0].id).unwrap(), first);
    let page = |p, n| store.get_team_members(&t.id, p, n).unwrap().into_iter().map(|m| m.user_id).collect::<Vec<_>>();
    assert_eq!(page(0, 2), sorted_ids[..2]);
    assert_eq!(page(1, 2), sorted_ids[2..]);
    assert_eq!(page(0, 0), sorted_ids, "per_page 0 is the default page size");

    assert_not_found(store.create_team_member("nosuchteamxxxxxxxxxxxxxxxx", &users[0].id).unwrap_err(), "team");
    assert_not_found(store.create_team_member(&t.id, "nosuchuserxxxxxxxxxxxxxxxx").unwrap_err(), "user");

    // u1 is in two channels of team-a (one archived) and one of team-b.
    store.create_team_member(&other.id, &users[0].id).unwrap();
    let open = store.create_channel(&channel(&t.id, "open", "O")).unwrap();
    let private = store.create_channel(&channel(&t.id, "private", "P")).unwrap();
    let elsewhere = store.create_channel(&channel(&other.id, "elsewhere", "O")).unwrap();
    for c in [&open, &private, &elsewhere] {
        store.add_channel_member(&c.id, &users[0].id).unwrap();
    }
    store.add_channel_member(&open.id, &users[1].id).unwrap();
    store.delete_channel(&private.id).unwrap();

    store.delete_team_member(&t.id, &users[0].id).unwrap();
    let left = store.get_team_member(&t.id, &users[0].id).unwrap();
    assert!(left.delete_at > 0, "the membership is kept, marked as left");
    assert!(!page(0, 10).contains(&users[0].id));
    assert_not_found(store.get_channel_member(&open.id, &users[0].id).unwrap_err(), "channel member");
    assert_not_found(store.get_channel_member(&private.id, &users[0].id).unwrap_err(), "channel member");
    store.get_channel_member(&elsewhere.id, &users[0].id).expect("other teams' channels are untouched");
    store.get_channel_member(&open.id, &users[1].id).expect("other members are untouched");
    assert_not_found(store.delete_team_member(&t.id, &users[0].id).unwrap_err(), "team member");

    // A user who left cannot be added to the team's channels until they rejoin.
    assert_invalid(store.add_channel_member(&open.id, &users[0].id).unwrap_err(), "user_id");
    let back = store.create_team_member(&t.id, &users[0].id).unwrap();
    assert_eq!(back.delete_at, 0);
    store.add_channel_member(&open.id, &users[0].id).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Channels

#[test]
fn channels_round_trip_are_unique_per_team_and_archive_softly() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 100);
    let t = store.create_team(&team("team-a")).unwrap();
    let u = store.create_team(&team("team-b")).unwrap();
    let mut given = channel(&t.id, "town-square", "O");
    given.header = "welcome".into();
    given.props = BTreeMap::from([("pi".into(), serde_json::json!(0.1_f64 + 0.2))]);
    given.last_post_at = 99; // server-set: reset
    let created = store.create_channel(&given).unwrap();
    let expected = Channel { id: created.id.clone(), create_at: 100, update_at: 100, last_post_at: 0, ..given };
    assert_eq!(created, expected);
    assert_eq!(store.get_channel(&created.id).unwrap(), expected);
    assert_eq!(store.get_channel_by_name(&t.id, "town-square", false).unwrap(), expected);

    assert_conflict(
        store.create_channel(&channel(&t.id, "town-square", "P")).unwrap_err(),
        "channel.name",
        "town-square",
    );
    store.create_channel(&channel(&u.id, "town-square", "O")).expect("the same name in another team");
    assert_invalid(store.create_channel(&channel(&t.id, "Town", "O")).unwrap_err(), "channel.name");
    assert_invalid(store.create_channel(&channel(&t.id, "-x", "O")).unwrap_err(), "channel.name");
    assert_invalid(store.create_channel(&channel(&t.id, "x", "Z")).unwrap_err(), "channel.type");
    assert_invalid(store.create_channel(&channel(&t.id, "x", "D")).unwrap_err(), "channel.type");
    assert_invalid(store.create_channel(&channel("", "x", "O")).unwrap_err(), "channel.team_id");
    assert_not_found(store.create_channel(&channel(&"t".repeat(26), "x", "O")).unwrap_err(), "team");

    clock.set(200);
    let updated = store
        .update_channel(&Channel {
            channel_type: "P".into(),
            purpose: "private now".into(),
            create_at: 1,
            ..created.clone()
        })
        .unwrap();
    assert_eq!((updated.create_at, updated.update_at, updated.channel_type.as_str()), (100, 200, "P"));
    assert_eq!(store.get_channel(&created.id).unwrap(), updated);

    // Public listing: open and live only, by display name, paged.
    for (name, display) in [("b", "Bravo"), ("a", "Alpha"), ("c", "Charlie"), ("p", "Papa")] {
        let kind = if name == "p" { "P" } else { "O" };
        store.create_channel(&Channel { display_name: display.into(), ..channel(&t.id, name, kind) }).unwrap();
    }
    let c = store.get_channel_by_name(&t.id, "c", false).unwrap();
    clock.set(300);
    store.delete_channel(&c.id).unwrap();
    assert_invalid(store.delete_channel(&c.id).unwrap_err(), "channel.delete_at");
    assert_eq!(store.get_channel(&c.id).unwrap().delete_at, 300);
    assert_not_found(store.get_channel_by_name(&t.id, "c", false).unwrap_err(), "channel");
    assert_eq!(store.get_channel_by_name(&t.id, "c", true).unwrap().id, c.id);
    let public =
        |p, n| store.get_public_channels_for_team(&t.id, p, n).unwrap().into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(public(0, 10), ["a", "b"]);
    assert_eq!(public(1, 1), ["b"]);
}

#[test]
fn channel_members_need_the_team_and_are_idempotent() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let t = store.create_team(&team("team-a")).unwrap();
    let c = store.create_channel(&channel(&t.id, "open", "O")).unwrap();
    let alice = store.create_user(&user("alice")).unwrap();
    let bob = store.create_user(&user("bob")).unwrap();

    assert_not_found(store.add_channel_member(&c.id, &alice.id).unwrap_err(), "team member");
    store.create_team_member(&t.id, &alice.id).unwrap();
    store.create_team_member(&t.id, &bob.id).unwrap();
    let member = store.add_channel_member(&c.id, &alice.id).unwrap();
    assert_eq!((member.roles.as_str(), member.scheme_user), ("channel_user", true));
    assert_eq!(member.notify_props.get("mark_unread").map(String::as_str), Some("all"));
    assert_eq!(store.add_channel_member(&c.id, &alice.id).unwrap(), member, "idempotent");
    assert_eq!(store.get_channel_member(&c.id, &alice.id).unwrap(), member);
    store.add_channel_member(&c.id, &bob.id).unwrap();
    let mut expected = vec![alice.id.clone(), bob.id.clone()];
    expected.sort();
    let listed: Vec<String> = store.get_channel_members(&c.id, 0, 10).unwrap().into_iter().map(|m| m.user_id).collect();
    assert_eq!(listed, expected);
    assert_eq!(store.get_channel_members(&c.id, 1, 1).unwrap()[0].user_id, expected[1]);

    store.delete_channel_member(&c.id, &alice.id).unwrap();
    assert_not_found(store.get_channel_member(&c.id, &alice.id).unwrap_err(), "channel member");
    assert_not_found(store.delete_channel_member(&c.id, &alice.id).unwrap_err(), "channel member");

    // Group channels have no team, so no team check.
    let g = store.create_channel(&channel("", "group-of-three", "G")).unwrap();
    let carol = store.create_user(&user("carol")).unwrap();
    store.add_channel_member(&g.id, &carol.id).unwrap();
}

#[test]
fn a_direct_channel_is_made_once_for_either_order() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let a = store.create_user(&user("alice")).unwrap();
    let b = store.create_user(&user("bob")).unwrap();
    let ab = store.get_direct_channel(&a.id, &b.id).unwrap();
    let ba = store.get_direct_channel(&b.id, &a.id).unwrap();
    assert_eq!(ab, ba);
    assert_eq!(ab, store.get_direct_channel(&a.id, &b.id).unwrap());
    let (low, high) = if a.id < b.id { (&a.id, &b.id) } else { (&b.id, &a.id) };
    assert_eq!(ab.name, format!("{low}__{high}"));
    assert_eq!((ab.channel_type.as_str(), ab.team_id.as_str()), ("D", ""));
    assert_eq!(store.get_channel_members(&ab.id, 0, 10).unwrap().len(), 2);
    for u in [&a, &b] {
        store.get_channel_member(&ab.id, &u.id).unwrap();
    }
    assert_invalid(store.delete_channel(&ab.id).unwrap_err(), "channel.type");
    assert_invalid(store.delete_channel_member(&ab.id, &a.id).unwrap_err(), "channel_id");

    // One's own direct channel has one member.
    let self_dm = store.get_direct_channel(&a.id, &a.id).unwrap();
    assert_eq!(store.get_channel_members(&self_dm.id, 0, 10).unwrap().len(), 1);
    // An unknown user makes nothing.
    assert_not_found(store.get_direct_channel(&a.id, &"z".repeat(26)).unwrap_err(), "user");
}

// ---------------------------------------------------------------------------------------------
// Posts

#[test]
fn posts_round_trip_list_newest_first_and_delete_softly() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 1_000);
    let t = store.create_team(&team("team-a")).unwrap();
    let c = store.create_channel(&channel(&t.id, "open", "O")).unwrap();
    let other = store.create_channel(&channel(&t.id, "other", "O")).unwrap();
    let u = store.create_user(&user("alice")).unwrap();

    let mut given = post(&c.id, &u.id, "hello");
    given.props = BTreeMap::from([("attachments".into(), serde_json::json!([{"text": "x", "n": 1.5}]))]);
    given.file_ids = vec!["f".repeat(26)];
    given.hashtags = "#hi".into();
    let first = store.save_post(&given).unwrap();
    let expected = Post { id: first.id.clone(), create_at: 1_000, update_at: 1_000, ..given };
    assert_eq!(first, expected);
    assert_eq!(store.get_post(&first.id).unwrap(), expected);

    let mut ids = vec![first.id.clone()];
    for i in 1..5 {
        clock.advance(10);
        ids.push(store.save_post(&post(&c.id, &u.id, &format!("message {i}"))).unwrap().id);
    }
    // A caller-given create_at is kept.
    let imported = store.save_post(&Post { create_at: 500, ..post(&c.id, &u.id, "old") }).unwrap();
    assert_eq!((imported.create_at, imported.update_at), (500, 500));
    ids.insert(0, imported.id.clone());
    store.save_post(&post(&other.id, &u.id, "elsewhere")).unwrap();

    let channel_now = store.get_channel(&c.id).unwrap();
    assert_eq!((channel_now.total_msg_count, channel_now.last_post_at), (6, 1_040));

    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    let list = store.get_posts_for_channel(&c.id, 0, 100).unwrap();
    assert_eq!(list.order, newest_first);
    assert_eq!(list.posts.len(), 6);
    assert_eq!(list.posts[&first.id], expected);
    assert_eq!(store.get_posts_for_channel(&c.id, 0, 2).unwrap().order, newest_first[..2]);
    assert_eq!(store.get_posts_for_channel(&c.id, 1, 4).unwrap().order, newest_first[4..]);

    // Replies: to a live root of the same channel only; deleting the root deletes them.
    clock.set(2_000);
    let reply = store.save_post(&Post { root_id: first.id.clone(), ..post(&c.id, &u.id, "reply") }).unwrap();
    assert_invalid(
        store.save_post(&Post { root_id: first.id.clone(), ..post(&other.id, &u.id, "x") }).unwrap_err(),
        "post.root_id",
    );
    assert_invalid(
        store.save_post(&Post { root_id: reply.id.clone(), ..post(&c.id, &u.id, "x") }).unwrap_err(),
        "post.root_id",
    );
    assert_invalid(
        store.save_post(&Post { root_id: "r".repeat(26), ..post(&c.id, &u.id, "x") }).unwrap_err(),
        "post.root_id",
    );
    store.delete_post(&first.id).unwrap();
    assert_not_found(store.get_post(&first.id).unwrap_err(), "post");
    assert_not_found(store.get_post(&reply.id).unwrap_err(), "post");
    assert_not_found(store.delete_post(&first.id).unwrap_err(), "post");
    let after = store.get_posts_for_channel(&c.id, 0, 100).unwrap();
    assert!(!after.posts.contains_key(&first.id) && !after.posts.contains_key(&reply.id));
    assert_eq!(after.order.len(), 5);
}

#[test]
fn saving_a_post_checks_like_upstream() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let t = store.create_team(&team("team-a")).unwrap();
    let c = store.create_channel(&channel(&t.id, "open", "O")).unwrap();
    let u = store.create_user(&user("alice")).unwrap();

    assert_invalid(store.save_post(&Post { id: "p".repeat(26), ..post(&c.id, &u.id, "x") }).unwrap_err(), "post.id");
    assert_not_found(store.save_post(&post(&"c".repeat(26), &u.id, "x")).unwrap_err(), "channel");
    assert_not_found(store.save_post(&post(&c.id, &"u".repeat(26), "x")).unwrap_err(), "user");
    assert_invalid(store.save_post(&post(&c.id, "", "x")).unwrap_err(), "post.user_id");
    store.save_post(&post(&c.id, &u.id, &"é".repeat(16383))).expect("16383 characters fit");
    assert_invalid(store.save_post(&post(&c.id, &u.id, &"é".repeat(16384))).unwrap_err(), "post.message");
    store.delete_channel(&c.id).unwrap();
    assert_invalid(store.save_post(&post(&c.id, &u.id, "x")).unwrap_err(), "post.channel_id");
}

#[test]
fn updating_a_post_changes_only_what_upstream_lets_it() {
    let (_dir, path) = temp_db();
    let (store, clock) = store_at(&path, 1_000);
    let t = store.create_team(&team("team-a")).unwrap();
    let c = store.create_channel(&channel(&t.id, "open", "O")).unwrap();
    let u = store.create_user(&user("alice")).unwrap();
    let saved = store.save_post(&Post { post_type: "custom_x".into(), ..post(&c.id, &u.id, "v1") }).unwrap();

    // Props only: update_at moves, edit_at does not.
    clock.set(2_000);
    let mut edit = saved.clone();
    edit.props.insert("k".into(), serde_json::json!("v"));
    edit.is_pinned = true;
    edit.post_type = "ignored".into();
    edit.user_id = "ignored".into();
    let updated = store.update_post(&edit).unwrap();
    assert_eq!((updated.update_at, updated.edit_at, updated.is_pinned), (2_000, 0, true));
    assert_eq!((updated.post_type.as_str(), updated.user_id.as_str()), ("custom_x", u.id.as_str()));
    assert_eq!(updated.props["k"], "v");

    clock.set(3_000);
    let edited = store.update_post(&Post { message: "v2".into(), ..updated.clone() }).unwrap();
    assert_eq!((edited.message.as_str(), edited.update_at, edited.edit_at), ("v2", 3_000, 3_000));
    assert_eq!(store.get_post(&saved.id).unwrap(), edited);

    assert_invalid(
        store.update_post(&Post { message: "x".repeat(16384), ..edited.clone() }).unwrap_err(),
        "post.message",
    );
    assert_not_found(store.update_post(&Post { id: "q".repeat(26), ..edited.clone() }).unwrap_err(), "post");
    store.delete_post(&saved.id).unwrap();
    assert_invalid(store.update_post(&edited).unwrap_err(), "post.delete_at");
}

// ---------------------------------------------------------------------------------------------
// Migration

#[test]
fn a_version_1_database_migrates_keeping_its_kv_data() {
    let (_dir, path) = temp_db();
    {
        // The file as a version-1 build left it: migration 1's table, user_version 1.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE plugin_kv (
                 plugin_id TEXT NOT NULL,
                 pkey TEXT NOT NULL,
                 pvalue BLOB NOT NULL,
                 expire_at INTEGER NOT NULL,
                 PRIMARY KEY (plugin_id, pkey)
             ) WITHOUT ROWID, STRICT;
             CREATE INDEX plugin_kv_expiring ON plugin_kv (expire_at) WHERE expire_at <> 0;
             INSERT INTO plugin_kv VALUES ('com.example.a', 'greeting', x'68656c6c6f', 0);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 2) };
    assert_eq!(store.kv("com.example.a").unwrap().get("greeting").unwrap().as_deref(), Some(&b"hello"[..]));
    let alice = store.create_user(&user("alice")).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_user(&alice.id).unwrap(), alice);
    assert_eq!(store.kv("com.example.a").unwrap().get("greeting").unwrap().as_deref(), Some(&b"hello"[..]));
}
