//! The route table and the [`Api`] handler. A route is a method, a path
//! pattern (`{name}` segments capture), the permission it needs and an async
//! handler; the OpenAPI document is built from the same table, so the two
//! cannot drift apart.

use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Instant;

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::http::{Handler, Method, Request, RequestHead, Response};

use super::error::{ApiError, ApiResult};
use super::request::Query;
use super::{
    AppState, agenda, agreements, auth, budget, health, metrics, misc, records, rfcs,
    survey_results, surveys, week,
};

pub use super::route::{Call, HandlerFn, HandlerFuture, QueryParam, Route, RouteDoc};

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
        let _ = state.metrics.set(crate::metrics::Metrics::new(
            routes
                .iter()
                .map(|route| (route.method.as_str(), route.pattern.as_str())),
        ));
        Api { state, routes }
    }

    /// The route table (for the OpenAPI document and its test).
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The route for `method` and `path`, or the 404/405 to answer.
    fn find(&self, method: &Method, path: &str) -> Result<(usize, Vec<String>), ApiError> {
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
        // A literal segment beats a parameter: `/customers/count` is the
        // count's path only, not also a customer's with id `count`.
        let matching: Vec<(usize, &Route, Vec<String>)> = self
            .routes
            .iter()
            .enumerate()
            .filter_map(|(index, route)| {
                route
                    .captures(&segments)
                    .map(|params| (index, route, params))
            })
            .collect();
        let fewest_params = matching.iter().map(|(_, _, params)| params.len()).min();
        let mut allowed = Vec::new();
        for (index, route, params) in matching {
            if Some(params.len()) != fewest_params {
                continue;
            }
            if route.method == *wanted {
                return Ok((index, params));
            }
            if !allowed.contains(&route.method) {
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
        route: usize,
        params: Vec<String>,
        request: Request,
    ) -> ApiResult<Response> {
        let Some(route) = routes.routes.get(route) else {
            return Err(ApiError::Internal("a route index out of the table".into()));
        };
        let actor = match route.permission {
            None => None,
            Some(needed) => {
                let actor =
                    auth::authenticate(state.store.as_ref(), &state.tokens, &request.head.headers)
                        .await?;
                if let Some(limiter) = &state.rate
                    && let Err(limited) = limiter.check(&actor.token_id)
                {
                    return Err(ApiError::TooManyRequests {
                        retry_after: limited.retry_after,
                        limit: limiter.limit(),
                    });
                }
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

/// What caches may do with an answer under `/api/v1`: it is personal
/// (each token sees what it may), so only the caller's own cache keeps it,
/// revalidating with the ETag each time (`private, no-cache`); the audit
/// trail and who a token is are never kept (`no-store`). `Vary:
/// Authorization` keeps a shared cache from mixing callers. An answer that
/// says it itself (the change feed) is left as it is.
pub fn caching(path: &str, headers: &mut crate::http::HeaderMap) {
    use crate::http::HeaderValue;
    if !path.starts_with("/api/v1/") || path == "/api/v1/openapi.json" {
        return;
    }
    if !headers.contains_key(http::header::CACHE_CONTROL) {
        let never = path.starts_with("/api/v1/audit") || path == "/api/v1/me";
        let policy = if never {
            "no-store"
        } else {
            "private, no-cache"
        };
        headers.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static(policy),
        );
    }
    headers.insert(
        http::header::VARY,
        HeaderValue::from_static("Authorization"),
    );
}

/// A handler shared by reference with every request's task.
#[derive(Clone)]
pub struct SharedApi(pub Arc<Api>);

impl Handler for SharedApi {
    fn handle(&self, request: Request) -> BoxFuture<'static, Response> {
        let api = self.0.clone();
        let state = api.state.clone();
        let path = request.head.path.clone();
        async move {
            let started = Instant::now();
            let found = api.find(&request.head.method, &request.head.path);
            let route = found.as_ref().ok().map(|(route, _)| *route);
            let answered = match found {
                Ok((route, params)) => {
                    Api::dispatch(state.clone(), api, route, params, request).await
                }
                Err(error) => Err(error),
            };
            let mut response = answered.unwrap_or_else(ApiError::into_response);
            caching(&path, &mut response.headers);
            if let Some(metrics) = state.metrics.get() {
                metrics.record(route, response.status.as_u16(), started.elapsed());
            }
            response
        }
        .boxed()
    }

    fn refuse_early(&self, head: &RequestHead) -> Option<Response> {
        let started = Instant::now();
        let refusal = match self.0.find(&head.method, &head.path) {
            Err(error) => Some((None, error.into_response())),
            Ok((route, _)) if head.path.starts_with("/api/") => auth::bearer(&head.headers)
                .err()
                .map(|error| (Some(route), error.into_response())),
            Ok(_) => None,
        };
        let (route, response) = refusal?;
        if let Some(metrics) = self.0.state.metrics.get() {
            metrics.record(route, response.status.as_u16(), started.elapsed());
        }
        Some(response)
    }

    fn open_connections(&self) -> Option<Arc<AtomicI64>> {
        self.0
            .state
            .metrics
            .get()
            .map(|metrics| Arc::clone(&metrics.connections))
    }
}

/// Every route the server answers.
fn route_table() -> Vec<Route> {
    let mut routes = Vec::new();
    misc::routes(&mut routes);
    records::routes(&mut routes);
    rfcs::routes(&mut routes);
    agreements::routes(&mut routes);
    budget::routes(&mut routes);
    agenda::routes(&mut routes);
    health::routes(&mut routes);
    week::routes(&mut routes);
    surveys::routes(&mut routes);
    survey_results::routes(&mut routes);
    super::events::routes(&mut routes);
    super::openapi::routes(&mut routes);
    metrics::routes(&mut routes);
    routes
}
