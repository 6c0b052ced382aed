//! What the `ccre` CLI and the `ccre-provider` daemon share off chain: the chain client
//! ([`chain`]), certificates ([`certificate`]), mutual TLS without certificate authorities
//! ([`tls`]), the manifest gateway's API with its client ([`gateway`]) and the exchange's
//! events ([`exchange`]).

pub mod certificate;
pub mod chain;
pub mod exchange;
pub mod gateway;
pub mod tls;
