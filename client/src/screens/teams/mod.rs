//! The Teams screen: each customer team as a card (a column) with its BRM,
//! delivery manager, service owners and the customers it serves. `h`/`l`
//! pick a team, `j`/`k` a customer in it, `H`/`L` move that customer to
//! the neighbouring team (a PATCH of the customer's `team_id`), `u` moves
//! it back (`undo.rs`).

mod draw;
mod undo;
mod update;

#[cfg(test)]
mod undo_tests;

use std::collections::HashMap;

use rapport_shared::wire::Page;

use crate::api::{Record, record_id, text};
use crate::keymap::Action;
use crate::remote::{Remote, RequestId};

pub use update::{ENTRY, TeamsScreen};

/// Every team's customers are asked for in one call of this size; a team
/// serving more customers than this shows the first ones.
pub const MEMBERS_LIMIT: u32 = 500;

/// Width of one team card, in columns: a name and a customer label fit.
pub const CARD_WIDTH: u16 = 30;

/// The customers of one team.
#[derive(Debug, Clone, Default)]
pub struct Members {
    pub load: Remote,
    pub customers: Vec<Record>,
}

/// What the app must do after the teams board handled something.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamsOutcome {
    Nothing,
    /// Reload the teams (and then their customers).
    Load,
    /// Load the customers of these teams.
    LoadMembers(Vec<String>),
    /// PATCH the customer's `team_id` to `team_id`.
    Move {
        customer: Record,
        team_id: String,
    },
    Copy(String),
    New,
    Edit(Record),
    Delete(Record),
}

/// The state of the teams board.
#[derive(Debug, Clone, Default)]
pub struct TeamsBoard {
    pub teams: Vec<Record>,
    pub load: Remote,
    pub members: HashMap<String, Members>,
    /// The selected team.
    pub column: usize,
    /// The selected customer within the team.
    pub row: usize,
    /// The selected team's id, kept across reloads.
    pub selected_id: Option<String>,
    /// A customer just moved to the selected team: selected there once
    /// the team's customers arrive with it.
    pub following: Option<String>,
}

impl TeamsBoard {
    /// The selected team.
    pub fn team(&self) -> Option<&Record> {
        self.teams.get(self.column)
    }

    /// The customers of `team`, as loaded.
    pub fn customers_of(&self, team: &Record) -> &[Record] {
        self.members
            .get(record_id(team))
            .map(|m| m.customers.as_slice())
            .unwrap_or(&[])
    }

    fn customers_of_id(&self, team_id: &str) -> &[Record] {
        self.members
            .get(team_id)
            .map(|m| m.customers.as_slice())
            .unwrap_or(&[])
    }

    /// `customer` moved to `team_id`: the selection goes with it.
    pub fn follow(&mut self, customer: &str, team_id: &str) {
        let Some(column) = self.teams.iter().position(|t| record_id(t) == team_id) else {
            return;
        };
        self.column = column;
        self.selected_id = Some(team_id.to_string());
        self.following = Some(customer.to_string());
        if let Some(row) = self
            .customers_of_id(team_id)
            .iter()
            .position(|c| record_id(c) == customer)
        {
            self.row = row;
        }
    }

    /// The selected customer.
    pub fn customer(&self) -> Option<&Record> {
        self.team().and_then(|t| self.customers_of(t).get(self.row))
    }

    /// The teams list arrived; stale answers are dropped.
    pub fn arrived(
        &mut self,
        request: RequestId,
        result: Result<Page<Record>, String>,
    ) -> TeamsOutcome {
        if !self.load.awaits(request) {
            return TeamsOutcome::Nothing;
        }
        match result {
            Ok(page) => {
                self.teams = page.items;
                self.load = Remote::Loaded;
                let keep = self.selected_id.as_deref();
                self.column = keep
                    .and_then(|id| self.teams.iter().position(|t| record_id(t) == id))
                    .unwrap_or(self.column.min(self.teams.len().saturating_sub(1)));
                self.selected_id = self.team().map(|t| record_id(t).to_string());
                TeamsOutcome::LoadMembers(
                    self.teams
                        .iter()
                        .map(|t| record_id(t).to_string())
                        .collect(),
                )
            }
            Err(error) => {
                self.load = Remote::Failed(error);
                TeamsOutcome::Nothing
            }
        }
    }

