//! What the user is told about without asking: an RFC newly assigned to
//! them by someone else, and an RFC that became critical (created
//! critical, or its priority raised to critical), by someone else. The
//! change feed says only which record changed; the audit entry of that
//! change (`GET /api/v1/audit?entity=rfcs&id=ID&after=SEQ-1&limit=1`) says
//! who made it and what it was before and after, which is what [`judge`]
//! reads. A change the user made themselves — from this client or any
//! other with their token or staff record — is never told.
//!
//! The app keeps the [`Notifications`] (newest first, at most
//! [`NOTIFICATIONS_KEPT`]) and their unseen count for the status bar;
//! opening the list (`!`, `:notifications`) clears the count.

use jiff::Timestamp;
use rapport_shared::enums::Priority;
use rapport_shared::wire::{AuditEntry, Me};
use serde_json::Value;

/// Notifications kept for the list; older ones are dropped.
pub const NOTIFICATIONS_KEPT: usize = 50;

/// Why an RFC is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Someone else assigned it to the user.
    AssignedToMe,
    /// Someone else created it critical.
    NewCritical,
    /// Someone else raised its priority to critical.
    NowCritical,
}

/// One thing told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub rfc_id: String,
    /// The RFC's title after the change.
    pub title: String,
    pub reason: Reason,
    /// Who made the change (the token's name).
    pub who: String,
    pub when: Timestamp,
}

/// The notifications, newest first, and how many arrived since the list
/// was last opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unseen: usize,
}

impl Notifications {
    /// Keeps `notification` first; one already kept for the same change
    /// (the same RFC, reason and time) is not kept twice.
    pub fn push(&mut self, notification: Notification) -> bool {
        if self.items.contains(&notification) {
            return false;
        }
        self.items.insert(0, notification);
        self.items.truncate(NOTIFICATIONS_KEPT);
        self.unseen = (self.unseen + 1).min(NOTIFICATIONS_KEPT);
        true
    }

    /// The list was opened: nothing is unseen.
    pub fn seen(&mut self) {
        self.unseen = 0;
    }
}

