//! Surveys end to end: results on fixed data against hand-computed values,
//! the 409s (closed survey, second response, questions after a response,
//! the race of a question change and a first response) and the 422s
//! (contact outside the audience, answers out of range, unknown questions),
//! comments newest first, a customer's satisfaction in time order, and
//! every read of a survey telling how many were asked and answered.

mod api_support;

use api_support::{TestServer, id_of};
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

/// q1 scale5 and q2 nps about a service, q3 text.
fn questions(service: &str) -> Value {
    json!([
        {"id": "q1", "text": "How satisfied are you?", "kind": "scale5", "service_id": service},
        {"id": "q2", "text": "Would you recommend us?", "kind": "nps", "service_id": service},
        {"id": "q3", "text": "Anything else?", "kind": "text"},
    ])
}

struct Fixture {
    server: TestServer,
    operator: String,
    survey: String,
    mof: String,
    tax: String,
    /// Three contacts of MOF, two of TAX, one of OUT (not in the audience).
    contacts: Vec<String>,
}

async fn fixture() -> Fixture {
    let server = TestServer::start(false).await;
    let operator = server.token_of(Permission::Operator).to_string();
    let service = id_of(&server.create("services", json!({"name": "Hosting"})).await);
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Agency").await;
    let out = server.customer("OUT", "Outsiders").await;
    let mut contacts = Vec::new();
    for (customer, name) in [
        (&mof, "Ann"),
        (&mof, "Ben"),
        (&mof, "Cy"),
        (&tax, "Di"),
        (&tax, "Ed"),
        (&out, "Flo"),
    ] {
        let contact = server
            .create("contacts", json!({"customer_id": customer, "name": name}))
            .await;
        contacts.push(id_of(&contact));
    }
    let survey = server
        .create(
            "surveys",
            json!({
                "title": "Q1 2026", "questions": questions(&service), "status": "open",
                "period_start": "2026-01-01", "period_end": "2026-03-31",
                "customer_ids": [mof, tax],
            }),
        )
        .await;
    Fixture {
        operator,
        survey: id_of(&survey),
        mof,
        tax,
        contacts,
        server,
    }
}

impl Fixture {
    async fn respond(&self, contact: usize, answers: Value) -> api_support::Reply {
        self.server
            .post(
                &format!("/api/v1/surveys/{}/responses", self.survey),
                &self.operator,
                &json!({"contact_id": self.contacts[contact], "answers": answers}),
            )
            .await
    }

