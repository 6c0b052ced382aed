//! `ccre-provider init`: one guided command from nothing to a provider that can bid. It
//! writes a configuration, a key (unless `CCRE_PROVIDER_SEED` names one) and a gateway
//! certificate, then registers the provider on chain, bonds its stake and publishes the
//! certificate. Each step says what it does; run again, it skips what is already done and
//! never overwrites a file.

use crate::config::{self, Config};
use ccre_client::{
	certificate,
	chain::{address_of, signer_from_uri, Chain, Encoded, Keypair, Wait},
};
use ccre_primitives::{fingerprint, hex, CertificateView, ProviderView, ResourceSet};
use codec::{Compact, Encode};
use serde_json::json;
use std::{
	io::Write,
	os::unix::fs::OpenOptionsExt,
	path::{Path, PathBuf},
};

/// What `init` sets up: its command-line arguments.
#[derive(clap::Args)]
pub struct InitOptions {
	/// Where the files go.
	#[arg(long)]
	pub dir: PathBuf,
	/// The node's RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub node: String,
	/// The host tenants reach the gateway and services on.
	#[arg(long, default_value = "127.0.0.1")]
	pub public_host: String,
	/// The gateway's port.
	#[arg(long, default_value_t = 8443)]
	pub gateway_port: u16,
	/// The Prometheus endpoint's port.
	#[arg(long, default_value_t = 9616)]
	pub metrics_port: u16,
	/// What the provider offers, JSON, with a region:
	/// '{"cpu_millicores":2000,"memory_mib":4096,"region":"local"}'.
	#[arg(long, value_parser = parse_attributes)]
	pub attributes: ResourceSet,
	/// How to reach the provider's operators.
	#[arg(long, default_value = "")]
	pub contact: String,
	/// The stake to bond, in the smallest unit (at least the chain's minimum to bid).
	#[arg(long)]
	pub stake: u128,
	/// Prices per unit of each capacity and block, JSON: '{"cpu_millicores":1}'.
	#[arg(
		long = "prices",
		value_name = "PRICES",
		default_value = r#"{"cpu_millicores":1,"memory_mib":1}"#,
		value_parser = scale_pricing
	)]
	pub pricing: String,
	/// The first and last host port for services, FIRST-LAST.
	#[arg(long, default_value = "20000-20999", value_parser = parse_ports)]
	pub ports: [u16; 2],
	/// Offer more than this host has (test networks on one machine).
	#[arg(long)]
	pub overcommit: bool,
	/// Run only container images already on this host; pull none.
	#[arg(long)]
	pub local_images_only: bool,
}

fn parse_attributes(json: &str) -> Result<ResourceSet, String> {
	serde_json::from_str(json).map_err(|error| error.to_string())
}

/// The configuration's `[pricing]` table for the scale strategy with `json`'s prices.
fn scale_pricing(json: &str) -> Result<String, String> {
	let prices: serde_json::Map<String, serde_json::Value> =
		serde_json::from_str(json).map_err(|error| error.to_string())?;
	let prices = prices
		.iter()
		.map(|(name, price)| format!("{name} = {price}"))
		.collect::<Vec<_>>()
		.join(", ");
	Ok(format!("strategy = \"scale\"\nprices = {{ {prices} }}"))
}

fn parse_ports(range: &str) -> Result<[u16; 2], String> {
	range
		.split_once('-')
		.and_then(|(first, last)| Some([first.parse().ok()?, last.parse().ok()?]))
		.ok_or_else(|| "not FIRST-LAST".to_string())
}

