//! Shared by the `api_*` end-to-end tests: a real server on an ephemeral
//! port over a temporary database, tokens of every permission, a small
//! reqwest wrapper that reads every answer whole, and builders for the
//! records most tests need.

#![allow(dead_code)]

use std::sync::Arc;

use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::embedded::EmbeddedServer;
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// A server under test with a token of each permission (none linked to staff).
pub struct TestServer {
    pub base_url: String,
    pub viewer: String,
    pub operator: String,
    pub manager: String,
    pub admin: String,
    /// A scraper's token: only `GET /metrics`.
    pub metrics: String,
    /// The embedded server's own admin token (linked to the demo operator
    /// when the demo data was seeded).
    pub local: String,
    /// A second store on the server's database, for tokens.
    pub store: Arc<SqliteStore>,
    pub http: reqwest::Client,
    /// The database file.
    pub db: std::path::PathBuf,
    server: Option<EmbeddedServer>,
    _dir: tempfile::TempDir,
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON (`Null` when it is empty or not JSON).
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `ETag` header.
    pub fn etag(&self) -> &str {
        self.header("etag").expect("the answer has an ETag")
    }

    /// The record id in the body.
    pub fn id(&self) -> String {
        self.json["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id in {}", self.text))
            .to_string()
    }

    /// The record version in the body.
    pub fn version(&self) -> i64 {
        self.json["version"]
            .as_i64()
            .unwrap_or_else(|| panic!("no version in {}", self.text))
    }

    /// The `items` of a list answer.
    pub fn items(&self) -> Vec<Value> {
        self.json["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items in {}", self.text))
            .clone()
    }

    /// Asserts the status, with the body in the message.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        self
    }

    /// Asserts a problem+json answer with `status` and the RFC 9457 members.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Self {
        self.expect(status);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/problem+json"),
            "{status} answer is {content_type}: {}",
            self.text
        );
        for member in ["type", "title", "detail"] {
            assert!(
                self.json[member].is_string(),
                "problem without {member}: {}",
                self.text
            );
        }
        assert_eq!(self.json["status"], json!(status), "{}", self.text);
        self
    }

    /// Asserts a 422 whose `errors` name `field`.
    #[track_caller]
    pub fn invalid(&self, field: &str) -> &Self {
        self.problem(422);
        let errors = self.json["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("422 without errors: {}", self.text));
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == json!(field) && e["message"].is_string()),
            "422 does not name {field}: {}",
            self.text
        );
        self
    }

    /// The detail of a problem answer.
    pub fn detail(&self) -> &str {
        self.json["detail"].as_str().unwrap_or_default()
    }
}

impl TestServer {
    /// A server on a fresh database; demo data when `demo`.
    pub async fn start(demo: bool) -> TestServer {
        TestServer::start_with(demo, rapport_server::Settings::default()).await
    }

    /// [`TestServer::start`], the server run with `settings`.
    pub async fn start_with(demo: bool, settings: rapport_server::Settings) -> TestServer {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = dir.path().join("rapport.sqlite");
        let server = EmbeddedServer::start_with(&db, demo, settings)
            .await
            .expect("the embedded server starts");
        let store = Arc::new(SqliteStore::open(&db).expect("a second store on the database"));
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        let mut test = TestServer {
            base_url: server.base_url.clone(),
            viewer: String::new(),
            operator: String::new(),
            manager: String::new(),
            admin: String::new(),
            metrics: String::new(),
            local: server.admin_token.clone(),
            store,
            http,
            db,
            server: Some(server),
            _dir: dir,
        };
        test.viewer = test.token(Permission::Viewer, None).await;
        test.operator = test.token(Permission::Operator, None).await;
        test.manager = test.token(Permission::Manager, None).await;
        test.admin = test.token(Permission::Admin, None).await;
        test.metrics = test.token(Permission::Metrics, None).await;
        test
    }

    /// Stops the server (in-flight requests finish).
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// A new token with `permission`, acting as `staff_id` when given.
    pub async fn token(&self, permission: Permission, staff_id: Option<&str>) -> String {
        let secret = new_secret();
        // The secret's random part makes the name unique (for revoking).
        let name = format!("{permission} {}", &secret[4..12]);
        self.named_token(&name, &secret, permission, staff_id).await;
        secret
    }

    /// Stores a token named `name` with `secret`.
    pub async fn named_token(
        &self,
        name: &str,
        secret: &str,
        permission: Permission,
        staff_id: Option<&str>,
    ) {
        self.store
            .create_token(
                name.to_string(),
                permission,
                staff_id.map(str::to_string),
                hash_secret(secret),
            )
            .await
            .expect("a token is created");
    }

