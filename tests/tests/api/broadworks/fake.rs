//! The BroadWorks fake behaves as docs/CONNECTORS.md §4.3 says, spoken to in raw SOAP (with
//! the `in0` argument name some clients use): sessions and cookies, both logins, the list
//! commands with their exact headings, `echo`, truncation, and its fault bodies.

use tests::fakes::broadworks::{
    signed_password, BroadWorksFake, Config, COOKIE, INVALID_PASSWORD, NOT_LOGGED_IN,
};
use tests::fakes::faults::FaultPlan;

struct Client {
    http: reqwest::Client,
    url: String,
    session: String,
    cookie: Option<String>,
}

impl Client {
    fn new(fake: &BroadWorksFake, session: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            url: fake.base_url(),
            session: session.into(),
            cookie: None,
        }
    }

    /// Posts one document of `commands` (raw XML); returns the status and the reply's OCI.
    async fn call(&mut self, commands: &str) -> (u16, String) {
        let oci = format!(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><BroadsoftDocument protocol=\"OCI\" xmlns=\"C\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><sessionId xmlns=\"\">{}</sessionId>{commands}</BroadsoftDocument>",
            self.session
        );
        let escaped = oci
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let body = format!("<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><ws:processOCIMessage xmlns:ws=\"urn:com:broadsoft:webservice\"><in0>{escaped}</in0></ws:processOCIMessage></soap:Body></soap:Envelope>");
        let mut request = self.http.post(&self.url).body(body);
        if let Some(c) = &self.cookie {
            request = request.header("Cookie", format!("{COOKIE}={c}"));
        }
        let resp = request.send().await.unwrap();
        let status = resp.status().as_u16();
        if let Some(set) = resp.headers().get("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            self.cookie = Some(pair.split_once('=').unwrap().1.to_owned());
        }
        let text = resp.text().await.unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let ret = doc
            .descendants()
            .find(|n| n.tag_name().name() == "processOCIMessageReturn");
        (
            status,
            ret.map_or(text.clone(), |n| n.text().unwrap_or_default().to_owned()),
        )
    }
}

fn command(kind: &str, echo: &str, fields: &str) -> String {
    format!("<command xmlns=\"\" xsi:type=\"{kind}\" echo=\"{echo}\">{fields}</command>")
}

fn nonce_of(oci: &str) -> String {
    let start = oci.find("<nonce>").unwrap() + 7;
    oci[start..oci.find("</nonce>").unwrap()].to_owned()
}

