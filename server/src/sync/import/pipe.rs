//! The connector fetches the next page while the previous one is written: the two run side by
//! side (`run`), joined by a channel of two pages, so memory stays bounded and neither the
//! network nor the database waits for the other.

use tokio::sync::mpsc;

use crate::connectors::{Connector, ConnectorError, Coverage, PageSink, RawNode};

use super::sink::ImportSink;

/// Pages in flight between the connector and the writer.
const IN_FLIGHT: usize = 2;

enum Message {
    Page(Vec<RawNode>),
    Present(&'static str, Vec<String>),
}

/// The connector's side: hands pages over.
struct Feed {
    tx: mpsc::Sender<Message>,
    skipped: i64,
}

#[async_trait::async_trait]
impl PageSink for Feed {
    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()> {
        self.tx
            .send(Message::Page(nodes))
            .await
            .map_err(|_| anyhow::anyhow!("the writer stopped"))
    }

    fn skipped(&mut self, count: i64) {
        self.skipped += count;
    }

    fn present(&mut self, node_type: &'static str, external_ids: &[String]) {
        // Cheap and rare (one message per list of ids); a full channel only delays it.
        let tx = self.tx.clone();
        let ids = external_ids.to_vec();
        if let Err(mpsc::error::TrySendError::Full(msg)) =
            tx.try_send(Message::Present(node_type, ids))
        {
            tokio::spawn(async move {
                let _ = tx.send(msg).await;
            });
        }
    }
}

/// Runs `connector`'s pass into `sink`. A failed write ends the pass with the writer's error.
pub async fn run(
    connector: &dyn Connector,
    sink: &mut ImportSink<'_>,
) -> Result<Vec<Coverage>, ConnectorError> {
    let (tx, mut rx) = mpsc::channel(IN_FLIGHT);
    let mut feed = Feed { tx, skipped: 0 };
    let fetch = async {
        let result = connector.import(&mut feed).await;
        let skipped = feed.skipped;
        drop(feed);
        (result, skipped)
    };
    let write = async {
        while let Some(message) = rx.recv().await {
            match message {
                Message::Page(nodes) => sink.page(nodes).await?,
                Message::Present(node_type, ids) => sink.present(node_type, &ids),
            }
        }
        anyhow::Ok(())
    };
    let ((result, skipped), written) = tokio::join!(fetch, write);
    sink.skipped(skipped);
    match written {
        Err(err) => Err(ConnectorError::Upstream(format!(
            "storing a page failed: {err:#}"
        ))),
        Ok(()) => result,
    }
}
