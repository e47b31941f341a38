//! End to end: the Meetings screen on the demo, reached from the palette.
//! The two boards keep the kinds apart; a follow-up planned from the
//! keyboard gets its agenda from the customer's records (`P`), an agenda
//! item opens the records it came from, and an action added in place is
//! ticked; each step is checked on the server.

use rapport_client::api::{Record, text};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_client::screens::ScreenId;
use rapport_client::screens::customer::{CustomerScreen, Section};
use rapport_client::screens::meetings::{MeetingsScreen, Mode};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;
use serde_json::Value;

const TITLE: &str = "Delivery review from the keyboard";

async fn the_meeting(h: &ClientHarness) -> anyhow::Result<Record> {
    let found = h.find(Collection::Meetings, TITLE).await?;
    anyhow::ensure!(found.len() == 1, "{found:?}\n{}", h.screen());
    Ok(found[0].clone())
}

fn meetings(h: &ClientHarness) -> &MeetingsScreen {
    h.runtime
        .app
        .screens
        .typed(ScreenId::Meetings)
        .expect("the meetings screen is registered")
}

fn list(meeting: &Record, field: &str) -> Vec<Value> {
    meeting
        .get(field)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_is_planned_filled_opened_and_its_action_ticked() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;

    // `:meetings`: the demo's meetings on two boards.
    h.type_text(":meetings").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Forward-looking ("), "{screen}");
    assert!(screen.contains("Follow-up ("), "{screen}");
    assert!(screen.contains("Monthly delivery review"), "{screen}");
    assert!(screen.contains("Ideas workshop"), "{screen}");

    // Plan a follow-up with the Ministry of Finance: the form starts on
    // the focused board's kind, tomorrow at ten.
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("n").await?;
    h.type_text("Finance").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    for _ in 0..3 {
        h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    }
    h.type_text(TITLE).await?;
    h.ctrl('s').await?;
    let meeting = the_meeting(&h).await?;
    assert_eq!(text(&meeting, "kind"), "follow_up");
    let customer = text(&meeting, "customer_id").to_string();
    let mof = h.find(Collection::Customers, "MOF").await?;
    assert_eq!(
        mof.first().map(|c| text(c, "id")),
        Some(customer.as_str()),
        "{}",
        h.screen()
    );
    assert!(list(&meeting, "agenda").is_empty());

    // `/` finds it on its board; `P` fills its agenda from the records.
    h.type_text("/keyboard").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert!(h.screen().contains(TITLE), "{}", h.screen());
    h.type_text("P").await?;
    let meeting = the_meeting(&h).await?;
    let agenda = list(&meeting, "agenda");
    let titles: Vec<&str> = agenda
        .iter()
        .filter_map(|item| item.get("title").and_then(Value::as_str))
        .collect();
    assert!(titles.contains(&"RFCs opened and closed"), "{titles:?}");
    assert!(titles.contains(&"Satisfaction"), "{titles:?}");
    assert!(titles.contains(&"Budget"), "{titles:?}");
    assert!(
        !titles.contains(&"Open improvements"),
        "no forward-looking item: {titles:?}"
    );
    assert!(
        h.screen().contains(&strings_filled(agenda.len())),
        "{}",
        h.screen()
    );

    // Enter opens the meeting; Enter on its first item, the period's RFCs,
    // shows the queue on exactly those (when there were any).
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(meetings(&h).mode, Mode::Meeting);
    assert!(
        h.screen().contains("RFCs opened and closed"),
        "{}",
        h.screen()
    );
    let rfcs: Vec<String> = agenda[0]["source"]["ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_string))
        .collect();
    if !rfcs.is_empty() {
        h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
        assert_eq!(h.runtime.app.tab, ScreenId::Rfcs, "{}", h.screen());
        let queue = h.queue();
        assert_eq!(queue.board.only.as_ref(), Some(&rfcs));
        assert_eq!(queue.board.order.len(), rfcs.len(), "{}", h.screen());
        assert!(
            h.screen().contains("[the agenda item's records]"),
            "{}",
            h.screen()
        );
        h.type_text(":meetings").await?;
        h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    }

    // Enter on the service levels opens the customer's agreements.
    let levels = titles
        .iter()
        .position(|t| t.starts_with("Service levels"))
        .expect("a service levels item");
    for _ in 0..levels {
        h.type_text("j").await?;
    }
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(h.runtime.app.tab, ScreenId::Customer, "{}", h.screen());
    let shown: &CustomerScreen = h
        .runtime
        .app
        .screens
        .typed(ScreenId::Customer)
        .expect("the customer screen");
    assert_eq!(shown.state.customer_id.as_deref(), Some(customer.as_str()));
    assert_eq!(shown.state.section, Section::Agreements);

    // Back on the meeting: an action added in place, then ticked.
    h.type_text(":meetings").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(meetings(&h).mode, Mode::Meeting);
    for _ in 0..3 {
        h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    }
    h.type_text("a").await?;
    h.type_text("Send the availability figures").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Right, KeyModifiers::NONE).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let meeting = the_meeting(&h).await?;
    let actions = list(&meeting, "actions");
    assert_eq!(actions.len(), 1, "{}", h.screen());
    assert_eq!(actions[0]["text"], "Send the availability figures");
    assert_eq!(actions[0]["done"], false);
    assert!(actions[0]["owner_id"].is_string(), "{actions:?}");
    h.type_text("x").await?;
    let meeting = the_meeting(&h).await?;
    let actions = list(&meeting, "actions");
    assert_eq!(actions[0]["done"], true, "{}", h.screen());
    assert_eq!(
        list(&meeting, "agenda").len(),
        agenda.len(),
        "the agenda kept"
    );
    assert!(
        h.screen().contains("[x] Send the availability figures"),
        "{}",
        h.screen()
    );
    h.shutdown().await;
    Ok(())
}

/// What the status line says once an agenda of `items` is filled.
fn strings_filled(items: usize) -> String {
    rapport_client::strings::agenda_filled(items)
}
