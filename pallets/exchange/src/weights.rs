//! Weight functions of `pallet_exchange`. The runtime's come from `scripts/benchmark.sh`
//! once the pallet joins it; `()` is for tests, where each operation weighs the same so a
//! budget counts operations.

use frame_support::weights::Weight;

/// Weight functions of `pallet_exchange`.
pub trait WeightInfo {
	fn create_class() -> Weight;
	fn retire_class() -> Weight;
	fn buy() -> Weight;
	fn sell() -> Weight;
	fn cancel() -> Weight;
	fn set_rules() -> Weight;
	/// Printing one class's index.
	fn print_index() -> Weight;
	/// Watching one class's best quotes against its band.
	fn watch_band() -> Weight;
	/// Finding a reopening auction's price over both sides of a full book.
	fn reopen() -> Weight;
	/// One fill of a reopening auction.
	fn auction_fill() -> Weight;
	/// The matching hook's fixed part.
	fn matching_base() -> Weight;
	/// Expiring one good-till-block order.
	fn expire() -> Weight;
	/// Matching one placed order that trades with `f` resting orders.
	fn match_order(f: u32) -> Weight;
}

/// One unit (a microsecond) per operation, and one per fill.
impl WeightInfo for () {
	fn create_class() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn retire_class() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn buy() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn sell() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn cancel() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn set_rules() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn print_index() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn watch_band() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn reopen() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn auction_fill() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn matching_base() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn expire() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn match_order(f: u32) -> Weight {
		Weight::from_parts(1_000_000, 0).saturating_mul(u64::from(f).saturating_add(1))
	}
}
