//! Fuzz target: `rapport_server::fuzzing::chunked`.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        rapport_server::fuzzing::chunked(data);
    });
}
