//! Test fixtures: a small deterministic data set and an in-memory stand-in
//! for the server that answers the app's commands, so update and rendering
//! tests run without a network and snapshots never hold random ids or
//! current times.

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::{Me, Page};
use serde_json::{Value, json};

use crate::api::{ApiError, Record, record_id, text};
use crate::app::{App, Command, ConfirmAction, Connection, Msg, RETRY_SECS, Reply};
use crate::components::board::Board;
use crate::components::confirm::Confirm;
use crate::config::Settings;
use crate::keymap::KeyMap;
use crate::screens::ScreenId;
use crate::screens::list::ListScreen;
use crate::screens::rfcs::{RfcOverlay, RfcQueue, RfcScreen};
use crate::screens::teams::{TeamsBoard, TeamsScreen};
use crate::theme::Theme;

/// Whatever overlay is open, the app's or the RFC queue's, as one value:
/// the tests ask "what is on top", wherever its state lives.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Palette,
    Outbox,
    Detail,
    Audit,
    Notifications,
    Confirm(Confirm<ConfirmAction>),
    Rfc(RfcOverlay),
}

/// The open overlay, if any.
pub fn overlay(app: &App) -> Option<Overlay> {
    match &app.overlay {
        Some(crate::app::Overlay::Help(_)) => Some(Overlay::Help),
        Some(crate::app::Overlay::Palette(_)) => Some(Overlay::Palette),
        Some(crate::app::Overlay::Outbox(_)) => Some(Overlay::Outbox),
        Some(crate::app::Overlay::Detail(_)) => Some(Overlay::Detail),
        Some(crate::app::Overlay::Audit(_)) => Some(Overlay::Audit),
        Some(crate::app::Overlay::Notifications(_)) => Some(Overlay::Notifications),
        Some(crate::app::Overlay::Confirm(confirm)) => Some(Overlay::Confirm(confirm.clone())),
        None => rfcs(app).overlay.clone().map(Overlay::Rfc),
    }
}

/// The list board of screen `id`.
pub fn board(app: &App, id: ScreenId) -> &Board {
    app.screens.board(id).expect("a list screen")
}

/// The RFC queue screen.
pub fn rfcs(app: &App) -> &RfcScreen {
    app.screens.typed(ScreenId::Rfcs).expect("the RFC queue")
}

/// The RFC queue screen, to change.
pub fn rfcs_mut(app: &mut App) -> &mut RfcScreen {
    app.screens
        .typed_mut(ScreenId::Rfcs)
        .expect("the RFC queue")
}

/// The RFC queue's own state.
pub fn queue(app: &App) -> &RfcQueue {
    &rfcs(app).queue
}

/// The RFC queue's own state, to change.
pub fn queue_mut(app: &mut App) -> &mut RfcQueue {
    &mut rfcs_mut(app).queue
}

/// The customers screen.
pub fn customers(app: &App) -> &ListScreen {
    app.screens
        .typed(ScreenId::Customers)
        .expect("the customers list")
}

/// The teams board.
pub fn teams(app: &App) -> &TeamsBoard {
    &app.screens
        .typed::<TeamsScreen>(ScreenId::Teams)
        .expect("the teams screen")
        .board
}

fn record(value: Value) -> Record {
    value.as_object().cloned().unwrap_or_default()
}

