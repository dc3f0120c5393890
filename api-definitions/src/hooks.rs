//! Placeholder: Hooks trait, being ported.
