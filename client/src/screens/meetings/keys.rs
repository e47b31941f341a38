//! The Meetings screen's keys in each mode: the boards (move, switch,
//! open, create, edit, propose), an open meeting (its parts and items:
//! edit in place, add, remove, reorder, tick, open an item's sources, an
//! action to an RFC or an improvement) and my actions; the search typed
//! after `/`; the editor's save.

use crossterm::event::{KeyCode, KeyEvent};
use jiff::tz::TimeZone;
use rapport_shared::Collection;
use serde_json::Value;

use super::editor::{Editor, Target};
use super::loads::Load;
use super::{MeetingsScreen, Mode, Part, Question, Side, items};
use crate::api::{Record, record_id, text};
use crate::keymap::Action;
use crate::screens::{Effect, ScreenCtx};
use crate::strings;

impl MeetingsScreen {
    pub(super) fn move_row(row: &mut usize, count: usize, action: Action) {
        let last = count.saturating_sub(1);
        *row = match action {
            Action::Down => (*row + 1).min(last),
            Action::Up => row.saturating_sub(1),
            Action::HalfPageDown => (*row + 5).min(last),
            Action::HalfPageUp => row.saturating_sub(5),
            Action::Top => 0,
            Action::Bottom => last,
            _ => *row,
        };
    }