/// Runs `init`; returns the configuration file's path.
pub async fn init(options: InitOptions) -> Result<PathBuf, String> {
	std::fs::create_dir_all(&options.dir)
		.map_err(|error| format!("cannot create {}: {error}", options.dir.display()))?;
	let config_path = options.dir.join("provider.toml");
	let signer = key(&options.dir)?;
	let address = address_of(&signer);
	println!("provider account: {address}");
	let (certificate_path, key_path) =
		(options.dir.join("gateway.crt"), options.dir.join("gateway.key"));
	if !certificate_path.exists() {
		let new = certificate::create(
			"ccre provider",
			vec![options.public_host.clone()],
			certificate::days(365),
		)?;
		write_new(&key_path, new.key_pem.as_bytes(), 0o600)?;
		write_new(&certificate_path, new.certificate_pem.as_bytes(), 0o644)?;
		println!("wrote the gateway certificate {} and its key", certificate_path.display());
	}
	if !config_path.exists() {
		write_new(&config_path, config_text(&options).as_bytes(), 0o644)?;
		println!("wrote {}", config_path.display());
	}
	let config = Config::load(&config_path)?;
	let chain = Chain::connect(&config.node).await.map_err(|error| error.to_string())?;
	let registered: Option<ProviderView<String, u128, u32>> =
		chain.query_as("ccre_provider", vec![json!(address)]).await.map_err(|e| e.to_string())?;
	let certificates: Vec<CertificateView<String, u32>> = chain
		.query_as("ccre_certificatesOf", vec![json!(address)])
		.await
		.map_err(|e| e.to_string())?;
	let (chain, signer, address) = (&chain, &signer, &address);
	let submit = move |pallet: &'static str, call: &'static str, fields: Vec<u8>| async move {
		chain
			.submit(signer, pallet, call, Encoded(fields), Wait::Finalized)
			.await
			.map_err(|error| format!("{pallet}.{call}: {error} (is {address} funded?)"))
	};
	let attributes = &config.offer.attributes;
	if registered.is_none() {
		let capacities: Vec<_> = attributes.capacities().collect();
		let properties: Vec<_> =
			attributes.properties().map(|(property, value)| (property, value.to_vec())).collect();
		let call = (
			config.gateway.public_uri.as_bytes(),
			capacities,
			properties,
			config.offer.contact.as_bytes(),
		);
		submit("Providers", "register", call.encode()).await?;
		println!("registered, gateway at {}", config.gateway.public_uri);
	}
	let active = registered.map(|provider| provider.stake.active).unwrap_or(0);
	if active < options.stake {
		submit("Providers", "bond", Compact(options.stake - active).encode()).await?;
		println!("bonded {} (stake now {})", options.stake - active, options.stake);
	}
	let der = pem::parse(std::fs::read(&config.gateway.certificate).map_err(|e| e.to_string())?)
		.map_err(|error| format!("{}: {error}", config.gateway.certificate.display()))?
		.into_contents();
	let published =
		certificates.iter().any(|certificate| certificate.fingerprint == fingerprint(&der));
	if !published {
		let key_pem = std::fs::read_to_string(&config.gateway.key)
			.map_err(|error| format!("{}: {error}", config.gateway.key.display()))?;
		let proof =
			ccre_client::certificate::ownership_proof(&key_pem, &signer.public_key().0, &der)
				.map_err(|error| format!("{}: {error}", config.gateway.key.display()))?;
		submit("Certificates", "publish", (der.clone(), proof).encode()).await?;
		println!("published the gateway certificate {}", hex::encode(&fingerprint(&der)));
	}
	println!("ready: ccre-provider run --config {}", config_path.display());
	Ok(config_path)
}

/// The provider's key: from `CCRE_PROVIDER_SEED` if set, else `provider.key`, created with a
/// fresh random seed if missing.
fn key(dir: &Path) -> Result<Keypair, String> {
	if let Ok(uri) = std::env::var(config::SEED_VARIABLE) {
		return signer_from_uri(&uri)
			.map_err(|reason| format!("{} {reason}", config::SEED_VARIABLE));
	}
	let path = dir.join("provider.key");
	if !path.exists() {
		let mut seed = [0u8; 32];
		std::fs::File::open("/dev/urandom")
			.and_then(|mut random| std::io::Read::read_exact(&mut random, &mut seed))
			.map_err(|error| format!("no randomness: {error}"))?;
		write_new(&path, format!("{}\n", hex::encode(&seed)).as_bytes(), 0o600)?;
		println!(
			"wrote a new key {} (keep it safe: it holds the provider's funds)",
			path.display()
		);
	}
	read_key(&path)
}

