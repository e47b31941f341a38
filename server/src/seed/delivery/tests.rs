use super::*;

#[test]
fn accounts_name_real_customers_services_and_plans() {
    assert_eq!(ACCOUNTS.len(), PLANS.len());
    for (customer, services, _) in ACCOUNTS {
        assert!(*customer < CUSTOMERS.len());
        assert!(services.iter().all(|s| *s < SERVICES.len()));
    }
    assert!(ACCOUNTS.iter().any(|(c, ..)| *c == EXPIRED));
    assert!(ACCOUNTS.iter().any(|(c, ..)| *c == REVIEW_DUE));
}

#[test]
fn the_price_change_applies_to_later_months_only() {
    let (service, price) = PRICE_CHANGE;
    assert_eq!(
        unit_price(service, PRICE_CHANGE_MONTHS_AGO),
        SERVICES[service].4
    );
    assert_eq!(unit_price(service, PRICE_CHANGE_MONTHS_AGO - 1), price);
    assert_ne!(SERVICES[service].4, price);
}

#[test]
fn some_months_are_missed_and_most_are_met() {
    let missed = ACCOUNTS
        .iter()
        .flat_map(|(c, ..)| (1..=MONTHS).map(move |ago| measured(*c, ago)))
        .filter(|(availability, response)| *availability < 99.5 || *response > 4.0)
        .count();
    let all = ACCOUNTS.len() * MONTHS as usize;
    assert!(missed > 0 && missed * 3 < all, "{missed} of {all} missed");
}
