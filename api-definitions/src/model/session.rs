//! Placeholder: model types (session), being ported.