#[tokio::test]
async fn broadworks_fake_keeps_sessions_and_logins_as_documented() {
    assert_eq!(
        signed_password("1700000000000", "switchboard-demo"),
        "201ec69e2e93fe2e1d63ee603d84b794"
    );
    let fake = BroadWorksFake::start(Config::default()).await;
    let sp_list = command("ServiceProviderGetListRequest", "", "");
    let mut a = Client::new(&fake, "session-a");
    let (status, reply) = a.call(&sp_list).await;
    assert_eq!(status, 200);
    assert!(reply.contains(NOT_LOGGED_IN), "{reply}");
    assert!(reply.contains("xsi:type=\"c:ErrorResponse\""));
    assert!(
        a.cookie.is_some(),
        "the first reply sets the session cookie"
    );
    // The same session without its cookie, or with another session's cookie, is refused.
    let mut no_cookie = Client::new(&fake, "session-a");
    assert!(no_cookie
        .call(&sp_list)
        .await
        .1
        .contains("Session cookie missing"));
    let mut b = Client::new(&fake, "session-b");
    b.cookie = a.cookie.clone();
    assert!(b
        .call(&sp_list)
        .await
        .1
        .contains("belongs to another session"));

    let (_, auth) = a
        .call(&command(
            "AuthenticationRequest",
            "",
            "<userId>switchboard-admin</userId>",
        ))
        .await;
    assert!(
        auth.contains("<passwordAlgorithm>MD5</passwordAlgorithm>"),
        "{auth}"
    );
    let wrong = command(
        "LoginRequest14sp4",
        "",
        "<userId>switchboard-admin</userId><signedPassword>00</signedPassword>",
    );
    assert!(a.call(&wrong).await.1.contains(INVALID_PASSWORD));
    let signed = signed_password(&nonce_of(&auth), "fake-bw-password");
    let login = command(
        "LoginRequest14sp4",
        "",
        &format!("<userId>switchboard-admin</userId><signedPassword>{signed}</signedPassword>"),
    );
    let (_, ok) = a.call(&login).await;
    assert!(
        ok.contains("xsi:type=\"LoginResponse14sp4\"")
            && ok.contains("<loginType>System</loginType>"),
        "{ok}"
    );

    // Two commands in one document, each echoed; tables with the documented headings.
    let two = command(
        "ServiceProviderGetListRequest",
        "first",
        "<responseSizeLimit>1</responseSizeLimit>",
    ) + &command(
        "UserGetListInGroupRequest",
        "second",
        "<serviceProviderId>ent1</serviceProviderId><GroupId>grp1</GroupId>",
    );
    let (_, reply) = a.call(&two).await;
    assert!(
        reply.contains("echo=\"first\" xsi:type=\"ServiceProviderGetListResponse\""),
        "{reply}"
    );
    assert!(reply.contains("<colHeading>Service Provider Id</colHeading><colHeading>Service Provider Name</colHeading><colHeading>Is Enterprise</colHeading><row><col>ent1</col><col>Enterprise 1</col><col>true</col></row></serviceProviderTable>"), "cut at 1 row: {reply}");
    assert!(reply.contains("echo=\"second\" xsi:type=\"UserGetListInGroupResponse\""));
    assert!(reply.contains("<colHeading>Phone Number Activated</colHeading>"));
    assert!(reply.contains("<col/>"), "empty cells");
    let lower = command(
        "UserGetListInGroupRequest",
        "",
        "<serviceProviderId>ent1</serviceProviderId><groupId>grp1</groupId>",
    );
    assert!(a
        .call(&lower)
        .await
        .1
        .contains("GroupId (with a capital G)"));
    let hunt = command(
        "GroupHuntGroupGetInstanceListRequest",
        "",
        "<serviceProviderId>sp2</serviceProviderId><groupId>grp9</groupId>",
    );
    assert!(a.call(&hunt).await.1.contains("Group not found: grp9"));
    let sixteen = command("ServiceProviderGetListRequest", "", "").repeat(16);
    assert!(a.call(&sixteen).await.1.contains("1 to 15 commands"));

    // Logout ends the session: its cookie is no longer known.
    a.call(&command(
        "LogoutRequest",
        "",
        "<userId>switchboard-admin</userId>",
    ))
    .await;
    assert!(a.call(&sp_list).await.1.contains("Unknown session cookie"));
    // The plain login also works (over http unless switched off); the WSDL stub answers.
    let mut c = Client::new(&fake, "session-c");
    let plain = command(
        "LoginRequest22V5",
        "",
        "<userId>switchboard-admin</userId><password>fake-bw-password</password>",
    );
    assert!(c.call(&plain).await.1.contains("LoginResponse22V5"));
    let wsdl = reqwest::get(format!("{}?wsdl", fake.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(wsdl.contains("processOCIMessage"));
}

#[tokio::test]
async fn broadworks_fake_shuffles_columns_and_faults_fire_as_planned() {
    let fake = BroadWorksFake::start(Config {
        shuffle_columns: true,
        ..Config::default()
    })
    .await;
    let mut a = Client::new(&fake, "s");
    let plain = command(
        "LoginRequest22V5",
        "",
        "<userId>switchboard-admin</userId><password>fake-bw-password</password>",
    );
    a.call(&plain).await;
    let (_, reply) = a
        .call(&command("ServiceProviderGetListRequest", "", ""))
        .await;
    assert!(reply.contains("<serviceProviderTable><colHeading>Service Provider Name</colHeading><colHeading>Service Provider Id</colHeading><colHeading>Is Enterprise</colHeading><row><col>Enterprise 1</col><col>ent1</col><col>true</col></row>"), "{reply}");

    fake.faults.set(FaultPlan {
        rate_limited: 1,
        retry_after_seconds: 2,
        server_errors: 1,
        malformed: 2,
        ..FaultPlan::default()
    });
    let list = command("ServiceProviderGetListRequest", "", "");
    let resp = reqwest::Client::new()
        .post(fake.base_url())
        .body("<x/>")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            resp.status().as_u16(),
            resp.headers()["retry-after"].to_str().unwrap()
        ),
        (429, "2")
    );
    let (status, body) = a.call(&list).await;
    assert_eq!(status, 500);
    assert!(
        body.contains("<faultstring>Internal server error</faultstring>"),
        "{body}"
    );
    // Cut envelope (not XML), then whole envelope with OCI that does not parse.
    let cut = reqwest::Client::new()
        .post(fake.base_url())
        .body("<x/>")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(roxmltree::Document::parse(&cut).is_err());
    let (status, oci) = a.call(&list).await;
    assert_eq!(status, 200);
    assert!(roxmltree::Document::parse(&oci).is_err(), "{oci}");
    // The truncation fault: the next user table has exactly responseSizeLimit rows.
    fake.faults.set(FaultPlan {
        short_pages: 1,
        ..FaultPlan::default()
    });
    let users = command("UserGetListInGroupRequest", "", "<serviceProviderId>sp2</serviceProviderId><GroupId>grp2</GroupId><responseSizeLimit>7</responseSizeLimit>");
    assert_eq!(a.call(&users).await.1.matches("<row>").count(), 7);
    assert_eq!(a.call(&users).await.1.matches("<row>").count(), 3);
}
