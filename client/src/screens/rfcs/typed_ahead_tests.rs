//! Keys typed faster than the server answers: a burst is kept while a
//! step is on its way and applied in order once it is answered, each step
//! at the version the one before left (against a fixture server that
//! remembers its writes); and a refused first key of two swallows the
//! second.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::{Permission, RfcRoute};
use serde_json::json;

use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record, record_id, record_version, text};
use crate::app::{App, Command, Msg, Reply};
use crate::fixtures::{self, Overlay};
use crate::screens::ScreenId;

/// The first RFC of the Untriaged view (new, unassigned, critical).
pub(super) const FIRST: &str = "0195a000-0000-7000-8000-00000000a001";

/// A write as the server received it: what, on which RFC, at which version.
pub(super) type Write = (String, String, i64);

/// The fixture server, but remembering: writes change its RFCs (checking
/// `If-Match` and the workflow as the real server does), lists and counts
/// read them. Everything else is the plain fixture server's answer.
pub(super) struct Server {
    pub(super) rfcs: Vec<Record>,
    pub(super) writes: Vec<Write>,
}

impl Server {
    pub(super) fn new() -> Server {
        Server {
            rfcs: super::fixtures::records(),
            writes: Vec::new(),
        }
    }

    fn answer(&mut self, command: Command) -> Option<(u64, Reply)> {
        match command {
            Command::Update {
                request,
                collection: Collection::Rfcs,
                id,
                version,
                patch,
            } => {
                let what = patch
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect();
                self.writes.push((what, id.clone(), version));
                let result = self.patch(&id, version, patch);
                Some((request, Reply::Record(result)))
            }
            Command::Rfc {
                request,
                call:
                    RfcCall::Transition {
                        id,
                        version,
                        to,
                        route,
                        ..
                    },
            } => {
                let what = format!("{to} {}", route.map(RfcRoute::as_str).unwrap_or_default());
                self.writes.push((what, id.clone(), version));
                let at = self.rfcs.iter().position(|r| record_id(r) == id);
                let result = super::fixtures::transition(
                    at.map(|i| self.rfcs[i].clone()),
                    version,
                    to,
                    route,
                );
                if let (Some(at), Ok(rfc)) = (at, &result) {
                    self.rfcs[at] = rfc.clone();
                }
                Some((request, Reply::Rfc(RfcAnswer::Record(result))))
            }
            Command::Rfc {
                request,
                call: RfcCall::Count { filters },
            } => {
                let count = self
                    .rfcs
                    .iter()
                    .filter(|r| super::fixtures::matches(r, &filters))
                    .count() as u64;
                Some((request, Reply::Rfc(RfcAnswer::Count(Ok(count)))))
            }
            Command::List {
                request,
                collection: Collection::Rfcs,
                query,
            } => {
                let items = self
                    .rfcs
                    .iter()
                    .filter(|r| super::fixtures::matches(r, &query.filters))
                    .cloned()
                    .collect();
                let page = rapport_shared::wire::Page {
                    items,
                    next_cursor: None,
                };
                Some((request, Reply::Page(Ok(page))))
            }
            other => fixtures::answer(other, Permission::Operator),
        }
    }

    /// Merges `patch` into RFC `id` if `version` is its current one.
    fn patch(&mut self, id: &str, version: i64, patch: Record) -> Result<Record, ApiError> {
        let rfc = self
            .rfcs
            .iter_mut()
            .find(|r| record_id(r) == id)
            .ok_or(ApiError::Protocol("no such RFC".into()))?;
        if record_version(rfc) != version {
            return Err(ApiError::Stale);
        }
        rfc.extend(patch);
        rfc.insert("version".into(), json!(version + 1));
        Ok(rfc.clone())
    }

    /// Answers until no request is left, like `fixtures::answer_all`.
    pub(super) fn answer_all(&mut self, app: &mut App, mut commands: Vec<Command>) {
        while let Some(command) = commands.pop() {
            if let Some((request, reply)) = self.answer(command) {
                commands.extend(app.update(Msg::Reply { request, reply }));
            }
        }
    }

    pub(super) fn rfc(&self, id: &str) -> &Record {
        self.rfcs
            .iter()
            .find(|r| record_id(r) == id)
            .expect("a fixture RFC")
    }
}

