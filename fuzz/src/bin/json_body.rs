//! Fuzz target: `rapport_server::fuzzing::json_body`.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        rapport_server::fuzzing::json_body(data);
    });
}
