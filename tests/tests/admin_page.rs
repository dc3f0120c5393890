//! The admin page (`/admin/plugins`) in a real headless Chromium (Debian's `chromium`), driven
//! over the DevTools protocol with `headless_chrome`, against a real server with real plugin
//! processes: sign in with the token, upload a bundle through the page's file input, enable,
//! disable, delete; a wrong or stale token shows the server's error and changes nothing, and so
//! does a plugin that fails to start; a manifest's HTML is shown as text; the token never
//! appears in a URL the page requested.
//!
//! Screenshots of each step go to `target/test-artifacts/admin-plugins*.png`.
//! Without Chromium these tests fail, saying how to install it: they never pass unseen.

mod browser_support;
mod server_support;

use browser_support::{browser, Page};
use headless_chrome::Browser;
use plugin_host::server::Background;
use serde_json::{json, Value};
use server_support::{process_bundle, process_bundle_with, start, Client};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

const ID: &str = "com.example.admin";
/// A browser with one tab on a server's admin page ([`Page`], which records every URL the tab
/// requests), and what only this page has.
struct AdminPage {
    page: Page,
    // The tab is the browser's; the browser is kept alive (and killed on drop) with it.
    _browser: Browser,
    base: String,
}

impl std::ops::Deref for AdminPage {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

impl AdminPage {
    fn open(server: &Background) -> AdminPage {
        let browser = browser((1200, 860));
        let page = Page::open(&browser, server, "/admin/plugins", "admin-plugins");
        AdminPage { page, _browser: browser, base: format!("http://{}", server.local_addr()) }
    }

    fn message(&self) -> String {
        self.eval("document.getElementById('message').hidden ? '' : document.getElementById('message').innerText")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The state code on the badge of plugin `id`'s row (`None`: no such row).
    fn state(&self, id: &str) -> Option<u64> {
        self.eval(&format!("(r => r && Number(r.querySelector('.badge').dataset.state))({})", row(id))).as_u64()
    }

    fn upload(&self, bundle: &Path) {
        self.tab.wait_for_element("#bundle").unwrap().set_input_files(&[bundle.to_str().unwrap()]).unwrap();
        self.click("#upload");
    }
}

/// The JavaScript for plugin `id`'s row of the table (or null).
fn row(id: &str) -> String {
    format!("document.querySelector('#plugins tr[data-id={}]')", json!(id))
}

fn statuses(client: &Client) -> Vec<Value> {
    let (code, body) = Client::answer(
        Client::agent()
            .get(format!("{}/api/v4/plugins/statuses", client.base))
            .header("Authorization", &client.auth)
            .call(),
    );
    assert_eq!(code, 200, "{body}");
    body.as_array().unwrap().clone()
}

fn token(client: &Client) -> String {
    client.auth.strip_prefix("Bearer ").unwrap().to_owned()
}

/// A bundle written to a file, as an admin would pick it in the file dialog.
fn bundle_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_admin_uploads_enables_disables_and_deletes_a_plugin_in_the_page() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let page = AdminPage::open(&server);
    page.screenshot("admin-plugins-1-sign-in");

    page.sign_in(&token(&client));
    page.wait("the empty list", "!document.getElementById('empty').hidden");

    let bundle = bundle_file(
        site.path(),
        "com.example.admin-1.0.0.tar.gz",
        &process_bundle_with(ID, "1.0.0", json!({"name": "Admin test plugin", "description": "Says hello."})),
    );
    page.upload(&bundle);
    page.wait("the uploaded plugin", &row(ID));
    assert!(page.message().contains("Installed Admin test plugin 1.0.0"), "{}", page.message());
    assert_eq!(page.state(ID), Some(0));
    page.screenshot("admin-plugins-2-uploaded");

