//! Where a keystroke goes: the app's open overlay first (question, help,
//! palette), then the screen's own overlay, then an open form, then the
//! screen's filter line, then the key map: global actions here, the
//! screen's own actions to the screen. Mouse events select and scroll.
//!
//! Keys typed while the screen shown has a change on its way wait in
//! [`App::typed_ahead`] and are applied in order once it is answered; the
//! first of two keys that is refused swallows the second. Keys typed
//! while a question is open (`a` on a colleague's RFC asks first) wait
//! for its answer too: a yes applies them, a no drops them and says so.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use super::{App, Command, Overlay};
use crate::components::help::Help;
use crate::components::palette::{Palette, PaletteCommand};
use crate::keymap::{Action, Context};
use crate::screens::{ScreenId, palette_screens};
use crate::strings;

/// Keys kept while a change is on its way (see [`App::typed_ahead`]):
/// far more than a hand types in the second or two a slow server takes
/// (a fast typist's burst is ten to twenty keys), few enough that a
/// server that stopped answering does not collect a screenful of blind
/// keystrokes to replay later. A key past the limit is refused in the
/// status line, never dropped silently.
pub const TYPED_AHEAD_LIMIT: usize = 64;

impl App {
    /// A key from the terminal: applied now, or kept for later while the
    /// screen shown has a change on its way (and behind keys already
    /// kept, so the order holds). A modified quit key (ctrl-c) quits at
    /// once, so a server that stopped answering never holds the app.
    pub(super) fn key_or_wait(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let interrupt =
            key.modifiers.contains(KeyModifiers::CONTROL) && self.keymap.is(Action::Quit, &key);
        // The answer to an open question answers it at once, ahead of the
        // keys typed after the question (they follow a yes).
        if interrupt || self.answers_question(&key) {
            return self.on_key(key);
        }
        let asking = self.asking();
        if asking && key.code == KeyCode::Enter {
            // Enter does not answer a question yes cannot take back, and
            // kept for later it would act on what the yes left: refused.
            self.refuse_enter();
            return Vec::new();
        }
        let waits = asking || !self.typed_ahead.is_empty() || self.held();
        if !waits {
            return self.on_key(key);
        }
        if self.typed_ahead.len() >= TYPED_AHEAD_LIMIT {
            self.say(strings::typed_ahead_full(TYPED_AHEAD_LIMIT), true);
            return Vec::new();
        }
        self.typed_ahead.push_back(key);
        let waiting = self.typed_ahead.len();
        if asking {
            let yes = self.keymap.label(Action::Yes);
            let no = self.keymap.label(Action::No);
            self.say(strings::typed_ahead_question(waiting, &yes, &no), false);
        } else {
            self.say(strings::typed_ahead(waiting), false);
        }
        Vec::new()
    }

    /// Whether keys wait: the screen shown has a change on its way, or a
    /// field's text is in the user's editor.
    fn held(&self) -> bool {
        self.external_edit.is_some() || self.screen().writing()
    }

    fn refuse_enter(&mut self) {
        let yes = self.keymap.label(Action::Yes);
        let no = self.keymap.label(Action::No);
        self.say(strings::enter_does_not_answer(&yes, &no), true);
    }

    /// Whether a question (yes or no) is open over everything else.
    fn asking(&self) -> bool {
        matches!(self.overlay, Some(Overlay::Confirm(_)))
    }

    /// Whether `key` answers the open question: a yes key, Enter on a
    /// question that Enter may answer, or a no key.
    fn answers_question(&self, key: &KeyEvent) -> bool {
        let Some(Overlay::Confirm(confirm)) = &self.overlay else {
            return false;
        };
        let stray_enter = key.code == KeyCode::Enter && confirm.destructive;
        (self.keymap.is(Action::Yes, key) && !stray_enter) || self.keymap.is(Action::No, key)
    }

