//! What a customer's year has cost against its budget: the body of
//! `GET /api/v1/customers/{id}/budget?year=` ([`BudgetView`]) and its
//! arithmetic ([`budget_view`]), from the year's budget lines
//! ([`Planned`]) and usage charges ([`Charge`]). Charges carry the amount
//! priced when they were recorded, so a later price change never moves a
//! past figure here.
//!
//! The forecast is linear: a service's charges so far, spread over the
//! months of the year up to the last month the customer was charged for
//! anything (`through`), times twelve; rounded to the nearest cent, halves
//! away from zero. A service not charged yet forecasts 0; a past year
//! charged through December forecasts what it was charged.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::month::Month;

/// A customer's budget for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetView {
    pub year: i32,
    pub planned_cents: i64,
    pub charged_cents: i64,
    /// Planned minus charged: negative when over budget.
    pub difference_cents: i64,
    /// Every service budgeted or charged, by service id.
    pub services: Vec<ServiceBudget>,
    /// Charged per program, by program name, the unallocated (null) last.
    pub programs: Vec<ProgramCharge>,
}

/// One service's line of the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceBudget {
    pub service_id: String,
    /// 0 for a service charged without a budget line.
    pub planned_cents: i64,
    pub charged_cents: i64,
    /// Planned minus charged.
    pub remaining_cents: i64,
    /// The linear year-end forecast (see the module's documentation).
    pub forecast_cents: i64,
    /// Charged per month (`YYYY-MM`), months with a charge only.
    pub months: BTreeMap<String, i64>,
}

/// What was charged to one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProgramCharge {
    /// Null: charges allocated to no program ("unallocated").
    pub program: Option<String>,
    pub charged_cents: i64,
}

/// One budget line of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub service_id: String,
    pub planned_cents: i64,
}

/// One usage record's charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub service_id: String,
    pub month: Month,
    pub amount_cents: i64,
    pub program: Option<String>,
}

/// The budget of `year` from its budget lines and the customer's charges
/// (charges of other years are left out).
pub fn budget_view(year: i32, planned: &[Planned], charges: &[Charge]) -> BudgetView {
    let charges: Vec<&Charge> = charges.iter().filter(|c| c.month.year() == year).collect();
    let mut services: BTreeMap<&str, ServiceBudget> = BTreeMap::new();
    let line = |id: &str| ServiceBudget {
        service_id: id.to_string(),
        planned_cents: 0,
        charged_cents: 0,
        remaining_cents: 0,
        forecast_cents: 0,
        months: BTreeMap::new(),
    };
    for plan in planned {
        let service = services
            .entry(&plan.service_id)
            .or_insert_with(|| line(&plan.service_id));
        service.planned_cents = service.planned_cents.saturating_add(plan.planned_cents);
    }
    let mut programs: BTreeMap<Option<&str>, i64> = BTreeMap::new();
    for charge in &charges {
        let service = services
            .entry(&charge.service_id)
            .or_insert_with(|| line(&charge.service_id));
        service.charged_cents = service.charged_cents.saturating_add(charge.amount_cents);
        let month = service.months.entry(charge.month.to_string()).or_insert(0);
        *month = month.saturating_add(charge.amount_cents);
        let program = programs.entry(charge.program.as_deref()).or_insert(0);
        *program = program.saturating_add(charge.amount_cents);
    }
    let through = charges.iter().map(|c| c.month.number()).max().unwrap_or(0);
    let services: Vec<ServiceBudget> = services
        .into_values()
        .map(|mut service| {
            service.remaining_cents = service.planned_cents.saturating_sub(service.charged_cents);
            service.forecast_cents = forecast(service.charged_cents, through);
            service
        })
        .collect();
    let planned_cents = services
        .iter()
        .map(|s| s.planned_cents)
        .fold(0, i64::saturating_add);
    let charged_cents = services
        .iter()
        .map(|s| s.charged_cents)
        .fold(0, i64::saturating_add);
    // `None` sorts first in a BTreeMap; the unallocated are listed last.
    let (unallocated, named): (Vec<_>, Vec<_>) = programs
        .into_iter()
        .partition(|(program, _)| program.is_none());
    let programs = named
        .into_iter()
        .chain(unallocated)
        .map(|(program, charged_cents)| ProgramCharge {
            program: program.map(str::to_string),
            charged_cents,
        })
        .collect();
    BudgetView {
        year,
        planned_cents,
        charged_cents,
        difference_cents: planned_cents.saturating_sub(charged_cents),
        services,
        programs,
    }
}

