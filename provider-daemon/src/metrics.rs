//! Prometheus metrics, served in the text format at `/metrics` on `metrics.listen`.

use http_body_util::Full;
use hyper::{body::Bytes, Request, Response};
use prometheus::{
	Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
	Registry, TextEncoder,
};
use std::net::SocketAddr;
use tracing::{info, warn};

/// The daemon's metrics.
pub struct Metrics {
	registry: Registry,
	/// 1 while connected to the node.
	pub connected: IntGauge,
	/// The best block seen.
	pub best_block: IntGauge,
	/// Runtime upgrades seen.
	pub runtime_upgrades: IntCounter,
	/// Bids placed (in a block).
	pub bids_placed: IntCounter,
	/// Bids that won a lease.
	pub bids_won: IntCounter,
	/// Bids that lost.
	pub bids_lost: IntCounter,
	/// Blocks from an order's placement to the daemon's bid on it.
	pub bid_latency_blocks: Histogram,
	/// Open bids.
	pub open_bids: IntGauge,
	/// Leases served (not yet torn down).
	pub leases: IntGauge,
	/// Leases closed and torn down.
	pub leases_closed: IntCounter,
	/// Heartbeats sent.
	pub heartbeats: IntCounter,
	/// Blocks from an epoch's first block to the daemon's heartbeat for it being in a block.
	pub heartbeat_latency_blocks: Histogram,
	/// Service instances restarted after exiting.
	pub restarts: IntCounter,
	/// Free capacity, by capacity.
	pub free_capacity: IntGaugeVec,
	/// Gateway requests, by outcome (`ok` or the refusal's code).
	pub gateway_requests: IntCounterVec,
}

impl Metrics {
	/// Registers every metric.
	pub fn new() -> Result<Self, String> {
		let registry = Registry::new_custom(Some("ccre_provider".into()), None)
			.map_err(|error| error.to_string())?;
		let failed = |error: prometheus::Error| error.to_string();
		let gauge = |name: &str, help: &str| -> Result<IntGauge, String> {
			let gauge = IntGauge::new(name, help).map_err(failed)?;
			registry.register(Box::new(gauge.clone())).map_err(failed)?;
			Ok(gauge)
		};
		let counter = |name: &str, help: &str| -> Result<IntCounter, String> {
			let counter = IntCounter::new(name, help).map_err(failed)?;
			registry.register(Box::new(counter.clone())).map_err(failed)?;
			Ok(counter)
		};
		let histogram = |name: &str, help: &str, buckets: Vec<f64>| -> Result<Histogram, String> {
			let histogram = Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets))
				.map_err(failed)?;
			registry.register(Box::new(histogram.clone())).map_err(failed)?;
			Ok(histogram)
		};
		let bid_latency_blocks = histogram(
			"bid_latency_blocks",
			"Blocks from an order to the daemon's bid",
			vec![1.0, 2.0, 3.0, 5.0, 10.0],
		)?;
		let heartbeat_latency_blocks = histogram(
			"heartbeat_latency_blocks",
			"Blocks from an epoch's first block to its heartbeat in a block",
			vec![1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0],
		)?;
		let free_capacity =
			IntGaugeVec::new(Opts::new("free_capacity", "Free capacity"), &["capacity"])
				.map_err(failed)?;
		registry.register(Box::new(free_capacity.clone())).map_err(failed)?;
		let gateway_requests = IntCounterVec::new(
			Opts::new("gateway_requests_total", "Gateway requests by outcome"),
			&["outcome"],
		)
		.map_err(failed)?;
		registry.register(Box::new(gateway_requests.clone())).map_err(failed)?;
		Ok(Metrics {
			connected: gauge("connected", "1 while connected to the node")?,
			best_block: gauge("best_block", "The best block seen")?,
			runtime_upgrades: counter("runtime_upgrades_total", "Runtime upgrades seen")?,
			bids_placed: counter("bids_placed_total", "Bids placed")?,
			bids_won: counter("bids_won_total", "Bids that won a lease")?,
			bids_lost: counter("bids_lost_total", "Bids that lost")?,
			open_bids: gauge("open_bids", "Open bids")?,
			leases: gauge("leases", "Leases served")?,
			leases_closed: counter("leases_closed_total", "Leases closed and torn down")?,
			heartbeats: counter("heartbeats_total", "Heartbeats sent")?,
			restarts: counter("restarts_total", "Service instances restarted")?,
			bid_latency_blocks,
			heartbeat_latency_blocks,
			free_capacity,
			gateway_requests,
			registry,
		})
	}

	/// The metrics in the Prometheus text format.
	pub fn render(&self) -> Vec<u8> {
		let mut buffer = Vec::new();
		if let Err(error) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
			warn!(%error, "metrics not encoded");
		}
		buffer
	}
}

/// Serves `/metrics` on `listen` until the process ends.
pub async fn serve(daemon: std::sync::Arc<crate::daemon::Daemon>, listen: SocketAddr) {
	let listener = match tokio::net::TcpListener::bind(listen).await {
		Ok(listener) => listener,
		Err(error) => {
			warn!(%listen, %error, "metrics endpoint not started");
			return;
		},
	};
	info!(%listen, "metrics at /metrics");
	loop {
		let Ok((stream, _)) = listener.accept().await else { continue };
		let daemon = daemon.clone();
		tokio::spawn(async move {
			let service =
				hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
					let daemon = daemon.clone();
					async move {
						let (status, body) = if request.uri().path() == "/metrics" {
							(200, daemon.metrics.render())
						} else {
							(404, b"see /metrics\n".to_vec())
						};
						Response::builder()
							.status(status)
							.header("content-type", "text/plain; version=0.0.4")
							.body(Full::new(Bytes::from(body)))
					}
				});
			let io = hyper_util::rt::TokioIo::new(stream);
			let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
		});
	}
}
