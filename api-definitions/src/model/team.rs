//! Placeholder: model types (team), being ported.
