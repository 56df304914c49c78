//! The contract's enums as GraphQL types, mirrored one-to-one from the stored enums of
//! `entity::enums` (the API is not derived on the tables).

macro_rules! mirror_enum {
    ($name:ident, [$($variant:ident),* $(,)?]) => {
        #[derive(async_graphql::Enum, Debug, Copy, Clone, Eq, PartialEq)]
        pub enum $name {
            $($variant),*
        }

        impl From<entity::enums::$name> for $name {
            fn from(v: entity::enums::$name) -> Self {
                match v {
                    $(entity::enums::$name::$variant => $name::$variant),*
                }
            }
        }

        impl From<$name> for entity::enums::$name {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => entity::enums::$name::$variant),*
                }
            }
        }
    };
}

mirror_enum!(Role, [Admin, Operator, Viewer]);
mirror_enum!(
    Provider,
    [
        Broadworks,
        Metaswitch,
        Netsapiens,
        ConnectwiseManage,
        Syncro,
        Autotask,
        Halopsa,
        KaseyaBms
    ]
);
mirror_enum!(SourceStatus, [Active, Paused]);
mirror_enum!(
    FieldDataType,
    [Text, Number, Boolean, Date, Datetime, Email, Phone, Enum, Json]
);
mirror_enum!(ChangeOrigin, [Sync, User, Rule]);
mirror_enum!(MappingDirection, [SourceToService, ServiceToSource, Both]);
mirror_enum!(SyncJobKind, [Import, FieldSync, WriteBack, Undo]);
mirror_enum!(SyncTrigger, [Schedule, Force, Webhook]);
mirror_enum!(
    SyncJobStatus,
    [Queued, Running, Succeeded, Partial, Failed, Cancelled]
);
mirror_enum!(LogLevel, [Debug, Info, Warn, Error]);
mirror_enum!(
    ValueMappingKind,
    [
        TicketStatus,
        TicketType,
        TicketSubtype,
        TicketItem,
        ContractType,
        HardwareType
    ]
);

/// `LINKED` / `UNLINKED` (derived from the node's live link, not stored as an enum).
#[derive(async_graphql::Enum, Debug, Copy, Clone, Eq, PartialEq)]
pub enum LinkState {
    Linked,
    Unlinked,
}
mirror_enum!(
    PlannedAction,
    [UpdateServiceField, WriteBack, Link, CreateService]
);
mirror_enum!(RuleAction, [Skip, AutoLink, CreateService, SetField]);