/// Reads the secret URI in a key file.
pub fn read_key(path: &Path) -> Result<Keypair, String> {
	let uri = std::fs::read_to_string(path)
		.map_err(|error| format!("cannot read {}: {error}", path.display()))?;
	signer_from_uri(&uri).map_err(|reason| format!("{}: {reason}", path.display()))
}

fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), String> {
	std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(mode)
		.open(path)
		.and_then(|mut file| file.write_all(contents))
		.map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn config_text(options: &InitOptions) -> String {
	let attributes = serde_json::to_value(&options.attributes).unwrap_or_default();
	let inline = attributes
		.as_object()
		.map(|map| {
			map.iter()
				.map(|(name, value)| format!("{name} = {value}"))
				.collect::<Vec<_>>()
				.join(", ")
		})
		.unwrap_or_default();
	let key_line = if std::env::var(config::SEED_VARIABLE).is_ok() {
		format!("# the key comes from {}\n", config::SEED_VARIABLE)
	} else {
		"key_file = \"provider.key\"\n".to_string()
	};
	let host = &options.public_host;
	// Services are published where tenants are told to reach them: on that address alone if
	// it is one, on every address if it is a name.
	let publish_address = host
		.parse::<std::net::IpAddr>()
		.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
	format!(
		"# ccre-provider configuration, written by `ccre-provider init`.\n\
		 node = {node:?}\n\
		 data_dir = \"data\"\n\
		 {key_line}\n\
		 [offer]\n\
		 attributes = {{ {inline} }}\n\
		 contact = {contact:?}\n\
		 overcommit = {overcommit}\n\n\
		 [gateway]\n\
		 listen = \"0.0.0.0:{gateway}\"\n\
		 public_uri = \"https://{host}:{gateway}\"\n\
		 certificate = \"gateway.crt\"\n\
		 key = \"gateway.key\"\n\n\
		 [metrics]\n\
		 listen = \"127.0.0.1:{metrics}\"\n\n\
		 [pricing]\n\
		 {pricing}\n\n\
		 [workloads]\n\
		 backend = \"container\"\n\
		 host = {host:?}\n\
		 ports = [{first}, {last}]\n\n\
		 [workloads.container]\n\
		 publish_address = \"{publish_address}\"\n\
		 local_images_only = {local_images_only}\n",
		node = options.node,
		contact = options.contact,
		overcommit = options.overcommit,
		local_images_only = options.local_images_only,
		gateway = options.gateway_port,
		metrics = options.metrics_port,
		pricing = options.pricing,
		first = options.ports[0],
		last = options.ports[1],
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn port_ranges_are_first_dash_last() {
		assert_eq!(parse_ports("20000-20999"), Ok([20000, 20999]));
		assert!(parse_ports("20000").is_err());
		assert!(parse_ports("20000-x").is_err());
		assert!(parse_ports("20000-70000").is_err());
	}

	#[test]
	fn prices_become_a_scale_pricing_table_the_configuration_reads() {
		let table = scale_pricing(r#"{"cpu_millicores":2,"memory_mib":1}"#).expect("JSON");
		assert_eq!(table, "strategy = \"scale\"\nprices = { cpu_millicores = 2, memory_mib = 1 }");
		let parsed: toml::Value = toml::from_str(&table).expect("TOML");
		assert_eq!(parsed["prices"]["cpu_millicores"].as_integer(), Some(2));
		assert!(scale_pricing("[1]").is_err());
	}
}
