//! End to end: the real client app, driven by key events only, against a
//! real server over a seeded temporary database. Every change is checked
//! on the server through a second API client.

use rapport_client::api::{
    ApiClient, ApiError, ListQuery, Record, record_id, record_version, text,
};
use rapport_client::crossterm::event::{KeyCode, KeyModifiers};
use rapport_shared::Collection;
use rapport_tests::client::ClientHarness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_created_edited_and_deleted_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;
    assert!(h.screen().contains("MOF"), "{}", h.screen());

    // Create.
    h.type_text("n").await?;
    h.type_text("End To End Agency").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("E2E").await?;
    h.ctrl('s').await?;
    let found = h.find(Collection::Customers, "E2E").await?;
    assert_eq!(found.len(), 1, "{}", h.screen());
    let id = record_id(&found[0]).to_string();
    assert_eq!(text(&found[0], "name"), "End To End Agency");
    assert!(h.screen().contains("Saved customer E2E"), "{}", h.screen());

    // Edit: the new record is selected; choose its kind (none, ministry,
    // agency).
    h.type_text("e").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.key(KeyCode::Right, KeyModifiers::NONE).await?;
    h.key(KeyCode::Right, KeyModifiers::NONE).await?;
    h.ctrl('s').await?;
    let record = h.api.get(Collection::Customers, &id).await?;
    assert_eq!(text(&record, "kind"), "agency");
    assert_eq!(record_version(&record), 2);

    // Delete, after confirming.
    h.type_text("d").await?;
    assert!(h.screen().contains("Delete customer E2E"), "{}", h.screen());
    h.type_text("y").await?;
    match h.api.get(Collection::Customers, &id).await {
        Err(ApiError::Problem(problem)) => assert_eq!(problem.status, 404),
        other => panic!("expected 404, got {other:?}"),
    }
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_edit_is_kept_and_reapplied() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;
    // Start editing MOF (the first row), then a colleague changes it.
    h.type_text("e").await?;
    h.type_text(" HQ").await?;
    let before = h.find(Collection::Customers, "MOF").await?;
    let mof = before
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("MOF seeded"))?;
    let id = record_id(&mof).to_string();
    let mut patch = serde_json::Map::new();
    patch.insert("kind".into(), json!("municipality"));
    h.api
        .update(Collection::Customers, &id, record_version(&mof), &patch)
        .await?;

    h.ctrl('s').await?;
    let screen = h.screen();
    assert!(screen.contains("Changed on the server"), "{screen}");
    assert!(screen.contains("municipality"), "{screen}");
    // Reload and reapply, then save again.
    h.type_text("r").await?;
    h.ctrl('s').await?;
    let record = h.api.get(Collection::Customers, &id).await?;
    assert_eq!(text(&record, "name"), "Ministry of Finance HQ");
    assert_eq!(
        text(&record, "kind"),
        "municipality",
        "the colleague's change survives"
    );
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_services_teams_and_contacts_from_the_keyboard() -> anyhow::Result<()> {
    let mut h = ClientHarness::start(120, 40).await?;

    // A staff member.
    h.type_text("3n").await?;
    h.type_text("Test Person").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("test.person@it.example").await?;
    // Job roles: brm, delivery manager and service owner.
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    for step in [" ", ">", " ", ">", " "] {
        match step {
            ">" => h.key(KeyCode::Right, KeyModifiers::NONE).await?,
            _ => h.type_text(step).await?,
        }
    }
    h.ctrl('s').await?;
    let staff = h.find(Collection::Staff, "Test Person").await?;
    assert_eq!(staff.len(), 1, "{}", h.screen());
    assert_eq!(staff[0].get("active"), Some(&json!(true)));
    assert_eq!(
        staff[0].get("job_roles"),
        Some(&json!(["brm", "delivery_manager", "service_owner"]))
    );

    // A service owned by them, chosen with the reference picker.
    h.type_text("4n").await?;
    h.type_text("Test Service").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Test Per").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.ctrl('s').await?;
    let services = h.find(Collection::Services, "Test Service").await?;
    assert_eq!(services.len(), 1, "{}", h.screen());
    assert_eq!(text(&services[0], "owner_id"), record_id(&staff[0]));

    // A contact for MOF: Enter on a customer opens its screen, Enter on
    // its contacts section (`c`) the customer's contacts.
    h.type_text("1").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    assert!(h.screen().contains("Ministry of Finance"), "{}", h.screen());
    h.type_text("c").await?;
    h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    h.type_text("n").await?;
    h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    h.type_text("Pat Contact").await?;
    h.ctrl('s').await?;
    let contacts = h.find(Collection::Contacts, "Pat Contact").await?;
    assert_eq!(contacts.len(), 1, "{}", h.screen());
    let mof = h.find(Collection::Customers, "MOF").await?;
    assert_eq!(text(&contacts[0], "customer_id"), record_id(&mof[0]));

    // Move MOF from the first team to the second.
    let teams = h
        .api
        .list(
            Collection::Teams,
            &ListQuery {
                limit: 50,
                ..ListQuery::default()
            },
        )
        .await?
        .items;
    h.type_text("2").await?;
    assert!(
        h.screen().contains(text(&teams[0], "name")),
        "{}",
        h.screen()
    );
    h.type_text("L").await?;
    let moved = h.api.get(Collection::Customers, record_id(&mof[0])).await?;
    assert_eq!(
        text(&moved, "team_id"),
        record_id(&teams[1]),
        "{}",
        h.screen()
    );

    // A new team, edited and deleted.
    h.type_text("n").await?;
    h.type_text("Team Test").await?;
    for (pick, _) in [("Test Per", "brm"), ("Test Per", "dm")] {
        h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
        h.type_text(pick).await?;
        h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
    }
    h.ctrl('s').await?;
    let created = h.find(Collection::Teams, "Team Test").await?;
    assert_eq!(created.len(), 1, "{}", h.screen());
    h.type_text("G").await?;
    h.type_text("d").await?;
    assert!(
        h.screen().contains("Delete customer team Team Test"),
        "{}",
        h.screen()
    );
    h.type_text("y").await?;
    assert!(
        h.find(Collection::Teams, "Team Test").await?.is_empty(),
        "{}",
        h.screen()
    );

    // Copy the selected customer's code.
    h.type_text("1y").await?;
    assert_eq!(
        h.copies.lock().map(|c| c.clone()).unwrap_or_default(),
        vec!["MOF".to_string()]
    );
    h.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_feed_reports_writes() -> anyhow::Result<()> {
    let h = ClientHarness::start(80, 24).await?;
    let mut feed = h.api.change_feed(None).await?;
    let mof = h.find(Collection::Customers, "MOF").await?;
    let mof = mof
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("MOF seeded"))?;
    let mut patch = serde_json::Map::new();
    patch.insert("kind".into(), json!("municipality"));
    h.api
        .update(
            Collection::Customers,
            record_id(&mof),
            record_version(&mof),
            &patch,
        )
        .await?;
    let change = feed
        .next()
        .await?
        .ok_or_else(|| anyhow::anyhow!("a change"))?;
    assert_eq!(change.collection, Some(Collection::Customers));
    assert_eq!(change.id, record_id(&mof));
    assert_eq!(change.version, record_version(&mof) + 1);
    assert_eq!(change.action, "update");
    h.shutdown().await;
    Ok(())
}

