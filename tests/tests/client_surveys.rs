//! End to end: the Surveys screen, reached by name from the palette (the
//! tenth screen has no number key), with a survey written from the
//! keyboard, its questions typed one per line, checked on the server and
//! shown on the board.

use rapport_client::api::text;
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
