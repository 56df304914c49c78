//! The static provider catalog: for each of the eight providers its label, base URL hint,
//! credential keys, node types (root first, with their parent types) and the field keys a
//! person can map, with their data types.
//!
//! Where it comes from: names, credential keys, node types, parents and the field-key rules are
//! those of ../shared/api/PROVIDERS.md (normative). The field keys themselves are the records'
//! own names as ../shared/upstream/API-NOTES.md and the vendored OpenAPI files in
//! ../shared/upstream/specs/ give them (JSON providers: nested objects flattened with a dot,
//! lists kept as JSON, `_info` reduced to `_info.lastUpdated`; BroadWorks: the OCI table column
//! headings in lowerCamelCase). Custom-field keys (`customFields.*`, `properties.*`,
//! `userDefinedFields.*`, `customfields.*`) are never listed here: a source adds the ones it has
//! seen. Metaswitch has no public record schema, so its node types carry no static fields.

use super::{CredentialSpec, FieldSpec, NodeTypeSpec, ProviderSpec};
use entity::enums::FieldDataType::{Boolean, Datetime, Email, Enum, Json, Number, Phone, Text};
use entity::enums::{FieldDataType, Provider};

/// One field of a node type.
const fn f(key: &'static str, label: &'static str, data_type: FieldDataType) -> FieldSpec {
    FieldSpec {
        key,
        label,
        data_type,
    }
}

/// One credential key.
const fn c(key: &'static str, label: &'static str, secret: bool, required: bool) -> CredentialSpec {
    CredentialSpec {
        key,
        label,
        secret,
        required,
    }
}

// ------------------------------------------------------------------------------- BroadWorks
// OCI-P tables (API-NOTES §6.4): values are strings, `true`/`false` become booleans.

/// `serviceProviderTable` of `ServiceProviderGetListRequest` (Enterprise and Service Provider).
const BW_SERVICE_PROVIDER_FIELDS: &[FieldSpec] = &[
    f("serviceProviderId", "Service provider ID", Text),
    f("serviceProviderName", "Service provider name", Text),
    f("isEnterprise", "Is enterprise", Boolean),
    f("resellerId", "Reseller ID", Text),
];

/// `groupTable` of `GroupGetListInServiceProviderRequest`.
const BW_GROUP_FIELDS: &[FieldSpec] = &[
    f("groupId", "Group ID", Text),
    f("groupName", "Group name", Text),
    f("userLimit", "User limit", Text),
];

/// `userTable` of `UserGetListInGroupRequest`.
const BW_USER_FIELDS: &[FieldSpec] = &[
    f("userId", "User ID", Text),
    f("lastName", "Last name", Text),
    f("firstName", "First name", Text),
    f("department", "Department", Text),
    f("phoneNumber", "Phone number", Phone),
    f("phoneNumberActivated", "Phone number activated", Boolean),
    f("emailAddress", "Email address", Email),
    f("hiraganaLastName", "Hiragana last name", Text),
    f("hiraganaFirstName", "Hiragana first name", Text),
    f("inTrunkGroup", "In trunk group", Boolean),
    f("extension", "Extension", Text),
    f("countryCode", "Country code", Text),
    f("nationalPrefix", "National prefix", Text),
];

/// `huntGroupTable` of `GroupHuntGroupGetInstanceListRequest`.
const BW_HUNT_GROUP_FIELDS: &[FieldSpec] = &[
    f("serviceUserId", "Service user ID", Text),
    f("name", "Name", Text),
    f("phoneNumber", "Phone number", Phone),
    f("extension", "Extension", Text),
    f("department", "Department", Text),
    f("isActive", "Is active", Boolean),
    f("policy", "Policy", Text),
];

const BW_CREDENTIALS: &[CredentialSpec] = &[
    c("userId", "User ID", false, true),
    c("password", "Password", true, true),
];

const BW_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Enterprise",
        parent_types: &[],
        fields: BW_SERVICE_PROVIDER_FIELDS,
    },
    NodeTypeSpec {
        name: "Service Provider",
        parent_types: &[],
        fields: BW_SERVICE_PROVIDER_FIELDS,
    },
    NodeTypeSpec {
        name: "Group",
        parent_types: &["Enterprise", "Service Provider"],
        fields: BW_GROUP_FIELDS,
    },
    NodeTypeSpec {
        name: "User",
        parent_types: &["Group"],
        fields: BW_USER_FIELDS,
    },
    NodeTypeSpec {
        name: "Hunt Group",
        parent_types: &["Group"],
        fields: BW_HUNT_GROUP_FIELDS,
    },
];

