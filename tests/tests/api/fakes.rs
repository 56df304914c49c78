//! The provider fakes behave as ../shared/upstream documents the providers (docs/CONNECTORS.md
//! §4): these tests hold the fakes to the documents the connectors are written from.

use std::collections::HashSet;

use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::Value;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::fakes::faults::FaultPlan;

fn auth(config: &Config) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!(
            "{}+{}:{}",
            config.company_id, config.public_key, config.private_key
        ))
    )
}

async fn get(fake: &ConnectWiseFake, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/{path}", fake.base_url()))
        .header("Authorization", auth(&fake.config))
        .header("clientId", &fake.config.client_id)
        .send()
        .await
        .unwrap()
}

fn ids(body: &Value) -> Vec<u64> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn connectwise_fake_checks_basic_auth_and_client_id() {
    let fake = ConnectWiseFake::start(Config::default()).await;
    let client = reqwest::Client::new();
    let url = format!("{}/company/companies", fake.base_url());
    let none = client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.json::<Value>().await.unwrap()["code"], "Unauthorized");
    let no_client = client
        .get(&url)
        .header("Authorization", auth(&fake.config))
        .send()
        .await
        .unwrap();
    assert_eq!(no_client.status(), 401);
    assert_eq!(get(&fake, "company/companies").await.status(), 200);
    // Any codebase segment works, as with the real product.
    let other = client
        .get(format!("http://{}/v2025_1/apis/3.0/system/info", fake.addr))
        .header("Authorization", auth(&fake.config))
        .header("clientId", &fake.config.client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    let missing = get(&fake, "company/nothing").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["message"],
        "The endpoint does not exist."
    );
}

/// Id-keyset paging (`conditions=id>N&orderBy=id asc`) and forward-only `pageId` links both
/// deliver every record once; `/count` agrees.
#[tokio::test]
async fn connectwise_fake_pages_by_id_and_forward_only() {
    let fake = ConnectWiseFake::start(Config {
        companies: 23,
        ..Config::default()
    })
    .await;
    let count: Value = get(&fake, "company/contacts/count")
        .await
        .json()
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut last = 0;
    loop {
        let page: Value = get(
            &fake,
            &format!("company/contacts?conditions=id>{last}&orderBy=id%20asc&pageSize=10"),
        )
        .await
        .json()
        .await
        .unwrap();
        let page_ids = ids(&page);
        seen.extend(&page_ids);
        if page_ids.len() < 10 {
            break;
        }
        last = *page_ids.last().unwrap();
    }
    assert_eq!(seen.len() as u64, count["count"].as_u64().unwrap());
    assert_eq!(seen.len(), 46, "23 companies, 2 contacts each");
    let unique: HashSet<u64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len());

    let client = reqwest::Client::new();
    let mut url = Some(format!(
        "{}/company/configurations?pageSize=25",
        fake.base_url()
    ));
    let mut forward = Vec::new();
    while let Some(next) = url.take() {
        let resp = client
            .get(&next)
            .header("Authorization", auth(&fake.config))
            .header("clientId", &fake.config.client_id)
            .header("pagination-type", "forward-only")
            .send()
            .await
            .unwrap();
        let link = resp
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_owned());
        forward.extend(ids(&resp.json().await.unwrap()));
        url = link.map(|l| {
            l.trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned()
        });
        if let Some(u) = &url {
            assert!(u.contains("pageId="), "{u}");
        }
    }
    assert_eq!(forward.len(), 23 * 5);
}

/// Two pages from a fresh fake of 10 companies in which company 2 is deleted once the first
/// page has been served.
async fn two_pages_with_a_deletion(first: &str, second: &str) -> Vec<u64> {
    let fake = ConnectWiseFake::start(Config {
        companies: 10,
        ..Config::default()
    })
    .await;
    fake.faults.set(FaultPlan {
        delete_mid_pass: vec!["companies/2".into()],
        ..FaultPlan::default()
    });
    let mut seen = Vec::new();
    for path in [first, second] {
        let page: Value = get(&fake, path).await.json().await.unwrap();
        seen.extend(ids(&page));
    }
    seen
}

