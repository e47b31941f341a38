//! End to end: the Notices screen, reached by its number key: the demo's
//! current and upcoming notices with the customers they reach, the ended
//! ones behind Esc, and a notice announced from the keyboard, then shown on
//! the customer screen of a customer it reaches.

use rapport_client::api::text;
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_are_listed_and_announced_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 40).await?;

    // `0` shows the notices not yet ended: the demo's outage and upgrade.
    h.type_text("0").await?;
    let screen = h.screen();
    assert!(screen.contains("Notices (2 rows) [active]"), "{screen}");
    assert!(screen.contains("VPN access interrupted"), "{screen}");
    assert!(screen.contains("Mail platform upgrade"), "{screen}");
    // The customers reached are those whose agreements cover the services.
    assert!(screen.contains("MOF"), "{screen}");

    // Announce an outage of the mail service, from now on.
    h.type_text("n").await?;
    h.key(KeyCode::Right, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Mail delivery delayed").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Email").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.ctrl('s').await?;
    let found = h.find(Collection::Notices, "Mail delivery delayed").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "kind"), "outage");
    let reached = found[0]["affected_customer_ids"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(reached >= 2, "{:?}", found[0]);
    let screen = h.screen();
    assert!(screen.contains("Notices (3 rows) [active]"), "{screen}");
    assert!(screen.contains("Mail delivery delayed"), "{screen}");

    // Esc lifts the narrowing: every notice, ended or not.
    h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    let screen = h.screen();
    assert!(screen.contains("Notices (3 rows)"), "{screen}");
    assert!(!screen.contains("[active]"), "{screen}");

    // The Ministry of Finance's screen lists what reaches it.
    h.type_text("1").await?;
    h.type_text("/Finance").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("w").await?;
    let screen = h.screen();
    assert!(screen.contains("Mail delivery delayed"), "{screen}");
    assert!(screen.contains("Mail platform upgrade"), "{screen}");
    assert!(!screen.contains("VPN access interrupted"), "{screen}");
    h.shutdown().await;
    Ok(())
}