// ------------------------------------------------------------------------------- Metaswitch
// No public schema exists (API-NOTES §7: "THIN", service indications only), so no field keys
// are listed; a source shows what its records carry.

const MS_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "Username", false, true),
    c("password", "Password", true, true),
];

const MS_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Business Group",
        parent_types: &[],
        fields: &[],
    },
    NodeTypeSpec {
        name: "Subscriber",
        parent_types: &["Business Group"],
        fields: &[],
    },
    NodeTypeSpec {
        name: "MLHG",
        parent_types: &["Business Group"],
        fields: &[],
    },
    NodeTypeSpec {
        name: "Number Block",
        parent_types: &["Business Group"],
        fields: &[],
    },
];

// ------------------------------------------------------------------------------- NetSapiens
// v2 REST, kebab-case JSON (API-NOTES §5.1; netsapiens-v2.openapi.json schemas `Reseller`,
// `Domain`, `Site`, `User`, `Device`, `CallQueue`). "yes"/"no" strings and other enumerated
// strings are Enum.

const NS_RESELLER_FIELDS: &[FieldSpec] = &[
    f("reseller", "Reseller", Text),
    f("description", "Description", Text),
    f("domains-total", "Domains", Number),
    f("users-total", "Users", Number),
    f(
        "active-calls-against-license-count",
        "Active calls against license",
        Number,
    ),
    f(
        "active-calls-offnet-current",
        "Active off-net calls",
        Number,
    ),
];

const NS_DOMAIN_FIELDS: &[FieldSpec] = &[
    f("domain", "Domain", Text),
    f("reseller", "Reseller", Text),
    f("description", "Description", Text),
    f("domain-type", "Domain type", Text),
    f("dial-plan", "Dial plan", Text),
    f("dial-policy", "Dial policy", Text),
    f("time-zone", "Time zone", Enum),
    f("area-code", "Area code", Number),
    f("caller-id-name", "Caller ID name", Text),
    f("caller-id-number", "Caller ID number", Phone),
    f(
        "caller-id-number-emergency",
        "Emergency caller ID number",
        Phone,
    ),
    f("email-send-from-address", "Email from address", Email),
    f("emergency-address-id", "Emergency address ID", Text),
    f("language-token", "Language", Text),
    f("limits-max-users", "Max users", Number),
    f("limits-max-sites", "Max sites", Number),
    f("limits-max-call-queues", "Max call queues", Number),
    f("limits-max-auto-attendants", "Max auto attendants", Number),
    f("limits-max-conferences", "Max conferences", Number),
    f("limits-max-departments", "Max departments", Number),
    f("limits-max-fax-accounts", "Max fax accounts", Number),
    f("limits-max-active-calls-total", "Max active calls", Number),
    f(
        "limits-max-active-calls-offnet",
        "Max active off-net calls",
        Number,
    ),
    f("active-calls-total-current", "Active calls", Number),
    f(
        "count-subcriber-resources-total",
        "Subscriber resources",
        Number,
    ),
    f("voicemail-enabled", "Voicemail enabled", Enum),
    f(
        "voicemail-transcription-enabled",
        "Voicemail transcription",
        Text,
    ),
    f("single-sign-on-enabled", "Single sign-on enabled", Enum),
    f("is-stir-enabled", "STIR enabled", Enum),
    f("is-domain-locked", "Domain locked", Enum),
];

const NS_SITE_FIELDS: &[FieldSpec] = &[
    f("site", "Site", Text),
    f("login-username", "Login username", Text),
    f("email", "Email", Email),
    f("time-zone", "Time zone", Enum),
    f("dial-plan", "Dial plan", Text),
    f("dial-policy", "Dial policy", Text),
    f("area-code", "Area code", Number),
    f("caller-id-name", "Caller ID name", Text),
    f("caller-id-number", "Caller ID number", Phone),
    f(
        "caller-id-number-emergency",
        "Emergency caller ID number",
        Phone,
    ),
    f("emergency-address-id", "Emergency address ID", Text),
    f("language-token", "Language", Text),
    f("limits-max-active-calls-total", "Max active calls", Number),
    f("active-calls-total-current", "Active calls", Number),
    f("voicemail-enabled", "Voicemail enabled", Enum),
    f("created-datetime", "Created", Datetime),
    f("last-modified-datetime", "Last modified", Datetime),
];

