//! The small, documented tables of English job-title conventions that title
//! resolution uses beside the catalog's own vocabulary.
//!
//! Everything that names a role (titles, aliases, ids, acronyms such as
//! CTO) comes from the catalog; these tables only hold what a catalog cannot
//! say about itself: how people abbreviate, which words are levels, which
//! phrases mean the same thing, and which words name a job outside any
//! technology leadership catalog. None of them mentions a role id, so an
//! organisation's own catalog gets the same treatment. A word that the
//! catalog uses in a role's title or alias always wins over these tables
//! (an organisation with a "Sales Director" role gets it matched).

/// Abbreviations, expanded before anything else. The right side may be
/// several words.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("jnr", "junior"),
    ("dir", "director"),
    ("hd", "head"),
    ("mgr", "manager"),
    ("mngr", "manager"),
    ("mgmt", "management"),
    ("mgt", "management"),
    ("eng", "engineering"),
    ("engg", "engineering"),
    ("engrg", "engineering"),
    ("engr", "engineer"),
    ("ops", "operations"),
    ("op", "operations"),
    ("infra", "infrastructure"),
    ("tech", "technology"),
    ("info", "information"),
    ("sys", "systems"),
    ("svc", "service"),
    ("svcs", "services"),
    ("dev", "development"),
    ("prod", "product"),
    ("assoc", "associate"),
    ("asst", "assistant"),
    ("exec", "executive"),
    ("intl", "international"),
    ("vp", "vice president"),
    ("svp", "senior vice president"),
    ("evp", "executive vice president"),
    ("avp", "assistant vice president"),
    ("gvp", "group vice president"),
    ("sec", "security"),
    ("infosec", "information security"),
    ("cybersec", "cyber security"),
    ("cybersecurity", "cyber security"),
    ("appsec", "application security"),
    ("secops", "security operations"),
    ("netops", "network operations"),
    ("itops", "it operations"),
    ("ict", "it"),
    ("mis", "it"),
];

/// Phrases that mean one concept, rewritten to a single token before
/// matching (domain synonyms). Longest phrase first within the same first
/// word is handled by the matcher. The concept token is what both the
/// catalog's names and the input are compared on, so "Site Reliability
/// Manager", "Reliability Engineering Manager" and "SRE Manager" meet.
pub const CONCEPTS: &[(&str, &str)] = &[
    // Site reliability engineering: "reliability" alone is how people
    // shorten it ("Director, Reliability").
    ("site reliability engineering", "sre"),
    ("site reliability", "sre"),
    ("reliability engineering", "sre"),
    ("reliability", "sre"),
    // Information technology and its older names.
    ("information technology", "it"),
    ("information and communications technology", "it"),
    ("information and communication technology", "it"),
    ("information systems", "it"),
    // "Chief Information Officer", "Head of Information": in a title,
    // information means information technology (information security and
    // information systems are caught above).
    ("information", "it"),
    ("management information systems", "it"),
    ("corporate technology", "it"),
    // Security: the CISO family is written in many ways.
    ("information security", "security"),
    ("cyber security", "security"),
    ("cyber", "security"),
    ("it security", "security"),
    ("data protection", "privacy"),
    // Data and AI.
    ("artificial intelligence", "ai"),
    ("machine learning", "ai"),
    ("ml", "ai"),
    ("analytics", "data"),
    // Quality and testing.
    ("quality assurance", "qa"),
    ("quality engineering", "qa"),
    ("quality", "qa"),
    ("qe", "qa"),
    ("test", "qa"),
    ("testing", "qa"),
    // DevOps.
    ("dev ops", "devops"),
    ("development operations", "devops"),
    // Product management is product.
    ("product management", "product"),
];

/// Seniority on a common scale, so that a title's level can be compared
/// with any catalog level: individual contributors 1 to 6, then manager 4,
/// senior manager 5, director 6, head 7, vice president 8, C-level 9. The
/// catalog's own levels are placed on this scale by their names (see
/// `level_of_name`), falling back to their rank.
pub const MANAGER: f32 = 4.0;
pub const SENIOR_MANAGER: f32 = 5.0;
pub const DIRECTOR: f32 = 6.0;
pub const HEAD: f32 = 7.0;
pub const VICE_PRESIDENT: f32 = 8.0;
pub const C_LEVEL: f32 = 9.0;

