//! Tests of `plugin_host::manifest`: validation reports (the same for JSON and YAML), syntax and
//! type errors, finding and loading from a directory, paths, and platforms.

use plugin_host::manifest::{
    self, platform, LoadedManifest, ManifestError, Problem, MANIFEST_FILE_NAMES, MAX_MANIFEST_BYTES,
};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manifests").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses a fixture as if it were read from `plugin.<its extension>`, so reports name that file.
fn parse_fixture(name: &str) -> Result<api_definitions::model::Manifest, ManifestError> {
    let extension = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default();
    manifest::parse(&PathBuf::from(format!("plugin.{extension}")), &fixture(name))
}

/// The report `load` would give for a fixture: parse error, validation problems, or "valid".
fn report(name: &str) -> String {
    let extension = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default();
    let file = PathBuf::from(format!("plugin.{extension}"));
    match manifest::parse(&file, &fixture(name)) {
        Err(e) => e.to_string(),
        Ok(m) => {
            let problems = manifest::validate(&m);
            if problems.is_empty() {
                "valid".to_owned()
            } else {
                ManifestError::Invalid { file, problems }.to_string()
            }
        }
    }
}

fn problems_of(name: &str) -> Vec<Problem> {
    manifest::validate(&parse_fixture(name).expect("fixture parses"))
}

/// An error's text with the temporary directory replaced, so snapshots do not change per run.
fn redacted(error: &ManifestError, dir: &Path) -> String {
    error.to_string().replace(&dir.display().to_string(), "[dir]")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

// ----- validation -----

#[test]
fn many_problems_reported_at_once_json() {
    insta::assert_snapshot!(report("many-problems.json"));
}

#[test]
fn many_problems_reported_at_once_yaml() {
    insta::assert_snapshot!(report("many-problems.yaml"));
}

#[test]
fn json_and_yaml_give_the_same_problems() {
    let json = problems_of("many-problems.json");
    assert!(json.len() > 20, "the fixture should break many rules, got {json:?}");
    assert_eq!(json, problems_of("many-problems.yaml"));
}

/// Small broken manifests, each written in JSON and in YAML, giving the same report.
const CASES: &[(&str, &str, &str)] = &[
    (
        "short_id_and_missing_name",
        r#"{"id": "ab"}"#,
        "id: ab\n",
    ),
    (
        "missing_id",
        r#"{"name": "Demo"}"#,
        "name: Demo\n",
    ),
    (
        "id_of_dots",
        r#"{"id": "....", "name": "Demo"}"#,
        "id: '....'\nname: Demo\n",
    ),
    (
        "server_without_executable",
        r#"{"id": "com.example.demo", "name": "Demo", "server": {}}"#,
        "id: com.example.demo\nname: Demo\nserver: {}\n",
    ),
    (
        "odd_executable_key",
        r#"{"id": "com.example.demo", "name": "Demo", "server": {"executables": {"linux amd64.x": "a/./b"}}}"#,
        "id: com.example.demo\nname: Demo\nserver:\n  executables:\n    linux amd64.x: a/./b\n",
    ),
    (
        "icon_not_svg_and_bad_urls",
        r#"{"id": "com.example.demo", "name": "Demo", "icon_path": "assets/icon.png", "homepage_url": "https://exa mple.com", "support_url": "HTTPS://example.com"}"#,
        "id: com.example.demo\nname: Demo\nicon_path: assets/icon.png\nhomepage_url: https://exa mple.com\nsupport_url: HTTPS://example.com\n",
    ),
    (
        "webapp_bundle_absolute",
        r#"{"id": "com.example.demo", "name": "Demo", "webapp": {"bundle_path": "C:\\dist\\main.js"}}"#,
        "id: com.example.demo\nname: Demo\nwebapp:\n  bundle_path: 'C:\\dist\\main.js'\n",
    ),
    (
        "options_on_text_setting_and_placeholder_on_radio",
        r#"{"id": "com.example.demo", "name": "Demo", "settings_schema": {"settings": [
            {"key": "t", "type": "text", "options": [{"display_name": "A", "value": "a"}]},
            {"key": "r", "type": "radio", "placeholder": "pick", "options": [{"display_name": "A", "value": ""}]},
            {"key": "T", "type": "longtext", "placeholder": "fine"}
        ]}}"#,
        "id: com.example.demo\nname: Demo\nsettings_schema:\n  settings:\n    - key: t\n      type: text\n      options:\n        - display_name: A\n          value: a\n    - key: r\n      type: radio\n      placeholder: pick\n      options:\n        - display_name: A\n          value: ''\n    - key: T\n      type: longtext\n      placeholder: fine\n",
    ),
];

