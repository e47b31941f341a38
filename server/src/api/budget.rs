//! A customer's budget: `GET /api/v1/customers/{id}/budget?year=YYYY`,
//! planned against charged per service and month, per program, with what
//! remains and a year-end forecast. The arithmetic is
//! [`rapport_shared::budget`]; this module reads the query, the customer's
//! budget lines and its usage.

use jiff::Zoned;
use rapport_shared::Collection;
use rapport_shared::budget::{BudgetView, Charge, Planned, budget_view};
use rapport_shared::enums::Permission;
use rapport_shared::month::Month;
use rapport_shared::records::budget_lines::{FIRST_YEAR, LAST_YEAR};
use rapport_shared::records::{BudgetLineInput, RecordInput, UsageRecord};

use crate::http::{Method, Response, StatusCode};
use crate::store::{Store, StoredRecord};

use super::error::{ApiError, ApiResult};
use super::lists::every_record;
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};

/// Adds the budget route.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/customers/{id}/budget",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "A customer's budget: planned against charged per service, month and program"
                .into(),
            request: None,
            response: Some("budget".into()),
            status: 200,
            query: vec![QueryParam::typed(
                "year",
                value::whole(FIRST_YEAR, LAST_YEAR),
            )],
            if_match: false,
        },
        budget_of,
    ));
}

/// `GET /api/v1/customers/{id}/budget?year=YYYY` (default: this year).
async fn budget_of(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["year"])?;
    let year = match call.query.get("year") {
        None => i32::from(Zoned::now().year()),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|year| (FIRST_YEAR..=LAST_YEAR).contains(&i64::from(*year)))
            .ok_or_else(|| {
                ApiError::invalid(
                    "year",
                    format!("must be a year from {FIRST_YEAR} to {LAST_YEAR}"),
                )
            })?,
    };
    let store = call.state.store.as_ref();
    let customer_id = call.param(0)?.to_string();
    // 404 for an unknown customer, not an empty budget.
    store
        .get(Collection::Customers, customer_id.clone())
        .await?;
    let body = budget_for(store, &customer_id, year).await?;
    Ok(respond::json(StatusCode::OK, &body))
}

/// Customer `customer_id`'s budget view of `year`, from its budget lines
/// and usage in the store.
pub async fn budget_for(store: &dyn Store, customer_id: &str, year: i32) -> ApiResult<BudgetView> {
    let mut planned = Vec::new();
    for record in every_record(store, Collection::BudgetLines, "customer_id", customer_id).await? {
        let line: BudgetLineInput = BudgetLineInput::from_json(&record.fields)
            .map_err(|errors| unreadable(&record, &errors.to_string()))?;
        if line.year == i64::from(year) {
            planned.push(Planned {
                service_id: line.service_id,
                planned_cents: line.planned_cents,
            });
        }
    }
    let mut charges = Vec::new();
    for record in every_record(store, Collection::Usage, "customer_id", customer_id).await? {
        let usage: UsageRecord = serde_json::from_value(record.to_json())
            .map_err(|error| unreadable(&record, &error.to_string()))?;
        let month =
            Month::parse(&usage.fields.month).ok_or_else(|| unreadable(&record, "its month"))?;
        charges.push(Charge {
            service_id: usage.fields.service_id,
            month,
            amount_cents: usage.amount_cents,
            program: usage.fields.program,
        });
    }
    Ok(budget_view(year, &planned, &charges))
}

/// A stored record that does not read back as it was checked when written.
fn unreadable(record: &StoredRecord, what: &str) -> ApiError {
    ApiError::Internal(format!(
        "stored record {} does not read back: {what}",
        record.id
    ))
}
