//! End to end: `T` on a record edited from the keyboard shows, from the
//! real server's audit trail, the change field by field and the staff
//! member who made it, by name.

use rapport_client::api::{record_id, text};
use rapport_client::app::Overlay;
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;

/// Scrolls the open audit trail to its end, reading every page there is
/// (each `G` at the end asks for the next one).
async fn to_the_end(h: &mut ClientHarness) -> anyhow::Result<()> {
    for _ in 0..20 {
        h.type_text("G").await?;
        match &h.runtime.app.overlay {
            Some(Overlay::Audit(trail)) if trail.next.is_none() => return Ok(()),
            Some(Overlay::Audit(_)) => {}
            _ => anyhow::bail!("the audit trail closed:\n{}", h.screen()),
        }
    }
    anyhow::bail!("the audit trail kept naming more pages")
}

/// Whether `screen` holds a time as RFC 3339 writes it (`2026-12-04T21`).
fn has_rfc3339(screen: &str) -> bool {
    let chars: Vec<char> = screen.chars().collect();
    chars.windows(11).any(|w| {
        let digits =
            |range: std::ops::Range<usize>| range.into_iter().all(|i| w[i].is_ascii_digit());
        digits(0..4) && w[4] == '-' && digits(5..7) && w[7] == '-' && digits(8..10) && w[10] == 'T'
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t_shows_who_changed_a_record_and_what_changed() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;
    // The local token acts as the demo operator: the trail names them.
    let me = h.api.me().await?;
    let staff_id = me
        .staff_id
        .ok_or_else(|| anyhow::anyhow!("the local token acts as a staff member"))?;
    let operator = h.api.get(Collection::Staff, &staff_id).await?;
    let name = text(&operator, "name").to_string();
    assert!(!name.is_empty());

    // Edit MOF (the first row) from the keyboard.
    h.type_text("e").await?;
    h.type_text(" HQ").await?;
    h.ctrl('s').await?;
    let mof = h.find(Collection::Customers, "MOF").await?;
    let id = mof
        .first()
        .map(|record| record_id(record).to_string())
        .ok_or_else(|| anyhow::anyhow!("MOF seeded"))?;
    assert_eq!(text(&mof[0], "name"), "Ministry of Finance HQ");

    h.type_text("T").await?;
    let Some(Overlay::Audit(trail)) = &h.runtime.app.overlay else {
        anyhow::bail!("T opens no audit trail:\n{}", h.screen());
    };
    assert_eq!(
        (trail.collection, trail.id.as_str()),
        (Collection::Customers, id.as_str())
    );
    to_the_end(&mut h).await?;
    let screen = h.screen();
    assert!(
        screen.contains("  Name: Ministry of Finance -> Ministry of Finance HQ"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("just now  {name} changed it")),
        "{screen}"
    );
    assert!(!screen.contains(&staff_id), "no staff id: {screen}");
    assert!(!screen.contains(&id), "no record id: {screen}");
    assert!(!has_rfc3339(&screen), "no RFC 3339: {screen}");

    // Esc closes it; the board is back.
    h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    assert!(h.runtime.app.overlay.is_none());
    assert!(
        h.screen().contains("Ministry of Finance HQ"),
        "{}",
        h.screen()
    );
    h.shutdown().await;
    Ok(())
}
