//! Kaseya BMS in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Boolean, Datetime, Email, Json, Number, Phone, Text};

// REST v2 DTOs (API-NOTES §9.5; kaseya-bms.openapi.json `AccountSummaryOutputDto`,
// `AccountLocationLookupOutputDto` / `AccountLocationOutputDto`, `ContactsSummaryOutputDto`,
// `HardwareAssetOutputDto`), camelCase on the wire.

pub(super) const KB_ACCOUNT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("accountName", "Account name", Text),
    f("accountCode", "Account code", Text),
    f("parentId", "Parent account ID", Number),
    f("accountTypeId", "Account type ID", Number),
    f("accountType", "Account type", Text),
    f("businessTypeId", "Business type ID", Number),
    f("businessType", "Business type", Text),
    f("serviceTypeId", "Service type ID", Number),
    f("serviceType", "Service type", Text),
    f("accountManagerId", "Account manager ID", Number),
    f("accountManagerUserName", "Account manager", Text),
    f("currencyName", "Currency", Text),
    f("className", "Class", Text),
    f("website", "Website", Text),
    f("description", "Description", Text),
    f("isActive", "Active", Boolean),
    f("isBilling", "Billing", Boolean),
    f("acquiredDate", "Acquired date", Datetime),
    f("tenantName", "Tenant", Text),
    f("createdOn", "Created", Datetime),
    f("modifiedOn", "Modified", Datetime),
];

pub(super) const KB_LOCATION_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("locationName", "Location name", Text),
    f("accountId", "Account ID", Number),
    f("isMain", "Main location", Boolean),
    f("isActive", "Active", Boolean),
    f("timeZoneId", "Time zone ID", Number),
    f("addresses", "Addresses", Json),
    f("createdOn", "Created", Datetime),
    f("modifiedOn", "Modified", Datetime),
];

pub(super) const KB_CONTACT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("firstName", "First name", Text),
    f("lastName", "Last name", Text),
    f("jobTitle", "Job title", Text),
    f("accountId", "Account ID", Number),
    f("accountName", "Account", Text),
    f("locationId", "Location ID", Number),
    f("locationName", "Location", Text),
    f("isPoc", "Point of contact", Boolean),
    f("isActive", "Active", Boolean),
    f("isBillable", "Billable", Boolean),
    f("canRecieveInvoices", "Receives invoices", Boolean),
    f("effectiveDate", "Effective date", Datetime),
    f("emails", "Emails", Json),
    f("phones", "Phones", Json),
    f("createdOn", "Created", Datetime),
    f("modifiedOn", "Modified", Datetime),
];

pub(super) const KB_ASSET_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("accountId", "Account ID", Number),
    f("accountName", "Account", Text),
    f("accountLocationId", "Location ID", Number),
    f("accountLocation", "Location", Text),
    f("contactId", "Contact ID", Number),
    f("contactFirstName", "Contact first name", Text),
    f("contactLastName", "Contact last name", Text),
    f("contactEmailAddress", "Contact email", Email),
    f("contactPhoneNumber", "Contact phone", Phone),
    f("categoryId", "Category ID", Number),
    f("category", "Category", Text),
    f("serialNumber", "Serial number", Text),
    f("assetTag", "Asset tag", Text),
    f("manufacturer", "Manufacturer", Text),
    f("modelNumber", "Model number", Text),
    f("vendor", "Vendor", Text),
    f("state", "State", Text),
    f("isActive", "Active", Boolean),
    f("ipAddress", "IP address", Text),
    f("macAddress", "MAC address", Text),
    f("osInfo", "OS info", Text),
    f("purchaseCost", "Purchase cost", Number),
    f("acquisitionDate", "Acquisition date", Datetime),
    f(
        "warrantyExpirationDate",
        "Warranty expiration date",
        Datetime,
    ),
    f("expirationDate", "Expiration date", Datetime),
    f("lastCheckIn", "Last check-in", Datetime),
    f("createdOn", "Created", Datetime),
    f("modifiedOn", "Modified", Datetime),
];

pub(super) const KB_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "Username", false, true),
    c("password", "Password", true, true),
    c("tenant", "Tenant (company name)", false, true),
];

pub(super) const KB_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Account",
        parent_types: &[],
        fields: KB_ACCOUNT_FIELDS,
    },
    NodeTypeSpec {
        name: "Location",
        parent_types: &["Account"],
        fields: KB_LOCATION_FIELDS,
    },
    NodeTypeSpec {
        name: "Contact",
        parent_types: &["Location", "Account"],
        fields: KB_CONTACT_FIELDS,
    },
    NodeTypeSpec {
        name: "Asset",
        parent_types: &["Location", "Account"],
        fields: KB_ASSET_FIELDS,
    },
];
