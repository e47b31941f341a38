use super::names::Rng;
use super::rfcs::OUTCOMES;
use super::*;

#[test]
fn the_generator_repeats_per_seed_and_stream() {
    let draw = |seed, stream| {
        let mut rng = Rng::new(seed, stream);
        (0..8).map(|_| rng.below(1000)).collect::<Vec<_>>()
    };
    assert_eq!(draw(7, STREAM_RFCS), draw(7, STREAM_RFCS));
    assert_ne!(draw(7, STREAM_RFCS), draw(8, STREAM_RFCS));
    assert_ne!(draw(7, STREAM_RFCS), draw(7, STREAM_CUSTOMERS));
    assert_eq!(Rng::new(1, 1).below(0), 0);
}

#[test]
fn outcomes_share_a_hundred_and_follow_the_workflow() {
    assert_eq!(
        OUTCOMES.iter().map(|(_, _, share)| share).sum::<usize>(),
        100
    );
    for (route, outcome, _) in OUTCOMES {
        let mut status = rapport_shared::enums::RfcStatus::New;
        let mut current = None;
        for (to, step_route) in super::super::rfcs::path_to(*route, *outcome) {
            current = rapport_shared::rfc::check_transition(status, current, to, step_route)
                .expect("scale paths are legal");
            status = to;
        }
        assert_eq!(status, *outcome);
    }
}
