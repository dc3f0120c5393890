//! Placeholder: model types (user), being ported.
