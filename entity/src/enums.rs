//! Enumerations stored as lower-case strings (`varchar(32)`), one per enum in DATA-MODEL.md.
//!
//! Serde uses the same strings as the database.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The role of a user or an API token.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[sea_orm(string_value = "admin")]
    Admin,
    #[sea_orm(string_value = "operator")]
    Operator,
    #[sea_orm(string_value = "viewer")]
    Viewer,
}

/// The system a source connects to.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    #[sea_orm(string_value = "broadworks")]
    Broadworks,
    #[sea_orm(string_value = "metaswitch")]
    Metaswitch,
    #[sea_orm(string_value = "netsapiens")]
    Netsapiens,
    #[sea_orm(string_value = "connectwise_manage")]
    ConnectwiseManage,
    #[sea_orm(string_value = "syncro")]
    Syncro,
    #[sea_orm(string_value = "autotask")]
    Autotask,
    #[sea_orm(string_value = "halopsa")]
    Halopsa,
    #[sea_orm(string_value = "kaseya_bms")]
    KaseyaBms,
}

/// Whether a source is active or paused.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "paused")]
    Paused,
}

/// The kind of a cached PSA lookup list (`psa_metadata.kind`).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum PsaMetadataKind {
    #[sea_orm(string_value = "company_status")]
    CompanyStatus,
    #[sea_orm(string_value = "company_type")]
    CompanyType,
    #[sea_orm(string_value = "configuration_status")]
    ConfigurationStatus,
    #[sea_orm(string_value = "configuration_type")]
    ConfigurationType,
    #[sea_orm(string_value = "agreement_type")]
    AgreementType,
    #[sea_orm(string_value = "board")]
    Board,
    #[sea_orm(string_value = "board_status")]
    BoardStatus,
    #[sea_orm(string_value = "board_type")]
    BoardType,
    #[sea_orm(string_value = "board_subtype")]
    BoardSubtype,
    #[sea_orm(string_value = "board_item")]
    BoardItem,
    #[sea_orm(string_value = "priority")]
    Priority,
}

/// The data type of a service type field.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum FieldDataType {
    #[sea_orm(string_value = "text")]
    Text,
    #[sea_orm(string_value = "number")]
    Number,
    #[sea_orm(string_value = "boolean")]
    Boolean,
    #[sea_orm(string_value = "date")]
    Date,
    #[sea_orm(string_value = "datetime")]
    Datetime,
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "phone")]
    Phone,
    #[sea_orm(string_value = "enum")]
    Enum,
    #[sea_orm(string_value = "json")]
    Json,
}

/// Which way a field mapping copies values.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum MappingDirection {
    #[sea_orm(string_value = "source_to_service")]
    SourceToService,
    #[sea_orm(string_value = "service_to_source")]
    ServiceToSource,
    #[sea_orm(string_value = "both")]
    Both,
}

/// The kind of value a value mapping or an internal value translates.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum ValueMappingKind {
    #[sea_orm(string_value = "ticket_status")]
    TicketStatus,
    #[sea_orm(string_value = "ticket_type")]
    TicketType,
    #[sea_orm(string_value = "ticket_subtype")]
    TicketSubtype,
    #[sea_orm(string_value = "ticket_item")]
    TicketItem,
    #[sea_orm(string_value = "contract_type")]
    ContractType,
    #[sea_orm(string_value = "hardware_type")]
    HardwareType,
}

/// What a sync job does.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum SyncJobKind {
    #[sea_orm(string_value = "import")]
    Import,
    #[sea_orm(string_value = "field_sync")]
    FieldSync,
    #[sea_orm(string_value = "write_back")]
    WriteBack,
    #[sea_orm(string_value = "undo")]
    Undo,
}

/// What started a sync job.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum SyncTrigger {
    #[sea_orm(string_value = "schedule")]
    Schedule,
    #[sea_orm(string_value = "force")]
    Force,
    #[sea_orm(string_value = "webhook")]
    Webhook,
}

/// Where a sync job is in its life.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum SyncJobStatus {
    #[sea_orm(string_value = "queued")]
    Queued,
    #[sea_orm(string_value = "running")]
    Running,
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    #[sea_orm(string_value = "partial")]
    Partial,
    #[sea_orm(string_value = "failed")]
    Failed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// Severity of a sync log line.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    #[sea_orm(string_value = "debug")]
    Debug,
    #[sea_orm(string_value = "info")]
    Info,
    #[sea_orm(string_value = "warn")]
    Warn,
    #[sea_orm(string_value = "error")]
    Error,
}

/// What changed a service field value.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum ChangeOrigin {
    #[sea_orm(string_value = "sync")]
    Sync,
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "rule")]
    Rule,
}

/// What a sync plan change will do when applied.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum PlannedAction {
    #[sea_orm(string_value = "update_service_field")]
    UpdateServiceField,
    #[sea_orm(string_value = "write_back")]
    WriteBack,
    #[sea_orm(string_value = "link")]
    Link,
    #[sea_orm(string_value = "create_service")]
    CreateService,
}

/// What a sync rule does to the nodes it matches.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    #[sea_orm(string_value = "skip")]
    Skip,
    #[sea_orm(string_value = "auto_link")]
    AutoLink,
    #[sea_orm(string_value = "create_service")]
    CreateService,
    #[sea_orm(string_value = "set_field")]
    SetField,
}
