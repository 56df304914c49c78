//! The connector fetches the next page while the previous one is written: the two run side by
//! side (`run`), the connector in a task of its own (so its parsing runs on another core than
//! the writer's work), joined by a channel of two pages, so memory stays bounded and neither
//! the network nor the database waits for the other. An incremental pass's presence reports travel
//! the same channel, so the writer answers them after every page sent before; its notice of the
//! types it will report lets the writer read their stored keys while the walks run.

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::connectors::{Connector, ConnectorError, PageSink, Pass, RawNode};

use super::sink::ImportSink;

/// Pages in flight between the connector and the writer.
const IN_FLIGHT: usize = 2;

/// What the connector's side hands over.
enum Message {
    Page(Vec<RawNode>),
    /// Found upstream, not sent whole; the answer is what the writer does not hold.
    Present(
        &'static str,
        Vec<String>,
        oneshot::Sender<anyhow::Result<Vec<String>>>,
    ),
    /// `present` will be asked about these types; not waited for.
    Expect(Vec<&'static str>),
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

    async fn present(
        &mut self,
        node_type: &'static str,
        external_ids: Vec<String>,
    ) -> anyhow::Result<Vec<String>> {
        let (answer, answered) = oneshot::channel();
        self.tx
            .send(Message::Present(node_type, external_ids, answer))
            .await
            .map_err(|_| anyhow::anyhow!("the writer stopped"))?;
        answered
            .await
            .map_err(|_| anyhow::anyhow!("the writer stopped"))?
    }

    async fn expect(&mut self, node_types: &[&'static str]) -> anyhow::Result<()> {
        self.tx
            .send(Message::Expect(node_types.to_vec()))
            .await
            .map_err(|_| anyhow::anyhow!("the writer stopped"))
    }
}

/// Runs `connector`'s pass, from `cursor`, into `sink`. A failed write ends the pass with the
/// writer's error.
pub async fn run(
    connector: Box<dyn Connector>,
    sink: &mut ImportSink<'_>,
    cursor: Option<Value>,
) -> Result<Pass, ConnectorError> {
    let (tx, mut rx) = mpsc::channel(IN_FLIGHT);
    let mut feed = Feed { tx, skipped: 0 };
    let started = std::time::Instant::now();
    // Where the pass's time goes (RUST_LOG=debug): the writer idle means the network is the
    // slower side, the writer busy means the database is.
    let mut idle = std::time::Duration::ZERO;
    // Aborted if this import is dropped (a cancelled job), like the writer beside it.
    let mut fetch = AbortOnDrop(tokio::spawn(async move {
        let result = connector.import_from(&mut feed, cursor.as_ref()).await;
        (result, feed.skipped)
    }));
    let write = async {
        loop {
            let waited = std::time::Instant::now();
            let Some(message) = rx.recv().await else {
                break;
            };
            idle += waited.elapsed();
            match message {
                Message::Page(nodes) => sink.page(nodes).await?,
                Message::Present(node_type, ids, answer) => {
                    let _ = answer.send(sink.present(node_type, ids).await);
                }
                Message::Expect(node_types) => sink.expect(&node_types).await?,
            }
        }
        // The last page may still be being written beside the writer.
        sink.settle().await
    };
    let written = write.await;
    // The writer gone (it failed), the connector's next page finds the channel closed.
    drop(rx);
    let (result, skipped) = match (&mut fetch.0).await {
        Ok(done) => done,
        Err(err) => (
            Err(ConnectorError::Upstream(format!("the pass stopped: {err}"))),
            0,
        ),
    };
    tracing::debug!(
        total_ms = started.elapsed().as_millis() as u64,
        writer_idle_ms = idle.as_millis() as u64,
        writer = ?sink.timings,
        "import pass"
    );
    sink.skipped(skipped);
    match written {
        Err(err) => Err(ConnectorError::Upstream(format!(
            "storing a page failed: {err:#}"
        ))),
        Ok(()) => result,
    }
}

/// A task that ends with its handle.
pub(super) struct AbortOnDrop<T>(pub(super) tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<anyhow::Result<T>> {
    /// Waits for the task's result (a panicked task is an error).
    pub(super) async fn join(mut self) -> anyhow::Result<T> {
        (&mut self.0)
            .await
            .map_err(|err| anyhow::anyhow!("a page writer stopped: {err}"))?
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
