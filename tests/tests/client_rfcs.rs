//! End to end: the RFC triage queue, driven by key events only, against a
//! real server over the seeded demo data. Each step is checked on the
//! server: the RFC's fields, and its history.

use rapport_client::api::rfcs::{RfcAnswer, RfcCall};
use rapport_client::api::{
    ApiClient, ApiError, ListQuery, Record, record_id, record_version, text,
};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_client::screens::rfcs::{Choice, RfcOverlay, rfc_label};
use rapport_shared::Collection;
use rapport_shared::enums::RfcStatus;
use rapport_tests::client::{ClientHarness, Overlay};
use serde_json::json;

async fn rfcs_where(api: &ApiClient, filters: &[(&str, &str)]) -> anyhow::Result<Vec<Record>> {
    let query = ListQuery {
        limit: 500,
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ListQuery::default()
    };
    Ok(api.list(Collection::Rfcs, &query).await?.items)
}

async fn history(api: &ApiClient, id: &str) -> anyhow::Result<Vec<Record>> {
    match api.rfc(RfcCall::History { id: id.to_string() }).await {
        RfcAnswer::Items(items) => Ok(items?),
        other => anyhow::bail!("unexpected answer {other:?}"),
    }
}

/// The staff member the harness's token belongs to.
async fn my_staff_id(api: &ApiClient) -> anyhow::Result<String> {
    api.me()
        .await?
        .staff_id
        .ok_or_else(|| anyhow::anyhow!("the local token has a staff member"))
}

/// The id of a seeded customer, for RFCs created by the tests.
async fn first_customer(api: &ApiClient) -> anyhow::Result<String> {
    let query = ListQuery {
        limit: 1,
        ..ListQuery::default()
    };
    let customers = api.list(Collection::Customers, &query).await?.items;
    customers
        .first()
        .map(|c| record_id(c).to_string())
        .ok_or_else(|| anyhow::anyhow!("seeded"))
}

fn selected(h: &ClientHarness) -> anyhow::Result<String> {
    h.queue()
        .board
        .selected_id
        .clone()
        .ok_or_else(|| anyhow::anyhow!("nothing selected:\n{}", h.screen()))
}

fn summary(h: &ClientHarness) -> anyhow::Result<Vec<String>> {
    match &h.overlay() {
        Some(Overlay::Rfc(RfcOverlay::Summary { lines, .. })) => Ok(lines.clone()),
        _ => anyhow::bail!("no bulk summary on screen:\n{}", h.screen()),
    }
}

/// Presses the digit of `choice` in the open chooser.
async fn choose(h: &mut ClientHarness, choice: Choice) -> anyhow::Result<()> {
    let position = match &h.overlay() {
        Some(Overlay::Rfc(RfcOverlay::Chooser(chooser))) => {
            chooser.choices.iter().position(|c| *c == choice)
        }
        _ => None,
    };
    let position =
        position.ok_or_else(|| anyhow::anyhow!("{choice:?} is not offered:\n{}", h.screen()))?;
    let digit = char::from_digit(position as u32 + 1, 10)
        .ok_or_else(|| anyhow::anyhow!("too many choices"))?;
    h.type_text(&digit.to_string()).await
}

