//! How many colours the terminal shows, and bringing a configured colour
//! within them. Read from the environment once at start-up: `NO_COLOR`
//! (set and not empty) or `TERM=dumb` shows none; `COLORTERM=truecolor`
//! (or `24bit`) or a `TERM` naming 256 or direct colours shows every
//! colour; any other terminal (`linux`, `screen`, `vt100`, `xterm`, an
//! unset `TERM`) only the 16 ANSI colours, to which a configured
//! `#rrggbb` or indexed colour is brought as its nearest.

use ratatui::style::Color;

/// The colours a terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// No colours: emphasis by bold, underline and reverse video.
    None,
    /// The 16 ANSI colours.
    Ansi16,
    /// 256 or 24-bit colours.
    Full,
}

impl Palette {
    /// The palette of this process's terminal.
    pub fn from_env() -> Palette {
        let var = |name: &str| std::env::var(name).ok();
        Palette::detect(
            var("TERM").as_deref(),
            var("COLORTERM").as_deref(),
            crate::no_color(),
        )
    }

    /// The palette of a terminal with `term` and `colorterm`, or none when
    /// `no_color` asks for none.
    pub fn detect(term: Option<&str>, colorterm: Option<&str>, no_color: bool) -> Palette {
        let term = term.unwrap_or_default().to_ascii_lowercase();
        if no_color || term == "dumb" {
            return Palette::None;
        }
        let colorterm = colorterm.unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Palette::Full;
        }
        if term.contains("256color") || term.contains("direct") {
            Palette::Full
        } else {
            Palette::Ansi16
        }
    }

    /// `color` as this palette shows it: itself, or the nearest of the 16
    /// ANSI colours (`None` draws without colour and is not asked).
    pub fn fit(self, color: Color) -> Color {
        match self {
            Palette::Full | Palette::None => color,
            Palette::Ansi16 => nearest_ansi(color),
        }
    }
}

/// The 16 ANSI colours with the RGB values xterm gives them.
const ANSI: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// `color` if it is one of the 16, else the one of the 16 nearest to it.
fn nearest_ansi(color: Color) -> Color {
    let rgb = match color {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(index) => match indexed_rgb(index) {
            Ok(rgb) => rgb,
            Err(ansi) => return ansi,
        },
        other => return other,
    };
    let distance = |(r, g, b): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, rgb.0) + d(g, rgb.1) + d(b, rgb.2)
    };
    ANSI.iter()
        .min_by_key(|(_, ansi)| distance(*ansi))
        .map_or(Color::Reset, |(color, _)| *color)
}

/// The RGB value of xterm's 256-colour `index`, or the ANSI colour itself
/// for the first 16.
fn indexed_rgb(index: u8) -> Result<(u8, u8, u8), Color> {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match index {
        0..=15 => Err(ANSI[usize::from(index)].0),
        16..=231 => {
            let cube = index - 16;
            let level = |step: u8| LEVELS[usize::from(step % 6)];
            Ok((level(cube / 36), level(cube / 6), level(cube)))
        }
        _ => {
            let grey = 8 + (index - 232) * 10;
            Ok((grey, grey, grey))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_without_256_colours_get_the_sixteen() {
        for term in ["linux", "screen", "vt100", "xterm", "tmux"] {
            assert_eq!(
                Palette::detect(Some(term), None, false),
                Palette::Ansi16,
                "{term}"
            );
        }
        assert_eq!(Palette::detect(None, None, false), Palette::Ansi16);
    }

    #[test]
    fn dumb_terminals_and_no_color_get_none() {
        assert_eq!(
            Palette::detect(Some("dumb"), Some("truecolor"), false),
            Palette::None
        );
        assert_eq!(
            Palette::detect(Some("xterm-256color"), None, true),
            Palette::None
        );
    }

    #[test]
    fn capable_terminals_get_every_colour() {
        assert_eq!(
            Palette::detect(Some("xterm-256color"), None, false),
            Palette::Full
        );
        assert_eq!(
            Palette::detect(Some("screen-256color"), None, false),
            Palette::Full
        );
        assert_eq!(
            Palette::detect(Some("linux"), Some("truecolor"), false),
            Palette::Full
        );
        assert_eq!(
            Palette::detect(Some("xterm-direct"), None, false),
            Palette::Full
        );
    }

    #[test]
    fn configured_colours_come_to_the_nearest_of_the_sixteen() {
        let fit = |color| Palette::Ansi16.fit(color);
        assert_eq!(fit(Color::Rgb(250, 10, 10)), Color::LightRed);
        assert_eq!(fit(Color::Rgb(0, 0, 0)), Color::Black);
        assert_eq!(fit(Color::Rgb(0x20, 0xc0, 0xc8)), Color::Cyan);
        assert_eq!(fit(Color::Indexed(9)), Color::LightRed);
        assert_eq!(fit(Color::Indexed(196)), Color::LightRed);
        assert_eq!(fit(Color::Indexed(244)), Color::DarkGray);
        assert_eq!(fit(Color::Blue), Color::Blue);
        assert_eq!(Palette::Full.fit(Color::Rgb(1, 2, 3)), Color::Rgb(1, 2, 3));
    }
}
