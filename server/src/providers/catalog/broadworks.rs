//! BroadWorks (OCI-P tables) in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::{c, f};
use crate::providers::{CredentialSpec, FieldSpec, NodeTypeSpec};
use entity::enums::FieldDataType::{Boolean, Email, Phone, Text};

// OCI-P tables (API-NOTES §6.4): values are strings, `true`/`false` become booleans.

/// `serviceProviderTable` of `ServiceProviderGetListRequest` (Enterprise and Service Provider).
pub(super) const BW_SERVICE_PROVIDER_FIELDS: &[FieldSpec] = &[
    f("serviceProviderId", "Service provider ID", Text),
    f("serviceProviderName", "Service provider name", Text),
    f("isEnterprise", "Is enterprise", Boolean),
    f("resellerId", "Reseller ID", Text),
];

/// `groupTable` of `GroupGetListInServiceProviderRequest`.
pub(super) const BW_GROUP_FIELDS: &[FieldSpec] = &[
    f("groupId", "Group ID", Text),
    f("groupName", "Group name", Text),
    f("userLimit", "User limit", Text),
];

/// `userTable` of `UserGetListInGroupRequest`.
pub(super) const BW_USER_FIELDS: &[FieldSpec] = &[
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
pub(super) const BW_HUNT_GROUP_FIELDS: &[FieldSpec] = &[
    f("serviceUserId", "Service user ID", Text),
    f("name", "Name", Text),
    f("phoneNumber", "Phone number", Phone),
    f("extension", "Extension", Text),
    f("department", "Department", Text),
    f("isActive", "Is active", Boolean),
    f("policy", "Policy", Text),
];

pub(super) const BW_CREDENTIALS: &[CredentialSpec] = &[
    c("userId", "User ID", false, true),
    c("password", "Password", true, true),
];

pub(super) const BW_NODE_TYPES: &[NodeTypeSpec] = &[
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
