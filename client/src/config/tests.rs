use super::*;

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("temp file writes");
    path
}

#[test]
fn layers_override_in_order_and_say_where_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_config(
        dir.path(),
        "server_url = \"http://file\"\npage_size = 20\n[theme]\naccent = \"red\"\n\
         [keys]\ndown = [\"n\"]\n[profiles.work]\nserver_url = \"http://work\"\n",
    );
    let cli = Cli {
        config: Some(path.clone()),
        read_only: true,
        ..Cli::default()
    };
    let mut env = BTreeMap::new();
    env.insert("RAPPORT_PAGE_SIZE".to_string(), "30".to_string());
    env.insert("RAPPORT_THEME__COLOR".to_string(), "false".to_string());
    env.insert("HOME".to_string(), "/nowhere".to_string());
    let loaded = load(&cli, &env).expect("loads");
    let s = &loaded.settings;
    assert_eq!(s.server_url.as_deref(), Some("http://file"));
    assert_eq!(s.page_size, 30);
    assert!(!s.theme.color);
    assert_eq!(s.theme.accent, "red");
    assert_eq!(s.theme.muted, ThemeConfig::default().muted);
    assert!(s.read_only);
    assert_eq!(s.keys.get("down"), Some(&vec!["n".to_string()]));
    assert_eq!(
        loaded.origins.get("page_size").map(String::as_str),
        Some("environment RAPPORT_*")
    );
    assert_eq!(
        loaded.origins.get("read_only").map(String::as_str),
        Some("command line")
    );
    let text = describe(&loaded);
    assert!(text.contains("theme.accent = \"red\"    # file"), "{text}");
    assert!(text.contains("page_size = 30    # environment"), "{text}");
    assert!(text.contains("keys.down = [\"n\"]    # file"), "{text}");
    assert!(
        text.contains("theme.muted = \"darkgray\"    # default"),
        "{text}"
    );

    let with_profile = Cli {
        profile: Some("work".to_string()),
        server: None,
        ..cli.clone()
    };
    let loaded = load(&with_profile, &env).expect("loads");
    assert_eq!(loaded.settings.server_url.as_deref(), Some("http://work"));
    assert_eq!(
        loaded.origins.get("server_url").map(String::as_str),
        Some("profile work")
    );

    let flag = Cli {
        server: Some("http://flag".to_string()),
        ..with_profile
    };
    assert_eq!(
        load(&flag, &env)
            .expect("loads")
            .settings
            .server_url
            .as_deref(),
        Some("http://flag")
    );
    let unknown = Cli {
        profile: Some("home".to_string()),
        ..cli
    };
    assert!(matches!(
        load(&unknown, &env),
        Err(ConfigError::UnknownProfile(_))
    ));
}

#[test]
fn token_command_prints_the_token_and_masks_it() {
    let settings = Settings {
        token_command: Some("echo secret-token".to_string()),
        ..Settings::default()
    };
    assert_eq!(
        resolve_token(&settings).expect("runs").as_deref(),
        Some("secret-token")
    );
    let failing = Settings {
        token_command: Some("exit 3".to_string()),
        ..Settings::default()
    };
    assert!(resolve_token(&failing).is_err());
}