/// Presses the keys in one burst, answering nothing.
pub(super) fn burst(app: &mut App, keys: &str) -> Vec<Command> {
    keys.chars()
        .flat_map(|c| app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c)))))
        .collect()
}

fn writes_sent(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| {
            matches!(
                c,
                Command::Update { .. }
                    | Command::Rfc {
                        call: RfcCall::Transition { .. },
                        ..
                    }
            )
        })
        .count()
}

#[test]
fn a_burst_is_applied_in_order_each_step_at_the_new_version() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    let commands = burst(&mut app, "ap4tc");
    assert_eq!(writes_sent(&commands), 1, "one step on its way at a time");
    assert_eq!(app.typed_ahead.len(), 4, "the other keys wait");
    assert_eq!(
        app.tab,
        ScreenId::Rfcs,
        "4 is the priority chooser's, not the Services board's"
    );
    server.answer_all(&mut app, commands);
    let first = FIRST.to_string();
    assert_eq!(
        server.writes,
        vec![
            ("assignee_id=s1".to_string(), first.clone(), 1),
            ("priority=low".to_string(), first.clone(), 2),
            ("triaged change_management".to_string(), first, 3),
        ]
    );
    let rfc = server.rfc(FIRST);
    assert_eq!(text(rfc, "assignee_id"), "s1");
    assert_eq!(text(rfc, "priority"), "low");
    assert_eq!(text(rfc, "status"), "triaged");
    assert!(app.typed_ahead.is_empty());
    let message = app.message.clone().expect("the last step's outcome");
    assert!(
        !message.error && message.text.starts_with("Triage to change management"),
        "{message:?}"
    );
}

#[test]
fn a_typed_ahead_step_that_cannot_apply_says_so() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    // Triage, then triage the same RFC again once the first is answered:
    // the view reloads in between, so the second lands on the next new RFC.
    let commands = burst(&mut app, "tctc");
    server.answer_all(&mut app, commands);
    let routed: Vec<&str> = server.writes.iter().map(|w| w.1.as_str()).collect();
    assert_eq!(
        routed,
        vec![FIRST, "0195a000-0000-7000-8000-00000000a003"],
        "each triage on the RFC selected once the one before is answered"
    );
    // On All open, the assessing RFC cannot be triaged: the typed-ahead
    // `t` says so, and swallows its `c` (no comment editor opens).
    fixtures::operator_keys(&mut app, "[");
    let assessing = "0195a000-0000-7000-8000-00000000a002";
    let commands = burst(&mut app, "a");
    let more = burst(&mut app, "jtc");
    assert!(more.is_empty());
    let mut commands = commands;
    commands.extend(more);
    server.answer_all(&mut app, commands);
    assert!(fixtures::overlay(&app).is_none(), "no comment editor");
    let message = app.message.clone().expect("the refusal");
    assert!(
        message.error && message.text.starts_with("Only new RFCs are triaged"),
        "{message:?}"
    );
    assert!(!server.writes.iter().any(|w| w.1 == assessing));
}

#[test]
fn a_refused_first_key_swallows_the_second() {
    let mut app = fixtures::rfc_queue();
    // All open; the second row is assessing: `t` is refused, and the `c`
    // meant for its chooser does not open the comment editor.
    fixtures::operator_keys(&mut app, "[jtc");
    assert!(fixtures::overlay(&app).is_none(), "no comment editor");
    let message = app.message.clone().expect("the refusal");
    assert!(message.error);
    assert!(message.text.starts_with("Only new RFCs are triaged"));
    assert!(
        message.text.ends_with("The next key is ignored."),
        "{message:?}"
    );
    // The key after the swallowed one works again.
    fixtures::operator_keys(&mut app, "c");
    assert!(matches!(
        fixtures::overlay(&app),
        Some(Overlay::Rfc(super::RfcOverlay::Comment(_)))
    ));
}

#[test]
fn a_refused_first_key_swallows_esc_too() {
    let mut app = fixtures::rfc_queue();
    // Mark the assessing RFC, then `t` on the marks is refused: the Esc
    // that follows is swallowed (the marks stay); the next Esc drops them.
    fixtures::operator_keys(&mut app, "[j ");
    assert_eq!(fixtures::queue(&app).marks.len(), 1);
    fixtures::operator_keys(&mut app, "t");
    let esc = || Msg::Key(KeyEvent::from(KeyCode::Esc));
    assert!(app.update(esc()).is_empty());
    assert_eq!(fixtures::queue(&app).marks.len(), 1, "Esc was swallowed");
    let commands = app.update(esc());
    fixtures::answer_all(&mut app, commands, Permission::Operator);
    assert!(fixtures::queue(&app).marks.is_empty());
}

