//! The command line (../shared/api/CLI.md), driven in-process with a `--config` file.

use entity::enums::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tests::TempDir;

fn config(dir: &TempDir) -> String {
    let db = dir.path.join("cli.db");
    let path = dir.path.join("switchboard.toml");
    std::fs::write(
        &path,
        format!("database_url = \"sqlite://{}?mode=rwc\"\n", db.display()),
    )
    .unwrap();
    path.display().to_string()
}

async fn run(args: &[&str]) -> anyhow::Result<std::process::ExitCode> {
    server::cli::run_args(std::iter::once("switchboard").chain(args.iter().copied())).await
}

/// `migrate`, `user create` (organization made on the way, unique emails) and `token create`
/// work on a fresh SQLite file, which gets its key files beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_token_commands_create_what_they_say() {
    let dir = TempDir::new();
    let cfg = config(&dir);
    run(&["--config", &cfg, "migrate"]).await.unwrap();
    run(&[
        "--config",
        &cfg,
        "user",
        "create",
        "--org",
        "Acme",
        "--email",
        "Ann@Example.com",
        "--password",
        "long enough",
        "--role",
        "operator",
    ])
    .await
    .unwrap();
    let again = run(&[
        "--config",
        &cfg,
        "user",
        "create",
        "--org",
        "Other",
        "--email",
        "ann@example.com",
        "--password",
        "long enough",
        "--role",
        "viewer",
    ])
    .await;
    assert!(
        again.is_err(),
        "a second user with the same email must be refused"
    );
    run(&[
        "--config", &cfg, "token", "create", "--org", "Acme", "--name", "nightly", "--role",
        "viewer",
    ])
    .await
    .unwrap();
    assert!(run(&[
        "--config",
        &cfg,
        "user",
        "create",
        "--org",
        "Acme",
        "--email",
        "x@example.com",
        "--password",
        "long enough",
        "--role",
        "root"
    ])
    .await
    .is_err());

    let url = format!("sqlite://{}?mode=rwc", dir.path.join("cli.db").display());
    let db = server::db::connect(&url).await.unwrap();
    let user = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq("ann@example.com"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Operator);
    assert_eq!(user.name, "Ann@Example.com");
    let tokens = entity::api_token::Entity::find().all(&db).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].role, Role::Viewer);
    // The server's keys are generated beside the SQLite file on first start, then reused, so
    // a restart keeps logins and sealed credentials valid.
    let settings = server::config::Settings::for_database(&url);
    let first = server::crypto::Keys::load(&settings).unwrap();
    assert!(
        dir.path.join("cli.db.jwt-secret").exists()
            && dir.path.join("cli.db.credentials-key").exists()
    );
    let sealed = first.seal(1, 2, server::crypto::Purpose::Credentials, b"secret");
    let second = server::crypto::Keys::load(&settings).unwrap();
    assert_eq!(first.jwt_secret(), second.jwt_secret());
    assert_eq!(
        second
            .open(1, 2, server::crypto::Purpose::Credentials, &sealed)
            .unwrap(),
        b"secret"
    );
}

/// PostgreSQL without keys is refused with a message naming the variable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_needs_its_keys() {
    let settings =
        server::config::Settings::for_database("postgres://postgres@127.0.0.1:5432/test");
    let err = server::crypto::Keys::load(&settings).unwrap_err();
    assert!(err.to_string().contains("SWITCHBOARD_JWT_SECRET"), "{err}");
}
