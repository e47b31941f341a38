//! Setting a customer's purchaser (#11 defect 8): the picker offers only
//! the customer's own contacts (none on a new customer, and the form says
//! so), a refusal at save is shown whole at 80 columns, and a contact
//! saved as a purchaser on a customer without one offers to become it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;
use rapport_shared::{Collection, FieldError, Problem};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::*;
use crate::api::ApiError;
use crate::components::form::{FieldValue, FormOutcome};
use crate::fixtures::{self, answer_all};

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::from(code)))
}

fn shown(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether every word of `text` is on the screen.
fn all_words_shown(screen: &str, text: &str) -> bool {
    text.split(' ').all(|word| screen.contains(word))
}

fn focus(app: &mut App, name: &str) -> FormOutcome {
    let form = app.form.as_mut().expect("a form");
    let at = form
        .fields
        .iter()
        .position(|f| f.spec.name == name)
        .expect("the field");
    form.focus = at;
    form.picker_query(at)
}

#[test]
fn a_new_customer_offers_no_purchaser_and_says_why() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(
        focus(&mut app, "purchaser_contact_id"),
        FormOutcome::Nothing
    );
    // Typing a search asks the server for nothing either.
    let commands = press(&mut app, KeyCode::Char('m'));
    assert!(commands.is_empty(), "{commands:?}");
    let screen = shown(&app);
    assert!(
        all_words_shown(&screen, crate::strings::PURCHASER_NEW_CUSTOMER),
        "{screen}"
    );
}

#[test]
fn an_edited_customer_offers_only_its_own_contacts() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    press(&mut app, KeyCode::Char('e'));
    let FormOutcome::Pick { query, .. } = focus(&mut app, "purchaser_contact_id") else {
        panic!("a search of the contacts");
    };
    assert!(
        query
            .filters
            .contains(&("customer_id".to_string(), "c1".to_string()))
    );
}

#[test]
fn a_refusal_at_save_is_shown_whole_at_80_columns() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    press(&mut app, KeyCode::Char('e'));
    let message = "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)";
    let error = ApiError::Problem(Problem::invalid(vec![FieldError::new(
        "purchaser_contact_id",
        message,
    )]));
    app.form.as_mut().expect("a form").save_failed(&error);
    let screen = shown(&app);
    assert!(all_words_shown(&screen, message), "{screen}");
}

#[test]
fn a_purchaser_contact_on_a_customer_without_one_offers_to_become_it() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    // Ministry of Health names no purchaser.
    let commands = press(&mut app, KeyCode::Char('j'));
    answer_all(&mut app, commands, Permission::Admin);
    let commands = app.open_create(Collection::Contacts);
    answer_all(&mut app, commands, Permission::Admin);
    {
        let form = app.form.as_mut().expect("the contact form");
        for field in &mut form.fields {
            match (field.spec.name.as_ref(), &mut field.value) {
                ("name", FieldValue::Text(area)) => {
                    area.insert_str("Ada Okafor");
                }
                ("role", FieldValue::Choice { options, index, .. }) => {
                    *index = options.iter().position(|o| *o == "purchaser");
                }
                _ => {}
            }
        }
        assert_eq!(
            form.object().get("customer_id"),
            Some(&json!("c2")),
            "the contact belongs to the selected customer"
        );
    }
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    answer_all(&mut app, commands, Permission::Admin);
    let Some(Overlay::Confirm(question)) = &app.overlay else {
        panic!("an offer: {:?}", app.message);
    };
    assert_eq!(
        question.question,
        "MOH Ministry of Health has no purchaser. Make Ada Okafor its purchaser?"
    );
    let commands = press(&mut app, KeyCode::Char('y'));
    let [
        Command::Update {
            collection: Collection::Customers,
            id,
            version: 1,
            patch,
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("the customer's patch: {commands:?}");
    };
    assert_eq!(id, "c2");
    assert_eq!(patch.get("purchaser_contact_id"), Some(&json!("new1")));
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("Ada Okafor is now the purchaser of MOH Ministry of Health.")
    );
    let customers = fixtures::board(&app, crate::screens::ScreenId::Customers);
    let moh = customers
        .rows
        .iter()
        .find(|r| crate::api::record_id(r) == "c2")
        .expect("MOH");
    assert_eq!(moh.get("purchaser_contact_id"), Some(&json!("new1")));
}

#[test]
fn a_customer_with_a_purchaser_is_not_asked() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    // Ministry of Finance has Margit Lindqvist.
    let commands = app.open_create(Collection::Contacts);
    answer_all(&mut app, commands, Permission::Admin);
    {
        let form = app.form.as_mut().expect("the contact form");
        for field in &mut form.fields {
            match (field.spec.name.as_ref(), &mut field.value) {
                ("name", FieldValue::Text(area)) => {
                    area.insert_str("Ada Okafor");
                }
                ("role", FieldValue::Choice { options, index, .. }) => {
                    *index = options.iter().position(|o| *o == "purchaser");
                }
                _ => {}
            }
        }
    }
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    answer_all(&mut app, commands, Permission::Admin);
    assert!(app.overlay.is_none());
    assert!(app.form.is_none(), "saved");
}

#[test]
fn deleting_a_purchaser_is_refused_in_words_naming_the_customer() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    let commands = press(&mut app, KeyCode::Char('5'));
    answer_all(&mut app, commands, Permission::Admin);
    press(&mut app, KeyCode::Char('d'));
    let commands = press(&mut app, KeyCode::Char('y'));
    let [Command::Delete { request, id, .. }] = commands.as_slice() else {
        panic!("a delete: {commands:?}");
    };
    assert_eq!(id, "p1");
    let refused = ApiError::Problem(Problem::new(
        409,
        "the contact is still referred to by 1 customers (purchaser_contact_id)",
    ));
    app.update(Msg::Reply {
        request: *request,
        reply: Reply::Deleted(Err(refused)),
    });
    let said = app.message.as_ref().map(|m| m.text.as_str());
    assert_eq!(
        said,
        Some(
            "MOF Ministry of Finance still names this contact as its purchaser: change it first, then try again."
        )
    );
    let screen = shown(&app);
    assert!(
        !screen.contains("409") && !screen.contains("Conflict"),
        "{screen}"
    );
}
