//! Posts (upstream `model.Post`, `model.PostList`, `app/post.go`): saving a new post after
//! upstream's checks (without the plugin hooks, which the host runs around this call), reading,
//! editing the parts upstream lets an update change, deleting (a soft delete, replies with their
//! root), and a channel's posts a page at a time, newest first.

use super::channels;
use super::db::{Abort, Store};
use super::error::StoreError;
use super::ids::new_id;
use super::rows::{self, id_shaped, invalid, max_chars, required};
use super::users::require_user;
use api_definitions::model::{Post, PostList};
use rusqlite::{params, Connection, OptionalExtension};

const WHAT: &str = "post";

/// The longest message, in characters (upstream `PostMessageMaxRunesV2`).
pub const POST_MESSAGE_MAX_CHARS: usize = 16383;
/// Upstream's other limits: `PostHashtagsMaxRunes`, and `PostFileidsMaxRunes` on the file ids
/// written as a JSON array.
const HASHTAGS_MAX_CHARS: usize = 1000;
const FILE_IDS_MAX_CHARS: usize = 300;

const SELECT: &str = "SELECT id, create_at, update_at, edit_at, delete_at, doc FROM posts";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    let mut post: Post = rows::decode(row, 5)?;
    post.id = row.get(0)?;
    post.create_at = row.get(1)?;
    post.update_at = row.get(2)?;
    post.edit_at = row.get(3)?;
    post.delete_at = row.get(4)?;
    Ok(post)
}

impl Store {
    /// Saves the new post `post`; returns it as stored: a new id, `create_at` now unless the
    /// caller gave one (> 0, as upstream keeps it, for imports), `update_at` equal to it,
    /// `edit_at` and `delete_at` 0, no `original_id`. Checks, as upstream's `CreatePost` without
    /// its hooks: `post.id` empty (upstream refuses a post that has one); the channel exists
    /// ([`StoreError::NotFound`]) and is not archived; the user exists; the message is at most
    /// 16383 characters; a `root_id` names a live root post (not itself a reply) of the same
    /// channel. In the same transaction the channel's `last_post_at` (and `last_root_post_at` for
    /// a root post) advance to the post's time and its message counts grow by one.
    pub fn save_post(&self, post: &Post) -> Result<Post, StoreError> {
        if !post.id.is_empty() {
            return Err(invalid(WHAT, "post.id", format!("is `{}`; a new post must have none", post.id)));
        }
        let mut post = post.clone();
        required(WHAT, "post.channel_id", &post.channel_id)?;
        required(WHAT, "post.user_id", &post.user_id)?;
        id_shaped(WHAT, "post.root_id", &post.root_id)?;
        validate_content(&post)?;
        let now = self.now_millis();
        post.id = new_id();
        if post.create_at <= 0 {
            post.create_at = now;
        }
        (post.update_at, post.edit_at, post.delete_at) = (post.create_at, 0, 0);
        post.original_id.clear();
        self.transaction(
            || format!("saving a post in channel `{}`", post.channel_id),
            |tx| {
                let channel = channels::load(tx, &post.channel_id)?;
                if channel.delete_at != 0 {
                    let reason = format!("names channel `{}`, which is archived", post.channel_id);
                    return Err(invalid(WHAT, "post.channel_id", reason).into());
                }
                require_user(tx, &post.user_id)?;
                if !post.root_id.is_empty() {
                    check_root(tx, &post)?;
                }
                tx.prepare_cached(
                    "INSERT INTO posts (id, channel_id, user_id, root_id, create_at, update_at, edit_at, delete_at, doc)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    post.id,
                    post.channel_id,
                    post.user_id,
                    post.root_id,
                    post.create_at,
                    post.update_at,
                    post.edit_at,
                    post.delete_at,
                    rows::encode(WHAT, &post)?
                ])?;
                let is_root = post.root_id.is_empty();
                tx.prepare_cached(
                    "UPDATE channels SET
                         last_post_at = max(last_post_at, ?2),
                         last_root_post_at = CASE WHEN ?3 THEN max(last_root_post_at, ?2) ELSE last_root_post_at END,
                         total_msg_count = total_msg_count + 1,
                         total_msg_count_root = total_msg_count_root + ?3
                     WHERE id = ?1",
                )?
                .execute(params![post.channel_id, post.create_at, is_root])?;
                Ok(())
            },
        )?;
        Ok(post)
    }

    /// The post `id`; a deleted post is not found (as upstream's `GetSinglePost`).
    pub fn get_post(&self, id: &str) -> Result<Post, StoreError> {
        self.read_transaction(|| format!("reading post `{id}`"), |tx| load_live(tx, id))
    }

    /// Edits the post `post.id`: as upstream's `UpdatePost`, only `message`, `props`,
    /// `file_ids`, `is_pinned` and `hashtags` are taken from `post`, the rest is kept. `update_at`
    /// becomes now; `edit_at` too when the message changed. Returns the post as stored. Fails with
    /// [`StoreError::NotFound`] for an unknown post and [`StoreError::Invalid`] for a deleted one
    /// or content past upstream's limits.
    pub fn update_post(&self, post: &Post) -> Result<Post, StoreError> {
        required(WHAT, "post.id", &post.id)?;
        validate_content(post)?;
        let now = self.now_millis();
        self.transaction(
            || format!("updating post `{}`", post.id),
            |tx| {
                let mut stored = load(tx, &post.id)?;
                if stored.delete_at != 0 {
                    return Err(invalid(WHAT, "post.delete_at", "is set; a deleted post cannot be edited").into());
                }
                if stored.message != post.message {
                    stored.message.clone_from(&post.message);
                    stored.edit_at = now;
                }
                stored.props.clone_from(&post.props);
                stored.file_ids.clone_from(&post.file_ids);
                stored.is_pinned = post.is_pinned;
                stored.hashtags.clone_from(&post.hashtags);
                stored.update_at = now;
                tx.prepare_cached("UPDATE posts SET update_at = ?2, edit_at = ?3, doc = ?4 WHERE id = ?1")?
                    .execute(params![stored.id, stored.update_at, stored.edit_at, rows::encode(WHAT, &stored)?])?;
                Ok(stored)
            },
        )
    }

    /// Deletes the post `id` (upstream's soft delete): its `delete_at` and `update_at` become
    /// now, and so do those of its replies when it is a root, in one transaction. Deleted posts
    /// are not found by [`Store::get_post`] and left out of [`Store::get_posts_for_channel`].
    /// Fails with [`StoreError::NotFound`] when there is no such live post.
    pub fn delete_post(&self, id: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        self.transaction(
            || format!("deleting post `{id}`"),
            |tx| {
                load_live(tx, id)?;
                tx.prepare_cached(
                    "UPDATE posts SET delete_at = ?2, update_at = ?2 WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0",
                )?
                .execute(params![id, now])?;
                Ok(())
            },
        )
    }

    /// One page of the live posts of channel `channel_id`, newest first (by `create_at`, then
    /// id): `order` holds their ids in that order and `posts` the posts by id, as upstream's
    /// `PostList`; `per_page <= 0` means 60. An unknown channel has no posts.
    pub fn get_posts_for_channel(&self, channel_id: &str, page: i64, per_page: i64) -> Result<PostList, StoreError> {
        let (limit, offset) = rows::page(page, per_page);
        self.read_transaction(
            || format!("listing the posts of channel `{channel_id}`"),
            |tx| {
                let mut stmt = tx.prepare_cached(&format!(
                    "{SELECT} WHERE channel_id = ?1 AND delete_at = 0 ORDER BY create_at DESC, id DESC LIMIT ?2 OFFSET ?3"
                ))?;
                let mut list = PostList::default();
                for post in stmt.query_map(params![channel_id, limit, offset], from_row)? {
                    let post = post?;
                    list.order.push(post.id.clone());
                    list.posts.insert(post.id.clone(), post);
                }
                Ok(list)
            },
        )
    }
}

