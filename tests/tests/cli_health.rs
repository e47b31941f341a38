//! End to end: `rapport export health` (the portfolio worst first, in
//! Markdown and CSV, narrowed to a team) and `rapport agenda` (the days
//! ahead of the token's staff member, and the customers whose health
//! changed since the last run) against a real server.

mod api_support;

use api_support::{TestServer, day, id_of};
use rapport_client::api::ApiClient;
use rapport_client::cli::health::{HealthArgs, HealthFormat};
use rapport_client::cli::week::AgendaArgs;
use rapport_client::cli::{self, CliError, Command, Export, Output};
use rapport_shared::enums::Permission;
use serde_json::json;

fn health(team: Option<&str>, format: HealthFormat) -> Command {
    Command::Export(Export::Health(HealthArgs {
        team: team.map(str::to_string),
        format,
        output: Output::default(),
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portfolio_and_the_week_ahead() -> anyhow::Result<()> {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let me = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let north = id_of(
        &server
            .create(
                "teams",
                json!({"name": "North", "brm_id": me, "delivery_manager_id": dm}),
            )
            .await,
    );
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "=Tax Office").await;
    server
        .patch(
            &format!("/api/v1/customers/{mof}"),
            &manager,
            1,
            &json!({"team_id": north}),
        )
        .await
        .expect(200);
    let sla = server
        .create(
            "agreements",
            json!({"customer_id": mof, "title": "MOF SLA", "status": "active", "review_on": day(2)}),
        )
        .await;
    server
        .create(
            "agreements",
            json!({"customer_id": tax, "title": "TAX SLA", "status": "active", "valid_to": day(-1)}),
        )
        .await;
    let token = server.token(Permission::Manager, Some(&me)).await;
    let api = ApiClient::new(&server.url(""), &token)?;

    let markdown = cli::execute(&api, &health(None, HealthFormat::Markdown)).await?;
    let table: Vec<&str> = markdown
        .text
        .lines()
        .filter(|l| l.starts_with("| "))
        .collect();
    assert_eq!(
        table[0],
        "| Customer | Team | State | service levels | satisfaction | budget | rfc backlog | rhythm | agreements |"
    );
    // TAX's agreement has expired (act), MOF's is due for review (watch).
    assert_eq!(
        table[1],
        "| TAX =Tax Office |  | **act** | unknown | unknown | unknown | unknown | unknown | act |"
    );
    assert_eq!(
        table[2],
        "| MOF Ministry of Finance | North | **watch** | unknown | unknown | unknown | unknown | unknown | watch |"
    );
    assert!(
        markdown.text.contains(&format!(
            "- agreements: watch — MOF SLA is due for review (review on {})",
            day(2)
        )),
        "{}",
        markdown.text
    );
    let csv = cli::execute(&api, &health(Some("north"), HealthFormat::Csv)).await?;
    let rows: Vec<&str> = csv.text.lines().collect();
    assert_eq!(rows.len(), 2, "{}", csv.text);
    assert!(
        rows[1].starts_with("MOF,Ministry of Finance,North,watch,unknown,"),
        "{}",
        csv.text
    );
    let all = cli::execute(&api, &health(None, HealthFormat::Csv)).await?;
    assert!(
        all.text.contains("TAX,'=Tax Office,,act"),
        "a formula is quoted: {}",
        all.text
    );
    match cli::execute(&api, &health(Some("Nowhere"), HealthFormat::Csv)).await {
        Err(CliError::Usage(message)) => assert_eq!(message, "no team is named Nowhere"),
        other => panic!("{other:?}"),
    }

    let dir = tempfile::tempdir()?;
    let agenda = |days: i64| {
        Command::Agenda(AgendaArgs {
            days,
            seen_file: Some(dir.path().join("seen.json")),
            output: Output::default(),
        })
    };
    let first = cli::execute(&api, &agenda(3)).await?;
    assert!(
        first
            .text
            .starts_with(&format!("Week ahead, {} to {}\n", day(0), day(2))),
        "{}",
        first.text
    );
    assert!(
        first
            .text
            .contains("  review          review of MOF SLA — MOF Ministry of Finance\n"),
        "{}",
        first.text
    );
    assert!(
        first
            .text
            .ends_with("Health changed since you last looked\n  none\n"),
        "{}",
        first.text
    );
    // The agreement expires: MOF goes from watch to act.
    server
        .patch(
            &format!("/api/v1/agreements/{}", id_of(&sla)),
            &manager,
            sla["version"].as_i64().unwrap_or(1),
            &json!({"valid_to": day(-1), "valid_from": day(-100)}),
        )
        .await
        .expect(200);
    let second = cli::execute(&api, &agenda(3)).await?;
    assert!(
        second.text.ends_with(
            "Health changed since you last looked\n  MOF Ministry of Finance: watch -> act\n"
        ),
        "{}",
        second.text
    );
    match cli::execute(&api, &agenda(0)).await {
        Err(CliError::Usage(message)) => assert!(message.contains("--days 0"), "{message}"),
        other => panic!("{other:?}"),
    }
    server.stop().await;
    Ok(())
}
