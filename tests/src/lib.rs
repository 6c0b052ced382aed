//! Helpers for end-to-end tests that start real `ccre-node` processes.
