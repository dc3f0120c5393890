//! Placeholder: model types (emoji), being ported.