const NS_USER_FIELDS: &[FieldSpec] = &[
    f("user", "User (extension)", Text),
    f("domain", "Domain", Text),
    f("name-first-name", "First name", Text),
    f("name-last-name", "Last name", Text),
    f("login-username", "Login username", Text),
    f("email", "Email", Email),
    f("user-scope", "User scope", Enum),
    f("department", "Department", Text),
    f("site", "Site", Text),
    f("time-zone", "Time zone", Enum),
    f("dial-plan", "Dial plan", Text),
    f("dial-policy", "Dial policy", Text),
    f("area-code", "Area code", Number),
    f("caller-id-name", "Caller ID name", Text),
    f("caller-id-number", "Caller ID number", Phone),
    f(
        "caller-id-number-emergency",
        "Emergency caller ID number",
        Phone,
    ),
    f("emergency-address-id", "Emergency address ID", Text),
    f("service-code", "Service code", Text),
    f("account-status", "Account status", Text),
    f("language-token", "Language", Text),
    f("limits-max-active-calls-total", "Max active calls", Number),
    f("voicemail-enabled", "Voicemail enabled", Enum),
    f(
        "voicemail-transcription-enabled",
        "Voicemail transcription",
        Text,
    ),
    f("created-datetime", "Created", Datetime),
    f("last-modified-datetime", "Last modified", Datetime),
];

const NS_DEVICE_FIELDS: &[FieldSpec] = &[
    f("device", "Device", Text),
    f("user", "User (extension)", Text),
    f("domain", "Domain", Text),
    f("name-full-name", "Full name", Text),
    f("login-username", "Login username", Text),
    f("device-models-model", "Model", Text),
    f("device-provisioning-mac-address", "MAC address", Text),
    f("device-provisioning-line", "Provisioning line", Number),
    f(
        "device-provisioning-sip-transport-protocol",
        "SIP transport protocol",
        Text,
    ),
    f(
        "device-sip-registration-state",
        "SIP registration state",
        Text,
    ),
    f("device-sip-registration-uri", "SIP registration URI", Text),
    f("device-sip-registration-user-agent", "SIP user agent", Text),
    f(
        "device-sip-registration-ip-address",
        "SIP registration IP address",
        Text,
    ),
    f(
        "device-sip-registration-core-server",
        "SIP registration core server",
        Text,
    ),
    f(
        "device-sip-registration-datetime",
        "SIP registered at",
        Datetime,
    ),
    f(
        "device-sip-registration-expires-datetime",
        "SIP registration expires",
        Datetime,
    ),
    f(
        "caller-id-number-emergency",
        "Emergency caller ID number",
        Phone,
    ),
    f("emergency-address-id", "Emergency address ID", Text),
    f("auto-answer-enabled", "Auto answer enabled", Enum),
];

const NS_CALL_QUEUE_FIELDS: &[FieldSpec] = &[
    f("callqueue", "Call queue", Text),
    f("domain", "Domain", Text),
    f("description", "Description", Text),
    f("callqueue-dispatch-type", "Dispatch type", Enum),
    f("callqueue-count-agents-total", "Agents", Number),
    f(
        "callqueue-count-agents-available",
        "Agents available",
        Number,
    ),
    f(
        "active-queued-calls-total-current",
        "Calls in queue",
        Number,
    ),
    f(
        "callqueue-agent-dispatch-timeout-seconds",
        "Agent dispatch timeout (seconds)",
        Number,
    ),
    f(
        "callqueue-max-wait-timeout-minutes",
        "Max wait (minutes)",
        Number,
    ),
    f(
        "callqueue-max-current-callers-to-accept-new-callers",
        "Max callers before refusing new callers",
        Number,
    ),
    f(
        "callqueue-require-available-agents-to-accept-new-callers",
        "Require available agents",
        Enum,
    ),
    f(
        "callqueue-calculate-statistics",
        "Calculate statistics",
        Enum,
    ),
    f("callqueue-sms-enable", "SMS enabled", Enum),
];

/// `apiKey`, or the four OAuth keys: either set works, so none is required on its own.
const NS_CREDENTIALS: &[CredentialSpec] = &[
    c("apiKey", "API key", true, false),
    c("clientId", "Client ID", false, false),
    c("clientSecret", "Client secret", true, false),
    c("username", "Username", false, false),
    c("password", "Password", true, false),
];

