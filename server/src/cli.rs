//! The `switchboard` command line (../shared/api/CLI.md): serve (default), migrate,
//! user create, token create, schema.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use entity::enums::Role;

use crate::config::Settings;
use crate::services::identity;
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
                demo::seed(&app.state().db)
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
                identity::create_api_token_in(&database, org.id, None, &name, role.into(), None)
                    .await
                    .map_err(cli_error)?;
            println!("{secret}");
        }
        Command::Schema => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn cli_error(err: crate::error::ApiError) -> anyhow::Error {
    match &err {
        crate::error::ApiError::Internal(cause) => anyhow::anyhow!("{cause:#}"),
        other => anyhow::anyhow!("{} ({})", other.message(), other.code()),
    }
}