    page.click(&format!("tr[data-id='{ID}'] button.enable"));
    page.wait("the plugin running", &format!("{}?.querySelector('.badge').dataset.state === '2'", row(ID)));
    assert_eq!(statuses(&client)[0]["state"], 2);
    assert_eq!(client.status(ID).0, 2);
    page.wait("the enable's outcome", "document.getElementById('message').innerText.includes('Enable')");
    page.screenshot("admin-plugins");

    page.click(&format!("tr[data-id='{ID}'] button.disable"));
    page.wait("the plugin stopped", &format!("{}?.querySelector('.badge').dataset.state === '0'", row(ID)));
    assert_eq!(client.status(ID).0, 0);
    assert_eq!(statuses(&client)[0]["enabled"], false);

    page.click(&format!("tr[data-id='{ID}'] button.delete"));
    page.wait("the delete's confirmation", &format!("{}?.querySelector('button.confirm-delete')", row(ID)));
    assert!(page.text().contains("Delete this plugin and its files?"), "{}", page.text());
    page.screenshot("admin-plugins-3-confirm-delete");
    page.click(&format!("tr[data-id='{ID}'] button.confirm-delete"));
    page.wait("the empty list again", "!document.getElementById('empty').hidden");
    assert!(statuses(&client).is_empty());
    assert!(!site.path().join("plugins").join(ID).exists());
    page.screenshot("admin-plugins-4-deleted");
    server.stop().unwrap();
}

#[test]
fn a_wrong_or_stale_token_changes_nothing_and_server_errors_are_shown() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    let page = AdminPage::open(&server);

    page.sign_in("not-the-token");
    page.wait("the refusal", "!document.getElementById('message').hidden");
    let message = page.message();
    assert!(
        message.contains("the admin token is wrong") && message.contains("401 api.context.admin_token.app_error"),
        "{message}"
    );
    assert_eq!(page.eval("document.getElementById('token-form').hidden"), false, "the token is asked again");
    assert_eq!(page.eval("document.getElementById('admin').hidden"), true, "nothing is listed");
    assert_eq!(page.eval("sessionStorage.length"), 0, "the wrong token is forgotten");
    page.screenshot("admin-plugins-wrong-token");

    // Signed in, then the token changes under the page (another admin rotated it): a delete
    // with the stale token is refused, shown, and asks for the token again.
    page.sign_in(&token(&client));
    page.wait("the plugin", &row(ID));
    page.click(&format!("tr[data-id='{ID}'] button.delete"));
    page.eval("sessionStorage.setItem('plugin-host.admin-token', 'stale-token')");
    page.click(&format!("tr[data-id='{ID}'] button.confirm-delete"));
    page.wait("the refusal", "!document.getElementById('token-form').hidden");
    assert!(page.message().contains("Delete com.example.admin: the admin token is wrong"), "{}", page.message());
    assert_eq!(page.eval("sessionStorage.length"), 0);
    // Nothing changed.
    let listed = statuses(&client);
    assert_eq!((listed.len(), &listed[0]["plugin_id"], &listed[0]["state"]), (1, &json!(ID), &json!(0)));
    assert!(site.path().join("plugins").join(ID).join("plugin.json").exists());

    // A refusal that is not about the token: the plugin fails to start (500), the page shows
    // the server's message and id, and the row its state and last error.
    fs::write(site.path().join("plugins").join(ID).join("behaviour"), "fail-activate").unwrap();
    page.sign_in(&token(&client));
    page.wait("the plugin", &row(ID));
    page.click(&format!("tr[data-id='{ID}'] button.enable"));
    page.wait("the failed start", &format!("{}?.querySelector('.badge').dataset.state === '3'", row(ID)));
    let message = page.message();
    assert!(
        message.contains("Enable com.example.admin:")
            && message.contains("refusing to activate, as told")
            && message.contains("500 app.plugin.activate.app_error"),
        "{message}"
    );
    let error = page.eval(&format!("{}.querySelector('td.error').textContent", row(ID)));
    assert!(error.as_str().unwrap().contains("refusing to activate, as told"), "{error}");
    page.screenshot("admin-plugins-failed-to-start");
    server.stop().unwrap();
}