#[test]
fn a_read_only_refusal_swallows_the_second_key() {
    let mut app = fixtures::app(Permission::Viewer, 120, 40);
    fixtures::operator_keys(&mut app, "6p4");
    assert_eq!(app.tab, ScreenId::Rfcs, "4 did not switch boards");
    let message = app.message.clone().expect("the refusal");
    assert!(message.text.starts_with("Read-only"), "{message:?}");
    assert!(message.text.ends_with("The next key is ignored."));
}

#[test]
fn keys_typed_while_the_queue_loads_act_on_its_first_rfc() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    let mut server = Server::new();
    // The queue's number key and a step, before its first page arrived.
    let commands = burst(&mut app, "6p4");
    assert_eq!(app.tab, ScreenId::Rfcs);
    assert_eq!(writes_sent(&commands), 0, "nothing to act on yet");
    assert_eq!(
        app.typed_ahead.len(),
        2,
        "the step's keys wait for the page"
    );
    server.answer_all(&mut app, commands);
    assert_eq!(
        server.writes,
        vec![("priority=low".to_string(), FIRST.to_string(), 1)]
    );
    assert!(app.typed_ahead.is_empty());
}

/// Ingrid's negotiating RFC, the fourth row of All open.
const INGRIDS: &str = "0195a000-0000-7000-8000-00000000a004";

#[test]
fn keys_typed_after_a_question_wait_for_a_yes_and_follow_it() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    fixtures::operator_keys(&mut app, "[jjj");
    // `a` asks before taking it from Ingrid; `p 4` typed on wait for the
    // answer instead of being swallowed by the question.
    let commands = burst(&mut app, "ap4");
    assert_eq!(writes_sent(&commands), 0, "nothing before the answer");
    assert!(matches!(fixtures::overlay(&app), Some(Overlay::Confirm(_))));
    assert_eq!(app.typed_ahead.len(), 2, "p and 4 wait");
    let message = app.message.clone().expect("what the keys wait for");
    assert!(
        message
            .text
            .starts_with("Answer the question first (y yes, n/esc no)"),
        "{message:?}"
    );
    let commands = burst(&mut app, "y");
    server.answer_all(&mut app, commands);
    let ingrids = INGRIDS.to_string();
    assert_eq!(
        server.writes,
        vec![
            ("assignee_id=s1".to_string(), ingrids.clone(), 1),
            ("priority=low".to_string(), ingrids, 2),
        ]
    );
    assert!(app.typed_ahead.is_empty());
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn a_question_opened_by_keys_typed_ahead_takes_its_answer_from_them() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    fixtures::operator_keys(&mut app, "[jjj");
    // A step on its way, then the question, its answer and a step after
    // it, all in one burst: every one lands, in order.
    let commands = burst(&mut app, "p3ayp4");
    assert_eq!(writes_sent(&commands), 1);
    server.answer_all(&mut app, commands);
    let ingrids = INGRIDS.to_string();
    assert_eq!(
        server.writes,
        vec![
            ("priority=medium".to_string(), ingrids.clone(), 1),
            ("assignee_id=s1".to_string(), ingrids.clone(), 2),
            ("priority=low".to_string(), ingrids, 3),
        ]
    );
    assert!(app.typed_ahead.is_empty());
}

#[test]
fn a_no_drops_the_keys_typed_after_the_question_and_says_so() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    fixtures::operator_keys(&mut app, "[jjj");
    let mut commands = burst(&mut app, "ap4");
    commands.extend(burst(&mut app, "n"));
    server.answer_all(&mut app, commands);
    assert!(server.writes.is_empty(), "{:?}", server.writes);
    assert!(app.typed_ahead.is_empty());
    assert!(fixtures::overlay(&app).is_none());
    let message = app.message.clone().expect("the dropped keys");
    assert_eq!(
        message.text,
        "Answered no, so the 2 keys typed after the question were not applied."
    );
    // The queue takes keys again.
    let commands = burst(&mut app, "p4");
    server.answer_all(&mut app, commands);
    assert_eq!(server.writes.len(), 1);
}
