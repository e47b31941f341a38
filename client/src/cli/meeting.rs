//! `rapport export meeting ID [--format markdown|ics]` and
//! `rapport export meetings --from --to [--format ics]`: a meeting as the
//! customer is sent it (agenda with its figures, attendees, minutes,
//! decisions, actions), and meetings as iCalendar (RFC 5545, through the
//! icalendar crate) so they land in the attendees' calendars: one event
//! per meeting, its attendees with their e-mail addresses, the agenda in
//! the description, a stable `UID` so a second import updates the event.

use std::collections::HashMap;

use clap::{Args, ValueEnum};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::fields::parse_date;
use rapport_shared::records::{MeetingInput, MeetingKind, RecordInput};

use super::{CliError, Output, Report};
use crate::api::{ApiClient, ApiError, Record, record_id, text, without_controls};

/// How long a meeting without a duration is taken to last.
const DEFAULT_MINUTES: i64 = 60;

/// The format of one meeting's export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum MeetingFormat {
    #[default]
    Markdown,
    Ics,
}

/// The format of a period's export (a calendar only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum MeetingsFormat {
    #[default]
    Ics,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct MeetingArgs {
    /// The meeting's id.
    pub meeting: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: MeetingFormat,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct MeetingsArgs {
    /// The first day (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// The last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: MeetingsFormat,
    #[command(flatten)]
    pub output: Output,
}

/// A meeting with the names its ids stand for.
struct Named {
    id: String,
    updated_at: String,
    meeting: MeetingInput,
    customer: String,
    /// Staff and contact id to (name, e-mail).
    people: HashMap<String, (String, Option<String>)>,
}

impl Named {
    fn name(&self, id: &str) -> String {
        self.people
            .get(id)
            .map_or_else(|| id.to_string(), |(name, _)| name.clone())
    }

    fn title(&self) -> String {
        match &self.meeting.title {
            Some(title) => title.clone(),
            None => format!("{}: {}", kind_words(self.meeting.kind), self.customer),
        }
    }
}

/// Exports one meeting.
pub async fn run_one(api: &ApiClient, args: &MeetingArgs) -> Result<Report, CliError> {
    let record = match api.get(Collection::Meetings, &args.meeting).await {
        Ok(record) => record,
        Err(ApiError::Problem(problem)) if problem.status == 404 => {
            return Err(CliError::Usage(format!(
                "no meeting has the id {}",
                without_controls(&args.meeting)
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let named = named(api, record).await?;
    let text = match args.format {
        MeetingFormat::Markdown => markdown(&named),
        MeetingFormat::Ics => calendar(&[named]),
    };
    Ok(Report {
        text,
        summary: None,
    })
}

/// Exports the meetings of a period as one calendar.
pub async fn run_period(api: &ApiClient, args: &MeetingsArgs) -> Result<Report, CliError> {
    for (flag, value) in [("--from", &args.from), ("--to", &args.to)] {
        if parse_date(value).is_none() {
            return Err(CliError::Usage(format!(
                "{flag} {} is not a date: write YYYY-MM-DD",
                without_controls(value)
            )));
        }
    }
    if args.to < args.from {
        return Err(CliError::Usage(format!(
            "--to {} is before --from {}",
            args.to, args.from
        )));
    }
    let records = api
        .list_all(
            Collection::Meetings,
            &[("from", &args.from), ("to", &args.to)],
        )
        .await?;
    let mut meetings = Vec::new();
    for record in records {
        meetings.push(named(api, record).await?);
    }
    meetings.sort_by_key(|m| (m.meeting.starts_at, m.id.clone()));
    let summary = Some(format!(
        "{} meetings from {} to {}",
        meetings.len(),
        args.from,
        args.to
    ));
    Ok(Report {
        text: calendar(&meetings),
        summary,
    })
}

/// Reads a meeting and looks up the names it refers to.
async fn named(api: &ApiClient, record: Record) -> Result<Named, CliError> {
    let meeting = MeetingInput::from_json(&record).map_err(|errors| {
        CliError::Failed(format!(
            "the server sent a meeting that does not read: {errors}"
        ))
    })?;
    let customer = api.get(Collection::Customers, &meeting.customer_id).await?;
    let customer = format!("{} {}", text(&customer, "code"), text(&customer, "name"));
    let mut people = HashMap::new();
    let staff = meeting
        .attendee_staff_ids
        .iter()
        .chain(meeting.agenda.iter().filter_map(|i| i.owner_id.as_ref()))
        .chain(meeting.actions.iter().filter_map(|a| a.owner_id.as_ref()));
    let staff: Vec<(Collection, &String)> = staff.map(|id| (Collection::Staff, id)).collect();
    let contacts = meeting
        .attendee_contact_ids
        .iter()
        .map(|id| (Collection::Contacts, id));
    for (collection, id) in staff.into_iter().chain(contacts) {
        if people.contains_key(id) {
            continue;
        }
        let person = api.get(collection, id).await?;
        let email = Some(text(&person, "email").to_string()).filter(|e| !e.is_empty());
        people.insert(id.clone(), (text(&person, "name").to_string(), email));
    }
    Ok(Named {
        id: record_id(&record).to_string(),
        updated_at: text(&record, "updated_at").to_string(),
        meeting,
        customer,
        people,
    })
}

fn kind_words(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::FollowUp => "Follow-up meeting",
        MeetingKind::ForwardLooking => "Forward-looking session",
    }
}

/// The meeting as a document for the customer.
fn markdown(named: &Named) -> String {
    let m = &named.meeting;
    let clean = |text: &str| without_controls(text);
    let mut out = format!("# {}\n\n", clean(&named.title()));
    out.push_str(&format!("- Kind: {}\n", kind_words(m.kind)));
    out.push_str(&format!("- Customer: {}\n", clean(&named.customer)));
    out.push_str(&format!(
        "- When: {} ({} minutes)\n",
        m.starts_at.strftime("%Y-%m-%d %H:%M UTC"),
        m.duration_minutes.unwrap_or(DEFAULT_MINUTES)
    ));
    if let Some(location) = &m.location {
        out.push_str(&format!("- Where: {}\n", clean(location)));
    }
    let attendees: Vec<String> = m
        .attendee_staff_ids
        .iter()
        .chain(&m.attendee_contact_ids)
        .map(|id| clean(&named.name(id)))
        .collect();
    if !attendees.is_empty() {
        out.push_str(&format!("- Attendees: {}\n", attendees.join(", ")));
    }
    out.push_str("\n## Agenda\n\n");
    if m.agenda.is_empty() {
        out.push_str("No agenda yet.\n");
    }
    for (index, item) in m.agenda.iter().enumerate() {
        let mut head = format!("{}. **{}**", index + 1, clean(&item.title));
        if let Some(owner) = &item.owner_id {
            head.push_str(&format!(" — {}", clean(&named.name(owner))));
        }
        if let Some(minutes) = item.minutes {
            head.push_str(&format!(" ({minutes} min)"));
        }
        out.push_str(&head);
        out.push('\n');
        for line in item.notes.iter().flat_map(|n| n.lines()) {
            out.push_str(&format!("   - {}\n", clean(line)));
        }
    }
    if let Some(minutes) = &m.minutes {
        out.push_str("\n## Minutes\n\n");
        for line in minutes.lines() {
            out.push_str(&clean(line));
            out.push('\n');
        }
    }
    if !m.decisions.is_empty() {
        out.push_str("\n## Decisions\n\n");
        for decision in &m.decisions {
            out.push_str(&format!("- {}\n", clean(decision)));
        }
    }
    if !m.actions.is_empty() {
        out.push_str("\n## Actions\n\n| | Action | Owner | Due |\n|---|---|---|---|\n");
        for action in &m.actions {
            let owner = action
                .owner_id
                .as_deref()
                .map(|o| named.name(o))
                .unwrap_or_default();
            let due = action.due_on.map(|d| d.to_string()).unwrap_or_default();
            out.push_str(&format!(
                "| {} | {} | {} | {due} |\n",
                if action.done { "done" } else { "open" },
                cell(&action.text),
                cell(&owner)
            ));
        }
    }
    out
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    without_controls(text).replace('|', "\\|")
}

/// The meetings as one iCalendar document.
fn calendar(meetings: &[Named]) -> String {
    let mut calendar = Calendar::new();
    calendar.name("rapport meetings");
    for named in meetings {
        calendar.push(event(named));
    }
    calendar.done().to_string()
}

/// One meeting as an event.
fn event(named: &Named) -> Event {
    let m = &named.meeting;
    let minutes = m.duration_minutes.unwrap_or(DEFAULT_MINUTES);
    let ends = m.starts_at + SignedDuration::from_mins(minutes);
    let stamp = named.updated_at.parse::<Timestamp>().unwrap_or(m.starts_at);
    let mut description = vec![kind_words(m.kind).to_string(), named.customer.clone()];
    for (index, item) in m.agenda.iter().enumerate() {
        description.push(format!("{}. {}", index + 1, item.title));
        description.extend(
            item.notes
                .iter()
                .flat_map(|n| n.lines())
                .map(|l| format!("   {l}")),
        );
    }
    let mut event = Event::new();
    event
        .uid(&format!("{}@rapport", named.id))
        .summary(&without_controls(&named.title()))
        .description(&without_controls(&description.join("\n")))
        .append_property(Property::new("DTSTAMP", ics_time(stamp)))
        .append_property(Property::new("DTSTART", ics_time(m.starts_at)))
        .append_property(Property::new("DTEND", ics_time(ends)));
    if let Some(location) = &m.location {
        event.location(&without_controls(location));
    }
    for id in m.attendee_staff_ids.iter().chain(&m.attendee_contact_ids) {
        let Some((name, Some(email))) = named.people.get(id) else {
            continue;
        };
        let mut attendee = Property::new("ATTENDEE", format!("mailto:{}", without_controls(email)));
        attendee.add_parameter("CN", &without_controls(name));
        attendee.add_parameter("ROLE", "REQ-PARTICIPANT");
        event.append_multi_property(attendee);
    }
    event.done()
}

/// An instant as iCalendar writes UTC times: `20261210T090000Z`.
fn ics_time(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}
