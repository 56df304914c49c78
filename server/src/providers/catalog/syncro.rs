//! Syncro in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Boolean, Datetime, Email, Number, Phone, Text};

// REST v1 (API-NOTES §2.4; syncro.openapi.json response examples), snake_case JSON.

pub(super) const SY_CUSTOMER_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("business_then_name", "Business then name", Text),
    f("business_name", "Business name", Text),
    f("business_and_full_name", "Business and full name", Text),
    f("firstname", "First name", Text),
    f("lastname", "Last name", Text),
    f("fullname", "Full name", Text),
    f("email", "Email", Email),
    f("phone", "Phone", Phone),
    f("mobile", "Mobile", Phone),
    f("address", "Address", Text),
    f("address_2", "Address line 2", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("zip", "ZIP / postal code", Text),
    f("notes", "Notes", Text),
    f("disabled", "Disabled", Boolean),
    f("no_email", "No email", Boolean),
    f("opt_out", "Opted out", Boolean),
    f("get_sms", "Gets SMS", Boolean),
    f("location_id", "Location ID", Number),
    f("location_name", "Location", Text),
    f("referred_by", "Referred by", Text),
    f("ref_customer_id", "Referring customer ID", Number),
    f("tax_rate_id", "Tax rate ID", Number),
    f("invoice_term_id", "Invoice term ID", Number),
    f("notification_email", "Notification email", Email),
    f("created_at", "Created", Datetime),
    f("updated_at", "Updated", Datetime),
];

pub(super) const SY_CONTACT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("customer_id", "Customer ID", Number),
    f("email", "Email", Email),
    f("phone", "Phone", Phone),
    f("mobile", "Mobile", Phone),
    f("extension", "Extension", Text),
    f("address1", "Address line 1", Text),
    f("address2", "Address line 2", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("zip", "ZIP / postal code", Text),
    f("notes", "Notes", Text),
    f("opt_out", "Opted out", Boolean),
    f("vendor_id", "Vendor ID", Number),
    f("created_at", "Created", Datetime),
    f("updated_at", "Updated", Datetime),
];

pub(super) const SY_ASSET_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("customer_id", "Customer ID", Number),
    f("contact_id", "Contact ID", Number),
    f("customer.business_then_name", "Customer", Text),
    f("asset_type", "Asset type", Text),
    f("asset_serial", "Serial number", Text),
    f("external_rmm_link", "External RMM link", Text),
    f("snmp_enabled", "SNMP enabled", Boolean),
    f("address.name", "Address name", Text),
    f("address.address1", "Address line 1", Text),
    f("address.address2", "Address line 2", Text),
    f("address.city", "City", Text),
    f("address.state", "State", Text),
    f("address.zip", "ZIP / postal code", Text),
    f("created_at", "Created", Datetime),
    f("updated_at", "Updated", Datetime),
];

pub(super) const SY_LEAD_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("first_name", "First name", Text),
    f("last_name", "Last name", Text),
    f("business_then_name", "Business then name", Text),
    f("email", "Email", Email),
    f("phone", "Phone", Phone),
    f("mobile", "Mobile", Phone),
    f("address", "Address", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("zip", "ZIP / postal code", Text),
    f("status", "Status", Text),
    f("customer_id", "Customer ID", Number),
    f("contact_id", "Contact ID", Number),
    f("ticket_id", "Ticket ID", Number),
    f("ticket_subject", "Ticket subject", Text),
    f("ticket_problem_type", "Ticket problem type", Text),
    f("user_id", "User ID", Number),
    f("location_id", "Location ID", Number),
    f("mailbox_name", "Mailbox", Text),
    f("created_at", "Created", Datetime),
    f("updated_at", "Updated", Datetime),
];

pub(super) const SY_CREDENTIALS: &[CredentialSpec] = &[c("apiToken", "API token", true, true)];

pub(super) const SY_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Customer",
        parent_types: &[],
        fields: SY_CUSTOMER_FIELDS,
    },
    NodeTypeSpec {
        name: "Contact",
        parent_types: &["Customer"],
        fields: SY_CONTACT_FIELDS,
    },
    NodeTypeSpec {
        name: "Asset",
        parent_types: &["Customer"],
        fields: SY_ASSET_FIELDS,
    },
    NodeTypeSpec {
        name: "Lead",
        parent_types: &["Customer"],
        fields: SY_LEAD_FIELDS,
    },
];
