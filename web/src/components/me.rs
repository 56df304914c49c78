//! Who is signed in, loaded once by the shell and shared as context: the nav shows it, pages
//! hide what the role may not do (the server still checks every call).

use crate::api::json::read;
use crate::api::viewer::{viewer, Viewer, ViewerData};
use crate::components::loader::Loader;
use crate::session::Session;

pub use crate::api::viewer::{MeData, Role};

/// The signed-in person, as a resource (`None` while loading).
#[derive(Clone, Copy)]
pub struct Me(pub Loader<Option<MeData>>);

impl Me {
    /// Starts loading; call once, in the shell.
    pub fn load(session: Session) -> Self {
        Self(Loader::new(move || {
            // Tracked: a new sign-in loads the new person.
            let signed_in = session.is_signed_in();
            async move {
                if !signed_in {
                    return None;
                }
                let data = session.run::<Viewer>(viewer::Variables).await.ok()?;
                read::<ViewerData>(&data).ok().map(|data| data.viewer)
            }
        }))
    }

    /// The role, once known (tracked).
    pub fn role(&self) -> Option<Role> {
        self.0.get().flatten().map(|me| me.role)
    }

    /// ADMIN (tracked).
    pub fn is_admin(&self) -> bool {
        matches!(self.role(), Some(Role::Admin))
    }

    /// OPERATOR or ADMIN (tracked).
    pub fn can_operate(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Operator))
    }
}
