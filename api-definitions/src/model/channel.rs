//! Placeholder: model types (channel), being ported.
