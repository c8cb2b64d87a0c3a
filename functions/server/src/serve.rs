//! `communs serve`: the database opened and migrated, the application built on this machine's
//! adapters, the site and the API served until SIGTERM or Ctrl-C, then a graceful stop (the
//! requests under way finish; no new one is taken).

use crate::database::{Pool, READERS};
use crate::settings::Settings;
use app::App;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Options {
    pub listen: String,
    pub db: PathBuf,
    pub site: PathBuf,
}

/// The application on this machine: the pool on `db` (opened and migrated), the system's clock
/// and randomness, the settings' configuration.
pub fn application(db: &Path, settings: &Settings) -> Result<App, String> {
    let (pool, migrated) = Pool::open(db, READERS)?;
    crate::log::info(&format!("{}: {migrated}", db.display()));
    let config = settings.config();
    let fetch: Arc<dyn app::ports::Fetch> = Arc::new(crate::outbound::Client::new());
    #[cfg(feature = "dev")]
    let fetch = crate::stand_in::wrap(fetch);
    let mailer = crate::outbound::mailer(settings, &config, fetch.clone());
    Ok(App {
        db: Arc::new(pool),
        clock: Arc::new(crate::ports::SystemClock),
        random: Arc::new(crate::ports::OsRandom),
        config: Arc::new(config),
        // SQLite on the same machine renders a page fast enough: no cache to keep in step.
        pages: Arc::new(app::ports::NoPageCache),
        fetch,
        mailer,
        media: Arc::new(crate::media::Folder::new(settings.media(db))),
    })
}

/// Runs the server until a signal stops it.
pub fn run(options: Options, settings: &Settings) -> Result<(), String> {
    let _lock = store::file::lock::acquire(&options.db)?;
    let app = application(&options.db, settings)?;
    for finding in crate::doctor::configuration(settings) {
        if !finding.is_ok() {
            crate::log::warn(&finding.one_line());
        }
    }
    if !options.site.join("index.html").is_file() {
        crate::log::warn(&format!(
            "{}: no index.html; the pages answer 404 until the site is built (make site) or \
             --site names its folder",
            options.site.display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("communs")
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&options.listen)
            .await
            .map_err(|e| format!("{}: {e}", options.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        crate::log::info(&format!(
            "listening on http://{address} (site {}, database {})",
            options.site.display(),
            options.db.display()
        ));
        let scheduled = crate::scheduled::start(app.clone());
        let router = crate::site::service(app, &options.site);
        axum::serve(listener, router)
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| format!("server: {e}"))?;
        scheduled.abort();
        Ok(())
    });
    // Statements under way on the blocking threads finish; none waits longer than this.
    runtime.shutdown_timeout(std::time::Duration::from_secs(10));
    crate::log::info("stopped");
    served
}

/// Resolves at SIGTERM (a supervisor stopping the service) or Ctrl-C.
pub async fn stopped() {
    let interrupted = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminated = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupted => crate::log::info("interrupted: stopping"),
        () = terminated => crate::log::info("SIGTERM: stopping"),
    }
}
