//! The screens and their registry. A screen is one folder (or, for a list
//! screen, one declaration file) that owns its state, handles its keys and
//! answers, and draws itself; the `screens!` list below is the only
//! place that names them all. The tab bar, the number keys, the palette,
//! forms and the help read the registry, so nothing depends on a screen's
//! position.
//!
//! Screens sit below the app: they get a [`ScreenCtx`] and return
//! [`Effect`]s, and never see the `App`.
//!
//! Submodules: `ctx` (context, effects, request ids), [`list`] (the one
//! shape of every list screen), the list declarations ([`customers`],
//! [`staff`], [`services`], [`contacts`], [`improvements`],
//! [`activities`], [`surveys`], [`notices`]), [`teams`]
//! (team cards), [`rfcs`] (the triage queue), [`customer`] (one
//! customer), [`survey_results`], [`meetings`] (the two boards of
//! meetings and one meeting) and [`week`] (the week ahead); `tabs` the tab
//! bar's labels, `selected` the record every screen offers `v` and `T` on.

pub mod activities;
pub mod contacts;
mod ctx;
pub mod customer;
pub mod customers;
pub mod improvements;
pub mod list;
pub mod meetings;
pub mod notices;
pub mod rfcs;
mod selected;
pub mod services;
pub mod staff;
pub mod survey_results;
pub mod surveys;
mod tabs;
pub mod teams;
pub mod week;

use std::any::Any;

use crossterm::event::KeyEvent;
use rapport_shared::Collection;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::{Record, ServerChange};
use crate::components::board::Board;
use crate::components::form::{Draft, FieldSpec, FormShape, Owner, RecordType, RuleFn};
use crate::components::palette::PaletteScreen;
use crate::config::Settings;
use crate::keymap::{Action, Context};
use crate::layout::Areas;
use crate::lookup::Lookup;
use crate::messages::Reply;
use crate::remote::RequestId;

pub use ctx::{DrawCtx, Effect, Env, Requests, ScreenCtx, StatusMessage, commands};
pub use selected::{Selected, detail_lines, show_detail};
pub use tabs::{TAB_GAP, tab_labels, tab_number};

/// How a screen is registered: everything the app, the tab bar, the
/// palette and the forms need to know about it without its state.
pub struct ScreenEntry {
    /// The title in the tab bar.
    pub title: &'static str,
    /// The palette word that jumps to it (`:rfcs`).
    pub name: &'static str,
    /// The glyph drawn before the title when `theme.icons` is on.
    pub icon: &'static str,
    /// The collection it shows (its write permission guards its keys).
    pub collection: Collection,
    /// The key-map action that shows it (a number key); screens past the
    /// ninth have none and are reached through the palette (`:name`).
    pub go: Option<Action>,
    /// The key-map context of its own keys.
    pub context: Context,
    /// The palette's word for one of its records (`new customer`); empty
    /// for a screen that creates none (no `new` entry).
    pub record: &'static str,
    /// Whether the palette's `<record> <text>` searches its records.
    pub find: bool,
    /// Whether its rows show short ids (an id's last six characters), so
    /// that `:` followed by one alone finds the record here.
    pub short_ids: bool,
    /// Its own palette words taking an argument, with their help.
    pub palette: &'static [(&'static str, &'static str)],
    /// The form fields of its records.
    pub fields: fn() -> Vec<FieldSpec>,
    /// The shared rules its records follow, checked before a form sends.
    pub rules: RuleFn,
    /// For records that belong to another record (a survey's responses):
    /// how their form is built from that record, instead of `fields` and
    /// `rules`.
    pub owned_form: Option<OwnedForm>,
    /// The values a new record's form starts with.
    pub defaults: fn() -> Record,
    /// A record's detail as its list screen's pane tells it, which `v`
    /// shows on other screens too; `None` for a screen without a list
    /// board (its records are told field by field, [`detail_lines`]).
    pub detail: Option<crate::components::board::DetailFn>,
    /// A new screen with the user's settings.
    pub make: fn(&Settings) -> Box<dyn Screen>,
}

/// How a record that belongs to another is written (a survey's response):
/// the owner's collection, and the form built from the owner.
pub struct OwnedForm {
    pub owner: Collection,
    pub shape: fn(&Record) -> FormShape,
}

/// Declares [`ScreenId`] and the registry from one list, in tab order.
macro_rules! screens {
    ($($id:ident = $entry:path;)+) => {
        /// Which screen; the registry in [`ScreenId::ALL`] gives its entry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ScreenId { $($id),+ }

        impl ScreenId {
            /// Every screen, in tab-bar order.
            pub const ALL: &'static [ScreenId] = &[$(ScreenId::$id),+];

            /// The screen's registry entry.
            pub fn entry(self) -> &'static ScreenEntry {
                match self { $(ScreenId::$id => &$entry),+ }
            }
        }
    };
}

