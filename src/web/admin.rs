//! The admin API: `POST /api/admin/backup` writes a backup of the live store on the server.
//!
//! Only tokens of a holder named by `--admin` may call it. The client names no path: the backup
//! goes into a new folder of `--backup-dir`, and the answer gives its path (a token holder must
//! not be able to make the server write anywhere else).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use crate::web::limits::ClientIp;
use crate::web::push::authenticate;
use crate::web::{ApiError, AppState};

/// The routes of the admin API.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/admin/backup", post(backup))
}

async fn backup(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let holder = authenticate(&state, client, &headers)?;
    if !state.config.access.admins.contains(&holder) {
        return Err(ApiError::Forbidden(
            "this token's holder may not call the admin API (see --admin)".to_owned(),
        ));
    }
    let Some(dir) = state.config.access.backup_dir.clone() else {
        return Err(ApiError::Forbidden(
            "this Agora keeps its store in memory: there is nothing on disk to back up".to_owned(),
        ));
    };
    let name = format!(
        "agora-backup-{}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs()),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let out = dir.join(&name);
    let store = state.store.clone();
    let tokens = state.keyring.file().map(std::path::Path::to_owned);
    let base = state.config.base_iri.clone();
    let target = out.clone();
    let manifest = crate::telemetry::spawn_blocking_in_span(move || {
        std::fs::create_dir_all(target.parent().unwrap_or(&target)).map_err(|error| {
            crate::backup::BackupError::Io {
                action: "cannot create",
                path: target.clone(),
                error,
            }
        })?;
        crate::backup::write(&store, tokens.as_deref(), &target, &base)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
    .map_err(|error| ApiError::Internal(error.into()))?;
    let path = std::fs::canonicalize(&out).unwrap_or(out);
    tracing::info!(holder = %holder, path = %path.display(), quads = manifest.quads, "backup written");
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "path": path.display().to_string(),
            "name": name,
            "manifest": manifest,
        })),
    )
        .into_response())
}
