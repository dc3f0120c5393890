//! Placeholder: model types (misc), being ported.
