//! The one rule for deposits on stored items: a base plus a price per stored byte.

use sp_runtime::traits::{CheckedAdd, CheckedMul};

/// `base + per_byte * bytes`, or `None` if it overflows.
pub fn storage_deposit<Balance: CheckedAdd + CheckedMul + From<u32>>(
	base: Balance,
	per_byte: Balance,
	bytes: u32,
) -> Option<Balance> {
	per_byte.checked_mul(&Balance::from(bytes)).and_then(|sized| sized.checked_add(&base))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn base_plus_bytes_and_overflow_is_none() {
		assert_eq!(storage_deposit(10u64, 2, 5), Some(20));
		assert_eq!(storage_deposit(10u64, u64::MAX, 2), None);
		assert_eq!(storage_deposit(u64::MAX, 1, 1), None);
	}
}
