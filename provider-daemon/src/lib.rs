//! `ccre-provider`, the CCRE provider daemon, as a library its binary and tests use.
//!
//! - [`pricing`]: what the daemon bids on an order, by one of three strategies.

pub mod pricing;