async fn esc(h: &mut ClientHarness) -> anyhow::Result<()> {
    h.key(KeyCode::Esc, KeyModifiers::NONE).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_assign_priority_and_bulk_close_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    let me = my_staff_id(&h.api).await?;
    h.type_text("6").await?;
    let screen = h.screen();
    assert!(screen.contains("Untriaged"), "{screen}");
    let new_before = h
        .api
        .count(Collection::Rfcs, &[("status".into(), "new".into())])
        .await?;
    assert!(
        screen.contains(&format!("Untriaged {new_before}")),
        "live count shown:\n{screen}"
    );

    // Triage the first RFC of the queue in two keys.
    let first = selected(&h)?;
    h.type_text("tc").await?;
    let rfc = h.api.get(Collection::Rfcs, &first).await?;
    assert_eq!(text(&rfc, "status"), "triaged");
    assert_eq!(text(&rfc, "route"), "change_management");
    let steps = history(&h.api, &first).await?;
    assert_eq!(
        steps.last().map(|s| text(s, "to").to_string()),
        Some("triaged".to_string())
    );
    assert!(
        h.screen()
            .contains(&format!("Untriaged {}", new_before - 1)),
        "{}",
        h.screen()
    );

    // The next one: assign to me, then priority critical.
    let second = selected(&h)?;
    assert_ne!(second, first, "the triaged RFC left the Untriaged view");
    h.type_text("a").await?;
    h.type_text("p1").await?;
    let rfc = h.api.get(Collection::Rfcs, &second).await?;
    assert_eq!(text(&rfc, "assignee_id"), me);
    assert_eq!(text(&rfc, "priority"), "critical");

    // All open: a colleague changes one closable RFC, then everything is
    // marked and moved to closed in one step.
    h.type_text("[").await?;
    let board = &h.queue().board;
    let loaded: Vec<Record> = board.order.iter().map(|i| board.rows[*i].clone()).collect();
    let closable: Vec<&Record> = loaded
        .iter()
        .filter(|r| {
            ["implemented", "rejected", "agreement_updated", "declined"]
                .contains(&text(r, "status"))
        })
        .collect();
    assert!(closable.len() >= 2, "the demo data has RFCs ready to close");
    let stale = closable[0];
    let mut patch = serde_json::Map::new();
    patch.insert("impact".into(), json!("changed meanwhile"));
    h.api
        .update(
            Collection::Rfcs,
            record_id(stale),
            record_version(stale),
            &patch,
        )
        .await?;

    h.type_text("*m").await?;
    choose(&mut h, Choice::Status(RfcStatus::Closed)).await?;
    // Enter leaves the optional note empty; a final move then asks
    // first, naming how many RFCs; Enter does not answer.
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let asked = match &h.overlay() {
        Some(Overlay::Confirm(confirm)) => confirm.question.clone(),
        _ => anyhow::bail!("no question before closing:\n{}", h.screen()),
    };
    assert!(
        asked.contains(&format!("Move {} RFCs to closed", loaded.len())),
        "{asked}"
    );
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert!(matches!(h.overlay(), Some(Overlay::Confirm(_))));
    h.type_text("y").await?;
    let lines = summary(&h)?;
    let refused = loaded.len() - closable.len() + 1;
    assert_eq!(
        lines[0],
        format!(
            "Move to closed: {} done, {refused} refused",
            closable.len() - 1
        ),
        "{lines:#?}"
    );
    let stale_line = lines.iter().find(|l| l.contains(&rfc_label(stale)));
    assert!(
        stale_line.is_some_and(|l| l.starts_with("refused") && l.contains("changed on the server")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("cannot go from new to closed")),
        "{lines:#?}"
    );
    for rfc in &closable[1..] {
        let now = h.api.get(Collection::Rfcs, record_id(rfc)).await?;
        assert_eq!(text(&now, "status"), "closed", "{}", text(rfc, "title"));
        let steps = history(&h.api, record_id(rfc)).await?;
        assert_eq!(
            steps.last().map(|s| text(s, "to").to_string()),
            Some("closed".to_string())
        );
    }
    // The server refuses what the client never offers: a closed RFC moving on.
    let closed = h.api.get(Collection::Rfcs, record_id(closable[1])).await?;
    let illegal = RfcCall::Transition {
        id: record_id(&closed).to_string(),
        version: record_version(&closed),
        to: RfcStatus::Assessing,
        route: None,
        note: None,
    };
    match h.api.rfc(illegal).await {
        RfcAnswer::Record(Err(ApiError::Problem(problem))) => assert_eq!(problem.status, 409),
        other => anyhow::bail!("expected a 409, got {other:?}"),
    }
    let untouched = h.api.get(Collection::Rfcs, record_id(stale)).await?;
    assert_ne!(
        text(&untouched, "status"),
        "closed",
        "a stale RFC is refused, not overwritten"
    );

    // Every mark stays (the refused ones for another try) until the user
    // drops them; Esc closes the summary, then drops the marks.
    assert_eq!(h.queue().queue.marks.len(), loaded.len());
    esc(&mut h).await?;
    esc(&mut h).await?;
    assert!(h.queue().queue.marks.is_empty());
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_of_fifty_new_rfcs_is_cleared_without_leaving_the_board() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;
    let me = my_staff_id(&h.api).await?;
    let customer = first_customer(&h.api).await?;
    let already = rfcs_where(&h.api, &[("status", "new")]).await?.len();
    for n in already..50 {
        let mut body = serde_json::Map::new();
        body.insert("customer_id".into(), json!(customer));
        body.insert("title".into(), json!(format!("Queued request {n}")));
        h.api
            .create(Collection::Rfcs, &body, &format!("queue-{n}"))
            .await?;
    }
    assert_eq!(rfcs_where(&h.api, &[("status", "new")]).await?.len(), 50);

    h.type_text("6").await?;
    assert!(h.screen().contains("Untriaged 50"), "{}", h.screen());
    // Mark all once; assign them to me, set them to high and triage them to
    // change management: each step reports in the status line, no box to
    // dismiss, and the marks stay for the next step (six keys for fifty).
    h.type_text("*a").await?;
    // The demo's own new RFCs held by colleagues are asked about first.
    let held = rfcs_where(&h.api, &[("status", "new")])
        .await?
        .iter()
        .filter(|r| !text(r, "assignee_id").is_empty() && text(r, "assignee_id") != me)
        .count();
    if held > 0 {
        let Some(Overlay::Confirm(confirm)) = h.overlay() else {
            anyhow::bail!("asked before taking {held} RFCs: {}", h.screen());
        };
        assert!(
            confirm.question.contains("Assign all 50 to you?"),
            "{}",
            confirm.question
        );
        h.type_text("y").await?;
    }
    assert!(h.overlay().is_none(), "{}", h.screen());
    assert!(
        h.screen()
            .contains("Assign to me: 50 done, 0 refused (R: details)"),
        "{}",
        h.screen()
    );
    h.type_text("p2").await?;
    assert!(
        h.screen()
            .contains("Priority high: 50 done, 0 refused (R: details)"),
        "{}",
        h.screen()
    );
    h.type_text("tc").await?;
    // `R` shows the last step's summary.
    h.type_text("R").await?;
    assert_eq!(
        summary(&h)?[0],
        "Triage to change management: 50 done, 0 refused"
    );
    esc(&mut h).await?;
    esc(&mut h).await?;
    assert!(h.queue().queue.marks.is_empty(), "Esc drops the marks");

    assert!(rfcs_where(&h.api, &[("status", "new")]).await?.is_empty());
    assert!(h.screen().contains("Untriaged 0"), "{}", h.screen());
    let mine = rfcs_where(
        &h.api,
        &[
            ("assignee_id", me.as_str()),
            ("status", "triaged"),
            ("priority", "high"),
        ],
    )
    .await?;
    assert!(mine.len() >= 50, "{}", mine.len());
    for rfc in mine.iter().take(5) {
        let steps = history(&h.api, record_id(rfc)).await?;
        assert!(
            steps
                .iter()
                .any(|s| text(s, "to") == "triaged" && text(s, "route") == "change_management")
        );
    }
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_triage_keys_lands_every_step() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;
    let me = my_staff_id(&h.api).await?;
    let customer = first_customer(&h.api).await?;
    let mut body = serde_json::Map::new();
    body.insert("customer_id".into(), json!(customer));
    body.insert("title".into(), json!("Typed ahead"));
    body.insert("priority".into(), json!("critical"));
    let created = h.api.create(Collection::Rfcs, &body, "burst-1").await?;
    let id = record_id(&created).to_string();

    // Select it by its short id, then triage it in one burst: assign to
    // me, priority 4 (low), triage to change management. No key waits for
    // an answer before the next is sent.
    h.type_text("6").await?;
    h.type_text(&format!(":rfc {}", &id[id.len() - 6..]))
        .await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(selected(&h)?, id, "{}", h.screen());
    h.burst("ap4tc").await?;

    let rfc = h.api.get(Collection::Rfcs, &id).await?;
    assert_eq!(text(&rfc, "assignee_id"), me, "assigned");
    assert_eq!(
        text(&rfc, "priority"),
        "low",
        "priority set after the assignment"
    );
    assert_eq!(
        text(&rfc, "status"),
        "triaged",
        "triaged after the priority"
    );
    assert_eq!(text(&rfc, "route"), "change_management");
    assert_eq!(record_version(&rfc), record_version(&created) + 3);
    let steps = history(&h.api, &id).await?;
    assert!(
        steps
            .iter()
            .any(|s| text(s, "to") == "triaged" && text(s, "route") == "change_management")
    );
    assert!(h.runtime.app.typed_ahead.is_empty());
    assert!(h.overlay().is_none(), "no editor or chooser left open");
    h.shutdown().await;
    Ok(())
}

