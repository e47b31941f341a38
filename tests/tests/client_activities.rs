//! End to end: the Activities screen (the activity plan), reached by its
//! number key and by name from the palette, with an activity planned from
//! the keyboard, its description shown in the detail pane and checked on
//! the server.

use rapport_client::api::{record_id, text};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_are_listed_and_planned_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 40).await?;

    // `8` shows the plan: the demo's activities.
    let planned = h
        .api
        .list(
            Collection::Activities,
            &rapport_client::api::ListQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .await?
        .items
        .len();
    assert!(planned > 1, "the demo plans activities");
    let count = |n: usize| format!("Activities ({n} rows)");
    h.type_text("8").await?;
    let screen = h.screen();
    assert!(screen.contains(&count(planned)), "{screen}");

    // Plan one for the Ministry of Finance, picked by searching.
    h.type_text("n").await?;
    h.type_text("Review the backup strategy").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Finance").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Restore a test copy every quarter").await?;
    h.ctrl('s').await?;
    let found = h.find(Collection::Activities, "backup strategy").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "status"), "planned");
    assert_eq!(
        text(&found[0], "description"),
        "Restore a test copy every quarter"
    );
    let mof = h.find(Collection::Customers, "Ministry of Finance").await?;
    let mof = mof
        .first()
        .ok_or_else(|| anyhow::anyhow!("MOF is seeded"))?;
    assert_eq!(text(&found[0], "customer_id"), record_id(mof));
    let screen = h.screen();
    assert!(screen.contains(&count(planned + 1)), "{screen}");
    assert!(screen.contains("Review the backup strategy"), "{screen}");
    assert!(screen.contains("Ministry of Finance"), "{screen}");
    // The detail pane shows the description.
    assert!(
        screen.contains("Restore a test copy every quarter"),
        "{screen}"
    );

    // From another board, the palette jumps back by name.
    h.type_text("1").await?;
    assert!(!h.screen().contains("Activities ("), "{}", h.screen());
    h.type_text(":activities").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert!(h.screen().contains(&count(planned + 1)), "{}", h.screen());
    h.shutdown().await;
    Ok(())
}
