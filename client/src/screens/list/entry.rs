//! Declaring a list screen in a few lines: [`list_screen!`] builds a list
//! screen's [`ListDecl`](super::ListDecl) and registry entry from the
//! values particular to it.

/// Declares a list screen from what is particular to it. Generates
/// `pub static DECL: ListDecl` (the list's name is its collection's) and
/// `pub const ENTRY: ScreenEntry`, the line the registry names, and
/// `spec()`, the board of the input's collection under `title`. The module
/// also holds `columns()` (every column and those shown by default),
/// `detail()` (the detail pane's lines) and `fields()` (the form's fields).
///
/// Every list screen shows its input's collection, takes the board's
/// keys, is searched by the palette (`<record> <text>`), has no palette
/// words of its own and checks its forms with its input's shared rules.
/// After `title`, `icon` and `go` (the number key's action; left out by a
/// screen past the ninth, reached through the palette), these may
/// follow, in this order: `context` (the key-map context of its keys;
/// else `Board`), `copy` (the field `y` copies; else the id),
/// `related` (records listed in the detail pane;
/// none unless given), `open` (where Enter goes; else Enter edits),
/// `owns` (a collection whose records belong to the listed ones; else
/// none), `actions` (keys of its own on the selected record; else none),
/// `defaults` (a new record's values; else none), `narrowed` (the
/// filters the board starts with, which Esc lifts; else none) and
/// `params` (query parameters every page is asked with; else none).
///
/// ```text
/// list_screen! {
///     /// The service catalogue.
///     ServiceInput as "service" {
///         title: strings::TAB_SERVICES,
///         icon: "\u{f013} ",
///         go: GoServices,
///     }
/// }
/// ```
macro_rules! list_screen {
    (
        $(#[$doc:meta])*
        $input:ty as $record:literal {
            title: $title:expr,
            icon: $icon:literal,
            $(go: $go:ident,)?
            $(context: $context:ident,)?
            $(copy: $copy:literal,)?
            $(related: $related:expr,)?
            $(open: $open:expr,)?
            $(owns: $owns:expr,)?
            $(actions: $actions:expr,)?
            $(defaults: $defaults:expr,)?
            $(narrowed: $narrowed:expr,)?
            $(params: $params:expr,)?
        }
    ) => {
        $(#[$doc])*
        pub static DECL: $crate::screens::list::ListDecl = $crate::screens::list::ListDecl {
            name: <$input as rapport_shared::collection::RecordInput>::COLLECTION.name(),
            spec,
            related: $crate::screens::list::list_screen!(@either [$($related)?] None),
            open: $crate::screens::list::list_screen!(@either [$($open)?] None),
            owns: $crate::screens::list::list_screen!(@either [$(Some($owns))?] None),
            actions: $crate::screens::list::list_screen!(@either [$($actions)?] &[]),
            narrowed: $crate::screens::list::list_screen!(@either [$($narrowed)?] &[]),
            params: $crate::screens::list::list_screen!(@either [$($params)?] &[]),
        };

        /// The board's columns and detail pane.
        pub fn spec() -> $crate::components::board::BoardSpec {
            let columns = columns();
            $crate::components::board::BoardSpec {
                collection: <$input as rapport_shared::collection::RecordInput>::COLLECTION,
                title: $title,
                columns: columns.all,
                default_columns: columns.shown,
                detail,
                copy_field: $crate::screens::list::list_screen!(@either [$($copy)?] "id"),
            }
        }

        /// The screen's registry entry.
        pub const ENTRY: $crate::screens::ScreenEntry = $crate::screens::ScreenEntry {
            title: $title,
            name: <$input as rapport_shared::collection::RecordInput>::COLLECTION.name(),
            icon: $icon,
            collection: <$input as rapport_shared::collection::RecordInput>::COLLECTION,
            go: $crate::screens::list::list_screen!(
                @either [$(Some($crate::keymap::Action::$go))?] None
            ),
            context: $crate::screens::list::list_screen!(
                @either [$($crate::keymap::Context::$context)?] $crate::keymap::Context::Board
            ),
            record: $record,
            find: true,
            short_ids: false,
            palette: &[],
            fields,
            rules: $crate::components::form::rules::<$input>,
            owned_form: None,
            defaults: $crate::screens::list::list_screen!(
                @either [$($defaults)?] $crate::api::Record::new
            ),
            detail: Some(detail),
            make: |settings| Box::new($crate::screens::list::ListScreen::new(&DECL, settings)),
        };
    };
    (@either [$given:expr] $default:expr) => {
        $given
    };
    (@either [] $default:expr) => {
        $default
    };
}

pub(crate) use list_screen;
