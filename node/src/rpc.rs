//! The node's JSON-RPC methods beyond Substrate's standard set.

use std::sync::Arc;

use ccre_primitives::{
	certificate::{CertificateView, Fingerprint},
	exchange::ClassId,
	rpc::CertificateCheck,
	OrderId, ProviderView,
};
use ccre_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use ccre_runtime_api::{CertificatesApi, ExchangeApi, MarketApi, ProvidersApi, SlaApi};
use jsonrpsee::{
	types::{ErrorObjectOwned, Params},
	RpcModule,
};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// The RPC methods: account nonces (`system_accountNextIndex`), fee queries (`payment_*`) and
/// the CCRE registries (`ccre_*`).
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ ProvidersApi<Block, AccountId, Balance, BlockNumber>
		+ CertificatesApi<Block, AccountId, BlockNumber>
		+ MarketApi<Block, AccountId, Balance, BlockNumber>
		+ SlaApi<Block, AccountId, Balance, BlockNumber>
		+ ExchangeApi<Block, AccountId, Balance, BlockNumber>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(ccre_rpc(client)?)?;
	Ok(module)
}

/// A provider with its published certificates: what `ccre_provider` returns.
#[derive(serde::Serialize, Clone)]
struct ProviderDetails {
	#[serde(flatten)]
	provider: ProviderView<AccountId, Balance, BlockNumber>,
	certificates: Vec<CertificateView<AccountId, BlockNumber>>,
}

/// The most providers or orders a page returns when no limit is given (also the runtime's cap).
const DEFAULT_PAGE: u32 = 100;

/// The price levels per side `ccre_book` returns when not told.
const DEFAULT_DEPTH: u32 = 20;

