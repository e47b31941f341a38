//! The notifications on the app's side: every RFC change on the feed has
//! its audit entry read ([`ViewCall::ChangeAudit`]), which
//! [`crate::notifications::judge`] tells about or not; a told one is
//! counted in the status bar and, with `notify_bell`, rings the bell. The
//! list (`!`, `:notifications`) shows them newest first, clears the count,
//! and opens the RFC of the one chosen on the RFC queue.

use rapport_shared::Collection;
use rapport_shared::wire::AuditEntry;

use super::{App, Command, Overlay, Purpose};
use crate::api::ServerChange;
use crate::api::views::ViewCall;
use crate::keymap::{Action, Context};
use crate::messages::Reply;
use crate::screens::{Effect, ScreenId};

/// The notifications' list, open over the screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotificationList {
    pub selected: usize,
}

impl App {
    /// Asks who made an RFC change on the feed, and how, when it may be
    /// worth telling (not a delete; the user known).
    pub(super) fn notice_change(&mut self, change: &ServerChange) -> Vec<Command> {
        let Ok(seq) = change.seq.parse::<i64>() else {
            return Vec::new();
        };
        if change.collection != Some(Collection::Rfcs)
            || change.action == "delete"
            || self.me.is_none()
        {
            return Vec::new();
        }
        let call = ViewCall::ChangeAudit {
            entity: Collection::Rfcs.name(),
            id: change.id.clone(),
            seq,
        };
        vec![self.request(Purpose::Notify(seq), |request| Command::View {
            request,
            call,
        })]
    }

    /// The audit entry of change `seq` arrived: told about, or not. A
    /// failed read loses one notification and says nothing (the screens
    /// show the change anyway).
    pub(super) fn change_audited(&mut self, seq: i64, reply: Reply) -> Vec<Command> {
        let (Reply::View(Ok(page)), Some(me)) = (reply, self.me.as_ref()) else {
            return Vec::new();
        };
        let entry = page
            .get("items")
            .and_then(|items| items.get(0))
            .and_then(|item| serde_json::from_value::<AuditEntry>(item.clone()).ok())
            .filter(|entry| entry.seq == seq);
        let Some(told) = entry.and_then(|entry| crate::notifications::judge(&entry, me)) else {
            return Vec::new();
        };
        if self.notifications.push(told) && self.notify_bell {
            return vec![Command::Bell];
        }
        Vec::new()
    }

    /// Opens the list; nothing is unseen any more.
    pub(super) fn open_notifications(&mut self) {
        self.notifications.seen();
        self.overlay = Some(Overlay::Notifications(NotificationList::default()));
    }

    /// A key in the list.
    pub(super) fn notifications_key(
        &mut self,
        mut list: NotificationList,
        key: crossterm::event::KeyEvent,
    ) -> Vec<Command> {
        let count = self.notifications.items.len();
        let action = self
            .keymap
            .action(Context::Board, &key)
            .or_else(|| self.keymap.action(Context::Global, &key));
        match action {
            Some(Action::Back | Action::Quit | Action::Notifications) => return Vec::new(),
            Some(Action::Down) => list.selected = (list.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Up) => list.selected = list.selected.saturating_sub(1),
            Some(Action::Open) => {
                let Some(told) = self.notifications.items.get(list.selected) else {
                    return Vec::new();
                };
                let filters = vec![("id".to_string(), told.rfc_id.clone())];
                return self.apply(ScreenId::Rfcs, vec![Effect::Show(ScreenId::Rfcs, filters)]);
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Notifications(list));
        Vec::new()
    }
}