    /// The token of `permission`.
    pub fn token_of(&self, permission: Permission) -> &str {
        match permission {
            Permission::Viewer => &self.viewer,
            Permission::Operator => &self.operator,
            Permission::Manager => &self.manager,
            Permission::Admin => &self.admin,
            Permission::Metrics => &self.metrics,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A request to `path` with `token` (none when `None`).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends and reads the whole answer.
    pub async fn send(&self, builder: reqwest::RequestBuilder) -> Reply {
        read_reply(builder).await
    }

    /// Sends every request at once, each from a task of its own, and reads
    /// every answer, in the order they arrive: the races of the write tests.
    pub async fn at_once(&self, requests: Vec<reqwest::RequestBuilder>) -> Vec<Reply> {
        let mut tasks = tokio::task::JoinSet::new();
        for request in requests {
            tasks.spawn(read_reply(request));
        }
        let mut replies = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            replies.push(joined.expect("a request task finishes"));
        }
        replies
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(self.request(Method::GET, path, Some(token)))
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(self.request(Method::POST, path, Some(token)).json(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, version: i64, body: &Value) -> Reply {
        self.send(
            self.request(Method::PATCH, path, Some(token))
                .header("if-match", format!("\"{version}\""))
                .json(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str, token: &str, version: i64) -> Reply {
        self.send(
            self.request(Method::DELETE, path, Some(token))
                .header("if-match", format!("\"{version}\"")),
        )
        .await
    }

    /// A workflow step under `If-Match`.
    pub async fn transition(&self, rfc: &str, token: &str, version: i64, body: &Value) -> Reply {
        self.send(
            self.request(
                Method::POST,
                &format!("/api/v1/rfcs/{rfc}/transitions"),
                Some(token),
            )
            .header("if-match", format!("\"{version}\""))
            .json(body),
        )
        .await
    }

    /// Creates a record as admin; panics unless 201.
    pub async fn create(&self, collection: &str, body: Value) -> Value {
        let reply = self
            .post(&format!("/api/v1/{collection}"), &self.admin, &body)
            .await;
        reply.expect(201);
        reply.json
    }

    /// A staff member with `roles`; returns its id.
    pub async fn staff(&self, name: &str, roles: &[&str]) -> String {
        let email = format!("{}@it.example", name.to_lowercase().replace(' ', "."));
        let record = self
            .create(
                "staff",
                json!({"name": name, "email": email, "job_roles": roles}),
            )
            .await;
        id_of(&record)
    }

    /// A customer; returns its id.
    pub async fn customer(&self, code: &str, name: &str) -> String {
        id_of(
            &self
                .create("customers", json!({"name": name, "code": code}))
                .await,
        )
    }

    /// A team with a new BRM and delivery manager; returns its id.
    pub async fn team(&self, name: &str) -> String {
        let brm = self.staff(&format!("{name} Brm"), &["brm"]).await;
        let dm = self
            .staff(&format!("{name} Manager"), &["delivery_manager"])
            .await;
        id_of(
            &self
                .create(
                    "teams",
                    json!({"name": name, "brm_id": brm, "delivery_manager_id": dm}),
                )
                .await,
        )
    }

    /// An RFC for `customer`; returns the record.
    pub async fn rfc(&self, customer: &str, title: &str, extra: Value) -> Value {
        let mut body = json!({"customer_id": customer, "title": title});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.create("rfcs", body).await
    }

    /// Every item of a list, following `next_cursor`.
    pub async fn list_all(&self, path_and_query: &str, token: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let separator = if path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        loop {
            let path = match &cursor {
                Some(cursor) => format!("{path_and_query}{separator}cursor={cursor}"),
                None => path_and_query.to_string(),
            };
            let reply = self.get(&path, token).await;
            reply.expect(200);
            items.extend(reply.items());
            match reply.json["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => return items,
            }
        }
    }
}

/// Sends one request and reads the whole answer.
async fn read_reply(builder: reqwest::RequestBuilder) -> Reply {
    let response = builder.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("the body is read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

/// The `id` of a record.
pub fn id_of(record: &Value) -> String {
    record["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {record}"))
        .to_string()
}

/// The ids of records, in order.
pub fn ids(records: &[Value]) -> Vec<String> {
    records.iter().map(id_of).collect()
}

/// Today's date plus `days` (negative: before), as the wire writes dates.
pub fn day(days: i64) -> String {
    use jiff::ToSpan;
    jiff::Zoned::now()
        .date()
        .checked_add(days.days())
        .expect("a nearby date")
        .to_string()
}
