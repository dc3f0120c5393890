//! A plugin's manifest: found in its directory, parsed from JSON or YAML, validated.