/// The trap the connector must avoid: with page numbers, a record deleted during the pass
/// shifts the next page and one record is never seen; id-keyset paging sees all survivors.
#[tokio::test]
async fn connectwise_fake_reproduces_a_deletion_mid_pass() {
    let by_page = two_pages_with_a_deletion(
        "company/companies?pageSize=5&page=1",
        "company/companies?pageSize=5&page=2",
    )
    .await;
    assert!(
        !by_page.contains(&6),
        "page numbers skip company 6 after company 2 is deleted: {by_page:?}"
    );
    let by_id = two_pages_with_a_deletion(
        "company/companies?conditions=id>0&pageSize=5",
        "company/companies?conditions=id>5&pageSize=5",
    )
    .await;
    assert_eq!(
        by_id,
        (1..=10).collect::<Vec<u64>>(),
        "every record present at its turn is seen"
    );
}

#[tokio::test]
async fn connectwise_fake_faults_fire_as_planned() {
    let fake = ConnectWiseFake::start(Config::default()).await;
    fake.faults.set(FaultPlan {
        rate_limited: 1,
        retry_after_seconds: 3,
        server_errors: 1,
        malformed: 1,
        short_pages: 1,
        resets: 1,
        ..FaultPlan::default()
    });
    let reset = reqwest::Client::new()
        .get(format!("{}/company/companies", fake.base_url()))
        .header("Authorization", auth(&fake.config))
        .header("clientId", &fake.config.client_id)
        .send()
        .await;
    assert!(
        reset.is_err(),
        "the connection is dropped without an answer"
    );
    let limited = get(&fake, "company/companies").await;
    assert_eq!(
        (
            limited.status().as_u16(),
            limited.headers()["retry-after"].to_str().unwrap()
        ),
        (429, "3")
    );
    assert_eq!(get(&fake, "company/companies").await.status(), 500);
    let malformed = get(&fake, "company/companies").await;
    assert_eq!(malformed.status(), 200);
    assert!(malformed.json::<Value>().await.is_err());
    let short: Value = get(&fake, "company/companies?pageSize=10")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&short).len(), 5, "a page cut in half");
    let whole: Value = get(&fake, "company/companies?pageSize=10")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&whole).len(), 10);
}

/// Records carry what the import needs: references, communication items, custom fields,
/// `_info.lastUpdated`; conditions and metadata lists follow the documents.
#[tokio::test]
async fn connectwise_fake_records_conditions_and_metadata() {
    let fake = ConnectWiseFake::start(Config {
        companies: 60,
        ..Config::default()
    })
    .await;
    let contacts: Value = get(&fake, "company/contacts?conditions=company/id=3")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&contacts), [5, 6]);
    let c = &contacts[0];
    assert_eq!(c["site"]["id"], 3);
    assert!(contacts[1]["site"].is_null());
    let kinds: Vec<&str> = c["communicationItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["communicationType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Phone", "Email"]);
    // Company 50 has neither contact nor configuration.
    let none: Value = get(
        &fake,
        "company/configurations/count?conditions=company/id=50",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(none["count"], 0);
    let sites: Value = get(&fake, "company/companies/7/sites")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&sites), [7]);
    let recent: Value = get(
        &fake,
        "company/companies/count?conditions=lastUpdated>[2025-01-01T00:00:50Z]",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(recent["count"], 10);
    let company: Value = get(&fake, "company/companies?conditions=id=4")
        .await
        .json()
        .await
        .unwrap();
    assert!(company[0]["_info"]["lastUpdated"].is_string());
    assert_eq!(company[0]["customFields"][0]["caption"], "Tier");
    let statuses: Value = get(&fake, "company/configurations/statuses")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses[0]["description"], "Active");
    let board: Value = get(&fake, "service/boards/1/statuses")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(board[0]["board"]["id"], 1);
    let bad = get(&fake, "company/companies?conditions=name%20like%20%22x%22").await;
    assert_eq!(bad.status(), 400);
}

/// The fakes gzip a body when the client asks for it (as the connectors do), and only then.
#[tokio::test]
async fn the_connectwise_fake_gzips_only_when_asked() {
    let fake = ConnectWiseFake::start(Config::default()).await;
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let url = format!("{}/company/companies?pageSize=5", fake.base_url());
    let send = |gzip: bool| {
        let mut request = client
            .get(&url)
            .header("Authorization", auth(&fake.config))
            .header("clientId", &fake.config.client_id);
        if gzip {
            request = request.header("Accept-Encoding", "gzip");
        }
        request.send()
    };
    let zipped = send(true).await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let plain = send(false).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.json::<Value>().await.unwrap().is_array());
}
