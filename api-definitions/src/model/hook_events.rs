//! Placeholder: model types (hook_events), being ported.
