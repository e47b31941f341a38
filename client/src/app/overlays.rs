//! What the app itself shows over every screen ([`Overlay`]) and what yes
//! to its question does ([`ConfirmAction`]).

use rapport_shared::Collection;

use super::OutboxList;
use crate::components::confirm::Confirm;
use crate::components::help::Help;
use crate::components::palette::Palette;
use crate::screens::ScreenId;

/// What yes to the open question does.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    /// Delete the record at this version (sent with `If-Match`).
    Delete {
        collection: Collection,
        id: String,
        version: i64,
        label: String,
        /// The name of the customer the record belongs to ("" if none).
        customer: String,
    },
    /// Quit although a form holds unsaved text.
    Quit,
    /// Close the form and drop its unsaved text.
    DiscardForm,
    /// The screen that asked carries it out.
    Screen(ScreenId),
    /// Send the outbox found on disk at start.
    SendOutbox,
    /// Make a contact saved as a purchaser its customer's purchaser.
    SetPurchaser(super::purchaser::PurchaserOffer),
}

/// The app's own open overlay, drawn over everything else (a screen's
/// overlays are the screen's own).
#[derive(Debug, Clone)]
pub enum Overlay {
    Help(Help),
    Palette(Palette),
    Confirm(Confirm<ConfirmAction>),
    /// The outbox's queued writes.
    Outbox(OutboxList),
    /// A record's whole detail, for a screen without a list board (`v`).
    Detail(crate::components::full_detail::FullDetail),
    /// A record's audit trail (`T`).
    Audit(crate::components::audit::AuditTrail),
    /// The notifications, newest first.
    Notifications(super::notifications::NotificationList),
}
