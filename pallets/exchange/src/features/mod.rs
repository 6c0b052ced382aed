//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod book;
mod breaker;
mod classes;
mod index;
pub(crate) mod matching;
mod placing;
// std too: the tests check these invariants after every test.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;