/// The post `id`, deleted or not, or [`StoreError::NotFound`].
fn load(conn: &Connection, id: &str) -> Result<Post, Abort> {
    let post = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?.query_row([id], from_row).optional()?;
    post.ok_or_else(|| StoreError::NotFound { what: WHAT, id: id.to_owned() }.into())
}

/// The post `id` unless it is deleted, or [`StoreError::NotFound`].
fn load_live(conn: &Connection, id: &str) -> Result<Post, Abort> {
    match load(conn, id)? {
        post if post.delete_at == 0 => Ok(post),
        _ => Err(StoreError::NotFound { what: WHAT, id: id.to_owned() }.into()),
    }
}

/// A reply's `root_id` must name a live root post of the reply's channel (upstream's
/// `api.post.create_post.root_id.app_error` and `channel_root_id` checks).
fn check_root(conn: &Connection, post: &Post) -> Result<(), Abort> {
    let field = "post.root_id";
    let root = match load_live(conn, &post.root_id) {
        Ok(root) => root,
        Err(Abort::Refused(StoreError::NotFound { .. })) => {
            return Err(invalid(WHAT, field, format!("names post `{}`, which does not exist", post.root_id)).into())
        }
        Err(other) => return Err(other),
    };
    if root.channel_id != post.channel_id {
        let reason = format!("names post `{}` of another channel, `{}`", root.id, root.channel_id);
        return Err(invalid(WHAT, field, reason).into());
    }
    if !root.root_id.is_empty() {
        let reason = format!("names post `{}`, a reply itself; replies go to the root `{}`", root.id, root.root_id);
        return Err(invalid(WHAT, field, reason).into());
    }
    Ok(())
}

/// Upstream's `Post.IsValid` limits on what a caller writes.
fn validate_content(post: &Post) -> Result<(), StoreError> {
    max_chars(WHAT, "post.message", &post.message, POST_MESSAGE_MAX_CHARS)?;
    max_chars(WHAT, "post.hashtags", &post.hashtags, HASHTAGS_MAX_CHARS)?;
    let file_ids = serde_json::to_string(&post.file_ids).unwrap_or_default();
    max_chars(WHAT, "post.file_ids", &file_ids, FILE_IDS_MAX_CHARS)?;
    Ok(())
}
