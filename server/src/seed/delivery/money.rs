//! The demo's money: the mid-year price change, usage every month
//! allocated to the customers' programmes, and budgets (two customers
//! over).

use super::*;

/// The hosting service's price rose at the start of the month
/// [`PRICE_CHANGE_MONTHS_AGO`] months back.
pub(super) async fn seed_price_change(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let (service, price) = PRICE_CHANGE;
    let id = &parties.services[service];
    let current = store
        .get(rapport_shared::Collection::Services, id.clone())
        .await?;
    // As a PATCH does: the read-only fields (the history) are kept as
    // stored and the derivation extends them.
    let mut fields = current.fields.clone();
    fields.insert("unit_price_cents".into(), json!(price));
    let kept: Vec<(String, Value)> = ServiceInput::READ_ONLY
        .iter()
        .filter_map(|field| {
            fields
                .remove(*field)
                .map(|value| (field.to_string(), value))
        })
        .collect();
    let input = ServiceInput::from_json(&fields).map_err(|e| invalid(SERVICES[service].0, e))?;
    let mut fields = input.to_object();
    fields.extend(kept);
    let op = WriteOp::Update {
        collection: ServiceInput::COLLECTION,
        id: id.clone(),
        expected_version: current.version,
        fields,
        links: input.references().into_iter().map(Link::from).collect(),
        unique: input.unique(),
    };
    let derivations = input.derivations(Some(&current));
    let at = timeline.no_later(at_utc(calendar.month(PRICE_CHANGE_MONTHS_AGO), 0)?);
    let seed = actor_for("demo seed", None);
    write_derived(store, &seed, vec![op], derivations, at).await?;
    Ok(())
}

/// Every account's use of its services, billed on the first of the next
/// month (so charged at the price in force then).
pub(super) async fn seed_usage(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let seed = actor_for("demo seed", None);
    for ago in (1..=MONTHS).rev() {
        let month = month_name(calendar.month(ago));
        let mut values = Vec::new();
        for (customer, services, programs) in ACCOUNTS {
            if *customer == EXPIRED && ago <= 4 {
                continue;
            }
            for service in *services {
                values.push((
                    format!("{} {}", CUSTOMERS[*customer].0, SERVICES[*service].0),
                    json!({
                        "customer_id": parties.customers[*customer].id,
                        "service_id": parties.services[*service],
                        "month": month,
                        "quantity": quantity(*customer, *service, ago),
                        "program": program(*programs, *service),
                    }),
                ));
            }
        }
        let billed = at_utc(calendar.month(ago - 1), 6)?;
        create_all::<UsageInput>(store, &seed, values, timeline.no_later(billed)).await?;
    }
    Ok(())
}

/// What `customer` is charged for `service` in the months of `year` among
/// the seeded ones, and how many of them there are.
pub(super) fn charged_in(
    calendar: &Calendar,
    year: i16,
    customer: usize,
    service: usize,
) -> (i64, i64) {
    (1..=MONTHS)
        .filter(|ago| calendar.month(*ago).year() == year && !(customer == EXPIRED && *ago <= 4))
        .fold((0, 0), |(cents, months), ago| {
            (
                cents + quantity(customer, service, ago) * unit_price(service, ago),
                months + 1,
            )
        })
}

/// A budget line per service for each year the history touches: a tenth
/// above a year of the charges so far, except for [`OVER_BUDGET`]
/// customers, who planned less than they have already used.
pub(super) async fn seed_budgets(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let seed = actor_for("demo seed", None);
    let years = [calendar.month(MONTHS).year(), calendar.today.year()];
    for (index, year) in years.iter().enumerate() {
        if index == 1 && years[0] == years[1] {
            break;
        }
        let mut values = Vec::new();
        for (customer, services, _) in ACCOUNTS {
            for service in *services {
                let (charged, months) = charged_in(calendar, *year, *customer, *service);
                if months == 0 {
                    continue;
                }
                let planned = if OVER_BUDGET.contains(customer) {
                    charged * 9 / 10
                } else {
                    charged * 12 / months * 11 / 10
                };
                values.push((
                    format!("{} {} {year}", CUSTOMERS[*customer].0, SERVICES[*service].0),
                    json!({
                        "customer_id": parties.customers[*customer].id,
                        "year": year,
                        "service_id": parties.services[*service],
                        "planned_cents": planned / 100 * 100,
                    }),
                ));
            }
        }
        let planned_on = Date::new(*year, 1, 5).map_err(|e| invalid("budget year", e))?;
        let at = timeline.no_later(
            at_utc(planned_on, 9)?.max(timeline.now() - crate::seed::timeline::ORGANISATION_AGE),
        );
        create_all::<BudgetLineInput>(store, &seed, values, at).await?;
    }
    Ok(())
}