const NS_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Reseller",
        parent_types: &[],
        fields: NS_RESELLER_FIELDS,
    },
    NodeTypeSpec {
        name: "Domain",
        parent_types: &["Reseller"],
        fields: NS_DOMAIN_FIELDS,
    },
    NodeTypeSpec {
        name: "Site",
        parent_types: &["Domain"],
        fields: NS_SITE_FIELDS,
    },
    NodeTypeSpec {
        name: "User",
        parent_types: &["Site", "Domain"],
        fields: NS_USER_FIELDS,
    },
    NodeTypeSpec {
        name: "Device",
        parent_types: &["User"],
        fields: NS_DEVICE_FIELDS,
    },
    NodeTypeSpec {
        name: "Call Queue",
        parent_types: &["Domain"],
        fields: NS_CALL_QUEUE_FIELDS,
    },
];

// ----------------------------------------------------------------------- ConnectWise Manage
// REST 3.0 models (API-NOTES §1.7). References are flattened (`company.identifier`).

const CW_COMPANY_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("identifier", "Identifier", Text),
    f("name", "Name", Text),
    f("status.id", "Status ID", Number),
    f("status.name", "Status", Text),
    f("types", "Types", Json),
    f("addressLine1", "Address line 1", Text),
    f("addressLine2", "Address line 2", Text),
    f("city", "City", Text),
    f("state", "State", Text),
    f("zip", "ZIP / postal code", Text),
    f("country.name", "Country", Text),
    f("phoneNumber", "Phone number", Phone),
    f("faxNumber", "Fax number", Phone),
    f("website", "Website", Text),
    f("territory.name", "Territory", Text),
    f("accountNumber", "Account number", Text),
    f("defaultContact.id", "Default contact ID", Number),
    f("defaultContact.name", "Default contact", Text),
    f("parentCompany.id", "Parent company ID", Number),
    f(
        "parentCompany.identifier",
        "Parent company identifier",
        Text,
    ),
    f("parentCompany.name", "Parent company", Text),
    f(
        "billToCompany.identifier",
        "Bill-to company identifier",
        Text,
    ),
    f("billToCompany.name", "Bill-to company", Text),
    f("timeZoneSetup.name", "Time zone", Text),
    f("isVendorFlag", "Vendor", Boolean),
    f("leadFlag", "Lead", Boolean),
    f("deletedFlag", "Deleted", Boolean),
    f("dateDeleted", "Date deleted", Datetime),
    f("_info.lastUpdated", "Last updated", Datetime),
];

const CW_SITE_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("company.id", "Company ID", Number),
    f("company.identifier", "Company identifier", Text),
    f("company.name", "Company", Text),
    f("addressLine1", "Address line 1", Text),
    f("addressLine2", "Address line 2", Text),
    f("city", "City", Text),
    f("stateReference.identifier", "State code", Text),
    f("stateReference.name", "State", Text),
    f("zip", "ZIP / postal code", Text),
    f("country.name", "Country", Text),
    f("phoneNumber", "Phone number", Phone),
    f("phoneNumberExt", "Phone extension", Text),
    f("faxNumber", "Fax number", Phone),
    f("primaryAddressFlag", "Primary address", Boolean),
    f("defaultBillingFlag", "Default billing", Boolean),
    f("defaultShippingFlag", "Default shipping", Boolean),
    f("defaultMailingFlag", "Default mailing", Boolean),
    f("inactiveFlag", "Inactive", Boolean),
    f("timeZone.name", "Time zone", Text),
    f("_info.lastUpdated", "Last updated", Datetime),
];

const CW_CONTACT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("firstName", "First name", Text),
    f("lastName", "Last name", Text),
    f("email", "Email", Email),
    f("phone", "Phone", Phone),
    f("title", "Title", Text),
    f("company.id", "Company ID", Number),
    f("company.identifier", "Company identifier", Text),
    f("company.name", "Company", Text),
    f("site.id", "Site ID", Number),
    f("site.name", "Site", Text),
    f("department.name", "Department", Text),
    f("relationship.name", "Relationship", Text),
    f("companyLocation.name", "Company location", Text),
    f("defaultPhoneType", "Default phone type", Text),
    f("defaultPhoneNbr", "Default phone number", Phone),
    f("defaultPhoneExtension", "Default phone extension", Text),
    f("defaultFlag", "Default contact", Boolean),
    f("defaultBillingFlag", "Default billing contact", Boolean),
    f("inactiveFlag", "Inactive", Boolean),
    f("disablePortalLoginFlag", "Portal login disabled", Boolean),
    f("types", "Types", Json),
    f("communicationItems", "Communication items", Json),
    f("_info.lastUpdated", "Last updated", Datetime),
];

