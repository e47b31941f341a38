//! Fuzz target: `rapport_server::fuzzing::http_head`.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        rapport_server::fuzzing::http_head(data);
    });
}
