use rapport_shared::wire::Page;
use serde_json::json;

use super::*;
use crate::api::text;
use crate::keymap::Action;
use crate::screens::customers;

fn customer(id: &str, code: &str, name: &str) -> Record {
    json!({"id": id, "version": 1, "code": code, "name": name, "status": "active"})
        .as_object()
        .cloned()
        .expect("an object")
}

fn page(items: Vec<Record>, next: Option<&str>) -> Result<Page<Record>, String> {
    Ok(Page {
        items,
        next_cursor: next.map(str::to_string),
    })
}

fn arrived(
    board: &mut Board,
    request: RequestId,
    result: Result<Page<Record>, String>,
) -> Option<BoardOutcome> {
    board.page_arrived(request, result, &Lookup::default())
}

fn board() -> Board {
    let mut board = Board::new(customers::spec(), None, 3);
    board.viewport = 2;
    board
}

#[test]
fn pages_by_cursor_when_the_selection_nears_the_end() {
    let mut board = board();
    board.loading(1);
    let outcome = arrived(
        &mut board,
        1,
        page(
            vec![
                customer("a", "A1", "Alpha"),
                customer("b", "B1", "Beta"),
                customer("c", "C1", "Gamma"),
            ],
            Some("next"),
        ),
    );
    assert_eq!(outcome, Some(BoardOutcome::Selected(Some("a".to_string()))));
    assert_eq!(
        board.handle(Action::Down, &Lookup::default()),
        BoardOutcome::LoadMore(ListQuery {
            limit: 3,
            cursor: Some("next".to_string()),
            q: None,
            filters: vec![],
        })
    );
    board.loading_more(2);
    // While a page is loading no second one is asked for.
    assert_eq!(
        board.handle(Action::Down, &Lookup::default()),
        BoardOutcome::Selected(Some("c".to_string()))
    );
    arrived(
        &mut board,
        2,
        page(vec![customer("d", "D1", "Delta")], None),
    );
    assert_eq!(board.rows.len(), 4);
    assert_eq!(
        board.handle(Action::Bottom, &Lookup::default()),
        BoardOutcome::Selected(Some("d".to_string()))
    );
    assert_eq!(board.offset, 2, "the selection scrolled into view");
}

#[test]
fn stale_pages_are_dropped() {
    let mut board = board();
    board.loading(1);
    board.set_filter("fi".to_string());
    board.loading(2);
    assert_eq!(
        arrived(
            &mut board,
            1,
            page(vec![customer("a", "A1", "Alpha")], None)
        ),
        None
    );
    assert!(board.rows.is_empty());
    assert!(
        arrived(
            &mut board,
            2,
            page(vec![customer("f", "MOF", "Finance")], None)
        )
        .is_some()
    );
    assert_eq!(board.rows.len(), 1);
}

#[test]
fn a_new_filter_shows_its_first_matches_whatever_row_the_cursor_was_on() {
    let mut board = board();
    board.loading(1);
    let all: Vec<Record> = (0..8)
        .map(|i| customer(&format!("r{i}"), &format!("C{i}"), &format!("Name {i}")))
        .collect();
    arrived(&mut board, 1, page(all, None));
    for _ in 0..6 {
        board.handle(Action::Down, &Lookup::default());
    }
    assert_eq!((board.selected, board.offset), (6, 5));
    let BoardOutcome::Load(_) = board.set_filter("name".to_string()) else {
        panic!("a new filter reloads");
    };
    board.loading(2);
    let matches = vec![
        customer("m1", "M1", "Name a"),
        customer("m2", "M2", "Name b"),
        customer("m3", "M3", "Name c"),
    ];
    arrived(&mut board, 2, page(matches, None));
    assert_eq!(board.selected_id.as_deref(), Some("m1"), "the first match");
    assert_eq!(board.offset, 0, "shown from the first match");

    // The selected record among the matches stays selected, and the rows
    // above it stay in view.
    board.handle(Action::Down, &Lookup::default());
    board.handle(Action::Down, &Lookup::default());
    board.set_filter("nam".to_string());
    board.loading(3);
    let fewer = vec![
        customer("m2", "M2", "Name b"),
        customer("m3", "M3", "Name c"),
    ];
    arrived(&mut board, 3, page(fewer, None));
    assert_eq!(board.selected_id.as_deref(), Some("m3"));
    assert_eq!(board.offset, 0);
}

