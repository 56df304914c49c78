//! The source forms' data (`graphql/source_form.graphql`): the provider catalog, a source's
//! settings and filter options, testing a connection (saved or not), creating and updating.

use super::{ApiError, Json};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/source_form.graphql";
    /// `query Providers`: every provider with its credential fields and node types.
    Providers,
);

pub use providers::Provider;

operations!("graphql/source_form.graphql";
    /// `query SourceSettings`: what the Edit form starts from.
    SourceSettings,
);

mod types;

pub use types::*;

operations!("graphql/source_form.graphql", [response_derives = "Debug, Clone, PartialEq", variables_derives = "Debug, Clone", skip_serializing_none];
    /// `mutation TestConnection`: tries a connection that is not saved.
    TestConnection,
);

operations!("graphql/source_form.graphql";
    /// `mutation TestSourceConnection`: tries a saved source's connection.
    TestSourceConnection,
);

operations!("graphql/source_form.graphql", [response_derives = "Debug, Clone, PartialEq", variables_derives = "Debug, Clone", skip_serializing_none];
    /// `mutation CreateSource`.
    CreateSource,
);

operations!("graphql/source_form.graphql", [response_derives = "Debug, Clone, PartialEq", variables_derives = "Debug, Clone", skip_serializing_none];
    /// `mutation UpdateSource`.
    UpdateSource,
);

/// What the form holds, independent of which mutation sends it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub name: String,
    pub provider: Option<Provider>,
    pub base_url: String,
    /// Credential values typed in; blank ones are left out (on edit: "keep the stored one").
    pub credentials: Vec<(String, String)>,
    pub schedule: String,
    pub timezone: String,
    pub include_assets_without_serial: bool,
    pub include_custom_fields: bool,
    pub auto_sync_fields: bool,
    pub company_statuses: Vec<String>,
    pub company_types: Vec<String>,
    pub configuration_statuses: Vec<String>,
    pub write_back_fields: Vec<String>,
}

impl Draft {
    /// The typed credentials as the JSON object the API takes (blank values left out).
    fn credentials_json(&self) -> Json {
        let map = self
            .credentials
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, value)| (key.clone(), Json::String(value.trim().to_owned())))
            .collect::<serde_json::Map<_, _>>();
        Json::Object(map)
    }

    /// Whether any credential was typed (on edit, none means "keep the stored ones").
    pub fn has_credentials(&self) -> bool {
        self.credentials.iter().any(|(_, v)| !v.trim().is_empty())
    }
}

/// `provider` as operation module `$m` spells it (graphql_client generates one enum per
/// operation; they have the same variants).
macro_rules! provider_in {
    ($m:ident, $provider:expr) => {
        match $provider {
            Provider::Broadworks => $m::Provider::Broadworks,
            Provider::Metaswitch => $m::Provider::Metaswitch,
            Provider::Netsapiens => $m::Provider::Netsapiens,
            Provider::ConnectwiseManage => $m::Provider::ConnectwiseManage,
            Provider::Syncro => $m::Provider::Syncro,
            Provider::Autotask => $m::Provider::Autotask,
            Provider::Halopsa => $m::Provider::Halopsa,
            Provider::KaseyaBms => $m::Provider::KaseyaBms,
            Provider::Other(other) => $m::Provider::Other(other),
        }
    };
}

/// The draft as operation module `$m`'s `CreateSourceInput` with `$settings` (`?` on a draft
/// without a provider).
macro_rules! create_input {
    ($m:ident, $draft:expr, $settings:expr) => {{
        let draft: &Draft = $draft;
        let provider = draft
            .provider
            .clone()
            .ok_or_else(|| ApiError::BadUserInput {
                field: Some("input.provider".to_owned()),
                message: "Pick a provider.".to_owned(),
            })?;
        $m::CreateSourceInput {
            name: draft.name.trim().to_owned(),
            provider: provider_in!($m, provider),
            base_url: draft.base_url.trim().to_owned(),
            credentials: draft.credentials_json(),
            settings: $settings,
        }
    }};
}