    /// One team's customers arrived.
    pub fn members_arrived(
        &mut self,
        team_id: &str,
        request: RequestId,
        result: Result<Page<Record>, String>,
    ) {
        let Some(members) = self.members.get_mut(team_id) else {
            return;
        };
        if !members.load.awaits(request) {
            return;
        }
        match result {
            Ok(page) => {
                members.customers = page.items;
                members.load = Remote::Loaded;
            }
            Err(error) => members.load = Remote::Failed(error),
        }
        if self.selected_id.as_deref() == Some(team_id)
            && let Some(customer) = self.following.clone()
            && let Some(row) = self
                .customers_of_id(team_id)
                .iter()
                .position(|c| record_id(c) == customer)
        {
            self.row = row;
            self.following = None;
        }
        let count = self.team().map(|t| self.customers_of(t).len()).unwrap_or(0);
        self.row = self.row.min(count.saturating_sub(1));
    }

    /// Handles a board or teams action.
    pub fn handle(&mut self, action: Action) -> TeamsOutcome {
        let count = self.team().map(|t| self.customers_of(t).len()).unwrap_or(0);
        match action {
            Action::TeamLeft => self.pick_team(self.column.saturating_sub(1)),
            Action::TeamRight => self.pick_team(self.column + 1),
            Action::Top => self.pick_team(0),
            Action::Bottom => self.pick_team(self.teams.len().saturating_sub(1)),
            Action::Down => self.row = (self.row + 1).min(count.saturating_sub(1)),
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::HalfPageDown => self.row = (self.row + 5).min(count.saturating_sub(1)),
            Action::HalfPageUp => self.row = self.row.saturating_sub(5),
            Action::MoveCustomerLeft | Action::MoveCustomerRight => {
                let target = if action == Action::MoveCustomerLeft {
                    self.column.checked_sub(1)
                } else {
                    Some(self.column + 1)
                };
                let (Some(customer), Some(team)) = (
                    self.customer().cloned(),
                    target.and_then(|t| self.teams.get(t)),
                ) else {
                    return TeamsOutcome::Nothing;
                };
                return TeamsOutcome::Move {
                    customer,
                    team_id: record_id(team).to_string(),
                };
            }
            Action::Refresh => return TeamsOutcome::Load,
            Action::Copy => {
                return match self.customer().or(self.team()) {
                    Some(r) if !text(r, "code").is_empty() => {
                        TeamsOutcome::Copy(text(r, "code").to_string())
                    }
                    Some(r) => TeamsOutcome::Copy(record_id(r).to_string()),
                    None => TeamsOutcome::Nothing,
                };
            }
            Action::New => return TeamsOutcome::New,
            Action::Edit => {
                return self
                    .team()
                    .cloned()
                    .map(TeamsOutcome::Edit)
                    .unwrap_or(TeamsOutcome::Nothing);
            }
            Action::Delete => {
                return self
                    .team()
                    .cloned()
                    .map(TeamsOutcome::Delete)
                    .unwrap_or(TeamsOutcome::Nothing);
            }
            _ => {}
        }
        TeamsOutcome::Nothing
    }

    fn pick_team(&mut self, column: usize) {
        self.following = None;
        self.column = column.min(self.teams.len().saturating_sub(1));
        self.selected_id = self.team().map(|t| record_id(t).to_string());
        self.row = 0;
    }

    /// Marks each team's customers as loading with its request id.
    pub fn loading_members(&mut self, team_id: &str, request: RequestId) {
        let members = self.members.entry(team_id.to_string()).or_default();
        members.load = Remote::Loading(request);
    }
}

/// The team form's fields.
pub fn fields() -> Vec<crate::components::form::FieldSpec> {
    use crate::components::form::{FieldKind, FieldSpec};
    use rapport_shared::Collection;
    vec![
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("brm_id", "BRM", FieldKind::Ref(Collection::Staff)),
        FieldSpec::new(
            "delivery_manager_id",
            "Delivery mgr",
            FieldKind::Ref(Collection::Staff),
        ),
        FieldSpec::new(
            "service_owner_ids",
            "Service owners",
            FieldKind::RefList(Collection::Staff),
        ),
    ]
}
