//! The Meetings screen as a [`Screen`]: how the app's calls (keys,
//! answers, changes, ticks, drawing) reach the screen's own code in
//! `loads`, `keys` and `replies`.

use crossterm::event::KeyEvent;
use rapport_shared::Collection;
use ratatui::Frame;
use ratatui::layout::Rect;

use serde_json::{Value, json};

use super::editor::{Editor, EditorKey, Target};
use super::{MeetingsScreen, Mode, Part, Question, Side, items};
use crate::api::{ListQuery, Record, ServerChange, record_id, record_version, text};
use crate::components::form::{CommentTarget, Draft};
use crate::keymap::Action;
use crate::layout::Areas;
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};
use crate::screens::list::write_hints;
use crate::screens::{DrawCtx, Effect, Env, Screen, ScreenCtx};
use crate::strings;

pub use super::loads::Load;

impl Screen for MeetingsScreen {
    /// The meeting open or selected; in my actions, the selected action's meeting.
    fn selected(&self, lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        let meeting = match self.current(lookup) {
            Some(meeting) => meeting,
            None => {
                let id = self.selected_action()?.get("meeting_id")?.as_str()?;
                self.meetings
                    .iter()
                    .find(|m| crate::api::record_id(m) == id)?
            }
        };
        crate::screens::Selected::of(Collection::Meetings, meeting)
    }

    fn is_idle(&self) -> bool {
        self.load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.reload_all(ctx)
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        match action {
            Action::Refresh => return self.reload_all(ctx),
            Action::FullDetail => {
                let meeting = self.current(ctx.lookup).cloned();
                return crate::screens::show_detail(ctx, Collection::Meetings, meeting.as_ref());
            }
            Action::Filter => {
                self.mode = Mode::Boards;
                self.searching = true;
                return Vec::new();
            }
            Action::MyActions if self.mode == Mode::MyActions => {
                self.mode = self.came_from;
                return Vec::new();
            }
            Action::MyActions => {
                self.came_from = self.mode;
                self.mode = Mode::MyActions;
                self.action_row = 0;
                return vec![self.load_actions(ctx)];
            }
            _ => {}
        }
        match self.mode {
            Mode::Boards => self.board_action(ctx, action),
            Mode::Meeting => self.meeting_action(ctx, action),
            Mode::MyActions => self.actions_action(ctx, action),
        }
    }

    fn back(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        match self.mode {
            Mode::MyActions => self.mode = self.came_from,
            Mode::Meeting => {
                self.mode = Mode::Boards;
                self.open_id = None;
                self.open = None;
            }
            Mode::Boards if !self.search.is_empty() => {
                self.search.clear();
                self.rows = [0, 0];
            }
            Mode::Boards if !self.narrowing.is_empty() => {
                self.narrowing.clear();
                return self.load(ctx);
            }
            Mode::Boards => {}
        }
        Vec::new()
    }

    fn find(&mut self, _ctx: &mut ScreenCtx, text: String) -> Vec<Effect> {
        self.mode = Mode::Boards;
        self.search = text;
        self.rows = [0, 0];
        Vec::new()
    }

    fn palette(&mut self, ctx: &mut ScreenCtx, word: &str, argument: &str) -> Vec<Effect> {
        if word != super::WITH_WORD {
            return Vec::new();
        }
        let wanted = argument.trim().to_lowercase();
        self.mode = Mode::Boards;
        if wanted.is_empty() {
            self.narrowing.clear();
            return self.load(ctx);
        }
        let team = ctx
            .lookup
            .teams
            .iter()
            .find(|(_, team)| text(team, "name").to_lowercase().contains(&wanted))
            .map(|(id, _)| id.clone());
        if let Some(team) = team {
            self.narrowing = vec![("team_id".to_string(), team)];
            return self.load(ctx);
        }
        let query = ListQuery {
            limit: 20,
            q: Some(argument.trim().to_string()),
            ..ListQuery::default()
        };
        let (effect, _) = self.send(ctx, Load::Customer(wanted), |request| Command::List {
            request,
            collection: Collection::Customers,
            query,
        });
        vec![effect]
    }

