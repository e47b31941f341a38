//! A contact saved with the role purchaser on a customer that names no
//! purchaser offers to become that customer's purchaser: the customer is
//! read, and when it has none the app asks; yes patches the customer at
//! the version read (`If-Match`), so a colleague's change meanwhile is
//! never overwritten.

use rapport_shared::Collection;
use serde_json::{Map, Value};

use super::{App, Command, ConfirmAction, Overlay, Purpose};
use crate::api::{ApiError, Record, record_id, record_version, text};
use crate::components::confirm::Confirm;
use crate::lookup::label;
use crate::strings;

/// The contact a purchaser offer is about, and its customer.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaserOffer {
    pub contact_id: String,
    pub contact: String,
    pub customer_id: String,
    /// The customer's version when read (set once it is).
    pub version: i64,
    pub customer: String,
}

impl App {
    /// After a contact was saved: when it is a purchaser, reads its
    /// customer to see whether it names one.
    pub(super) fn check_purchaser(&mut self, contact: &Record) -> Vec<Command> {
        let customer_id = text(contact, "customer_id");
        if text(contact, "role") != "purchaser" || customer_id.is_empty() {
            return Vec::new();
        }
        let offer = PurchaserOffer {
            contact_id: record_id(contact).to_string(),
            contact: text(contact, "name").to_string(),
            customer_id: customer_id.to_string(),
            version: 0,
            customer: String::new(),
        };
        let id = customer_id.to_string();
        vec![
            self.request(Purpose::PurchaserCheck(offer), |request| Command::Get {
                request,
                collection: Collection::Customers,
                id,
            }),
        ]
    }

    /// The customer arrived: a customer without a purchaser gets the offer.
    pub(super) fn purchaser_checked(
        &mut self,
        mut offer: PurchaserOffer,
        result: Result<Record, ApiError>,
    ) {
        // A customer that cannot be read gets no offer; the contact is saved.
        let Ok(customer) = result else { return };
        self.lookup
            .learn(Collection::Customers, std::slice::from_ref(&customer));
        if !text(&customer, "purchaser_contact_id").is_empty() || self.overlay.is_some() {
            return;
        }
        offer.version = record_version(&customer);
        offer.customer = label(Collection::Customers, &customer);
        self.overlay = Some(Overlay::Confirm(Confirm {
            question: strings::offer_purchaser(&offer.contact, &offer.customer),
            on_yes: ConfirmAction::SetPurchaser(offer),
            destructive: false,
        }));
    }

    /// Yes: the customer names the contact as its purchaser.
    pub(super) fn set_purchaser(&mut self, offer: PurchaserOffer) -> Vec<Command> {
        let mut patch = Map::new();
        patch.insert(
            "purchaser_contact_id".into(),
            Value::String(offer.contact_id.clone()),
        );
        let id = offer.customer_id.clone();
        let version = offer.version;
        vec![
            self.request(Purpose::PurchaserSet(offer), |request| Command::Update {
                request,
                collection: Collection::Customers,
                id,
                version,
                patch,
            }),
        ]
    }

    /// The customer's patch was answered.
    pub(super) fn purchaser_set(
        &mut self,
        offer: PurchaserOffer,
        result: Result<Record, ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(customer) => {
                self.lookup
                    .learn(Collection::Customers, std::slice::from_ref(&customer));
                self.say(
                    strings::purchaser_set(&offer.contact, &offer.customer),
                    false,
                );
                self.put_everywhere(Collection::Customers, &customer);
                Vec::new()
            }
            Err(ApiError::Stale) => {
                self.say(strings::purchaser_not_set(&offer.customer), true);
                Vec::new()
            }
            Err(error) => {
                self.say(error.to_string(), true);
                Vec::new()
            }
        }
    }
}
