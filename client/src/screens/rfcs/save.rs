//! `:save NAME`: the view the queue shows — the current view's filters,
//! the `/` search typed over it and its order (or a sort of the loaded
//! rows the server can do) — kept as a named view in the config file and
//! selected at once. The screen does no I/O: `Command::SaveView` has the
//! runtime add the `[[views]]` entry (`config::saved_views`) and answer
//! with `Reply::ViewSaved`.

use rapport_shared::wire::Sort;

use super::views::{self, View, ViewConfig};
use super::{RfcPurpose, RfcScreen};
use crate::messages::Command;
use crate::screens::ScreenCtx;
use crate::strings;

/// The orders a sort of the loaded rows (`s`) stands for on the server;
/// the priority column sorts its words, not their urgency.
const ROW_SORTS: [Sort; 2] = [Sort::Age, Sort::Due];

impl RfcScreen {
    /// `:save NAME`: asks the runtime to add the view shown, as `name`.
    pub(super) fn rfc_save_view(&mut self, ctx: &mut ScreenCtx, name: &str) -> Vec<Command> {
        match self.view_shown(name) {
            Ok((config, unsorted)) => {
                vec![
                    self.send(ctx, RfcPurpose::SaveView { unsorted }, |request| {
                        Command::SaveView {
                            request,
                            view: config,
                        }
                    }),
                ]
            }
            Err(problem) => {
                ctx.say(problem, true);
                Vec::new()
            }
        }
    }

    /// The view shown as a `[[views]]` entry named `name`, and the title
    /// of a row sort it could not keep; `Err` says in words why not.
    fn view_shown(&self, name: &str) -> Result<(ViewConfig, Option<String>), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(strings::SAVE_VIEW_NO_NAME.to_string());
        }
        let wanted = name.to_lowercase();
        if let Some(taken) = self
            .queue
            .views
            .iter()
            .find(|v| v.name.to_lowercase() == wanted)
        {
            let built_in = views::built_in().iter().any(|v| v.name == taken.name);
            return Err(strings::view_name_taken(&taken.name, built_in));
        }
        if self.board.only.is_some() {
            return Err(strings::SAVE_VIEW_CHOSEN.to_string());
        }
        let current = self.queue.view().ok_or(strings::SAVE_VIEW_NONE)?;
        let mut view = View {
            name: name.to_string(),
            short: None,
            ..current.clone()
        };
        let search = self.board.filter.trim();
        if !search.is_empty() {
            view.q = Some(search.to_string());
        }
        let mut unsorted = None;
        if let Some((at, descending)) = self.board.sort
            && let Some(column) = self.board.spec.columns.get(at)
        {
            let same = |s: &&Sort| views::sort_column(**s) == Some((column.key, descending));
            match ROW_SORTS.iter().find(same) {
                Some(sort) => view.sort = Some(*sort),
                None => unsorted = Some(column.title.to_string()),
            }
        }
        let filter = view.expression()?;
        let config = ViewConfig {
            name: view.name.clone(),
            filter,
        };
        // What is written must be what the queue reads at the next start.
        views::parse(&config).map_err(|error| error.to_string())?;
        Ok((config, unsorted))
    }

    /// The runtime's answer to `:save`: the saved view joins the list and
    /// is shown, or the status line says why it was not saved.
    pub(super) fn rfc_view_saved(
        &mut self,
        ctx: &mut ScreenCtx,
        saved: Result<(ViewConfig, String), String>,
        unsorted: Option<String>,
    ) -> Vec<Command> {
        let parsed = saved.and_then(|(config, path)| {
            views::parse(&config)
                .map(|view| (view, path))
                .map_err(|error| error.to_string())
        });
        let (view, path) = match parsed {
            Ok(saved) => saved,
            Err(problem) => {
                ctx.say(problem, true);
                return Vec::new();
            }
        };
        let name = view.name.clone();
        self.queue.views.push(view);
        self.queue.counts.push(super::ViewCount::default());
        // The search and a kept row sort are the new view's own now.
        self.board.filter.clear();
        if unsorted.is_none() {
            self.board.sort = None;
        }
        let commands = self.rfc_switch_view(ctx, self.queue.views.len() - 1);
        ctx.say(
            strings::view_saved(&name, &path, unsorted.as_deref()),
            false,
        );
        commands
    }
}
