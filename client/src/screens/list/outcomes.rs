//! What a list board's outcomes and the change feed mean, for every
//! screen built on a [`Board`]: page loads, copy, new/edit/delete, which
//! rows a change removes or fetches, the write keys' hints.

use rapport_shared::Collection;

use crate::api::{ApiError, ListQuery, ServerChange, record_id, record_version};
use crate::components::board::{Board, BoardOutcome};
use crate::keymap::Action;
use crate::messages::Command;
use crate::remote::Remote;
use crate::screens::{Effect, Env, ScreenCtx};
use crate::strings;

/// Registers a page load of `board` and marks it loading.
pub fn load_page(ctx: &mut ScreenCtx, board: &mut Board, query: ListQuery, more: bool) -> Command {
    let collection = board.spec.collection;
    let command = ctx.request(|request| Command::List {
        request,
        collection,
        query,
    });
    if let Some(request) = command.request() {
        if more {
            board.loading_more(request);
        } else {
            board.loading(request);
        }
    }
    command
}

/// What every list board's outcome means, apart from loads and selection.
pub fn common_outcome(
    ctx: &mut ScreenCtx,
    collection: Collection,
    outcome: BoardOutcome,
) -> Vec<Effect> {
    match outcome {
        BoardOutcome::Copy(text) => {
            ctx.say(strings::copied(&text), false);
            vec![Effect::Command(Command::Copy(text))]
        }
        BoardOutcome::New => vec![Effect::Create(collection)],
        BoardOutcome::Edit(record) => vec![Effect::Edit(collection, record)],
        BoardOutcome::Delete(record) => vec![Effect::Delete(collection, record)],
        BoardOutcome::Open(record) if ctx.env.can_write(collection) => {
            vec![Effect::Edit(collection, record)]
        }
        _ => Vec::new(),
    }
}

/// What a change from the feed does to a loaded board: a deleted row goes
/// (now), a changed or new row is fetched — returned as the id to get.
pub fn change_fetch(
    ctx: &mut ScreenCtx,
    board: &mut Board,
    change: &ServerChange,
) -> Option<String> {
    if change.collection != Some(board.spec.collection) || board.load == Remote::Idle {
        return None;
    }
    let shown = board.rows.iter().find(|r| record_id(r) == change.id);
    let fetch = match change.action.as_str() {
        "delete" => {
            if shown.is_some() {
                ctx.lookup.forget(&change.id);
                board.remove(&change.id, ctx.lookup);
            }
            false
        }
        // Our own saves come back too: a version already shown is skipped.
        "update" => shown.is_some_and(|r| record_version(r) < change.version),
        "create" => {
            shown.is_none()
                && board.next_cursor.is_none()
                && board.filter.is_empty()
                && board.fixed_filters.is_empty()
        }
        _ => false,
    };
    fetch.then(|| change.id.clone())
}

/// Registers the fetch of one changed record of `collection`.
pub fn fetch_record(ctx: &mut ScreenCtx, collection: Collection, id: String) -> Command {
    ctx.request(|request| Command::Get {
        request,
        collection,
        id,
    })
}

/// The hints of a board's write keys, when the user may write.
pub fn write_hints(env: &Env, collection: Collection) -> Vec<(Action, &'static str)> {
    if !env.can_write(collection) {
        return Vec::new();
    }
    vec![
        (Action::New, "new"),
        (Action::Edit, "edit"),
        (Action::Delete, "delete"),
    ]
}

/// Says an error the user should see (not a lost connection, which the
/// status badge shows).
pub fn say_error(ctx: &mut ScreenCtx, error: Option<&ApiError>) {
    if let Some(error) = error
        && !error.is_unreachable()
    {
        ctx.say(error.to_string(), true);
    }
}
