//! End to end: `rapport import responses` and `rapport export survey`
//! against a real server with a small, fixed survey: the refusals of a
//! bad file by line, `--all-or-nothing`, a re-run importing nothing twice,
//! and the reports compared with ones written by hand in `tests/expected/`
//! (figures computed by hand: see the comments).

use rapport_client::api::{ApiClient, Record, record_id, record_version};
use rapport_client::cli::responses::ResponsesArgs;
use rapport_client::cli::survey::{SurveyArgs, SurveyFormat};
use rapport_client::cli::{self, CliError, Command, Export, Import, Output};
use rapport_server::embedded::EmbeddedServer;
use rapport_shared::Collection;
use serde_json::{Value, json};

fn object(value: Value) -> Record {
    value.as_object().cloned().unwrap_or_default()
}

async fn create(api: &ApiClient, collection: Collection, body: Value) -> anyhow::Result<String> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let key = format!(
        "surveys-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let record = api.create(collection, &object(body), &key).await?;
    Ok(record_id(&record).to_string())
}

fn import(file: &std::path::Path, survey: &str, all_or_nothing: bool) -> Command {
    Command::Import(Import::Responses(ResponsesArgs {
        file: file.to_path_buf(),
        survey: survey.into(),
        all_or_nothing,
        output: Output::default(),
    }))
}

fn export(survey: &str, customer: Option<&str>, format: SurveyFormat) -> Command {
    Command::Export(Export::Survey(SurveyArgs {
        survey: survey.into(),
        customer: customer.map(str::to_string),
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
async fn responses_are_imported_once_and_the_report_is_exact() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = EmbeddedServer::start(&dir.path().join("surveys.db"), false).await?;
    let api = ApiClient::new(&server.base_url, &server.admin_token)?;
    let mof = create(
        &api,
        Collection::Customers,
        json!({"name": "Ministry of Finance", "code": "MOF"}),
    )
    .await?;
    let tax = create(
        &api,
        Collection::Customers,
        json!({"name": "Tax Agency", "code": "TAX"}),
    )
    .await?;
    for (customer, name, email) in [
        (&mof, "Ann Arbor", "ann@mof.example"),
        (&mof, "Bo Berg", "bo@mof.example"),
        (&mof, "Cy Chen", "cy@mof.example"),
        (&tax, "Di Dahl", "di@tax.example"),
        (&tax, "Ed Eng", "ed@tax.example"),
    ] {
        create(
            &api,
            Collection::Contacts,
            json!({"customer_id": customer, "name": name, "email": email}),
        )
        .await?;
    }
    let hosting = create(&api, Collection::Services, json!({"name": "VM hosting"})).await?;
    let survey = create(
        &api,
        Collection::Surveys,
        json!({"title": "Spring round", "period_start": "2026-03-01", "period_end": "2026-03-31",
               "customer_ids": [mof, tax],
               "questions": [
                   {"id": "overall", "text": "How satisfied are you overall?", "kind": "scale5"},
                   {"id": "recommend", "text": "Would you recommend our hosting?", "kind": "nps",
                    "service_id": hosting},
                   {"id": "why", "text": "What should we do better?", "kind": "text"}]}),
    )
    .await?;

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "contact_email,overall,recommend,why\n\
         ann@mof.example,4,9,Fast answers\n\
         bo@mof.example,2,5,\"Outages in March, twice\"\n\
         CY@mof.example,5,10,\n\
         di@tax.example,3,7,\n",
    )?;
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "contact_email,overall,recommend,why\n\
         ann@mof.example,4,9,Fast answers\n\
         nobody@else.example,3,3,\n\
         ann@mof.example,5,10,\n\
         ed@tax.example,6,,\n",
    )?;

    // A draft takes no responses.
    match cli::execute(&api, &import(&good, &survey, false)).await {
        Err(CliError::Usage(message)) => assert!(message.contains("is draft"), "{message}"),
        other => panic!("{other:?}"),
    }
    let record = api.get(Collection::Surveys, &survey).await?;
    api.update(
        Collection::Surveys,
        &survey,
        record_version(&record),
        &object(json!({"status": "open"})),
    )
    .await?;

    // All or nothing: three refusals, so nothing is imported.
    let Err(CliError::Failed(message)) = cli::execute(&api, &import(&bad, &survey, true)).await
    else {
        panic!("refused");
    };
    assert!(
        message.contains("line 3: nobody@else.example is not a contact"),
        "{message}"
    );
    assert!(
        message.contains("line 4: ann@mof.example answers twice: already on line 2"),
        "{message}"
    );
    assert!(
        message.contains("line 5: the answer to overall must be a whole number from 1 to 5"),
        "{message}"
    );
    assert!(
        message.ends_with("Imported nothing (--all-or-nothing): 3 of 4 rows refused"),
        "{message}"
    );
    assert!(api.survey_responses(&survey).await?.is_empty());
    // Without it the good row goes in, and the refusals still fail the run.
    let Err(CliError::Failed(message)) = cli::execute(&api, &import(&bad, &survey, false)).await
    else {
        panic!("refused");
    };
    assert!(
        message.ends_with("Imported 1 response; 0 already imported; 3 rows refused"),
        "{message}"
    );
    // The good file: Ann is in already, the other three are new.
    let first = cli::execute(&api, &import(&good, &survey, false)).await?;
    assert_eq!(
        first.summary.as_deref(),
        Some("Imported 3 responses; 1 already imported; 0 rows refused")
    );
    let again = cli::execute(&api, &import(&good, &survey, false)).await?;
    assert_eq!(
        again.summary.as_deref(),
        Some("Imported 0 responses; 4 already imported; 0 rows refused")
    );
    assert_eq!(api.survey_responses(&survey).await?.len(), 4);

    let all = cli::execute(&api, &export(&survey, None, SurveyFormat::Markdown)).await?;
    assert_eq!(all.text, expected("survey-spring.md")?);
    let csv = cli::execute(&api, &export(&survey, None, SurveyFormat::Csv)).await?;
    assert_eq!(csv.text, expected("survey-spring.csv")?);
    let mof_only =
        cli::execute(&api, &export(&survey, Some("mof"), SurveyFormat::Markdown)).await?;
    assert_eq!(mof_only.text, expected("survey-spring-MOF.md")?);
    match cli::execute(&api, &export(&survey, Some("NOPE"), SurveyFormat::Csv)).await {
        Err(CliError::Usage(message)) => assert_eq!(message, "no customer has the code NOPE"),
        other => panic!("{other:?}"),
    }
    match cli::execute(&api, &export("0000", None, SurveyFormat::Csv)).await {
        Err(CliError::Usage(message)) => assert_eq!(message, "no survey has the id 0000"),
        other => panic!("{other:?}"),
    }
    server.shutdown().await;
    Ok(())
}