    fn narrow(&mut self, ctx: &mut ScreenCtx, filters: Vec<(String, String)>) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some((_, id)) = filters.iter().find(|(key, _)| key == "id") {
            if self.load == Remote::Idle {
                effects.extend(self.load(ctx));
            }
            effects.extend(self.open_meeting(ctx, id.clone(), Part::Agenda, 0));
            return effects;
        }
        self.narrowing = filters
            .into_iter()
            .filter(|(key, _)| key == "customer_id" || key == "team_id")
            .collect();
        self.mode = Mode::Boards;
        self.rows = [0, 0];
        self.load(ctx)
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        if self.write == Some(request) {
            self.write = None;
        }
        super::replies::arrived(self, ctx, request, what, reply)
    }

    fn on_change(&mut self, _ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        if change.collection != Some(Collection::Meetings) || self.load == Remote::Idle {
            return Vec::new();
        }
        // Our own write comes back through the feed: a copy as new as the
        // change needs no reload.
        let known = self
            .meeting(&change.id)
            .map(record_version)
            .is_some_and(|version| version >= change.version);
        if !known {
            self.stale = true;
        }
        Vec::new()
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.stale && self.pending.is_empty() {
            self.stale = false;
            return self.reload_all(ctx);
        }
        Vec::new()
    }

    fn put(&mut self, _ctx: &mut ScreenCtx, collection: Collection, record: &Record) {
        if collection == Collection::Meetings {
            MeetingsScreen::put(self, record.clone());
        }
    }

    fn removed(&mut self, _ctx: &mut ScreenCtx, collection: Collection, id: &str) -> Vec<Effect> {
        if collection == Collection::Meetings {
            self.meetings.retain(|m| record_id(m) != id);
            if self.open_id.as_deref() == Some(id) {
                self.open_id = None;
                self.open = None;
                self.mode = Mode::Boards;
            }
        }
        Vec::new()
    }

    fn create_defaults(&self, collection: Collection) -> Vec<(String, String)> {
        if collection != Collection::Meetings {
            return Vec::new();
        }
        let open = self.open.as_ref().filter(|_| self.mode == Mode::Meeting);
        let side = open.and_then(Side::of).unwrap_or(self.side);
        let mut defaults = vec![("kind".to_string(), side.kind().to_string())];
        let customer = open
            .map(|m| text(m, "customer_id").to_string())
            .or_else(|| {
                self.narrowing
                    .iter()
                    .find(|(key, _)| key == "customer_id")
                    .map(|(_, id)| id.clone())
            });
        if let Some(customer) = customer {
            defaults.push(("customer_id".to_string(), customer));
        }
        defaults
    }

    fn confirmed(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        match self.asked.take() {
            Some(Question::ReplaceAgenda(id)) => match self.meeting(&id).cloned() {
                Some(meeting) => self.start_proposal(ctx, &meeting),
                None => Vec::new(),
            },
            Some(Question::Remove {
                meeting_id,
                field,
                at,
            }) => {
                let Some(meeting) = self.meeting(&meeting_id).cloned() else {
                    return Vec::new();
                };
                match items::removed(&items::list(&meeting, field), at) {
                    Some(list) => {
                        let select = Some(at.saturating_sub(1));
                        self.write_list(
                            ctx,
                            &meeting,
                            field,
                            list,
                            strings::MEETING_REMOVED,
                            select,
                        )
                    }
                    None => Vec::new(),
                }
            }
            None => Vec::new(),
        }
    }

    fn resize(&mut self, _rows: usize) {}

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        super::draw::draw(frame, ctx, self, areas.body);
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        let writes = env.can_write(Collection::Meetings);
        let mut hints = match self.mode {
            Mode::Boards => vec![
                (Action::MeetingSwitch, "other board"),
                (Action::Open, "open"),
                (Action::MyActions, "my actions"),
            ],
            Mode::Meeting => {
                let mut hints = vec![(Action::MeetingSwitch, "next part")];
                if self.part == Part::Agenda {
                    hints.push((Action::Open, "sources"));
                }
                if self.part == Part::Actions && writes {
                    hints.push((Action::TickAction, "tick"));
                    hints.push((Action::ActionToRfc, "RFC"));
                    hints.push((Action::ActionToImprovement, "improvement"));
                }
                if writes {
                    hints.push((Action::MeetingAdd, "add"));
                    hints.push((Action::Edit, "edit"));
                }
                hints.push((Action::Back, "boards"));
                hints
            }
            Mode::MyActions => vec![
                (Action::Open, "meeting"),
                (Action::TickAction, "tick"),
                (Action::ActionToRfc, "RFC"),
                (Action::MyActions, "back"),
            ],
        };
        if writes && self.mode != Mode::MyActions {
            hints.push((Action::ProposeAgenda, "propose agenda"));
        }
        if self.mode == Mode::Boards {
            hints.extend(write_hints(env, Collection::Meetings));
            hints.push((Action::Filter, "search"));
        }
        hints
    }

    fn writing(&self) -> bool {
        self.write.is_some()
    }

    fn overlay_open(&self) -> bool {
        self.editor.is_some() || self.searching
    }

    fn overlay_key(&mut self, ctx: &mut ScreenCtx, key: KeyEvent) -> Vec<Effect> {
        if self.searching {
            self.search_key(&key);
            return Vec::new();
        }
        let Some(editor) = self.editor.as_mut() else {
            return Vec::new();
        };
        match editor.key(ctx.env.keymap, &key) {
            EditorKey::Typed => Vec::new(),
            EditorKey::Close => {
                self.editor = None;
                Vec::new()
            }
            EditorKey::Save => self.save_editor(ctx),
        }
    }

    fn unsaved(&self) -> Option<Draft> {
        let editor = self.editor.as_ref().filter(|e| e.is_dirty())?;
        let meeting = self.meeting(&editor.meeting_id)?;
        let mut values = Record::new();
        values.insert("target".into(), json!(editor.target.key()));
        values.insert("fields".into(), json!(editor.values()));
        Some(Draft {
            collection: Collection::Meetings,
            base: Some(meeting.clone()),
            idempotency_key: None,
            values,
            comment_on: Some(CommentTarget {
                id: editor.meeting_id.clone(),
                label: editor.target.title().to_string(),
            }),
            owner: None,
            labels: Default::default(),
        })
    }

    fn restore(&mut self, ctx: &mut ScreenCtx, draft: &Draft) -> bool {
        // The editor reopens over the meeting as it was read; the meeting
        // is read again when the screen shows, and a save applies the text
        // to the list as it is then.
        let (Some(meeting), Some(target)) = (
            draft.base.clone(),
            draft
                .values
                .get("target")
                .and_then(Value::as_str)
                .and_then(Target::parse),
        ) else {
            return false;
        };
        let typed: Vec<String> = draft
            .values
            .get("fields")
            .and_then(Value::as_array)
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| f.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let me = ctx.env.me.and_then(|me| me.staff_id.as_deref());
        let mut editor = Editor::new(target, &meeting, me, ctx.lookup);
        editor.restore(&typed);
        self.open_id = Some(record_id(&meeting).to_string());
        self.open = Some(meeting);
        self.mode = Mode::Meeting;
        self.part = match target {
            Target::Agenda(_) => Part::Agenda,
            Target::Minutes => Part::Minutes,
            Target::Decision(_) => Part::Decisions,
            Target::Action(_) => Part::Actions,
        };
        self.editor = Some(editor);
        true
    }

    fn draw_overlay(&self, ctx: &DrawCtx, frame: &mut Frame, area: Rect) {
        if let Some(editor) = &self.editor {
            super::draw_meeting::draw_editor(frame, ctx, editor, area);
        }
    }
}