/// What the audit entry of one RFC change tells `me`, if anything.
pub fn judge(entry: &AuditEntry, me: &Me) -> Option<Notification> {
    if entry.entity != "rfcs" || entry.action == "delete" || made_by(entry, me) {
        return None;
    }
    let after = entry.after.as_ref()?;
    let before = entry.before.as_ref();
    let field = |record: Option<&Value>, name: &str| {
        record
            .and_then(|r| r.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let critical = Priority::Critical.as_str();
    let now_mine = me
        .staff_id
        .as_deref()
        .is_some_and(|mine| field(Some(after), "assignee_id").as_deref() == Some(mine));
    let was_mine = me.staff_id.is_some() && field(before, "assignee_id") == me.staff_id;
    let now_critical = field(Some(after), "priority").as_deref() == Some(critical);
    let was_critical = field(before, "priority").as_deref() == Some(critical);
    let reason = if now_mine && !was_mine {
        Reason::AssignedToMe
    } else if now_critical && before.is_none() {
        Reason::NewCritical
    } else if now_critical && !was_critical {
        Reason::NowCritical
    } else {
        return None;
    };
    Some(Notification {
        rfc_id: entry.entity_id.clone(),
        title: crate::api::without_controls(&field(Some(after), "title").unwrap_or_default()),
        reason,
        who: crate::api::without_controls(&entry.who),
        when: entry.when,
    })
}

/// Whether the user made the change: their staff record, or their token.
fn made_by(entry: &AuditEntry, me: &Me) -> bool {
    match (&entry.who_staff_id, &me.staff_id) {
        (Some(who), Some(mine)) => who == mine,
        _ => entry.who == me.token_name,
    }
}

#[cfg(test)]
mod tests {
    use rapport_shared::enums::Permission;
    use serde_json::json;

    use super::*;

    fn me() -> Me {
        Me {
            token_name: "margit".into(),
            permission: Permission::Operator,
            staff_id: Some("s-me".into()),
            staff_name: Some("margit".into()),
        }
    }

    fn entry(who: Option<&str>, before: Option<Value>, after: Value) -> AuditEntry {
        AuditEntry {
            seq: 7,
            when: Timestamp::UNIX_EPOCH,
            who: who.unwrap_or("margit").into(),
            who_staff_id: Some(who.map_or("s-me", |_| "s-other").into()),
            entity: "rfcs".into(),
            entity_id: "r1".into(),
            action: if before.is_some() { "update" } else { "create" }.into(),
            before,
            after: Some(after),
        }
    }

    fn reason(entry: &AuditEntry) -> Option<Reason> {
        judge(entry, &me()).map(|n| n.reason)
    }

    #[test]
    fn assigned_to_me_by_someone_else_is_told_by_myself_not() {
        let before = json!({"title": "VPN", "priority": "low", "assignee_id": null});
        let after = json!({"title": "VPN", "priority": "low", "assignee_id": "s-me"});
        let by_ines = entry(Some("ines"), Some(before.clone()), after.clone());
        assert_eq!(reason(&by_ines), Some(Reason::AssignedToMe));
        let told = judge(&by_ines, &me()).expect("told");
        assert_eq!((told.title.as_str(), told.who.as_str()), ("VPN", "ines"));
        assert_eq!(reason(&entry(None, Some(before), after.clone())), None);
        // Mine already: another change of it is not news.
        assert_eq!(
            reason(&entry(Some("ines"), Some(after.clone()), after)),
            None
        );
        // Someone else's assignment to a colleague is not mine.
        let other = json!({"title": "VPN", "priority": "low", "assignee_id": "s-x"});
        assert_eq!(reason(&entry(Some("ines"), None, other)), None);
    }

    #[test]
    fn a_critical_rfc_new_or_raised_is_told() {
        let critical = json!({"title": "Down", "priority": "critical"});
        assert_eq!(
            reason(&entry(Some("ines"), None, critical.clone())),
            Some(Reason::NewCritical)
        );
        let high = json!({"title": "Down", "priority": "high"});
        assert_eq!(
            reason(&entry(Some("ines"), Some(high.clone()), critical.clone())),
            Some(Reason::NowCritical)
        );
        // Still critical, or lowered: nothing new.
        assert_eq!(
            reason(&entry(
                Some("ines"),
                Some(critical.clone()),
                critical.clone()
            )),
            None
        );
        assert_eq!(
            reason(&entry(Some("ines"), Some(critical.clone()), high.clone())),
            None
        );
        // A new RFC that is not critical, and my own critical one: nothing.
        assert_eq!(reason(&entry(Some("ines"), None, high)), None);
        assert_eq!(reason(&entry(None, None, critical)), None);
    }

    #[test]
    fn a_token_without_staff_knows_its_writes_by_name() {
        let mut me = me();
        me.staff_id = None;
        let critical = json!({"title": "Down", "priority": "critical"});
        let mut mine = entry(None, None, critical.clone());
        mine.who_staff_id = None;
        assert_eq!(judge(&mine, &me), None);
        let mut theirs = entry(Some("ines"), None, critical);
        theirs.who_staff_id = None;
        assert_eq!(
            judge(&theirs, &me).map(|n| n.reason),
            Some(Reason::NewCritical)
        );
    }

    #[test]
    fn the_list_is_newest_first_and_kept_short() {
        let mut list = Notifications::default();
        for at in 0..NOTIFICATIONS_KEPT + 5 {
            let told = Notification {
                rfc_id: format!("r{at}"),
                title: String::new(),
                reason: Reason::NewCritical,
                who: String::new(),
                when: Timestamp::UNIX_EPOCH,
            };
            assert!(list.push(told.clone()));
            assert!(!list.push(told), "the same change is told once");
        }
        assert_eq!(list.items.len(), NOTIFICATIONS_KEPT);
        assert_eq!(list.items[0].rfc_id, format!("r{}", NOTIFICATIONS_KEPT + 4));
        assert_eq!(list.unseen, NOTIFICATIONS_KEPT);
        list.seen();
        assert_eq!(list.unseen, 0);
    }
}
