//! The words scale data is made of, and the deterministic generator that
//! picks them: the same seed gives the same records.

/// SplitMix64: small, fast and the same on every platform, which is all
/// seeding needs (nothing here is secret).
pub struct Rng(u64);

impl Rng {
    /// A generator for one collection: `seed` mixed with the collection's
    /// `stream`, so that changing one size leaves the other collections'
    /// records as they were.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407));
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // usize is at most 64 bits on every supported target.
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

pub const FIRST_NAMES: &[&str] = &[
    "Aino", "Bram", "Chloe", "Dario", "Elif", "Femi", "Greta", "Hamid", "Ines", "Jonas", "Kaia",
    "Luca", "Mei", "Nikolai", "Olga", "Pavel", "Quinn", "Rania", "Soren", "Talia", "Umar", "Vera",
    "Wiktor", "Ximena", "Yusuf", "Zofia", "Anders", "Beatriz", "Cyril", "Dagny",
];

pub const LAST_NAMES: &[&str] = &[
    "Andersen",
    "Baptiste",
    "Castillo",
    "Dubois",
    "Engel",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okonkwo",
    "Pereira",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulloa",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zeller",
    "Bakker",
    "Costa",
];

pub const TITLES: &[&str] = &[
    "Head of IT",
    "Finance officer",
    "Operations manager",
    "Service coordinator",
    "Chief information officer",
    "Team lead",
    "Procurement officer",
    "Systems analyst",
];

pub const CUSTOMER_WORDS: &[&str] = &[
    "Regional",
    "National",
    "Municipal",
    "Central",
    "Northern",
    "Southern",
    "Coastal",
    "Metropolitan",
];

pub const CUSTOMER_KINDS: &[(&str, &str)] = &[
    ("Health Authority", "agency"),
    ("Tax Office", "agency"),
    ("Ministry of Transport", "ministry"),
    ("Education Board", "agency"),
    ("Land Registry", "agency"),
    ("Statistics Office", "agency"),
    ("Ministry of Culture", "ministry"),
    ("Finance Department", "business_unit"),
];

/// What an RFC asks for: a verb, then an object.
pub const RFC_VERBS: &[&str] = &[
    "Upgrade",
    "Extend",
    "Replace",
    "Add",
    "Migrate",
    "Decommission",
    "Review",
    "Enable",
];

pub const RFC_OBJECTS: &[&str] = &[
    "VPN capacity for remote staff",
    "mailbox quotas",
    "the virtual server cluster",
    "single sign-on for the case system",
    "Wi-Fi coverage on the third floor",
    "database backups retention",
    "the service desk portal",
    "laptop fleet",
    "printer pool",
    "firewall rules for the partner network",
    "video meeting rooms",
    "the archive storage",
];

pub const RFC_REASONS: &[&str] = &[
    "The current setup no longer meets demand.",
    "Requested after the last quarterly review.",
    "Needed before the audit in the spring.",
    "Staff numbers grew by a third this year.",
    "The supplier ends support for the old version.",
    "Users report slow response at peak hours.",
];

pub const MEETING_TITLES: &[&str] = &[
    "Monthly delivery review",
    "Quarterly business review",
    "Planning session",
    "Ideas workshop",
];

pub const SURVEY_COMMENTS: &[&str] = &[
    "Faster answers from the service desk, please.",
    "Warn us further ahead of maintenance windows.",
    "The monthly report could come earlier.",
    "Keep the same relationship manager.",
];
