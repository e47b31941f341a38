//! The tabs of the board bar.

use rapport_shared::Collection;

/// The tabs, in tab-bar order (number keys 1-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Customers,
    Teams,
    Staff,
    Services,
    Contacts,
    Rfcs,
}

impl Tab {
    /// Every tab, in tab-bar order.
    pub const ALL: [Tab; 6] = [
        Tab::Customers,
        Tab::Teams,
        Tab::Staff,
        Tab::Services,
        Tab::Contacts,
        Tab::Rfcs,
    ];

    /// The tab's title in the tab bar.
    pub fn title(self) -> &'static str {
        use crate::strings::*;
        match self {
            Tab::Customers => TAB_CUSTOMERS,
            Tab::Teams => TAB_TEAMS,
            Tab::Staff => TAB_STAFF,
            Tab::Services => TAB_SERVICES,
            Tab::Contacts => TAB_CONTACTS,
            Tab::Rfcs => TAB_RFCS,
        }
    }

    /// The collection shown on this tab.
    pub fn collection(self) -> Collection {
        match self {
            Tab::Customers => Collection::Customers,
            Tab::Teams => Collection::Teams,
            Tab::Staff => Collection::Staff,
            Tab::Services => Collection::Services,
            Tab::Contacts => Collection::Contacts,
            Tab::Rfcs => Collection::Rfcs,
        }
    }

    /// The tab of a collection.
    pub fn of(collection: Collection) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.collection() == collection)
    }

    /// The index of this tab's list board in [`App::boards`].
    pub(crate) fn board(self) -> Option<usize> {
        match self {
            Tab::Customers => Some(0),
            Tab::Teams => None,
            Tab::Staff => Some(1),
            Tab::Services => Some(2),
            Tab::Contacts => Some(3),
            Tab::Rfcs => Some(super::rfcs::RFC_BOARD),
        }
    }
}
