//! The connector fetches the next page while the previous one is written: the two run side by
//! side (`run`), joined by a channel of two pages, so memory stays bounded and neither the
//! network nor the database waits for the other.

use tokio::sync::mpsc;

use crate::connectors::{Connector, ConnectorError, Coverage, PageSink, RawNode};

use super::sink::ImportSink;

/// Pages in flight between the connector and the writer.
const IN_FLIGHT: usize = 2;

/// The connector's side: hands pages over.
struct Feed {
    tx: mpsc::Sender<Vec<RawNode>>,
    skipped: i64,
}

#[async_trait::async_trait]
impl PageSink for Feed {
    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()> {
        self.tx
            .send(nodes)
            .await
            .map_err(|_| anyhow::anyhow!("the writer stopped"))
    }

    fn skipped(&mut self, count: i64) {
        self.skipped += count;
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
        while let Some(nodes) = rx.recv().await {
            sink.page(nodes).await?;
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
