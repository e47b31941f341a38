//! What each fuzz target (`fuzz/`, afl.rs) does with one input, here so
//! that every crash found becomes a test replaying it in the normal suite
//! (`server/tests/fuzz_corpus.rs` runs every file of `fuzz/corpus/` and
//! `fuzz/regressions/` through these). Each function must return for any
//! bytes: a panic is the bug a fuzzer reports.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use rapport_shared::enums::Permission;
use serde_json::{Map, Value};

use crate::api::auth::{hash_secret, new_secret};
use crate::api::resources::{self, ForEachResource, Resource};
use crate::api::router::SharedApi;
use crate::api::{Api, AppState};
use crate::http::{
    BodyFraming, ChunkedDecoder, Handler, Limits, Request, RequestHead, Version, parse_head,
};
use crate::store::Store;
use crate::store::sqlite::SqliteStore;

/// The request head parser on `data`, and (when it reads a head) the
/// framing it chose checked against the limits.
pub fn http_head(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(Some((head, used))) = parse_head(data, &limits) {
        assert!(used <= data.len(), "the head used more bytes than it had");
        if let BodyFraming::Length(length) = head.framing {
            assert!(
                length <= limits.max_body_bytes as u64,
                "a body over the limit was framed"
            );
        }
    }
}

/// The chunked decoder on `data`, fed whole and then split at a point the
/// first byte chooses (a body arrives in pieces): both must agree.
pub fn chunked(data: &[u8]) {
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    let max = 64 * 1024;
    let mut whole = ChunkedDecoder::new(max);
    let whole_result = whole.decode(data);
    if let Ok(used) = whole_result {
        assert!(
            used <= data.len(),
            "the decoder used more bytes than it had"
        );
    }
    let at = usize::from(split).min(data.len());
    let mut pieces = ChunkedDecoder::new(max);
    let mut buffer = data[..at].to_vec();
    let first = pieces.decode(&buffer);
    let pieces_result = first.and_then(|used| {
        buffer.drain(..used.min(buffer.len()));
        buffer.extend_from_slice(&data[at..]);
        pieces.decode(&buffer).map(|more| used + more)
    });
    match (&whole_result, &pieces_result) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "split input consumed differently");
            assert_eq!(
                whole.is_done(),
                pieces.is_done(),
                "split input ended differently"
            );
            if whole.is_done() {
                assert_eq!(
                    whole.into_body(),
                    pieces.into_body(),
                    "split input decoded differently"
                );
            }
        }
        (Err(_), Err(_)) => {}
        // A body refused whole may still be waiting for bytes when split
        // before the fault, never the other way round.
        (Ok(_), Err(_)) => panic!("split input refused where the whole was read"),
        (Err(_), Ok(_)) => {}
    }
}

/// Every collection's input reader, in the order of `served!`.
fn readers() -> Vec<fn(&Map<String, Value>)> {
    struct Collect(Vec<fn(&Map<String, Value>)>);
    impl ForEachResource for Collect {
        fn visit<R: Resource>(&mut self) {
            self.0.push(|object| {
                if let Ok(input) = R::from_json(object) {
                    // What was accepted must read back the same.
                    let again = R::from_json(&input.to_object());
                    if let Err(errors) = again {
                        panic!("an accepted {} does not read back: {errors}", R::COLLECTION);
                    }
                    let _ = input.references();
                }
            });
        }
    }
    let mut collect = Collect(Vec::new());
    resources::each(&mut collect);
    collect.0
}

/// A JSON body for the collection the first byte chooses: its reader must
/// accept or refuse it without panicking, and what it accepts must read
/// back as accepted.
pub fn json_body(data: &[u8]) {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let readers = readers();
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    if let Some(read) = readers.get(usize::from(choice) % readers.len()) {
        read(&object);
    }
}

/// The whole API (router, authentication, handlers, a SQLite store) behind
/// one admin token, answering requests parsed from fuzz input.
pub struct RouterCase {
    runtime: tokio::runtime::Runtime,
    api: SharedApi,
    authorization: String,
}

impl RouterCase {
    /// The API over a new database at `db`.
    pub fn open(db: &Path) -> std::io::Result<RouterCase> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let store = SqliteStore::open(db).map_err(std::io::Error::other)?;
        let secret = new_secret();
        runtime
            .block_on(store.create_token(
                "fuzz".into(),
                Permission::Admin,
                None,
                hash_secret(&secret),
            ))
            .map_err(std::io::Error::other)?;
        let store: Arc<dyn Store> = Arc::new(store);
        let api = SharedApi(Arc::new(Api::new(AppState::new(store))));
        Ok(RouterCase {
            runtime,
            api,
            authorization: format!("Bearer {secret}"),
        })
    }

    /// One request: `data` is a request head (the admin token is added when
    /// the first byte is even) and its body; the answer must be a status
    /// below 500.
    pub fn run(&self, data: &[u8]) {
        let Some((&flags, data)) = data.split_first() else {
            return;
        };
        let Ok(Some((head, used))) = parse_head(data, &Limits::default()) else {
            return;
        };
        let mut headers = head.headers;
        if flags % 2 == 0
            && let Ok(value) = self.authorization.parse()
        {
            headers.insert(http::header::AUTHORIZATION, value);
        }
        let request = Request {
            head: RequestHead {
                method: head.method,
                path: head.path,
                query: head.query,
                version: Version::Http11,
                headers,
                peer: SocketAddr::from((Ipv4Addr::LOCALHOST, 1)),
            },
            body: data[used..].to_vec(),
        };
        let path = request.head.path.clone();
        if path.starts_with("/api/v1/events") {
            // The change feed streams until the client leaves.
            return;
        }
        let response = self.runtime.block_on(self.api.handle(request));
        assert!(
            response.status.as_u16() < 500,
            "{} for {path}",
            response.status
        );
    }
}
