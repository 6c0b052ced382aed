//! The chain, through a node's public RPC over WebSocket: the `ccre_*` queries, and calls
//! signed with the account whose secret URI is in `CCRE_SEED` (never a command-line argument,
//! which other users of the machine can read).

use subxt::{
	dynamic,
	ext::scale_encode::{self, EncodeAsFields, FieldIter, TypeResolver},
	OnlineClient, PolkadotConfig,
};
use subxt_rpcs::client::{RpcClient, RpcParams};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// The environment variable holding the signing account's secret URI (`//Alice`, a mnemonic,
/// or a hex seed, with derivation junctions).
pub const SEED_VARIABLE: &str = "CCRE_SEED";

/// Why talking to the chain failed.
#[derive(Debug)]
pub enum ChainError {
	/// The node could not be reached or the connection broke.
	Connection(String),
	/// A query failed.
	Query(String, String),
	/// No signing key: `CCRE_SEED` is unset or not a secret URI.
	NoKey(String),
	/// The chain refused the call, with the pallet's error.
	Refused(String),
}

impl std::fmt::Display for ChainError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Connection(reason) => write!(f, "cannot reach the node: {reason}"),
			Self::Query(method, reason) => write!(f, "{method} failed: {reason}"),
			Self::NoKey(reason) => write!(f, "no signing key: {reason}"),
			Self::Refused(reason) => write!(f, "the chain refused it: {reason}"),
		}
	}
}

/// A connection to a node.
pub struct Chain {
	rpc: RpcClient,
	client: OnlineClient<PolkadotConfig>,
}

impl Chain {
	/// Connects to the node at `url` (`ws://` on loopback, `wss://` otherwise).
	pub async fn connect(url: &str) -> Result<Self, ChainError> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.map_err(|error| ChainError::Connection(error.to_string()))?;
		let client = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone())
			.await
			.map_err(|error| ChainError::Connection(error.to_string()))?;
		Ok(Chain { rpc, client })
	}

	/// Calls the RPC method `method` with `params`, returning its JSON result as the node
	/// wrote it: balances are 128-bit numbers, which a parsed JSON value cannot hold.
	pub async fn query(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<Box<serde_json::value::RawValue>, ChainError> {
		let mut rpc_params = RpcParams::new();
		for param in params {
			rpc_params
				.push(param)
				.map_err(|error| ChainError::Query(method.into(), error.to_string()))?;
		}
		self.rpc
			.request(method, rpc_params)
			.await
			.map_err(|error| ChainError::Query(method.into(), error.to_string()))
	}

	/// Signs `pallet.call(fields)` with the key in `CCRE_SEED`, submits it, waits until it
	/// is finalized and succeeded, and returns its events as (pallet, event, fields' SCALE
	/// bytes).
	pub async fn submit(
		&self,
		pallet: &str,
		call: &str,
		fields: impl EncodeAsFields,
	) -> Result<Vec<(String, String, Vec<u8>)>, ChainError> {
		let signer = signer_from_environment()?;
		let at = self
			.client
			.at_current_block()
			.await
			.map_err(|error| ChainError::Connection(error.to_string()))?;
		at.transactions()
			.sign_and_submit_then_watch_default(&dynamic::tx(pallet, call, fields), &signer)
			.await
			.map_err(|error| ChainError::Refused(error.to_string()))?
			.wait_for_finalized_success()
			.await
			.map_err(|error| ChainError::Refused(error.to_string()))?
			.iter()
			.map(|event| {
				event
					.map(|event| {
						let name = (event.pallet_name().into(), event.event_name().into());
						(name.0, name.1, event.field_bytes().to_vec())
					})
					.map_err(|error| ChainError::Connection(error.to_string()))
			})
			.collect()
	}
}

/// Call arguments SCALE-encoded with the runtime's own types (from `ccre-primitives`), so a
/// call is built from the same definitions the runtime decodes it with, not by hand.
pub struct Encoded(pub Vec<u8>);

impl EncodeAsFields for Encoded {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		_: &mut dyn FieldIter<'_, R::TypeId>,
		_: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

/// The signing key from `CCRE_SEED`.
fn signer_from_environment() -> Result<Keypair, ChainError> {
	let uri = std::env::var(SEED_VARIABLE).map_err(|_| {
		ChainError::NoKey(format!("set {SEED_VARIABLE} to the account's secret URI"))
	})?;
	let uri: SecretUri = uri.parse().map_err(|error| {
		ChainError::NoKey(format!("{SEED_VARIABLE} is not a secret URI: {error}"))
	})?;
	Keypair::from_uri(&uri).map_err(|error| ChainError::NoKey(error.to_string()))
}
