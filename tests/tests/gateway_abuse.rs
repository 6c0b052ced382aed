//! Strangers against a provider's gateway: idle connections by the thousand and floods of
//! handshakes with certificates the chain never saw must not keep a tenant from its lease,
//! nor load the node with a query per handshake.
//!
//! Loopback has every address of 127.0.0.0/8, which stands in for many peers here: the
//! tenant connects from 127.0.0.2, the strangers from others.

use ccre_client::certificate;
use ccre_e2e::{
	deployment::{place_order, wait_for_lease, Market, ALICE},
	gateway_request_from,
};
use serde_json::json;
use std::{
	io::Read,
	net::{SocketAddr, TcpStream},
	path::Path,
	thread,
	time::{Duration, Instant},
};

/// Idle connections opened: over 1 024, spread over 20 addresses below the per-peer cap,
/// plus 100 from one address, over it.
const SPREAD: u32 = 20;
const PER_ADDRESS: u32 = 50;
const FROM_ONE: u32 = 100;

/// Handshakes with unpublished certificates, by several strangers at once.
const STRANGERS: usize = 8;
const ROUNDS: usize = 25;

#[test]
fn idle_connections_and_handshake_floods_leave_the_tenant_served() {
	let Market { dir, mut node, url, provider: _provider, tenant, .. } = Market::start();
	let lease = place_order(&url, "1000000000000000", "3");
	wait_for_lease(&mut node, lease);
	let details = node.rpc("ccre_provider", json!([ALICE]));
	let gateway = details["host_uri"].as_str().expect("host URI").to_string();
	let address: SocketAddr =
		gateway.trim_start_matches("https://").parse().expect("the gateway's address");
	let status = format!("/leases/{lease}/status");
	let tenant_asks = || {
		let started = Instant::now();
		let (code, body) =
			gateway_request_from("127.0.0.2", &gateway, Some(&tenant), "GET", &status, None);
		assert_eq!(code, 200, "the tenant was not answered in 5 s: {body}");
		started.elapsed()
	};
	tenant_asks();

	// Connections that never say a word.
	let mut idle = Vec::new();
	for host in 0..SPREAD {
		for _ in 0..PER_ADDRESS {
			idle.push(connect_from(&format!("127.0.1.{}", host + 1), address));
		}
	}
	for _ in 0..FROM_ONE {
		idle.push(connect_from("127.0.2.1", address));
	}
	let answered = tenant_asks();
	eprintln!(
		"figure: with {} idle connections open, the tenant was answered in {answered:?}",
		idle.len()
	);
	// Past the handshake timeout every idle connection is closed by the gateway.
	let mut probe = idle.pop().expect("a connection");
	probe.set_read_timeout(Some(Duration::from_secs(15))).expect("a timeout");
	let started = Instant::now();
	let read = probe.read(&mut [0; 16]);
	assert!(matches!(read, Ok(0)) || read.is_err(), "{read:?}");
	assert!(started.elapsed() < Duration::from_secs(14), "the idle connection was never closed");
	drop(idle);

	// Strangers with certificates of their own, never published, each used several times.
	let strangers: Vec<_> = (0..STRANGERS)
		.map(|index| {
			let cert_dir = dir.path().join(format!("stranger-{index}"));
			std::fs::create_dir_all(&cert_dir).expect("a directory");
			write_certificate(&cert_dir);
			cert_dir
		})
		.collect();
	let started = Instant::now();
	let flood: Vec<_> = strangers
		.into_iter()
		.enumerate()
		.map(|(index, cert_dir)| {
			let (gateway, status) = (gateway.clone(), status.clone());
			thread::spawn(move || {
				let source = format!("127.0.3.{}", index + 1);
				(0..ROUNDS)
					.map(|_| {
						gateway_request_from(
							&source,
							&gateway,
							Some(&cert_dir),
							"GET",
							&status,
							None,
						)
					})
					.filter(|(code, body)| {
						*code == 403 && body.contains("certificate-not-published")
					})
					.count()
			})
		})
		.collect();
	let mut tenant_times = Vec::new();
	while flood.iter().any(|stranger| !stranger.is_finished()) {
		tenant_times.push(tenant_asks());
	}
	let refused: usize =
		flood.into_iter().map(|stranger| stranger.join().expect("a stranger")).sum();
	let took = started.elapsed();
	assert_eq!(refused, STRANGERS * ROUNDS, "every stranger's request refused as unpublished");
	eprintln!(
		"figure: {} handshakes with unpublished certificates in {took:?} ({:.0} per second); the tenant was answered {} times meanwhile, at worst in {:?}",
		STRANGERS * ROUNDS,
		(STRANGERS * ROUNDS) as f64 / took.as_secs_f64(),
		tenant_times.len(),
		tenant_times.iter().max(),
	);
}

/// A TCP connection to `address` from the local address `source`.
fn connect_from(source: &str, address: SocketAddr) -> TcpStream {
	// The standard library cannot bind before connecting.
	let socket =
		socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("a socket");
	let local: SocketAddr = format!("{source}:0").parse().expect("an address");
	socket.bind(&local.into()).expect("binds the source address");
	socket.connect(&address.into()).expect("connects");
	socket.into()
}

/// A fresh self-signed client certificate, never published, in `dir` as `ccre` writes one.
fn write_certificate(dir: &Path) {
	let new = certificate::create("stranger", vec![], certificate::days(1)).expect("a certificate");
	std::fs::write(dir.join("client.crt"), new.certificate_pem).expect("written");
	std::fs::write(dir.join("client.key"), new.key_pem).expect("written");
}
