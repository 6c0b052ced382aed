//! Checks made before the node service starts, so that a port conflict is a clear error at
//! start-up instead of a node that runs but is not where its operator and users expect it.

use std::net::{IpAddr, SocketAddr, TcpListener};

use sc_network::multiaddr::Protocol;
use sc_service::Configuration;

/// Fails, naming the address, when a configured RPC or p2p port is taken.
///
/// Without this, sc-rpc-server falls back to a random RPC port while tenants and tools keep
/// connecting to the configured one, and the network backend drops a p2p address it cannot bind
/// and runs unreachable by the peers that were given it.
pub fn ensure_ports_free(config: &mut Configuration) -> Result<(), String> {
	for endpoint in config.rpc.addr.iter_mut().flatten() {
		endpoint.retry_random_port = false;
		if !endpoint.is_optional {
			try_bind(endpoint.listen_addr, "serve JSON-RPC")?;
		}
	}
	for address in &config.network.listen_addresses {
		let mut ip: Option<IpAddr> = None;
		let mut port: Option<u16> = None;
		for protocol in address.iter() {
			match protocol {
				Protocol::Ip4(v4) => ip = Some(v4.into()),
				Protocol::Ip6(v6) => ip = Some(v6.into()),
				Protocol::Tcp(tcp) => port = Some(tcp),
				_ => {},
			}
		}
		if let (Some(ip), Some(port)) = (ip, port.filter(|port| *port != 0)) {
			try_bind(SocketAddr::new(ip, port), "listen for peers")?;
		}
	}
	Ok(())
}

/// Binds `address` and releases it at once: only whether it can be taken matters here.
fn try_bind(address: SocketAddr, purpose: &str) -> Result<(), String> {
	TcpListener::bind(address)
		.map(drop)
		.map_err(|error| format!("cannot {purpose} on {address}: {error}"))
}
