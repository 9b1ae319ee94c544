//! Assembles the HTTP application and serves it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use ferrotube_federation::AppState;
use ferrotube_tracker::InfohashRegistry;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub fn app(state: AppState, registry: Arc<InfohashRegistry>) -> Router {
    let assets = ferrotube_web::PlayerAssets::load_or_warn(&state.config.client.player_dist);
    let site = Arc::new(ferrotube_web::Site::new(&state.config, &state.urls, assets));
    // PeerTube is CORS-open everywhere, exposing Retry-After.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([HeaderName::from_static("retry-after")]);
    let rest = Router::new()
        .merge(ferrotube_federation::routes::router())
        .merge(ferrotube_api::router())
        .merge(ferrotube_api::static_files::router())
        .merge(ferrotube_web::router(site.clone()))
        .merge(ferrotube_tracker::router(tracker(&state, registry)))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(state.clone());
    // URLs that are both an ActivityPub object and a web page: browsers get the page, and
    // whatever is not a page goes on to the rest.
    let pages = ferrotube_web::pages(site)
        .with_state(state)
        .fallback_service(rest.clone());
    Router::new()
        .fallback_service(crate::negotiate::Negotiate { pages, rest })
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-powered-by"),
            HeaderValue::from_static("ferrotube"),
        ))
        .layer(cors)
        .layer(TraceLayer::new_for_http())
}

/// The tracker from the `tracker` and `trust_proxy` settings; `tracker_sync` keeps its
/// known-infohash registry in step with the database.
fn tracker(state: &AppState, registry: Arc<InfohashRegistry>) -> ferrotube_tracker::Tracker {
    let config = &state.config;
    ferrotube_tracker::Tracker::new(
        ferrotube_tracker::TrackerConfig {
            enabled: config.tracker.enabled,
            private: config.tracker.private,
            reject_too_many_announces: config.tracker.reject_too_many_announces,
            trust_proxy: config.trust_proxy.clone(),
            ..Default::default()
        },
        registry,
    )
}

pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let listen = &state.config.listen;
    let addr = format!("{}:{}", listen.hostname, listen.port);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (listen.hostname / listen.port)"))?;
    tracing::info!(address = %addr, url = %state.urls.base, "ferrotube is listening");
    // Idle keep-alive connections stay open: PeerTube senders reuse them and lose deliveries
    // when a receiver closes them early.
    let registry = Arc::new(InfohashRegistry::new());
    crate::tracker_sync::spawn(state.clone(), registry.clone());
    axum::serve(
        listener,
        app(state, registry).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