    /// Applies the keys typed ahead, in order, until one starts another
    /// change: the rest wait for that one's answer in turn.
    /// A question opened by one of them stops them too, unless the next
    /// key answers it (`a y p 4` typed in one go).
    pub(super) fn replay_typed_ahead(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        while !self.held() {
            let Some(key) = self.typed_ahead.front().copied() else {
                break;
            };
            if self.asking() && !self.answers_question(&key) {
                if key.code != KeyCode::Enter {
                    break;
                }
                self.typed_ahead.pop_front();
                self.refuse_enter();
                continue;
            }
            self.typed_ahead.pop_front();
            commands.extend(self.on_key(key));
        }
        commands
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if std::mem::take(&mut self.swallow_next_key) {
            return Vec::new();
        }
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        if let Some(id) = self.overlay_screen() {
            // `T` on a record's full detail opens its trail over it.
            if id == self.tab
                && self.screens.get(id).overlay_is_detail()
                && self.keymap.is(Action::Audit, &key)
            {
                return self.open_audit();
            }
            return self.on_screen(id, |screen, ctx| screen.overlay_key(ctx, key));
        }
        let tab = self.tab;
        if self.form.is_some() {
            return self.form_key(key);
        }
        if self.board().is_some_and(|b| b.filtering) {
            return self.on_screen(tab, |screen, ctx| screen.filter_key(ctx, &key));
        }
        match self.keymap.action(tab.entry().context, &key) {
            Some(action) if action.takes_second_key() => self.first_of_two(action),
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// The first of two keys (`t` of `t c`): when it opens nothing (it was
    /// refused, or there is nothing to act on), the key meant for its
    /// chooser is swallowed, Esc included, and the message says so: else
    /// `c` would open a comment and `4` another board.
    fn first_of_two(&mut self, action: Action) -> Vec<Command> {
        let before = self.message.take();
        let commands = self.act(action);
        let opened =
            self.overlay.is_some() || self.overlay_screen().is_some() || self.form.is_some();
        if opened {
            if self.message.is_none() {
                self.message = before;
            }
            return commands;
        }
        self.swallow_next_key = true;
        let refusal = self.message.take();
        let reason = refusal.as_ref().map(|m| m.text.as_str());
        self.say(strings::second_key_ignored(reason), true);
        commands
    }

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
        match overlay {
            Overlay::Confirm(confirm) => {
                let stray_enter = key.code == KeyCode::Enter && confirm.destructive;
                if self.keymap.is(Action::Yes, &key) && !stray_enter {
                    return self.confirmed(confirm.on_yes);
                }
                if !self.keymap.is(Action::No, &key) {
                    self.overlay = Some(Overlay::Confirm(confirm));
                    return Vec::new();
                }
                // The keys typed after the question were meant after a
                // yes: a no drops them, saying so.
                let dropped = std::mem::take(&mut self.typed_ahead).len();
                if dropped > 0 {
                    self.say(strings::typed_ahead_dropped(dropped), false);
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
            Overlay::Outbox(list) => self.outbox_key(list, key),
            Overlay::Audit(trail) => self.audit_key(trail, key),
            Overlay::Detail(detail) => self.detail_key(detail, key),
            Overlay::Notifications(list) => self.notifications_key(list, key),
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
        if self.keymap.is(Action::EditInEditor, &key)
            && let Some(commands) = self.open_in_editor()
        {
            return commands;
        }
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
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
                picker.abandon();
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
        // A screen's own actions act on its records wherever they are run
        // from (the palette), unless the screen shown takes them too (a
        // survey's results take the Surveys board's `R`).
        let here = self.tab.entry().context.chain().contains(&action.context());
        let owner = ScreenId::of_context(action.context())
            .filter(|id| !here && id.entry().context != Context::Board);
        let acting = owner.unwrap_or(self.tab);
        let collection = self
            .screens
            .get(acting)
            .writes(action)
            .unwrap_or(acting.collection());
        if action.writes() && !self.can_write(collection) {
            self.say(crate::strings::read_only_refusal(), true);
            return Vec::new();
        }
        if let Some(id) = ScreenId::shown_by(action) {
            return self.switch(id);
        }
        match action {
            Action::Quit => self.quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help(Help::default()));
                Vec::new()
            }
            Action::Outbox => {
                self.open_outbox();
                Vec::new()
            }
            Action::Audit => self.open_audit(),
            Action::Notifications => {
                self.open_notifications();
                Vec::new()
            }
            Action::Palette => {
                let palette = Palette::new(self.read_only(), &palette_screens());
                self.overlay = Some(Overlay::Palette(palette));
                Vec::new()
            }
            Action::Back => {
                let tab = self.tab;
                self.on_screen(tab, |screen, ctx| screen.back(ctx))
            }
            Action::NextTab => self.switch(self.tab.step(1)),
            Action::PrevTab => self.switch(self.tab.step(-1)),
            Action::Refresh if self.connection != super::Connection::Online => {
                self.connection = super::Connection::Connecting;
                self.start()
            }
            // From the palette on another screen: show its screen first. A
            // screen already loaded runs the action on its selection at
            // once; one loading now asks for the action again.
            action if owner.is_some_and(|id| id != self.tab) => {
                let Some(id) = owner else {
                    return Vec::new();
                };
                let commands = self.switch(id);
                if commands.is_empty() {
                    return self.on_screen(id, |screen, ctx| screen.act(ctx, action));
                }
                self.say(crate::strings::screen_opened(id.title()), false);
                commands
            }
            action => {
                let tab = self.tab;
                self.on_screen(tab, |screen, ctx| screen.act(ctx, action))
            }
        }
    }

    /// Quits, asking first when a form holds unsaved text.
    pub(super) fn quit(&mut self) -> Vec<Command> {
        if self.form.as_ref().is_some_and(|f| f.is_dirty()) {
            self.ask(
                crate::strings::confirm_quit_unsaved(),
                super::ConfirmAction::Quit,
            );
            return Vec::new();
        }
        self.quitting = true;
        vec![Command::Quit]
    }

    fn run_palette(&mut self, command: PaletteCommand, argument: String) -> Vec<Command> {
        match command {
            PaletteCommand::Export { replace } => self.export(&argument, replace),
            PaletteCommand::Run(action) => self.act(action),
            PaletteCommand::New(collection) => {
                if !self.can_write(collection) {
                    self.say(crate::strings::read_only_refusal(), true);
                    return Vec::new();
                }
                self.open_create(collection)
            }
            PaletteCommand::Show(name) => {
                match ScreenId::ALL.iter().find(|s| s.entry().name == name) {
                    Some(&id) => self.switch(id),
                    None => Vec::new(),
                }
            }
            PaletteCommand::Word(collection, word) => {
                let Some(id) = ScreenId::of(collection) else {
                    return Vec::new();
                };
                let effects =
                    self.with_screen(id, |screen, ctx| screen.palette(ctx, word, &argument));
                // A word that did something shows its screen.
                if !effects.is_empty() {
                    self.tab = id;
                }
                self.apply(id, effects)
            }
            PaletteCommand::Find(collection) => {
                let Some(id) = ScreenId::of(collection) else {
                    return Vec::new();
                };
                let mut commands = self.switch(id);
                let effects = self.with_screen(id, |screen, ctx| screen.find(ctx, argument));
                if !effects.is_empty() {
                    // The filtered load replaces the plain one, never sent.
                    for command in commands.drain(..) {
                        self.forget(&command);
                    }
                }
                commands.extend(self.apply(id, effects));
                commands
            }
        }
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Command> {
        if !self.mouse
            || self.overlay.is_some()
            || self.overlay_screen().is_some()
            || self.form.is_some()
        {
            return Vec::new();
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::Down(_) => {
                let areas = crate::layout::of_size(self.size);
                if mouse.row == areas.tabs.y {
                    return self.click_tab(mouse.column);
                }
                let table = areas.table;
                // The table has a border and a header line above its rows.
                let first_row = table.y + 2 + self.screen().lines_above_rows();
                let inside = mouse.column >= table.x
                    && mouse.column < table.x + table.width
                    && mouse.row >= first_row
                    && mouse.row < table.y + table.height.saturating_sub(1);
                if !inside {
                    return Vec::new();
                }
                let tab = self.tab;
                let row = usize::from(mouse.row - first_row);
                self.on_screen(tab, |screen, ctx| screen.click(ctx, row))
            }
            _ => Vec::new(),
        }
    }

    fn click_tab(&mut self, column: u16) -> Vec<Command> {
        let mut x = 0u16;
        for (tab, label) in self.tab_labels(self.size.0) {
            let width = u16::try_from(label.width())
                .unwrap_or(u16::MAX)
                .saturating_add(crate::screens::TAB_GAP);
            if column < x.saturating_add(width) {
                return self.switch(tab);
            }
            x = x.saturating_add(width);
        }
        Vec::new()
    }
}
