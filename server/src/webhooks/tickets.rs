//! Tickets in events (interim: the ticket reads of the connectors are not merged yet).

use entity::source;

use super::Outcome;
use crate::state::AppState;

/// A ticket a webhook announced: not readable yet.
pub async fn announce(
    state: &AppState,
    source: &source::Model,
    message_id: Option<String>,
    id: &str,
    action: &str,
) -> Outcome {
    let _ = (state, source, message_id, id, action);
    Outcome::Unavailable("tickets cannot be read yet".into())
}