#[test]
fn selection_stays_on_the_same_record_across_refresh_and_sort() {
    let mut board = board();
    board.loading(1);
    arrived(
        &mut board,
        1,
        page(
            vec![customer("a", "A1", "Zulu"), customer("b", "B1", "Alpha")],
            None,
        ),
    );
    board.handle(Action::Down, &Lookup::default());
    assert_eq!(board.selected_id.as_deref(), Some("b"));
    // A refresh where a new record arrives first keeps "b" selected.
    board.loading(2);
    arrived(
        &mut board,
        2,
        page(
            vec![
                customer("n", "N1", "New"),
                customer("a", "A1", "Zulu"),
                customer("b", "B1", "Alpha"),
            ],
            None,
        ),
    );
    assert_eq!(board.selected_id.as_deref(), Some("b"));
    assert_eq!(board.selected, 2);
    // Sorting by code then name keeps it too.
    board.handle(Action::SortNext, &Lookup::default());
    assert_eq!(board.selected_record().map(record_id), Some("b"));
    board.handle(Action::SortNext, &Lookup::default());
    assert_eq!(board.selected, 0, "Alpha sorts first by name");
    assert_eq!(board.selected_id.as_deref(), Some("b"));
    board.handle(Action::SortReverse, &Lookup::default());
    assert_eq!(board.selected, 2);
}

#[test]
fn filter_typing_reloads_and_escape_clears() {
    let mut board = board();
    board.handle(Action::Filter, &Lookup::default());
    assert!(board.filtering);
    let key = |c| crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
    let BoardOutcome::Load(query) = board.filter_key(&key('f')) else {
        panic!("typing reloads");
    };
    assert_eq!(query.q.as_deref(), Some("f"));
    let esc = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc);
    assert!(matches!(board.filter_key(&esc), BoardOutcome::Load(q) if q.q.is_none()));
    assert!(!board.filtering);
}

#[test]
fn configured_columns_and_sort_apply() {
    let config = BoardConfig {
        columns: vec!["name".into(), "code".into(), "bogus".into()],
        sort: Some("name".into()),
        descending: true,
    };
    let board = Board::new(customers::spec(), Some(&config), 50);
    let keys: Vec<&str> = board.columns().map(|(_, c)| c.key).collect();
    assert_eq!(keys, ["name", "code"]);
    assert_eq!(board.sort, Some((1, true)));
}

#[test]
fn reference_columns_sort_by_their_labels_not_their_ids() {
    let mut lookup = Lookup::default();
    let team = |id: &str, name: &str| {
        json!({"id": id, "name": name})
            .as_object()
            .cloned()
            .expect("an object")
    };
    lookup.learn(
        rapport_shared::Collection::Teams,
        &[team("t1", "Zeta"), team("t2", "Alpha")],
    );
    let mut a = customer("a", "A1", "One");
    a.insert("team_id".into(), json!("t1"));
    let mut b = customer("b", "B1", "Two");
    b.insert("team_id".into(), json!("t2"));
    let config = BoardConfig {
        sort: Some("team".into()),
        ..BoardConfig::default()
    };
    let mut board = Board::new(customers::spec(), Some(&config), 50);
    board.loading(1);
    board.page_arrived(1, page(vec![a, b], None), &lookup);
    assert_eq!(board.selected_record().map(record_id), Some("b"));
}

#[test]
fn an_older_copy_never_replaces_a_newer_one() {
    let mut board = board();
    board.loading(1);
    arrived(
        &mut board,
        1,
        page(vec![customer("c1", "MOF", "Finance")], None),
    );
    let versioned = |version: i64, name: &str| {
        let mut record = customer("c1", "MOF", name);
        record.insert("version".into(), json!(version));
        record
    };
    board.replace(versioned(3, "Finance v3"), &Lookup::default());
    // A fetch of version 2 answering late is dropped, by replace and upsert.
    board.replace(versioned(2, "Finance v2"), &Lookup::default());
    board.upsert(versioned(2, "Finance v2"), &Lookup::default());
    assert_eq!(text(&board.rows[0], "name"), "Finance v3");
    board.replace(versioned(4, "Finance v4"), &Lookup::default());
    assert_eq!(text(&board.rows[0], "name"), "Finance v4");
}

