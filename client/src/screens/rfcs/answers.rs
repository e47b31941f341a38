//! The answers to the queue's requests: reference lists, counts, the
//! detail's history and comments, and each RFC of a running step. When
//! the last answer of a step is in, the summary is shown and the list,
//! counts and detail reload.

use rapport_shared::Collection;

use super::bulk::Batch;
use super::undo::{Revert, Undo};
use super::{CommentEditor, CommentState, RfcOverlay, RfcPurpose, RfcScreen};
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record};
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};
use crate::screens::list::say_error;
use crate::screens::{Effect, ScreenCtx};
use crate::strings;

impl RfcScreen {
    /// The answers to the queue's requests.
    pub(super) fn rfc_reply(
        &mut self,
        ctx: &mut ScreenCtx,
        purpose: RfcPurpose,
        request: RequestId,
        reply: Reply,
    ) -> Vec<Command> {
        match (purpose, reply) {
            (RfcPurpose::Reference(collection), Reply::Page(result)) => {
                let Ok(page) = result else {
                    let mut commands = Vec::new();
                    if self.queue.references.awaits(request) {
                        self.queue.references = Remote::Loaded;
                        commands = self.rfc_load(ctx);
                    }
                    // Asked for again on the next load or refresh.
                    self.queue.failed_references.insert(collection);
                    return commands;
                };
                ctx.lookup.learn(collection, &page.items);
                if collection == Collection::Customers {
                    self.queue.learn_codes(&page.items);
                }
                if collection == Collection::Staff {
                    let me = ctx.env.me.and_then(|me| me.staff_id.as_deref());
                    self.queue.learn_staff(&page.items, me);
                }
                if self.queue.references.awaits(request) {
                    self.queue.references = Remote::Loaded;
                    return self.rfc_load(ctx);
                }
                // A retried customers list may resolve a view's customer
                // code that failed before.
                let unresolved = matches!(self.board.load, Remote::Failed(_));
                if collection == Collection::Customers && unresolved {
                    return self.rfc_load(ctx);
                }
                Vec::new()
            }
            (RfcPurpose::Count { view, generation }, Reply::Rfc(RfcAnswer::Count(result))) => {
                let count = result.ok().map(|n| n as i64);
                self.queue.count_arrived(view, generation, count);
                Vec::new()
            }
            (RfcPurpose::History, Reply::Rfc(RfcAnswer::Items(result))) => {
                let detail = &mut self.queue.detail;
                if detail.history.awaits(request) {
                    match result {
                        Ok(items) => {
                            detail.history_items = items;
                            detail.history = Remote::Loaded;
                        }
                        Err(error) => detail.history = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (RfcPurpose::Comments, Reply::Rfc(RfcAnswer::Items(result))) => {
                let detail = &mut self.queue.detail;
                if detail.comments.awaits(request) {
                    match result {
                        Ok(items) => {
                            detail.comment_items = items;
                            detail.comments = Remote::Loaded;
                        }
                        Err(error) => detail.comments = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (RfcPurpose::Requester, Reply::Record(Ok(contact))) => {
                ctx.lookup
                    .learn(Collection::Contacts, std::slice::from_ref(&contact));
                Vec::new()
            }
            (
                RfcPurpose::Step { label, revert },
                Reply::Rfc(RfcAnswer::Record(result)) | Reply::Record(result),
            ) => self.rfc_step_answered(ctx, label, revert, result),
            (RfcPurpose::Comment { id, label, text }, Reply::Rfc(RfcAnswer::Record(result))) => {
                self.comment_answered(ctx, id, label, text, result)
            }
            (_, reply) => {
                say_error(ctx, reply.error());
                Vec::new()
            }
        }
    }

    /// The server answered a comment: taken, the editor closes and the
    /// detail reloads; refused or failed, the editor opens again with the
    /// text, so nothing typed is lost.
    fn comment_answered(
        &mut self,
        ctx: &mut ScreenCtx,
        id: String,
        label: String,
        text: String,
        result: Result<Record, ApiError>,
    ) -> Vec<Command> {
        let posting = matches!(&self.overlay,
            Some(RfcOverlay::Comment(c)) if c.id == id && c.state == CommentState::Posting);
        match result {
            Ok(_) => {
                if posting {
                    self.overlay = None;
                }
                ctx.say(strings::commented(&label), false);
                let id = self.queue.detail.id.clone();
                self.rfc_selected(ctx, id)
            }
            Err(error) => {
                if posting {
                    if let Some(RfcOverlay::Comment(comment)) = self.overlay.as_mut() {
                        comment.state = CommentState::Editing;
                    }
                } else if self.overlay.is_none() {
                    let editor = CommentEditor::new(id, label, &text);
                    self.overlay = Some(RfcOverlay::Comment(editor));
                }
                ctx.say(strings::comment_refused(&error.to_string()), true);
                Vec::new()
            }
        }
    }

    pub(super) fn rfc_step_answered(
        &mut self,
        ctx: &mut ScreenCtx,
        label: String,
        revert: Option<Record>,
        result: Result<Record, ApiError>,
    ) -> Vec<Command> {
        let Some(batch) = self.queue.batch.as_mut() else {
            return Vec::new();
        };
        batch.pending = batch.pending.saturating_sub(1);
        match result {
            Ok(record) => {
                if let Some(patch) = revert {
                    batch.reverts.push(Revert {
                        id: crate::api::record_id(&record).to_string(),
                        label: label.clone(),
                        version: crate::api::record_version(&record),
                        patch,
                    });
                }
                batch.done.push(label);
                self.board.replace(record, ctx.lookup);
            }
            Err(ApiError::Stale) if batch.undoing => batch
                .refused
                .push((label, strings::UNDO_CHANGED_SINCE.to_string())),
            Err(error) => batch.refused.push((label, error.to_string())),
        }
        if self.queue.batch.as_ref().is_some_and(Batch::finished) {
            return self.rfc_batch_finished(ctx);
        }
        Vec::new()
    }

    /// Every answer is in: report, then reload the list, counts and detail.
    /// The marks stay until the user drops them (Esc), so the next step
    /// applies to the same RFCs; a bulk step's outcome goes to the status
    /// line (`R` shows its summary), the summary opens by itself only when
    /// something was refused.
    pub(super) fn rfc_batch_finished(&mut self, ctx: &mut ScreenCtx) -> Vec<Command> {
        let Some(batch) = self.queue.batch.take() else {
            return Vec::new();
        };
        // What `u` takes back next: this step, if it changed anything (an
        // undo itself is not undone; it leaves nothing to undo).
        if batch.undoing {
            self.queue.undo = None;
        } else if !batch.reverts.is_empty() {
            self.queue.undo = Some(Undo::Revert {
                what: batch.what.clone(),
                entries: batch.reverts.clone(),
            });
        } else if let Some(why) = batch.forbidden.clone().filter(|_| !batch.done.is_empty()) {
            self.queue.undo = Some(Undo::Forbidden(why));
        }
        if batch.asked > 1 {
            let outcome = strings::bulk_outcome(&batch.what, batch.done.len(), batch.refused.len());
            ctx.say(
                strings::with_details_key(&outcome),
                !batch.refused.is_empty(),
            );
            self.queue.last_summary = Some(batch.summary());
            // The summary never covers an open overlay (a comment being
            // typed): the status line has the outcome then.
            if self.overlay.is_none() && !batch.refused.is_empty() {
                self.overlay = Some(RfcOverlay::Summary {
                    lines: batch.summary(),
                    scroll: 0,
                });
            }
        } else if let Some((label, reason)) = batch.refused.first() {
            ctx.say(strings::rfc_step_refused(&batch.what, label, reason), true);
        } else if let Some(label) = batch.done.first() {
            ctx.say(strings::rfc_step_done(&batch.what, label), false);
        }
        self.queue.anchor = None;
        let mut commands = self.rfc_load(ctx);
        self.settling = match self.board.load {
            Remote::Loading(request) => Some(request),
            _ => None,
        };
        let id = self.board.selected_id.clone();
        commands.extend(self.rfc_selected(ctx, id));
        commands
    }

    /// The selection moved: load the RFC's history, comments and requester.
    pub(super) fn rfc_selected(&mut self, ctx: &mut ScreenCtx, id: Option<String>) -> Vec<Command> {
        let detail = &mut self.queue.detail;
        if detail.id != id {
            detail.history_items.clear();
            detail.comment_items.clear();
        }
        detail.id = id.clone();
        let Some(id) = id else {
            detail.history = Remote::Idle;
            detail.comments = Remote::Idle;
            return Vec::new();
        };
        let history = self.call(
            ctx,
            RfcPurpose::History,
            RfcCall::History { id: id.clone() },
        );
        let comments = self.call(
            ctx,
            RfcPurpose::Comments,
            RfcCall::Comments { id: id.clone() },
        );
        for (command, history_side) in [(&history, true), (&comments, false)] {
            if let Command::Rfc { request, .. } = command {
                let state = if history_side {
                    &mut self.queue.detail.history
                } else {
                    &mut self.queue.detail.comments
                };
                *state = Remote::Loading(*request);
            }
        }
        let mut commands = vec![history, comments];
        let requester = self
            .board
            .selected_record()
            .map(|r| crate::api::text(r, "requested_by_contact_id").to_string())
            .filter(|c| !c.is_empty() && ctx.lookup.name(c) == *c);
        if let Some(contact) = requester {
            commands.push(
                self.send(ctx, RfcPurpose::Requester, |request| Command::Get {
                    request,
                    collection: Collection::Contacts,
                    id: contact,
                }),
            );
        }
        commands
    }

    /// Esc on the queue: drop the marks first, then the filter text.
    pub(super) fn rfc_back(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if !self.queue.marks.is_empty() || self.queue.anchor.is_some() {
            self.queue.marks.clear();
            self.queue.anchor = None;
            return Vec::new();
        }
        if self.board.only.take().is_some() {
            self.board.filter.clear();
            let query = self.board.first_page();
            return crate::screens::commands(self.load(ctx, query, false));
        }
        let outcome = self.board.set_filter(String::new());
        self.outcome(ctx, outcome)
    }
}
