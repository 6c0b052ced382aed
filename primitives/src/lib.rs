//! Types and rules shared by the CCRE runtime, the provider daemon and the CLI, so that chain
//! and off-chain code agree on what an order asks for and what an offer provides.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod resources;

pub use resources::{satisfies, Capacity, Property, PropertyValue, ResourceSet, ResourceSetError};
