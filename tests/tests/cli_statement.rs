//! End to end: `rapport export statement` against a real server holding a
//! small, fixed year (two services, a price rise in March, two programs,
//! an agreement with two levels), compared with statements written by
//! hand in `tests/expected/`; and its refusals.

use rapport_client::api::{ApiClient, Record, record_id, record_version};
use rapport_client::cli::statement::{StatementArgs, StatementFormat};
use rapport_client::cli::{self, CliError, Command, Export, Output};
use rapport_server::embedded::EmbeddedServer;
use rapport_shared::Collection;
use serde_json::{Value, json};

fn object(value: Value) -> Record {
    value.as_object().cloned().unwrap_or_default()
}

async fn create(api: &ApiClient, collection: Collection, body: Value) -> anyhow::Result<String> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let key = format!(
        "statement-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let record = api.create(collection, &object(body), &key).await?;
    Ok(record_id(&record).to_string())
}

/// The fixed year: the Tax Agency's 2026 to the end of March.
async fn fixed_year(api: &ApiClient) -> anyhow::Result<()> {
    let customer = create(
        api,
        Collection::Customers,
        json!({"name": "Tax Agency", "code": "TAX"}),
    )
    .await?;
    let hosting = create(
        api,
        Collection::Services,
        json!({"name": "VM hosting", "unit": "vm", "unit_price_cents": 10_000}),
    )
    .await?;
    let mail = create(
        api,
        Collection::Services,
        json!({"name": "Mail", "unit": "mailbox", "unit_price_cents": 650}),
    )
    .await?;
    for (service, planned) in [(&hosting, 1_200_000), (&mail, 30_000)] {
        create(
            api,
            Collection::BudgetLines,
            json!({"customer_id": customer, "year": 2026, "service_id": service, "planned_cents": planned}),
        )
        .await?;
    }
    let usage = |service: &str, month: &str, quantity: i64, program: Option<&str>| {
        json!({"customer_id": customer, "service_id": service, "month": month,
               "quantity": quantity, "program": program})
    };
    create(
        api,
        Collection::Usage,
        usage(&hosting, "2026-01", 8, Some("Income tax")),
    )
    .await?;
    create(
        api,
        Collection::Usage,
        usage(&hosting, "2026-02", 8, Some("Income tax")),
    )
    .await?;
    create(api, Collection::Usage, usage(&mail, "2026-02", 40, None)).await?;
    // The price rises before March's usage is recorded.
    let service = api.get(Collection::Services, &hosting).await?;
    api.update(
        Collection::Services,
        &hosting,
        record_version(&service),
        &object(json!({"unit_price_cents": 12_500})),
    )
    .await?;
    create(
        api,
        Collection::Usage,
        usage(&hosting, "2026-03", 6, Some("Income tax")),
    )
    .await?;
    create(
        api,
        Collection::Usage,
        usage(&hosting, "2026-03", 2, Some("Customs")),
    )
    .await?;
    create(api, Collection::Usage, usage(&mail, "2026-03", 42, None)).await?;
    let agreement = create(
        api,
        Collection::Agreements,
        json!({"customer_id": customer, "title": "Hosting SLA", "service_ids": [hosting],
               "status": "active", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
               "levels": [
                   {"metric": "availability", "target": 99.9, "unit": "%", "better": "higher"},
                   {"metric": "resolution", "target": 8, "unit": "h", "better": "lower"}]}),
    )
    .await?;
    for (metric, month, value) in [
        ("availability", "2026-01", 99.95),
        ("availability", "2026-02", 99.7),
        ("availability", "2026-03", 99.92),
        ("resolution", "2026-01", 6.5),
        ("resolution", "2026-03", 9.0),
    ] {
        create(
            api,
            Collection::LevelResults,
            json!({"agreement_id": agreement, "metric": metric, "month": month, "value": value}),
        )
        .await?;
    }
    Ok(())
}

fn statement(customer: &str, year: i32, month: Option<&str>, format: StatementFormat) -> Command {
    Command::Export(Export::Statement(StatementArgs {
        customer: customer.into(),
        year,
        month: month.map(str::to_string),
        format,
        output: Output::default(),
    }))
}

fn expected(name: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("expected")
        .join(name);
    Ok(std::fs::read_to_string(&path)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statement_explains_the_bill_as_written_by_hand() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = EmbeddedServer::start(&dir.path().join("statement.db"), false).await?;
    let api = ApiClient::new(&server.base_url, &server.admin_token)?;
    fixed_year(&api).await?;

    let year = cli::execute(
        &api,
        &statement("tax", 2026, None, StatementFormat::Markdown),
    )
    .await?;
    assert_eq!(year.text, expected("statement-TAX-2026.md")?);
    let csv = cli::execute(&api, &statement("TAX", 2026, None, StatementFormat::Csv)).await?;
    assert_eq!(csv.text, expected("statement-TAX-2026.csv")?);
    let march = cli::execute(
        &api,
        &statement("TAX", 2026, Some("2026-03"), StatementFormat::Markdown),
    )
    .await?;
    assert_eq!(march.text, expected("statement-TAX-2026-03.md")?);

    for (command, says) in [
        (
            statement("NOPE", 2026, None, StatementFormat::Markdown),
            "no customer has the code NOPE",
        ),
        (
            statement("TAX", 2026, Some("2025-12"), StatementFormat::Markdown),
            "--month 2025-12 is not in --year 2026",
        ),
        (
            statement("TAX", 2026, Some("13/2026"), StatementFormat::Csv),
            "--month 13/2026 is not a month",
        ),
    ] {
        match cli::execute(&api, &command).await {
            Err(error @ CliError::Usage(_)) => {
                assert!(error.to_string().starts_with(says), "{error}");
                assert_eq!(error.exit_code(), std::process::ExitCode::from(2));
            }
            other => panic!("{command:?}: {other:?}"),
        }
    }
    server.shutdown().await;
    Ok(())
}
