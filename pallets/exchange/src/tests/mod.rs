//! The exchange's tests, by feature.

mod adversaries;
mod book;
mod classes;
mod time_in_force;
