//! End to end: the week ahead (`:week`) of the demo's operator, whose
//! token is linked to a staff member (made a service owner of Team Atlas,
//! with a meeting tomorrow): the days the server gives with their items,
//! and the customers whose health differs from what was last seen (a
//! `health-seen.json` of another state for each), which the screen then
//! keeps as now shown.

use std::collections::BTreeMap;

use rapport_client::api::text;
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_client::screens::ScreenId;
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_week_ahead_shows_the_days_and_the_health_changed() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    let (_, week) = h
        .call(reqwest::Method::GET, "/api/v1/week-ahead?days=7", None)
        .await?;
    let operator = week["staff_id"].as_str().unwrap_or_default().to_string();
    let me = h.api.get(Collection::Staff, &operator).await?;
    let roles = json!({"job_roles": ["service_desk", "service_owner"]});
    let roles = roles.as_object().cloned().unwrap_or_default();
    let version = me["version"].as_i64().unwrap_or_default();
    h.api
        .update(Collection::Staff, &operator, version, &roles)
        .await?;
    let teams = h.find(Collection::Teams, "Atlas").await?;
    let team = teams.first().ok_or_else(|| anyhow::anyhow!("Team Atlas"))?;
    let mut owners = team["service_owner_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    owners.push(json!(operator));
    let patch = json!({"service_owner_ids": owners});
    let version = team["version"].as_i64().unwrap_or_default();
    let patch = patch.as_object().cloned().unwrap_or_default();
    h.api
        .update(Collection::Teams, text(team, "id"), version, &patch)
        .await?;
    let finance = h.find(Collection::Customers, "Finance").await?;
    let customer = finance.first().ok_or_else(|| anyhow::anyhow!("MOF"))?;
    let tomorrow = jiff::Zoned::now().date().tomorrow()?;
    let meeting = json!({
        "kind": "follow_up", "customer_id": text(customer, "id"),
        "starts_at": format!("{tomorrow}T10:00:00Z"), "title": "Capacity check-in",
        "attendee_staff_ids": [operator],
    });
    let meeting = meeting.as_object().cloned().unwrap_or_default();
    h.api
        .create(Collection::Meetings, &meeting, "week-meeting")
        .await?;

    let (status, week) = h
        .call(reqwest::Method::GET, "/api/v1/week-ahead?days=7", None)
        .await?;
    assert_eq!(status, 200, "{week}");

    // Every customer was last seen in another state than today's.
    let dir = tempfile::tempdir()?;
    let seen_file = dir.path().join("health-seen.json");
    let customers: Vec<(String, String)> = week["customers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let word = |f: &str| c[f].as_str().unwrap_or_default().to_string();
            (word("customer_id"), word("state"))
        })
        .collect();
    assert!(
        !customers.is_empty(),
        "the operator's teams have customers: {week}"
    );
    let before: BTreeMap<&str, &str> = customers
        .iter()
        .map(|(id, state)| (id.as_str(), if state == "good" { "act" } else { "good" }))
        .collect();
    std::fs::write(&seen_file, serde_json::to_string(&before)?)?;
    h.runtime.seen_file = Some(seen_file.clone());

    h.type_text(":week").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    let from = week["from"].as_str().unwrap_or_default();
    assert!(screen.contains(&format!("Week ahead, {from}")), "{screen}");
    // Each day's items, by their titles (as far as they fit).
    let titles: Vec<String> = week["days"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["items"].as_array().cloned().unwrap_or_default())
        .filter_map(|item| item["title"].as_str().map(|t| t.chars().take(30).collect()))
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Capacity check-in")),
        "{week}"
    );
    for title in titles.iter().take(10) {
        assert!(screen.contains(title.as_str()), "{title:?} in {screen}");
    }
    assert!(
        screen.contains("Health changed since you last looked"),
        "{screen}"
    );
    assert!(screen.contains(" -> "), "{screen}");

    // What was shown is kept for the next look, in the command line's format.
    let kept: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(&seen_file)?)?;
    for (id, state) in &customers {
        assert_eq!(kept.get(id), Some(state), "{kept:?}");
    }

    // Enter on the first item opens its records on another screen.
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_ne!(h.runtime.app.tab, ScreenId::Week, "{}", h.screen());
    h.shutdown().await;
    Ok(())
}