/// The catalog.
pub async fn providers(session: Session) -> Result<Vec<ProviderInfo>, ApiError> {
    let data = session.run::<Providers>(providers::Variables).await?;
    Ok(super::json::read::<ProvidersData>(&data)?.providers)
}

/// A source as the Edit form needs it (`None`: not found).
pub async fn source(session: Session, id: String) -> Result<Option<EditedSource>, ApiError> {
    let data = session
        .run::<SourceSettings>(source_settings::Variables { id })
        .await?;
    Ok(super::json::read::<SettingsData>(&data)?.source)
}

/// The answer of a connection test, in the provider's words.
#[derive(Clone, Debug, PartialEq)]
pub struct TestOutcome {
    pub ok: bool,
    pub message: String,
}

impl TestOutcome {
    /// The `{ok, message}` at `pointer` of an answer.
    fn read(data: &serde_json::Value, pointer: &str) -> Result<Self, ApiError> {
        let message = super::text_at(data, &format!("{pointer}/message"))?;
        let ok = data
            .pointer(&format!("{pointer}/ok"))
            .and_then(|v| v.as_bool());
        Ok(Self {
            ok: ok.ok_or_else(|| ApiError::Network(format!("an answer without {pointer}/ok")))?,
            message,
        })
    }
}

/// Tries what the form holds: the typed connection when there is one, else (on edit) the
/// stored one of source `saved`.
pub async fn test(
    session: Session,
    draft: Draft,
    saved: Option<String>,
) -> Result<TestOutcome, ApiError> {
    match saved {
        Some(id) if !draft.has_credentials() => {
            let data = session
                .run::<TestSourceConnection>(test_source_connection::Variables { id })
                .await?;
            TestOutcome::read(&data, "/testSourceConnection")
        }
        _ => {
            let input = create_input!(test_connection, &draft, None);
            let data = session
                .run::<TestConnection>(test_connection::Variables { input })
                .await?;
            TestOutcome::read(&data, "/testConnection")
        }
    }
}

/// The settings part of the draft, as operation module `$m`'s `SourceSettingsInput`.
macro_rules! settings {
    ($m:ident, $draft:expr) => {{
        let draft: &Draft = $draft;
        $m::SourceSettingsInput {
            schedule: Some(draft.schedule.trim().to_owned()),
            timezone: Some(draft.timezone.trim().to_owned()),
            include_assets_without_serial: Some(draft.include_assets_without_serial),
            configuration_statuses: Some(draft.configuration_statuses.clone()),
            company_types: Some(draft.company_types.clone()),
            company_statuses: Some(draft.company_statuses.clone()),
            write_back_fields: Some(draft.write_back_fields.clone()),
            include_custom_fields: Some(draft.include_custom_fields),
            auto_sync_fields: Some(draft.auto_sync_fields),
            ticket_type_level: None,
            ticket_subtype_level: None,
            ticket_item_level: None,
        }
    }};
}

/// Saves the draft: creates a source, or updates source `saved`. Returns the source's id.
pub async fn save(
    session: Session,
    draft: Draft,
    saved: Option<String>,
) -> Result<String, ApiError> {
    match saved {
        Some(id) => {
            let input = update_source::UpdateSourceInput {
                name: Some(draft.name.trim().to_owned()),
                base_url: Some(draft.base_url.trim().to_owned()),
                credentials: draft.has_credentials().then(|| draft.credentials_json()),
                settings: Some(settings!(update_source, &draft)),
            };
            let data = session
                .run::<UpdateSource>(update_source::Variables { id, input })
                .await?;
            super::text_at(&data, "/updateSource/id")
        }
        None => {
            let input = create_input!(
                create_source,
                &draft,
                Some(settings!(create_source, &draft))
            );
            let data = session
                .run::<CreateSource>(create_source::Variables { input })
                .await?;
            super::text_at(&data, "/createSource/id")
        }
    }
}