    async fn survey_version(&self) -> i64 {
        self.server
            .get(
                &format!("/api/v1/surveys/{}", self.survey),
                &self.server.viewer,
            )
            .await
            .version()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_are_the_hand_computed_figures() {
    let f = fixture().await;
    let empty = f
        .server
        .get(
            &format!("/api/v1/surveys/{}/results", f.survey),
            &f.server.viewer,
        )
        .await;
    empty.expect(200);
    assert_eq!(empty.json["responses"], 0);
    assert_eq!(empty.json["questions"][0]["count"], 0);
    assert!(empty.json["questions"][0]["mean"].is_null());
    assert!(empty.json["questions"][1]["nps"].is_null());
    assert_eq!(empty.json["questions"][1]["distribution"]["0"], 0);

    f.respond(0, json!({"q1": 5, "q2": 10, "q3": "Great service"}))
        .await
        .expect(201);
    f.respond(1, json!({"q1": 4, "q2": 6})).await.expect(201);
    f.respond(3, json!({"q1": 2, "q2": 8, "q3": "Too slow"}))
        .await
        .expect(201);
    let results = f
        .server
        .get(
            &format!("/api/v1/surveys/{}/results", f.survey),
            &f.server.viewer,
        )
        .await;
    results.expect(200);
    let r = &results.json;
    assert_eq!(
        (
            r["responses"].clone(),
            r["invited"].clone(),
            r["response_rate"].clone()
        ),
        (json!(3), json!(5), json!(0.6))
    );
    assert_eq!(r["questions"][0]["count"], 3);
    assert_eq!(r["questions"][0]["mean"], 3.67);
    assert_eq!(
        r["questions"][0]["distribution"],
        json!({"1": 0, "2": 1, "3": 0, "4": 1, "5": 1})
    );
    assert_eq!(r["questions"][1]["nps"], 0.0);
    assert_eq!(
        r["questions"][1]["distribution"]
            .as_object()
            .map(|d| d.len()),
        Some(11)
    );
    assert_eq!(r["questions"][2]["count"], 2);
    assert_eq!(r["customers"][0]["customer_id"], json!(f.mof));
    assert_eq!(
        (
            r["customers"][0]["responses"].clone(),
            r["customers"][0]["mean"].clone()
        ),
        (json!(2), json!(4.5))
    );
    assert_eq!(r["customers"][1]["customer_id"], json!(f.tax));
    assert_eq!(
        (
            r["customers"][1]["mean"].clone(),
            r["customers"][1]["nps"].clone()
        ),
        (json!(2.0), json!(0.0))
    );
    assert_eq!(
        (
            r["services"][0]["count"].clone(),
            r["services"][0]["mean"].clone()
        ),
        (json!(6), json!(3.67))
    );

    let comments = f
        .server
        .get(
            &format!("/api/v1/surveys/{}/comments", f.survey),
            &f.server.viewer,
        )
        .await;
    let texts: Vec<&str> = comments.json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["text"].as_str())
        .collect();
    assert_eq!(texts, ["Too slow", "Great service"]);
    assert_eq!(comments.json["items"][0]["customer_id"], json!(f.tax));
    assert_eq!(
        comments.json["items"][0]["contact_id"],
        json!(f.contacts[3])
    );

    let trend = f
        .server
        .get(
            &format!("/api/v1/customers/{}/satisfaction", f.mof),
            &f.server.viewer,
        )
        .await;
    trend.expect(200);
    assert_eq!(trend.json["items"][0]["mean"], 4.5);
    assert_eq!(trend.json["items"][0]["responses"], 2);
    assert_eq!(trend.json["items"][0]["period_end"], "2026-03-31");
    f.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_of_a_survey_tells_how_many_were_asked_and_answered() {
    let f = fixture().await;
    let path = format!("/api/v1/surveys/{}", f.survey);
    let answered = |reply: &Value| (reply["invited"].clone(), reply["response_count"].clone());
    let read = f.server.get(&path, &f.server.viewer).await;
    read.expect(200);
    assert_eq!(
        answered(&read.json),
        (json!(5), json!(0)),
        "MOF's 3 and TAX's 2"
    );
    f.respond(0, json!({"q1": 4})).await.expect(201);
    f.respond(3, json!({})).await.expect(201);
    // A second response names the contact, so a form can say it there.
    let again = f.respond(0, json!({"q1": 5})).await;
    again.problem(409);
    assert_eq!(
        again.json["errors"][0]["field"], "contact_id",
        "{}",
        again.text
    );
    let listed = f.server.get("/api/v1/surveys", &f.server.viewer).await;
    let item = listed
        .items()
        .into_iter()
        .find(|s| id_of(s) == f.survey)
        .expect("the survey is listed");
    assert_eq!(answered(&item), (json!(5), json!(2)));
    // Sent back in a PATCH the derived fields are accepted and ignored.
    let patched = f
        .server
        .patch(
            &path,
            &f.server.admin,
            read.version(),
            &json!({"title": "Q1 2026 (renamed)", "invited": 99, "response_count": 99}),
        )
        .await;
    patched.expect(200);
    assert_eq!(answered(&patched.json), (json!(5), json!(2)));
    // A customer taken out of the audience takes its contacts and
    // responses with it, as the results count them.
    let narrowed = f
        .server
        .patch(
            &path,
            &f.server.admin,
            patched.version(),
            &json!({"customer_ids": [f.tax]}),
        )
        .await;
    narrowed.expect(200);
    assert_eq!(answered(&narrowed.json), (json!(2), json!(1)));
    let results = f
        .server
        .get(&format!("{path}/results"), &f.server.viewer)
        .await;
    assert_eq!(
        (
            results.json["invited"].clone(),
            results.json["responses"].clone()
        ),
        answered(&narrowed.json)
    );
    // The contacts of several customers at once: any of the values.
    let both = format!("{},{}", f.mof, f.tax);
    let contacts = f
        .server
        .get(
            &format!("/api/v1/contacts?customer_id={both}"),
            &f.server.viewer,
        )
        .await;
    assert_eq!(contacts.items().len(), 5);
    let count = f
        .server
        .get(
            &format!("/api/v1/contacts/count?customer_id={both}"),
            &f.server.viewer,
        )
        .await;
    assert_eq!(count.json["count"], 5);
    f.server
        .get("/api/v1/surveys?status=open,nonsense", &f.server.viewer)
        .await
        .invalid("status");
    f.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_responses_are_named_and_conflicts_are_409() {
    let f = fixture().await;
    let reply = f
        .respond(0, json!({"q1": 6, "q2": 11, "q3": 3, "q9": 1}))
        .await;
    for field in ["answers.q1", "answers.q2", "answers.q3", "answers.q9"] {
        reply.invalid(field);
    }
    f.respond(5, json!({"q1": 3})).await.invalid("contact_id");
    f.server
        .post(
            &format!("/api/v1/surveys/{}/responses", f.survey),
            &f.operator,
            &json!({"contact_id": "nobody"}),
        )
        .await
        .invalid("contact_id");
    f.server
        .post(
            "/api/v1/surveys/nope/responses",
            &f.operator,
            &json!({"contact_id": f.contacts[0]}),
        )
        .await
        .problem(404);
    // Unanswered questions are allowed; a second response is a conflict.
    f.respond(0, json!({})).await.expect(201);
    f.respond(0, json!({"q1": 4})).await.problem(409);
    // Once a response exists the questions are fixed, the title is not.
    let version = f.survey_version().await;
    let path = format!("/api/v1/surveys/{}", f.survey);
    let changed = json!([{"id": "q1", "text": "Rate us", "kind": "scale5"}]);
    f.server
        .patch(
            &path,
            &f.server.admin,
            version,
            &json!({"questions": changed}),
        )
        .await
        .problem(409);
    let renamed = f
        .server
        .patch(
            &path,
            &f.server.admin,
            version,
            &json!({"title": "Q1 2026 (renamed)"}),
        )
        .await;
    renamed.expect(200);
    // A closed survey takes no responses.
    f.server
        .patch(
            &path,
            &f.server.admin,
            renamed.version(),
            &json!({"status": "closed"}),
        )
        .await
        .expect(200);
    f.respond(1, json!({"q1": 4})).await.problem(409);
    // A manager deletes a wrong response; an operator may not.
    let listed = f
        .server
        .get(&format!("{path}/responses"), &f.server.viewer)
        .await;
    let response = id_of(&listed.items()[0]);
    let one = format!("{path}/responses/{response}");
    f.server.delete(&one, &f.operator, 1).await.problem(403);
    f.server.delete(&one, &f.server.admin, 1).await.expect(204);
    assert!(
        f.server
            .get(&format!("{path}/responses"), &f.server.viewer)
            .await
            .items()
            .is_empty()
    );
    // Bad surveys: repeated question ids, reversed period.
    let twice = json!([{"id": "q1", "text": "a", "kind": "nps"}, {"id": "q1", "text": "b", "kind": "text"}]);
    f.server
        .post(
            "/api/v1/surveys",
            &f.server.admin,
            &json!({"title": "S", "questions": twice}),
        )
        .await
        .invalid("questions");
    f.server
        .post(
            "/api/v1/surveys",
            &f.server.admin,
            &json!({"title": "S", "questions": [{"id": "q1", "text": "a", "kind": "nps"}], "period_start": "2026-02-01", "period_end": "2026-01-31"}),
        )
        .await
        .invalid("period_end");
    f.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_change_and_a_first_response_never_both_land() {
    let f = fixture().await;
    for round in 0..4 {
        // A fresh open survey for each round.
        let survey = f
            .server
            .create(
                "surveys",
                json!({"title": format!("Race {round}"), "status": "open", "customer_ids": [f.mof],
                       "questions": [{"id": "q1", "text": "Rate us", "kind": "scale5"}]}),
            )
            .await;
        let id = id_of(&survey);
        let patch = f
            .server
            .request(
                Method::PATCH,
                &format!("/api/v1/surveys/{id}"),
                Some(&f.server.admin),
            )
            .header("if-match", "\"1\"")
            .json(&json!({"questions": [{"id": "q1", "text": "Rate us", "kind": "text"}]}));
        let post = f
            .server
            .request(
                Method::POST,
                &format!("/api/v1/surveys/{id}/responses"),
                Some(&f.operator),
            )
            .json(&json!({"contact_id": f.contacts[0], "answers": {"q1": 5}}));
        let replies = f.server.at_once(vec![patch, post]).await;
        let changed = replies.iter().any(|r| r.status == 200);
        let responded = replies.iter().any(|r| r.status == 201);
        // A response checked against the old questions and the new
        // questions never both stand: the later write sees the earlier.
        assert!(!(changed && responded), "round {round}: both landed");
        assert!(
            replies
                .iter()
                .all(|r| [200, 201, 409, 422].contains(&r.status)),
            "round {round}"
        );
        let responses = f
            .server
            .get(&format!("/api/v1/surveys/{id}/responses"), &f.server.viewer)
            .await;
        let kind = f
            .server
            .get(&format!("/api/v1/surveys/{id}"), &f.server.viewer)
            .await
            .json["questions"][0]["kind"]
            .clone();
        assert_eq!(responses.items().len() == 1, responded, "round {round}");
        assert_eq!(kind == "text", changed, "round {round}");
    }
    f.server.stop().await;
}

/// The demo's four quarterly rounds: the Ministry of Health worse every
/// round, the Ministry of Education better, comments in every round, only
/// the latest still open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_four_rounds_with_one_customer_worse_and_one_better() {
    let server = TestServer::start(true).await;
    let token = server.viewer.clone();
    let customers = server
        .get("/api/v1/customers?limit=100", &token)
        .await
        .items();
    let id_of_code = |code: &str| {
        customers
            .iter()
            .find(|c| c["code"] == code)
            .and_then(|c| c["id"].as_str())
            .unwrap_or_else(|| panic!("{code} in the demo"))
            .to_string()
    };
    let means = |items: &[serde_json::Value]| -> Vec<f64> {
        items
            .iter()
            .map(|i| i["mean"].as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let trend = |code: &str| {
        let id = id_of_code(code);
        let server = &server;
        let token = token.clone();
        async move {
            server
                .get(&format!("/api/v1/customers/{id}/satisfaction"), &token)
                .await
                .items()
        }
    };
    let worse = trend("MOH").await;
    let better = trend("MOE").await;
    assert_eq!(worse.len(), 4, "{worse:?}");
    assert_eq!(better.len(), 4, "{better:?}");
    let (w, b) = (means(&worse), means(&better));
    assert!(w.windows(2).all(|p| p[1] < p[0]), "MOH gets worse: {w:?}");
    assert!(b.windows(2).all(|p| p[1] > p[0]), "MOE gets better: {b:?}");
    let nps: Vec<f64> = worse
        .iter()
        .map(|i| i["nps"].as_f64().unwrap_or(f64::NAN))
        .collect();
    assert!(nps.windows(2).all(|p| p[1] <= p[0]), "{nps:?}");
    assert!(nps[3] < nps[0], "{nps:?}");

    let surveys = server
        .get("/api/v1/surveys?limit=100", &token)
        .await
        .items();
    assert_eq!(surveys.len(), 4);
    let open: Vec<_> = surveys.iter().filter(|s| s["status"] == "open").collect();
    assert_eq!(open.len(), 1, "only the latest round is open");
    for survey in &surveys {
        let id = survey["id"].as_str().unwrap_or_default();
        let results = server
            .get(&format!("/api/v1/surveys/{id}/results"), &token)
            .await;
        let rate = results.json["response_rate"].as_f64().unwrap_or(0.0);
        assert!(rate > 0.5, "most contacts answer: {rate}");
        let comments = server
            .get(&format!("/api/v1/surveys/{id}/comments"), &token)
            .await
            .items();
        assert!(comments.len() >= 5, "{comments:?}");
    }
    server.stop().await;
}
