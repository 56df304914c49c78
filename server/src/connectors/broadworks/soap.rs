//! The SOAP wrapping of OCI-P (docs/CONNECTORS.md §3.1): `processOCIMessage` carries the OCI
//! document as an escaped string in `arg0`; the reply's `processOCIMessageReturn` carries the
//! answer the same way. Elements are matched by local name, whatever their prefix or namespace.
//! A SOAP `Fault` is a transport error, never an OCI answer.

use super::oci::escape;
use crate::connectors::ConnectorError;

/// The envelope for one OCI document.
pub fn envelope(oci: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\">\
         <soapenv:Body>\
         <processOCIMessage soapenv:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\
         <arg0 xsi:type=\"soapenc:string\">{}</arg0>\
         </processOCIMessage></soapenv:Body></soapenv:Envelope>",
        escape(oci)
    )
}

/// The OCI document inside a SOAP reply. A body that is not XML, has no
/// `processOCIMessageReturn`, or is a `Fault` is an error (which the HTTP layer retries).
pub fn unwrap(body: &str) -> Result<String, ConnectorError> {
    let doc = roxmltree::Document::parse(body)
        .map_err(|e| ConnectorError::Decode(format!("the SOAP reply is not XML ({e})")))?;
    if doc.descendants().any(|n| n.has_tag_name_local("Fault")) {
        return Err(ConnectorError::Upstream(format!(
            "SOAP fault: {}",
            fault_string(body).unwrap_or_else(|| "no faultstring".into())
        )));
    }
    let ret = doc
        .descendants()
        .find(|n| n.has_tag_name_local("processOCIMessageReturn"))
        .ok_or_else(|| {
            ConnectorError::Decode("the SOAP reply has no processOCIMessageReturn".into())
        })?;
    Ok(ret
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect())
}

/// The `faultstring` of a SOAP fault found in `text` (a whole body, or the start of one quoted
/// in an error message), so a person reads the server's words rather than raw XML.
pub fn fault_string(text: &str) -> Option<String> {
    let start = text.find("<faultstring")?;
    let after = &text[start..];
    let open_end = after.find('>')? + 1;
    let inner = &after[open_end..];
    let end = inner.find("</").unwrap_or(inner.len());
    let words = inner[..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    Some(words.trim().to_owned()).filter(|w| !w.is_empty())
}

/// An error from the HTTP layer with a quoted SOAP fault turned into its `faultstring`.
pub fn readable(err: ConnectorError) -> ConnectorError {
    match err {
        ConnectorError::Upstream(words) if words.contains("<faultstring") => {
            let status = words.split(':').next().unwrap_or_default();
            let fault = fault_string(&words).unwrap_or_default();
            ConnectorError::Upstream(format!("{status}: SOAP fault: {fault}"))
        }
        other => other,
    }
}

trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for roxmltree::Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

#[cfg(test)]
// Test code fails by panicking: unwrap is how it says what broke.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_an_escaped_document_and_reads_faults() {
        let oci = "<?xml version=\"1.0\"?><BroadsoftDocument>&amp;</BroadsoftDocument>";
        let sent = envelope(oci);
        let reply = sent
            .replace("processOCIMessage ", "processOCIMessageResponse ")
            .replace("</processOCIMessage>", "</processOCIMessageResponse>")
            .replace(
                "<arg0",
                "<ns1:processOCIMessageReturn xmlns:ns1=\"urn:com:broadsoft:webservice\"",
            )
            .replace("</arg0>", "</ns1:processOCIMessageReturn>");
        assert_eq!(unwrap(&reply).unwrap(), oci);
        let fault = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>backend &amp; down</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        assert!(unwrap(fault)
            .unwrap_err()
            .message()
            .contains("backend & down"));
        let quoted = ConnectorError::Upstream(format!("500 Internal Server Error: {fault}"));
        assert_eq!(
            readable(quoted).message(),
            "the provider failed: 500 Internal Server Error: SOAP fault: backend & down"
        );
    }
}
