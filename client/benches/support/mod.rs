//! What the client benchmarks share: an app on the RFC queue answered by a
//! synthetic server holding `rows` RFCs, paged by cursor as the real one
//! pages, so the real `update` and `view` run over a queue of any size.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_client::api::Record;
use rapport_client::app::App;
use rapport_client::config::Settings;
use rapport_client::keymap::KeyMap;
use rapport_client::messages::{Command, Msg, Reply};
use rapport_client::theme::Theme;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::{Me, Page};
use serde_json::json;

const CUSTOMERS: usize = 200;
const SERVICES: usize = 40;
const PRIORITIES: [&str; 4] = ["critical", "high", "medium", "low"];

/// The queue's size: `RAPPORT_BENCH_ROWS`, else 100,000 (CI runs a few
/// thousand so the benchmarks keep working in seconds).
pub fn rows() -> usize {
    std::env::var("RAPPORT_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// A server that answers the app's lists from generated records.
pub struct Synthetic {
    pub rfcs: usize,
}

impl Synthetic {
    fn rfc(n: usize) -> Record {
        let value = json!({
            "id": format!("0195a000-0000-7000-8000-{n:012x}"),
            "version": 1,
            "created_at": "2026-11-02T09:00:00Z",
            "updated_at": "2026-11-02T09:00:00Z",
            "customer_id": format!("c{}", n % CUSTOMERS),
            "service_id": format!("v{}", n % SERVICES),
            "requested_by_contact_id": "p1",
            "title": format!("Change number {n}: more capacity for the quarterly close"),
            "description": "Asked for by the customer.\nSee the agreement.",
            "priority": PRIORITIES[n % PRIORITIES.len()],
            "category": "normal",
            "status": "new",
            "route": null,
            "assignee_id": null,
            "raised_by_id": "s1",
        });
        value.as_object().cloned().unwrap_or_default()
    }

    fn reference(collection: Collection, n: usize) -> Record {
        let value = match collection {
            Collection::Customers => json!({
                "id": format!("c{n}"), "version": 1, "code": format!("C{n:03}"),
                "name": format!("Agency number {n}"), "kind": "agency",
            }),
            Collection::Services => json!({
                "id": format!("v{n}"), "version": 1, "code": format!("SVC{n:02}"),
                "name": format!("Service number {n}"),
            }),
            _ => json!({"id": format!("x{n}"), "version": 1, "name": format!("Record {n}")}),
        };
        value.as_object().cloned().unwrap_or_default()
    }

    /// The page a list query asks for: the cursor is the offset.
    fn page(&self, collection: Collection, cursor: Option<&str>, limit: u32) -> Page<Record> {
        let total = match collection {
            Collection::Rfcs => self.rfcs,
            Collection::Customers => CUSTOMERS,
            Collection::Services => SERVICES,
            _ => 0,
        };
        let start = cursor.and_then(|c| c.parse().ok()).unwrap_or(0usize);
        let end = (start + limit as usize).min(total);
        let items = (start..end)
            .map(|n| match collection {
                Collection::Rfcs => Self::rfc(n),
                other => Self::reference(other, n),
            })
            .collect();
        Page {
            items,
            next_cursor: (end < total).then(|| end.to_string()),
        }
    }

    /// The answer to one command, if it asks for one.
    fn answer(&self, command: Command) -> Option<Msg> {
        let (request, reply) = match command {
            Command::Me { request } => (
                request,
                Reply::Me(Ok(Me {
                    token_name: "bench".into(),
                    permission: Permission::Operator,
                    staff_id: Some("s1".into()),
                    staff_name: Some("Amara Nwosu".into()),
                })),
            ),
            Command::List {
                request,
                collection,
                query,
            } => (
                request,
                Reply::Page(Ok(self.page(
                    collection,
                    query.cursor.as_deref(),
                    query.limit,
                ))),
            ),
            _ => return None,
        };
        Some(Msg::Reply { request, reply })
    }

    /// Answers commands until none is left.
    pub fn settle(&self, app: &mut App, mut commands: Vec<Command>) {
        while let Some(command) = commands.pop() {
            if let Some(msg) = self.answer(command) {
                commands.extend(app.update(msg));
            }
        }
    }

    /// Types `keys` into the app, answering what each asks.
    pub fn keys(&self, app: &mut App, keys: &str) {
        for c in keys.chars() {
            let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
            self.settle(app, commands);
        }
    }
}

/// An operator's app on the RFC queue of `server`, at `width` x `height`.
pub fn queue_app(server: &Synthetic, width: u16, height: u16) -> App {
    let mut app = App::new(
        &Settings::default(),
        KeyMap::default(),
        Theme::default(),
        "http://rapport.bench",
    );
    app.zone = jiff::tz::TimeZone::UTC;
    let mut commands = app.update(Msg::Resize(width, height));
    commands.extend(app.start());
    server.settle(&mut app, commands);
    server.keys(&mut app, "6");
    app
}

/// The resident memory of this process in KiB (Linux), if readable.
#[allow(dead_code)]
pub fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}
