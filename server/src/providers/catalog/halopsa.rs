//! HaloPSA in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Boolean, Datetime, Email, Json, Number, Phone, Text};

// API v2 models (API-NOTES §4.4; halopsa.openapi.json `Area`, `Site`, `Users`, `Device`).

pub(super) const HA_CLIENT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("toplevel_id", "Top level ID", Number),
    f("toplevel_name", "Top level", Text),
    f("inactive", "Inactive", Boolean),
    f("website", "Website", Text),
    f("domain", "Domain", Text),
    f("main_site_id", "Main site ID", Number),
    f("main_site_name", "Main site", Text),
    f("main_contact_name", "Main contact", Text),
    f("main_phonenumber", "Main phone number", Phone),
    f("accountsemailaddress", "Accounts email address", Email),
    f("accountsid", "Accounts ID", Text),
    f("customertype", "Customer type", Number),
    f("client_to_invoice", "Client to invoice ID", Number),
    f("client_to_invoice_name", "Client to invoice", Text),
    f("trading_name", "Trading name", Text),
    f("tax_number", "Tax number", Text),
    f("is_vip", "VIP", Boolean),
    f("notes", "Notes", Text),
    f("datecreated", "Created", Datetime),
    f("alastupdate", "Last updated", Datetime),
];

pub(super) const HA_SITE_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("client_id", "Client ID", Number),
    f("client_name", "Client", Text),
    f("clientsite_name", "Client and site", Text),
    f("inactive", "Inactive", Boolean),
    f("phonenumber", "Phone number", Phone),
    f("delivery_address.line1", "Delivery address line 1", Text),
    f("delivery_address.line2", "Delivery address line 2", Text),
    f("delivery_address.line3", "Delivery address line 3", Text),
    f("delivery_address.line4", "Delivery address line 4", Text),
    f("delivery_address.postcode", "Delivery postcode", Text),
    f("isinvoicesite", "Invoice site", Boolean),
    f("isstocklocation", "Stock location", Boolean),
    f("timezone", "Time zone", Text),
    f("sla_id", "SLA ID", Number),
    f("maincontact_name", "Main contact", Text),
    f("emaildomain", "Email domain", Text),
    f("guid", "GUID", Text),
    f("notes", "Notes", Text),
    f("datecreated", "Created", Datetime),
    f("slastupdate", "Last updated", Datetime),
];

pub(super) const HA_USER_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("firstname", "First name", Text),
    f("surname", "Surname", Text),
    f("title", "Title", Text),
    f("client_id", "Client ID", Number),
    f("client_name", "Client", Text),
    f("site_id", "Site ID", Number),
    f("site_name", "Site", Text),
    f("emailaddress", "Email address", Email),
    f("phonenumber", "Phone number", Phone),
    f("phonenumber_preferred", "Preferred phone number", Phone),
    f("mobilenumber", "Mobile number", Phone),
    f("sitephonenumber", "Site phone number", Phone),
    f("department", "Department", Text),
    f("login", "Login", Text),
    f("inactive", "Inactive", Boolean),
    f("isimportantcontact", "Important contact", Boolean),
    f("ismaincontact", "Main contact", Boolean),
    f("isserviceaccount", "Service account", Boolean),
    f("azureoid", "Azure object ID", Text),
    f("notes", "Notes", Text),
    f("lastlogindate", "Last login", Datetime),
    f("datecreated", "Created", Datetime),
    f("ulastupdate", "Last updated", Datetime),
];

pub(super) const HA_ASSET_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("inventory_number", "Inventory number", Text),
    f("key_field", "Key field", Text),
    f("key_field2", "Key field 2", Text),
    f("key_field3", "Key field 3", Text),
    f("client_id", "Client ID", Number),
    f("client_name", "Client", Text),
    f("site_id", "Site ID", Number),
    f("site_name", "Site", Text),
    f("assettype_id", "Asset type ID", Number),
    f("assettype_name", "Asset type", Text),
    f("status_id", "Status ID", Number),
    f("status_name", "Status", Text),
    f("inactive", "Inactive", Boolean),
    f("is_primary_asset", "Primary asset", Boolean),
    f("supplier_name", "Supplier", Text),
    f("supplier_purchasedate", "Purchase date", Datetime),
    f("warranty_start", "Warranty start", Datetime),
    f("warranty_end", "Warranty end", Datetime),
    f("contract_id", "Contract ID", Number),
    f("contract_ref", "Contract reference", Text),
    f("phone_number", "Phone number", Phone),
    f("guid", "GUID", Text),
    f("notes", "Notes", Text),
    f("users", "Users", Json),
    f("fields", "Asset fields", Json),
    f("dlastupdate", "Last updated", Datetime),
    f("last_modified", "Last modified", Datetime),
];

pub(super) const HA_CREDENTIALS: &[CredentialSpec] = &[
    c("clientId", "Client ID", false, true),
    c("clientSecret", "Client secret", true, true),
    c("tenant", "Tenant", false, false),
];

pub(super) const HA_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Client",
        parent_types: &[],
        fields: HA_CLIENT_FIELDS,
    },
    NodeTypeSpec {
        name: "Site",
        parent_types: &["Client"],
        fields: HA_SITE_FIELDS,
    },
    NodeTypeSpec {
        name: "User",
        parent_types: &["Site"],
        fields: HA_USER_FIELDS,
    },
    NodeTypeSpec {
        name: "Asset",
        parent_types: &["Site"],
        fields: HA_ASSET_FIELDS,
    },
];
