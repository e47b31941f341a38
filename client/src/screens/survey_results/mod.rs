//! A survey's results at a glance (Enter on the Surveys board): responses
//! against invited, per question a bar chart of its distribution (and for
//! NPS questions the promoter / passive / detractor split as one bar), the
//! customers worst first with a sparkline of each one's trend across
//! surveys, and the comments, newest first. `j`/`k` pick a comment (the
//! view scrolls to keep it in sight) and `I` turns it into an improvement
//! (the form opens filled in); half-page keys scroll what does not fit,
//! `g`/`G` go to the top and the end; `R` records a response received by
//! phone or e-mail, and the figures reload once it is saved.
//!
//! `mod.rs` holds the state, the registry entry and the `Screen`
//! implementation; `draw.rs` the drawing (pure: it reads the state only);
//! `response_form.rs` the form of a response, built from the survey (the
//! registry's owned form of survey responses, also opened from the
//! Surveys board).

mod draw;
pub mod response_form;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use rapport_shared::Collection;
use ratatui::Frame;
use serde_json::Value;

use crate::api::views::ViewCall;
use crate::api::{Record, ServerChange, text, without_controls};
use crate::components::form::{FieldSpec, Owner};
use crate::config::Settings;
use crate::keymap::{Action, Context};
use crate::layout::Areas;
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};
use crate::screens::{DrawCtx, Effect, Env, OwnedForm, Screen, ScreenCtx, ScreenEntry};
use crate::strings;

/// The registry entry of the results screen: the screen of a survey's
/// responses (the surveys themselves are the Surveys board's).
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_SURVEY_RESULTS,
    name: "results",
    icon: "\u{f080} ",
    collection: Collection::SurveyResponses,
    go: None,
    context: Context::SurveyResults,
    record: "survey response",
    find: false,
    short_ids: false,
    palette: &[],
    fields: no_fields,
    rules: |_| Ok(()),
    owned_form: Some(OwnedForm {
        owner: Collection::Surveys,
        shape: response_form::shape,
    }),
    defaults: Record::new,
    detail: None,
    make: |_: &Settings| Box::new(SurveyResultsScreen::default()),
};

fn no_fields() -> Vec<FieldSpec> {
    Vec::new()
}

/// What a request of the screen was for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Load {
    Survey,
    Results,
    Comments,
    Trend(String),
}

/// One survey's results as loaded.
#[derive(Debug, Default)]
pub struct SurveyResultsScreen {
    pub survey_id: Option<String>,
    pub survey: Option<Record>,
    pub results: Option<Value>,
    pub comments: Vec<Value>,
    /// Each audience customer's satisfaction across surveys.
    pub trends: HashMap<String, Value>,
    pub load: Remote,
    /// The comment `I` turns into an improvement.
    pub comment: usize,
    /// How many rows the part below the heading is scrolled.
    pub scroll: usize,
    /// A response changed somewhere: read the figures again on the next tick.
    stale: bool,
    /// The response last saved here (the figures reloaded for it already,
    /// so its echo from the change feed is not another reload).
    saved: Option<String>,
    pending: HashMap<RequestId, Load>,
}

impl SurveyResultsScreen {
    fn send(&mut self, ctx: &mut ScreenCtx, what: Load, call: ViewCall) -> Effect {
        let command = ctx.request(|request| Command::View { request, call });
        let request = command.request().unwrap_or(0);
        self.pending.insert(request, what);
        Effect::Command(command)
    }

    fn load(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let Some(id) = self.survey_id.clone() else {
            ctx.say(strings::SURVEY_RESULTS_PICK, false);
            return Vec::new();
        };
        self.pending.clear();
        let get = ctx.request(|request| Command::Get {
            request,
            collection: Collection::Surveys,
            id: id.clone(),
        });
        let request = get.request().unwrap_or(0);
        self.pending.insert(request, Load::Survey);
        self.load = Remote::Loading(request);
        vec![
            Effect::Command(get),
            self.send(
                ctx,
                Load::Results,
                ViewCall::SurveyResults {
                    survey_id: id.clone(),
                },
            ),
            self.send(
                ctx,
                Load::Comments,
                ViewCall::SurveyComments { survey_id: id },
            ),
        ]
    }

    /// The audience customers, in the survey's order.
    pub fn audience(&self) -> Vec<String> {
        self.survey
            .as_ref()
            .and_then(|s| s.get("customer_ids"))
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The comment under the cursor.
    pub fn selected_comment(&self) -> Option<&Value> {
        self.comments.get(self.comment)
    }

    /// `j`/`k` pick the next or previous comment and scroll so it shows
    /// (without comments they scroll a row), the half-page keys scroll,
    /// `g`/`G` go to the first comment at the top and the last at the end;
    /// never past the last row.
    fn move_in_view(&mut self, ctx: &ScreenCtx, action: Action) {
        let area = draw::body_area(self, ctx.env.size);
        let page = usize::from(area.height).max(1);
        let body = draw::body(self, &ctx.draw(), area.width);
        let end = body.rows().saturating_sub(page);
        let last = self.comments.len().saturating_sub(1);
        let half = (page / 2).max(1);
        let (comment, scroll) = (self.comment, self.scroll.min(end));
        let (comment, scroll) = match action {
            Action::Down if self.comments.is_empty() => (comment, scroll + 1),
            Action::Up if self.comments.is_empty() => (comment, scroll.saturating_sub(1)),
            Action::Down => (comment.saturating_add(1).min(last), scroll),
            Action::Up => (comment.saturating_sub(1), scroll),
            Action::HalfPageDown => (comment, scroll + half),
            Action::HalfPageUp => (comment, scroll.saturating_sub(half)),
            Action::Top => (0, 0),
            _ => (last, end),
        };
        let mut scroll = scroll;
        if matches!(action, Action::Down | Action::Up)
            && comment != self.comment
            && let Some(&(start, rows)) = body.comments.get(comment)
        {
            // Keep the whole comment in sight, its first row if it is taller.
            scroll = scroll.max((start + rows).saturating_sub(page)).min(start);
        }
        self.comment = comment;
        self.scroll = scroll.min(end);
    }
}

impl Screen for SurveyResultsScreen {
    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        crate::screens::Selected::of(Collection::Surveys, self.survey.as_ref()?)
    }

