//! Placeholder: model types (post), being ported.