#[test]
fn a_board_opened_on_some_records_pages_until_it_has_them_and_shows_only_them() {
    let mut board = board();
    board.only = Some(vec!["b".to_string(), "e".to_string()]);
    board.loading(1);
    let outcome = arrived(
        &mut board,
        1,
        page(
            vec![customer("a", "A1", "Alpha"), customer("b", "B1", "Beta")],
            Some("next"),
        ),
    );
    assert!(
        matches!(outcome, Some(BoardOutcome::LoadMore(ref q)) if q.cursor.as_deref() == Some("next")),
        "{outcome:?}"
    );
    board.loading_more(2);
    let outcome = arrived(
        &mut board,
        2,
        page(
            vec![customer("e", "E1", "Epsilon"), customer("f", "F1", "Phi")],
            Some("more"),
        ),
    );
    // Both are here: no further page, and the selection's detail loads.
    assert_eq!(outcome, Some(BoardOutcome::Selected(Some("b".to_string()))));
    let shown: Vec<&str> = board
        .order
        .iter()
        .map(|at| text(&board.rows[*at], "code"))
        .collect();
    assert_eq!(shown, ["B1", "E1"]);
}

/// A server of `pages` pages of three customers each, page `n` at cursor `n`.
fn numbered_page(n: usize, pages: usize) -> Result<Page<Record>, String> {
    let items = (0..3)
        .map(|i| {
            let id = format!("r{}", n * 3 + i);
            customer(&id, &id, &id)
        })
        .collect();
    let next = (n + 1 < pages).then(|| (n + 1).to_string());
    page(items, next.as_deref())
}

/// Answers every page the board asks for until it asks for none.
fn follow(board: &mut Board, mut outcome: Option<BoardOutcome>, pages: usize, request: &mut u64) {
    while let Some(BoardOutcome::LoadMore(query)) = outcome {
        *request += 1;
        board.loading_more(*request);
        let n = query.cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        outcome = arrived(board, *request, numbered_page(n, pages));
    }
}

#[test]
fn keeps_a_window_of_pages_and_loads_dropped_ones_again_on_the_way_up() {
    let pages = 40;
    let mut board = board();
    let mut request = 1;
    board.loading(request);
    arrived(&mut board, request, numbered_page(0, pages));
    let outcome = board.handle(Action::Bottom, &Lookup::default());
    follow(&mut board, Some(outcome), pages, &mut request);
    assert_eq!(
        board.selected_id.as_deref(),
        Some("r119"),
        "at the last row"
    );
    assert!(
        board.rows.len() <= WINDOW_PAGES * 3,
        "{} rows kept, a window is {WINDOW_PAGES} pages",
        board.rows.len()
    );
    assert_eq!(board.rows_through(), 120, "the count still says every row");

    // Back up row by row: every dropped page comes back, in order.
    let mut seen = vec![board.selected_id.clone().unwrap_or_default()];
    for _ in 0..119 {
        let outcome = board.handle(Action::Up, &Lookup::default());
        follow(&mut board, Some(outcome), pages, &mut request);
        seen.push(board.selected_id.clone().unwrap_or_default());
    }
    let expected: Vec<String> = (0..120).rev().map(|n| format!("r{n}")).collect();
    assert_eq!(seen, expected);
    assert!(board.rows.len() <= WINDOW_PAGES * 3);
    assert_eq!(board.base, 0);
}

#[test]
fn top_after_the_first_pages_were_dropped_reloads_the_first_page() {
    let pages = 20;
    let mut board = board();
    let mut request = 1;
    board.loading(request);
    arrived(&mut board, request, numbered_page(0, pages));
    let outcome = board.handle(Action::Bottom, &Lookup::default());
    follow(&mut board, Some(outcome), pages, &mut request);
    assert!(board.base > 0);
    let BoardOutcome::Load(query) = board.handle(Action::Top, &Lookup::default()) else {
        panic!("gg reloads the first page");
    };
    assert_eq!(query.cursor, None);
    request += 1;
    board.loading(request);
    arrived(&mut board, request, numbered_page(0, pages));
    assert_eq!(board.selected_id.as_deref(), Some("r0"));
    assert_eq!(board.base, 0);
}

#[test]
fn a_client_sort_keeps_every_loaded_row() {
    let pages = 20;
    let mut board = board();
    board.sort = Some((0, false));
    let mut request = 1;
    board.loading(request);
    arrived(&mut board, request, numbered_page(0, pages));
    let outcome = board.handle(Action::Bottom, &Lookup::default());
    follow(&mut board, Some(outcome), pages, &mut request);
    assert_eq!(board.rows.len(), 60);
    assert_eq!(board.base, 0);
}
