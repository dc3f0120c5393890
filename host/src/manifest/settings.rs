//! Rules for `settings_schema.settings`, the settings a plugin shows in the System Console.
//! Upstream: `PluginSetting.isValid` in `model/manifest.go`, plus rules of our own, each marked
//! "Beyond upstream" with why.

use super::Problem;
use api_definitions::model::{PluginSetting, PluginSettingsSchema};
use std::collections::HashMap;

/// Upstream's setting types (`convertTypeToPluginSettingType`).
const TYPES: [&str; 9] = ["bool", "dropdown", "generated", "radio", "text", "longtext", "number", "username", "custom"];

/// Types that may have a placeholder: upstream's list, which includes `custom`.
const PLACEHOLDER_TYPES: [&str; 6] = ["generated", "text", "longtext", "number", "username", "custom"];

/// Types whose value is chosen from `options`.
const OPTION_TYPES: [&str; 2] = ["radio", "dropdown"];

/// Values of `hosting`; empty shows the setting everywhere.
const HOSTINGS: [&str; 2] = ["cloud", "on-prem"];

/// Every problem of every setting, setting by setting, each in the order of its fields.
pub(super) fn check(schema: &PluginSettingsSchema, problems: &mut Vec<Problem>) {
    // Lower-cased key -> index of the first setting with it.
    let mut first_with_key: HashMap<String, usize> = HashMap::new();
    for (index, setting) in schema.settings.iter().enumerate() {
        let field = format!("settings_schema.settings[{index}]");
        let earlier = if setting.key.is_empty() {
            None
        } else {
            let index_of_first = *first_with_key.entry(setting.key.to_lowercase()).or_insert(index);
            Some(index_of_first).filter(|&first| first != index)
        };
        check_setting(&field, setting, earlier, problems);
    }
}

fn check_setting(field: &str, setting: &PluginSetting, earlier: Option<usize>, problems: &mut Vec<Problem>) {
    let kind = setting.setting_type.as_str();
    let known = TYPES.contains(&kind);

    // Beyond upstream: a setting's value is stored under its key, so without one the value is
    // lost; `custom` settings may be pure display (a button, a link), so they may go without.
    if setting.key.is_empty() && kind != "custom" {
        problems
            .push(Problem::new(format!("{field}.key"), "is missing; give the key the setting's value is stored under"));
    }
    // Beyond upstream: the server's configuration matches keys ignoring case, so two settings
    // whose keys differ only in case would share (and overwrite) one value.
    if let Some(first) = earlier {
        problems.push(Problem::new(
            format!("{field}.key"),
            format!(
                "{:?} is already the key of settings_schema.settings[{first}] (keys are compared ignoring case); \
                 give each setting its own key",
                setting.key
            ),
        ));
    }

    if !known {
        let what = if kind.is_empty() { "is missing".to_owned() } else { format!("{kind:?} is not a setting type") };
        problems.push(Problem::new(format!("{field}.type"), format!("{what}; use one of {}", TYPES.join(", "))));
    }

    // The rules below depend on the type; with an unknown type they would only add noise.
    if known && !setting.regenerate_help_text.is_empty() && kind != "generated" {
        problems.push(Problem::new(
            format!("{field}.regenerate_help_text"),
            format!("is only shown for `generated` settings, not `{kind}`; remove it"),
        ));
    }
    if known && !setting.placeholder.is_empty() && !PLACEHOLDER_TYPES.contains(&kind) {
        problems.push(Problem::new(
            format!("{field}.placeholder"),
            format!("is only shown for {} settings, not `{kind}`; remove it", PLACEHOLDER_TYPES.join(", ")),
        ));
    }

    // Upstream's `default` is not checked against the type: its own documented example gives a
    // `bool` setting the string "false", so a type check would refuse manifests upstream accepts.

    let takes_options = OPTION_TYPES.contains(&kind);
    if known && !takes_options && !setting.options.is_empty() {
        problems.push(Problem::new(
            format!("{field}.options"),
            format!("are only used by radio and dropdown settings, not `{kind}`; remove them"),
        ));
    }
    // Beyond upstream: a radio or dropdown setting without options offers nothing to choose.
    if takes_options && setting.options.is_empty() {
        problems.push(Problem::new(
            format!("{field}.options"),
            format!("is empty; a `{kind}` setting needs at least one option to choose from"),
        ));
    }
    for (index, option) in setting.options.iter().enumerate() {
        // Upstream refuses an option with an empty display name or value; we say which.
        if option.display_name.is_empty() {
            problems.push(Problem::new(
                format!("{field}.options[{index}].display_name"),
                "is missing; give the text shown for this option",
            ));
        }
        if option.value.is_empty() {
            problems.push(Problem::new(
                format!("{field}.options[{index}].value"),
                "is missing; give the value stored when this option is chosen",
            ));
        }
    }

    // Beyond upstream, which only compares the value in the web app: any other value is treated
    // like an empty one, so a typo such as `onprem` would silently show the setting everywhere.
    if !setting.hosting.is_empty() && !HOSTINGS.contains(&setting.hosting.as_str()) {
        problems.push(Problem::new(
            format!("{field}.hosting"),
            format!("{:?} is not a hosting; use `cloud` or `on-prem`, or leave it empty for both", setting.hosting),
        ));
    }
}