#[test]
fn small_cases_in_json_and_yaml() {
    // Too long to write out: 190 accented letters (each one character, two bytes) and a slash.
    let long_id = format!("{}/a/é", "é".repeat(188));
    let long = (
        "id_too_long_and_bad_chars",
        format!(r#"{{"id": "{long_id}", "name": "Demo"}}"#),
        format!("id: {long_id}\nname: Demo\n"),
    );
    let cases = CASES.iter().map(|(n, j, y)| (*n, (*j).to_owned(), (*y).to_owned())).chain([long]);
    for (name, json, yaml) in cases {
        let json_manifest = manifest::parse(Path::new("plugin.json"), &json).expect("JSON case parses");
        let yaml_manifest = manifest::parse(Path::new("plugin.yaml"), &yaml).expect("YAML case parses");
        let problems = manifest::validate(&json_manifest);
        assert!(!problems.is_empty(), "{name}: expected problems");
        assert_eq!(problems, manifest::validate(&yaml_manifest), "{name}: JSON and YAML differ");
        let error = ManifestError::Invalid { file: "plugin.json".into(), problems };
        insta::assert_snapshot!(format!("case_{name}"), error.to_string());
    }
}

#[test]
fn valid_full_manifest_round_trips() {
    let json = parse_fixture("valid-full.json").expect("JSON fixture parses");
    let yaml = parse_fixture("valid-full.yaml").expect("YAML fixture parses");
    assert_eq!(manifest::validate(&json), Vec::new());
    assert_eq!(json, yaml, "the JSON and YAML fixtures describe the same manifest");
    assert!(!json.unknown_fields.is_empty(), "an unknown field is kept");

    let written = serde_json::to_string_pretty(&json).expect("manifest serialises");
    let again = manifest::parse(Path::new("plugin.json"), &written).expect("written manifest parses");
    assert_eq!(again, json);
    insta::assert_snapshot!(written);
}

// ----- parse errors -----

#[test]
fn json_syntax_error_names_line_and_column() {
    let error = parse_fixture("syntax-error.json").expect_err("broken JSON");
    assert!(matches!(error, ManifestError::Syntax { line: 5, .. }), "{error:?}");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let error = parse_fixture("syntax-error.yaml").expect_err("broken YAML");
    assert!(matches!(error, ManifestError::Syntax { line: 6, .. }), "{error:?}");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn json_type_error_names_the_field() {
    let error = parse_fixture("type-error.json").expect_err("wrong type");
    assert!(matches!(error, ManifestError::Syntax { line: 4, .. }), "{error:?}");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn yaml_type_error_names_the_field() {
    let error = parse_fixture("type-error.yaml").expect_err("wrong type");
    assert!(matches!(error, ManifestError::Syntax { line: 6, .. }), "{error:?}");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn yaml_number_for_a_string_is_read_as_text() {
    // YAML scalars are untyped until read: `type: 5` is the text "5", which validation refuses.
    let m = manifest::parse(
        Path::new("plugin.yml"),
        "id: abc\nname: D\nsettings_schema:\n  settings:\n    - {key: a, type: 5}\n",
    )
    .expect("parses");
    let problems = manifest::validate(&m);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "settings_schema.settings[0].type");
}

#[test]
fn unknown_file_name_is_refused() {
    let error = manifest::parse(Path::new("plugin.toml"), "id = 'x'").expect_err("not JSON or YAML");
    insta::assert_snapshot!(error.to_string());
}

// ----- finding and loading -----

#[test]
fn find_prefers_yml_then_yaml_then_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(manifest::find(dir.path()).expect("find"), None);
    let json = write(dir.path(), "plugin.json", "{}");
    assert_eq!(manifest::find(dir.path()).expect("find"), Some(json.clone()));
    let yaml = write(dir.path(), "plugin.yaml", "{}");
    assert_eq!(manifest::find(dir.path()).expect("find"), Some(yaml.clone()));
    let yml = write(dir.path(), "plugin.yml", "{}");
    assert_eq!(manifest::find(dir.path()).expect("find"), Some(yml.clone()));
    assert_eq!(MANIFEST_FILE_NAMES, ["plugin.yml", "plugin.yaml", "plugin.json"]);
}

#[test]
fn a_directory_named_like_a_manifest_is_not_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("plugin.json")).expect("mkdir");
    assert_eq!(manifest::find(dir.path()).expect("find"), None);
    let error = manifest::load(dir.path()).expect_err("no manifest");
    assert!(matches!(error, ManifestError::NotFound { .. }), "{error:?}");
    insta::assert_snapshot!(redacted(&error, dir.path()));

    // A directory named plugin.yml does not hide a real plugin.json either.
    std::fs::remove_dir(dir.path().join("plugin.json")).expect("rmdir");
    std::fs::create_dir(dir.path().join("plugin.yml")).expect("mkdir");
    let json = write(dir.path(), "plugin.json", "{}");
    assert_eq!(manifest::find(dir.path()).expect("find"), Some(json));
}

