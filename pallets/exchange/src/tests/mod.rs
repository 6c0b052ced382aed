//! The exchange's tests, by feature.

mod adversaries;
mod book;
mod breaker;
mod classes;
mod index;
mod time_in_force;
