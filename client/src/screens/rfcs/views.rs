//! Saved views of the RFC queue: the built-in ones (Untriaged, My queue,
//! Change management, Service level management, Closed, Withdrawn, Due
//! this week, All, All open) and the user's
//! `[[views]]` from the config file, each a filter expression.
//!
//! Filter syntax: terms separated by spaces, all of which must hold.
//! - `status=S`, `route=R`, `priority=P`: the workflow words (`status=new`,
//!   `route=change_management`, `priority=critical`).
//! - `customer=CODE`: the customer with that code (`customer=MOF`);
//!   `customer_id=ID`, `service_id=ID`, `assignee=me` or `assignee=ID`.
//! - `open`: leave out closed and withdrawn RFCs.
//! - `q=WORD`: title or description contains the word; `q="two words"`
//!   (double quotes keep the spaces of a value) the words together.
//! - `due=week`: due this week (Monday to Sunday, the local calendar's).
//! - `sort=KEY`: the server's order (`priority`, the default: most urgent
//!   first; `due`: soonest due first; `created` or `age`: oldest first;
//!   `updated`: last changed first).
//!
//! Expressions are checked at start; an error names the view and the bad term.

use std::collections::HashMap;

use jiff::civil::{Date, Weekday};
use rapport_shared::Collection;
use rapport_shared::enums::{Priority, RfcRoute, RfcStatus};
use rapport_shared::wire::Sort;

pub use crate::config::ViewConfig;

/// A saved view: what the queue lists and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    /// Exact-match list filters (`status`, `route`, `assignee_id`...).
    pub filters: Vec<(String, String)>,
    /// A customer named by code, resolved to its id when the list loads.
    pub customer_code: Option<String>,
    pub q: Option<String>,
    /// Only RFCs due this week (`due=week`), resolved to dates at each load.
    pub due_this_week: bool,
    /// The server's order (`sort=`); `None` is the triage order, priority.
    pub sort: Option<Sort>,
    /// What the views line shows when the names do not fit, if not the
    /// initials ("Due this week" is "Due wk", not "DTW").
    pub short: Option<&'static str>,
}

/// A view expression that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[[views]] {view:?}: {problem} in term {term:?}")]
pub struct ViewError {
    pub view: String,
    pub term: String,
    pub problem: String,
}

/// The `due=` word for the current week.
const DUE_WEEK: &str = "week";

/// The server's filter for RFCs that are neither closed nor withdrawn.
const OPEN: (&str, &str) = ("open", "true");

/// The built-in views, in key order.
pub fn built_in() -> Vec<View> {
    let view = |name: &str, filters: &[(&str, &str)]| View {
        name: name.to_string(),
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        customer_code: None,
        q: None,
        due_this_week: false,
        sort: None,
        short: None,
    };
    use crate::strings::{
        VIEW_ALL, VIEW_ALL_OPEN, VIEW_CLOSED, VIEW_CM, VIEW_DUE_WEEK, VIEW_MINE, VIEW_SLM,
        VIEW_UNTRIAGED, VIEW_WITHDRAWN,
    };
    vec![
        view(VIEW_UNTRIAGED, &[("status", "new")]),
        view(VIEW_MINE, &[("assignee_id", "me"), OPEN]),
        view(VIEW_CM, &[("route", "change_management"), OPEN]),
        view(VIEW_SLM, &[("route", "service_level_management"), OPEN]),
        view(VIEW_CLOSED, &[("status", "closed")]),
        view(VIEW_WITHDRAWN, &[("status", "withdrawn")]),
        View {
            due_this_week: true,
            sort: Some(Sort::Due),
            short: Some(crate::strings::VIEW_DUE_WEEK_SHORT),
            ..view(VIEW_DUE_WEEK, &[OPEN])
        },
        view(VIEW_ALL, &[]),
        // Last, so `[` from the first view lands on it.
        view(VIEW_ALL_OPEN, &[OPEN]),
    ]
}

/// The terms of an expression: words separated by spaces, a part in
/// double quotes keeping its spaces (`q="mailbox storage"` is the term
/// `q=mailbox storage`).
fn terms(filter: &str) -> Result<Vec<String>, String> {
    let mut terms = Vec::new();
    let mut term = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in filter.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    terms.push(std::mem::take(&mut term));
                }
                started = false;
            }
            c => {
                term.push(c);
                started = true;
            }
        }
    }
    if quoted {
        return Err("a double quote is not closed".to_string());
    }
    if started {
        terms.push(term);
    }
    Ok(terms)
}