const CW_CONFIGURATION_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("type.id", "Type ID", Number),
    f("type.name", "Type", Text),
    f("status.id", "Status ID", Number),
    f("status.name", "Status", Text),
    f("company.id", "Company ID", Number),
    f("company.identifier", "Company identifier", Text),
    f("company.name", "Company", Text),
    f("site.id", "Site ID", Number),
    f("site.name", "Site", Text),
    f("contact.id", "Contact ID", Number),
    f("contact.name", "Contact", Text),
    f("deviceIdentifier", "Device identifier", Text),
    f("serialNumber", "Serial number", Text),
    f("modelNumber", "Model number", Text),
    f("tagNumber", "Tag number", Text),
    f("manufacturer.name", "Manufacturer", Text),
    f("vendor.name", "Vendor", Text),
    f("purchaseDate", "Purchase date", Datetime),
    f("installationDate", "Installation date", Datetime),
    f(
        "warrantyExpirationDate",
        "Warranty expiration date",
        Datetime,
    ),
    f("ipAddress", "IP address", Text),
    f("macAddress", "MAC address", Text),
    f("osType", "OS type", Text),
    f("osInfo", "OS info", Text),
    f("lastLoginName", "Last login name", Text),
    f("activeFlag", "Active", Boolean),
    f("billFlag", "Billable", Boolean),
    f("parentConfigurationId", "Parent configuration ID", Number),
    f("_info.lastUpdated", "Last updated", Datetime),
];

const CW_AGREEMENT_FIELDS: &[FieldSpec] = &[
    f("id", "ID", Number),
    f("name", "Name", Text),
    f("type.id", "Type ID", Number),
    f("type.name", "Type", Text),
    f("company.id", "Company ID", Number),
    f("company.identifier", "Company identifier", Text),
    f("company.name", "Company", Text),
    f("contact.id", "Contact ID", Number),
    f("contact.name", "Contact", Text),
    f("site.id", "Site ID", Number),
    f("site.name", "Site", Text),
    f("parentAgreement.id", "Parent agreement ID", Number),
    f("parentAgreement.name", "Parent agreement", Text),
    f("agreementStatus", "Agreement status", Text),
    f("startDate", "Start date", Datetime),
    f("endDate", "End date", Datetime),
    f("noEndingDateFlag", "No ending date", Boolean),
    f("cancelledFlag", "Cancelled", Boolean),
    f("dateCancelled", "Date cancelled", Datetime),
    f("billAmount", "Bill amount", Number),
    f("billingCycle.name", "Billing cycle", Text),
    f("sla.name", "SLA", Text),
    f("_info.lastUpdated", "Last updated", Datetime),
];

const CW_CREDENTIALS: &[CredentialSpec] = &[
    c("companyId", "Company ID", false, true),
    c("publicKey", "Public key", false, true),
    c("privateKey", "Private key", true, true),
    c("clientId", "Client ID", false, true),
];

const CW_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Company",
        parent_types: &[],
        fields: CW_COMPANY_FIELDS,
    },
    NodeTypeSpec {
        name: "Site",
        parent_types: &["Company"],
        fields: CW_SITE_FIELDS,
    },
    NodeTypeSpec {
        name: "Contact",
        parent_types: &["Site", "Company"],
        fields: CW_CONTACT_FIELDS,
    },
    NodeTypeSpec {
        name: "Configuration",
        parent_types: &["Site", "Company"],
        fields: CW_CONFIGURATION_FIELDS,
    },
    NodeTypeSpec {
        name: "Agreement",
        parent_types: &["Company"],
        fields: CW_AGREEMENT_FIELDS,
    },
];

// ---------------------------------------------------------------------------------- Syncro
// REST v1 (API-NOTES §2.4; syncro.openapi.json response examples), snake_case JSON.

