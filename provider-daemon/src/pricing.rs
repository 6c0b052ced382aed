//! Pricing: what the daemon bids on an order it can serve, per unit and per block (the unit
//! the chain's prices are in), or why it does not bid.
//!
//! Three strategies, chosen in the daemon's configuration:
//! - `scale`: a price per unit of each capacity per block (say per millicore and per MiB),
//!   summed over what one unit of the order needs.
//! - `market`: just under the going price (the lowest bid so far, or the order's maximum if
//!   there is none), by `undercut`, and never below the `scale` cost.
//! - `script`: a program gets the order as JSON on stdin and prints a price, or `refuse`
//!   (with its reason on stderr); anything else, a failure or no answer within the timeout is
//!   a refusal.

use ccre_primitives::{Capacity, OrderView, ResourceSet};
use serde::Deserialize;
use std::{collections::BTreeMap, path::PathBuf, process::Stdio, time::Duration};
use tokio::{io::AsyncWriteExt, process::Command};

/// An order as the `ccre_order` and `ccre_openOrders` RPC methods return it.
pub type Order = OrderView<String, u128, u32>;

/// The daemon's answer to an order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Quote {
	/// Bid this price per unit and block.
	Bid(u128),
	/// Do not bid, for this reason (logged, and the capacity reserved for the bid released).
	Refuse(String),
}

/// A price per unit of each capacity, per block, in the smallest unit of the token:
/// `{ cpu_millicores = 1000, memory_mib = 200 }`. (64 bits: a configuration file's integers
/// are, and a tagged configuration cannot hold more.)
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(transparent)]
pub struct ScalePrices(pub BTreeMap<Capacity, u64>);

impl ScalePrices {
	/// What one unit of `resources` costs per block: every additive capacity times its
	/// price. Capacities without a price are free; a quality such as clock speed has no
	/// amount to charge for. `None` on overflow.
	pub fn cost(&self, resources: &ResourceSet) -> Option<u128> {
		resources.capacities().filter(|(capacity, _)| capacity.is_additive()).try_fold(
			0u128,
			|total, (capacity, amount)| {
				let price = u128::from(self.0.get(&capacity).copied().unwrap_or(0));
				total.checked_add(price.checked_mul(u128::from(amount))?)
			},
		)
	}
}

/// How the daemon prices orders.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(tag = "strategy", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pricing {
	/// The cost of what an order needs, at `prices`.
	Scale {
		/// The price per unit of each capacity and block.
		prices: ScalePrices,
	},
	/// `undercut` under the going price, never below the cost at `prices`.
	Market {
		/// The price per unit of each capacity and block: the floor.
		prices: ScalePrices,
		/// How far under the going price to bid.
		undercut: u64,
	},
	/// A program's answer.
	Script {
		/// The program, run without a shell.
		program: PathBuf,
		/// Its arguments.
		#[serde(default)]
		args: Vec<String>,
		/// How long it has to answer, in milliseconds.
		#[serde(default = "default_script_timeout")]
		timeout_ms: u64,
	},
}

fn default_script_timeout() -> u64 {
	2_000
}

impl Pricing {
	/// The bid on `order`, or why there is none. A bid is never above the order's maximum.
	pub async fn quote(&self, order: &Order) -> Quote {
		let quote = match self {
			Pricing::Scale { prices } => scale_quote(prices, order),
			Pricing::Market { prices, undercut } => {
				market_quote(prices, u128::from(*undercut), order)
			},
			Pricing::Script { program, args, timeout_ms } => {
				script_quote(program, args, Duration::from_millis(*timeout_ms), order).await
			},
		};
		match quote {
			Quote::Bid(price) if price > order.terms.max_price => Quote::Refuse(format!(
				"the price {price} is above the order's maximum {}",
				order.terms.max_price
			)),
			Quote::Bid(0) => Quote::Refuse("a price of zero".into()),
			other => other,
		}
	}
}

fn scale_quote(prices: &ScalePrices, order: &Order) -> Quote {
	match prices.cost(&order.terms.resources) {
		Some(cost) => Quote::Bid(cost),
		None => Quote::Refuse("the cost overflows".into()),
	}
}

