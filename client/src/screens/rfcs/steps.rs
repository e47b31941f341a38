//! The queue's overlays (choosers, comment editor, bulk summary) and
//! running a step: each target is planned with the shared state machine,
//! the legal ones are sent one request each.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::{RfcRoute, RfcStatus};

use super::bulk::{self, Batch, Step, Work};
use super::undo::{self, Undo};
use super::{
    Choice, CommentEditor, CommentState, MoveNote, RfcOverlay, RfcPurpose, RfcScreen, rfc_label,
};
use crate::api::Record;
use crate::api::rfcs::RfcCall;
use crate::keymap::{Action, Context};
use crate::messages::Command;
use crate::screens::{Effect, ScreenCtx, commands};
use crate::strings;

/// Whether moving to `status` ends the RFC's working life (withdrawn,
/// rejected, declined, closed): such moves are asked about first.
fn is_final(status: RfcStatus) -> bool {
    matches!(
        status,
        RfcStatus::Withdrawn | RfcStatus::Rejected | RfcStatus::Declined | RfcStatus::Closed
    )
}

impl RfcScreen {
    /// Assigns `targets`, asking first when any of them is a colleague's
    /// (assigned to someone other than the user and the new assignee).
    pub(super) fn rfc_assign(
        &mut self,
        ctx: &mut ScreenCtx,
        step: Step,
        targets: Vec<Record>,
    ) -> Vec<Effect> {
        let Step::Assign { id, name } = &step else {
            return commands(self.rfc_run(ctx, step, targets));
        };
        let me = ctx.env.me.and_then(|me| me.staff_id.as_deref());
        let taken: Vec<&Record> = targets
            .iter()
            .filter(|rfc| {
                let assignee = crate::api::text(rfc, "assignee_id");
                !assignee.is_empty() && assignee != id && Some(assignee) != me
            })
            .collect();
        if taken.is_empty() {
            return commands(self.rfc_run(ctx, step, targets));
        }
        let holder = match taken.as_slice() {
            [only] => Some(ctx.lookup.name_of(only, "assignee_id")),
            _ => None,
        };
        let question = strings::confirm_take(
            name.as_deref(),
            targets.len(),
            taken.len(),
            targets.first().map(rfc_label).as_deref(),
            holder.as_deref(),
        );
        self.asked = Some((step, targets));
        vec![Effect::Ask(question)]
    }

