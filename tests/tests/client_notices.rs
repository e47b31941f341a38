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
    // The start is shown as a local time, never as RFC 3339.
    let screen = h.screen();
    assert!(screen.contains("Local time: Tue 14:00"), "{screen}");
    assert!(!screen.contains(":00:00"), "{screen}");
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("sometime").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Email").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    // A time that cannot be read is refused in words, and nothing is sent.
    h.ctrl('s').await?;
    let screen = h.screen();
    assert!(
        screen.contains("cannot read \u{201c}sometime\u{201d} as a time"),
        "{screen}"
    );
    assert!(
        h.find(Collection::Notices, "Mail delivery delayed")
            .await?
            .is_empty()
    );
    for _ in "sometime".chars() {
        h.key(KeyCode::Backspace, KeyModifiers::NONE).await?;
    }
    h.type_text("tomorrow 17:00").await?;
    h.ctrl('s').await?;
    let found = h.find(Collection::Notices, "Mail delivery delayed").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    assert_eq!(text(&found[0], "kind"), "outage");
    let reached = found[0]["affected_customer_ids"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(reached >= 2, "{:?}", found[0]);
    // "tomorrow 17:00" is the local time, sent as its instant.
    let now = jiff::Zoned::now();
    let tomorrow_five = now
        .date()
        .tomorrow()?
        .at(17, 0, 0, 0)
        .to_zoned(now.time_zone().clone())?
        .timestamp();
    assert_eq!(text(&found[0], "ends_at"), tomorrow_five.to_string());
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
