//! The demo organisation as data: who works there, what it offers, whom it
//! serves and where each demo RFC ends up. Indexes refer to earlier tables.

use rapport_shared::enums::{RfcRoute, RfcStatus};

/// (name, job roles)
pub const STAFF: &[(&str, &[&str])] = &[
    ("Amara Nwosu", &["brm"]),
    ("Lars Eriksen", &["brm"]),
    ("Priya Raman", &["brm"]),
    ("Tomas Herrera", &["brm"]),
    ("Helen Achterberg", &["delivery_manager"]),
    ("Kenji Watanabe", &["delivery_manager"]),
    ("Fatima Bennani", &["delivery_manager"]),
    ("Owen Gallagher", &["delivery_manager"]),
    ("Ingrid Solberg", &["service_owner"]),
    ("Marco Bellini", &["service_owner"]),
    ("Nadia Petrova", &["service_owner"]),
    ("David Mensah", &["service_owner"]),
    ("Rosa Jimenez", &["service_owner", "service_desk"]),
    ("Sam Okafor", &["service_desk"]),
    ("Leila Haddad", &["service_desk"]),
];

/// Index into [`STAFF`] of the operator the embedded client acts as.
pub const OPERATOR: usize = 13;

/// (name, description, owner index into STAFF, unit, unit price in cents)
pub const SERVICES: &[(&str, &str, usize, &str, i64)] = &[
    (
        "Email and calendar",
        "Mailboxes, shared calendars and distribution lists.",
        8,
        "mailbox/month",
        650,
    ),
    (
        "Collaboration suite",
        "Document editing, chat and video meetings.",
        8,
        "user/month",
        1_200,
    ),
    (
        "Virtual server hosting",
        "Managed virtual machines in two data centres.",
        9,
        "VM/month",
        18_500,
    ),
    (
        "Managed database",
        "PostgreSQL and SQL Server instances with backups and patching.",
        9,
        "instance/month",
        42_000,
    ),
    (
        "Identity and access",
        "Accounts, single sign-on and multi-factor authentication.",
        10,
        "account/month",
        300,
    ),
    (
        "Network and VPN",
        "Site connectivity, Wi-Fi and remote access.",
        11,
        "site/month",
        95_000,
    ),
    (
        "Service desk support",
        "First and second line support by phone, mail and portal.",
        12,
        "ticket",
        2_800,
    ),
    (
        "Workplace devices",
        "Laptops, desktops and phones, leased and managed.",
        11,
        "device/month",
        3_900,
    ),
    (
        "Backup and archive",
        "Off-site backup and long-term archive storage.",
        9,
        "TB/month",
        7_500,
    ),
    (
        "Geographic information platform",
        "Map services and spatial analysis tools.",
        10,
        "user/month",
        5_400,
    ),
];

/// (name, BRM, delivery manager, service owners), indexes into STAFF.
pub const TEAMS: &[(&str, usize, usize, &[usize])] = &[
    ("Team Atlas", 0, 4, &[8, 9]),
    ("Team Boreal", 1, 5, &[10, 11]),
    ("Team Cobalt", 2, 6, &[9, 12]),
    ("Team Delta", 3, 7, &[8, 11, 12]),
];

/// (code, name, kind, status, team index, description)
pub const CUSTOMERS: &[(&str, &str, &str, &str, usize, &str)] = &[
    (
        "MOF",
        "Ministry of Finance",
        "ministry",
        "active",
        0,
        "Budget, treasury and public debt; heavy users of reporting and collaboration during the budget cycle.",
    ),
    (
        "MOH",
        "Ministry of Health",
        "ministry",
        "active",
        0,
        "Health policy and hospital oversight; runs case systems that must be available around the clock.",
    ),
    (
        "MOE",
        "Ministry of Education",
        "ministry",
        "active",
        1,
        "Schools policy and exams; peaks in demand at enrolment and exam results.",
    ),
    (
        "MOJ",
        "Ministry of Justice",
        "ministry",
        "active",
        1,
        "Courts and prisons administration; strict access control and long retention.",
    ),
    (
        "TAX",
        "Revenue and Customs Agency",
        "agency",
        "active",
        2,
        "Tax collection; filing deadlines drive capacity needs on the portal and databases.",
    ),
    (
        "STAT",
        "National Statistics Office",
        "agency",
        "active",
        2,
        "Census and surveys; large data volumes and analysis platforms.",
    ),
    (
        "ENV",
        "Environment Protection Agency",
        "agency",
        "active",
        3,
        "Permits and monitoring; field staff rely on mobile devices and maps.",
    ),
    (
        "LAND",
        "Land Registry and Mapping Agency",
        "agency",
        "active",
        3,
        "Property register and national maps; the main user of the geographic platform.",
    ),
    (
        "HRSC",
        "Shared HR Services Centre",
        "business_unit",
        "active",
        0,
        "Payroll and HR for all ministries; monthly payroll runs are critical.",
    ),
    (
        "PROC",
        "Central Procurement Unit",
        "business_unit",
        "active",
        1,
        "Tenders and framework contracts for the whole government.",
    ),
    (
        "DIGI",
        "Digital Services Unit",
        "business_unit",
        "prospect",
        2,
        "New unit building citizen-facing services; exploring hosting and identity services.",
    ),
    (
        "ARCH",
        "National Archives",
        "agency",
        "inactive",
        3,
        "Records preservation; moved its systems to a sector provider last year.",
    ),
];