screens! {
    Customers = customers::ENTRY;
    Teams = teams::ENTRY;
    Staff = staff::ENTRY;
    Services = services::ENTRY;
    Contacts = contacts::ENTRY;
    Rfcs = rfcs::ENTRY;
    Improvements = improvements::ENTRY;
    Activities = activities::ENTRY;
    Customer = customer::ENTRY;
    Notices = notices::ENTRY;
    Meetings = meetings::ENTRY;
    Surveys = surveys::ENTRY;
    SurveyResults = survey_results::ENTRY;
    Week = week::ENTRY;
}

impl ScreenId {
    /// The tab title.
    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// The collection the screen shows.
    pub fn collection(self) -> Collection {
        self.entry().collection
    }

    /// The screen showing `collection`.
    pub fn of(collection: Collection) -> Option<ScreenId> {
        ScreenId::ALL
            .iter()
            .copied()
            .find(|s| s.collection() == collection)
    }

    /// The screen whose own keys are in `context`.
    pub fn of_context(context: Context) -> Option<ScreenId> {
        ScreenId::ALL
            .iter()
            .copied()
            .find(|s| s.entry().context == context)
    }

    /// The screen the action shows (a number key).
    pub fn shown_by(action: Action) -> Option<ScreenId> {
        ScreenId::ALL
            .iter()
            .copied()
            .find(|s| s.entry().go == Some(action))
    }

    /// The screen `steps` tabs away, wrapping around.
    pub fn step(self, steps: isize) -> ScreenId {
        let count = ScreenId::ALL.len() as isize;
        let at = ScreenId::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        ScreenId::ALL[(at + steps).rem_euclid(count) as usize]
    }
}

/// The form fields of a collection's records.
pub fn form_fields(collection: Collection) -> Vec<FieldSpec> {
    ScreenId::of(collection)
        .map(|s| (s.entry().fields)())
        .unwrap_or_default()
}

/// The form labels of a collection's fields, by field name, in the form's order.
pub fn form_labels(collection: Collection) -> Vec<(String, String)> {
    form_fields(collection)
        .into_iter()
        .map(|field| (field.name.into_owned(), field.label.into_owned()))
        .collect()
}

/// What the palette offers of every screen, in tab order.
pub fn palette_screens() -> Vec<PaletteScreen> {
    ScreenId::ALL
        .iter()
        .map(|s| {
            let entry = s.entry();
            PaletteScreen {
                name: entry.name,
                title: entry.title,
                collection: entry.collection,
                record: entry.record,
                find: entry.find,
                short_ids: entry.short_ids,
                words: entry.palette,
            }
        })
        .collect()
}

/// What a form of `collection` edits: a collection without a screen has
/// no rules of the client's (the server still checks it).
pub fn record_type(collection: Collection) -> RecordType {
    let rules: RuleFn = ScreenId::of(collection).map_or(|_| Ok(()), |s| s.entry().rules);
    RecordType {
        collection,
        rules: std::sync::Arc::new(rules),
    }
}

/// How records of `collection` are written when they belong to another.
pub fn owned_form(collection: Collection) -> Option<&'static OwnedForm> {
    ScreenId::of(collection).and_then(|s| s.entry().owned_form.as_ref())
}