/// A closed RFC, outside every open view, is reached from any screen by
/// its short id in eight keystrokes (`:`, six characters, Enter).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_rfc_is_reached_by_its_short_id() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(80, 24).await?;
    let closed = rfcs_where(&h.api, &[("status", "closed")]).await?;
    let rfc = closed
        .last()
        .ok_or_else(|| anyhow::anyhow!("the demo has closed RFCs"))?
        .clone();
    let id = record_id(&rfc).to_string();
    let short = &id[id.len() - 6..];
    h.type_text("1").await?;
    h.burst(&format!(":{short}")).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(h.queue().board.selected_id.as_deref(), Some(id.as_str()));
    let screen = h.screen();
    assert!(screen.contains(short), "{screen}");
    assert!(screen.contains("All "), "{screen}");
    h.shutdown().await;
    Ok(())
}

/// `a` on a colleague's RFC asks first; `A` hands it to anyone by a few
/// letters of their name, asking again since it is now the user's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_an_rfc_from_a_colleague_is_asked_and_assign_to_picks_by_name() -> anyhow::Result<()>
{
    let mut h = ClientHarness::start(120, 40).await?;
    let me = my_staff_id(&h.api).await?;
    let query = ListQuery {
        limit: 500,
        ..ListQuery::default()
    };
    let staff = h.api.list(Collection::Staff, &query).await?.items;
    let colleague = staff
        .iter()
        .find(|s| record_id(s) != me && s.get("active") == Some(&json!(true)))
        .ok_or_else(|| anyhow::anyhow!("the demo has colleagues"))?
        .clone();
    let colleague_id = record_id(&colleague).to_string();
    let colleague_name = text(&colleague, "name").to_string();
    let customer = first_customer(&h.api).await?;
    let mut body = serde_json::Map::new();
    body.insert("customer_id".into(), json!(customer));
    body.insert("title".into(), json!("Held by a colleague"));
    body.insert("assignee_id".into(), json!(colleague_id));
    let created = h.api.create(Collection::Rfcs, &body, "take-1").await?;
    let id = record_id(&created).to_string();

    h.type_text("6").await?;
    h.type_text(&format!(":{}", &id[id.len() - 6..])).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert_eq!(selected(&h)?, id, "{}", h.screen());
    h.type_text("a").await?;
    let Some(Overlay::Confirm(confirm)) = h.overlay() else {
        anyhow::bail!("a question first: {}", h.screen());
    };
    assert!(
        confirm.question.contains(&colleague_name),
        "{}",
        confirm.question
    );
    let rfc = h.api.get(Collection::Rfcs, &id).await?;
    assert_eq!(text(&rfc, "assignee_id"), colleague_id, "not taken yet");
    h.type_text("y").await?;
    let rfc = h.api.get(Collection::Rfcs, &id).await?;
    assert_eq!(text(&rfc, "assignee_id"), me, "taken after yes");

    // Back to the colleague by the first letters of their first name.
    let first: String = colleague_name.chars().take(4).collect();
    h.type_text("A").await?;
    h.type_text(&first).await?;
    let Some(Overlay::Rfc(RfcOverlay::Chooser(chooser))) = h.overlay() else {
        anyhow::bail!("the assignee chooser: {}", h.screen());
    };
    let staff = &h.queue().queue.staff;
    let offered: Vec<&str> = chooser
        .choices
        .iter()
        .filter_map(|c| match c {
            Choice::Assignee(i) => staff.get(*i).map(|(id, _)| id.as_str()),
            _ => None,
        })
        .collect();
    assert!(offered.contains(&colleague_id.as_str()), "{offered:?}");
    let position = offered
        .iter()
        .position(|o| *o == colleague_id)
        .unwrap_or_default();
    h.type_text(&(position + 1).to_string()).await?;
    // It is the user's now, so handing it on is not asked.
    let rfc = h.api.get(Collection::Rfcs, &id).await?;
    assert_eq!(text(&rfc, "assignee_id"), colleague_id, "{}", h.screen());
    h.shutdown().await;
    Ok(())
}