/// `ccre_*`: the provider and certificate registries and the market, for auditors, tenants,
/// daemons and gateways. Each method takes an optional block hash as its last parameter
/// (default: the best block).
///
/// - `ccre_provider(account, at?)`: a provider's record, stake, attestations, reputation and
///   certificates, or null.
/// - `ccre_providers(startAfter?, limit?, at?)`: a page of providers.
/// - `ccre_stake(account, at?)`: an account's stake, registered or not.
/// - `ccre_certificate(fingerprint, at?)`: a certificate by its SHA-256 fingerprint (hex).
/// - `ccre_certificatesOf(account, at?)`: an account's certificates.
/// - `ccre_checkCertificate(owner, fingerprint, at?)`: whether a gateway should accept the
///   certificate as `owner` now, and why not.
/// - `ccre_order(id, at?)`: an order with its bids and escrow balance, or null.
/// - `ccre_openOrders(startAfter?, limit?, at?)`: a page of open orders with their bids.
/// - `ccre_lease(id, at?)`: a lease with its manifest hash and escrow (balance, blocks of
///   funding left, the block it runs out at), or null.
/// - `ccre_pool(at?)`: what the SLA insurance pool can pay out, and its shares.
/// - `ccre_underwriting(account, at?)`: an underwriter's shares, their value and when they
///   unlock, or null.
/// - `ccre_classes(at?)`: the exchange's classes, with their halts, bands, latest prints and
///   moving averages.
/// - `ccre_book(class, depth?, at?)`: the best `depth` (default 20) levels of each side of a
///   class's book.
/// - `ccre_index(class, from?, limit?, at?)`: a class's prints from interval `from` (the oldest
///   kept by default), at most `limit` (default 100), oldest first.
/// - `ccre_exchangeOrders(account, at?)`: an account's open orders on the exchange.
/// - `ccre_pendingDowntime(lease, at?)`: the whole epochs a downtime claim on the lease would
///   cover now and in how many it was reported, or null.
fn ccre_rpc<C>(
	client: Arc<C>,
) -> Result<RpcModule<Arc<C>>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ProvidersApi<Block, AccountId, Balance, BlockNumber>
		+ CertificatesApi<Block, AccountId, BlockNumber>
		+ MarketApi<Block, AccountId, Balance, BlockNumber>
		+ SlaApi<Block, AccountId, Balance, BlockNumber>
		+ ExchangeApi<Block, AccountId, Balance, BlockNumber>,
{
	let mut module = RpcModule::new(client);
	module.register_method("ccre_provider", |params, client, _| {
		let mut params = params.sequence();
		let who: AccountId = params.next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		let api = client.runtime_api();
		let Some(provider) = api.provider(at, who.clone()).map_err(runtime_error)? else {
			return Ok(None);
		};
		let certificates = api.certificates_of(at, who).map_err(runtime_error)?;
		Ok::<_, ErrorObjectOwned>(Some(ProviderDetails { provider, certificates }))
	})?;
	module.register_method("ccre_providers", |params, client, _| {
		let mut params = params.sequence();
		let start_after: Option<AccountId> = params.optional_next()?;
		let limit: Option<u32> = params.optional_next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		client
			.runtime_api()
			.providers(at, start_after, limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)
	})?;
	module.register_method("ccre_stake", |params, client, _| {
		let (who, at): (AccountId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().stake(at, who).map_err(runtime_error)
	})?;
	module.register_method("ccre_certificate", |params, client, _| {
		let mut params = params.sequence();
		let fingerprint: sp_core::H256 = params.next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		client.runtime_api().certificate(at, fingerprint.0).map_err(runtime_error)
	})?;
	module.register_method("ccre_certificatesOf", |params, client, _| {
		let (who, at): (AccountId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().certificates_of(at, who).map_err(runtime_error)
	})?;
	module.register_method("ccre_checkCertificate", |params, client, _| {
		let mut params = params.sequence();
		let owner: AccountId = params.next()?;
		let fingerprint: sp_core::H256 = params.next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		let fingerprint: Fingerprint = fingerprint.0;
		let outcome =
			client.runtime_api().check_presented(at, owner, fingerprint).map_err(runtime_error)?;
		Ok::<_, ErrorObjectOwned>(CertificateCheck {
			accepted: outcome.is_ok(),
			refusal: outcome.err(),
		})
	})?;
	module.register_method("ccre_order", |params, client, _| {
		let (id, at): (OrderId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().order(at, id).map_err(runtime_error)
	})?;
	module.register_method("ccre_openOrders", |params, client, _| {
		let mut params = params.sequence();
		let start_after: Option<OrderId> = params.optional_next()?;
		let limit: Option<u32> = params.optional_next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		client
			.runtime_api()
			.open_orders(at, start_after, limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)
	})?;
	module.register_method("ccre_lease", |params, client, _| {
		let (id, at): (OrderId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().lease(at, id).map_err(runtime_error)
	})?;
	module.register_method("ccre_pool", |params, client, _| {
		let at = at_block(client.as_ref(), params.sequence().optional_next()?);
		client.runtime_api().pool(at).map_err(runtime_error)
	})?;
	module.register_method("ccre_underwriting", |params, client, _| {
		let (who, at): (AccountId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().underwriting(at, who).map_err(runtime_error)
	})?;
	module.register_method("ccre_pendingDowntime", |params, client, _| {
		let (lease, at): (OrderId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().pending_downtime(at, lease).map_err(runtime_error)
	})?;
	module.register_method("ccre_classes", |params, client, _| {
		let at = at_block(client.as_ref(), params.sequence().optional_next()?);
		client.runtime_api().classes(at).map_err(runtime_error)
	})?;
	module.register_method("ccre_book", |params, client, _| {
		let mut params = params.sequence();
		let class: ClassId = params.next()?;
		let depth: Option<u32> = params.optional_next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		client.runtime_api().book(at, class, depth.unwrap_or(DEFAULT_DEPTH)).map_err(runtime_error)
	})?;
	module.register_method("ccre_index", |params, client, _| {
		let mut params = params.sequence();
		let class: ClassId = params.next()?;
		let from: Option<u32> = params.optional_next()?;
		let limit: Option<u32> = params.optional_next()?;
		let at = at_block(client.as_ref(), params.optional_next()?);
		client
			.runtime_api()
			.index(at, class, from, limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)
	})?;
	module.register_method("ccre_exchangeOrders", |params, client, _| {
		let (who, at): (AccountId, _) = key_and_block(params, client.as_ref())?;
		client.runtime_api().orders_of(at, who).map_err(runtime_error)
	})?;
	Ok(module)
}

/// A method's one key (an account, an order id) and the optional block hash after it.
fn key_and_block<K: serde::de::DeserializeOwned, C: HeaderBackend<Block>>(
	params: Params,
	client: &C,
) -> Result<(K, Hash), ErrorObjectOwned> {
	let mut params = params.sequence();
	let key = params.next()?;
	Ok((key, at_block(client, params.optional_next()?)))
}

fn at_block<C: HeaderBackend<Block>>(client: &C, at: Option<Hash>) -> Hash {
	at.unwrap_or_else(|| client.info().best_hash)
}

/// A runtime API call that failed (an unknown block, or a runtime without the API).
fn runtime_error(error: sp_api::ApiError) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(RUNTIME_ERROR, "runtime API call failed", Some(error.to_string()))
}

/// The JSON-RPC error code for a failed runtime API call, as Substrate's own RPCs use.
const RUNTIME_ERROR: i32 = 1;
