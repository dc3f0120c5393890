//! Placeholder: model types (file), being ported.
