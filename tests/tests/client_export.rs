//! End to end: `:export csv|json [FILE]` on the RFC queue writes the
//! whole view — every page the server has for it, not only the rows
//! loaded — with formulas guarded, and never replaces a file unasked.

use rapport_client::api::{ListQuery, Record, record_id};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_shared::wire::MAX_PAGE_LIMIT;
use rapport_tests::client::ClientHarness;
use serde_json::json;

/// Runs one palette command.
async fn palette(h: &mut ClientHarness, command: &str) -> anyhow::Result<()> {
    h.type_text(&format!(":{command}")).await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await
}

/// The status line's message.
fn said(h: &ClientHarness) -> String {
    h.runtime
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_every_page_of_the_view_and_guards_formulas() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(160, 48).await?;
    let customers = h
        .api
        .list(
            Collection::Customers,
            &ListQuery {
                limit: 1,
                ..ListQuery::default()
            },
        )
        .await?
        .items;
    let customer = customers
        .first()
        .map(|c| record_id(c).to_string())
        .ok_or_else(|| anyhow::anyhow!("the demo has customers"))?;
    // More untriaged RFCs than one page of the export, and many pages of
    // the board: the first view (Untriaged) is status new.
    let new = [("status".to_string(), "new".to_string())];
    let seeded = h.api.count(Collection::Rfcs, &new).await?;
    let wanted = u64::from(MAX_PAGE_LIMIT) + 20;
    let formula = "=1+2 looks like a formula";
    for at in seeded..wanted {
        let title = if at == seeded {
            formula.to_string()
        } else {
            format!("Export row {at}")
        };
        let body = json!({"customer_id": customer, "title": title, "priority": "low"});
        let body: Record = body.as_object().cloned().unwrap_or_default();
        h.api
            .create(Collection::Rfcs, &body, &format!("export-{at}"))
            .await?;
    }
    let total = h.api.count(Collection::Rfcs, &new).await?;
    assert!(total > u64::from(MAX_PAGE_LIMIT));

    h.type_text("6").await?;
    let loaded = h.queue().board.rows.len();
    assert!(
        (loaded as u64) < total,
        "the board holds fewer rows than the view"
    );

    let dir = tempfile::tempdir()?;
    let csv_path = dir.path().join("untriaged.csv");
    palette(&mut h, &format!("export csv {}", csv_path.display())).await?;
    let csv = std::fs::read_to_string(&csv_path)?;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.len() as u64,
        total + 1,
        "a header and every row of the view"
    );
    assert!(
        lines[0].starts_with("Id,Pri,Age,Cust,Service,Title"),
        "{}",
        lines[0]
    );
    assert!(
        lines.iter().any(|l| l.contains(&format!(",'{formula},"))),
        "the formula is guarded"
    );
    assert!(!lines.iter().any(|l| l.contains(&format!(",{formula},"))));
    let total_text = rapport_client::strings::grouped(total as usize);
    assert_eq!(
        said(&h),
        format!("Exported {total_text} rows to {}", csv_path.display())
    );

    // The file is there: refused, then replaced with `export!`.
    std::fs::write(&csv_path, "keep me")?;
    palette(&mut h, &format!("export csv {}", csv_path.display())).await?;
    assert!(said(&h).contains("is there already"), "{}", said(&h));
    assert_eq!(std::fs::read_to_string(&csv_path)?, "keep me");
    palette(&mut h, &format!("export! csv {}", csv_path.display())).await?;
    assert_eq!(
        std::fs::read_to_string(&csv_path)?.lines().count() as u64,
        total + 1
    );

    // JSON: the records as the API gives them, every one of the view.
    let json_path = dir.path().join("untriaged.json");
    palette(&mut h, &format!("export json {}", json_path.display())).await?;
    let records: Vec<Record> = serde_json::from_str(&std::fs::read_to_string(&json_path)?)?;
    assert_eq!(records.len() as u64, total);
    assert!(
        records
            .iter()
            .all(|r| r.get("status") == Some(&json!("new")))
    );
    let mut ids: Vec<&str> = records.iter().map(record_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, total, "no record twice");

    // Words for people when it cannot be done.
    palette(&mut h, "export xml").await?;
    assert_eq!(said(&h), "Unknown format \"xml\": use csv or json.");
    let missing = dir.path().join("no-such-dir").join("x.csv");
    palette(&mut h, &format!("export csv {}", missing.display())).await?;
    assert!(
        said(&h).starts_with(&format!("Cannot write {}:", missing.display())),
        "{}",
        said(&h)
    );
    h.shutdown().await;
    Ok(())
}