    pub(super) fn board_action(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        match action {
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp => {
                let count = self.board_rows(self.side, ctx.lookup).len();
                let side = self.side.index();
                Self::move_row(&mut self.rows[side], count, action);
            }
            Action::MeetingSwitch => self.side = self.side.other(),
            Action::New => return vec![Effect::Create(Collection::Meetings)],
            Action::Open | Action::Edit | Action::Delete => {
                let Some(meeting) = self.selected_on_board(ctx.lookup).cloned() else {
                    ctx.say(strings::MEETING_PICK, true);
                    return Vec::new();
                };
                return match action {
                    Action::Open => {
                        let id = record_id(&meeting).to_string();
                        self.open_meeting(ctx, id, Part::Agenda, 0)
                    }
                    Action::Edit => vec![Effect::Edit(Collection::Meetings, meeting)],
                    _ => vec![Effect::Delete(Collection::Meetings, meeting)],
                };
            }
            Action::ProposeAgenda => return self.propose(ctx),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn meeting_action(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        let Some(meeting) = self.open.clone() else {
            if action != Action::Back {
                ctx.say(strings::LOADING, false);
            }
            return Vec::new();
        };
        let field = self.part.list();
        let list = field.map(|f| items::list(&meeting, f)).unwrap_or_default();
        let at = self.item;
        let selected = list.get(at).cloned();
        let can_write = ctx.env.can_write(Collection::Meetings);
        let editor = |target: Target, ctx: &ScreenCtx| {
            let me = ctx.env.me.and_then(|me| me.staff_id.as_deref());
            Editor::new(target, &meeting, me, ctx.lookup)
        };
        match action {
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp => Self::move_row(&mut self.item, list.len(), action),
            Action::MeetingSwitch => {
                self.part = self.part.next();
                self.item = 0;
            }
            Action::New => return vec![Effect::Create(Collection::Meetings)],
            Action::ProposeAgenda => return self.propose(ctx),
            Action::Open if self.part == Part::Agenda => match selected {
                Some(item) => match items::source_screen(&item, &meeting) {
                    Ok(effect) => return vec![effect],
                    Err(reason) => ctx.say(reason, true),
                },
                None => ctx.say(strings::MEETING_NO_ITEM, true),
            },
            Action::Open | Action::Edit => {
                if !can_write {
                    ctx.say(strings::read_only_refusal(), true);
                    return Vec::new();
                }
                let target = match (self.part, &selected) {
                    (Part::Details, _) => {
                        return vec![Effect::Edit(Collection::Meetings, meeting)];
                    }
                    (Part::Minutes, _) => Target::Minutes,
                    (Part::Agenda, Some(_)) => Target::Agenda(Some(at)),
                    (Part::Decisions, Some(_)) => Target::Decision(Some(at)),
                    (Part::Actions, Some(_)) => Target::Action(Some(at)),
                    _ => {
                        ctx.say(strings::MEETING_NO_ITEM, true);
                        return Vec::new();
                    }
                };
                self.editor = Some(editor(target, ctx));
            }
            Action::MeetingAdd => {
                let target = match self.part {
                    Part::Agenda => Target::Agenda(None),
                    Part::Minutes => Target::Minutes,
                    Part::Decisions => Target::Decision(None),
                    Part::Actions => Target::Action(None),
                    Part::Details => {
                        ctx.say(strings::MEETING_ADD_WHERE, true);
                        return Vec::new();
                    }
                };
                self.editor = Some(editor(target, ctx));
            }
            Action::Delete => match (self.part, field, &selected) {
                (Part::Details, ..) => return vec![Effect::Delete(Collection::Meetings, meeting)],
                (_, Some(field), Some(_)) => {
                    self.asked = Some(Question::Remove {
                        meeting_id: record_id(&meeting).to_string(),
                        field,
                        at,
                    });
                    return vec![Effect::Ask(strings::remove_item(self.part.title()))];
                }
                _ => ctx.say(strings::MEETING_NO_ITEM, true),
            },
            Action::ItemUp | Action::ItemDown => {
                let Some(field) = field else {
                    ctx.say(strings::MEETING_NO_ITEM, true);
                    return Vec::new();
                };
                let up = action == Action::ItemUp;
                if let Some((list, to)) = items::moved(&list, at, up) {
                    return self.write_list(
                        ctx,
                        &meeting,
                        field,
                        list,
                        strings::MEETING_MOVED,
                        Some(to),
                    );
                }
            }
            Action::TickAction | Action::ActionToRfc | Action::ActionToImprovement => {
                let Some(action_item) = selected.filter(|_| self.part == Part::Actions) else {
                    ctx.say(strings::MEETING_PICK_ACTION, true);
                    return Vec::new();
                };
                let customer = text(&meeting, "customer_id").to_string();
                let origin = origin(&meeting, ctx.env.zone);
                return match action {
                    Action::TickAction => match items::ticked(&list, at) {
                        Some(list) => {
                            let message = tick_message(&action_item);
                            self.write_list(ctx, &meeting, "actions", list, message, Some(at))
                        }
                        None => Vec::new(),
                    },
                    Action::ActionToRfc => self.raise_from_action(
                        ctx,
                        Collection::Rfcs,
                        &action_item,
                        &customer,
                        &origin,
                    ),
                    _ => self.raise_from_action(
                        ctx,
                        Collection::Improvements,
                        &action_item,
                        &customer,
                        &origin,
                    ),
                };
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn actions_action(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        let count = self.actions.len();
        let Some(row) = self.selected_action().cloned() else {
            return Vec::new();
        };
        let field = |name: &str| {
            row.get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let index = row.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
        match action {
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp => Self::move_row(&mut self.action_row, count, action),
            Action::Open => {
                self.came_from = Mode::Boards;
                return self.open_meeting(ctx, field("meeting_id"), Part::Actions, index);
            }
            Action::TickAction => {
                let what = Load::Tick {
                    index,
                    text: field("text"),
                };
                return vec![self.fetch(ctx, field("meeting_id"), what)];
            }
            Action::ActionToRfc | Action::ActionToImprovement => {
                let collection = if action == Action::ActionToRfc {
                    Collection::Rfcs
                } else {
                    Collection::Improvements
                };
                let origin = self
                    .meeting(&field("meeting_id"))
                    .map(|m| origin(m, ctx.env.zone))
                    .unwrap_or_else(|| strings::MEETING_A_MEETING.to_string());
                return self.raise_from_action(
                    ctx,
                    collection,
                    &row,
                    &field("customer_id"),
                    &origin,
                );
            }
            _ => {}
        }
        Vec::new()
    }

    /// A key while the search is typed: text, Enter keeps it, Esc drops it.
    pub(super) fn search_key(&mut self, key: &KeyEvent) {
        match key.code {
            KeyCode::Enter => self.searching = false,
            KeyCode::Esc => {
                self.searching = false;
                self.search.clear();
            }
            KeyCode::Backspace => {
                self.search.pop();
            }
            KeyCode::Char(c) => self.search.push(c),
            _ => return,
        }
        self.rows = [0, 0];
    }

    /// Saves the editor's change to its meeting.
    pub(super) fn save_editor(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let Some(editor) = &self.editor else {
            return Vec::new();
        };
        let Some(meeting) = self.meeting(&editor.meeting_id).cloned() else {
            ctx.say(strings::MEETING_GONE, true);
            return Vec::new();
        };
        let (field, value) = match editor.change(&meeting) {
            Ok(change) => change,
            Err(reason) => {
                ctx.say(reason, true);
                return Vec::new();
            }
        };
        let select = match editor.target {
            Target::Agenda(None) | Target::Decision(None) | Target::Action(None) => {
                value.as_array().map(|list| list.len().saturating_sub(1))
            }
            _ => None,
        };
        let mut patch = Record::new();
        patch.insert(field.to_string(), value);
        let what = Load::Write {
            message: strings::MEETING_SAVED.to_string(),
            select,
            editor: true,
        };
        self.write(ctx, &meeting, patch, what)
    }
}

/// Where an RFC or improvement raised from a meeting's action came from.
fn origin(meeting: &Record, zone: &TimeZone) -> String {
    let kind = Side::of(meeting).map_or("", Side::word);
    format!("{kind} meeting of {}", super::when(meeting, zone))
}

fn tick_message(action: &Value) -> &'static str {
    if items::is_open(action) {
        strings::MEETING_TICKED
    } else {
        strings::MEETING_UNTICKED
    }
}