#[test]
fn load_reads_validates_and_lowercases_the_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "plugin.yaml", "id: Com.Example.Demo\nname: Demo\nversion: 1.0.0\n");
    let LoadedManifest { file: found, manifest } = manifest::load(dir.path()).expect("valid manifest");
    assert_eq!(found, file);
    assert_eq!(manifest.id, "com.example.demo");
    assert_eq!(manifest.version, "1.0.0");
}

#[test]
fn load_reports_every_problem_with_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "plugin.json", r#"{"id": "x", "version": "1"}"#);
    let error = manifest::load(dir.path()).expect_err("invalid");
    insta::assert_snapshot!(redacted(&error, dir.path()));
}

#[test]
fn too_large_manifest_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let size = usize::try_from(MAX_MANIFEST_BYTES + 1).expect("fits");
    write(dir.path(), "plugin.json", &" ".repeat(size));
    let error = manifest::load(dir.path()).expect_err("too large");
    assert!(matches!(error, ManifestError::TooLarge { limit: MAX_MANIFEST_BYTES, .. }), "{error:?}");
    insta::assert_snapshot!(redacted(&error, dir.path()));

    // Exactly at the limit is read (and then fails only as JSON).
    write(dir.path(), "plugin.json", &" ".repeat(size - 1));
    let error = manifest::load(dir.path()).expect_err("empty JSON");
    assert!(matches!(error, ManifestError::Syntax { .. }), "{error:?}");
}

#[test]
fn non_utf8_manifest_names_the_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("plugin.yml"), b"id: abc\nname: D\xffmo\n").expect("write");
    let error = manifest::load(dir.path()).expect_err("not UTF-8");
    insta::assert_snapshot!(redacted(&error, dir.path()));
}

// ----- paths -----

#[test]
fn relative_path_cases() {
    let cases = [
        "/etc/passwd",
        "../x",
        "a/../../x",
        "a/./b",
        "./a//b",
        "C:\\x",
        "c:x",
        "\\x",
        "a\\b",
        "",
        ".",
        "./",
        "a/\0",
        "server/dist/plugin-linux-amd64",
    ];
    let mut out = String::new();
    for case in cases {
        let result = match manifest::relative_path(case) {
            Ok(path) => format!("ok {}", path.display()),
            Err(message) => format!("err {message}"),
        };
        out.push_str(&format!("{case:?} => {result}\n"));
    }
    insta::assert_snapshot!(out);
    assert_eq!(manifest::relative_path("./a//b"), Ok(PathBuf::from("a/b")));
    assert_eq!(manifest::relative_path("a/./b"), Ok(PathBuf::from("a/b")));
}

