//! Where a keystroke goes: the open overlay first (question, help,
//! palette), then an open form, then a board's filter line, then the key
//! map of the current board. Mouse events select and scroll.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use super::{App, Command, Overlay, Tab};
use crate::components::board::BoardOutcome;
use crate::components::confirm::ConfirmAction;
use crate::components::help::Help;
use crate::components::palette::{Palette, PaletteCommand};
use crate::keymap::{Action, Context};

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        if self.form.is_some() {
            return self.form_key(key);
        }
        if let Some(index) = self.tab.board()
            && self.boards[index].filtering
        {
            let outcome = self.boards[index].filter_key(&key);
            return self.board_outcome(index, outcome);
        }
        let context = if self.tab == Tab::Teams {
            Context::Teams
        } else if self.tab == Tab::Rfcs {
            Context::Rfcs
        } else {
            Context::Board
        };
        match self.keymap.action(context, &key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
        match overlay {
            Overlay::Confirm(confirm) => {
                let stray_enter = key.code == KeyCode::Enter && confirm.on_yes.destructive();
                if self.keymap.is(Action::Yes, &key) && !stray_enter {
                    return self.confirmed(confirm.on_yes);
                }
                if !self.keymap.is(Action::No, &key) {
                    self.overlay = Some(Overlay::Confirm(confirm));
                }
                Vec::new()
            }
            Overlay::Help(mut help) => {
                let action = self.keymap.action(Context::Board, &key);
                match action {
                    Some(Action::Back | Action::Help | Action::Quit) => return Vec::new(),
                    Some(Action::Down) => help.scroll += 1,
                    Some(Action::Up) => help.scroll = help.scroll.saturating_sub(1),
                    Some(Action::HalfPageDown) => help.scroll += 10,
                    Some(Action::HalfPageUp) => help.scroll = help.scroll.saturating_sub(10),
                    Some(Action::Top) => help.scroll = 0,
                    _ => {}
                }
                self.overlay = Some(Overlay::Help(help));
                Vec::new()
            }
            Overlay::Rfc(overlay) => self.rfc_overlay_key(overlay, key),
            Overlay::Palette(mut palette) => match key.code {
                KeyCode::Esc => Vec::new(),
                KeyCode::Enter => match palette.chosen() {
                    Some((command, argument)) => self.run_palette(command, argument),
                    None => Vec::new(),
                },
                _ => {
                    palette.key(&key);
                    self.overlay = Some(Overlay::Palette(palette));
                    Vec::new()
                }
            },
        }
    }

    fn form_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if form.conflict.is_some() {
            if self.keymap.is(Action::Reapply, &key) {
                let lookup = self.lookup.clone();
                form.reapply(&lookup);
            } else if self.keymap.is(Action::Overwrite, &key) {
                if let Some(submission) = form.overwrite() {
                    return self.send_submission(submission);
                }
            } else if self.keymap.is(Action::KeepEditing, &key) {
                form.keep_editing();
            }
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.keymap.is(Action::Save, &key) {
            return self.save_form();
        }
        if self.keymap.is(Action::NextField, &key) {
            let outcome = form.move_focus(true);
            return self.form_outcome(outcome);
        }
        if self.keymap.is(Action::PrevField, &key) {
            let outcome = form.move_focus(false);
            return self.form_outcome(outcome);
        }
        if self.keymap.is(Action::Back, &key) {
            // Esc first abandons a reference search, then closes the form.
            if let Some(picker) = form
                .fields
                .get_mut(form.focus)
                .and_then(|f| f.value.picker_mut())
                .filter(|p| !p.query.is_empty())
            {
                picker.query.clear();
                let outcome = form.picker_query(form.focus);
                return self.form_outcome(outcome);
            }
            return self.close_form();
        }
        // In a form only a modified quit key quits: plain letters are text.
        if ctrl && self.keymap.is(Action::Quit, &key) {
            return self.quit();
        }
        let outcome = form.key(&key);
        self.form_outcome(outcome)
    }

    /// Carries out an action of the key map.
    pub(super) fn act(&mut self, action: Action) -> Vec<Command> {
        // Queue actions act on RFCs wherever they are run from (the palette).
        let collection = if action.context() == Context::Rfcs {
            rapport_shared::Collection::Rfcs
        } else {
            self.tab.collection()
        };
        if action.writes() && !self.can_write(collection) {
            self.say(crate::strings::read_only_refusal(), true);
            return Vec::new();
        }
        match action {
            Action::Quit => self.quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help(Help::default()));
                Vec::new()
            }
            Action::Palette => {
                self.overlay = Some(Overlay::Palette(Palette::new(self.read_only())));
                Vec::new()
            }
            Action::Back => self.back(),
            Action::NextTab | Action::PrevTab => {
                let at = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let count = Tab::ALL.len();
                let next = if action == Action::NextTab {
                    (at + 1) % count
                } else {
                    (at + count - 1) % count
                };
                self.switch(Tab::ALL[next])
            }
            Action::GoCustomers => self.switch(Tab::Customers),
            Action::GoTeams => self.switch(Tab::Teams),
            Action::GoStaff => self.switch(Tab::Staff),
            Action::GoServices => self.switch(Tab::Services),
            Action::GoContacts => self.switch(Tab::Contacts),
            Action::GoRfcs => self.switch(Tab::Rfcs),
            Action::Refresh if self.connection != super::Connection::Online => {
                self.connection = super::Connection::Connecting;
                self.start()
            }
            Action::Refresh if self.tab == Tab::Rfcs => self.rfc_enter(),
            Action::Filter if self.tab == Tab::Rfcs && self.rfc_view_searches() => Vec::new(),
            Action::RfcTriage
            | Action::RfcAssignMe
            | Action::RfcPriority
            | Action::RfcMove
            | Action::RfcComment
            | Action::RfcMark
            | Action::RfcMarkRange
            | Action::RfcMarkAll
            | Action::RfcDetail
            | Action::RfcNextView
            | Action::RfcPrevView
                if self.tab == Tab::Rfcs =>
            {
                self.rfc_action(action)
            }
            // From the palette on another board: show the queue first. A
            // queue already loaded runs the action on its selection at
            // once; one loading now asks for the action again.
            action if action.context() == Context::Rfcs => {
                let commands = self.switch(Tab::Rfcs);
                if commands.is_empty() {
                    return self.rfc_action(action);
                }
                self.say(crate::strings::RFC_QUEUE_OPENED, false);
                commands
            }
            _ => match self.tab.board() {
                Some(index) => {
                    let outcome = self.boards[index].handle(action, &self.lookup);
                    self.board_outcome(index, outcome)
                }
                None => {
                    let outcome = self.teams.handle(action);
                    self.teams_outcome(outcome)
                }
            },
        }
    }

    fn back(&mut self) -> Vec<Command> {
        if self.tab == Tab::Rfcs {
            return self.rfc_back();
        }
        let Some(index) = self.tab.board() else {
            return Vec::new();
        };
        let board = &mut self.boards[index];
        if !board.fixed_filters.is_empty() {
            board.fixed_filters.clear();
            let query = board.first_page();
            return self.load_board(index, query, false);
        }
        let outcome = board.set_filter(String::new());
        self.board_outcome(index, outcome)
    }

    /// Quits, asking first when a form holds unsaved text.
    pub(super) fn quit(&mut self) -> Vec<Command> {
        if self.form.as_ref().is_some_and(|f| f.is_dirty()) {
            self.ask(crate::strings::confirm_quit_unsaved(), ConfirmAction::Quit);
            return Vec::new();
        }
        self.quitting = true;
        vec![Command::Quit]
    }

    pub(super) fn board_outcome(&mut self, index: usize, outcome: BoardOutcome) -> Vec<Command> {
        let collection = self.boards[index].spec.collection;
        match outcome {
            BoardOutcome::Nothing => Vec::new(),
            BoardOutcome::Load(query) => self.load_board(index, query, false),
            BoardOutcome::LoadMore(query) => self.load_board(index, query, true),
            BoardOutcome::Copy(text) => {
                self.say(crate::strings::copied(&text), false);
                vec![Command::Copy(text)]
            }
            BoardOutcome::New => self.open_create(collection),
            BoardOutcome::Edit(record) => self.open_edit(collection, &record),
            BoardOutcome::Delete(record) => {
                self.ask_delete(collection, &record);
                Vec::new()
            }
            BoardOutcome::Open(record) if collection == rapport_shared::Collection::Customers => {
                let id = crate::api::record_id(&record).to_string();
                self.tab = Tab::Contacts;
                let contacts = &mut self.boards[3];
                contacts.fixed_filters = vec![("customer_id".to_string(), id)];
                contacts.filter.clear();
                let query = contacts.first_page();
                self.load_board(3, query, false)
            }
            BoardOutcome::Open(record) => self.open_edit_if_allowed(collection, &record),
            BoardOutcome::Selected(id) if collection == rapport_shared::Collection::Customers => {
                self.load_contacts_of(id)
            }
            BoardOutcome::Selected(id) if collection == rapport_shared::Collection::Rfcs => {
                self.rfc_selected(id)
            }
            BoardOutcome::Selected(_) => Vec::new(),
        }
    }

    fn open_edit_if_allowed(
        &mut self,
        collection: rapport_shared::Collection,
        record: &crate::api::Record,
    ) -> Vec<Command> {
        if self.can_write(collection) {
            self.open_edit(collection, record)
        } else {
            Vec::new()
        }
    }

    fn run_palette(&mut self, command: PaletteCommand, argument: String) -> Vec<Command> {
        match command {
            PaletteCommand::Run(action) => self.act(action),
            PaletteCommand::New(collection) => {
                if !self.can_write(collection) {
                    self.say(crate::strings::read_only_refusal(), true);
                    return Vec::new();
                }
                self.open_create(collection)
            }
            PaletteCommand::View => self.rfc_view_named(&argument),
            PaletteCommand::Find(collection) => {
                let Some(tab) = Tab::of(collection) else {
                    return Vec::new();
                };
                let mut commands = self.switch(tab);
                if tab == Tab::Rfcs && self.rfc_view_searches() {
                    return commands;
                }
                if let Some(index) = tab.board() {
                    let outcome = self.boards[index].set_filter(argument);
                    if outcome != BoardOutcome::Nothing {
                        // The filtered load replaces the plain one just sent.
                        commands.clear();
                    }
                    commands.extend(self.board_outcome(index, outcome));
                }
                commands
            }
        }
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Command> {
        if !self.mouse || self.overlay.is_some() || self.form.is_some() {
            return Vec::new();
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::Down(_) => {
                let (width, height) = self.size;
                let areas = crate::view::layout(ratatui::layout::Rect::new(0, 0, width, height));
                if mouse.row == areas.tabs.y {
                    return self.click_tab(mouse.column);
                }
                let table = areas.table;
                // The table has a border and a header line above its rows.
                let first_row = table.y + 2 + u16::from(self.tab == Tab::Rfcs);
                let inside = mouse.column >= table.x
                    && mouse.column < table.x + table.width
                    && mouse.row >= first_row
                    && mouse.row < table.y + table.height.saturating_sub(1);
                match self.tab.board() {
                    Some(index) if inside => {
                        let outcome = self.boards[index].click(usize::from(mouse.row - first_row));
                        self.board_outcome(index, outcome)
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn click_tab(&mut self, column: u16) -> Vec<Command> {
        let mut x = 0u16;
        for (tab, label) in crate::view::tab_labels(self.theme.icons) {
            let width = u16::try_from(label.width())
                .unwrap_or(u16::MAX)
                .saturating_add(crate::view::TAB_GAP);
            if column < x.saturating_add(width) {
                return self.switch(tab);
            }
            x = x.saturating_add(width);
        }
        Vec::new()
    }
}
