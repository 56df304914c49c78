//! The Syncro fake's records, each a pure function of its id (docs/CONNECTORS.md §2.3, §4.2),
//! and which ids exist. Per customer `c`: contacts `2c-1`, `2c`; assets `3c-2 ..= 3c`, the third
//! without a serial number. Customers `c % 10 == 0` have neither contact nor asset; customers
//! `c % 10 == 5` have no contact and only the asset without a serial number. One contact and
//! one asset at the end have no customer. Lead `l` belongs to customer `((l-1) % N) + 1`,
//! except every third lead, which has none.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};

/// The four lists the connector imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Customer,
    Contact,
    Asset,
    Lead,
}

impl Entity {
    /// The key of the list in the envelope, also the prefix of fault keys ("assets/7").
    pub fn key(self) -> &'static str {
        match self {
            Entity::Customer => "customers",
            Entity::Contact => "contacts",
            Entity::Asset => "assets",
            Entity::Lead => "leads",
        }
    }

    /// The path segment under `/api/v1` (assets live at `customer_assets`).
    pub fn from_path(path: &str) -> Option<Entity> {
        Some(match path {
            "customers" => Entity::Customer,
            "contacts" => Entity::Contact,
            "customer_assets" => Entity::Asset,
            "leads" => Entity::Lead,
            _ => return None,
        })
    }

    /// The highest id of this list for `customers` customers and `leads` leads.
    pub fn max_id(self, customers: u64, leads: u64) -> u64 {
        match self {
            Entity::Customer => customers,
            Entity::Contact => customers * 2 + 1,
            Entity::Asset => customers * 3 + 1,
            Entity::Lead => leads,
        }
    }

    /// The customer a record belongs to; `None` for the orphans and every third lead.
    pub fn customer_of(self, id: u64, customers: u64) -> Option<u64> {
        let c = match self {
            Entity::Customer => id,
            Entity::Contact => id.div_ceil(2),
            Entity::Asset => id.div_ceil(3),
            Entity::Lead if id.is_multiple_of(3) || customers == 0 => return None,
            Entity::Lead => (id - 1) % customers + 1,
        };
        (c <= customers).then_some(c)
    }

    /// Whether the generated data has this record (deletions are the fake's overlay).
    pub fn generated(self, id: u64, customers: u64, leads: u64) -> bool {
        if id == 0 || id > self.max_id(customers, leads) {
            return false;
        }
        let Some(c) = self.customer_of(id, customers) else {
            return true;
        };
        match self {
            Entity::Contact => !(c.is_multiple_of(10) || c % 10 == 5),
            Entity::Asset => !c.is_multiple_of(10) && (c % 10 != 5 || asset_kind(id) == 2),
            Entity::Customer | Entity::Lead => true,
        }
    }
}

/// 0, 1 or 2: the position of an asset among its customer's three (2 has no serial).
fn asset_kind(id: u64) -> u64 {
    (id - 1) % 3
}

