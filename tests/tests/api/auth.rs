//! Login, JWTs, API tokens and roles.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use entity::enums::Role;
use serde_json::json;
use tests::{dual_db, gql, TestApp};

dual_db!(
    login_gives_a_token_that_reads_the_viewer,
    wrong_password_and_unknown_email_answer_alike,
    repeated_failures_are_slowed_down,
    tampered_expired_and_missing_tokens_are_rejected,
    api_token_works_until_revoked,
    roles_are_enforced,
    passwords_are_hashed_with_argon2,
);

/// A login token reads the viewer with its organization and role.
async fn login_gives_a_token_that_reads_the_viewer(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let data = app
        .ok(
            &admin,
            "{ viewer { role user { email } organization { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["viewer"]["role"], "ADMIN");
    assert_eq!(data["viewer"]["user"]["email"], admin.email.as_str());
    assert_eq!(data["viewer"]["organization"]["name"], "Acme");
}

/// Unknown emails and wrong passwords get the same code and message.
async fn wrong_password_and_unknown_email_answer_alike(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let q = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    let wrong = app
        .gql(None, q, json!({"e": admin.email, "p": "not the password"}))
        .await;
    let unknown = app
        .gql(
            None,
            q,
            json!({"e": "nobody@example.com", "p": "whatever123"}),
        )
        .await;
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert_eq!(
        unknown["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

/// After five failures for one email, further tries are RATE_LIMITED with retryAfter, even
/// with the right password; other emails are unaffected.
async fn repeated_failures_are_slowed_down(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let other = app.login_as("Acme", Role::Viewer).await;
    let q = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    for _ in 0..5 {
        let body = app
            .gql(None, q, json!({"e": admin.email, "p": "wrong-password"}))
            .await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let body = app
        .gql(None, q, json!({"e": admin.email, "p": admin.password}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    assert!(body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .is_some());
    app.login(&other.email, &other.password).await;
}

/// A token whose signature, expiry or shape is wrong is UNAUTHENTICATED; so is no token.
async fn tampered_expired_and_missing_tokens_are_rejected(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let q = "{ viewer { role } }";
    // Tampered: same header and signature, claims changed to another user id.
    let parts: Vec<&str> = admin.token.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let sub: i64 = claims["sub"].as_str().unwrap().parse().unwrap();
    claims["sub"] = json!((sub + 1).to_string());
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    // Expired: correctly signed, but in the past.
    let (expired, _) =
        server::auth::jwt::issue(&app.state.keys, sub, claims["org"].as_i64().unwrap(), -10)
            .unwrap();
    // Signed with another key.
    let (foreign, _) =
        server::auth::jwt::issue(&server::crypto::Keys::random(), 1, 1, 3600).unwrap();
    for token in [
        forged.as_str(),
        expired.as_str(),
        foreign.as_str(),
        "garbage",
        "sbt_nope_nope",
    ] {
        let body = app.gql(Some(token), q, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "token {token}: {body}"
        );
    }
    let body = app.gql(None, q, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

/// An API token authenticates with its role, records its last use, and stops at once when revoked.
async fn api_token_works_until_revoked(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let created = app
        .ok(
            &admin,
            gql::CREATE_TOKEN,
            json!({"name": "nightly", "role": "OPERATOR"}),
        )
        .await;
    let secret = created["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(secret.starts_with("sbt_"));
    let id = created["createApiToken"]["apiToken"]["id"].clone();
    let body = app
        .gql(
            Some(&secret),
            "{ viewer { role user { email } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["viewer"]["role"], "OPERATOR");
    assert!(body["data"]["viewer"]["user"].is_null());
    let tokens = app
        .ok(
            &admin,
            "{ apiTokens { name lastUsedAt revoked } }",
            json!({}),
        )
        .await;
    assert!(tokens["apiTokens"][0]["lastUsedAt"].is_string());
    // The secret is never shown again, and only its hash is stored.
    assert!(!tokens.to_string().contains(&secret));
    let rows = entity::api_token::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .all(|r| r.secret_hash != secret && !r.secret_hash.contains(&secret[4..16])));
    app.ok(
        &admin,
        "mutation($id: ID!) { revokeApiToken(id: $id) { revoked } }",
        json!({"id": id}),
    )
    .await;
    let body = app
        .gql(Some(&secret), "{ viewer { role } }", json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert!(
        !tests::logs::all().contains(&secret),
        "an API token secret reached the log"
    );
}

use sea_orm::EntityTrait;

/// VIEWER reads but cannot write; OPERATOR writes but cannot manage users, tokens or source
/// credentials; ADMIN can.
async fn roles_are_enforced(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let create_user = "mutation { createUser(email: \"x@example.com\", name: \"X\", password: \"long enough pw\", role: VIEWER) { id } }";
    assert_eq!(
        app.err(&operator, create_user, json!({})).await.0,
        "FORBIDDEN"
    );
    assert_eq!(
        app.err(&viewer, create_user, json!({})).await.0,
        "FORBIDDEN"
    );
    app.ok(&admin, create_user, json!({})).await;
    assert_eq!(
        app.err(
            &operator,
            gql::CREATE_TOKEN,
            json!({"name": "t", "role": "VIEWER"})
        )
        .await
        .0,
        "FORBIDDEN"
    );
    assert_eq!(
        app.err(&viewer, "{ apiTokens { id } }", json!({})).await.0,
        "FORBIDDEN"
    );
    app.ok(&operator, "{ apiTokens { id } }", json!({})).await;
    assert_eq!(
        app.err(&viewer, gql::CREATE_CUSTOMER, json!({"name": "C"}))
            .await
            .0,
        "FORBIDDEN"
    );
    app.ok(&operator, gql::CREATE_CUSTOMER, json!({"name": "C"}))
        .await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0", "credentials": gql::cw_credentials()}});
    assert_eq!(
        app.err(&operator, gql::CREATE_SOURCE, input.clone())
            .await
            .0,
        "FORBIDDEN"
    );
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await;
    let id = source["createSource"]["id"].clone();
    // OPERATOR changes settings and pauses, but not credentials or the base URL.
    let settings = "mutation($id: ID!) { updateSource(id: $id, input: {settings: {timezone: \"Europe/Paris\"}}) { settings { timezone } } }";
    app.ok(&operator, settings, json!({"id": id})).await;
    assert_eq!(
        app.err(&viewer, settings, json!({"id": id})).await.0,
        "FORBIDDEN"
    );
    let creds = "mutation($id: ID!) { updateSource(id: $id, input: {credentials: {privateKey: \"new\"}}) { id } }";
    assert_eq!(
        app.err(&operator, creds, json!({"id": id})).await.0,
        "FORBIDDEN"
    );
    app.ok(&admin, creds, json!({"id": id})).await;
    app.ok(
        &operator,
        "mutation($id: ID!) { pauseSource(id: $id) { status } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        app.err(
            &operator,
            "mutation($id: ID!) { deleteSource(id: $id) }",
            json!({"id": id})
        )
        .await
        .0,
        "FORBIDDEN"
    );
    // VIEWER sees no webhook URL; OPERATOR does.
    let q = "query($id: ID!) { source(id: $id) { webhookUrl } }";
    assert!(app.ok(&viewer, q, json!({"id": id})).await["source"]["webhookUrl"].is_null());
    assert!(app.ok(&operator, q, json!({"id": id})).await["source"]["webhookUrl"].is_string());
}

/// Stored passwords are argon2id PHC strings, never the password.
async fn passwords_are_hashed_with_argon2(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let users = entity::user::Entity::find().all(&app.db).await.unwrap();
    let row = users.iter().find(|u| u.email == admin.email).unwrap();
    assert!(row.password_hash.starts_with("$argon2id$"));
    assert!(!row.password_hash.contains(&admin.password));
}
