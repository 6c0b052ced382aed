//! The runtime APIs the node, polkadot-js and the CCRE tools call.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;

use super::{
	genesis_config_presets, opaque, AccountId, Aura, Balance, Block, BlockNumber, Certificates,
	Escrow, Exchange, Executive, Grandpa, InherentDataExt, Leases, Nonce, Orders, Providers,
	Runtime, RuntimeCall, RuntimeGenesisConfig, Sla, System, TransactionPayment, VERSION,
};
use ccre_primitives::{
	certificate::{CertificateRefusal, CertificateView, Fingerprint},
	exchange::{BookOrder, BookOrderId, BookView, ClassId, ClassView, IndexEntry},
	Downtime, LeaseView, OrderId, OrderView, PoolView, ProviderView, StakeView, UnderwritingView,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			opaque::SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocation reports need a key-ownership proof, which needs a session pallet;
			// validators are not slashable until they are staked providers (roadmap).
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}
	impl ccre_runtime_api::ProvidersApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn provider(who: AccountId) -> Option<ProviderView<AccountId, Balance, BlockNumber>> {
			Providers::provider_view(&who)
		}

		fn providers(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<ProviderView<AccountId, Balance, BlockNumber>> {
			Providers::provider_views(start_after, limit)
		}

		fn stake(who: AccountId) -> Option<StakeView<Balance, BlockNumber>> {
			Providers::stake_view(&who)
		}
	}

	impl ccre_runtime_api::CertificatesApi<Block, AccountId, BlockNumber> for Runtime {
		fn certificate(fingerprint: Fingerprint) -> Option<CertificateView<AccountId, BlockNumber>> {
			Certificates::certificate_view(fingerprint)
		}

		fn certificates_of(owner: AccountId) -> Vec<CertificateView<AccountId, BlockNumber>> {
			Certificates::certificate_views_of(&owner)
		}

		fn check_presented(
			owner: AccountId,
			fingerprint: Fingerprint,
		) -> Result<(), CertificateRefusal> {
			Certificates::check_presented(&owner, fingerprint)
		}
	}

	impl ccre_runtime_api::MarketApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn order(id: OrderId) -> Option<OrderView<AccountId, Balance, BlockNumber>> {
			Orders::order_view(id)
		}

		fn open_orders(
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<OrderView<AccountId, Balance, BlockNumber>> {
			Orders::open_order_views(start_after, limit)
		}

		fn lease(id: OrderId) -> Option<LeaseView<AccountId, Balance, BlockNumber>> {
			let lease = Leases::lease_view(id)?;
			Some(LeaseView {
				id,
				tenant: lease.tenant,
				provider: lease.provider,
				price: lease.price,
				created_at: lease.created_at,
				started_at: lease.started_at,
				duration: lease.duration,
				state: lease.state,
				sla: lease.sla,
				manifest_hash: Orders::manifest_hash(id)?,
				escrow: Escrow::escrow_view(id),
				at_risk: Escrow::at_risk_of(id).paid,
			})
		}
	}

	impl ccre_runtime_api::SlaApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn pool() -> PoolView<Balance> {
			Sla::pool_view()
		}

		fn underwriting(who: AccountId) -> Option<UnderwritingView<Balance, BlockNumber>> {
			Sla::underwriting_view(&who)
		}

		fn pending_downtime(lease: OrderId) -> Option<Downtime> {
			Sla::pending_downtime(lease)
		}
	}

	impl ccre_runtime_api::ExchangeApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn classes() -> Vec<ClassView<AccountId, BlockNumber>> {
			Exchange::class_views()
		}

		fn class(id: ClassId) -> Option<ClassView<AccountId, BlockNumber>> {
			Exchange::class_view(id)
		}

		fn book(class: ClassId, depth: u32) -> BookView {
			Exchange::book_view(class, depth)
		}

		fn index(class: ClassId, from: Option<u32>, limit: u32) -> Vec<IndexEntry<BlockNumber>> {
			Exchange::index_view(class, from, limit)
		}

		fn orders_of(who: AccountId) -> Vec<(BookOrderId, BookOrder<AccountId, Balance, BlockNumber>)> {
			Exchange::orders_of(&who)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_support::traits::StorageInfoTrait;
			use super::AllPalletsWithSystem;

			let mut list = Vec::<frame_benchmarking::BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_support::traits::WhitelistedStorageKeys;
			use super::AllPalletsWithSystem;

			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<frame_benchmarking::BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}
}
