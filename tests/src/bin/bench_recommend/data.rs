//! The benchmark's data, generated from a fixed seed: customers with company names, services
//! named after them with phone numbers, serial numbers and MAC addresses, and nodes that look
//! like what imports bring: companies named like a customer (exactly, with another suffix, or
//! misspelt) and configurations carrying a service's serial number, plus some that match nothing.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

const FIRST: &[&str] = &[
    "Acme",
    "Blue",
    "Summit",
    "Pioneer",
    "Granite",
    "Silver",
    "Northern",
    "Coastal",
    "Maple",
    "Evergreen",
    "Liberty",
    "Golden",
    "Harbor",
    "Iron",
    "Prairie",
    "Crescent",
    "Eagle",
    "Falcon",
    "Cedar",
    "Redwood",
    "Atlas",
    "Beacon",
    "Keystone",
    "Horizon",
    "Sterling",
    "Union",
    "Valley",
    "Westfield",
    "Oakridge",
    "Riverside",
    "Lakeside",
    "Hillcrest",
    "Brightway",
    "Clearwater",
    "Sunrise",
    "Twin Oaks",
    "Bayview",
    "Highland",
    "Metro",
    "Pinnacle",
    "Apex",
    "Vertex",
    "Nova",
    "Orion",
    "Polar",
    "Quantum",
    "Rapid",
    "Sierra",
    "Titan",
    "Vanguard",
    "Willow",
    "Yellowstone",
    "Zenith",
    "Ashford",
    "Birch",
    "Copper",
    "Dover",
    "Elm",
    "Fairview",
    "Glen",
];
const SECOND: &[&str] = &[
    "River", "Peak", "Stone", "Bridge", "Field", "Point", "Ridge", "Creek", "Harbor", "Grove",
    "Park", "Springs", "Hollow", "Mills", "Crossing", "Landing", "Heights", "Meadow", "Forge",
    "Works", "Gate", "Trail", "Vista", "Shore", "Bay", "Hill", "Wood", "Brook", "Dale", "Port",
];
const TRADE: &[&str] = &[
    "Dental",
    "Plumbing",
    "Logistics",
    "Legal",
    "Accounting",
    "Realty",
    "Construction",
    "Veterinary",
    "Pharmacy",
    "Consulting",
    "Insurance",
    "Medical",
    "Auto Repair",
    "Bakery",
    "Electric",
    "Roofing",
    "Landscaping",
    "Marketing",
    "Engineering",
    "Architects",
    "Family Clinic",
    "Credit Union",
    "Hotel",
    "Brewing",
    "Fitness",
    "Printing",
    "Flooring",
    "Storage",
    "Pediatrics",
    "Optometry",
];
const SUFFIX: &[&str] = &[
    "", "", "Inc.", "LLC", "Ltd", "Co.", "Group", "Partners", "& Sons",
];
const LINES: &[&str] = &[
    "Main line",
    "Fax",
    "SIP trunk",
    "Internet",
    "Hosted PBX",
    "Conference bridge",
    "Firewall",
    "Router",
    "Switch",
    "Access point",
    "Backup",
    "Email",
];

pub struct Customer {
    pub name: String,
}

pub struct Service {
    pub customer: usize,
    pub name: String,
    pub phone: String,
    pub serial: String,
    pub mac: String,
}

pub enum NodeKind {
    /// A company node and the customer index whose name it carries (None: matches nothing).
    Company(Option<usize>),
    /// A configuration node and the service index whose serial it carries.
    Configuration(Option<usize>),
}

pub struct Node {
    pub kind: NodeKind,
    pub name: String,
    pub fields: serde_json::Value,
}

pub struct Data {
    pub customers: Vec<Customer>,
    pub services: Vec<Service>,
    pub nodes: Vec<Node>,
}

fn company(rng: &mut StdRng) -> String {
    let mut name = format!(
        "{} {} {}",
        FIRST.choose(rng).copied().unwrap_or("Acme"),
        SECOND.choose(rng).copied().unwrap_or("River"),
        TRADE.choose(rng).copied().unwrap_or("Dental")
    );
    let suffix = SUFFIX.choose(rng).copied().unwrap_or("");
    if !suffix.is_empty() {
        name.push(' ');
        name.push_str(suffix);
    }
    name
}

fn alnum(rng: &mut StdRng, n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    (0..n)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// A misspelling: one letter dropped from the longest word.
fn misspelt(name: &str) -> String {
    let longest = name.split(' ').max_by_key(|w| w.len()).unwrap_or(name);
    let fixed = format!(
        "{}{}",
        &longest[..longest.len() / 2],
        &longest[longest.len() / 2 + 1..]
    );
    name.replacen(longest, &fixed, 1)
}

pub fn generate(services: usize, nodes: usize) -> Data {
    let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(4);
    // About 20 services a customer, as a telecom's book of business has.
    let customers: Vec<Customer> = (0..services.div_ceil(20))
        .map(|_| Customer {
            name: company(&mut rng),
        })
        .collect();
    let services: Vec<Service> = (0..services)
        .map(|i| {
            let customer = i % customers.len();
            let line = LINES.choose(&mut rng).copied().unwrap_or("Main line");
            let name = if i < customers.len() {
                // Each customer's first service carries its bare name.
                customers[customer].name.clone()
            } else {
                format!(
                    "{} {line} {}",
                    customers[customer].name,
                    i / customers.len()
                )
            };
            Service {
                customer,
                name,
                phone: format!(
                    "+1 {} {} {}",
                    rng.gen_range(200..999),
                    rng.gen_range(200..999),
                    rng.gen_range(1000..9999)
                ),
                serial: format!("SN-{}", alnum(&mut rng, 10)),
                mac: (0..6)
                    .map(|_| format!("{:02X}", rng.gen::<u8>()))
                    .collect::<Vec<_>>()
                    .join(":"),
            }
        })
        .collect();
    let nodes = (0..nodes)
        .map(|i| {
            let roll = rng.gen_range(0..10);
            if i % 2 == 0 {
                let c = rng.gen_range(0..customers.len());
                let base = &customers[c].name;
                let (name, target) = match roll {
                    0..=3 => (base.to_uppercase(), Some(c)),
                    4..=5 => (format!("{base}, Incorporated"), Some(c)),
                    6..=7 => (misspelt(base), Some(c)),
                    _ => (company(&mut rng), None),
                };
                let phone = match target {
                    Some(c) if roll % 2 == 0 => services[c].phone.replace(' ', "-"),
                    _ => String::new(),
                };
                Node {
                    kind: NodeKind::Company(target),
                    fields: serde_json::json!({"name": name, "phoneNumber": phone}),
                    name,
                }
            } else {
                let s = rng.gen_range(0..services.len());
                let (serial, mac, target) = match roll {
                    0..=7 => (services[s].serial.to_lowercase(), services[s].mac.replace(':', "-"), Some(s)),
                    _ => (format!("SN-{}", alnum(&mut rng, 10)), String::new(), None),
                };
                let name = format!("{} #{}", ["Cisco MX64", "Yealink T54W", "Polycom VVX", "Meraki MR36"][roll % 4], rng.gen_range(1..500));
                Node {
                    kind: NodeKind::Configuration(target),
                    fields: serde_json::json!({"name": name, "serialNumber": serial, "macAddress": mac}),
                    name,
                }
            }
        })
        .collect();
    Data {
        customers,
        services,
        nodes,
    }
}
