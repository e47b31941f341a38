//! End to end: `rapport export meeting` and `rapport export meetings`
//! against a real server with fixed meetings: the Markdown a customer is
//! sent, compared with a file written by hand in `tests/expected/`, and the
//! iCalendar parsed back (one event per meeting, its times, attendees with
//! their addresses, a stable UID); a period holds only its meetings; an
//! unknown meeting or a bad date is a usage error.

use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use rapport_client::api::{ApiClient, Record, record_id};
use rapport_client::cli::meeting::{MeetingArgs, MeetingFormat, MeetingsArgs, MeetingsFormat};
use rapport_client::cli::{self, CliError, Command, Export, Output};
use rapport_server::embedded::EmbeddedServer;
use rapport_shared::Collection;
use serde_json::{Value, json};

fn object(value: Value) -> Record {
    value.as_object().cloned().unwrap_or_default()
}

async fn create(api: &ApiClient, collection: Collection, body: Value) -> anyhow::Result<String> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let key = format!(
        "meetings-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let record = api.create(collection, &object(body), &key).await?;
    Ok(record_id(&record).to_string())
}

fn one(meeting: &str, format: MeetingFormat) -> Command {
    Command::Export(Export::Meeting(MeetingArgs {
        meeting: meeting.into(),
        format,
        output: Output::default(),
    }))
}

fn period(from: &str, to: &str) -> Command {
    Command::Export(Export::Meetings(MeetingsArgs {
        from: from.into(),
        to: to.into(),
        format: MeetingsFormat::Ics,
        output: Output::default(),
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_sent_as_a_document_and_to_the_calendars() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = EmbeddedServer::start(&dir.path().join("meetings.db"), false).await?;
    let api = ApiClient::new(&server.base_url, &server.admin_token)?;
    let mof = create(
        &api,
        Collection::Customers,
        json!({"name": "Ministry of Finance", "code": "MOF"}),
    )
    .await?;
    let dana = create(
        &api,
        Collection::Staff,
        json!({"name": "Dana Delivery", "email": "dana@it.example", "job_roles": ["delivery_manager"]}),
    )
    .await?;
    let paula = create(
        &api,
        Collection::Contacts,
        json!({"customer_id": mof, "name": "Paula Purchaser", "email": "paula@mof.example"}),
    )
    .await?;
    let tim = create(
        &api,
        Collection::Contacts,
        json!({"customer_id": mof, "name": "Tim | No Mail"}),
    )
    .await?;
    let review = create(
        &api,
        Collection::Meetings,
        json!({
            "kind": "follow_up", "customer_id": mof, "starts_at": "2026-11-10T09:00:00+01:00",
            "title": "November delivery review", "duration_minutes": 90, "location": "Room 4.12",
            "attendee_staff_ids": [dana], "attendee_contact_ids": [paula, tim],
            "agenda": [
                {"title": "Service levels: Hosting SLA", "owner_id": dana, "minutes": 20,
                 "notes": "availability ≥ 99.5 %: met 2 of 3 months measured; missed 2026-09 (98.9)",
                 "source": {"collection": "agreements", "ids": ["a1"]}},
                {"title": "Budget", "notes": "Planned for 2026: 10 000.00\nCharged to date: 9 500.00 (95% of planned)"},
            ],
            "minutes": "The September outage was explained.\nThe customer asked for weekly figures.",
            "decisions": ["Report availability weekly until January"],
            "actions": [
                {"text": "Send the outage report", "owner_id": dana, "due_on": "2026-11-17", "done": true},
                {"text": "Propose the next review", "owner_id": dana, "due_on": "2026-12-01"},
            ],
        }),
    )
    .await?;
    let session = create(
        &api,
        Collection::Meetings,
        json!({"kind": "forward_looking", "customer_id": mof, "starts_at": "2026-11-20T13:00:00Z",
               "attendee_staff_ids": [dana]}),
    )
    .await?;
    create(
        &api,
        Collection::Meetings,
        json!({"kind": "follow_up", "customer_id": mof, "starts_at": "2026-12-01T00:00:00Z"}),
    )
    .await?;

    let markdown = cli::execute(&api, &one(&review, MeetingFormat::Markdown)).await?;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("expected/meeting-review.md");
    assert_eq!(markdown.text, std::fs::read_to_string(path)?);

    let ics = cli::execute(&api, &one(&review, MeetingFormat::Ics)).await?;
    let parsed: Calendar = ics.text.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let events: Vec<_> = parsed
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 1, "{}", ics.text);
    // RFC 5545: exactly one PRODID and VERSION.
    for once in ["PRODID:", "VERSION:2.0"] {
        assert_eq!(ics.text.matches(once).count(), 1, "{once}: {}", ics.text);
    }
    let event = events[0];
    assert_eq!(event.get_uid(), Some(format!("{review}@rapport").as_str()));
    assert_eq!(event.get_summary(), Some("November delivery review"));
    assert_eq!(event.get_location(), Some("Room 4.12"));
    assert_eq!(event.property_value("DTSTART"), Some("20261110T080000Z"));
    assert_eq!(event.property_value("DTEND"), Some("20261110T093000Z"));
    let description = event.get_description().unwrap_or_default();
    assert!(
        description.contains("1. Service levels: Hosting SLA"),
        "{description}"
    );
    assert!(
        description.contains("Charged to date: 9 500.00"),
        "{description}"
    );
    // Everyone with an address is invited; Tim has none.
    let attendees: Vec<String> = event
        .multi_properties()
        .get("ATTENDEE")
        .into_iter()
        .flatten()
        .map(|p| p.value().to_string())
        .collect();
    assert_eq!(
        attendees,
        ["mailto:dana@it.example", "mailto:paula@mof.example"]
    );

    // A period's calendar: the two November meetings, not December's.
    let november = cli::execute(&api, &period("2026-11-01", "2026-11-30")).await?;
    let parsed: Calendar = november.text.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let uids: Vec<String> = parsed
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => event.get_uid().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(
        uids,
        [format!("{review}@rapport"), format!("{session}@rapport")]
    );
    assert_eq!(
        november.summary.as_deref(),
        Some("2 meetings from 2026-11-01 to 2026-11-30")
    );

    for (command, words) in [
        (
            one("no-such-meeting", MeetingFormat::Markdown),
            "no meeting has the id",
        ),
        (
            period("2026-11", "2026-11-30"),
            "--from 2026-11 is not a date",
        ),
        (period("2026-11-30", "2026-11-01"), "is before --from"),
    ] {
        match cli::execute(&api, &command).await {
            Err(CliError::Usage(message)) => assert!(message.contains(words), "{message}"),
            other => panic!("{command:?}: {other:?}"),
        }
    }
    server.shutdown().await;
    Ok(())
}