#[test]
fn a_manifests_html_is_shown_as_text() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let name = "<img src=x onerror=window.__xss=1>";
    let description = "<script>window.__xss=2</script><b>bold?</b>";
    let bundle = bundle_file(
        site.path(),
        "xss.tar.gz",
        &process_bundle_with(ID, "1.0.0", json!({"name": name, "description": description})),
    );
    let page = AdminPage::open(&server);
    page.sign_in(&token(&client));
    page.wait("the empty list", "!document.getElementById('empty').hidden");
    // Through the page, so the upload's message (which names the plugin) is checked too.
    page.upload(&bundle);
    page.wait("the uploaded plugin", &row(ID));
    // Give an image that was wrongly made time to fail loading and fire its handler.
    std::thread::sleep(Duration::from_millis(500));

    let shown = page.eval(&format!(
        "(r => ({{name: r.querySelector('.name').textContent, description: r.querySelector('.description').textContent}}))({})",
        row(ID)
    ));
    assert_eq!(shown, json!({"name": name, "description": description}));
    assert!(page.message().contains(name), "{}", page.message());
    assert_eq!(page.eval("document.querySelectorAll('main img, main script, main b').length"), 0);
    assert_eq!(page.eval("typeof window.__xss"), "undefined");
    page.screenshot("admin-plugins-escaped");
    server.stop().unwrap();
}

#[test]
fn the_token_never_appears_in_a_url_the_page_requested() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let secret = token(&client);
    let page = AdminPage::open(&server);
    page.sign_in(&secret);
    page.wait("the empty list", "!document.getElementById('empty').hidden");
    let bundle = bundle_file(site.path(), "p.tar.gz", &process_bundle(ID, "1.0.0"));
    page.upload(&bundle);
    page.wait("the uploaded plugin", &row(ID));
    page.click(&format!("tr[data-id='{ID}'] button.enable"));
    page.wait("the plugin running", &format!("{}?.querySelector('.badge').dataset.state === '2'", row(ID)));
    // A reload signs in from the tab's session, without asking.
    page.tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    page.wait("the plugin after a reload", &row(ID));
    page.click("#refresh");
    page.click("#sign-out");
    page.wait("the sign-in form", "!document.getElementById('token-form').hidden");

    let requested = page.requested.lock().unwrap().clone();
    for path in
        ["/admin/plugins", "/admin/plugins.js", "/admin/plugins.css", "/api/v4/plugins/statuses", "/api/v4/plugins"]
    {
        assert!(requested.contains(&format!("{}{path}", page.base)), "{path} was not requested: {requested:?}");
    }
    let leaked: Vec<_> = requested.iter().filter(|url| url.contains(&secret)).collect();
    assert!(leaked.is_empty(), "the token is in requested URLs: {leaked:?}");
    assert!(!page.tab.get_url().contains(&secret));
    assert_eq!(page.eval("document.cookie"), "");
    assert_eq!(page.eval("localStorage.length"), 0);
    assert_eq!(page.eval("sessionStorage.length"), 0, "signing out forgets the token");
    server.stop().unwrap();
}

/// Without a browser: the page and its files have their types and the security headers.
#[test]
fn the_page_and_its_files_are_served_with_their_types_and_a_strict_policy() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let base = format!("http://{}", server.local_addr());
    for (path, content_type, needle) in [
        ("/admin/plugins", "text/html; charset=utf-8", "<title>Plugins"),
        ("/admin/plugins.js", "text/javascript; charset=utf-8", "sessionStorage"),
        ("/admin/plugins.css", "text/css; charset=utf-8", ".badge"),
        ("/assets/base.css", "text/css; charset=utf-8", "--accent"),
    ] {
        browser_support::check_served(&base, path, content_type, needle, "style-src 'self'");
    }
    server.stop().unwrap();
}
