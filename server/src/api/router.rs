//! The route table and the [`Api`] handler. A route is a method, a path
//! pattern (`{name}` segments capture), the permission it needs and an async
//! handler; the OpenAPI document is built from the same table, so the two
//! cannot drift apart.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::http::{Handler, Method, Request, RequestHead, Response};

use super::error::{ApiError, ApiResult};
use super::request::Query;
use super::{
    AppState, agenda, agreements, auth, budget, health, misc, records, rfcs, survey_results,
    surveys, week,
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
        // A literal segment beats a parameter: `/customers/count` is the
        // count's path only, not also a customer's with id `count`.
        let matching: Vec<(&Route, Vec<String>)> = self
            .routes
            .iter()
            .filter_map(|route| route.captures(&segments).map(|params| (route, params)))
            .collect();
        let fewest_params = matching.iter().map(|(_, params)| params.len()).min();
        let mut allowed = Vec::new();
        for (route, params) in matching {
            if Some(params.len()) != fewest_params {
                continue;
            }
            if route.method == *wanted {
                return Ok((route, params));
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
        request: Request,
    ) -> ApiResult<Response> {
        let (route, params) = routes.find(&request.head.method, &request.head.path)?;
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
            let mut response = Api::dispatch(state, api, request)
                .await
                .unwrap_or_else(ApiError::into_response);
            caching(&path, &mut response.headers);
            response
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
    agreements::routes(&mut routes);
    budget::routes(&mut routes);
    agenda::routes(&mut routes);
    health::routes(&mut routes);
    week::routes(&mut routes);
    surveys::routes(&mut routes);
    survey_results::routes(&mut routes);
    super::events::routes(&mut routes);
    super::openapi::routes(&mut routes);
    routes
}