/// The fixture records of a collection.
pub fn records(collection: Collection) -> Vec<Record> {
    let stamp = "2026-01-01T00:00:00Z";
    let with_meta = |id: &str, mut fields: Value| {
        if let Some(object) = fields.as_object_mut() {
            object.insert("id".into(), json!(id));
            object.insert("version".into(), json!(1));
            object.insert("created_at".into(), json!(stamp));
            object.insert("updated_at".into(), json!(stamp));
        }
        record(fields)
    };
    match collection {
        Collection::Staff => vec![
            with_meta(
                "s1",
                json!({"name": "Amara Nwosu", "email": "amara@it.example", "job_roles": ["brm"], "active": true}),
            ),
            with_meta(
                "s2",
                json!({"name": "Helen Achterberg", "email": "helen@it.example", "job_roles": ["delivery_manager"], "active": true}),
            ),
            with_meta(
                "s3",
                json!({"name": "Ingrid Solberg", "email": "ingrid@it.example", "job_roles": ["service_owner"], "active": true}),
            ),
        ],
        Collection::Teams => vec![
            with_meta(
                "t1",
                json!({"name": "Team Atlas", "brm_id": "s1", "delivery_manager_id": "s2", "service_owner_ids": ["s3"], "customer_ids": ["c1", "c2"]}),
            ),
            with_meta(
                "t2",
                json!({"name": "Team Boreal", "brm_id": "s1", "delivery_manager_id": "s2", "service_owner_ids": [], "customer_ids": ["c3"]}),
            ),
        ],
        Collection::Customers => vec![
            with_meta(
                "c1",
                json!({"name": "Ministry of Finance", "code": "MOF", "kind": "ministry", "status": "active", "team_id": "t1", "purchaser_contact_id": "p1", "health": "act",
                "description": "Budget, treasury and public debt.\nHeavy users of reporting."}),
            ),
            with_meta(
                "c2",
                json!({"name": "Ministry of Health", "code": "MOH", "kind": "ministry", "status": "active", "team_id": "t1", "purchaser_contact_id": null, "description": null, "health": "good"}),
            ),
            with_meta(
                "c3",
                json!({"name": "Land Registry", "code": "LAND", "kind": "agency", "status": "prospect", "team_id": "t2", "purchaser_contact_id": null, "description": null, "health": "unknown"}),
            ),
        ],
        Collection::Contacts => vec![
            with_meta(
                "p1",
                json!({"customer_id": "c1", "name": "Margit Lindqvist", "title": "CFO", "email": "margit@mof.example", "phone": null, "role": "purchaser"}),
            ),
            with_meta(
                "p2",
                json!({"customer_id": "c1", "name": "Olu Adeyemi", "title": "IT lead", "email": null, "phone": null, "role": "technical"}),
            ),
        ],
        Collection::Services => vec![with_meta(
            "v1",
            json!({"name": "Managed desktop", "description": "Laptops and support.", "owner_id": "s3", "unit": "seat", "unit_price_cents": 4500}),
        )],
        Collection::Surveys => vec![
            with_meta(
                "sv1",
                json!({"title": "Quarterly satisfaction Q1 2026", "status": "open", "period_start": "2026-01-01", "period_end": "2026-03-31",
                "customer_ids": ["c1", "c2"], "invited": 6, "response_count": 5, "questions": [
                    {"id": "q1", "text": "How satisfied are you with the desktop service?", "kind": "scale5", "service_id": "v1"},
                    {"id": "q2", "text": "How likely are you to recommend us?", "kind": "nps"},
                    {"id": "q3", "text": "What should we improve?", "kind": "text"}]}),
            ),
            with_meta(
                "sv2",
                json!({"title": "Onboarding check", "status": "draft", "period_start": "2026-04-01", "period_end": null,
                "customer_ids": ["c3"], "invited": 0, "response_count": 0, "questions": [{"id": "q1", "text": "Was onboarding clear?", "kind": "scale5"}]}),
            ),
        ],
        Collection::Rfcs => crate::screens::rfcs::fixtures::records(),
        Collection::Meetings => crate::screens::meetings::fixtures::records(),
        other => crate::screens::customer::fixtures::records(other),
    }
}

/// Checks that `app` has just gone offline and retries: after
/// [`RETRY_SECS`] quiet ticks it asks who it is again.
pub fn assert_offline_and_retrying(app: &mut App) {
    assert_eq!(
        app.connection,
        Connection::Offline {
            retry_in: RETRY_SECS
        }
    );
    for _ in 1..RETRY_SECS {
        assert!(app.update(Msg::Tick).is_empty());
    }
    assert!(matches!(
        app.update(Msg::Tick).first(),
        Some(Command::Me { .. })
    ));
}

/// Types `text` as an operator, answering every request from the fixtures.
pub fn operator_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
        let commands = app.update(Msg::Key(key));
        answer_all(app, commands, Permission::Operator);
    }
}

/// An operator's app on the RFC queue, with ages measured from a fixed now.
pub fn rfc_queue() -> App {
    let mut app = self::app(Permission::Operator, 120, 40);
    queue_mut(&mut app).now = Some(crate::screens::rfcs::fixtures::now());
    operator_keys(&mut app, "6");
    app
}

pub fn app(permission: Permission, width: u16, height: u16) -> App {
    let mut app = App::new(
        &Settings::default(),
        KeyMap::default(),
        Theme::default(),
        "http://rapport.test",
    );
    app.zone = jiff::tz::TimeZone::UTC;
    let mut commands = app.update(Msg::Resize(width, height));
    commands.extend(app.start());
    answer_all(&mut app, commands, permission);
    app
}