fn market_quote(prices: &ScalePrices, undercut: u128, order: &Order) -> Quote {
	let Some(cost) = prices.cost(&order.terms.resources) else {
		return Quote::Refuse("the cost overflows".into());
	};
	let going = order.bids.iter().map(|bid| bid.price).min().unwrap_or(order.terms.max_price);
	let price = going.saturating_sub(undercut).max(cost);
	// Bidding at cost above the going price would only lose.
	if price > going || (price == going && !order.bids.is_empty()) {
		return Quote::Refuse(format!("the going price {going} does not cover the cost {cost}"));
	}
	Quote::Bid(price)
}

async fn script_quote(
	program: &PathBuf,
	args: &[String],
	timeout: Duration,
	order: &Order,
) -> Quote {
	let input = match serde_json::to_vec(order) {
		Ok(input) => input,
		Err(error) => return Quote::Refuse(format!("the order does not serialise: {error}")),
	};
	// Only what a program needs to run: never the daemon's environment, which may hold the
	// provider's seed.
	let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
	let child = Command::new(program)
		.args(args)
		.env_clear()
		.env("PATH", path)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true)
		.spawn();
	let mut child = match child {
		Ok(child) => child,
		Err(error) => return Quote::Refuse(format!("cannot run {}: {error}", program.display())),
	};
	let run = async {
		if let Some(mut stdin) = child.stdin.take() {
			// A script that does not read its input still gets to answer.
			let _ = stdin.write_all(&input).await;
		}
		child.wait_with_output().await
	};
	let output = match tokio::time::timeout(timeout, run).await {
		Ok(Ok(output)) => output,
		Ok(Err(error)) => return Quote::Refuse(format!("the pricing script failed: {error}")),
		Err(_) => {
			return Quote::Refuse(format!("the pricing script gave no answer in {timeout:?}"))
		},
	};
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	let answer = stdout.trim();
	if !output.status.success() {
		return Quote::Refuse(format!(
			"the pricing script failed ({}): {}",
			output.status,
			stderr.trim()
		));
	}
	if answer == "refuse" {
		return Quote::Refuse(format!("the pricing script refused: {}", stderr.trim()));
	}
	match answer.parse::<u128>() {
		Ok(price) => Quote::Bid(price),
		Err(_) => Quote::Refuse(format!("the pricing script answered {answer:?}, not a price")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	/// An open order for `units` units of 500 millicores and 256 MiB at 3 GHz, at most
	/// `max_price`, with bids at `bids`.
	fn order(max_price: u128, bids: &[u128]) -> Order {
		serde_json::from_value(json!({
			"id": 7,
			"tenant": "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
			"terms": {
				"resources": {"cpu_millicores": 500, "memory_mib": 256, "clock_mhz": 3000},
				"units": 2,
				"placement": {"region": "eu-west"},
				"auditors": [],
				"auditor_rule": "any_of",
				"min_reputation": 0,
				"max_price": max_price,
				"duration": null,
				"bid_window": 3,
				"manifest_hash": format!("0x{}", "2a".repeat(32)),
				"order_type": "good_till_window",
				"clearing": "pay_bid",
				"sla": null
			},
			"created_at": 1,
			"closes_at": 4,
			"deposit": 1,
			"state": "open",
			"bids": bids.iter().map(|price| json!({
				"provider": "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
				"price": price,
				"placed_at": 2
			})).collect::<Vec<_>>(),
			"escrow_balance": 1_000_000
		}))
		.unwrap_or_else(|error| panic!("an order: {error}"))
	}

	fn prices() -> ScalePrices {
		serde_json::from_value(json!({"cpu_millicores": 2, "memory_mib": 1, "clock_mhz": 1_000}))
			.unwrap_or_else(|error| panic!("prices: {error}"))
	}

	fn run(pricing: &Pricing, order: &Order) -> Quote {
		tokio::runtime::Builder::new_current_thread()
			.enable_all()
			.build()
			.unwrap_or_else(|error| panic!("a runtime: {error}"))
			.block_on(pricing.quote(order))
	}

	#[test]
	fn scale_prices_what_one_unit_needs_and_never_above_the_maximum() {
		let scale = Pricing::Scale { prices: prices() };
		// 500 × 2 + 256 × 1; the clock is a quality, not an amount.
		assert_eq!(run(&scale, &order(2_000, &[])), Quote::Bid(1_256));
		assert!(
			matches!(run(&scale, &order(1_000, &[])), Quote::Refuse(reason) if reason.contains("above the order's maximum"))
		);
		// Two capacities at the largest price and amount overflow even 128 bits.
		let most = [(Capacity::CpuMillicores, u64::MAX), (Capacity::MemoryMib, u64::MAX)];
		let huge = Pricing::Scale { prices: ScalePrices(most.into()) };
		let mut big = order(2_000, &[]);
		big.terms.max_price = u128::MAX;
		big.terms.resources = ResourceSet::new(most, []).unwrap_or_default();
		assert_eq!(run(&huge, &big), Quote::Refuse("the cost overflows".into()));
	}

	#[test]
	fn market_bids_just_under_the_going_price_never_below_cost() {
		let market = Pricing::Market { prices: prices(), undercut: 10 };
		// No bids yet: just under the maximum.
		assert_eq!(run(&market, &order(2_000, &[])), Quote::Bid(1_990));
		// Under the lowest bid.
		assert_eq!(run(&market, &order(2_000, &[1_800, 1_500])), Quote::Bid(1_490));
		// Undercutting would go below cost: bid at cost, still under the going price.
		assert_eq!(run(&market, &order(2_000, &[1_260])), Quote::Bid(1_256));
		// The going price is below cost: no bid.
		assert!(
			matches!(run(&market, &order(2_000, &[1_200])), Quote::Refuse(reason) if reason.contains("does not cover the cost 1256"))
		);
		assert!(matches!(run(&market, &order(2_000, &[1_256])), Quote::Refuse(_)));
	}

	fn script(source: &str, timeout_ms: u64) -> Pricing {
		Pricing::Script {
			program: "python3".into(),
			args: vec!["-c".into(), source.into()],
			timeout_ms,
		}
	}

	#[test]
	fn a_script_prices_the_order_it_reads_on_stdin() {
		// Half the maximum, from the JSON it is given.
		let half = script(
			"import json,sys; o=json.load(sys.stdin); print(o['terms']['max_price']//2)",
			5_000,
		);
		assert_eq!(run(&half, &order(2_000, &[])), Quote::Bid(1_000));
		let refuse =
			script("import sys; print('refuse'); print('too busy', file=sys.stderr)", 5_000);
		assert_eq!(
			run(&refuse, &order(2_000, &[])),
			Quote::Refuse("the pricing script refused: too busy".into())
		);
	}

	#[test]
	fn a_script_gets_no_secret_of_the_daemon() {
		std::env::set_var(crate::config::SEED_VARIABLE, "//Secret");
		let snoop = script(
			"import os; print('refuse' if os.environ.get('CCRE_PROVIDER_SEED') else 7)",
			5_000,
		);
		assert_eq!(run(&snoop, &order(2_000, &[])), Quote::Bid(7));
	}

	#[test]
	fn a_script_that_fails_answers_nonsense_or_hangs_is_a_refusal() {
		let cases = [
			(script("import sys; sys.exit(3)", 5_000), "failed (exit status: 3)"),
			(script("print('cheap')", 5_000), "answered \"cheap\", not a price"),
			(script("print(5000)", 5_000), "above the order's maximum"),
			(script("print(0)", 5_000), "a price of zero"),
			(script("import time; time.sleep(10)", 300), "gave no answer in 300ms"),
			(
				Pricing::Script {
					program: "/nonexistent/pricer".into(),
					args: vec![],
					timeout_ms: 1_000,
				},
				"cannot run /nonexistent/pricer",
			),
		];
		for (pricing, expected) in cases {
			match run(&pricing, &order(2_000, &[])) {
				Quote::Refuse(reason) => assert!(reason.contains(expected), "{reason}"),
				bid => panic!("expected a refusal with {expected:?}, got {bid:?}"),
			}
		}
	}

	#[test]
	fn the_strategy_is_read_from_the_configuration() {
		let market: Pricing = serde_json::from_value(json!({
			"strategy": "market",
			"prices": {"cpu_millicores": 2},
			"undercut": 5
		}))
		.unwrap_or_else(|error| panic!("{error}"));
		assert_eq!(
			market,
			Pricing::Market {
				prices: ScalePrices([(Capacity::CpuMillicores, 2)].into()),
				undercut: 5
			}
		);
		assert!(serde_json::from_value::<Pricing>(json!({"strategy": "guess"})).is_err());
		assert!(serde_json::from_value::<Pricing>(
			json!({"strategy": "scale", "prices": {"colour": 1}})
		)
		.is_err());
	}
}
