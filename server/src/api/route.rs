//! What a route is: its method, path pattern (`{name}` segments capture),
//! permission, OpenAPI words ([`RouteDoc`]) and async handler, and what a
//! handler is given ([`Call`]). Every handler module builds its routes from
//! these; [`super::router`] collects them into the table, so the handlers
//! never import the router.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use rapport_shared::enums::Permission;

use crate::http::{Method, Request, Response};
use crate::store::Actor;

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::request::{Query, percent_decode};

/// What a handler gets: the shared state, the request and what the router
/// learned about it.
pub struct Call {
    pub state: Arc<AppState>,
    pub request: Request,
    /// The caller, for routes that need a token.
    pub actor: Option<Actor>,
    /// Captured path segments, in pattern order, percent-decoded.
    pub params: Vec<String>,
    pub query: Query,
}

impl Call {
    /// The caller of a route that needs a token.
    pub fn actor(&self) -> ApiResult<&Actor> {
        self.actor.as_ref().ok_or_else(|| {
            ApiError::Internal("a handler that needs a caller was routed without one".into())
        })
    }

    /// The captured path segment at `index` (`{id}` is usually 0).
    pub fn param(&self, index: usize) -> ApiResult<&str> {
        self.params
            .get(index)
            .map(String::as_str)
            .ok_or_else(|| ApiError::Internal(format!("route has no path parameter {index}")))
    }
}

/// The future a handler returns.
pub type HandlerFuture = BoxFuture<'static, ApiResult<Response>>;

/// A route's handler.
pub type HandlerFn = Arc<dyn Fn(Call) -> HandlerFuture + Send + Sync>;

/// What the OpenAPI document says about a route beyond its path.
#[derive(Debug, Clone, Default)]
pub struct RouteDoc {
    pub summary: String,
    /// Schema name of the JSON request body, if the route takes one.
    pub request: Option<String>,
    /// Schema name of the success body (`None`: no body).
    pub response: Option<String>,
    /// Success status.
    pub status: u16,
    /// Query parameters the route reads.
    pub query: Vec<QueryParam>,
    /// Whether the route needs `If-Match`.
    pub if_match: bool,
}

/// A query parameter a route reads, and the only values it takes (its
/// declared vocabulary; empty for any text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    pub name: String,
    pub values: Vec<&'static str>,
    /// Whether it takes several values separated by commas, any of which
    /// matches (a list filter: `customer_id=c1,c2`).
    pub any_of: bool,
    /// The JSON schema of one value when it is not plain text or a
    /// vocabulary (a number with its bounds, a date, a month), so the
    /// OpenAPI document says what the handler accepts.
    pub schema: Option<serde_json::Value>,
    /// Whether the call refuses to go without it.
    pub required: bool,
}

impl QueryParam {
    /// A parameter taking only `values`.
    pub fn one_of(name: impl Into<String>, values: &[&'static str]) -> Self {
        QueryParam {
            name: name.into(),
            values: values.to_vec(),
            any_of: false,
            schema: None,
            required: false,
        }
    }

    /// The same parameter, which the call needs.
    pub fn required(self) -> Self {
        QueryParam {
            required: true,
            ..self
        }
    }

    /// A parameter whose one value has `schema`.
    pub fn typed(name: impl Into<String>, schema: serde_json::Value) -> Self {
        QueryParam {
            schema: Some(schema),
            ..QueryParam::one_of(name, &[])
        }
    }

    /// The same parameter with `schema` for each value.
    pub fn with_schema(self, schema: serde_json::Value) -> Self {
        QueryParam {
            schema: Some(schema),
            ..self
        }
    }

    /// A list filter: one or more of `values` (any text when empty),
    /// separated by commas.
    pub fn filter(name: impl Into<String>, values: &[&'static str]) -> Self {
        QueryParam {
            any_of: true,
            ..QueryParam::one_of(name, values)
        }
    }
}

impl From<&str> for QueryParam {
    /// A parameter taking any text.
    fn from(name: &str) -> Self {
        QueryParam::one_of(name, &[])
    }
}

/// The schemas of query values that are not text or a vocabulary.
pub mod value {
    use serde_json::{Value, json};

    /// A whole number from `min` to `max`.
    pub fn whole(min: i64, max: i64) -> Value {
        json!({"type": "integer", "minimum": min, "maximum": max})
    }

    /// A date `YYYY-MM-DD`.
    pub fn date() -> Value {
        json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    }

    /// A month `YYYY-MM`.
    pub fn month() -> Value {
        json!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"})
    }

    /// A date `YYYY-MM-DD` or an instant with its offset (RFC 3339).
    pub fn date_or_instant() -> Value {
        json!({"anyOf": [date(), {"type": "string", "format": "date-time",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"}]})
    }

    /// A record's id (a hyphenated UUID), or also `me` when `or_me`.
    pub fn record_id(or_me: bool) -> Value {
        let id = json!({"type": "string", "format": "uuid",
            "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"});
        if or_me {
            json!({"anyOf": [id, {"type": "string", "enum": ["me"]}]})
        } else {
            id
        }
    }

    /// `true` or `false`.
    pub fn boolean() -> Value {
        json!({"type": "string", "enum": ["true", "false"]})
    }
}

/// One entry of the route table.
pub struct Route {
    pub method: Method,
    /// `/api/v1/customers/{id}`.
    pub pattern: String,
    /// `None`: no token needed (health).
    pub permission: Option<Permission>,
    pub handler: HandlerFn,
    pub doc: RouteDoc,
}

impl Route {
    /// A route; `handler` is any async fn taking a [`Call`].
    pub fn new<F, Fut>(
        method: Method,
        pattern: impl Into<String>,
        permission: Option<Permission>,
        doc: RouteDoc,
        handler: F,
    ) -> Self
    where
        F: Fn(Call) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ApiResult<Response>> + Send + 'static,
    {
        Route {
            method,
            pattern: pattern.into(),
            permission,
            handler: Arc::new(move |call| handler(call).boxed()),
            doc,
        }
    }

    /// The captured segments when `path` matches this route's pattern.
    pub(super) fn captures(&self, segments: &[&str]) -> Option<Vec<String>> {
        let pattern: Vec<&str> = self.pattern.trim_start_matches('/').split('/').collect();
        if pattern.len() != segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (want, got) in pattern.iter().zip(segments) {
            if want.starts_with('{') {
                if got.is_empty() {
                    return None;
                }
                params.push(percent_decode(got, false)?);
            } else if want != got {
                return None;
            }
        }
        Some(params)
    }
}
