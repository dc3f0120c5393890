//! Placeholder: model types (config), being ported.
