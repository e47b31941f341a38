//! Carrying out what a screen asks for: its commands go to the runtime,
//! forms and questions open here, another screen is shown narrowed, and
//! a record that arrived outside a form reaches every screen showing it.

use super::editor::EditTarget;
use super::{App, Command, ConfirmAction};
use crate::screens::{Effect, ScreenId};

impl App {
    /// Carries out `effects` that screen `from` returned.
    pub(super) fn apply(&mut self, from: ScreenId, effects: Vec<Effect>) -> Vec<Command> {
        let mut commands = Vec::new();
        for effect in effects {
            match effect {
                Effect::Command(command) => commands.push(command),
                Effect::Create(collection) => commands.extend(self.open_create(collection)),
                Effect::Edit(collection, record) => {
                    commands.extend(self.open_edit(collection, &record));
                }
                Effect::Delete(collection, record) => self.ask_delete(collection, &record),
                Effect::Ask(question) => self.ask(question, ConfirmAction::Screen(from)),
                Effect::Show(id, filters) => {
                    self.tab = id;
                    commands.extend(self.on_screen(id, |screen, ctx| screen.narrow(ctx, filters)));
                }
                Effect::Detail(detail) => self.overlay = Some(super::Overlay::Detail(detail)),
                Effect::EditText { text, taken } => {
                    commands.extend(self.hand_to_editor(EditTarget::Screen(from), taken, text));
                }
                Effect::Put(collection, record) => {
                    for id in ScreenId::ALL {
                        self.with_screen(*id, |screen, ctx| screen.put(ctx, collection, &record));
                    }
                }
            }
        }
        commands
    }
}