// ----- platforms -----

#[test]
fn server_executable_falls_back() {
    let mut m = parse_fixture("valid-full.json").expect("fixture parses");
    assert_eq!(platform::server_executable(&m, "linux-amd64"), Some("server/dist/plugin-linux-amd64"));
    assert_eq!(platform::server_executable(&m, "linux-arm64"), Some("server/dist/plugin"));

    let server = m.server.as_mut().expect("fixture has a server");
    server.executables.insert("linux-arm64".to_owned(), String::new());
    assert_eq!(platform::server_executable(&m, "linux-arm64"), Some("server/dist/plugin"), "empty entry falls back");

    let server = m.server.as_mut().expect("fixture has a server");
    server.executable.clear();
    assert_eq!(platform::server_executable(&m, "linux-arm64"), None);
    assert_eq!(platform::server_executable(&m, "darwin-arm64"), Some("server/dist/plugin-darwin-arm64"));

    m.server = None;
    assert_eq!(platform::server_executable(&m, "linux-amd64"), None);
}

#[test]
fn named_files_lists_every_path() {
    let mut m = parse_fixture("valid-full.json").expect("fixture parses");
    let files = platform::named_files(&m);
    let expected: Vec<(String, String)> = [
        ("server.executables.darwin-arm64", "server/dist/plugin-darwin-arm64"),
        ("server.executables.linux-amd64", "server/dist/plugin-linux-amd64"),
        ("server.executables.windows-amd64", "server/dist/plugin-windows-amd64.exe"),
        ("server.executable", "server/dist/plugin"),
        ("webapp.bundle_path", "webapp/dist/main.js"),
        ("icon_path", "assets/icon.svg"),
    ]
    .iter()
    .map(|(f, p)| ((*f).to_owned(), (*p).to_owned()))
    .collect();
    assert_eq!(files, expected);

    m.icon_path.clear();
    m.webapp = None;
    m.server.as_mut().expect("server").executable.clear();
    assert_eq!(platform::named_files(&m).len(), 3, "empty paths are skipped");
}

#[test]
fn current_platform_uses_go_names() {
    let current = platform::current();
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        assert_eq!(current, "linux-amd64");
    }
    if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
        assert_eq!(current, "darwin-arm64");
    }
    assert!(!current.contains("x86_64") && !current.contains("macos"), "{current}");
}

// ----- robustness -----

#[test]
fn yaml_alias_bomb_is_refused() {
    // "Billion laughs": each level repeats the one before ten times, 10^9 strings in all.
    let mut text =
        String::from("id: abc\nname: D\nprops:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=9 {
        let refs = vec![format!("*l{}", level - 1); 10].join(", ");
        text.push_str(&format!("  l{level}: &l{level} [{refs}]\n"));
    }
    let error = manifest::parse(Path::new("plugin.yaml"), &text).expect_err("budget exceeded");
    assert!(matches!(error, ManifestError::Syntax { .. }), "{error:?}");
    insta::assert_snapshot!(error.to_string());
}

/// JSON-like text built from manifest words, to reach deeper than random characters do.
fn manifest_like() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "id",
        "name",
        "server",
        "webapp",
        "settings_schema",
        "settings",
        "executables",
        "type",
        "options",
        "linux-amd64",
        "bundle_path",
        "key",
        "default",
        "x",
    ]);
    let value = prop::sample::select(vec![
        "\"\"",
        "\"..\"",
        "\"/a\"",
        "5",
        "-1.5e999",
        "null",
        "true",
        "[]",
        "{}",
        "[{}]",
        "{\"x\":[1]}",
        "\"radio\"",
    ]);
    prop::collection::vec((key, value), 0..8).prop_map(|pairs| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", body.join(", "))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parse_and_validate_never_panic(text in prop_oneof![any::<String>(), manifest_like()]) {
        for name in ["plugin.json", "plugin.yaml"] {
            if let Ok(m) = manifest::parse(Path::new(name), &text) {
                let _ = manifest::validate(&m);
                let _ = platform::named_files(&m);
            }
        }
    }
}
