//! OCI-P documents (docs/CONNECTORS.md §3.1, §3.3): writing a `BroadsoftDocument` of 1–15
//! commands, and reading a reply into its commands — the local part of each `xsi:type`, the
//! `echo` tag, plain fields, OCI tables (kept with their headings, so callers map columns by
//! heading and never by position) and `ErrorResponse` words.

use std::collections::HashMap;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The most commands one document may carry (§6.1).
pub const MAX_COMMANDS: usize = 15;

/// One request command: its type and its fields, in the order the schema lists them (OCI
/// validates element order, so the order of `field` calls matters).
#[derive(Debug, Clone)]
pub struct Command {
    pub kind: &'static str,
    fields: Vec<(&'static str, String)>,
}

impl Command {
    pub fn new(kind: &'static str) -> Command {
        Command {
            kind,
            fields: Vec::new(),
        }
    }

    pub fn field(mut self, name: &'static str, value: impl Into<String>) -> Command {
        self.fields.push((name, value.into()));
        self
    }
}

/// A whole request document for `session_id`; each command is tagged with its position in
/// `echo`, so a reply can be checked against what was asked.
pub fn document(session_id: &str, commands: &[Command]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BroadsoftDocument protocol=\"OCI\" \
         xmlns=\"C\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    );
    out.push_str(&format!(
        "<sessionId xmlns=\"\">{}</sessionId>",
        escape(session_id)
    ));
    for (i, command) in commands.iter().enumerate() {
        out.push_str(&format!(
            "<command xmlns=\"\" xsi:type=\"{}\" echo=\"{i}\">",
            command.kind
        ));
        for (name, value) in &command.fields {
            out.push_str(&format!("<{name}>{}</{name}>", escape(value)));
        }
        out.push_str("</command>");
    }
    out.push_str("</BroadsoftDocument>");
    out
}

/// XML text and attribute escaping (the five predefined entities).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An `OCITable`: `colHeading+`, then rows of `col*`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The position of a column, found by its heading.
    pub fn column(&self, heading: &str) -> Option<usize> {
        self.headings.iter().position(|h| h == heading)
    }

    /// A cell by heading; a missing column or a short row reads as empty, like `<col/>`.
    pub fn cell<'a>(&self, row: &'a [String], heading: &str) -> &'a str {
        self.column(heading)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }
}

/// One command of a reply.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// The local part of `xsi:type` (`c:ErrorResponse` → `ErrorResponse`).
    pub kind: String,
    pub echo: String,
    pub fields: HashMap<String, String>,
    pub tables: HashMap<String, Table>,
}

impl Reply {
    /// The error's own words when this is an `ErrorResponse` (`summaryEnglish`, else `summary`).
    pub fn error(&self) -> Option<String> {
        (self.kind == "ErrorResponse").then(|| {
            let words = self
                .field("summaryEnglish")
                .or_else(|| self.field("summary"))
                .unwrap_or("an ErrorResponse without a summary");
            words.to_owned()
        })
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }
}

/// The commands of a reply document, in order.
pub fn parse(xml: &str) -> Result<Vec<Reply>, String> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| format!("the OCI reply is not XML ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "BroadsoftDocument" {
        return Err(format!(
            "the OCI reply is a <{}>, not a BroadsoftDocument",
            root.tag_name().name()
        ));
    }
    Ok(root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "command")
        .map(|command| {
            let kind = command
                .attribute((XSI, "type"))
                .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned())
                .unwrap_or_default();
            let mut reply = Reply {
                kind,
                echo: command.attribute("echo").unwrap_or_default().to_owned(),
                ..Reply::default()
            };
            for child in command.children().filter(|n| n.is_element()) {
                let name = child.tag_name().name().to_owned();
                if child.children().any(|n| n.has_tag_name("colHeading")) {
                    reply.tables.insert(name, table(child));
                } else {
                    reply.fields.insert(name, text(child));
                }
            }
            reply
        })
        .collect())
}

fn table(node: roxmltree::Node<'_, '_>) -> Table {
    Table {
        headings: elements(node, "colHeading").map(text).collect(),
        rows: elements(node, "row")
            .map(|row| elements(row, "col").map(text).collect())
            .collect(),
    }
}

fn elements<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// All the text inside an element (an empty element is the empty string).
fn text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

#[cfg(test)]
// Test code fails by panicking: unwrap is how it says what broke.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables_by_heading_and_errors_by_local_type() {
        let xml = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <sessionId xmlns="">s</sessionId>
 <command echo="0" xsi:type="ServiceProviderGetListResponse" xmlns="">
  <serviceProviderTable>
   <colHeading>Is Enterprise</colHeading><colHeading>Service Provider Id</colHeading><colHeading>Service Provider Name</colHeading>
   <row><col>true</col><col>one</col><col/></row>
  </serviceProviderTable>
 </command>
 <command type="Error" echo="1" xsi:type="c:ErrorResponse" xmlns:c="C" xmlns=""><summary>[Error 4962] Invalid password</summary><summaryEnglish>[Error 4962] Invalid password</summaryEnglish></command>
</BroadsoftDocument>"#;
        let replies = parse(xml).unwrap();
        let table = replies[0].table("serviceProviderTable").unwrap();
        let row = &table.rows[0];
        assert_eq!(table.cell(row, "Service Provider Id"), "one");
        assert_eq!(table.cell(row, "Service Provider Name"), "");
        assert_eq!(replies[0].error(), None);
        assert_eq!(replies[1].echo, "1");
        assert_eq!(
            replies[1].error().as_deref(),
            Some("[Error 4962] Invalid password")
        );
    }

    #[test]
    fn writes_commands_in_order_with_escaped_values() {
        let doc = document(
            "abc",
            &[Command::new("AuthenticationRequest").field("userId", "a&b<c>")],
        );
        assert!(doc.contains(
            "<command xmlns=\"\" xsi:type=\"AuthenticationRequest\" echo=\"0\"><userId>a&amp;b&lt;c&gt;</userId></command>"
        ));
        assert!(doc.contains("<sessionId xmlns=\"\">abc</sessionId>"));
    }
}
