//! The rules that need other records: vocabularies, uniques, references,
//! job roles, ownership, and deletes that would orphan records.

use crate::api_support::{TestServer, id_of};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_that_need_other_records() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let brm = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let desk = server.staff("Sam Desk", &["service_desk"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;

    // Bad enum, bad e-mail, bad customer code, duplicate code.
    server
        .post(
            "/api/v1/customers",
            admin,
            &json!({"name": "X", "code": "XX", "status": "gone"}),
        )
        .await
        .invalid("status");
    server
        .post(
            "/api/v1/staff",
            admin,
            &json!({"name": "X", "email": "not-an-email"}),
        )
        .await
        .invalid("email");
    server
        .post(
            "/api/v1/staff",
            admin,
            &json!({"name": "X", "email": "x@it.example", "job_roles": ["cook"]}),
        )
        .await
        .invalid("job_roles");
    server
        .post(
            "/api/v1/contacts",
            admin,
            &json!({"customer_id": customer, "name": "X", "role": "boss"}),
        )
        .await
        .invalid("role");
    server
        .post(
            "/api/v1/rfcs",
            admin,
            &json!({"customer_id": customer, "title": "X", "priority": "urgent"}),
        )
        .await
        .invalid("priority");
    for code in ["mof", "M", "MINISTRY-OF-FINANCE", "MO F", "MÖF"] {
        server
            .post(
                "/api/v1/customers",
                admin,
                &json!({"name": "X", "code": code}),
            )
            .await
            .invalid("code");
    }
    let duplicate = server
        .post(
            "/api/v1/customers",
            admin,
            &json!({"name": "Other", "code": "MOF"}),
        )
        .await;
    duplicate.invalid("code");
    // A duplicate made by a patch is refused too.
    let other = server.customer("OTHER", "Other").await;
    server
        .patch(
            &format!("/api/v1/customers/{other}"),
            admin,
            1,
            &json!({"code": "MOF"}),
        )
        .await
        .invalid("code");

    // Unknown references name their field.
    server
        .post(
            "/api/v1/contacts",
            admin,
            &json!({"customer_id": "nope", "name": "X"}),
        )
        .await
        .invalid("customer_id");
    server
        .post(
            "/api/v1/rfcs",
            admin,
            &json!({"customer_id": customer, "title": "X", "service_id": "nope"}),
        )
        .await
        .invalid("service_id");
    server
        .post(
            "/api/v1/rfcs",
            admin,
            &json!({"customer_id": customer, "title": "X", "assignee_id": "nope"}),
        )
        .await
        .invalid("assignee_id");
    server
        .post(
            "/api/v1/rfcs",
            admin,
            &json!({"customer_id": "nope", "title": "X"}),
        )
        .await
        .invalid("customer_id");
    server
        .post(
            "/api/v1/customers",
            admin,
            &json!({"name": "X", "code": "XY", "team_id": "nope"}),
        )
        .await
        .invalid("team_id");
    server
        .post(
            "/api/v1/services",
            admin,
            &json!({"name": "X", "owner_id": "nope"}),
        )
        .await
        .invalid("owner_id");

    // A team's BRM needs the brm job role, its delivery manager that role.
    server
        .post(
            "/api/v1/teams",
            admin,
            &json!({"name": "T", "brm_id": desk, "delivery_manager_id": dm}),
        )
        .await
        .invalid("brm_id");
    server
        .post(
            "/api/v1/teams",
            admin,
            &json!({"name": "T", "brm_id": brm, "delivery_manager_id": brm}),
        )
        .await
        .invalid("delivery_manager_id");
    server
        .post(
            "/api/v1/teams",
            admin,
            &json!({"name": "T", "brm_id": "nope", "delivery_manager_id": dm}),
        )
        .await
        .invalid("brm_id");
    let team = server
        .create(
            "teams",
            json!({"name": "T", "brm_id": brm, "delivery_manager_id": dm}),
        )
        .await;

    // 409: deletes that would orphan records.
    let contact = server
        .create("contacts", json!({"customer_id": customer, "name": "Carl"}))
        .await;
    let orphaning = server
        .delete(&format!("/api/v1/customers/{customer}"), admin, 1)
        .await;
    orphaning.problem(409);
    assert!(
        orphaning.detail().contains("contacts"),
        "{}",
        orphaning.text
    );
    let brm_delete = server
        .delete(&format!("/api/v1/staff/{brm}"), admin, 1)
        .await;
    brm_delete.problem(409);
    assert!(brm_delete.detail().contains("teams"), "{}", brm_delete.text);
    // Once the dependents are gone, the deletes go through.
    server
        .delete(&format!("/api/v1/contacts/{}", id_of(&contact)), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/customers/{customer}"), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/teams/{}", id_of(&team)), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/staff/{brm}"), admin, 1)
        .await
        .expect(204);
    server.stop().await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purchaser_and_requester_belong_to_the_customer() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let finance = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Agency").await;
    let carl = id_of(
        &server
            .create(
                "contacts",
                json!({"customer_id": finance, "name": "Carl", "role": "purchaser"}),
            )
            .await,
    );
    let tina = id_of(
        &server
            .create("contacts", json!({"customer_id": tax, "name": "Tina"}))
            .await,
    );
    // A new customer cannot name a purchaser yet; another's contact never.
    server
        .post(
            "/api/v1/customers",
            admin,
            &json!({"name": "New", "code": "NEW", "purchaser_contact_id": carl}),
        )
        .await
        .invalid("purchaser_contact_id");
    let finance_path = format!("/api/v1/customers/{finance}");
    server
        .patch(
            &finance_path,
            admin,
            1,
            &json!({"purchaser_contact_id": tina}),
        )
        .await
        .invalid("purchaser_contact_id");
    server
        .patch(
            &finance_path,
            admin,
            1,
            &json!({"purchaser_contact_id": "nope"}),
        )
        .await
        .invalid("purchaser_contact_id");
    let with_purchaser = server
        .patch(
            &finance_path,
            admin,
            1,
            &json!({"purchaser_contact_id": carl}),
        )
        .await;
    with_purchaser.expect(200);
    assert_eq!(with_purchaser.json["purchaser_contact_id"], json!(carl));
    // The purchaser cannot be deleted from under the customer.
    server
        .delete(&format!("/api/v1/contacts/{carl}"), admin, 1)
        .await
        .problem(409);

    // An RFC's requester is a contact of its customer, also after a patch.
    server
        .post(
            "/api/v1/rfcs",
            &server.operator,
            &json!({"customer_id": finance, "title": "X", "requested_by_contact_id": tina}),
        )
        .await
        .invalid("requested_by_contact_id");
    let rfc = server
        .rfc(
            &finance,
            "More storage",
            json!({"requested_by_contact_id": carl}),
        )
        .await;
    let rfc_path = format!("/api/v1/rfcs/{}", id_of(&rfc));
    server
        .patch(&rfc_path, &server.operator, 1, &json!({"customer_id": tax}))
        .await
        .invalid("requested_by_contact_id");
    let moved = server
        .patch(
            &rfc_path,
            &server.operator,
            1,
            &json!({"customer_id": tax, "requested_by_contact_id": tina}),
        )
        .await;
    moved.expect(200);
    assert_eq!(moved.json["customer_id"], json!(tax));
    // A service owner must have the role; a team's BRM too, on patch.
    let desk = server.staff("Sam Desk", &["service_desk"]).await;
    server
        .post(
            "/api/v1/services",
            admin,
            &json!({"name": "X", "owner_id": desk}),
        )
        .await
        .invalid("owner_id");
    let team = server.team("North").await;
    server
        .patch(
            &format!("/api/v1/teams/{team}"),
            admin,
            1,
            &json!({"brm_id": desk}),
        )
        .await
        .invalid("brm_id");
    server
        .patch(
            &format!("/api/v1/teams/{team}"),
            admin,
            1,
            &json!({"service_owner_ids": [desk, "nope"]}),
        )
        .await
        .invalid("service_owner_ids");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_cannot_slip_out_of_the_roles_others_rely_on() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let brm = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let team = server
        .post(
            "/api/v1/teams",
            admin,
            &json!({"name": "North", "brm_id": brm, "delivery_manager_id": dm}),
        )
        .await
        .expect(201)
        .id();
    assert!(!team.is_empty());
    let path = format!("/api/v1/staff/{brm}");
    // The team's BRM may neither lose the role nor be made inactive.
    server
        .patch(&path, admin, 1, &json!({"job_roles": ["service_desk"]}))
        .await
        .invalid("job_roles");
    server
        .patch(&path, admin, 1, &json!({"active": false}))
        .await
        .invalid("active");
    // Other changes to the same person go through.
    server
        .patch(
            &path,
            admin,
            1,
            &json!({"job_roles": ["brm", "service_desk"]}),
        )
        .await
        .expect(200);

    // A purchaser stays with their customer.
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Agency").await;
    let contact = server
        .post(
            "/api/v1/contacts",
            admin,
            &json!({"customer_id": mof, "name": "Pia Purchaser"}),
        )
        .await
        .expect(201)
        .id();
    server
        .patch(
            &format!("/api/v1/customers/{mof}"),
            admin,
            1,
            &json!({"purchaser_contact_id": contact}),
        )
        .await
        .expect(200);
    let contact_path = format!("/api/v1/contacts/{contact}");
    server
        .patch(&contact_path, admin, 1, &json!({"customer_id": tax}))
        .await
        .invalid("customer_id");
    server
        .patch(
            &contact_path,
            admin,
            1,
            &json!({"title": "Chief Financial Officer"}),
        )
        .await
        .expect(200);
    server.stop().await;
}
