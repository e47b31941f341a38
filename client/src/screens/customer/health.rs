//! The customer's health: the overall state and each signal with its
//! state (a mark and a word, readable without colour, coloured when the
//! theme has colour) and its reason, and where a signal's records open
//! (Enter): the agreements or budget of this screen, the old RFCs on the
//! RFC queue, a meeting with overdue actions on the Meetings screen.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

use super::{CustomerState, Section, clean};
use crate::remote::Remote;
use crate::screens::{DrawCtx, Effect, ScreenId};
use crate::strings;
use crate::theme::Theme;

/// The health section's state: the view as the server sent it and the
/// selected signal.
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub load: Remote,
    pub view: Option<Value>,
    pub row: usize,
}

impl Health {
    /// The signals, in the server's order.
    pub fn signals(&self) -> &[Value] {
        self.view
            .as_ref()
            .and_then(|v| v.get("signals"))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The overall state (`act`, `watch`, `good`, `unknown`), once loaded.
    pub fn state(&self) -> Option<&str> {
        self.view
            .as_ref()
            .and_then(|v| v.get("state"))
            .and_then(Value::as_str)
    }
}

/// A health state as a mark and its word (`▲ act`, `● watch`,
/// `? unknown`, `✓ good`), readable without colour; other words cleaned.
pub fn mark(state: &str) -> String {
    match state {
        "act" => "\u{25b2} act".into(),
        "watch" => "\u{25cf} watch".into(),
        "unknown" => "? unknown".into(),
        "good" => "\u{2713} good".into(),
        other => clean(other),
    }
}

/// The theme's style for a health state (plain under NO_COLOR, where the
/// theme's styles carry no colour).
pub fn style(state: &str, theme: &Theme) -> Style {
    match state {
        "act" => theme.error,
        "watch" => theme.accent,
        "good" => theme.ok,
        _ => theme.muted,
    }
}

/// A signal's name as people say it: `service_levels` is "service levels".
pub fn signal_name(signal: &Value) -> String {
    clean(
        &signal
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .replace('_', " "),
    )
}

fn words<'a>(value: &'a Value, field: &str) -> &'a str {
    value.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// The section's lines (the overall state, then a signal a line with its
/// reason below it) and the index of the selected signal's line.
pub fn lines(state: &CustomerState, ctx: &DrawCtx) -> (Vec<Line<'static>>, usize) {
    let theme = ctx.env.theme;
    let health = &state.health;
    let Some(overall) = health.state() else {
        let note = match &health.load {
            Remote::Failed(error) => clean(error),
            _ => strings::LOADING.to_string(),
        };
        return (vec![Line::styled(note, theme.muted)], 0);
    };
    let as_of = health.view.as_ref().map_or("", |v| words(v, "as_of"));
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", strings::HEALTH_OVERALL), theme.header),
        Span::styled(mark(overall), style(overall, theme)),
        Span::styled(format!("  as of {}", clean(as_of)), theme.muted),
    ])];
    let signals = health.signals();
    if signals.is_empty() {
        lines.push(Line::styled(strings::HEALTH_NO_SIGNALS, theme.muted));
    }
    let mut selected = 0;
    for (index, signal) in signals.iter().enumerate() {
        let chosen = index == health.row;
        if chosen {
            selected = lines.len();
        }
        let state = words(signal, "state");
        let lead = if chosen { "▶ " } else { "  " };
        let row_style = if chosen {
            theme.selected
        } else {
            Style::default()
        };
        lines.push(
            Line::from(vec![
                Span::raw(lead),
                Span::styled(format!("{:<10}", mark(state)), style(state, theme)),
                Span::raw(format!(" {}", signal_name(signal))),
            ])
            .style(row_style),
        );
        lines.push(Line::styled(
            format!("    {}", clean(words(signal, "reason"))),
            if chosen { theme.selected } else { theme.muted },
        ));
    }
    (lines, selected)
}

/// Where a signal's records open for customer `customer`: the screen's
/// own section (agreements, budget, a customer's meetings), or another
/// screen narrowed to them, as an agenda item's sources open.
pub fn target(signal: &Value, customer: &str) -> Result<Target, &'static str> {
    let source = signal.get("source").unwrap_or(&Value::Null);
    let ids = source
        .get("ids")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    // Several meetings (or none) are the customer's Meetings section; one
    // opens on the Meetings screen.
    if words(source, "collection") == rapport_shared::Collection::Meetings.name() && ids != 1 {
        return Ok(Target::Section(Section::Meetings));
    }
    let owner = crate::screens::record_of(&[("customer_id", Value::from(customer))]);
    let effect = crate::screens::meetings::items::source_screen(signal, &owner)?;
    Ok(match effect {
        Effect::Show(ScreenId::Customer, filters) => {
            let section = filters
                .iter()
                .find(|(key, _)| key == "section")
                .and_then(|(_, name)| Section::of_collection(name));
            match section {
                Some(section) => Target::Section(section),
                None => Target::Show(Effect::Show(ScreenId::Customer, filters)),
            }
        }
        other => Target::Show(other),
    })
}

/// Where Enter on a signal goes.
#[derive(Debug)]
pub enum Target {
    /// A section of this screen.
    Section(Section),
    /// Another screen (or this one on another customer).
    Show(Effect),
}