/// Creates a record through the API (setup, not under test).
async fn create(
    api: &ApiClient,
    collection: Collection,
    body: serde_json::Value,
) -> anyhow::Result<Record> {
    let body = body
        .as_object()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("an object"))?;
    Ok(api
        .create(
            collection,
            &body,
            &format!("setup-{collection}-{}", text(&body, "name")),
        )
        .await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_services_and_contacts_are_edited_and_deleted_from_the_keyboard() -> anyhow::Result<()>
{
    let mut h = ClientHarness::start(120, 40).await?;
    let person = create(
        &h.api,
        Collection::Staff,
        json!({"name": "Edit Me", "email": "edit.me@it.example"}),
    )
    .await?;
    let service = create(
        &h.api,
        Collection::Services,
        json!({"name": "Edit Service"}),
    )
    .await?;
    let mof = h.find(Collection::Customers, "MOF").await?;
    let contact = create(
        &h.api,
        Collection::Contacts,
        json!({"customer_id": record_id(&mof[0]), "name": "Edit Contact"}),
    )
    .await?;

    for (tab, collection, record, name) in [
        ("3", Collection::Staff, &person, "Edit Me"),
        ("4", Collection::Services, &service, "Edit Service"),
        ("5", Collection::Contacts, &contact, "Edit Contact"),
    ] {
        // Find it with the filter, rename it, then delete it.
        h.type_text(tab).await?;
        h.type_text("/").await?;
        h.type_text(name).await?;
        h.key(KeyCode::Enter, KeyModifiers::NONE).await?;
        h.type_text("e").await?;
        if collection == Collection::Contacts {
            // The contact form starts with its customer.
            h.key(KeyCode::Tab, KeyModifiers::NONE).await?;
        }
        h.type_text(" Edited").await?;
        h.ctrl('s').await?;
        let edited = h.api.get(collection, record_id(record)).await?;
        assert_eq!(
            text(&edited, "name"),
            format!("{name} Edited"),
            "{}",
            h.screen()
        );
        assert_eq!(record_version(&edited), 2);

        h.type_text("d").await?;
        h.type_text("y").await?;
        match h.api.get(collection, record_id(record)).await {
            Err(ApiError::Problem(problem)) => assert_eq!(problem.status, 404),
            other => panic!("{collection} not deleted: {other:?}\n{}", h.screen()),
        }
        h.key(KeyCode::Esc, KeyModifiers::NONE).await?;
    }
    h.shutdown().await;
    Ok(())
}

/// `u` on the teams board takes the last move back on the server, and a
/// customer someone changed since is not moved back, in plain words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_move_is_undone_unless_the_customer_changed_since() -> anyhow::Result<()> {
    use rapport_client::screens::ScreenId;
    use rapport_client::screens::teams::TeamsScreen;
    let mut h = ClientHarness::start(120, 40).await?;
    h.type_text("2").await?;
    let selected = |h: &ClientHarness| {
        h.runtime
            .app
            .screens
            .typed::<TeamsScreen>(ScreenId::Teams)
            .and_then(|s| s.board.customer().cloned())
    };
    let customer = selected(&h).ok_or_else(|| anyhow::anyhow!("a customer:\n{}", h.screen()))?;
    let id = record_id(&customer).to_string();
    let home = text(&customer, "team_id").to_string();

    h.type_text("L").await?;
    let moved = h.api.get(Collection::Customers, &id).await?;
    assert_ne!(text(&moved, "team_id"), home, "{}", h.screen());
    h.type_text("u").await?;
    let back = h.api.get(Collection::Customers, &id).await?;
    assert_eq!(text(&back, "team_id"), home, "{}", h.screen());
    assert_eq!(
        record_version(&back),
        record_version(&moved) + 1,
        "a new write"
    );
    assert!(h.screen().contains("is back in"), "{}", h.screen());

    // Moved again, then changed by a colleague: `u` leaves it where it is.
    let customer = selected(&h).ok_or_else(|| anyhow::anyhow!("selected"))?;
    assert_eq!(record_id(&customer), id, "the selection followed it back");
    h.type_text("L").await?;
    let moved = h.api.get(Collection::Customers, &id).await?;
    let mut patch = serde_json::Map::new();
    patch.insert("description".into(), json!("changed by a colleague"));
    h.api
        .update(Collection::Customers, &id, record_version(&moved), &patch)
        .await?;
    h.type_text("u").await?;
    let now = h.api.get(Collection::Customers, &id).await?;
    assert_eq!(
        text(&now, "team_id"),
        text(&moved, "team_id"),
        "not moved back"
    );
    let said = h.runtime.app.message.clone().expect("a message");
    assert!(said.error, "{}", said.text);
    assert!(
        said.text
            .contains("changed on the server since your change: nothing undone"),
        "{}",
        said.text
    );
    h.shutdown().await;
    Ok(())
}
