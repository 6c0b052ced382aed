//! The CCRE runtime.
//!
//! Consensus (Aura + GRANDPA), balances with holds and freezes, transaction fees paid to the
//! treasury account, Sudo for development chains, and the CCRE market pallets as they land.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` expand to deeply nested types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// The pallets `scripts/benchmark.sh` benchmarks; `#[macro_use]` lets `apis` call the
// `list_benchmarks!` and `add_benchmarks!` macros this defines.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benches {
	frame_benchmarking::define_benchmarks!(
		[pallet_certificates, Certificates]
		[pallet_providers, Providers]
		[pallet_escrow, Escrow]
		[pallet_leases, Leases]
		[pallet_orders, Orders]
		[pallet_sla, Sla]
		[pallet_exchange, Exchange]
	);
}

pub mod apis;
mod configs;
pub mod genesis_config_presets;
mod governance;
pub mod invariants;
pub mod market_parameters;
pub mod origins;
pub mod parameters;
pub mod weights;

use frame_support::PalletId;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use configs::{InsurancePoolAccount, TreasuryAccount};
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;

/// The runtime's version: spec and implementation names, API versions.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("ccre"),
	impl_name: alloc::borrow::Cow::Borrowed("ccre-node"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// An index to a block.
pub type BlockNumber = u32;
/// A signature on the chain: sr25519, ed25519 or ecdsa, as polkadot-js produces.
pub type Signature = MultiSignature;
/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance, in the smallest unit (10^-[`TOKEN_DECIMALS`] CCRE).
pub type Balance = u128;
/// The number of transactions an account has sent.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// The token's symbol, shown by polkadot-js and the CLI.
pub const TOKEN_SYMBOL: &str = "CCRE";
/// The number of decimals of one CCRE.
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address prefix: 42, the generic Substrate prefix, until a registered one is needed.
pub const SS58_PREFIX: u16 = 42;

/// One CCRE in the smallest unit.
pub const CCRE: Balance = 10u128.pow(TOKEN_DECIMALS as u32);
/// One thousandth of a CCRE.
pub const MILLI_CCRE: Balance = CCRE / 1_000;
/// One millionth of a CCRE.
pub const MICRO_CCRE: Balance = CCRE / 1_000_000;
/// The least an account must hold to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_CCRE;

/// The treasury account is derived from this identifier; it holds no keys.
pub const TREASURY_PALLET_ID: PalletId = PalletId(*b"ccre/tsy");
/// The SLA insurance pool's account is derived from this identifier; it holds no keys.
pub const INSURANCE_POOL_PALLET_ID: PalletId = PalletId(*b"ccre/ins");

/// Block time, in milliseconds, of the development chain: short, so end-to-end flows finish in
/// seconds.
pub const DEV_BLOCK_TIME_MILLIS: u64 = 1_000;
/// Block time, in milliseconds, of the three-validator local network.
pub const LOCAL_BLOCK_TIME_MILLIS: u64 = 2_000;

/// Types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// The keys a validator publishes: Aura for authoring, GRANDPA for finality.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The checks and payments every signed transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);
/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, besides those the pallets declare.
type Migrations = ();

/// Executive: dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type BlockTime = pallet_block_time;
	#[runtime::pallet_index(3)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(4)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(5)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(6)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(7)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(8)]
	pub type Parameters = pallet_parameters;
	#[runtime::pallet_index(9)]
	pub type Certificates = pallet_certificates;
	#[runtime::pallet_index(10)]
	pub type Providers = pallet_providers;
	#[runtime::pallet_index(11)]
	pub type Escrow = pallet_escrow;
	#[runtime::pallet_index(12)]
	pub type Leases = pallet_leases;
	#[runtime::pallet_index(13)]
	pub type Orders = pallet_orders;
	#[runtime::pallet_index(14)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(15)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(16)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(17)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(18)]
	pub type Arbitrators = pallet_collective<Instance1>;
	#[runtime::pallet_index(19)]
	pub type Sla = pallet_sla;
	#[runtime::pallet_index(20)]
	pub type Origins = crate::origins;
	#[runtime::pallet_index(21)]
	pub type MarketParameters = crate::market_parameters;
	#[runtime::pallet_index(22)]
	pub type Exchange = pallet_exchange;
}
