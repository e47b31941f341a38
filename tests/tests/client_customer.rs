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

/// The budget section against the demo's year of charges: planned against
/// charged per service as the server computes it, Enter drills into a
/// service's months and into a month's usage lines, Esc goes back up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_drills_down_from_services_to_usage_lines() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    h.type_text("1").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
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
    let customer = customers
        .iter()
        .find(|c| screen.contains(&format!(" {} {}", text(c, "code"), text(c, "name"))))
        .map(|c| record_id(c).to_string())
        .ok_or_else(|| anyhow::anyhow!("a customer is open: {screen}"))?;
    let year = jiff::Zoned::now().year();
    let view = match h
        .api
        .view(&rapport_client::api::views::ViewCall::Budget {
            customer_id: customer.clone(),
            year: i32::from(year),
        })
        .await
    {
        Ok(view) => view,
        Err(error) => anyhow::bail!("the budget view: {error}"),
    };
    let services = view["services"].as_array().cloned().unwrap_or_default();
    let first = services
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo customer has a budget: {view}"))?;
    let service_id = first["service_id"].as_str().unwrap_or_default().to_string();
    let service = h.api.get(Collection::Services, &service_id).await?;
    let name = text(&service, "name").to_string();

    h.type_text("b").await?;
    let screen = h.screen();
    assert!(screen.contains(&format!("Budget {year}")), "{screen}");
    assert!(screen.contains(&name), "{name} in {screen}");
    // Enter: the first service's months, one row per charged month.
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(
        screen.contains(&format!("Budget {year} › {name}: monthly charges")),
        "{screen}"
    );
    let months = first["months"].as_object().cloned().unwrap_or_default();
    let (month, _) = months
        .iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("charged months: {first}"))?;
    for month in months.keys() {
        assert!(screen.contains(month.as_str()), "{month} in {screen}");
    }
    // Enter: that month's usage lines, as recorded.
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(
        screen.contains(&format!("Budget {year} › {name} › {month}: usage lines")),
        "{screen}"
    );
    let query = rapport_client::api::ListQuery {
        limit: 500,
        filters: vec![
            ("customer_id".to_string(), customer.clone()),
            ("service_id".to_string(), service_id.clone()),
            ("month".to_string(), month.clone()),
        ],
        ..Default::default()
    };
    let lines = h.api.list(Collection::Usage, &query).await?.items;
    assert!(!lines.is_empty());
    for line in &lines {
        let quantity = line.get("quantity").and_then(|q| q.as_i64()).unwrap_or(-1);
        assert!(
            screen.contains(&format!("{quantity} × ")),
            "{quantity} in {screen}"
        );
    }
    // Esc twice: back to the services.
    h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(!screen.contains("monthly charges"), "{screen}");
    assert!(screen.contains(&name), "{screen}");
    h.shutdown().await;
    Ok(())
}
