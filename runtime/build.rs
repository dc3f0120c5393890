//! Chooses how the runtime's threads wait: on Linux with epoll, timerfd and pidfd (`cfg
//! linux_events`), elsewhere (or with `PLUGIN_RPC_PORTABLE` set, so CI tests that path on
//! Linux too) with the portable fallbacks: plain `poll`, no rescue timer, polling for exits.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(linux_events)");
    println!("cargo::rerun-if-env-changed=PLUGIN_RPC_PORTABLE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var_os("PLUGIN_RPC_PORTABLE").is_none() {
        println!("cargo::rustc-cfg=linux_events");
    }
}
