//! Racing writes over HTTP: two requests that each pass the API's checks
//! on their own but together would break a rule. The store re-checks the
//! rule inside the write's transaction, so one of them is always refused.

mod api_support;

use api_support::{TestServer, id_of};
use serde_json::json;

/// How many times the race is run: each round is a fresh staff member.
const ROUNDS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_team_naming_a_brm_and_the_brm_losing_the_role_never_both_succeed() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let manager = server.staff("Dan", &["delivery_manager"]).await;
    let no_roles = json!({"job_roles": []});
    let mut outcomes = [0usize; 2];
    for round in 0..ROUNDS {
        let brm = server.staff(&format!("Bea {round}"), &["brm"]).await;
        let staff_path = format!("/api/v1/staff/{brm}");
        let team = json!({"name": format!("North {round}"), "brm_id": brm, "delivery_manager_id": manager});
        let (named, dropped) = tokio::join!(
            server.post("/api/v1/teams", admin, &team),
            server.patch(&staff_path, admin, 1, &no_roles),
        );
        // Exactly one wins; the other is the usual 422 on its field.
        match (named.status, dropped.status) {
            (201, 422) => {
                dropped.invalid("job_roles");
                outcomes[0] += 1;
            }
            (422, 200) => {
                named.invalid("brm_id");
                outcomes[1] += 1;
            }
            other => panic!(
                "round {round}: {other:?}\nteam: {}\nstaff: {}",
                named.text, dropped.text
            ),
        }
        // And the rule holds afterwards: a team's BRM has the BRM role.
        let staff = server.get(&staff_path, admin).await;
        staff.expect(200);
        let has_role = staff.json["job_roles"] == json!(["brm"]);
        let teams = server.list_all("/api/v1/teams", admin).await;
        let is_brm = teams.iter().any(|t| t["brm_id"] == json!(brm));
        assert!(!is_brm || has_role, "round {round}: {}", staff.text);
        assert_eq!(
            is_brm,
            named.status == 201,
            "round {round}: {:?}",
            teams.iter().map(id_of).collect::<Vec<_>>()
        );
    }
    assert_eq!(outcomes.iter().sum::<usize>(), ROUNDS);
    server.stop().await;
}