/// Level phrases: (phrase, place on the scale, the plain level it is a
/// variant of, label). The place is `None` for a word that is about level
/// but fixes none by itself ("officer" without "chief"). The plain level
/// breaks ties: a senior director is as far from a director as from a head
/// of function, and nearer in name to the director.
pub const LEVELS: &[(&str, Option<f32>, Option<f32>, &str)] = &[
    // Vice presidents with a note on their rank: nearer to a vice president
    // than to the levels around it.
    (
        "senior vice president",
        Some(8.3),
        Some(VICE_PRESIDENT),
        "senior vice president",
    ),
    (
        "executive vice president",
        Some(8.3),
        Some(VICE_PRESIDENT),
        "executive vice president",
    ),
    (
        "group vice president",
        Some(8.3),
        Some(VICE_PRESIDENT),
        "group vice president",
    ),
    (
        "assistant vice president",
        Some(7.7),
        Some(VICE_PRESIDENT),
        "assistant vice president",
    ),
    (
        "associate vice president",
        Some(7.7),
        Some(VICE_PRESIDENT),
        "associate vice president",
    ),
    (
        "vice president",
        Some(VICE_PRESIDENT),
        None,
        "vice president",
    ),
    ("c level", Some(C_LEVEL), None, "C-level"),
    ("c suite", Some(C_LEVEL), None, "C-level"),
    ("chief", Some(C_LEVEL), None, "C-level"),
    (
        "managing director",
        Some(C_LEVEL),
        None,
        "managing director",
    ),
    (
        "executive director",
        Some(HEAD),
        Some(DIRECTOR),
        "executive director",
    ),
    (
        "senior director",
        Some(6.5),
        Some(DIRECTOR),
        "senior director",
    ),
    (
        "associate director",
        Some(5.5),
        Some(DIRECTOR),
        "associate director",
    ),
    (
        "assistant director",
        Some(5.5),
        Some(DIRECTOR),
        "assistant director",
    ),
    ("director", Some(DIRECTOR), None, "director"),
    ("global head", Some(7.5), Some(HEAD), "global head"),
    ("head", Some(HEAD), None, "head"),
    (
        "senior manager",
        Some(SENIOR_MANAGER),
        None,
        "senior manager",
    ),
    (
        "general manager",
        Some(VICE_PRESIDENT),
        None,
        "general manager",
    ),
    ("manager", Some(MANAGER), None, "manager"),
    ("team lead", Some(3.5), None, "team lead"),
    ("lead", Some(3.5), None, "lead"),
    ("leader", Some(3.5), None, "lead"),
    ("supervisor", Some(3.5), None, "supervisor"),
    ("president", Some(10.0), None, "president"),
    ("officer", None, None, "officer"),
];

/// Words that move a management level up or down ("Senior Engineering
/// Manager", "Deputy CISO"), in steps: a step is a whole level up to senior
/// manager and half a level above it, where ladders have "senior director"
/// and "senior vice president" between the named levels.
pub const LEVEL_MODIFIERS: &[(&str, f32)] = &[
    ("senior", 1.0),
    ("principal", 1.0),
    ("deputy", -1.0),
    ("junior", -1.0),
    // Only right before a level word ("Assistant CTO", "Assistant
    // Manager"); elsewhere an assistant is a support job.
    ("assistant", -1.0),
];

/// Jobs that exist to serve another role. A title that names one is that
/// job, whatever role it also names: "Executive Assistant, CTO" and "VP
/// Engineering Recruiter" are not the CTO or the VP. A word the catalog uses
/// in a name is a topic instead, so an organisation's own "Recruiter" role
/// is found.
pub const SUPPORT_JOBS: &[&str] = &[
    "assistant",
    "executive assistant",
    "personal assistant",
    "administrative assistant",
    "secretary",
    "recruiter",
    "sourcer",
    "chief of staff",
];