/// Contact names handed out in order: (name, title).
pub const CONTACT_PEOPLE: &[(&str, &str)] = &[
    ("Margit Lindqvist", "Chief Financial Officer"),
    ("Julien Moreau", "Head of Business Applications"),
    ("Aisha Balogun", "Director of Digital Health"),
    ("Peter Novak", "Clinical Systems Lead"),
    ("Carmen Ortega", "Director of Operations"),
    ("Henrik Dahl", "Exams Systems Manager"),
    ("Grace Mwangi", "Chief Information Officer"),
    ("Luca Romano", "Court Services Manager"),
    ("Elif Yilmaz", "Head of Taxpayer Services"),
    ("Brian O'Neill", "Infrastructure Architect"),
    ("Sofia Costa", "Chief Statistician"),
    ("Mateo Silva", "Data Platform Lead"),
    ("Anna Kowalska", "Head of Permits"),
    ("Rahul Mehta", "Field Operations Manager"),
    ("Yuki Tanaka", "Director of Mapping"),
    ("Olivia Brown", "GIS Team Lead"),
    ("Kwame Asante", "Head of Payroll"),
    ("Eva Horvath", "HR Systems Manager"),
    ("Samuel Cohen", "Head of Procurement"),
    ("Irina Volkova", "Contracts Officer"),
    ("Noah Fischer", "Head of Digital Services"),
    ("Chloe Martin", "Service Designer"),
    ("Ahmed Karimi", "Archivist in Chief"),
    ("Lena Schmidt", "Records Systems Officer"),
];

/// RFC titles with the index of the service they concern.
pub const RFC_TOPICS: &[(&str, usize)] = &[
    ("Increase mailbox quota for the budget team", 0),
    ("Shared calendar for the minister's office", 0),
    ("Video meeting rooms for regional offices", 1),
    ("External sharing for partner agencies", 1),
    ("Two more application servers before filing season", 2),
    ("Move the case system to the second data centre", 2),
    ("Upgrade the reporting database to a supported version", 3),
    ("Read replica for statistics queries", 3),
    ("Single sign-on for the payroll portal", 4),
    ("Multi-factor authentication for field staff", 4),
    ("VPN access for a new contractor team", 5),
    ("Wi-Fi in the new district office", 5),
    ("Extended service desk hours during exam results", 6),
    ("Dedicated support line for court clerks", 6),
    ("Replace end-of-life laptops in the finance department", 7),
    ("Rugged tablets for inspectors", 7),
    ("Longer backup retention for legal hold", 8),
    ("Archive the old permit records", 8),
    ("Map layer for flood risk areas", 9),
    ("More GIS licences for the census", 9),
];

/// Where each demo RFC ends up: the route taken and the final status.
pub const OUTCOMES: &[(Option<RfcRoute>, RfcStatus)] = {
    use RfcRoute::{ChangeManagement as Cm, ServiceLevelManagement as Slm};
    use RfcStatus::*;
    &[
        (None, New),
        (Some(Cm), Assessing),
        (None, New),
        (Some(Slm), Negotiating),
        (Some(Cm), Scheduled),
        (None, New),
        (Some(Cm), Triaged),
        (Some(Cm), Approved),
        (Some(Slm), AgreementUpdated),
        (None, New),
        (Some(Cm), Implemented),
        (Some(Cm), Closed),
        (Some(Slm), Triaged),
        (Some(Cm), Rejected),
        (None, Withdrawn),
        (Some(Slm), Declined),
        (None, New),
        (Some(Slm), Closed),
        (Some(Cm), Assessing),
        (None, New),
    ]
};

/// The improvement register: (description, source, customer index into
/// CUSTOMERS or none for every customer, owner index into STAFF, status).
pub const IMPROVEMENTS: &[(&str, &str, Option<usize>, usize, &str)] = &[
    (
        "Publish the monthly maintenance calendar to every purchaser\nAsked for in the spring survey: outages came as a surprise.",
        "survey",
        None,
        4,
        "in_progress",
    ),
    (
        "Self-service password reset for the collaboration suite",
        "review",
        None,
        8,
        "done",
    ),
    (
        "Budget-cycle capacity plan for reporting, agreed before the peak",
        "meeting",
        Some(0),
        0,
        "proposed",
    ),
    (
        "Weekend support window for the licensing desk",
        "rfc",
        Some(3),
        5,
        "proposed",
    ),
    (
        "Single sign-on for the case management portal",
        "meeting",
        Some(1),
        1,
        "rejected",
    ),
];
