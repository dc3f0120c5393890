//! Placeholder: model types (misc2), being ported.
