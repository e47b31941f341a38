//! The views' tests: expressions parsed, the config's views, the week of
//! "Due this week" and expressions written back.

mod parsing {
    use super::super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 12, 4)
    }

    fn config(filter: &str) -> ViewConfig {
        ViewConfig {
            name: "Critical for MOF".to_string(),
            filter: filter.to_string(),
        }
    }

    #[test]
    fn parses_the_documented_terms() {
        let view = parse(&config(
            "priority=critical customer=MOF status=new assignee=me q=vpn open",
        ))
        .expect("valid");
        assert_eq!(
            view.filters,
            vec![
                ("priority".to_string(), "critical".to_string()),
                ("status".to_string(), "new".to_string()),
                ("assignee_id".to_string(), "me".to_string()),
                ("open".to_string(), "true".to_string()),
            ]
        );
        assert_eq!(view.customer_code.as_deref(), Some("MOF"));
        let mut codes = HashMap::new();
        codes.insert("MOF".to_string(), "c1".to_string());
        let resolved = view.resolved(&codes, today()).expect("known code");
        assert!(resolved.contains(&("customer_id".to_string(), "c1".to_string())));
        assert!(resolved.contains(&("q".to_string(), "vpn".to_string())));
        assert!(view.resolved(&HashMap::new(), today()).is_err());
    }

    #[test]
    fn errors_name_the_view_and_the_bad_term() {
        let error = parse(&config("priority=urgent")).expect_err("bad value");
        assert_eq!(error.term, "priority=urgent");
        assert!(error.to_string().contains("Critical for MOF"), "{error}");
        assert!(
            error.to_string().contains("critical, high, medium, low"),
            "{error}"
        );
        let error = parse(&config("prio=critical")).expect_err("bad key");
        assert!(error.to_string().contains("unknown key"), "{error}");
        assert_eq!(
            parse(&config("status=new status=triaged"))
                .map(drop)
                .map_err(|e| e.term),
            Err("status=triaged".to_string())
        );
        assert!(parse(&config("status")).is_err());
    }
}

mod config {
    use std::collections::BTreeMap;

    use crate::config::{Cli, load};

    #[test]
    fn views_are_read_from_the_config_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        let text = "[[views]]\nname = \"Critical for MOF\"\nfilter = \"priority=critical customer=MOF status=new\"\n\
                    [[views]]\nname = \"Mine, open\"\nfilter = \"assignee=me open\"\n";
        std::fs::write(&path, text).expect("writes");
        let cli = Cli {
            config: Some(path),
            ..Cli::default()
        };
        let loaded = load(&cli, &BTreeMap::new()).expect("loads");
        let views = super::super::all(&loaded.settings.views).expect("valid views");
        let first = super::super::built_in().len();
        assert_eq!(views.len(), first + 2);
        assert_eq!(views[first].name, "Critical for MOF");
        assert_eq!(views[first].customer_code.as_deref(), Some("MOF"));
        assert!(
            views[first + 1]
                .filters
                .contains(&("open".to_string(), "true".to_string()))
        );
    }
}

mod due {
    use std::collections::HashMap;

    use jiff::civil::date;

    use super::super::*;

    #[test]
    fn due_this_week_asks_for_monday_to_sunday_sorted_by_due() {
        let view = built_in()
            .into_iter()
            .find(|v| v.name == crate::strings::VIEW_DUE_WEEK)
            .expect("a built-in view");
        assert_eq!(view.sort, Some(Sort::Due));
        // Friday 4 December 2026, and a Monday and a Sunday themselves.
        for today in [date(2026, 12, 4), date(2026, 11, 30), date(2026, 12, 6)] {
            let filters = view.resolved(&HashMap::new(), today).expect("no code");
            assert!(filters.contains(&("due_from".to_string(), "2026-11-30".to_string())));
            assert!(filters.contains(&("due_to".to_string(), "2026-12-06".to_string())));
            assert!(filters.contains(&("open".to_string(), "true".to_string())));
        }
        // The same words in a user's view; other values are refused.
        let mine = parse(&ViewConfig {
            name: "Soon".to_string(),
            filter: "due=week sort=due assignee=me".to_string(),
        })
        .expect("valid");
        assert!(mine.due_this_week);
        assert_eq!(mine.sort, Some(Sort::Due));
        let bad = |filter: &str| {
            parse(&ViewConfig {
                name: "Bad".to_string(),
                filter: filter.to_string(),
            })
            .is_err()
        };
        assert!(bad("due=month"));
        assert!(bad("sort=health"));
    }
}

mod expression {
    use std::collections::HashMap;

    use super::super::*;

    /// What the server is asked for: the filters and the order, sorted.
    fn query(view: &View, codes: &HashMap<String, String>) -> Vec<(String, String)> {
        let mut query = view
            .resolved(codes, jiff::civil::date(2026, 12, 4))
            .expect("known codes");
        query.push(("sort".to_string(), view.order().as_str().to_string()));
        query.sort();
        query
    }

    #[test]
    fn every_view_written_as_an_expression_reads_back_the_same() {
        let mut codes = HashMap::new();
        codes.insert("MOF".to_string(), "c1".to_string());
        let mut views = built_in();
        views.push(View {
            q: Some("mailbox storage".to_string()),
            customer_code: Some("MOF".to_string()),
            sort: Some(Sort::Updated),
            ..parse(&ViewConfig {
                name: "Mine".to_string(),
                filter: "assignee=me priority=high service_id=v1 open".to_string(),
            })
            .expect("valid")
        });
        for view in views {
            let expression = view.expression().expect("writable");
            let back = parse(&ViewConfig {
                name: view.name.clone(),
                filter: expression.clone(),
            })
            .unwrap_or_else(|error| panic!("{expression}: {error}"));
            assert_eq!(query(&back, &codes), query(&view, &codes), "{expression}");
            assert_eq!(back.q, view.q, "{expression}");
        }
        let quote = View {
            q: Some("say \"hi\"".to_string()),
            ..built_in().remove(0)
        };
        assert!(quote.expression().is_err());
        let unclosed = parse(&ViewConfig {
            name: "Bad".to_string(),
            filter: "q=\"open".to_string(),
        });
        assert!(unclosed.is_err());
    }
}
