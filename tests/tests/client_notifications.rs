//! End to end: the audit entry the notifications read for one change of
//! the feed (`after=SEQ-1&limit=1`) is that change's, on a real server,
//! and a critical RFC someone else creates is told.

use rapport_client::api::views::ViewCall;
use rapport_client::api::{ListQuery, Record, record_id};
use rapport_client::notifications::{Reason, judge};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::{AuditEntry, Me};
use rapport_tests::client::ClientHarness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_audit_is_the_change_and_a_new_critical_rfc_is_told() -> anyhow::Result<()> {
    let h = ClientHarness::start(80, 24).await?;
    let one = ListQuery {
        limit: 1,
        ..ListQuery::default()
    };
    let customers = h.api.list(Collection::Customers, &one).await?.items;
    let customer = customers
        .first()
        .map(|c| record_id(c).to_string())
        .ok_or_else(|| anyhow::anyhow!("the demo has customers"))?;
    let body = json!({"customer_id": customer, "title": "Payroll down", "priority": "critical"});
    let body: Record = body.as_object().cloned().unwrap_or_default();
    let created = h.api.create(Collection::Rfcs, &body, "notify-1").await?;
    let id = record_id(&created).to_string();
    // A later change of the same RFC, so the one asked for is not the last.
    let patch: Record = json!({"impact": "every payslip"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    h.api.update(Collection::Rfcs, &id, 1, &patch).await?;

    let (status, trail) = h
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/audit?entity=rfcs&id={id}"),
            None,
        )
        .await?;
    assert_eq!(status, 200);
    let trail: Vec<AuditEntry> = serde_json::from_value(trail["items"].clone())?;
    let create_seq = trail
        .iter()
        .find(|e| e.action == "create")
        .map(|e| e.seq)
        .ok_or_else(|| anyhow::anyhow!("the create is audited"))?;

    let page = h
        .api
        .view(&ViewCall::ChangeAudit {
            entity: "rfcs",
            id: id.clone(),
            seq: create_seq,
        })
        .await?;
    let entries: Vec<AuditEntry> = serde_json::from_value(page["items"].clone())?;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!((entry.seq, entry.action.as_str()), (create_seq, "create"));

    // Someone else is told; the one who created it is not.
    let someone_else = Me {
        token_name: "someone else".into(),
        permission: Permission::Operator,
        staff_id: Some("not-the-creator".into()),
        staff_name: None,
    };
    let told = judge(entry, &someone_else).map(|n| n.reason);
    assert_eq!(told, Some(Reason::NewCritical));
    let me = h.api.me().await?;
    assert_eq!(judge(entry, &me), None);
    h.shutdown().await;
    Ok(())
}
