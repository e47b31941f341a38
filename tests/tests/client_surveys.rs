//! End to end: the Surveys screen, reached by name from the palette (the
//! tenth screen has no number key), with a survey written from the
//! keyboard, its questions typed one per line, checked on the server and
//! shown on the board; a customer's satisfaction, from responses posted
//! over HTTP, drawn on the customer screen with its figures; and a
//! response received by phone recorded from the keyboard, counted by the
//! server and shown in the results and on the board.

use rapport_client::api::{record_id, text};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn surveys_are_listed_and_written_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 40).await?;
    let before = h
        .api
        .list(
            Collection::Surveys,
            &rapport_client::api::ListQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .await?
        .items
        .len();
    let count = |n: usize| {
        if n == 1 {
            "Surveys (1 row)".to_string()
        } else {
            format!("Surveys ({n} rows)")
        }
    };
    h.type_text(":surveys").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains(&count(before)), "{screen}");

    // A new survey: title, (status stays draft), period, (no audience yet),
    // two questions, one per line.
    h.type_text("n").await?;
    h.type_text("Spring pulse").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("2026-04-01").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("2026-06-30").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("q1 | How happy are you? | scale5").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("q2 | Would you recommend us? | nps").await?;
    h.ctrl('s').await?;

    let found = h.find(Collection::Surveys, "Spring pulse").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "status"), "draft");
    assert_eq!(text(&found[0], "period_start"), "2026-04-01");
    assert_eq!(text(&found[0], "period_end"), "2026-06-30");
    assert_eq!(
        found[0].get("questions"),
        Some(&json!([
            {"id": "q1", "text": "How happy are you?", "kind": "scale5"},
            {"id": "q2", "text": "Would you recommend us?", "kind": "nps"},
        ]))
    );
    let screen = h.screen();
    assert!(screen.contains(&count(before + 1)), "{screen}");
    assert!(screen.contains("Spring pulse"), "{screen}");
    assert!(
        screen.contains("2026-04-01 \u{2013} 2026-06-30"),
        "{screen}"
    );
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_screen_shows_the_satisfaction_from_responses() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    h.type_text("1").await?;
    let first = h.screen();
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
    let opened = customers
        .iter()
        .find(|c| screen.contains(text(c, "name")) && first.contains(text(c, "name")))
        .ok_or_else(|| anyhow::anyhow!("the opened customer is drawn: {screen}"))?
        .clone();
    let customer_id = record_id(&opened).to_string();
    let contacts = h
        .api
        .list(
            Collection::Contacts,
            &rapport_client::api::ListQuery {
                limit: 10,
                filters: vec![("customer_id".to_string(), customer_id.clone())],
                ..Default::default()
            },
        )
        .await?
        .items;
    let contact = contacts
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo customer has contacts"))?;

    // An open survey of the customer, answered once over HTTP: 4 of 5 and
    // a 10 (a promoter).
    // Its period ends after every demo round's, so it is the latest.
    let today = jiff::Zoned::now().date();
    let month_on = today
        .checked_add(jiff::Span::new().days(30))
        .unwrap_or(today);
    let survey = json!({"title": "Phone pulse e2e", "status": "open",
        "period_start": today.to_string(), "period_end": month_on.to_string(),
        "customer_ids": [customer_id],
        "questions": [{"id": "q1", "text": "Happy?", "kind": "scale5"},
                      {"id": "q2", "text": "Recommend?", "kind": "nps"}]});
    let body = survey.as_object().cloned().unwrap_or_default();
    let survey = h
        .api
        .create(Collection::Surveys, &body, "e2e-survey")
        .await?;
    let answer = json!({"contact_id": record_id(contact), "answers": {"q1": 4, "q2": 10}});
    let path = format!("/api/v1/surveys/{}/responses", record_id(&survey));
    let (status, reply) = h.call(reqwest::Method::POST, &path, Some(&answer)).await?;
    assert_eq!(status, 201, "{reply}");

    // The customer screen reloads (`r`) and draws the trend and figures.
    h.key(KeyCode::Char('r'), KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Satisfaction:"), "{screen}");
    // (The line wraps at the survey's title in the overview's width.)
    assert!(screen.contains("latest mean 4.00 NPS 100.00"), "{screen}");
    h.shutdown().await;
    Ok(())
}

/// Enter on a demo survey shows its results: the Ministry of Health,
/// unhappiest in the latest round, heads the customers; `I` on a comment
/// opens an improvement form filled in from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_surveys_results_show_the_unhappiest_customer_first() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    h.type_text(":surveys").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    // The latest round (the open one) is the last row.
    h.type_text("G").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Customers, worst first"), "{screen}");
    let worst = screen
        .lines()
        .skip_while(|l| !l.contains("Customers, worst first"))
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(worst.contains("MOH"), "the worst first: {worst}\n{screen}");
    assert!(screen.contains("NPS"), "{screen}");
    assert!(screen.contains("Comments ("), "{screen}");
    h.type_text("I").await?;
    let form = h
        .runtime
        .app
        .form
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the improvement form opens: {}", h.screen()))?;
    assert_eq!(form.collection, Collection::Improvements);
    assert_eq!(form.object().get("source"), Some(&json!("survey")));
    h.shutdown().await;
    Ok(())
}

