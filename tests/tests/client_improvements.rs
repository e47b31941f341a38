//! End to end: the Improvements screen (the improvement register), reached
//! by its number key and by name from the palette, with an improvement
//! filed from the keyboard and checked on the server.

use rapport_client::api::{record_id, text};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn improvements_are_listed_and_filed_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 40).await?;

    // `7` shows the register: the demo's entries, with their first line.
    h.type_text("7").await?;
    let screen = h.screen();
    assert!(screen.contains("Improvements (5 rows)"), "{screen}");
    assert!(
        screen.contains("Publish the monthly maintenance calendar"),
        "{screen}"
    );
    assert!(screen.contains("(every customer)"), "{screen}");

    // File one for the Ministry of Finance, picked by searching.
    h.type_text("n").await?;
    h.type_text("Quarterly review of the reporting capacity")
        .await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Finance").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.ctrl('s').await?;
    let found = h
        .find(Collection::Improvements, "reporting capacity")
        .await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "status"), "proposed");
    let mof = h.find(Collection::Customers, "Ministry of Finance").await?;
    let mof = mof
        .first()
        .ok_or_else(|| anyhow::anyhow!("MOF is seeded"))?;
    assert_eq!(text(&found[0], "customer_id"), record_id(mof));
    assert!(
        h.screen().contains("Improvements (6 rows)"),
        "{}",
        h.screen()
    );

    // From another board, the palette jumps back by name.
    h.type_text("1").await?;
    assert!(!h.screen().contains("Improvements ("), "{}", h.screen());
    h.type_text(":improvements").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert!(
        h.screen().contains("Improvements (6 rows)"),
        "{}",
        h.screen()
    );
    h.shutdown().await;
    Ok(())
}
