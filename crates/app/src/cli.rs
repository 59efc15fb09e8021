//! Command-line interface: `gongkai serve`, `migrate`, and the operator's
//! commands for units, users, tokens, the audit log, the calendar and backups.

use crate::config::Config;
use clap::{Args, Parser, Subcommand};
use gongkai_domain::accounts::{Password, Role, UnitCode, UnitKind, UnitName, Username};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "gongkai", version, about = "gongkai 政务公开平台 — open-government disclosure platform")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Data folder (SQLite database, stored files).
    #[arg(long, global = true, env = "GONGKAI_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Database URL; default: a SQLite file in the data folder. `postgres://…` selects PostgreSQL.
    #[arg(long, global = true, env = "GONGKAI_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true, env = "GONGKAI_LOG_JSON")]
    pub log_json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (portal, admin, API).
    Serve {
        #[arg(long, env = "GONGKAI_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Seed the demo county (idempotent) and print its logins.
        #[arg(long)]
        demo: bool,
        /// Minutes of inactivity after which a session ends.
        #[arg(long, env = "GONGKAI_IDLE_TIMEOUT_MINUTES", default_value_t = 30)]
        idle_timeout_minutes: i64,
        /// Always mark cookies Secure (otherwise only behind X-Forwarded-Proto: https).
        #[arg(long, env = "GONGKAI_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Rebuild the search index of this node from the database (server stopped,
    /// or use 重建索引 on /admin/search while it runs).
    Reindex,
    /// Seed the demo county into the database and print its logins.
    Demo,
    #[command(subcommand)]
    User(UserCmd),
    #[command(subcommand)]
    Unit(UnitCmd),
    #[command(subcommand)]
    Token(TokenCmd),
    #[command(subcommand)]
    Audit(AuditCmd),
    #[command(subcommand)]
    Workdays(WorkdaysCmd),
    /// Write a consistent backup (database snapshot and stored files) to a new folder.
    Backup { out: PathBuf },
    /// Restore a backup folder into the data folder (server stopped).
    Restore {
        input: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Export the public portal as static HTML with a SHA-256 manifest (防篡改).
    ExportSite {
        /// Output folder (new or empty).
        out: PathBuf,
        /// Site code; default: the site the portal serves.
        #[arg(long)]
        site: Option<String>,
        /// Origin of the live site (https://host): absolute URLs in sitemap and feeds; dynamic links point there.
        #[arg(long)]
        base_url: Option<String>,
        /// Write into a non-empty folder (an earlier export's files are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Check an exported site against its manifest: exit 0 clean, 1 differences, 2 unreadable.
    VerifySite {
        out: PathBuf,
        /// The manifest's SHA-256 as printed by export-site, kept apart from the site.
        #[arg(long)]
        manifest_sha256: Option<String>,
    },
    #[command(subcommand)]
    Import(ImportCmd),
    #[command(subcommand)]
    Bench(BenchCmd),
    /// The policy consultation Q&A library (政策咨询问答库).
    #[command(subcommand)]
    Qa(QaCmd),
    /// Disclosure on application (依申请公开).
    #[command(subcommand)]
    Foi(FoiCmd),
    /// The task responsibility list (任务清单).
    #[command(subcommand)]
    Tasks(TasksCmd),
}

#[derive(Subcommand, Debug)]
pub enum TasksCmd {
    /// Import a task list (.txt in the published text form, .docx or .xlsx).
    /// A new list is written at once; re-importing the same list changes
    /// nothing; a revised list shows its diff and is applied only with --yes.
    /// Exit code 4 when a diff waits for --yes.
    Import {
        file: PathBuf,
        /// Site code; default the first site.
        #[arg(long)]
        site: Option<String>,
        /// The list's year (dates without a year are in it).
        #[arg(long, default_value_t = 2021)]
        year: i32,
        /// Print the summary as JSON (parts, items, tasks, measures, units,
        /// groups, deadlines, warnings) instead of text.
        #[arg(long)]
        json: bool,
        /// Parse and compare only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply the diff of a revised list.
        #[arg(long)]
        yes: bool,
    },
    /// Write a plan's completion report (.xlsx or .docx by the extension).
    Report { plan: i64, out: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum FoiCmd {
    /// Recompute every open application's clock now (overdue flags,
    /// auto-closing, reminders), as the server does every ten minutes.
    Deadlines,
    /// Print a year's statistics (table 三 of the annual report, on-time
    /// rate, average working days); with --xlsx also write the workbook.
    Stats {
        #[arg(long)]
        year: i32,
        /// Site code; default the first site.
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum QaCmd {
    /// Import entries from JSONL (one object per line with question, answer
    /// and optionally id, similar, unit, officer, hotline_script, valid_until,
    /// links) or from an xlsx workbook with those column headers. Entries with
    /// an id already imported are updated.
    Import {
        file: PathBuf,
        /// Site code; default the first site.
        #[arg(long)]
        site: Option<String>,
        /// Import as drafts for review instead of published entries.
        #[arg(long)]
        draft: bool,
    },
    /// Export every entry as JSONL, or as xlsx when OUT ends in .xlsx.
    Export {
        out: PathBuf,
        #[arg(long)]
        site: Option<String>,
    },
    /// Run the consultation deadline job once (reminders, escalations).
    Deadlines,
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// Import published documents from a JSONL file (one JSON object per line;
    /// see README). Resumable: a checkpoint FILE.import-state is kept next to it.
    Documents {
        file: PathBuf,
        /// Site code for lines without "site"; default the first site.
        #[arg(long)]
        site: Option<String>,
        /// Lines per transaction.
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// Where refused lines are reported; default FILE.errors.jsonl.
        #[arg(long)]
        errors: Option<PathBuf>,
        /// Start from the beginning even if a checkpoint exists.
        #[arg(long)]
        restart: bool,
        /// User recorded as the author; default the first system administrator.
        #[arg(long)]
        author: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Policy Q&A matching against plain BM25: accuracy on the evaluation
    /// set, latency and memory on a large library (see BENCHMARKS.md).
    Qa {
        /// The FAQ corpus (JSONL with id, question, answer).
        #[arg(long, default_value = "../shared/data/faq/taipei-faq.jsonl")]
        corpus: PathBuf,
        /// The evaluation set (JSONL with q, expect, kind).
        #[arg(long, default_value = "bench/qa/eval.jsonl")]
        eval: PathBuf,
        /// Entries of the library for the latency and memory figures.
        #[arg(long, default_value_t = 100_000)]
        library_size: usize,
        /// Passes over the evaluation questions for latency.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Refit the confidence calibration on half of the set first.
        #[arg(long)]
        fit: bool,
        /// Print the answerable questions of the even half whose first match is wrong.
        #[arg(long)]
        show_misses: bool,
        /// Search the re-ranker weights on the even half first.
        #[arg(long)]
        tune: bool,
        /// Write every evaluation question's candidates with their features
        /// to this JSONL file (for analysis).
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Disclosure on application: recomputing N open cases after a calendar
    /// change, and rendering a case page with a 50-event history.
    Foi {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        #[arg(long, default_value_t = 2_000)]
        renders: usize,
        /// Run on PostgreSQL (a fresh schema, dropped afterwards) instead
        /// of a temporary SQLite file.
        #[arg(long = "on")]
        on: Option<String>,
    },
    /// The mailbox: the routing classifier on the shared labelled messages,
    /// and message submission under load on loopback.
    Mailbox {
        #[arg(long, default_value = "../shared/data/messages/messages-labelled.jsonl")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Task lists: importing the seed, and the overview dashboard of a large plan.
    Tasks {
        #[arg(long, default_value = "../shared/seeds/000_fffd36a955ce654e.txt")]
        seed: PathBuf,
        #[arg(long, default_value_t = 2_000)]
        rows: usize,
        #[arg(long, default_value_t = 100)]
        units: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Write N realistic generated policy documents as import JSONL.
    GenerateDocuments {
        out: PathBuf,
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "wsx")]
        site: String,
        /// Make every K-th line deliberately invalid (for testing error reports).
        #[arg(long)]
        bad_every: Option<u64>,
    },
    /// Compare this node's search with SQLite FTS5 (trigram) on an imported
    /// generated corpus: latency, nDCG@10 and index size (see BENCHMARKS.md).
    Search {
        /// The generated JSONL that was imported (for its ground-truth labels).
        #[arg(long)]
        corpus: PathBuf,
        /// The FTS5 database file (built when missing, reused when present).
        #[arg(long)]
        fts_db: PathBuf,
        /// Timed runs per query on our index.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Timed runs per query on FTS5.
        #[arg(long, default_value_t = 1)]
        fts_rounds: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user with one role over one unit.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        /// The unit's exact name (or its code).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input instead of generating an initial one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users with their roles.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UnitCmd {
    /// Create a unit.
    Add {
        #[arg(long)]
        name: String,
        /// Organisation code used in 索引号.
        #[arg(long)]
        code: String,
        /// Parent unit's name or code; omit for a root unit.
        #[arg(long)]
        parent: Option<String>,
        /// government, department, township, street or other.
        #[arg(long, default_value = "department")]
        kind: String,
        /// Public phone (对外联系电话).
        #[arg(long)]
        phone: Option<String>,
    },
    /// List units as a tree.
    List,
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create an API token for a user and print it (shown once).
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        label: String,
    },
    /// List a user's tokens.
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by id.
    Revoke { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Verify the hash chain; exits non-zero naming the first broken entry.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum WorkdaysCmd {
    /// Print the due date N working days after a date.
    Deadline {
        #[arg(long)]
        from: String,
        #[arg(long)]
        days: String,
        /// Also list counted and skipped days.
        #[arg(long)]
        explain: bool,
    },
    /// Import a year's arrangement (holiday-cn JSON shape).
    Import { file: PathBuf },
    /// Say whether a date is a working day.
    Check { date: String },
}

impl Global {
    pub fn config(&self) -> Config {
        Config {
            addr: "127.0.0.1:8080".parse().expect("valid default address"),
            database_url: self
                .database_url
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| Config::default_database_url(&self.data)),
            data_dir: self.data.clone(),
            idle_timeout_minutes: gongkai_domain::accounts::DEFAULT_IDLE_TIMEOUT_MINUTES,
            secure_cookies: false,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init(cli.global.log_json);
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

const CLI_ACTOR: &str = "cli";

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config = cli.global.config();
    match cli.command {
        Command::Serve {
            addr,
            demo,
            idle_timeout_minutes,
            secure_cookies,
        } => {
            if !(1..=24 * 60).contains(&idle_timeout_minutes) {
                anyhow::bail!("--idle-timeout-minutes must be between 1 and 1440");
            }
            config.addr = addr;
            config.idle_timeout_minutes = idle_timeout_minutes;
            config.secure_cookies = secure_cookies;
            crate::server::serve(config, demo).await?;
        }
        Command::Migrate => {
            let store = crate::server::open_store(&config).await?;
            println!("schema version {} ({})", store.schema_version().await?, store.backend().as_str());
        }
        Command::Reindex => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {pos} documents indexed ({per_sec})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let started = std::time::Instant::now();
            let n = match crate::search::rebuild_with(&state, |n| bar.set_position(n as u64)).await {
                Ok(n) => n,
                Err(e) if e.code == "conflict" => {
                    bar.abandon();
                    eprintln!("the search index is in use by a running server: stop it first, or use 重建索引 on /admin/search");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            bar.finish_and_clear();
            println!(
                "search index rebuilt: {n} documents in {:.1} s, {:.1} MB",
                started.elapsed().as_secs_f64(),
                state.search.index.size_on_disk() as f64 / 1_048_576.0
            );
        }
        Command::Demo => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            println!("{}", crate::demo::seed(&state).await?);
        }
        Command::User(cmd) => user(cmd, &config).await?,
        Command::Unit(cmd) => unit(cmd, &config).await?,
        Command::Token(cmd) => token(cmd, &config).await?,
        Command::Audit(AuditCmd::Verify) => {
            let store = crate::server::open_store(&config).await?;
            match store.verify_audit().await? {
                Ok(n) => println!("audit log intact: {n} entries verified"),
                Err(e) => {
                    eprintln!("audit log BROKEN at entry {}: {e}", e.seq());
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Workdays(cmd) => return workdays(cmd, &config).await,
        Command::Backup { out } => {
            let store = crate::server::open_store(&config).await?;
            let m = crate::ops::backup(&store, &config, &out).await?;
            println!(
                "backup written to {} ({} files, database: {})",
                out.display(),
                m.files.len(),
                m.database
            );
        }
        Command::Restore { input, force } => {
            let m = crate::ops::restore(&config, &input, force).await?;
            println!(
                "restored {} files from {} (backup of {})",
                m.files.len(),
                input.display(),
                m.created_at
            );
        }
        Command::ExportSite {
            out,
            site,
            base_url,
            force,
        } => {
            let opts = crate::catalogue::export::ExportOptions { site, base_url, force };
            return crate::catalogue::export::cli_export(&config, &out, opts).await;
        }
        Command::VerifySite { out, manifest_sha256 } => {
            return Ok(crate::catalogue::export::cli_verify(&out, manifest_sha256.as_deref()));
        }
        Command::Import(ImportCmd::Documents {
            file,
            site,
            batch,
            errors,
            restart,
            author,
        }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            {
                let stop = stop.clone();
                tokio::spawn(async move {
                    if tokio::signal::ctrl_c().await.is_ok() {
                        eprintln!("stopping after the current batch (the checkpoint lets the next run continue)…");
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                });
            }
            let opts = crate::catalogue::import::ImportOptions {
                site,
                batch,
                errors,
                restart,
                author,
                actor: CLI_ACTOR.into(),
                progress: true,
                stop: Some(stop),
                ..crate::catalogue::import::ImportOptions::new(file)
            };
            let s = crate::catalogue::import::import_documents(&state, &opts).await?;
            if s.resumed_after_line > 0 {
                println!("resumed after line {}", s.resumed_after_line);
            }
            println!(
                "imported {}, updated {}, unchanged {}, rejected {} in {:.1} s ({:.0} documents/s){}",
                s.counts.imported,
                s.counts.updated,
                s.counts.unchanged,
                s.counts.rejected,
                s.elapsed.as_secs_f64(),
                s.docs_per_second(),
                if s.finished {
                    ""
                } else {
                    " — stopped early; run again to continue"
                }
            );
            // Bring this node's search index up to date (a running server
            // holds the index and does it itself).
            let started = std::time::Instant::now();
            match crate::search::sync_with(&state, crate::search::BULK_HEAP).await {
                Ok(n) => {
                    let secs = started.elapsed().as_secs_f64();
                    println!(
                        "search index updated: {n} documents in {secs:.1} s ({:.0} documents/s)",
                        n as f64 / secs.max(1e-9)
                    );
                    let total = s.elapsed.as_secs_f64() + secs;
                    let written = (s.counts.imported + s.counts.updated) as f64;
                    println!(
                        "import and indexing together: {total:.1} s ({:.0} documents/s)",
                        written / total.max(1e-9)
                    );
                }
                Err(e) if e.code == "conflict" => println!("the running server will index the imported documents"),
                Err(e) => return Err(e.into()),
            }
            if let Err(e) = state.search.index.close_writer() {
                tracing::warn!(error = %e, "closing the search index writer failed");
            }
            if s.counts.rejected > 0 {
                println!("refused lines: {}", s.errors_file.display());
                return Ok(ExitCode::from(if s.finished { 3 } else { 1 }));
            }
            if !s.finished {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Bench(BenchCmd::Search {
            corpus,
            fts_db,
            rounds,
            fts_rounds,
        }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            crate::search::sync(&state).await?;
            let opts = crate::search::bench::Options {
                corpus,
                fts_db,
                rounds,
                fts_rounds,
            };
            crate::search::bench::run(&state, &opts).await?;
        }
        Command::Bench(BenchCmd::Qa {
            corpus,
            eval,
            library_size,
            rounds,
            fit,
            show_misses,
            tune,
            dump,
        }) => {
            let opts = crate::qa::bench::Options {
                corpus,
                eval,
                library_size,
                rounds,
                fit,
                show_misses,
                tune,
                dump,
            };
            tokio::task::spawn_blocking(move || crate::qa::bench::run(&opts)).await??;
        }
        Command::Qa(QaCmd::Import { file, site, draft }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let opts = crate::qa::import::ImportOptions {
                file,
                site,
                draft,
                progress: true,
                actor: CLI_ACTOR.into(),
            };
            let s = crate::qa::import::import(&state, &opts).await?;
            for (n, reason) in &s.rejected {
                eprintln!("line {n}: {reason}");
            }
            println!(
                "imported {}, updated {}, unchanged {}, rejected {}",
                s.imported,
                s.updated,
                s.unchanged,
                s.rejected.len()
            );
            if !s.rejected.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Qa(QaCmd::Export { out, site }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let n = crate::qa::import::export(&state, site.as_deref(), &out).await?;
            println!("exported {n} entries to {}", out.display());
        }
        Command::Bench(BenchCmd::Foi { cases, renders, on }) => {
            crate::foi::bench::run(&crate::foi::bench::Options {
                cases,
                renders,
                database_url: on,
            })
            .await?;
        }
        Command::Bench(BenchCmd::Mailbox { corpus, clients, seconds }) => {
            crate::mailbox::bench::run(&crate::mailbox::bench::Options { corpus, clients, seconds }).await?;
        }
        Command::Bench(BenchCmd::Tasks { seed, rows, units, runs }) => {
            crate::tasks::bench::run(&crate::tasks::bench::Options { seed, rows, units, runs }).await?;
        }
        Command::Tasks(TasksCmd::Import {
            file,
            site,
            year,
            json,
            dry_run,
            yes,
        }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            return crate::tasks::cli_import(&state, &file, site.as_deref(), year, json, dry_run, yes).await;
        }
        Command::Tasks(TasksCmd::Report { plan, out }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let d = crate::tasks::PlanData::load(&state, plan).await?;
            let r = crate::tasks::export::Report::from_data(&d);
            let bytes = match out.extension().and_then(|e| e.to_str()) {
                Some("docx") => crate::tasks::export::document(&r).map_err(|e| anyhow::anyhow!("docx: {e}"))?,
                Some("xlsx") => crate::tasks::export::workbook(&r).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?,
                _ => return Err(anyhow::anyhow!("the output must end in .xlsx or .docx")),
            };
            std::fs::write(&out, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            println!("wrote {} ({} rows)", out.display(), r.rows.len());
        }
        Command::Foi(FoiCmd::Deadlines) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let (r, m) = crate::foi::run_deadlines(&state).await?;
            println!("checked {}, changed {}, failed {}, reminded {m}", r.checked, r.changed, r.failed);
        }
        Command::Foi(FoiCmd::Stats { year, site, xlsx }) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let site = match site {
                Some(code) => state
                    .store
                    .site_by_code(&code)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no site with code {code}"))?,
                None => crate::catalogue::portal::default_site(&state).await?,
            };
            let cal = state.calendar().await?;
            let s = crate::foi::admin::stats(&state, &cal, &site, year, None).await?;
            println!("{year} {}", gongkai_domain::foi::TABLE3_COLUMNS_ZH.join("\t"));
            for (label, counts) in s.table3.rows() {
                let cells: Vec<String> = counts.cells().iter().map(u64::to_string).collect();
                println!("{label}\t{}", cells.join("\t"));
            }
            println!(
                "concluded {}, on time {}, on-time rate {}, average working days {}",
                s.handling.concluded,
                s.handling.on_time,
                s.handling.on_time_rate.map_or("-".into(), |v| format!("{v:.1}%")),
                s.handling.average_working_days.map_or("-".into(), |v| format!("{v:.1}"))
            );
            for p in &s.problems {
                eprintln!("{p}");
            }
            if let Some(out) = xlsx {
                let bytes = crate::foi::admin::stats_workbook(&s).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?;
                std::fs::write(&out, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
                println!("wrote {}", out.display());
            }
            if !s.problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Qa(QaCmd::Deadlines) => {
            let store = crate::server::open_store(&config).await?;
            let state = crate::state::AppState::new(store, config).await?;
            let (r, e) = crate::qa::run_deadlines(&state).await?;
            println!("reminded {r}, escalated {e}");
        }
        Command::Bench(BenchCmd::GenerateDocuments {
            out,
            count,
            seed,
            site,
            bad_every,
        }) => {
            let started = std::time::Instant::now();
            let f = std::fs::File::create(&out).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            let opts = crate::corpus::GenOptions {
                seed,
                site,
                ..Default::default()
            };
            let s = crate::corpus::generate(opts, count, bad_every, std::io::BufWriter::with_capacity(1 << 20, f))?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "wrote {} documents and {} invalid lines to {} ({:.1} MB, bodies {} characters on average) in {:.2} s ({:.0} documents/s)",
                s.documents,
                s.bad_lines,
                out.display(),
                s.bytes as f64 / 1e6,
                s.body_chars / s.documents.max(1),
                secs,
                s.documents as f64 / secs.max(1e-9)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn find_unit(store: &gongkai_store::Store, name_or_code: &str) -> anyhow::Result<gongkai_store::accounts::Unit> {
    if let Some(u) = store.unit_by_code(name_or_code).await? {
        return Ok(u);
    }
    let mut found = store.units_named(name_or_code).await?;
    match found.len() {
        0 => anyhow::bail!("no unit named `{name_or_code}`; see `gongkai unit list`"),
        1 => Ok(found.remove(0)),
        n => anyhow::bail!("{n} units are named `{name_or_code}`; give the unit's code instead"),
    }
}

async fn user(cmd: UserCmd, config: &Config) -> anyhow::Result<()> {
    let store = crate::server::open_store(config).await?;
    match cmd {
        UserCmd::Add {
            username,
            role,
            unit,
            display_name,
            password_stdin,
        } => {
            let username = Username::parse(&username).map_err(|e| anyhow::anyhow!("{e}"))?;
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let unit = find_unit(&store, &unit).await?;
            let (password, generated) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                let s = s.trim_end_matches(['\r', '\n']);
                (Password::parse(s, Some(&username)).map_err(|e| anyhow::anyhow!("{e}"))?, false)
            } else {
                (crate::accounts::initial_password(), true)
            };
            let display = display_name.unwrap_or_else(|| username.to_string());
            let id = crate::accounts::create_user(&store, CLI_ACTOR, &username, &display, &password, role, unit.id, generated)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{}",
                        if e.status.as_u16() == 409 {
                            format!("username `{username}` is taken")
                        } else {
                            e.message
                        }
                    )
                })?;
            println!("created user {username} (id {id}) as {role} of {}", unit.name);
            if generated {
                println!("initial password (must be changed at first login): {}", password.expose());
            }
        }
        UserCmd::List => {
            let grants = store.all_grants().await?;
            for u in store.list_users().await? {
                let roles: Vec<String> = grants
                    .iter()
                    .filter(|g| g.user_id == u.id)
                    .map(|g| format!("{}@{}", g.role, g.unit_name))
                    .collect();
                println!(
                    "{:>4}  {:<20} {:<12} {}{}",
                    u.id,
                    u.username,
                    u.display_name,
                    roles.join(", "),
                    if u.disabled { "  [disabled]" } else { "" }
                );
            }
        }
    }
    Ok(())
}

async fn unit(cmd: UnitCmd, config: &Config) -> anyhow::Result<()> {
    let store = crate::server::open_store(config).await?;
    match cmd {
        UnitCmd::Add {
            name,
            code,
            parent,
            kind,
            phone,
        } => {
            let parent_id = match parent {
                Some(p) => Some(find_unit(&store, &p).await?.id),
                None => None,
            };
            let new = gongkai_store::accounts::NewUnit {
                parent_id,
                name: UnitName::parse(&name).map_err(|e| anyhow::anyhow!("invalid name: {e}"))?,
                code: UnitCode::parse(&code).map_err(|e| anyhow::anyhow!("invalid code: {e}"))?,
                kind: UnitKind::parse(&kind)
                    .ok_or_else(|| anyhow::anyhow!("unknown kind `{kind}`; expected government, department, township, street or other"))?,
                phone,
                sort_order: 0,
            };
            let state = crate::state::AppState::new(store, config.clone()).await?;
            let u = crate::accounts::units::create_unit_audited(&state, CLI_ACTOR, &new)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{}",
                        if e.status.as_u16() == 409 {
                            "a unit with this code, or this name under the same parent, exists".to_string()
                        } else {
                            e.message
                        }
                    )
                })?;
            println!("created unit {} (id {}, code {})", u.name, u.id, u.code);
        }
        UnitCmd::List => {
            let units = store.list_units().await?;
            for u in crate::accounts::tree_order(&units) {
                println!(
                    "{:>4}  {}{}  [{}] {}",
                    u.id,
                    "  ".repeat(u.depth().saturating_sub(1)),
                    u.name,
                    u.code,
                    u.phone.clone().unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

async fn token(cmd: TokenCmd, config: &Config) -> anyhow::Result<()> {
    let store = crate::server::open_store(config).await?;
    match cmd {
        TokenCmd::Create { user, label } => {
            let u = store
                .user_by_username(&user)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user `{user}`"))?;
            if label.trim().is_empty() {
                anyhow::bail!("--label must not be empty");
            }
            let t = crate::accounts::create_token(&store, CLI_ACTOR, u.id, &label)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!("{t}");
        }
        TokenCmd::List { user } => {
            let u = store
                .user_by_username(&user)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user `{user}`"))?;
            for t in store.tokens_of(u.id).await? {
                println!(
                    "{:>4}  {:<24} created {}  {}",
                    t.id,
                    t.label,
                    t.created_at,
                    if t.revoked_at.is_some() { "revoked" } else { "active" }
                );
            }
        }
        TokenCmd::Revoke { id } => {
            crate::accounts::revoke_token(&store, CLI_ACTOR, id).await.map_err(|e| {
                anyhow::anyhow!(if e.status.as_u16() == 404 {
                    format!("no active token {id}")
                } else {
                    e.message
                })
            })?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}

async fn workdays(cmd: WorkdaysCmd, config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        WorkdaysCmd::Deadline { from, days, explain } => {
            let (from, days) = match crate::calendar::parse_deadline_input(&from, &days) {
                Ok(v) => v,
                Err((field, msg)) => {
                    eprintln!("error: --{field}: {msg}");
                    return Ok(ExitCode::from(2));
                }
            };
            let cal = calendar_for_cli(config).await?;
            let d = cal.deadline(from, days);
            println!("{}", d.due);
            if explain {
                for (i, c) in d.counted.iter().enumerate() {
                    println!("  {c}  day {}", i + 1);
                }
                for s in &d.skipped {
                    println!("  {}  skipped: {}", s.date, s.reason);
                }
                if d.provisional {
                    println!("  note: the span reaches a year without an imported holiday arrangement");
                }
            }
        }
        WorkdaysCmd::Check { date } => {
            let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| anyhow::anyhow!("date must be YYYY-MM-DD"))?;
            let cal = calendar_for_cli(config).await?;
            let info = cal.day(d);
            println!(
                "{} {} ({})",
                info.date,
                if info.working { "working day" } else { "day off" },
                info.reason.label()
            );
        }
        WorkdaysCmd::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let arr = gongkai_domain::calendar::parse_reference_year(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let store = crate::server::open_store(config).await?;
            crate::calendar::admin::import_year(&store, CLI_ACTOR, &arr)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!(
                "imported {}: {} days off, {} make-up working days",
                arr.year,
                arr.days.iter().filter(|d| d.off).count(),
                arr.days.iter().filter(|d| !d.off).count()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The calendar with imported years when a database exists; the shipped
/// calendar otherwise (so the calculator works without setting anything up).
async fn calendar_for_cli(config: &Config) -> anyhow::Result<gongkai_domain::calendar::Calendar> {
    let sqlite_missing = config.database_url.starts_with("sqlite")
        && !config.data_dir.join("gongkai.db").exists()
        && config.database_url == Config::default_database_url(&config.data_dir);
    if sqlite_missing {
        return Ok(gongkai_domain::calendar::Calendar::official().clone());
    }
    let store = crate::server::open_store(config).await?;
    Ok(store.calendar().await?)
}
