//! NetSapiens (ns-api v2) in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Datetime, Email, Enum, Number, Phone, Text};

// v2 REST, kebab-case JSON (API-NOTES §5.1; netsapiens-v2.openapi.json schemas `Reseller`,
// `Domain`, `Site`, `User`, `Device`, `CallQueue`). "yes"/"no" strings and other enumerated
// strings are Enum.

pub(super) const NS_RESELLER_FIELDS: &[FieldSpec] = &[
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

pub(super) const NS_DOMAIN_FIELDS: &[FieldSpec] = &[
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

pub(super) const NS_SITE_FIELDS: &[FieldSpec] = &[
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

pub(super) const NS_USER_FIELDS: &[FieldSpec] = &[
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

pub(super) const NS_DEVICE_FIELDS: &[FieldSpec] = &[
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

pub(super) const NS_CALL_QUEUE_FIELDS: &[FieldSpec] = &[
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
pub(super) const NS_CREDENTIALS: &[CredentialSpec] = &[
    c("apiKey", "API key", true, false),
    c("clientId", "Client ID", false, false),
    c("clientSecret", "Client secret", true, false),
    c("username", "Username", false, false),
    c("password", "Password", true, false),
];

pub(super) const NS_NODE_TYPES: &[NodeTypeSpec] = &[
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
