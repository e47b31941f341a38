//! Colours and glyphs. The default theme uses only the 16 ANSI colours, so
//! it reads on any terminal; `NO_COLOR`, `TERM=dumb` (or `theme.color =
//! false`) drops every colour and keeps bold and reverse video for
//! emphasis. Colours can be changed in the `[theme]` config table by name
//! (`red`, `lightblue`, `#a0b0c0`, ...); on a terminal without 256 colours
//! each is drawn as the nearest of the 16 ([`Palette`]).

mod palette;

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};

pub use palette::Palette;

/// The `[theme]` config table: colour names per role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeConfig {
    /// `false` draws without colour (as does a set `NO_COLOR`).
    pub color: bool,
    /// Use Nerd Font / emoji icons on tabs; plain text by default.
    pub icons: bool,
    pub accent: String,
    pub selection_fg: String,
    pub selection_bg: String,
    pub error: String,
    pub ok: String,
    pub muted: String,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            color: true,
            icons: false,
            accent: "cyan".into(),
            selection_fg: "black".into(),
            selection_bg: "cyan".into(),
            error: "lightred".into(),
            ok: "green".into(),
            muted: "darkgray".into(),
        }
    }
}

/// The styles views draw with, resolved once from the config.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub base: Style,
    pub accent: Style,
    pub title: Style,
    pub selected: Style,
    pub header: Style,
    pub error: Style,
    pub ok: Style,
    pub muted: Style,
    pub focus_border: Style,
    pub icons: bool,
}

impl Theme {
    /// The theme for `config` on a terminal showing `palette`: without
    /// colour when it shows none, each colour brought within it.
    pub fn new(config: &ThemeConfig, palette: Palette) -> Theme {
        if palette == Palette::None || !config.color {
            return Theme::monochrome(config.icons);
        }
        let color =
            |name: &str, fallback: Color| palette.fit(name.parse::<Color>().unwrap_or(fallback));
        let accent = color(&config.accent, Color::Cyan);
        Theme {
            base: Style::default(),
            accent: Style::default().fg(accent),
            title: Style::default().fg(accent).add_modifier(Modifier::BOLD),
            selected: Style::default()
                .fg(color(&config.selection_fg, Color::Black))
                .bg(color(&config.selection_bg, Color::Cyan)),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: Style::default().fg(color(&config.error, Color::LightRed)),
            ok: Style::default().fg(color(&config.ok, Color::Green)),
            muted: Style::default().fg(color(&config.muted, Color::DarkGray)),
            focus_border: Style::default().fg(accent),
            icons: config.icons,
        }
    }

    /// No colours at all: emphasis by bold, underline and reverse video.
    pub fn monochrome(icons: bool) -> Theme {
        Theme {
            base: Style::default(),
            accent: Style::default().add_modifier(Modifier::BOLD),
            title: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: Style::default().add_modifier(Modifier::BOLD),
            ok: Style::default(),
            muted: Style::default().add_modifier(Modifier::DIM),
            focus_border: Style::default().add_modifier(Modifier::BOLD),
            icons,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(&ThemeConfig::default(), Palette::Ansi16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_uses_only_the_sixteen_ansi_colours() {
        let theme = Theme::default();
        for style in [
            theme.accent,
            theme.selected,
            theme.error,
            theme.ok,
            theme.muted,
        ] {
            for color in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                    "{color:?} is not one of the 16"
                );
            }
        }
    }

    #[test]
    fn no_color_has_no_colours() {
        let theme = Theme::new(&ThemeConfig::default(), Palette::None);
        assert_eq!(theme.selected.bg, None);
        assert_eq!(theme.error.fg, None);
    }

    #[test]
    fn configured_colours_stay_within_the_terminals_palette() {
        let config = ThemeConfig {
            accent: "#ff8700".into(),
            selection_bg: "#20c0c8".into(),
            ..ThemeConfig::default()
        };
        let sixteen = Theme::new(&config, Palette::Ansi16);
        assert_eq!(sixteen.accent.fg, Some(Color::Yellow));
        assert_eq!(sixteen.selected.bg, Some(Color::Cyan));
        let full = Theme::new(&config, Palette::Full);
        assert_eq!(full.accent.fg, Some(Color::Rgb(0xff, 0x87, 0)));
    }
}
