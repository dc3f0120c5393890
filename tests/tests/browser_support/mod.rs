//! What the browser tests share: which Chromium to run, a tab on one of the server's pages
//! ([`Page`]: evaluate, wait, click, fill, sign in, screenshot, and every URL it requested),
//! where screenshots go, and the check that a page's files are served with their types and a
//! strict policy.

#![allow(dead_code)] // each test file uses its own part of this module

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Network, Page as CdpPage};
use headless_chrome::{Browser, LaunchOptions, Tab};
use plugin_host::server::Background;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page has to show what a step should make it show.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A headless Chromium with windows of `size`.
pub fn browser(size: (u32, u32)) -> Browser {
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        // Root (CI) cannot use Chromium's sandbox; the pages are our own.
        .sandbox(false)
        .window_size(Some(size))
        .idle_browser_timeout(Duration::from_secs(300))
        .build()
        .unwrap();
    Browser::new(options).unwrap_or_else(|e| panic!("could not start {}: {e}", chromium().display()))
}

/// One tab on one of the server's pages, recording the URLs it requests (WebSockets too).
pub struct Page {
    pub tab: Arc<Tab>,
    pub requested: Arc<Mutex<Vec<String>>>,
    /// Names the page in failures and failure screenshots.
    pub name: &'static str,
}

impl Page {
    pub fn open(browser: &Browser, server: &Background, path: &str, name: &'static str) -> Page {
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(PATIENCE);
        let requested = Arc::new(Mutex::new(Vec::new()));
        let seen = requested.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
            Event::NetworkRequestWillBeSent(sent) => seen.lock().unwrap().push(sent.params.request.url.clone()),
            Event::NetworkWebSocketCreated(created) => seen.lock().unwrap().push(created.params.url.clone()),
            _ => {}
        }))
        .unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        let base = format!("http://{}", server.local_addr());
        tab.navigate_to(&format!("{base}{path}")).unwrap().wait_until_navigated().unwrap();
        let page = Page { tab, requested, name };
        page.wait("the sign-in form", "!document.getElementById('token-form').hidden");
        page
    }

    pub fn eval(&self, expression: &str) -> Value {
        let wrapped = format!("JSON.stringify((() => ({expression}))())");
        let result = self.tab.evaluate(&wrapped, false).unwrap_or_else(|e| panic!("{expression}: {e}"));
        match result.value {
            Some(Value::String(json)) => serde_json::from_str(&json).unwrap(),
            _ => Value::Null,
        }
    }

    /// Waits until `condition` (JavaScript) is true; on time-out, keeps a screenshot and fails
    /// with what the page shows.
    pub fn wait(&self, what: &str, condition: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(&format!("Boolean({condition})")) != Value::Bool(true) {
            if Instant::now() > deadline {
                let shot = self.screenshot(&format!("{}-failure", self.name));
                panic!(
                    "the {} page did not show {what} within {PATIENCE:?} ({condition}); it shows:\n{}\n(screenshot: {})",
                    self.name,
                    self.text(),
                    shot.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn text(&self) -> String {
        self.eval("document.body.innerText").as_str().unwrap_or_default().to_owned()
    }

    /// Brings the tab to the front, as a person switching tabs does (a background tab's page
    /// is not laid out, so it cannot be clicked).
    pub fn front(&self) {
        self.tab.bring_to_front().unwrap();
    }

    pub fn click(&self, selector: &str) {
        self.front();
        self.tab
            .wait_for_element(selector)
            .unwrap_or_else(|e| panic!("no {selector} on the {} page: {e}\n{}", self.name, self.text()))
            .click()
            .unwrap();
    }

    /// Replaces what the input `selector` holds with `text` (typed as a paste: one insertion).
    pub fn fill(&self, selector: &str, text: &str) {
        self.front();
        self.eval(&format!("(document.querySelector({}).value = '')", json!(selector)));
        self.tab.wait_for_element(selector).unwrap().click().unwrap();
        self.tab.send_character(text).unwrap();
    }

    pub fn sign_in(&self, token: &str) {
        self.fill("#token", token);
        self.click("#token-form button[type=submit]");
    }

    /// A PNG of the page in `target/test-artifacts/<name>.png` (the tab comes to the front: a
    /// background tab is not painted).
    pub fn screenshot(&self, name: &str) -> PathBuf {
        self.front();
        let png = self.tab.capture_screenshot(CdpPage::CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        let path = artifacts().join(format!("{name}.png"));
        fs::write(&path, png).unwrap();
        path
    }
}

/// The Chromium to run: `$CHROMIUM`, else `chromium` or `chromium-browser` on the `PATH`.
pub fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the browser tests need headless Chromium, and none was found \
         ($CHROMIUM unset, no `chromium` or `chromium-browser` on the PATH); \
         on Debian: `apt-get install chromium` (.ci/run installs it)"
    );
}

/// Where screenshots are kept: `target/test-artifacts/`.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("test-artifacts");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `GET base+path` answers 200 with `content_type`, `no-cache`, `nosniff`, a Content-Security-
/// Policy that allows only this server (`default-src`, `script-src`, `form-action 'none'` and
/// `directive`) and nothing unsafe, and a body holding `needle`.
pub fn check_served(base: &str, path: &str, content_type: &str, needle: &str, directive: &str) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut response = agent.get(format!("{base}{path}")).call().unwrap();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(header("content-type"), content_type, "{path}");
    assert_eq!(header("cache-control"), "no-cache", "{path}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
    let policy = header("content-security-policy");
    for wanted in ["default-src 'self'", "script-src 'self'", "form-action 'none'", directive] {
        assert!(policy.contains(wanted), "{path}: {policy}");
    }
    assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{policy}");
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains(needle), "{path}");
}
