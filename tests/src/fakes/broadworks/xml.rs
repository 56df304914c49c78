//! The fake's SOAP and OCI text: reading a `processOCIMessage` call (any argument element
//! name, elements matched by local name) and the OCI document inside it, and writing the
//! escaped `processOCIMessageReturn`, OCI tables, `ErrorResponse`s and SOAP faults.

use std::collections::HashMap;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One request command: local `xsi:type`, `echo`, and its simple fields.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub kind: String,
    pub echo: String,
    pub fields: HashMap<String, String>,
}

impl Request {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// A parsed OCI request document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub session_id: String,
    pub commands: Vec<Request>,
}

/// The OCI text inside a SOAP call: the text of the single child of `processOCIMessage`.
pub fn unwrap_call(body: &str) -> Result<String, String> {
    let doc = roxmltree::Document::parse(body).map_err(|e| format!("not XML: {e}"))?;
    let op = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "processOCIMessage")
        .ok_or("no processOCIMessage element")?;
    let mut args = op.children().filter(|n| n.is_element());
    match (args.next(), args.next()) {
        (Some(arg), None) => Ok(text(arg)),
        _ => Err("processOCIMessage takes exactly one argument".into()),
    }
}

pub fn parse_document(oci: &str) -> Result<Document, String> {
    let doc = roxmltree::Document::parse(oci).map_err(|e| format!("OCI is not XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "BroadsoftDocument" {
        return Err("not a BroadsoftDocument".into());
    }
    let child = |name: &'static str| {
        root.children()
            .filter(move |n| n.is_element() && n.tag_name().name() == name)
    };
    let session_id = child("sessionId").next().map(text).unwrap_or_default();
    let commands = child("command")
        .map(|c| Request {
            kind: c
                .attribute((XSI, "type"))
                .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned())
                .unwrap_or_default(),
            echo: c.attribute("echo").unwrap_or_default().to_owned(),
            fields: c
                .children()
                .filter(|n| n.is_element())
                .map(|n| (n.tag_name().name().to_owned(), text(n)))
                .collect(),
        })
        .collect();
    Ok(Document {
        session_id,
        commands,
    })
}

fn text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A reply command with simple fields.
pub fn response(echo: &str, kind: &str, fields: &[(&str, String)]) -> String {
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", escape(v)))
        .collect();
    format!(
        "<command echo=\"{}\" xsi:type=\"{kind}\" xmlns=\"\">{body}</command>",
        escape(echo)
    )
}

/// An `ErrorResponse` as API-NOTES §6.1 shows it.
pub fn error(echo: &str, summary: &str) -> String {
    let s = escape(summary);
    format!(
        "<command type=\"Error\" echo=\"{}\" xsi:type=\"c:ErrorResponse\" xmlns:c=\"C\" xmlns=\"\">\
         <summary>{s}</summary><summaryEnglish>{s}</summaryEnglish></command>",
        escape(echo)
    )
}

/// An OCI table; empty cells are written `<col/>`.
pub fn table(name: &str, headings: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("<{name}>");
    for h in headings {
        out.push_str(&format!("<colHeading>{}</colHeading>", escape(h)));
    }
    for row in rows {
        out.push_str("<row>");
        for col in row {
            if col.is_empty() {
                out.push_str("<col/>");
            } else {
                out.push_str(&format!("<col>{}</col>", escape(col)));
            }
        }
        out.push_str("</row>");
    }
    out.push_str(&format!("</{name}>"));
    out
}

/// A reply document around already written commands.
pub fn document(session_id: &str, commands: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BroadsoftDocument protocol=\"OCI\" \
         xmlns=\"C\" xmlns:xsi=\"{XSI}\"><sessionId xmlns=\"\">{}</sessionId>{}</BroadsoftDocument>",
        escape(session_id),
        commands.concat()
    )
}

/// The SOAP reply carrying an OCI document, escaped.
pub fn envelope(oci: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"{XSI}\"><soapenv:Body>\
         <processOCIMessageResponse soapenv:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\
         <ns1:processOCIMessageReturn xmlns:ns1=\"urn:com:broadsoft:webservice\">{}</ns1:processOCIMessageReturn>\
         </processOCIMessageResponse></soapenv:Body></soapenv:Envelope>",
        escape(oci)
    )
}

/// A SOAP 1.1 fault, compact so its `faultstring` comes early in the body.
pub fn fault(words: &str) -> String {
    format!(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>\
         <soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>{}</faultstring>\
         </soapenv:Fault></soapenv:Body></soapenv:Envelope>",
        escape(words)
    )
}
