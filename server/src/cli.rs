//! The `switchboard` command line (../shared/api/CLI.md): serve (default), migrate,
//! user create, token create, schema.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use entity::enums::Role;

use crate::config::Settings;
use crate::services::{identity, tokens};
use crate::startup::{shutdown_signal, Application};
use crate::{db, demo, graphql, telemetry};

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Links the entities of telecom switches and PSAs to billed services"
)]
struct Cli {
    /// A TOML file with settings (environment variables override it).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the API, the web app and the workers (the default).
    Serve {
        /// Seed a demo organization and print its login.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Queue a forced sync of a source; with --wait, follow it to its end.
    Sync {
        #[arg(long)]
        org: String,
        /// The source's GraphQL id, or its name.
        #[arg(long)]
        source: String,
        /// Follow the job (running it here when no server claims it); exit 0 only if it succeeded.
        #[arg(long)]
        wait: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (and its organization if it does not exist).
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long, required_unless_present = "password_stdin")]
        password: Option<String>,
        /// Read the password from standard input instead.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token and print its secret (once).
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Operator,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Operator => Role::Operator,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command line given as `args` (the program name first), as `main` does; for tests
/// and tools that drive the CLI in-process.
pub async fn run_args<I, T>(args: I) -> anyhow::Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    run(Cli::try_parse_from(args)?).await
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if let Command::Schema = command {
        print!("{}", graphql::sdl());
        return Ok(ExitCode::SUCCESS);
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings.log_filter);
    match command {
        Command::Serve { demo: with_demo } => {
            let app = Application::build(settings).await?;
            if with_demo {
                demo::seed(
                    &app.state().db,
                    &app.state().keys,
                    std::env::var("SWITCHBOARD_DEMO_FAKES").ok().as_deref(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("seeding the demo: {}", e.message()))?;
                println!(
                    "Switchboard is running at http://{}/ — log in as {} with password {}",
                    app.address(),
                    demo::DEMO_EMAIL,
                    demo::DEMO_PASSWORD
                );
            }
            app.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Migrate => {
            let database = db::connect(&settings.database_url).await?;
            db::migrate(&database, &settings.database_url).await?;
            println!("migrations applied");
        }
        Command::User(UserCommand::Create {
            org,
            email,
            password,
            password_stdin,
            role,
            name,
        }) => {
            let password = match (password, password_stdin) {
                (_, true) => {
                    let mut text = String::new();
                    std::io::stdin()
                        .read_to_string(&mut text)
                        .context("reading the password")?;
                    text.trim_end_matches(['\n', '\r']).to_owned()
                }
                (Some(p), false) => p,
                (None, false) => anyhow::bail!("give --password or --password-stdin"),
            };
            let database = db::connect(&settings.database_url).await?;
            db::migrate(&database, &settings.database_url).await?;
            let org = identity::ensure_organization(&database, &org)
                .await
                .map_err(cli_error)?;
            let name = name.unwrap_or_else(|| email.clone());
            let user =
                identity::create_user(&database, org.id, &email, &name, &password, role.into())
                    .await
                    .map_err(cli_error)?;
            println!("created user {} in {}", user.email, org.name);
        }
        Command::Token(TokenCommand::Create { org, name, role }) => {
            let database = db::connect(&settings.database_url).await?;
            db::migrate(&database, &settings.database_url).await?;
            let org = identity::ensure_organization(&database, &org)
                .await
                .map_err(cli_error)?;
            let (_, secret) =
                tokens::create_api_token_in(&database, org.id, None, &name, role.into(), None)
                    .await
                    .map_err(cli_error)?;
            println!("{secret}");
        }
        Command::Sync { org, source, wait } => {
            return sync_command(settings, &org, &source, wait).await
        }
        Command::Schema => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// `switchboard sync`: queue (or join) a forced import and, with `wait`, follow it.
async fn sync_command(
    settings: Settings,
    org: &str,
    source: &str,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    use entity::enums::SyncJobStatus;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let database = db::connect(&settings.database_url).await?;
    db::migrate(&database, &settings.database_url).await?;
    let keys = crate::crypto::Keys::load(&settings)?;
    let org = entity::organization::Entity::find()
        .filter(entity::organization::Column::Name.eq(org))
        .one(&database)
        .await?
        .with_context(|| format!("no organization named {org:?}"))?;
    let viewer = crate::auth::Viewer::system(org.id);
    let by_id = crate::graphql::ids::decode(crate::graphql::ids::Kind::Source, source);
    let found = entity::source::Entity::find()
        .filter(entity::source::Column::OrganizationId.eq(org.id))
        .filter(entity::source::Column::DeletedAt.is_null())
        .all(&database)
        .await?
        .into_iter()
        .find(|s| Some(s.id) == by_id || s.name.eq_ignore_ascii_case(source))
        .with_context(|| format!("no source {source:?} in {}", org.name))?;
    let job = crate::sync::queue::force(&database, &viewer, found.id)
        .await
        .map_err(cli_error)?;
    let events = crate::events::Events::default();
    events
        .job_changed(&database, crate::events::JobChanged::of(&job))
        .await;
    let job_gid = crate::graphql::ids::encode(crate::graphql::ids::Kind::SyncJob, job.id).0;
    println!("queued sync job {job_gid} for {}", found.name);
    if !wait {
        return Ok(ExitCode::SUCCESS);
    }
    let state = crate::state::AppState::new(database.clone(), settings, keys);
    let worker = crate::sync::worker::Worker::new(state, 0);
    let queued_since = std::time::Instant::now();
    loop {
        let current = entity::sync_job::Entity::find_by_id(job.id)
            .one(&database)
            .await?
            .context("the job vanished")?;
        if crate::sync::queue::is_finished(current.status) {
            println!(
                "{:?}{}",
                current.status,
                current.error.map(|e| format!(": {e}")).unwrap_or_default()
            );
            return Ok(if current.status == SyncJobStatus::Succeeded {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        // A server's workers get a moment to claim it; then this process runs the queue itself.
        if current.status == SyncJobStatus::Queued
            && queued_since.elapsed() > std::time::Duration::from_secs(2)
        {
            worker.try_run_next().await?;
            continue;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

fn cli_error(err: crate::error::ApiError) -> anyhow::Error {
    match &err {
        crate::error::ApiError::Internal(cause) => anyhow::anyhow!("{cause:#}"),
        other => anyhow::anyhow!("{} ({})", other.message(), other.code()),
    }
}
