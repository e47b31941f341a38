//! An agreement's attainment: `GET /api/v1/agreements/{id}/attainment`,
//! per level and month the measured value and whether it met the target
//! (what a follow-up meeting reviews). The arithmetic is
//! [`rapport_shared::attainment`]; this module reads the query, the
//! agreement and its results.

use jiff::Zoned;
use rapport_shared::Collection;
use rapport_shared::attainment::{Attainment, Measured, attainment};
use rapport_shared::enums::Permission;
use rapport_shared::month::Month;
use rapport_shared::records::{AgreementInput, LevelResultInput, RecordInput};

use crate::http::{Method, Response, StatusCode};
use crate::store::{Store, StoredRecord};

use super::error::{ApiError, ApiResult};
use super::lists::every_record;
use super::request::Query;
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};

/// How many months the attainment covers when `from` is not given: the
/// last year, ending with `to`.
const DEFAULT_MONTHS: i32 = 12;

/// Adds the attainment route.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/agreements/{id}/attainment",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "An agreement's service levels met, month by month".into(),
            request: None,
            response: Some("attainment".into()),
            status: 200,
            query: vec![
                QueryParam::typed("from", value::month()),
                QueryParam::typed("to", value::month()),
            ],
            if_match: false,
        },
        attainment_of,
    ));
}

/// `GET /api/v1/agreements/{id}/attainment?from=YYYY-MM&to=YYYY-MM`.
async fn attainment_of(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["from", "to"])?;
    let (from, to) = months(&call.query, Month::of(Zoned::now().date()))?;
    let store = call.state.store.as_ref();
    let agreement_id = call.param(0)?.to_string();
    let agreement: AgreementInput = read(
        &store
            .get(Collection::Agreements, agreement_id.clone())
            .await?,
    )?;
    let body = attainment_over(store, &agreement_id, &agreement, from, to).await?;
    Ok(respond::json(StatusCode::OK, &body))
}

/// The attainment of `agreement` (id `agreement_id`) from `from` through
/// `to`, from its results in the store.
pub async fn attainment_over(
    store: &dyn Store,
    agreement_id: &str,
    agreement: &AgreementInput,
    from: Month,
    to: Month,
) -> ApiResult<Attainment> {
    let mut results = Vec::new();
    for record in every_record(
        store,
        Collection::LevelResults,
        "agreement_id",
        agreement_id,
    )
    .await?
    {
        let result: LevelResultInput = read(&record)?;
        let month = Month::parse(&result.month).ok_or_else(|| unreadable(&record, "its month"))?;
        results.push(Measured {
            metric: result.metric,
            month,
            value: result.value,
        });
    }
    Ok(attainment(
        agreement_id,
        &agreement.levels,
        &results,
        from,
        to,
    ))
}

/// The range asked for: `to` defaults to `this_month`, `from` to the
/// twelve months ending with `to`; a bad month or `to` before `from` is a
/// 422 naming the parameter.
fn months(query: &Query, this_month: Month) -> ApiResult<(Month, Month)> {
    let month = |name: &str| {
        query
            .get(name)
            .map(|text| {
                Month::parse(text).ok_or_else(|| ApiError::invalid(name, "must be a month YYYY-MM"))
            })
            .transpose()
    };
    let to = month("to")?.unwrap_or(this_month);
    let from = month("from")?.unwrap_or(to.minus(DEFAULT_MONTHS - 1));
    if to < from {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    Ok((from, to))
}

/// A stored record's fields read back as `T` (they were checked when written).
pub fn read<T: RecordInput>(record: &StoredRecord) -> ApiResult<T> {
    T::from_json(&record.fields).map_err(|errors| unreadable(record, &errors.to_string()))
}

/// A stored record that does not read back as it was checked when written.
pub fn unreadable(record: &StoredRecord, what: &str) -> ApiError {
    ApiError::Internal(format!(
        "stored record {} does not read back: {what}",
        record.id
    ))
}
