//! Placeholder: model types (plugin), being ported.