fn stamp(id: u64) -> String {
    let t = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(id as i64);
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A customer as `GET /customers` lists it (SY-SPEC example keys).
pub fn customer(id: u64) -> Value {
    let (first, last) = (format!("Pat{id}"), format!("Lee{id}"));
    let fullname = format!("{first} {last}");
    // Every fourth customer is a person without a business name.
    let business = (!id.is_multiple_of(4)).then(|| format!("Business {id:04}"));
    let then_name = business.clone().unwrap_or_else(|| fullname.clone());
    let mut properties =
        json!({"Tier": if id.is_multiple_of(2) { "Gold" } else { "Silver" }, "Seats": id});
    if id % 5 == 1 {
        properties["Contract"] = json!({"start": "2026-01-01", "months": 12});
    }
    json!({
        "id": id, "firstname": first, "lastname": last, "fullname": fullname,
        "business_name": business, "business_then_name": then_name,
        "business_and_full_name": match &business { Some(b) => format!("{b} - {fullname}"), None => fullname.clone() },
        "email": format!("pat{id}@c{id}.example.com"), "phone": format!("555-01{:02}", id % 100), "mobile": null,
        "address": format!("{id} Main Street"), "address_2": null, "city": "Tampa", "state": "FL", "zip": "33602",
        "latitude": null, "longitude": null, "notes": null, "get_sms": false, "opt_out": false,
        "disabled": id.is_multiple_of(6), "no_email": false, "location_name": null, "location_id": null,
        "properties": properties, "pdf_url": null, "online_profile_url": format!("https://acme.syncromsp.com/my_profile/{id}"),
        "tax_rate_id": null, "notification_email": null, "invoice_cc_emails": null, "invoice_term_id": null,
        "referred_by": null, "ref_customer_id": null, "created_at": stamp(id), "updated_at": stamp(id),
        "contacts": [],
    })
}

pub fn contact(id: u64, customers: u64) -> Value {
    let c = Entity::Contact.customer_of(id, customers);
    json!({
        "id": id, "name": format!("Contact {id}"), "address1": format!("{id} Side Street"), "address2": null,
        "city": "Tampa", "state": "FL", "zip": "33602", "email": format!("contact{id}@example.com"),
        "phone": format!("555-02{:02}", id % 100), "mobile": null, "latitude": null, "longitude": null,
        "customer_id": c, "account_id": 1, "notes": null, "created_at": stamp(id), "updated_at": stamp(id),
        "vendor_id": null, "properties": {"Role": if id.is_multiple_of(2) { "Billing" } else { "Technical" }},
        "opt_out": false, "extension": null,
    })
}

pub fn asset(id: u64, customers: u64) -> Value {
    let c = Entity::Asset.customer_of(id, customers);
    let kind = asset_kind(id);
    let types = ["Desktop", "Laptop", "Router"];
    // Without a serial: missing, empty or white space, all three of which count as without.
    let serial = match (kind, c.unwrap_or(0) % 3) {
        (2, 0) => Value::Null,
        (2, 1) => json!(""),
        (2, _) => json!("   "),
        _ => json!(format!("SN{id:06}")),
    };
    let mut embedded = c.map(customer).unwrap_or(Value::Null);
    if let Some(map) = embedded.as_object_mut() {
        map.remove("contacts");
    }
    json!({
        "id": id, "name": format!("{}-{id}", types[kind as usize]), "customer_id": c, "contact_id": null,
        "created_at": stamp(id), "updated_at": stamp(id),
        "properties": {"OS": kind + 3, "Size": "Medium"}, "asset_type": types[kind as usize],
        "asset_serial": serial, "external_rmm_link": null, "customer": embedded, "rmm_links": [],
        "rmm_store": {"id": id, "asset_id": id, "account_id": 1, "triggers": {"bsod_triggered": "false"},
            "windows_updates": {}, "general": {}, "created_at": stamp(id), "updated_at": stamp(id)},
        "address": {"id": id, "name": "Office", "customer_id": c, "address_type_id": 2,
            "address1": format!("{id} Asset Road"), "address2": null, "city": "Tampa", "state": "FL", "zip": "33602",
            "latitude": null, "longitude": null, "created_at": stamp(id), "updated_at": stamp(id), "account_id": 1},
    })
}

/// Lead statuses as `GET /leads` documents them (`statuses` parameter).
const LEAD_STATUSES: [&str; 10] = [
    "New",
    "Lead",
    "First Contact",
    "Opportunity",
    "Prospect",
    "Waiting on Client",
    "In Negotiation",
    "Pending",
    "Won",
    "Lost",
];

pub fn lead(id: u64, customers: u64) -> Value {
    let c = Entity::Lead.customer_of(id, customers);
    json!({
        "id": id, "first_name": format!("Sam{id}"), "last_name": format!("Reed{id}"),
        "email": format!("lead{id}@example.com"), "phone": "", "mobile": "", "address": "", "city": "", "state": "",
        "zip": "", "ticket_subject": null, "ticket_description": null, "ticket_problem_type": null, "ticket_id": null,
        "customer_id": c, "contact_id": null, "mailbox_id": null, "mailbox_name": null,
        "business_then_name": c.map(|c| customer(c)["business_then_name"].clone()),
        "has_attachments": false, "message_read": false,
        "status": LEAD_STATUSES[(id as usize - 1) % LEAD_STATUSES.len()], "user_id": null, "location_id": null,
        "created_at": stamp(id), "updated_at": stamp(id),
    })
}

pub fn record(entity: Entity, id: u64, customers: u64) -> Value {
    match entity {
        Entity::Customer => customer(id),
        Entity::Contact => contact(id, customers),
        Entity::Asset => asset(id, customers),
        Entity::Lead => lead(id, customers),
    }
}

/// `GET /settings` (SY-SPEC example, with asset types filled in: their element shape is not
/// documented, so the fake uses `{id, name}`).
pub fn settings() -> Value {
    json!({
        "customers": {"required_fields": null, "customer_fields": [], "customer_field_answers": []},
        "assets": {"asset_types": [{"id": 1, "name": "Desktop"}, {"id": 2, "name": "Laptop"}, {"id": 3, "name": "Router"}],
            "asset_type_fields": [], "asset_type_field_answers": []},
        "locale": {"iso_code": "en", "currency_symbol": "$", "date_format": "mm-dd-yy", "time_format": "hh:mm tt",
            "time_zone": "America/Los_Angeles", "time_offset": "-08:00"},
        "ticket": {"ticket_types": [], "ticket_type_fields": [], "ticket_type_field_answers": [],
            "problem_types": ["Virus", "TuneUp", "Hardware", "Software", "Other"],
            "priorities": ["", "0 Urgent", "1 High", "2 Normal", "3 Low"]},
        "business_hours_enabled": false, "business_hours": [], "default_holiday_calendar": "USA", "msp_addon": null,
    })
}

/// `GET /tickets/settings` (SY-SPEC example).
pub fn ticket_settings() -> Value {
    json!({
        "ticket_status_list": ["New", "In Progress", "Resolved", "Invoiced", "Waiting for Parts",
            "Waiting on Customer", "Scheduled", "Customer Reply"],
        "default_labor_product_id": null, "ticket_timer_charge_by_default": null, "saved_searches": [],
        "ticket_types": [], "ticket_type_fields": [], "ticket_type_field_answers": [], "appointment_types": [],
        "users": [{"id": 1, "name": "Joe Tech"}], "dashboard_settings": null, "worksheet_templates": [],
    })
}
