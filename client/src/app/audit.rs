//! The views the app opens over any screen on its selected record: the
//! audit trail (`T`: the screen names its record through
//! `Screen::selected`, the app reads the trail a page at a time as its own
//! request) and the full detail a screen without a list board hands over
//! (`v`, `Effect::Detail`). Both are drawn and scrolled as a list screen's
//! full detail is (`components/full_detail.rs`).

use crossterm::event::KeyEvent;

use super::{App, Command, Overlay, Purpose, Reply};
use crate::components::audit::AuditTrail;
use crate::components::full_detail::{self, FullDetail, Keyed};
use crate::keymap::Action;
use crate::remote::{Remote, RequestId};
use crate::strings;
use crate::when::Clock;

impl App {
    /// `T`: opens the audit trail of the record the screen shown has
    /// selected, and asks for its first page.
    pub(super) fn open_audit(&mut self) -> Vec<Command> {
        let Some(selected) = self.screen().selected(&self.lookup) else {
            self.say(strings::AUDIT_NOTHING_SELECTED, false);
            return Vec::new();
        };
        let fields = crate::screens::form_labels(selected.collection);
        let trail = AuditTrail::new(selected.collection, selected.id, selected.label, fields);
        self.ask_audit_page(trail)
    }

    /// Asks for the trail's next page and shows it meanwhile.
    fn ask_audit_page(&mut self, mut trail: AuditTrail) -> Vec<Command> {
        let call = trail.next_call();
        let command = self.request(Purpose::Audit, |request| Command::View { request, call });
        if let Some(request) = command.request() {
            trail.load = Remote::Loading(request);
        }
        self.overlay = Some(Overlay::Audit(trail));
        vec![command]
    }

    /// A page of the open trail arrived (dropped when it was closed or
    /// another was opened).
    pub(super) fn audit_arrived(&mut self, request: RequestId, reply: Reply) -> Vec<Command> {
        let Some(Overlay::Audit(trail)) = self.overlay.as_mut() else {
            return Vec::new();
        };
        let Reply::View(result) = reply else {
            return Vec::new();
        };
        trail.arrived(request, result);
        let trail = trail.clone();
        self.audit_next_if_at_end(trail)
    }

    /// What the clock tells the trail's times against.
    pub fn clock(&self) -> Clock {
        Clock {
            now: jiff::Timestamp::now(),
            zone: self.zone.clone(),
        }
    }

    /// The trail's rows at the current size.
    pub fn audit_rows(&self, trail: &AuditTrail) -> Vec<String> {
        let width = crate::layout::of_size(self.size).body.width;
        let bottom = self.keymap.label(Action::Bottom);
        trail.rows(&self.lookup, &self.clock(), &bottom, width)
    }

    /// A key in the audit trail: scroll, or close; at its end the next
    /// page is asked for.
    pub(super) fn audit_key(&mut self, mut trail: AuditTrail, key: KeyEvent) -> Vec<Command> {
        if full_detail::closes(&self.keymap, &key)
            || self.keymap.is(Action::Audit, &key)
            || self.keymap.is(Action::Quit, &key)
        {
            return Vec::new();
        }
        let rows = self.audit_rows(&trail).len();
        trail.scroll = full_detail::scroll(&self.keymap, &key, trail.scroll, rows, self.size);
        self.audit_next_if_at_end(trail)
    }

    /// Keeps `trail` open, asking for its next page when it is scrolled
    /// to its end (or all of it fits) and there is one.
    fn audit_next_if_at_end(&mut self, trail: AuditTrail) -> Vec<Command> {
        let rows = self.audit_rows(&trail).len();
        if trail.wants_next(rows, full_detail::page(self.size)) {
            return self.ask_audit_page(trail);
        }
        self.overlay = Some(Overlay::Audit(trail));
        Vec::new()
    }

    /// A key in a full detail the app shows for a screen.
    pub(super) fn detail_key(&mut self, mut detail: FullDetail, key: KeyEvent) -> Vec<Command> {
        if self.keymap.is(Action::Quit, &key) {
            return Vec::new();
        }
        if detail.key(&self.keymap, self.size, &key) == Keyed::Open {
            self.overlay = Some(Overlay::Detail(detail));
        }
        Vec::new()
    }
}
