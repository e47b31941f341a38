//! End to end: the customer screen against a real server. Enter on a
//! customer opens it with its agreement (and the attainment asked of the
//! server), and an activity planned from its plan section belongs to the
//! customer and shows in the timeline.

use rapport_client::api::{record_id, text};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_screen_shows_agreements_and_plans_for_the_customer() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    h.type_text("1").await?;
    let first = h.screen();
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Overview Contacts Agreements"), "{screen}");
    // The customer opened is the first of the board.
    let customers = h
        .api
        .list(
            Collection::Customers,
            &rapport_client::api::ListQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let opened = customers
        .iter()
        .find(|c| screen.contains(text(c, "name")) && first.contains(text(c, "name")))
        .ok_or_else(|| anyhow::anyhow!("the opened customer is drawn: {screen}"))?
        .clone();

    // An agreement made elsewhere shows after the change feed reloads it.
    let agreement = json!({"customer_id": record_id(&opened), "title": "Hosting SLA e2e",
        "levels": [{"metric": "availability", "target": 99.9, "unit": "%", "better": "higher"}]});
    let body = agreement.as_object().cloned().unwrap_or_default();
    h.api
        .create(Collection::Agreements, &body, "e2e-agreement")
        .await?;
    h.type_text("a").await?;
    h.key(KeyCode::Char('r'), KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Hosting SLA e2e"), "{screen}");
    assert!(screen.contains("availability ≥ 99.9 %"), "{screen}");

    // An activity planned from the plan section belongs to the customer.
    h.type_text("p").await?;
    h.type_text("n").await?;
    h.type_text("Plan the data centre exit").await?;
    h.ctrl('s').await?;
    let found = h.find(Collection::Activities, "data centre exit").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "customer_id"), record_id(&opened));
    h.key(KeyCode::Char('r'), KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Plan the data centre exit"), "{screen}");
    assert!(screen.contains("no date"), "{screen}");
    h.shutdown().await;
    Ok(())
}

/// An agreement's levels are edited from the keyboard, one per line, and
/// reach the server as levels (a new one with the default `better`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agreements_levels_are_edited_on_the_customer_screen() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    h.type_text("1").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let customers = h
        .api
        .list(
            Collection::Customers,
            &rapport_client::api::ListQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let screen = h.screen();
    let opened = customers
        .iter()
        .find(|c| screen.contains(text(c, "name")))
        .ok_or_else(|| anyhow::anyhow!("the opened customer is drawn: {screen}"))?
        .clone();
    let agreement = json!({"customer_id": record_id(&opened), "title": "Levels SLA e2e",
        "levels": [{"metric": "availability", "target": 99.9, "unit": "%", "better": "higher"}]});
    let body = agreement.as_object().cloned().unwrap_or_default();
    let created = h
        .api
        .create(Collection::Agreements, &body, "e2e-levels")
        .await?;
    h.type_text("a").await?;
    h.key(KeyCode::Char('r'), KeyModifiers::NONE).await?;
    // The demo's own agreement comes first.
    h.key(KeyCode::Down, KeyModifiers::NONE).await?;
    h.type_text("e").await?;
    let screen = h.screen();
    assert!(screen.contains("Levels SLA e2e"), "{screen}");
    // Title, customer, services, three dates, status, then the levels.
    for _ in 0..7 {
        h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    }
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("incident response | 4 | hours | lower").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("first response | 30 | min").await?;
    h.ctrl('s').await?;
    let stored = h
        .api
        .get(Collection::Agreements, record_id(&created))
        .await?;
    assert_eq!(
        stored.get("levels"),
        Some(&json!([
            {"metric": "availability", "target": 99.9, "unit": "%", "better": "higher"},
            {"metric": "incident response", "target": 4, "unit": "hours", "better": "lower"},
            {"metric": "first response", "target": 30, "unit": "min", "better": "higher"}
        ])),
        "{}",
        h.screen()
    );
    h.shutdown().await;
    Ok(())
}