    /// Keys while a queue overlay is open.
    pub(super) fn rfc_overlay_key(
        &mut self,
        ctx: &mut ScreenCtx,
        overlay: RfcOverlay,
        key: KeyEvent,
    ) -> Vec<Effect> {
        let back = ctx.env.keymap.is(Action::Back, &key);
        match overlay {
            RfcOverlay::Chooser(mut chooser) => {
                if let Some(typed) = chooser.narrow.as_mut() {
                    // Letters narrow the assignee choices; digits pick.
                    let narrowed = match key.code {
                        KeyCode::Char(c) if !c.is_ascii_digit() && !back => {
                            typed.push(c);
                            true
                        }
                        KeyCode::Backspace => typed.pop().is_some(),
                        KeyCode::Down => {
                            chooser.cursor =
                                (chooser.cursor + 1).min(chooser.choices.len().saturating_sub(1));
                            self.overlay = Some(RfcOverlay::Chooser(chooser));
                            return Vec::new();
                        }
                        KeyCode::Up => {
                            chooser.cursor = chooser.cursor.saturating_sub(1);
                            self.overlay = Some(RfcOverlay::Chooser(chooser));
                            return Vec::new();
                        }
                        _ => false,
                    };
                    if narrowed {
                        chooser.choices =
                            super::choosers::assignee_choices(&self.queue.staff, typed);
                        chooser.cursor = 0;
                        self.overlay = Some(RfcOverlay::Chooser(chooser));
                        return Vec::new();
                    }
                }
                let picked = match (key.code, ctx.env.keymap.action(Context::Triage, &key)) {
                    (_, Some(Action::RouteChange))
                        if chooser.title == strings::RFC_TRIAGE_TITLE =>
                    {
                        Some(Choice::Route(RfcRoute::ChangeManagement))
                    }
                    (_, Some(Action::RouteService))
                        if chooser.title == strings::RFC_TRIAGE_TITLE =>
                    {
                        Some(Choice::Route(RfcRoute::ServiceLevelManagement))
                    }
                    (KeyCode::Char(c), _) if c.is_ascii_digit() => c
                        .to_digit(10)
                        .and_then(|n| chooser.choices.get((n as usize).wrapping_sub(1)).copied()),
                    (KeyCode::Enter, _) => chooser.choices.get(chooser.cursor).copied(),
                    _ => None,
                };
                if let Some(choice) = picked {
                    // A move asks for its optional note first.
                    if let Choice::Status(status) = choice {
                        self.overlay =
                            Some(RfcOverlay::Note(MoveNote::new(status, chooser.targets)));
                        return Vec::new();
                    }
                    return match choice.step(&self.queue.staff) {
                        Some(step @ Step::Assign { .. }) => {
                            self.rfc_assign(ctx, step, chooser.targets)
                        }
                        Some(step) => commands(self.rfc_run(ctx, step, chooser.targets)),
                        None => Vec::new(),
                    };
                }
                if back {
                    return Vec::new();
                }
                match ctx.env.keymap.action(Context::Board, &key) {
                    Some(Action::Down) => {
                        chooser.cursor =
                            (chooser.cursor + 1).min(chooser.choices.len().saturating_sub(1))
                    }
                    Some(Action::Up) => chooser.cursor = chooser.cursor.saturating_sub(1),
                    _ => {}
                }
                self.overlay = Some(RfcOverlay::Chooser(chooser));
                Vec::new()
            }
            RfcOverlay::Comment(comment) => self.comment_key(ctx, comment, key),
            RfcOverlay::Note(note) => self.note_key(ctx, note, key),
            RfcOverlay::Detail { scroll } => {
                if back || ctx.env.keymap.is(Action::RfcDetail, &key) {
                    return Vec::new();
                }
                // Undo works on the full detail too, which stays open.
                if ctx.env.keymap.is(Action::RfcUndo, &key) {
                    self.overlay = Some(RfcOverlay::Detail { scroll });
                    return commands(self.rfc_undo(ctx));
                }
                let (width, _) = ctx.env.size;
                let page = usize::from(
                    crate::layout::of_size(ctx.env.size)
                        .body
                        .height
                        .saturating_sub(2),
                );
                let last =
                    super::detail::detail_rows(self, &ctx.draw(), width).saturating_sub(page);
                let action = ctx.env.keymap.action(Context::Board, &key);
                let scroll = crate::components::detail::scrolled(action, scroll, page, last);
                self.overlay = Some(RfcOverlay::Detail { scroll });
                Vec::new()
            }
            RfcOverlay::Summary { lines, mut scroll } => {
                if back || key.code == KeyCode::Enter {
                    return Vec::new();
                }
                match ctx.env.keymap.action(Context::Board, &key) {
                    Some(Action::Down) => scroll += 1,
                    Some(Action::Up) => scroll = scroll.saturating_sub(1),
                    _ => {}
                }
                self.overlay = Some(RfcOverlay::Summary { lines, scroll });
                Vec::new()
            }
        }
    }

    /// Keys in a move's note: Enter moves (with the note, if one was
    /// typed; a final move asks first), Esc moves nothing.
    fn note_key(&mut self, ctx: &mut ScreenCtx, mut note: MoveNote, key: KeyEvent) -> Vec<Effect> {
        if ctx.env.keymap.is(Action::Back, &key) {
            ctx.say(strings::RFC_MOVE_CANCELLED, false);
            return Vec::new();
        }
        if key.code != KeyCode::Enter {
            note.editor.input(key);
            self.overlay = Some(RfcOverlay::Note(note));
            return Vec::new();
        }
        let step = Step::Move(note.status, note.note());
        if is_final(note.status) {
            let question = strings::confirm_final_move(
                note.status.as_str(),
                note.targets.len(),
                note.targets.first().map(rfc_label).as_deref(),
            );
            self.asked = Some((step, note.targets));
            return vec![Effect::Ask(question)];
        }
        commands(self.rfc_run(ctx, step, note.targets))
    }

