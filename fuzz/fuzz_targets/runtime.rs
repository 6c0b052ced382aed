//! The runtime fuzzer: random call sequences through `Executive`, every invariant checked after
//! each block (see `ccre_runtime_fuzz`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	ccre_runtime_fuzz::run(data);
});
