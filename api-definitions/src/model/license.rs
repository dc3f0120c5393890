//! Placeholder: model types (license), being ported.