/// Answers commands like a server holding the fixtures would, feeding the
/// answers back until no request is left. Writes answer with the body
/// merged into the record (or a new record `new1`).
pub fn answer_all(app: &mut App, mut commands: Vec<Command>, permission: Permission) {
    while let Some(command) = commands.pop() {
        if let Some((request, reply)) = answer(command, permission) {
            commands.extend(app.update(Msg::Reply { request, reply }));
        }
    }
}

/// The fixture server's answer to one command.
pub fn answer(command: Command, permission: Permission) -> Option<(u64, Reply)> {
    Some(match command {
        Command::Me { request } => (
            request,
            Reply::Me(Ok(Me {
                token_name: "fixture".into(),
                permission,
                staff_id: Some("s1".into()),
                staff_name: Some("Amara Nwosu".into()),
            })),
        ),
        Command::List {
            request,
            collection,
            query,
        } => {
            // A view's own `q=` travels with the filters; the server reads
            // both alike.
            let in_filters = query.filters.iter().find(|(k, _)| k == "q");
            let q = query
                .q
                .clone()
                .or_else(|| in_filters.map(|(_, v)| v.clone()))
                .unwrap_or_default()
                .to_lowercase();
            let items = records(collection)
                .into_iter()
                .filter(|r| {
                    collection != Collection::Rfcs
                        || crate::screens::rfcs::fixtures::matches(r, &query.filters)
                })
                .filter(|r| {
                    // Only a filter on a field of its own narrows the
                    // fixtures: one read from another field (`active`, from
                    // a notice's `ends_at` and the time) or a parameter that
                    // is no filter (`include=health`) matches every one.
                    let derived = |k: &str| {
                        !collection
                            .filters()
                            .iter()
                            .any(|spec| spec.param == k && spec.field == k)
                    };
                    // `customer_id=c1,c2`: any of the values, as the server.
                    collection == Collection::Rfcs
                        || query
                            .filters
                            .iter()
                            .all(|(k, v)| derived(k) || v.split(',').any(|v| text(r, k) == v))
                })
                .filter(|r| {
                    q.is_empty()
                        || ["name", "code", "title"]
                            .iter()
                            .any(|field| text(r, field).to_lowercase().contains(&q))
                        || record_id(r).to_lowercase().ends_with(&q)
                })
                .collect();
            (
                request,
                Reply::Page(Ok(Page {
                    items,
                    next_cursor: None,
                })),
            )
        }
        Command::Get {
            request,
            collection,
            id,
        } => {
            let found = records(collection).into_iter().find(|r| record_id(r) == id);
            (
                request,
                Reply::Record(found.ok_or(ApiError::Protocol("not found".into()))),
            )
        }
        Command::Create { request, body, .. } => {
            let mut created = body;
            created.insert("id".into(), json!("new1"));
            created.insert("version".into(), json!(1));
            (request, Reply::Record(Ok(created)))
        }
        Command::Update {
            request,
            collection,
            id,
            patch,
            ..
        } => {
            let mut found = records(collection)
                .into_iter()
                .find(|r| record_id(r) == id)
                .unwrap_or_default();
            found.extend(patch);
            found.insert("version".into(), json!(2));
            (request, Reply::Record(Ok(found)))
        }
        Command::Delete { request, .. } => (request, Reply::Deleted(Ok(()))),
        Command::Rfc { request, call } => (
            request,
            Reply::Rfc(crate::screens::rfcs::fixtures::answer(call)),
        ),
        Command::View { request, call } => (
            request,
            Reply::View(Ok(crate::screens::customer::fixtures::view(&call))),
        ),
        Command::SaveView { request, view } => (
            request,
            Reply::ViewSaved(Ok((
                view,
                "/home/amara/.config/rapport/config.toml".to_string(),
            ))),
        ),
        Command::ReadSeen { request } => {
            (request, Reply::Seen(crate::screens::week::fixtures::seen()))
        }
        Command::Export { request, .. } => (request, Reply::Exported(Ok(0))),
        Command::Copy(_)
        | Command::SaveDraft(_)
        | Command::KeepSeen(_)
        | Command::KeepOutbox(_)
        | Command::EditText(_)
        | Command::Bell
        | Command::Quit => {
            return None;
        }
    })
}