/// A value as a term writes it: in double quotes when it holds a space.
fn quoted(value: &str) -> String {
    if value.chars().any(char::is_whitespace) {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

/// Parses one user view.
pub fn parse(config: &ViewConfig) -> Result<View, ViewError> {
    let error = |term: &str, problem: String| ViewError {
        view: config.name.clone(),
        term: term.to_string(),
        problem,
    };
    if config.name.trim().is_empty() {
        return Err(error(&config.filter, "the view has no name".to_string()));
    }
    let mut view = View {
        name: config.name.trim().to_string(),
        filters: Vec::new(),
        customer_code: None,
        q: None,
        due_this_week: false,
        sort: None,
        short: None,
    };
    let terms = terms(&config.filter).map_err(|problem| error(&config.filter, problem))?;
    for term in &terms {
        let term = term.as_str();
        if term == "open" {
            let (key, value) = OPEN;
            view.filters.push((key.to_string(), value.to_string()));
            continue;
        }
        let Some((key, value)) = term.split_once('=').filter(|(_, v)| !v.is_empty()) else {
            return Err(error(term, "expected key=value or open".to_string()));
        };
        let words = |names: Vec<&str>| format!("must be one of {}", names.join(", "));
        let param = match key {
            "status" if RfcStatus::parse(value).is_none() => {
                return Err(error(term, words(RfcStatus::names())));
            }
            "route" if RfcRoute::parse(value).is_none() => {
                return Err(error(term, words(RfcRoute::names())));
            }
            "priority" if Priority::parse(value).is_none() => {
                return Err(error(term, words(Priority::names())));
            }
            "status" | "route" | "priority" | "customer_id" | "service_id" => key,
            "assignee" | "assignee_id" => "assignee_id",
            "customer" => {
                view.customer_code = Some(value.to_string());
                continue;
            }
            "q" => {
                view.q = Some(value.to_string());
                continue;
            }
            "due" if value == DUE_WEEK => {
                view.due_this_week = true;
                continue;
            }
            "due" => return Err(error(term, format!("must be {DUE_WEEK}"))),
            "sort" => match Sort::parse(value).filter(|s| Collection::Rfcs.sorts().contains(s)) {
                Some(sort) => {
                    view.sort = Some(sort);
                    continue;
                }
                None => {
                    let names: Vec<&str> = Collection::Rfcs
                        .sorts()
                        .iter()
                        .map(|s| s.as_str())
                        .collect();
                    return Err(error(term, words(names)));
                }
            },
            _ => {
                return Err(error(
                    term,
                    "unknown key (use status, route, priority, customer, customer_id, service_id, assignee, q, due, sort, open)"
                        .to_string(),
                ));
            }
        };
        if view.filters.iter().any(|(k, _)| k == param) {
            return Err(error(term, format!("{param} is given twice")));
        }
        view.filters.push((param.to_string(), value.to_string()));
    }
    Ok(view)
}

/// The built-in views followed by the user's; the first bad one is an error.
pub fn all(configs: &[ViewConfig]) -> Result<Vec<View>, ViewError> {
    let mut views = built_in();
    for config in configs {
        views.push(parse(config)?);
    }
    Ok(views)
}

/// The Monday and Sunday of the week `today` falls in.
pub fn week_of(today: Date) -> (Date, Date) {
    let back = i64::from(today.weekday().to_monday_zero_offset());
    let monday = today
        .checked_sub(jiff::Span::new().days(back))
        .unwrap_or(today);
    let sunday = monday
        .checked_add(jiff::Span::new().days(6))
        .unwrap_or(monday);
    debug_assert_eq!(monday.weekday(), Weekday::Monday);
    (monday, sunday)
}

/// The queue's column an order of the server sorts by and whether it is
/// descending, for the header's mark; `None` when no column shows it.
/// The directions are those of the column's own sort (`s`): the Age
/// column ascending is oldest first, as its key is the creation time.
pub fn sort_column(sort: Sort) -> Option<(&'static str, bool)> {
    match sort {
        // Most urgent first: down from critical.
        Sort::Priority => Some(("priority", true)),
        Sort::Created | Sort::Age => Some(("age", false)),
        Sort::Due => Some(("due", false)),
        Sort::Updated => None,
    }
}

impl View {
    /// The view as an expression [`parse`] reads back to the same view
    /// (`status=new assignee=me q="two words" sort=due`); `Err` says why
    /// it cannot be written (a search holding a double quote).
    pub fn expression(&self) -> Result<String, String> {
        let mut terms: Vec<String> = self
            .filters
            .iter()
            .map(|(key, value)| match key.as_str() {
                "open" if value == OPEN.1 => "open".to_string(),
                "assignee_id" => format!("assignee={}", quoted(value)),
                _ => format!("{key}={}", quoted(value)),
            })
            .collect();
        if let Some(code) = &self.customer_code {
            terms.push(format!("customer={}", quoted(code)));
        }
        if let Some(q) = &self.q {
            if q.contains('"') {
                return Err(crate::strings::SAVE_VIEW_QUOTE.to_string());
            }
            terms.push(format!("q={}", quoted(q)));
        }
        if self.due_this_week {
            terms.push(format!("due={DUE_WEEK}"));
        }
        if let Some(sort) = self.sort {
            terms.push(format!("sort={}", sort.as_str()));
        }
        Ok(terms.join(" "))
    }

    /// The order the server lists the view in: its `sort=`, else the
    /// triage order.
    pub fn order(&self) -> Sort {
        self.sort.unwrap_or(Sort::Priority)
    }

    /// The list filters with the customer code resolved through `codes`
    /// (code to id) and `due=week` as the dates of the week `today` falls
    /// in; `Err` names a code no customer has.
    pub fn resolved(
        &self,
        codes: &HashMap<String, String>,
        today: Date,
    ) -> Result<Vec<(String, String)>, String> {
        let mut filters = self.filters.clone();
        if self.due_this_week {
            let (monday, sunday) = week_of(today);
            filters.push(("due_from".to_string(), monday.to_string()));
            filters.push(("due_to".to_string(), sunday.to_string()));
        }
        if let Some(code) = &self.customer_code {
            let id = codes
                .get(&code.to_uppercase())
                .ok_or_else(|| crate::strings::unknown_customer_code(code))?;
            filters.push(("customer_id".to_string(), id.clone()));
        }
        if let Some(q) = &self.q {
            filters.push(("q".to_string(), q.clone()));
        }
        Ok(filters)
    }
}

#[cfg(test)]
mod tests;
