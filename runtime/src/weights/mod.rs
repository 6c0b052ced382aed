//! The runtime's base weights and its database's costs, measured by `scripts/benchmark.sh` on
//! the production build (the pallets' call weights are in each pallet's `weights.rs`).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod paritydb_weights;