    /// Keys in the comment editor. Esc drops an empty comment at once and
    /// asks first about typed text; ctrl-s posts and keeps the editor open
    /// (marked posting) until the server has taken the comment; ctrl-e
    /// hands the text to the user's editor, as a form's multi-line field.
    fn comment_key(
        &mut self,
        ctx: &mut ScreenCtx,
        mut comment: CommentEditor,
        key: KeyEvent,
    ) -> Vec<Effect> {
        match comment.state {
            // The app keeps the keys typed while the post is on its way
            // (the screen is writing) and applies them after the answer,
            // which closes the editor or hands the text back.
            CommentState::Posting => {}
            CommentState::AskingDrop => {
                if ctx.env.keymap.is(Action::Yes, &key) && key.code != KeyCode::Enter {
                    return Vec::new();
                }
                if ctx.env.keymap.is(Action::No, &key) || ctx.env.keymap.is(Action::Back, &key) {
                    comment.state = CommentState::Editing;
                }
            }
            CommentState::Editing if ctx.env.keymap.is(Action::Back, &key) => {
                if !comment.has_text() {
                    return Vec::new();
                }
                comment.state = CommentState::AskingDrop;
            }
            CommentState::Editing if ctx.env.keymap.is(Action::Save, &key) => {
                if comment.has_text() {
                    comment.state = CommentState::Posting;
                    let purpose = RfcPurpose::Comment {
                        id: comment.id.clone(),
                        label: comment.label.clone(),
                        text: comment.text(),
                    };
                    let call = RfcCall::Comment {
                        id: comment.id.clone(),
                        text: comment.text(),
                    };
                    self.overlay = Some(RfcOverlay::Comment(comment));
                    return commands([self.call(ctx, purpose, call)]);
                }
            }
            CommentState::Editing if ctx.env.keymap.is(Action::EditInEditor, &key) => {
                let effect = Effect::EditText {
                    text: comment.text(),
                    taken: strings::comment_taken_back(&ctx.env.keymap.label(Action::Save)),
                };
                self.overlay = Some(RfcOverlay::Comment(comment));
                return vec![effect];
            }
            CommentState::Editing => {
                comment.editor.input(key);
            }
        }
        self.overlay = Some(RfcOverlay::Comment(comment));
        Vec::new()
    }

    /// Plans `step` for each target and sends the legal ones.
    pub(super) fn rfc_run(
        &mut self,
        ctx: &mut ScreenCtx,
        step: Step,
        targets: Vec<Record>,
    ) -> Vec<Command> {
        // One step at a time, so every answer is counted in its own summary.
        if self.queue.batch.is_some() {
            ctx.say(strings::RFC_STEP_RUNNING, true);
            return Vec::new();
        }
        let mut batch = Batch {
            what: step.what(),
            pending: 0,
            done: Vec::new(),
            refused: Vec::new(),
            asked: targets.len(),
            reverts: Vec::new(),
            forbidden: undo::forbidden(&step),
            undoing: false,
        };
        let mut commands = Vec::new();
        for rfc in &targets {
            let label = rfc_label(rfc);
            match bulk::plan(&step, rfc) {
                Err(reason) => batch.refused.push((label, reason)),
                Ok(Work::Call(call)) => {
                    batch.pending += 1;
                    let purpose = RfcPurpose::Step {
                        label,
                        revert: None,
                    };
                    commands.push(self.call(ctx, purpose, call));
                }
                Ok(Work::Patch { id, version, patch }) => {
                    batch.pending += 1;
                    let purpose = RfcPurpose::Step {
                        label,
                        revert: Some(undo::revert_patch(rfc, &patch)),
                    };
                    commands.push(self.send(ctx, purpose, |request| Command::Update {
                        request,
                        collection: Collection::Rfcs,
                        id,
                        version,
                        patch,
                    }));
                }
            }
        }
        self.queue.batch = Some(batch);
        if commands.is_empty() {
            return self.rfc_batch_finished(ctx);
        }
        commands
    }

    /// `u`: takes back the last step made from the queue as a new write
    /// per RFC, at the version that step left (a record changed since is
    /// refused by the server and named); says why when there is nothing
    /// to undo or the workflow has no way back.
    pub(super) fn rfc_undo(&mut self, ctx: &mut ScreenCtx) -> Vec<Command> {
        if self.queue.batch.is_some() {
            ctx.say(strings::RFC_STEP_RUNNING, true);
            return Vec::new();
        }
        let entries = match self.queue.undo.take() {
            None => {
                ctx.say(strings::RFC_NOTHING_TO_UNDO, true);
                return Vec::new();
            }
            Some(Undo::Forbidden(why)) => {
                ctx.say(why.clone(), true);
                self.queue.undo = Some(Undo::Forbidden(why));
                return Vec::new();
            }
            Some(Undo::Revert { what, entries }) => {
                self.queue.batch = Some(Batch {
                    what: strings::undo_what(&what),
                    pending: entries.len(),
                    done: Vec::new(),
                    refused: Vec::new(),
                    asked: entries.len(),
                    reverts: Vec::new(),
                    forbidden: None,
                    undoing: true,
                });
                entries
            }
        };
        entries
            .into_iter()
            .map(|entry| {
                let purpose = RfcPurpose::Step {
                    label: entry.label,
                    revert: None,
                };
                self.send(ctx, purpose, |request| Command::Update {
                    request,
                    collection: Collection::Rfcs,
                    id: entry.id,
                    version: entry.version,
                    patch: entry.patch,
                })
            })
            .collect()
    }
}
