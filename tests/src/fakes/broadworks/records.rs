//! The fake's data, a pure function of indexes so any size costs no memory: service provider
//! `i` (1-based) is an enterprise `ent{i}` when `i` is odd, else a service provider `sp{i}`
//! (every fourth without a name); each has groups `grp1…` (every third without a name); each
//! group has users and hunt groups whose ids carry the service provider and group (every
//! third user without a first or last name, every second hunt group without a name). The
//! headings are those of docs/CONNECTORS.md §3.3, exactly.

use super::Config;

pub const SP_HEADINGS: &[&str] = &[
    "Service Provider Id",
    "Service Provider Name",
    "Is Enterprise",
];
pub const GROUP_HEADINGS: &[&str] = &["Group Id", "Group Name", "User Limit"];
pub const USER_HEADINGS: &[&str] = &[
    "User Id",
    "Last Name",
    "First Name",
    "Department",
    "Phone Number",
    "Phone Number Activated",
    "Email Address",
    "Hiragana Last Name",
    "Hiragana First Name",
    "In Trunk Group",
    "Extension",
    "Country Code",
    "National Prefix",
];
pub const HUNT_GROUP_HEADINGS: &[&str] = &[
    "Service User Id",
    "Name",
    "Phone Number",
    "Extension",
    "Department",
    "Is Active",
    "Policy",
];

/// The id of service provider `i`.
pub fn sp_id(i: u64) -> String {
    if i % 2 == 1 {
        format!("ent{i}")
    } else {
        format!("sp{i}")
    }
}

/// The index of a service provider id, if the fake holds it.
pub fn sp_index(config: &Config, id: &str) -> Option<u64> {
    let i: u64 = id
        .strip_prefix("ent")
        .or_else(|| id.strip_prefix("sp"))?
        .parse()
        .ok()?;
    (i >= 1 && i <= config.service_providers && sp_id(i) == id).then_some(i)
}

/// The index of a group id, if the fake holds it.
pub fn group_index(config: &Config, id: &str) -> Option<u64> {
    let j: u64 = id.strip_prefix("grp")?.parse().ok()?;
    (j >= 1 && j <= config.groups_per_sp && format!("grp{j}") == id).then_some(j)
}

pub fn sp_row(i: u64) -> Vec<String> {
    let name = match (i % 4, i % 2) {
        (0, _) => String::new(),
        (_, 1) => format!("Enterprise {i}"),
        _ => format!("Service Provider {i}"),
    };
    vec![sp_id(i), name, (i % 2 == 1).to_string()]
}

pub fn group_row(j: u64) -> Vec<String> {
    let name = if j.is_multiple_of(3) {
        String::new()
    } else {
        format!("Group {j}")
    };
    vec![format!("grp{j}"), name, "25".into()]
}

/// A running number for phone numbers, unique per (service provider, group, member).
fn serial(config: &Config, i: u64, j: u64, k: u64) -> u64 {
    ((i - 1) * config.groups_per_sp + (j - 1)) * 10_000 + k
}

pub fn user_id(sp: &str, j: u64, k: u64) -> String {
    format!("{sp}-grp{j}-u{k}@switchboard.test")
}

pub fn user_row(config: &Config, i: u64, j: u64, k: u64) -> Vec<String> {
    let nameless = k.is_multiple_of(3);
    let (first, last) = if nameless {
        (String::new(), String::new())
    } else {
        (format!("First{k}"), format!("Last{k}"))
    };
    let email = if nameless {
        String::new()
    } else {
        format!("first{k}.{}@switchboard.test", sp_id(i))
    };
    vec![
        user_id(&sp_id(i), j, k),
        last,
        first,
        if k.is_multiple_of(2) {
            "Sales".into()
        } else {
            String::new()
        },
        format!("+1-202{:07}", serial(config, i, j, k)),
        (k % 2 == 1).to_string(),
        email,
        String::new(),
        String::new(),
        "false".into(),
        format!("{}", 1000 + k),
        "1".into(),
        "1".into(),
    ]
}

pub fn hunt_group_id(sp: &str, j: u64, h: u64) -> String {
    format!("{sp}-grp{j}-hg{h}@switchboard.test")
}

pub fn hunt_group_row(config: &Config, i: u64, j: u64, h: u64) -> Vec<String> {
    const POLICIES: [&str; 5] = ["Regular", "Circular", "Simultaneous", "Uniform", "Weighted"];
    vec![
        hunt_group_id(&sp_id(i), j, h),
        if h.is_multiple_of(2) {
            String::new()
        } else {
            format!("Hunt Group {h}")
        },
        format!("+1-303{:07}", serial(config, i, j, h)),
        format!("{}", 2000 + h),
        String::new(),
        (h % 2 == 1).to_string(),
        POLICIES[(h % 5) as usize].into(),
    ]
}

/// The column order the fake answers in: as documented, or (switch) a fixed shuffle that
/// differs from it for every table, so a client reading by position gets it wrong.
pub fn column_order(n: usize, shuffle: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if shuffle && n > 1 {
        order.reverse();
        order.rotate_left(1);
    }
    order
}
