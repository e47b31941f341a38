//! The route table and the [`Api`] handler. A route is a method, a path
//! pattern (`{name}` segments capture), the permission it needs and an async
//! handler; the OpenAPI document is built from the same table, so the two
//! cannot drift apart.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use rapport_shared::enums::Permission;

use crate::http::{Handler, Method, Request, RequestHead, Response};
use crate::store::Actor;

use super::error::{ApiError, ApiResult};
use super::request::{Query, percent_decode};
use super::{AppState, auth, misc, records, rfcs};

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
}

impl QueryParam {
    /// A parameter taking only `values`.
    pub fn one_of(name: impl Into<String>, values: &[&'static str]) -> Self {
        QueryParam {
            name: name.into(),
            values: values.to_vec(),
        }
    }
}

impl From<&str> for QueryParam {
    /// A parameter taking any text.
    fn from(name: &str) -> Self {
        QueryParam::one_of(name, &[])
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
    fn captures(&self, segments: &[&str]) -> Option<Vec<String>> {
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

/// The API: the route table over shared state. Implements [`Handler`].
pub struct Api {
    state: Arc<AppState>,
    routes: Vec<Route>,
}

impl Api {
    pub fn new(state: Arc<AppState>) -> Self {
        let routes = route_table();
        // Only the first Api built over a state sets it; the tables are equal.
        let _ = state.openapi.set(super::openapi::document(&routes));
        Api { state, routes }
    }

    /// The route table (for the OpenAPI document and its test).
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The route for `method` and `path`, or the 404/405 to answer.
    fn find(&self, method: &Method, path: &str) -> Result<(&Route, Vec<String>), ApiError> {
        let trimmed = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let segments: Vec<&str> = trimmed.trim_start_matches('/').split('/').collect();
        // HEAD is answered as GET; the connection drops the body.
        let wanted = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        let mut allowed = Vec::new();
        for route in &self.routes {
            if let Some(params) = route.captures(&segments) {
                if route.method == *wanted {
                    return Ok((route, params));
                }
                allowed.push(route.method.clone());
            }
        }
        if allowed.is_empty() {
            Err(ApiError::NotFound(format!("no such path: {path}")))
        } else {
            if allowed.contains(&Method::GET) {
                allowed.push(Method::HEAD);
            }
            Err(ApiError::MethodNotAllowed(allowed))
        }
    }

    async fn dispatch(
        state: Arc<AppState>,
        routes: Arc<Api>,
        request: Request,
    ) -> ApiResult<Response> {
        let (route, params) = routes.find(&request.head.method, &request.head.path)?;
        let actor = match route.permission {
            None => None,
            Some(needed) => {
                let actor = auth::authenticate(state.store.as_ref(), &request.head.headers).await?;
                if !actor.permission.allows(needed) {
                    return Err(ApiError::Forbidden {
                        needed,
                        has: actor.permission,
                    });
                }
                Some(actor)
            }
        };
        let query = Query::parse(&request.head.query)?;
        let call = Call {
            state,
            request,
            actor,
            params,
            query,
        };
        (route.handler)(call).await
    }
}

/// A handler shared by reference with every request's task.
#[derive(Clone)]
pub struct SharedApi(pub Arc<Api>);

impl Handler for SharedApi {
    fn handle(&self, request: Request) -> BoxFuture<'static, Response> {
        let api = self.0.clone();
        let state = api.state.clone();
        async move {
            Api::dispatch(state, api, request)
                .await
                .unwrap_or_else(ApiError::into_response)
        }
        .boxed()
    }

    fn refuse_early(&self, head: &RequestHead) -> Option<Response> {
        if let Err(error) = self.0.find(&head.method, &head.path) {
            return Some(error.into_response());
        }
        if head.path.starts_with("/api/") {
            return auth::bearer(&head.headers)
                .err()
                .map(ApiError::into_response);
        }
        None
    }
}

/// Every route the server answers.
fn route_table() -> Vec<Route> {
    let mut routes = Vec::new();
    misc::routes(&mut routes);
    records::routes(&mut routes);
    rfcs::routes(&mut routes);
    super::events::routes(&mut routes);
    super::openapi::routes(&mut routes);
    routes
}