/// A record of these fields (form defaults).
pub fn record_of(fields: &[(&str, serde_json::Value)]) -> Record {
    fields
        .iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

/// One screen: its state, keys, answers and drawing. Defaults do nothing,
/// so a screen writes only what it has.
pub trait Screen: Any {
    /// The list board it shows, if it is one (filter line, mouse rows).
    fn board(&self) -> Option<&Board> {
        None
    }

    /// The record selected (or shown), which `T` shows the audit trail
    /// of. Every screen showing records has one once loaded (a test over
    /// the registry checks it).
    fn selected(&self, _lookup: &Lookup) -> Option<Selected> {
        None
    }

    /// The query of the whole view it lists, when `:export` can write it:
    /// the first page's filters, search and server sort, the cursor then
    /// followed to the end. `None`: not a list, or not loaded.
    fn export_query(&self) -> Option<crate::api::ListQuery> {
        None
    }

    /// Whether nothing was loaded yet (it loads when first shown).
    fn is_idle(&self) -> bool;

    /// The requests that load the screen when it is shown.
    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect>;

    /// Reloads its records (a stale delete, a refresh).
    fn reload(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.enter(ctx)
    }

    /// Carries out a key-map action on this screen.
    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect>;

    /// Esc on the screen.
    fn back(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect>;

    /// A key typed into the board's filter line.
    fn filter_key(&mut self, _ctx: &mut ScreenCtx, _key: &KeyEvent) -> Vec<Effect> {
        Vec::new()
    }

    /// The palette's `<word> <text>` search on this screen.
    fn find(&mut self, _ctx: &mut ScreenCtx, _text: String) -> Vec<Effect> {
        Vec::new()
    }

    /// A click on row `row` of the table (0 is the first record row).
    fn click(&mut self, _ctx: &mut ScreenCtx, _row: usize) -> Vec<Effect> {
        Vec::new()
    }

    /// Lines drawn between the table's top border and its header.
    fn lines_above_rows(&self) -> u16 {
        0
    }

    /// The answer to one of its requests.
    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect>;

    /// A change from the server's feed.
    fn on_change(&mut self, _ctx: &mut ScreenCtx, _change: &ServerChange) -> Vec<Effect> {
        Vec::new()
    }

    /// A second passed and the server answers.
    fn on_tick(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        Vec::new()
    }

    /// A record of `collection` arrived outside the screen's own requests.
    fn put(&mut self, _ctx: &mut ScreenCtx, _collection: Collection, _record: &Record) {}

    /// The text it handed to the user's editor ([`Effect::EditText`])
    /// came back (the text handed over when the editor failed).
    fn edited(&mut self, _ctx: &mut ScreenCtx, _text: String) -> Vec<Effect> {
        Vec::new()
    }

    /// A form saved a record of `collection`.
    fn saved(&mut self, _ctx: &mut ScreenCtx, _collection: Collection) -> Vec<Effect> {
        Vec::new()
    }

    /// A record of `collection` was deleted.
    fn removed(&mut self, _ctx: &mut ScreenCtx, _collection: Collection, _id: &str) -> Vec<Effect> {
        Vec::new()
    }

    /// Show only records matching these filters (another screen asked).
    fn narrow(&mut self, _ctx: &mut ScreenCtx, _filters: Vec<(String, String)>) -> Vec<Effect> {
        Vec::new()
    }

    /// Field values a new record of `collection` starts with when this
    /// screen is shown (a new contact belongs to the customer in view).
    fn create_defaults(&self, _collection: Collection) -> Vec<(String, String)> {
        Vec::new()
    }

    /// The record a new record of `collection` belongs to while this
    /// screen is shown, for collections with an [`OwnedForm`] (a new
    /// response answers the survey selected or shown).
    fn owner(&self, _collection: Collection) -> Option<Owner> {
        None
    }

    /// Yes to the question it asked with [`Effect::Ask`].
    fn confirmed(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        Vec::new()
    }

    /// The terminal resized: `rows` records fit in a table.
    fn resize(&mut self, rows: usize);

    /// Draws the screen's body.
    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas);

    /// The collection `action` writes here when it is not the screen's
    /// own (recording a response on the Surveys board); the app refuses it
    /// up front to a user who may not write that collection.
    fn writes(&self, _action: Action) -> Option<Collection> {
        None
    }

    /// Its key hints (after help, before filter, commands and quit).
    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)>;

    /// Whether a write of its own is on its way: keys typed meanwhile wait for its answer.
    fn writing(&self) -> bool {
        false
    }

    /// Whether an overlay of its own is open (it takes the keys then).
    fn overlay_open(&self) -> bool {
        false
    }

    /// Whether its open overlay is a record's full detail, read and not
    /// typed into: `T` opens the record's audit trail over it.
    fn overlay_is_detail(&self) -> bool {
        false
    }

    /// A key while its overlay is open.
    fn overlay_key(&mut self, _ctx: &mut ScreenCtx, _key: KeyEvent) -> Vec<Effect> {
        Vec::new()
    }

    /// Draws its open overlay over `area`.
    fn draw_overlay(&self, _ctx: &DrawCtx, _frame: &mut Frame, _area: Rect) {}

    /// Typed text that would be lost if the app ended now.
    fn unsaved(&self) -> Option<Draft> {
        None
    }

    /// Reopens a kept draft of this screen's own (not a form's).
    fn restore(&mut self, _ctx: &mut ScreenCtx, _draft: &Draft) -> bool {
        false
    }

    /// Runs its palette entry `word` with `argument`.
    fn palette(&mut self, _ctx: &mut ScreenCtx, _word: &str, _argument: &str) -> Vec<Effect> {
        Vec::new()
    }
}

/// The state of every registered screen, in tab order.
pub struct Screens {
    screens: Vec<Box<dyn Screen>>,
}

impl Screens {
    /// Every registered screen, new.
    pub fn new(settings: &Settings) -> Screens {
        Screens {
            screens: ScreenId::ALL
                .iter()
                .map(|s| (s.entry().make)(settings))
                .collect(),
        }
    }

    fn at(id: ScreenId) -> usize {
        ScreenId::ALL.iter().position(|s| *s == id).unwrap_or(0)
    }

    /// One screen.
    pub fn get(&self, id: ScreenId) -> &dyn Screen {
        self.screens[Screens::at(id)].as_ref()
    }

    /// One screen, to change.
    pub fn get_mut(&mut self, id: ScreenId) -> &mut dyn Screen {
        self.screens[Screens::at(id)].as_mut()
    }

    /// One screen as its own type (tests and typed reads).
    pub fn typed<T: Screen>(&self, id: ScreenId) -> Option<&T> {
        let screen: &dyn Any = self.get(id);
        screen.downcast_ref()
    }

    /// One screen as its own type, to change.
    pub fn typed_mut<T: Screen>(&mut self, id: ScreenId) -> Option<&mut T> {
        let screen: &mut dyn Any = self.get_mut(id);
        screen.downcast_mut()
    }

    /// The list board of screen `id`, if it has one.
    pub fn board(&self, id: ScreenId) -> Option<&Board> {
        self.get(id).board()
    }
}
