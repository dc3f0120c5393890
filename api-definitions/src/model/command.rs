//! Placeholder: model types (command), being ported.