const SY_CUSTOMER_FIELDS: &[FieldSpec] = &[
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

const SY_CONTACT_FIELDS: &[FieldSpec] = &[
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

const SY_ASSET_FIELDS: &[FieldSpec] = &[
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

const SY_LEAD_FIELDS: &[FieldSpec] = &[
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

const SY_CREDENTIALS: &[CredentialSpec] = &[c("apiToken", "API token", true, true)];

const SY_NODE_TYPES: &[NodeTypeSpec] = &[
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

// -------------------------------------------------------------------------------- Autotask
// REST v1.0 models (API-NOTES §3.6; autotask.swagger.json `CompanyModel`,
// `CompanyLocationModel`, `ContactModel`, `ConfigurationItemModel`). Picklists are integers.

const AT_COMPANY_FIELDS: &[FieldSpec] = &[
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

const AT_LOCATION_FIELDS: &[FieldSpec] = &[
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

const AT_CONTACT_FIELDS: &[FieldSpec] = &[
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

const AT_CONFIGURATION_ITEM_FIELDS: &[FieldSpec] = &[
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

const AT_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "API username", false, true),
    c("secret", "Secret", true, true),
    c(
        "integrationCode",
        "API integration code (tracking identifier)",
        false,
        true,
    ),
];

const AT_NODE_TYPES: &[NodeTypeSpec] = &[
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

// --------------------------------------------------------------------------------- HaloPSA
// API v2 models (API-NOTES §4.4; halopsa.openapi.json `Area`, `Site`, `Users`, `Device`).

const HA_CLIENT_FIELDS: &[FieldSpec] = &[
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

const HA_SITE_FIELDS: &[FieldSpec] = &[
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

const HA_USER_FIELDS: &[FieldSpec] = &[
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

const HA_ASSET_FIELDS: &[FieldSpec] = &[
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

const HA_CREDENTIALS: &[CredentialSpec] = &[
    c("clientId", "Client ID", false, true),
    c("clientSecret", "Client secret", true, true),
    c("tenant", "Tenant", false, false),
];

const HA_NODE_TYPES: &[NodeTypeSpec] = &[
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

// ------------------------------------------------------------------------------ Kaseya BMS
// REST v2 DTOs (API-NOTES §9.5; kaseya-bms.openapi.json `AccountSummaryOutputDto`,
// `AccountLocationLookupOutputDto` / `AccountLocationOutputDto`, `ContactsSummaryOutputDto`,
// `HardwareAssetOutputDto`), camelCase on the wire.

const KB_ACCOUNT_FIELDS: &[FieldSpec] = &[
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

const KB_LOCATION_FIELDS: &[FieldSpec] = &[
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

const KB_CONTACT_FIELDS: &[FieldSpec] = &[
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

const KB_ASSET_FIELDS: &[FieldSpec] = &[
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

const KB_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "Username", false, true),
    c("password", "Password", true, true),
    c("tenant", "Tenant (company name)", false, true),
];

const KB_NODE_TYPES: &[NodeTypeSpec] = &[
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

// --------------------------------------------------------------------------------- Catalog

/// Every provider, in the order of the `Provider` enum.
pub static CATALOG: &[ProviderSpec] = &[
    ProviderSpec {
        provider: Provider::Broadworks,
        label: "Cisco BroadWorks",
        base_url_hint: "https://<host>/webservice/services/ProvisioningService",
        credentials: BW_CREDENTIALS,
        node_types: BW_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::Metaswitch,
        label: "Metaswitch",
        base_url_hint: "the MetaView / ShadowConfig SOAP endpoint",
        credentials: MS_CREDENTIALS,
        node_types: MS_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::Netsapiens,
        label: "NetSapiens",
        base_url_hint: "https://<server>/ns-api/v2",
        credentials: NS_CREDENTIALS,
        node_types: NS_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::ConnectwiseManage,
        label: "ConnectWise Manage",
        base_url_hint: "https://<site>/v4_6_release/apis/3.0",
        credentials: CW_CREDENTIALS,
        node_types: CW_NODE_TYPES,
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Syncro,
        label: "Syncro",
        base_url_hint: "https://<subdomain>.syncromsp.com/api/v1",
        credentials: SY_CREDENTIALS,
        node_types: SY_NODE_TYPES,
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Autotask,
        label: "Autotask",
        base_url_hint: "https://webservicesN.autotask.net/ATServicesRest/V1.0",
        credentials: AT_CREDENTIALS,
        node_types: AT_NODE_TYPES,
        // Company/Contact/ConfigurationItem/Ticket webhooks (API-NOTES §3.8).
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Halopsa,
        label: "HaloPSA",
        base_url_hint: "https://<tenant>.halopsa.com",
        credentials: HA_CREDENTIALS,
        node_types: HA_NODE_TYPES,
        // Ticket webhooks (API-NOTES §4.7).
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::KaseyaBms,
        label: "Kaseya BMS",
        base_url_hint: "https://api.bms.kaseya.com",
        credentials: KB_CREDENTIALS,
        node_types: KB_NODE_TYPES,
        // Ticket-event webhooks (API-NOTES §9.7); accounts, contacts and assets are polled.
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
];
