//! The record of wire ids ever assigned (`wire-ids.lock`), which makes ids permanent.
//!
//! Ids live in the traits' doc comments, where contributors see them; this checked-in record
//! remembers every id a method ever had, so the generator can refuse an id that changed or one
//! that belonged to a removed method. A removed method's id is kept as `retired` forever.

use crate::model::Interface;
use crate::validate::Diagnostic;
use std::collections::BTreeMap;

/// What an id is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// In use by the method of this name.
    Live(String),
    /// Once used by the method of this name, never to be reused.
    Retired(String),
}

/// Every id of every interface, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdLock {
    entries: BTreeMap<(String, u32), Entry>,
}

const HEADER: &str = "\
# Permanent wire ids of the plugin interfaces: `<trait> <id> <method>` or
# `<trait> <id> retired <former method>`. Written by `cargo xtask pluginapi` and checked on every
# run: an id never changes and a retired id is never reused. Do not edit by hand.
";

impl IdLock {
    /// Parses the lock file's text.
    pub fn parse(text: &str) -> Result<IdLock, String> {
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let bad = || {
                format!(
                    "line {}: expected `<trait> <id> <method>` or `<trait> <id> retired <method>`, found `{line}`",
                    n + 1
                )
            };
            let (iface, id, entry) = match words.as_slice() {
                [iface, id, name] => (iface, id, Entry::Live((*name).to_owned())),
                [iface, id, "retired", name] => (iface, id, Entry::Retired((*name).to_owned())),
                _ => return Err(bad()),
            };
            let id: u32 = id.parse().map_err(|_| bad())?;
            if entries.insert(((*iface).to_owned(), id), entry).is_some() {
                return Err(format!("line {}: id {id} of `{iface}` is recorded twice", n + 1));
            }
        }
        Ok(IdLock { entries })
    }

    /// The lock file's text.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for ((iface, id), entry) in &self.entries {
            match entry {
                Entry::Live(name) => out.push_str(&format!("{iface} {id} {name}\n")),
                Entry::Retired(name) => out.push_str(&format!("{iface} {id} retired {name}\n")),
            }
        }
        out
    }

    /// The entry for an id, if any.
    pub fn get(&self, iface: &str, id: u32) -> Option<&Entry> {
        self.entries.get(&(iface.to_owned(), id))
    }

    fn interface_entries<'a>(&'a self, iface: &'a str) -> impl Iterator<Item = (u32, &'a Entry)> + 'a {
        self.entries.iter().filter(move |((i, _), _)| i == iface).map(|((_, id), e)| (*id, e))
    }

    /// The smallest id above every id the interface or the record uses.
    pub fn next_free_id(&self, iface: &Interface) -> u32 {
        let name = iface.ident.to_string();
        let recorded = self.interface_entries(&name).map(|(id, _)| id + 1).max().unwrap_or(0);
        recorded.max(crate::validate::next_free_id(iface))
    }

    /// Ids of `iface` that contradict the record: changed ids and reused retired ids.
    pub fn check(&self, iface: &Interface) -> Vec<Diagnostic> {
        let name = iface.ident.to_string();
        let mut out = Vec::new();
        let recorded_id_of: BTreeMap<&str, u32> = self
            .interface_entries(&name)
            .filter_map(|(id, e)| match e {
                Entry::Live(m) => Some((m.as_str(), id)),
                Entry::Retired(_) => None,
            })
            .collect();
        for m in &iface.methods {
            let Some(id) = &m.wire_id else { continue };
            let method = m.ident.to_string();
            if let Some(Entry::Retired(former)) = self.get(&name, id.value) {
                out.push(Diagnostic::new(
                    id.span,
                    format!("wire id {} of `{method}` is retired: it belonged to `{former}`, and an old peer would mistake one for the other", id.value),
                    format!("use the next free id, {}", self.next_free_id(iface)),
                ));
            }
            if let Some(&old) = recorded_id_of.get(method.as_str()) {
                if old != id.value {
                    out.push(Diagnostic::new(
                        id.span,
                        format!("wire id of `{method}` changed from {old} to {}; ids are permanent, or peers built earlier would call the wrong method", id.value),
                        format!("restore `Wire id: {old}`"),
                    ));
                }
            }
        }
        out
    }

    /// The record after this run: every method's id is live, and recorded ids no method uses
    /// any more become retired.
    pub fn updated(&self, iface: &Interface) -> IdLock {
        let name = iface.ident.to_string();
        let mut entries = self.entries.clone();
        let live: BTreeMap<u32, String> =
            iface.methods.iter().filter_map(|m| m.wire_id.as_ref().map(|id| (id.value, m.ident.to_string()))).collect();
        for ((i, id), entry) in entries.iter_mut() {
            if *i != name {
                continue;
            }
            if let Entry::Live(former) = entry {
                if !live.contains_key(id) {
                    *entry = Entry::Retired(former.clone());
                }
            }
        }
        for (id, method) in live {
            entries.insert((name.clone(), id), Entry::Live(method));
        }
        IdLock { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface(src: &str) -> Interface {
        let file = syn::parse_file(src).unwrap();
        crate::parse::parse_trait(crate::parse::find_trait(&file, "T").unwrap())
    }

    const TWO: &str = "trait T {
        /// Wire id: 0
        fn a(&self) -> Result<(), E>;
        /// Wire id: 1
        fn b(&self) -> Result<(), E>;
    }";

    #[test]
    fn a_changed_id_is_refused_with_the_old_one() {
        let lock = IdLock::default().updated(&iface(TWO));
        let changed = iface(
            "trait T {
            /// Wire id: 0
            fn a(&self) -> Result<(), E>;
            /// Wire id: 2
            fn b(&self) -> Result<(), E>;
        }",
        );
        let diags = lock.check(&changed);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("changed from 1 to 2"));
        assert_eq!(diags[0].help.as_deref(), Some("restore `Wire id: 1`"));
    }

    #[test]
    fn a_removed_method_retires_its_id_forever() {
        let lock = IdLock::default().updated(&iface(TWO));
        let removed = iface(
            "trait T {
            /// Wire id: 0
            fn a(&self) -> Result<(), E>;
        }",
        );
        let lock = lock.updated(&removed);
        assert_eq!(lock.get("T", 1), Some(&Entry::Retired("b".into())));
        let reused = iface(
            "trait T {
            /// Wire id: 0
            fn a(&self) -> Result<(), E>;
            /// Wire id: 1
            fn c(&self) -> Result<(), E>;
        }",
        );
        let diags = lock.check(&reused);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("retired"), "{}", diags[0].message);
        assert!(diags[0].help.as_deref().unwrap().contains("next free id, 2"));
    }

    #[test]
    fn renders_and_parses_back() {
        let lock = IdLock::default().updated(&iface(TWO));
        assert_eq!(IdLock::parse(&lock.render()).unwrap(), lock);
        assert!(IdLock::parse("T x a").is_err());
    }
}