/// A response received by phone, recorded from the keyboard at 80x24: `R`
/// on a survey's results opens a form whose contact lookup offers only
/// the audience's contacts; once saved the server counts it and the
/// results and the board's Answered column show it; a second response
/// from the same contact is refused on the contact field with nothing
/// typed lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_received_by_phone_is_recorded_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(80, 24).await?;
    let all = |limit| rapport_client::api::ListQuery {
        limit,
        ..Default::default()
    };
    let contacts = h.api.list(Collection::Contacts, &all(500)).await?.items;
    let customer_of =
        |contact: &rapport_client::api::Record| text(contact, "customer_id").to_string();
    let asked = customer_of(
        contacts
            .first()
            .ok_or_else(|| anyhow::anyhow!("the demo has contacts"))?,
    );
    let invited: Vec<_> = contacts
        .iter()
        .filter(|c| customer_of(c) == asked)
        .collect();
    let outsider = contacts
        .iter()
        .find(|c| customer_of(c) != asked)
        .ok_or_else(|| anyhow::anyhow!("the demo has contacts of two customers"))?;
    let caller = invited[0];
    let survey = json!({"title": "Phoned-in round e2e", "status": "open",
        "customer_ids": [asked],
        "questions": [{"id": "q1", "text": "How happy are you?", "kind": "scale5"},
                      {"id": "q2", "text": "Would you recommend us?", "kind": "nps"},
                      {"id": "q3", "text": "Anything else?", "kind": "text"}]});
    let survey = h
        .api
        .create(
            Collection::Surveys,
            &survey.as_object().cloned().unwrap_or_default(),
            "e2e-phoned-in",
        )
        .await?;
    let results_path = format!("/api/v1/surveys/{}/results", record_id(&survey));
    let n = invited.len();

    // The board, narrowed to the survey, then its results.
    h.type_text(":surveys").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("/Phoned-in").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let board = h.screen();
    assert!(board.contains(&format!("0/{n} 0%")), "{board}");
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let before = h.screen();
    assert!(
        before.contains(&format!("responses 0 of {n} invited")),
        "{before}"
    );

    // R: the contact lookup does not offer a contact outside the audience.
    h.type_text("R").await?;
    let offered = |h: &ClientHarness| -> Vec<String> {
        h.runtime
            .app
            .form
            .as_ref()
            .and_then(|form| form.fields.first())
            .and_then(|field| field.value.picker())
            .map(|picker| picker.results.iter().map(|(id, _)| id.clone()).collect())
            .unwrap_or_default()
    };
    h.type_text(text(outsider, "name")).await?;
    assert!(
        !offered(&h).contains(&record_id(outsider).to_string()),
        "{}",
        h.screen()
    );
    for _ in text(outsider, "name").chars() {
        h.key(KeyCode::Backspace, KeyModifiers::NONE).await?;
    }
    h.type_text(text(caller, "name")).await?;
    assert!(
        offered(&h).contains(&record_id(caller).to_string()),
        "{}",
        h.screen()
    );
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("4").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("9").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Phoned in: all good").await?;
    h.ctrl('s').await?;
    assert!(h.runtime.app.form.is_none(), "saved: {}", h.screen());

    // The server counts it, and the results say so.
    let (status, results) = h.call(reqwest::Method::GET, &results_path, None).await?;
    assert_eq!(status, 200, "{results}");
    assert_eq!(results["responses"], 1, "{results}");
    assert_eq!(results["questions"][0]["mean"], 4.0, "{results}");
    let after = h.screen();
    assert!(
        after.contains(&format!("responses 1 of {n} invited")),
        "{after}"
    );

    // The same caller again: refused on the contact, the answers kept.
    h.type_text("R").await?;
    h.type_text(text(caller, "name")).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("2").await?;
    h.ctrl('s').await?;
    let form = h
        .runtime
        .app
        .form
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the form stays open: {}", h.screen()))?;
    assert_eq!(
        form.errors.get("contact_id").map(String::as_str),
        Some("has already responded to this survey"),
        "{}",
        h.screen()
    );
    assert_eq!(form.object().get("answers.q1"), Some(&json!(2)));
    assert!(
        h.screen().contains("has already responded"),
        "{}",
        h.screen()
    );
    h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    h.type_text("y").await?;
    let (_, results) = h.call(reqwest::Method::GET, &results_path, None).await?;
    assert_eq!(results["responses"], 1, "still one: {results}");

    // The board's Answered column followed.
    h.type_text(":surveys").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    let percent = (100 + n / 2) / n;
    let board = h.screen();
    assert!(board.contains(&format!("1/{n} {percent}%")), "{board}");
    h.shutdown().await;
    Ok(())
}