    fn is_idle(&self) -> bool {
        self.load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn narrow(&mut self, ctx: &mut ScreenCtx, filters: Vec<(String, String)>) -> Vec<Effect> {
        let Some((_, id)) = filters.into_iter().find(|(key, _)| key == "id") else {
            return Vec::new();
        };
        *self = SurveyResultsScreen {
            survey_id: Some(id),
            ..SurveyResultsScreen::default()
        };
        self.load(ctx)
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        match action {
            Action::Down
            | Action::Up
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp => self.move_in_view(ctx, action),
            Action::Refresh => return self.load(ctx),
            Action::FullDetail => {
                let survey = self.survey.clone();
                return crate::screens::show_detail(ctx, Collection::Surveys, survey.as_ref());
            }
            Action::RecordResponse => match &self.survey {
                Some(survey) => return response_form::record_response(ctx, survey),
                None => ctx.say(strings::SURVEY_LOADING, true),
            },
            Action::CommentToImprovement => {
                if self.selected_comment().is_none() {
                    ctx.say(strings::SURVEY_NO_COMMENT, true);
                } else if ctx.env.can_write(Collection::Improvements) {
                    return vec![Effect::Create(Collection::Improvements)];
                } else {
                    ctx.say(strings::SURVEY_CANNOT_IMPROVE, true);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn back(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        Vec::new()
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        match (what, reply) {
            (Load::Survey, Reply::Record(Ok(survey))) => {
                self.survey = Some(survey);
                self.load = Remote::Loaded;
                let customers = self.audience();
                return customers
                    .into_iter()
                    .map(|customer_id| {
                        let call = ViewCall::Satisfaction {
                            customer_id: customer_id.clone(),
                        };
                        self.send(ctx, Load::Trend(customer_id), call)
                    })
                    .collect();
            }
            (Load::Survey, Reply::Record(Err(error))) => {
                self.load = Remote::Failed(error.to_string());
            }
            (Load::Results, Reply::View(Ok(results))) => self.results = Some(results),
            (Load::Comments, Reply::View(Ok(comments))) => {
                self.comments = comments
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                self.comment = self.comment.min(self.comments.len().saturating_sub(1));
            }
            (Load::Trend(customer), Reply::View(Ok(trend))) => {
                self.trends.insert(customer, trend);
            }
            (_, reply) => {
                if let Some(error) = reply.error() {
                    ctx.say(error.to_string(), true);
                }
            }
        }
        Vec::new()
    }

    fn on_change(&mut self, _ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        // A new or deleted response changes the figures: read them again
        // on the next tick (once for a burst, such as an import).
        let ours = change.collection == Some(Collection::SurveyResponses)
            || (change.collection == Some(Collection::Surveys)
                && self.survey_id.as_deref() == Some(change.id.as_str()));
        if self.saved.as_deref() == Some(change.id.as_str()) {
            self.saved = None;
        } else if ours && self.load == Remote::Loaded {
            self.stale = true;
        }
        Vec::new()
    }

    fn put(&mut self, _ctx: &mut ScreenCtx, collection: Collection, record: &Record) {
        if collection == Collection::SurveyResponses {
            self.saved = Some(crate::api::record_id(record).to_string());
        }
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if !self.stale || !self.pending.is_empty() {
            return Vec::new();
        }
        self.stale = false;
        self.load(ctx)
    }

    fn saved(&mut self, ctx: &mut ScreenCtx, collection: Collection) -> Vec<Effect> {
        // A response recorded from a form: the figures at once.
        if collection == Collection::SurveyResponses && self.load == Remote::Loaded {
            self.stale = false;
            return self.load(ctx);
        }
        Vec::new()
    }

    fn owner(&self, collection: Collection) -> Option<Owner> {
        let survey = self
            .survey
            .clone()
            .filter(|_| collection == Collection::SurveyResponses)?;
        Some(Owner {
            collection: Collection::Surveys,
            record: survey,
        })
    }

    fn create_defaults(&self, collection: Collection) -> Vec<(String, String)> {
        if collection != Collection::Improvements {
            return Vec::new();
        }
        let Some(comment) = self.selected_comment() else {
            return Vec::new();
        };
        let field = |name: &str| comment.get(name).and_then(Value::as_str).unwrap_or("");
        let title = self
            .survey
            .as_ref()
            .map(|s| without_controls(text(s, "title")))
            .unwrap_or_default();
        vec![
            ("source".to_string(), "survey".to_string()),
            ("customer_id".to_string(), field("customer_id").to_string()),
            (
                "description".to_string(),
                format!(
                    "{}\n(from the survey \"{title}\")",
                    without_controls(field("text"))
                ),
            ),
        ]
    }

    fn resize(&mut self, _rows: usize) {}

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        draw::draw(frame, ctx, self, areas.body);
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        let mut hints = vec![(Action::Down, "comment")];
        if env.can_write(Collection::SurveyResponses) {
            hints.push((Action::RecordResponse, "response"));
        }
        if env.can_write(Collection::Improvements) {
            hints.push((Action::CommentToImprovement, "comment to improvement"));
        }
        hints
    }
}
