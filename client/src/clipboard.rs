//! Copying with OSC 52: the terminal itself puts the text on the system
//! clipboard, so it works over SSH; inside tmux the sequence is wrapped in
//! tmux's passthrough so tmux forwards it to the outer terminal.

use base64::Engine;

/// The escape sequence that asks the terminal to copy `text`. With
/// `inside_tmux` (the `TMUX` variable is set) it is wrapped for passthrough.
pub fn osc52(text: &str, inside_tmux: bool) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let sequence = format!("\x1b]52;c;{encoded}\x07");
    if inside_tmux {
        // tmux passthrough: ESC P tmux; <sequence with every ESC doubled> ESC \
        format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
    } else {
        sequence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_plain_and_for_tmux() {
        assert_eq!(osc52("MOF", false), "\x1b]52;c;TU9G\x07");
        assert_eq!(osc52("MOF", true), "\x1bPtmux;\x1b\x1b]52;c;TU9G\x07\x1b\\");
    }
}