/// `charged` over `through` months (1-12) as a year's worth, to the
/// nearest cent, halves away from zero; 0 before any month is charged.
fn forecast(charged: i64, through: i32) -> i64 {
    if through <= 0 {
        return 0;
    }
    let (total, months) = (i128::from(charged) * 12, i128::from(through));
    let half = months / 2;
    let rounded = if total >= 0 {
        (total + half) / months
    } else {
        (total - half) / months
    };
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap_or_else(|| panic!("{text} is a month"))
    }

    fn charge(service: &str, at: &str, amount: i64, program: Option<&str>) -> Charge {
        Charge {
            service_id: service.into(),
            month: month(at),
            amount_cents: amount,
            program: program.map(str::to_string),
        }
    }

    fn plan(service: &str, cents: i64) -> Planned {
        Planned {
            service_id: service.into(),
            planned_cents: cents,
        }
    }

    /// VM hosting at 100.00 a unit until June, 120.00 from July: 10 units
    /// a month charged January to August, as recorded at the time; mail
    /// for one program, storage never budgeted.
    #[test]
    fn a_year_with_a_mid_year_price_change_and_a_program_split() {
        let mut charges = Vec::new();
        for m in 1..=8 {
            let price = if m <= 6 { 10_000 } else { 12_000 };
            let program = if m % 2 == 0 { Some("Treasury") } else { None };
            charges.push(charge("vm", &format!("2026-{m:02}"), 10 * price, program));
        }
        charges.push(charge("mail", "2026-03", 45_000, Some("Customs")));
        charges.push(charge("storage", "2026-05", 1_001, Some("Customs")));
        // Another year's charges are not this year's.
        charges.push(charge("vm", "2025-12", 999_999, None));
        let view = budget_view(
            2026,
            &[plan("vm", 900_000), plan("mail", 100_000)],
            &charges,
        );

        // vm: 6 x 100,000 + 2 x 120,000 = 840,000.
        let vm = &view.services[2];
        assert_eq!(vm.service_id, "vm");
        assert_eq!(
            (vm.planned_cents, vm.charged_cents, vm.remaining_cents),
            (900_000, 840_000, 60_000)
        );
        // Charged through August: 840,000 / 8 * 12.
        assert_eq!(vm.forecast_cents, 1_260_000);
        assert_eq!(vm.months.get("2026-06"), Some(&100_000));
        assert_eq!(vm.months.get("2026-07"), Some(&120_000));
        assert_eq!(vm.months.len(), 8);
        let mail = &view.services[0];
        assert_eq!(
            (mail.service_id.as_str(), mail.remaining_cents),
            ("mail", 55_000)
        );
        assert_eq!(mail.forecast_cents, 67_500);
        // Storage has no budget line: planned 0, over by what it cost;
        // 1,001 x 12 / 8 = 1,501.5, rounded up.
        let storage = &view.services[1];
        assert_eq!(
            (storage.planned_cents, storage.remaining_cents),
            (0, -1_001)
        );
        assert_eq!(storage.forecast_cents, 1_502);

        assert_eq!(view.planned_cents, 1_000_000);
        assert_eq!(view.charged_cents, 886_001);
        assert_eq!(view.difference_cents, 113_999);
        // Treasury: months 2, 4, 6 at 100,000 and 8 at 120,000.
        assert_eq!(
            view.programs,
            vec![
                ProgramCharge {
                    program: Some("Customs".into()),
                    charged_cents: 46_001
                },
                ProgramCharge {
                    program: Some("Treasury".into()),
                    charged_cents: 420_000
                },
                ProgramCharge {
                    program: None,
                    charged_cents: 420_000
                },
            ]
        );
        let by_programs: i64 = view.programs.iter().map(|p| p.charged_cents).sum();
        assert_eq!(
            by_programs, view.charged_cents,
            "every cent is in one program"
        );
    }

    #[test]
    fn a_year_without_data_is_all_zeros() {
        let view = budget_view(2026, &[], &[]);
        assert_eq!(
            (
                view.planned_cents,
                view.charged_cents,
                view.difference_cents
            ),
            (0, 0, 0)
        );
        assert!(view.services.is_empty() && view.programs.is_empty());
    }

    #[test]
    fn a_budgeted_service_not_charged_yet_forecasts_nothing() {
        let view = budget_view(
            2026,
            &[plan("vm", 5_000)],
            &[charge("mail", "2026-02", 300, None)],
        );
        let vm = view.services.iter().find(|s| s.service_id == "vm");
        assert_eq!(
            vm.map(|s| (s.forecast_cents, s.remaining_cents)),
            Some((0, 5_000))
        );
    }

    #[test]
    fn a_year_charged_through_december_forecasts_its_charges() {
        let charges: Vec<Charge> = (1..=12)
            .map(|m| charge("vm", &format!("2025-{m:02}"), 333, None))
            .collect();
        let view = budget_view(2025, &[], &charges);
        assert_eq!(view.services[0].forecast_cents, 3_996);
    }

    #[test]
    fn forecasts_round_half_away_from_zero() {
        assert_eq!(forecast(1, 8), 2); // 1.5
        assert_eq!(forecast(-1, 8), -2);
        assert_eq!(forecast(7, 5), 17); // 16.8
        assert_eq!(forecast(100, 0), 0);
        assert_eq!(forecast(i64::MAX, 1), i64::MAX);
    }
}
