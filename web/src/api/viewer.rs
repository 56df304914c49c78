//! Sign-in (`login`) and the signed-in person (`viewer`): `graphql/viewer.graphql`.

use super::{post, ApiError, DateTime};

operations!("graphql/viewer.graphql";
    /// `mutation Login`: the one operation that needs no token.
    Login,
    /// `query Viewer`: who is signed in, in which organization, with which role.
    Viewer,
);

/// A fresh token and when it expires (RFC 3339).
#[derive(Clone, Debug, PartialEq)]
pub struct SignedIn {
    pub token: String,
    pub expires_at: DateTime,
}

/// Exchanges an email and password for a token.
pub async fn login(email: String, password: String) -> Result<SignedIn, ApiError> {
    let data = post::<Login>(None, login::Variables { email, password }).await?;
    Ok(SignedIn {
        token: super::text_at(&data, "/login/token")?,
        expires_at: super::text_at(&data, "/login/expiresAt")?,
    })
}

pub use viewer::Role;

via_serde!(Role);

from_json! {
    /// Who is signed in, in which organization, with which role.
    #[derive(Clone, Debug, PartialEq)]
    pub struct MeData {
        pub user: Option<Person>,
        pub organization: Organization,
        pub role: Role,
    }

    /// The signed-in person.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Person {
        pub email: String,
        pub name: String,
    }

    /// The organization's name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Organization {
        pub name: String,
    }

    /// The data of `Viewer`.
    pub struct ViewerData {
        pub viewer: MeData,
    }
}

/// A role in words.
pub fn role_label(role: &viewer::Role) -> String {
    match role {
        viewer::Role::Admin => "Admin".to_owned(),
        viewer::Role::Operator => "Operator".to_owned(),
        viewer::Role::Viewer => "Viewer".to_owned(),
        viewer::Role::Other(other) => other.clone(),
    }
}
