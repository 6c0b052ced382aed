//! The chain, through a node's public RPC over WebSocket: the `ccre_*` queries, the best
//! block, and signed calls. Keys come from secret URIs held in the environment or in a key
//! file, never from a command-line argument, which other users of the machine can read.

use codec::{Compact, Decode};
use serde::de::DeserializeOwned;
use sp_crypto_hashing::twox_128;
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex, PoisonError},
};
use subxt::{
	client::{ClientAtBlock, OnlineClientAtBlockImpl},
	config::polkadot::PolkadotExtrinsicParamsBuilder,
	dynamic,
	ext::scale_encode::{self, FieldIter, TypeResolver},
	tx::{TransactionProgress, TransactionStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_rpcs::client::{RpcClient, RpcParams};
pub use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

/// What a call's arguments must be (a tuple of them, as each pallet call names them).
pub use subxt::ext::scale_encode::EncodeAsFields;

/// A call's events: (pallet, event, the event's fields SCALE-encoded).
pub type Events = Vec<(String, String, Vec<u8>)>;

/// How long [`Chain::submit`] waits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wait {
	/// Until the call is in a best block: soonest, for calls that race the next block (bids).
	InBlock,
	/// Until the block with the call is finalized.
	Finalized,
}

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

/// A connection to a node; clones share it.
#[derive(Clone)]
pub struct Chain {
	rpc: RpcClient,
	client: OnlineClient<PolkadotConfig>,
	/// The next nonce of each account that sent calls through this connection.
	nonces: Nonces,
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
		Ok(Chain { rpc, client, nonces: Nonces::default() })
	}

	/// Calls the RPC method `method` with `params` and reads its result as a `T`: typed
	/// fields hold 128-bit balances, which a generic JSON value cannot.
	pub async fn query_as<T: DeserializeOwned>(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<T, ChainError> {
		let raw = self.query(method, params).await?;
		serde_json::from_str(raw.get())
			.map_err(|error| ChainError::Query(method.into(), error.to_string()))
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u32, ChainError> {
		#[derive(serde::Deserialize)]
		struct Header {
			number: String,
		}
		let header: Header = self.query_as("chain_getHeader", vec![]).await?;
		u32::from_str_radix(header.number.trim_start_matches("0x"), 16)
			.map_err(|error| ChainError::Query("chain_getHeader".into(), error.to_string()))
	}

	/// The runtime's spec version at the best block: it changes with a runtime upgrade.
	pub async fn spec_version(&self) -> Result<u32, ChainError> {
		#[derive(serde::Deserialize)]
		#[serde(rename_all = "camelCase")]
		struct Version {
			spec_version: u32,
		}
		let version: Version = self.query_as("state_getRuntimeVersion", vec![]).await?;
		Ok(version.spec_version)
	}

	/// The runtime constant `pallet::name` at the best block.
	pub async fn constant<T: codec::Decode>(
		&self,
		pallet: &str,
		name: &str,
	) -> Result<T, ChainError> {
		let failed = |error: &dyn std::fmt::Display| {
			ChainError::Query(format!("constant {pallet}::{name}"), error.to_string())
		};
		let bytes = self
			.client
			.at_current_block()
			.await
			.map_err(|error| ChainError::Connection(error.to_string()))?
			.constants()
			.entry_bytes(dynamic::constant::<dynamic::Value>(pallet.to_string(), name.to_string()))
			.map_err(|error| failed(&error))?;
		T::decode(&mut &bytes[..]).map_err(|error| failed(&error))
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

	/// Signs `pallet.call(fields)` with `signer`, submits it, waits as `wait` says for it to
	/// succeed, and returns its events.
	pub async fn submit(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		fields: impl EncodeAsFields,
		wait: Wait,
	) -> Result<Events, ChainError> {
		self.send(signer, pallet, call, fields).await?.wait(wait).await
	}

	/// Signs `pallet.call(fields)` with `signer` and submits it, returning once the node's
	/// pool accepted it. The nonce counts the signer's calls already in the pool, so calls
	/// sent one after another go into the same block.
	pub async fn send(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		fields: impl EncodeAsFields,
	) -> Result<Pending, ChainError> {
		let address = address_of(signer);
		let counted: u64 =
			self.query_as("system_accountNextIndex", vec![address.clone().into()]).await?;
		let nonce = self.nonces.take(&address, counted);
		let params = PolkadotExtrinsicParamsBuilder::new().nonce(nonce).build();
		let submitted = async {
			self.client
				.at_current_block()
				.await
				.map_err(|error| ChainError::Connection(error.to_string()))?
				.transactions()
				.sign_and_submit_then_watch(&dynamic::tx(pallet, call, fields), signer, params)
				.await
				.map_err(|error| ChainError::Refused(error.to_string()))
		};
		match submitted.await {
			Ok(progress) => Ok(Pending { progress, nonces: self.nonces.clone(), address }),
			Err(error) => {
				self.nonces.forget(&address);
				Err(error)
			},
		}
	}
}

impl Chain {
	/// A handle that signs calls offline and submits signed transactions, both without a
	/// round trip to the node per transaction: what a load generator needs.
	pub async fn presigner(&self) -> Result<Presigner, ChainError> {
		Ok(Presigner(Arc::new(self.at_best().await?)))
	}

	/// Block `number`'s transactions, timestamp and weight, read back from the chain.
	pub async fn block_summary(&self, number: u32) -> Result<BlockSummary, ChainError> {
		let failed = |error: &dyn std::fmt::Display| {
			ChainError::Query(format!("block {number}"), error.to_string())
		};
		let at = self.client.at_block(number).await.map_err(|error| failed(&error))?;
		let extrinsics = at.extrinsics().fetch().await.map_err(|error| failed(&error))?;
		let transactions = extrinsics
			.iter()
			.filter_map(Result::ok)
			.filter(|extrinsic| extrinsic.is_signed())
			.map(|extrinsic| {
				(
					format!("{}.{}", extrinsic.pallet_name(), extrinsic.call_name()),
					extrinsic.bytes().len() as u32,
				)
			})
			.collect();
		let events = Self::events_of(&at)
			.await
			.map_err(|error| failed(&error))?
			.into_iter()
			.map(|(pallet, event, _)| format!("{pallet}.{event}"))
			.collect();
		let storage = at.storage();
		let raw = |pallet: &str, item: &str| {
			let key = [twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat();
			storage.fetch_raw(key)
		};
		let weight = raw("System", "BlockWeight").await.map_err(|error| failed(&error))?;
		let [normal, operational, mandatory] =
			<[(Compact<u64>, Compact<u64>); 3]>::decode(&mut &weight[..])
				.map_err(|error| failed(&error))?
				.map(|(ref_time, _)| ref_time.0);
		let now = raw("Timestamp", "Now").await.map_err(|error| failed(&error))?;
		let timestamp = u64::decode(&mut &now[..]).map_err(|error| failed(&error))?;
		Ok(BlockSummary { number, timestamp, transactions, events, normal, operational, mandatory })
	}

	/// Block `number`'s events, hooks' included: (pallet, event, SCALE-encoded fields).
	pub async fn events_at(&self, number: u32) -> Result<Events, ChainError> {
		let failed = |error: &dyn std::fmt::Display| {
			ChainError::Query(format!("block {number}"), error.to_string())
		};
		let at = self.client.at_block(number).await.map_err(|error| failed(&error))?;
		Self::events_of(&at).await.map_err(|error| failed(&error))
	}

	async fn events_of(
		at: &ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>,
	) -> Result<Events, String> {
		let events = at.events().fetch().await.map_err(|error| error.to_string())?;
		Ok(events
			.iter()
			.filter_map(Result::ok)
			.map(|event| {
				(
					event.pallet_name().into(),
					event.event_name().into(),
					event.field_bytes().to_vec(),
				)
			})
			.collect())
	}

	async fn at_best(
		&self,
	) -> Result<ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>, ChainError>
	{
		self.client
			.at_current_block()
			.await
			.map_err(|error| ChainError::Connection(error.to_string()))
	}
}

/// Signs and submits transactions against the runtime of the block it was made at; clones
/// share it.
#[derive(Clone)]
pub struct Presigner(Arc<ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>>);

impl Presigner {
	/// Signs `pallet.call(fields)` as `signer` with `nonce`, immortal: the encoded
	/// transaction, for [`Presigner::submit`].
	pub fn sign(
		&self,
		signer: &Keypair,
		nonce: u64,
		pallet: &str,
		call: &str,
		fields: impl EncodeAsFields,
	) -> Result<Vec<u8>, ChainError> {
		let params = PolkadotExtrinsicParamsBuilder::new().nonce(nonce).build();
		let refused = |error: &dyn std::fmt::Display| ChainError::Refused(error.to_string());
		Ok(self
			.0
			.transactions()
			.create_signable_offline(&dynamic::tx(pallet, call, fields), params)
			.map_err(|error| refused(&error))?
			.sign(signer)
			.map_err(|error| refused(&error))?
			.into_encoded())
	}

	/// Submits an encoded, signed transaction and watches it: `Err` if the pool refused it.
	pub async fn submit(&self, transaction: Vec<u8>) -> Result<Watched, ChainError> {
		self.0
			.transactions()
			.from_bytes(transaction)
			.submit_and_watch()
			.await
			.map(Watched)
			.map_err(|error| ChainError::Refused(error.to_string()))
	}
}

/// A block as a load test reads it back.
#[derive(Clone, Debug)]
pub struct BlockSummary {
	pub number: u32,
	/// Its timestamp, in milliseconds.
	pub timestamp: u64,
	/// Its signed transactions: `Pallet.call` and encoded length.
	pub transactions: Vec<(String, u32)>,
	/// Its events, as `Pallet.Event`.
	pub events: Vec<String>,
	/// Weight (ref time, picoseconds) used by each dispatch class.
	pub normal: u64,
	pub operational: u64,
	pub mandatory: u64,
}

/// What became of a submitted transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
	/// In a finalized block.
	Included,
	/// The node reported it dropped, invalid or failed, with its reason.
	Dropped(String),
	/// The node stopped reporting on it without saying what became of it.
	Lost,
	/// The watch itself broke (the connection), so what became of it is unknown.
	Unwatched(String),
}

/// A transaction the pool accepted, watched.
pub struct Watched(TransactionProgress<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>);

impl Watched {
	/// Follows the transaction until it is finalized or the node gives up on it.
	pub async fn fate(mut self) -> Fate {
		loop {
			match self.0.next().await {
				None => return Fate::Lost,
				Some(Err(error)) => return Fate::Unwatched(error.to_string()),
				Some(Ok(TransactionStatus::InFinalizedBlock(_))) => return Fate::Included,
				Some(Ok(
					TransactionStatus::Error { message }
					| TransactionStatus::Invalid { message }
					| TransactionStatus::Dropped { message },
				)) => return Fate::Dropped(message),
				Some(Ok(_)) => continue,
			}
		}
	}
}

/// The nonces an account's next calls take. The node's count (`system_accountNextIndex`)
/// lags while its pool takes in a new block, and a call signed with a nonce still in the
/// pool is refused (or replaces the other), so each account's next nonce is also counted
/// here: a call takes the larger of the two. A call that fails goes back to the node's
/// count, which skips the nonce it held (no gap waits in the pool).
#[derive(Clone, Default)]
struct Nonces(Arc<Mutex<BTreeMap<String, u64>>>);

impl Nonces {
	/// The nonce for `address`'s next call, which the node counts as `counted`.
	fn take(&self, address: &str, counted: u64) -> u64 {
		let mut next = self.0.lock().unwrap_or_else(PoisonError::into_inner);
		let nonce = next.get(address).map_or(counted, |&ours| ours.max(counted));
		next.insert(address.to_string(), nonce.saturating_add(1));
		nonce
	}

	fn forget(&self, address: &str) {
		self.0.lock().unwrap_or_else(PoisonError::into_inner).remove(address);
	}
}

/// Sends an account back to the node's count of its nonces when dropped, unless its call
/// was included.
struct ForgetUnlessIncluded {
	nonces: Nonces,
	address: String,
	included: bool,
}

impl Drop for ForgetUnlessIncluded {
	fn drop(&mut self) {
		if !self.included {
			self.nonces.forget(&self.address);
		}
	}
}

/// A call in the node's pool.
pub struct Pending {
	progress: TransactionProgress<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>,
	nonces: Nonces,
	address: String,
}

impl Pending {
	/// Waits as `wait` says for the call to succeed, and returns its events.
	pub async fn wait(self, wait: Wait) -> Result<Events, ChainError> {
		let Pending { progress, nonces, address } = self;
		// Forgets the nonce unless the call succeeds, also when this wait is given up on.
		let mut guard = ForgetUnlessIncluded { nonces, address, included: false };
		let outcome = Self::follow(progress, wait).await;
		guard.included = outcome.is_ok();
		outcome
	}

	async fn follow(
		mut progress: TransactionProgress<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>,
		wait: Wait,
	) -> Result<Events, ChainError> {
		let refused = |error: &dyn std::fmt::Display| ChainError::Refused(error.to_string());
		let events = loop {
			let status = progress
				.next()
				.await
				.ok_or_else(|| ChainError::Connection("the node stopped reporting".into()))?
				.map_err(|error| refused(&error))?;
			let included = match status {
				TransactionStatus::InBestBlock(block) if wait == Wait::InBlock => block,
				TransactionStatus::InFinalizedBlock(block) => block,
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => return Err(ChainError::Refused(message)),
				_ => continue,
			};
			break included.wait_for_success().await.map_err(|error| refused(&error))?;
		};
		events
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

/// The signing key whose secret URI (`//Alice`, a mnemonic or a hex seed, with derivation
/// junctions) is in the environment variable `variable`.
pub fn signer_from_environment(variable: &str) -> Result<Keypair, ChainError> {
	let uri = std::env::var(variable)
		.map_err(|_| ChainError::NoKey(format!("set {variable} to the account's secret URI")))?;
	signer_from_uri(&uri).map_err(|reason| ChainError::NoKey(format!("{variable} {reason}")))
}

/// The signing key for a secret URI.
pub fn signer_from_uri(uri: &str) -> Result<Keypair, String> {
	let uri: SecretUri =
		uri.trim().parse().map_err(|error| format!("is not a secret URI: {error}"))?;
	Keypair::from_uri(&uri).map_err(|error| error.to_string())
}

/// The SS58 address (generic prefix 42, as the node's RPC writes accounts) of `signer`.
pub fn address_of(signer: &Keypair) -> String {
	signer.public_key().to_account_id().to_string()
}

#[cfg(test)]
mod tests {
	use super::Nonces;

	#[test]
	fn nonces_run_ahead_of_a_lagging_count_and_fall_back_to_it_after_a_failure() {
		let nonces = Nonces::default();
		assert_eq!(nonces.take("alice", 5), 5);
		assert_eq!(nonces.take("alice", 5), 6, "the node has not counted the first call yet");
		assert_eq!(nonces.take("alice", 9), 9, "the node counts calls sent elsewhere");
		assert_eq!(nonces.take("bob", 0), 0, "each account counts its own");
		nonces.forget("alice");
		assert_eq!(nonces.take("alice", 7), 7, "a failed call's nonce is the node's to count");
	}
}
