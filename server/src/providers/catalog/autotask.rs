//! Autotask in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Boolean, Datetime, Email, Number, Phone, Text};

// REST v1.0 models (API-NOTES §3.6; autotask.swagger.json `CompanyModel`,
// `CompanyLocationModel`, `ContactModel`, `ConfigurationItemModel`). Picklists are integers.

pub(super) const AT_COMPANY_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("companyName", "Company name", Text),
    f("companyNumber", "Company number", Text),
    f("companyType", "Company type", Number),
    f("classification", "Classification", Number),
    f("companyCategoryID", "Company category ID", Number),
    f("isActive", "Active", Boolean),
    f("parentCompanyID", "Parent company ID", Number),
    f("ownerResourceID", "Owner resource ID", Number),
    f("phone", "Phone", Phone),
    f("alternatePhone1", "Alternate phone 1", Phone),
    f("alternatePhone2", "Alternate phone 2", Phone),
    f("fax", "Fax", Phone),
    f("webAddress", "Web address", Text),
    f("address1", "Address line 1", Text),
    f("address2", "Address line 2", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("postalCode", "Postal code", Text),
    f("countryID", "Country ID", Number),
    f("territoryID", "Territory ID", Number),
    f("marketSegmentID", "Market segment ID", Number),
    f("taxID", "Tax ID", Text),
    f("isTaxExempt", "Tax exempt", Boolean),
    f("createDate", "Created", Datetime),
    f("lastActivityDate", "Last activity", Datetime),
    f("lastTrackedModifiedDateTime", "Last modified", Datetime),
];

pub(super) const AT_LOCATION_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("companyID", "Company ID", Number),
    f("name", "Name", Text),
    f("description", "Description", Text),
    f("isPrimary", "Primary", Boolean),
    f("isActive", "Active", Boolean),
    f("address1", "Address line 1", Text),
    f("address2", "Address line 2", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("postalCode", "Postal code", Text),
    f("countryID", "Country ID", Number),
    f("phone", "Phone", Phone),
    f("alternatePhone1", "Alternate phone 1", Phone),
    f("alternatePhone2", "Alternate phone 2", Phone),
    f("fax", "Fax", Phone),
    f("isTaxExempt", "Tax exempt", Boolean),
    f("taxRegionID", "Tax region ID", Number),
];

pub(super) const AT_CONTACT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("companyID", "Company ID", Number),
    f("companyLocationID", "Company location ID", Number),
    f("firstName", "First name", Text),
    f("middleInitial", "Middle initial", Text),
    f("lastName", "Last name", Text),
    f("title", "Title", Text),
    f("emailAddress", "Email address", Email),
    f("emailAddress2", "Email address 2", Email),
    f("emailAddress3", "Email address 3", Email),
    f("phone", "Phone", Phone),
    f("extension", "Extension", Text),
    f("mobilePhone", "Mobile phone", Phone),
    f("alternatePhone", "Alternate phone", Phone),
    f("faxNumber", "Fax number", Phone),
    f("isActive", "Active (1/0)", Number),
    f("primaryContact", "Primary contact", Boolean),
    f("billingContact", "Billing contact", Boolean),
    f("externalID", "External ID", Text),
    f("addressLine", "Address line", Text),
    f("addressLine1", "Address line 1", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("zipCode", "ZIP / postal code", Text),
    f("countryID", "Country ID", Number),
    f("roomNumber", "Room number", Text),
    f("createDate", "Created", Datetime),
    f("lastActivityDate", "Last activity", Datetime),
    f("lastModifiedDate", "Last modified", Datetime),
];

pub(super) const AT_CONFIGURATION_ITEM_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("referenceTitle", "Reference title", Text),
    f("referenceNumber", "Reference number", Text),
    f("serialNumber", "Serial number", Text),
    f("companyID", "Company ID", Number),
    f("companyLocationID", "Company location ID", Number),
    f("contactID", "Contact ID", Number),
    f("productID", "Product ID", Number),
    f("configurationItemType", "Configuration item type", Number),
    f(
        "configurationItemCategoryID",
        "Configuration item category ID",
        Number,
    ),
    f("isActive", "Active", Boolean),
    f("installDate", "Install date", Datetime),
    f(
        "warrantyExpirationDate",
        "Warranty expiration date",
        Datetime,
    ),
    f(
        "parentConfigurationItemID",
        "Parent configuration item ID",
        Number,
    ),
    f("contractID", "Contract ID", Number),
    f("serviceID", "Service ID", Number),
    f("serviceBundleID", "Service bundle ID", Number),
    f(
        "serviceLevelAgreementID",
        "Service level agreement ID",
        Number,
    ),
    f("numberOfUsers", "Number of users", Number),
    f("location", "Location", Text),
    f("notes", "Notes", Text),
    f("rmmDeviceAuditHostname", "Hostname", Text),
    f("rmmDeviceAuditIPAddress", "IP address", Text),
    f("rmmDeviceAuditMacAddress", "MAC address", Text),
    f("rmmDeviceAuditOperatingSystem", "Operating system", Text),
    f("rmmDeviceAuditLastUser", "Last user", Text),
    f("rmmDeviceUID", "RMM device UID", Text),
    f("createDate", "Created", Datetime),
    f("lastModifiedTime", "Last modified", Datetime),
];

pub(super) const AT_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "API username", false, true),
    c("secret", "Secret", true, true),
    c(
        "integrationCode",
        "API integration code (tracking identifier)",
        false,
        true,
    ),
];

pub(super) const AT_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Company",
        parent_types: &[],
        fields: AT_COMPANY_FIELDS,
    },
    NodeTypeSpec {
        name: "Location",
        parent_types: &["Company"],
        fields: AT_LOCATION_FIELDS,
    },
    NodeTypeSpec {
        name: "Contact",
        parent_types: &["Company"],
        fields: AT_CONTACT_FIELDS,
    },
    NodeTypeSpec {
        name: "ConfigurationItem",
        parent_types: &["Company"],
        fields: AT_CONFIGURATION_ITEM_FIELDS,
    },
];