/// Words that introduce the role a title works for, when a level word comes
/// next: "Recruiter for the VP of Engineering", "Office of the CTO",
/// "Supporting the CISO". What follows them is set aside like an employer
/// ("to", "at" and "@" always introduce one; see `words`). Followed by a
/// field instead ("VP for Information Technology"), they mean nothing.
pub const RELATIONS: &[&str] = &["for", "supporting", "supports", "office of"];

/// Nouns for a role's organisation: right after a role ("CTO Office",
/// "CISO org") they make it the organisation the title works in, not the
/// title's role.
pub const ORG_NOUNS: &[&str] = &["office", "org", "organisation", "organization"];

/// Nouns for an individual contributor, with the topic they carry. A title
/// built on one of them ("Site Reliability Engineer", "Security Architect")
/// names an individual role, not the management role of the same field.
pub const IC_NOUNS: &[(&str, Option<&str>)] = &[
    ("engineer", Some("engineering")),
    ("developer", Some("development")),
    ("programmer", Some("development")),
    ("architect", Some("architecture")),
    ("administrator", None),
    ("admin", None),
    ("analyst", None),
    ("scientist", None),
    ("designer", None),
    ("tester", Some("qa")),
    ("technician", None),
    ("specialist", None),
    ("consultant", None),
    ("associate", None),
    ("coordinator", None),
    ("intern", None),
    ("advisor", None),
    ("adviser", None),
    ("auditor", None),
    ("guard", None),
    ("nurse", None),
    ("clerk", None),
    ("representative", None),
    ("agent", None),
    ("operator", None),
    ("accountant", None),
    ("writer", None),
    ("owner", None),
    ("master", None),
];

/// Phrases built on a management word that name individual jobs: a product
/// manager manages a product, not people.
pub const IC_PHRASES: &[&str] = &[
    "product manager",
    "program manager",
    "programme manager",
    "project manager",
    "account manager",
    "scrum master",
    "product owner",
];

/// Seniority of an individual contributor, by modifier.
pub const IC_SENIORITY: &[(&str, f32)] = &[
    ("junior", 1.0),
    ("senior", 3.0),
    ("staff", 4.0),
    ("principal", 5.0),
    ("distinguished", 6.0),
    ("fellow", 6.0),
];

/// Fields of work outside a technology leadership catalog. A title that
/// carries one ("Mechanical Engineering Manager", "Sales Director") is
/// about that field, whatever else it shares with a catalog role.
pub const FOREIGN_FIELDS: &[&str] = &[
    "mechanical",
    "civil",
    "electrical",
    "chemical",
    "structural",
    "manufacturing",
    "industrial",
    "aerospace",
    "biomedical",
    "environmental",
    "sales",
    "marketing",
    "finance",
    "financial",
    "accounting",
    "hr",
    "human",
    "resources",
    "people",
    "talent",
    "legal",
    "nursing",
    "medical",
    "clinical",
    "pharmacy",
    "construction",
    "facilities",
    "maintenance",
    "logistics",
    "procurement",
    "purchasing",
    "retail",
    "store",
    "restaurant",
    "warehouse",
    "customer",
    "hospitality",
    "teaching",
    "education",
    "physical",
    "registered",
    "nurse",
    "supply",
    "chain",
    "plant",
    "fleet",
    "transport",
    "communications",
    "brand",
    "content",
    "events",
    "fundraising",
    "research",
];

/// Words that carry no meaning for matching: articles and prepositions,
/// and title decoration (interim, global, grade numbers are handled apart).
pub const STOP_WORDS: &[&str] = &[
    "of", "the", "and", "for", "in", "a", "an", "to", "on", "with",
];

/// Decoration around a title that says nothing about the role.
pub const NOISE_WORDS: &[&str] = &[
    "team",
    "group",
    "global",
    "regional",
    "international",
    "worldwide",
    "interim",
    "acting",
    "remote",
    "hybrid",
    "contract",
    "temporary",
    "temp",
    "fixed",
    "term",
    "level",
    "grade",
    "band",
    "co",
    "function",
    "department",
    "dept",
    "division",
];
