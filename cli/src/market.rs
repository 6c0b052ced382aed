//! `ccre market`: the spot exchange's classes, books and price index, and orders on it, for
//! tenants buying lots and providers selling them.

use crate::{call, deploy, read_manifest, Failure, GatewayArgs, SEED_VARIABLE};
use ccre_client::{
	chain::{address_of, signer_from_environment, Chain, Encoded, Events, Wait},
	exchange::{placed_order, removed_orders, Traded},
};
use ccre_primitives::{
	exchange::{BookOrderId, BookView, ClassId, ClassView, IndexEntry, Lots, Price, TimeInForce},
	satisfies, OrderId,
};
use clap::Subcommand;
use codec::Encode;
use serde_json::json;
use std::{
	path::PathBuf,
	time::{Duration, Instant},
};

#[derive(Subcommand)]
pub enum MarketCommand {
	/// The classes: what a lot is, tick, halt, band and latest print (JSON).
	Classes,
	/// The best price levels of each side of a class's book.
	Book {
		class: ClassId,
		/// How many levels per side.
		#[arg(long, default_value_t = 10)]
		depth: u32,
	},
	/// A class's price index, one print per 30-second interval, oldest first.
	Index {
		class: ClassId,
		/// The first interval; the oldest kept by default.
		#[arg(long)]
		from: Option<u32>,
		/// How many prints.
		#[arg(long, default_value_t = 20)]
		limit: u32,
		/// The node's JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
	/// An account's open orders on the exchange (JSON).
	Orders { account: String },
	/// Buys lots of a class for the manifest in FILE: each seller it trades with opens a
	/// lease of the lots it sold, running the manifest for DURATION blocks. Holds
	/// PRICE × LOTS × DURATION until it trades; what trades cheaper comes back.
	Buy {
		#[command(flatten)]
		order: BuyArgs,
		#[command(flatten)]
		time_in_force: TimeInForceArgs,
	},
	/// Sells lots of a class as the signer, a provider eligible for it.
	Sell {
		class: ClassId,
		/// The lowest price per lot per block, in the smallest unit; a whole number of ticks.
		#[arg(long)]
		price: Price,
		#[arg(long)]
		lots: Lots,
		#[command(flatten)]
		time_in_force: TimeInForceArgs,
	},
	/// Cancels one of the signer's orders; it never trades afterwards.
	Cancel { order: BookOrderId },
	/// Buys lots at once (immediate-or-cancel) for the manifest in FILE, then sends the
	/// manifest to each seller's gateway over mTLS and prints the service endpoints.
	Deploy {
		#[command(flatten)]
		order: BuyArgs,
		#[command(flatten)]
		gateway: GatewayArgs,
		/// How long to wait for the trades and then for the services, in seconds.
		#[arg(long, default_value_t = 300)]
		timeout: u64,
	},
}

/// A buy order.
#[derive(clap::Args)]
pub struct BuyArgs {
	/// The manifest, YAML or JSON; everything it needs must fit in one lot of the class,
	/// since each seller's lease may be a single lot.
	file: PathBuf,
	#[arg(long)]
	class: ClassId,
	/// The highest price per lot per block, in the smallest unit; a whole number of ticks.
	#[arg(long)]
	limit: Price,
	#[arg(long, default_value_t = 1)]
	lots: Lots,
	/// Blocks each lease runs once started.
	#[arg(long)]
	duration: u32,
}

/// How long an order may rest.
#[derive(clap::Args)]
pub struct TimeInForceArgs {
	/// `gtc` (good till cancelled), `ioc` (immediate or cancel), `fok` (fill or kill),
	/// `post-only`, or `until=BLOCK` (good till that block).
	#[arg(long = "tif", default_value = "gtc", value_parser = parse_time_in_force)]
	time_in_force: TimeInForce<u32>,
}

fn parse_time_in_force(text: &str) -> Result<TimeInForce<u32>, String> {
	match text {
		"gtc" => Ok(TimeInForce::GoodTillCancel),
		"ioc" => Ok(TimeInForce::ImmediateOrCancel),
		"fok" => Ok(TimeInForce::FillOrKill),
		"post-only" => Ok(TimeInForce::PostOnly),
		_ => text
			.strip_prefix("until=")
			.and_then(|block| block.parse().ok())
			.map(TimeInForce::GoodTillBlock)
			.ok_or_else(|| format!("{text}: not gtc, ioc, fok, post-only or until=BLOCK")),
	}
}

type Class = ClassView<String, u32>;

/// How many blocks behind the best one the search for an order's trades starts.
const RESCAN_BLOCKS: u32 = 20;

pub async fn run(url: &str, command: MarketCommand) -> Result<String, Failure> {
	let chain = Chain::connect(url).await?;
	match command {
		MarketCommand::Classes => Ok(chain.query("ccre_classes", vec![]).await?.get().into()),
		MarketCommand::Book { class, depth } => {
			let book: BookView =
				chain.query_as("ccre_book", vec![json!(class), json!(depth)]).await?;
			Ok(book_table(&book))
		},
		MarketCommand::Index { class, from, limit, json: raw } => {
			let params = vec![json!(class), json!(from), json!(limit)];
			if raw {
				return Ok(chain.query("ccre_index", params).await?.get().into());
			}
			let index: Vec<IndexEntry<u32>> = chain.query_as("ccre_index", params).await?;
			Ok(index_table(&index))
		},
		MarketCommand::Orders { account } => {
			Ok(chain.query("ccre_exchangeOrders", vec![json!(account)]).await?.get().into())
		},
		MarketCommand::Buy { order, time_in_force } => {
			let (placed, _) = buy(&chain, &order, time_in_force.time_in_force).await?;
			Ok(format!("order {placed} placed; it is matched at the start of the next block"))
		},
		MarketCommand::Sell { class, price, lots, time_in_force } => {
			let fields = (class, price, lots, time_in_force.time_in_force).encode();
			let signer = signer_from_environment(SEED_VARIABLE)?;
			let events =
				chain.submit(&signer, "Exchange", "sell", Encoded(fields), Wait::Finalized).await?;
			Ok(format!(
				"order {} placed; it is matched at the start of the next block",
				placed(&events)?
			))
		},
		MarketCommand::Cancel { order } => {
			call(url, "Exchange", "cancel", (order,)).await?;
			Ok(format!("order {order} cancelled"))
		},
		MarketCommand::Deploy { order, gateway, timeout } => {
			let deadline = Instant::now() + Duration::from_secs(timeout);
			let (placed, buyer) = buy(&chain, &order, TimeInForce::ImmediateOrCancel).await?;
			println!("order {placed} placed: buying up to {} lot(s) at once", order.lots);
			let deployments = wait_for_fills(&chain, placed, &buyer, deadline).await?;
			let mut reports = Vec::new();
			for (deployment, seller, price, lots) in deployments {
				println!("bought {lots} lot(s) from {seller} at {price} per lot per block: lease {deployment}");
				let left = deadline.saturating_duration_since(Instant::now()).as_secs().max(1);
				reports.push(
					deploy::send(&chain, deployment, &order.file, &gateway.cert_dir, left).await?,
				);
			}
			Ok(reports.join("\n"))
		},
	}
}

/// Checks the manifest against the class, then places the buy order; returns its id and the
/// buyer's address.
async fn buy(
	chain: &Chain,
	args: &BuyArgs,
	time_in_force: TimeInForce<u32>,
) -> Result<(BookOrderId, String), Failure> {
	let manifest = read_manifest(&args.file)?;
	let needs =
		manifest.total_resources().map_err(|error| Failure::Manifest(args.file.clone(), error))?;
	let classes: Vec<Class> = chain.query_as("ccre_classes", vec![]).await?;
	let class = classes
		.iter()
		.find(|class| class.id == args.class)
		.ok_or_else(|| Failure::Invalid(format!("no class {}", args.class)))?;
	if !satisfies(&needs, &class.resources) {
		return Err(Failure::Invalid(format!(
			"{} needs {} in all, more than one lot of {} ({}): a seller's lease may be one lot",
			args.file.display(),
			crate::json(&needs),
			String::from_utf8_lossy(&class.name),
			crate::json(&class.resources),
		)));
	}
	let fields =
		(args.class, args.limit, args.lots, time_in_force, manifest.hash(), args.duration).encode();
	let signer = signer_from_environment(SEED_VARIABLE)?;
	let events = chain.submit(&signer, "Exchange", "buy", Encoded(fields), Wait::Finalized).await?;
	Ok((placed(&events)?, address_of(&signer)))
}

/// The id of the order a call placed.
fn placed(events: &Events) -> Result<BookOrderId, Failure> {
	placed_order(events)
		.ok_or_else(|| Failure::Invalid("the chain reported no Exchange.OrderPlaced".into()))
}

/// Follows blocks until order `order` has left the book, returning its trades:
/// (deployment, seller, price, lots).
async fn wait_for_fills(
	chain: &Chain,
	order: BookOrderId,
	buyer: &str,
	deadline: Instant,
) -> Result<Vec<(OrderId, String, Price, Lots)>, Failure> {
	// The order was in a finalized block when placed, and matched in the next one: the best
	// block may be a few past that by now, so the scan starts behind it (ids are unique).
	let mut next = chain.best_number().await?.saturating_sub(RESCAN_BLOCKS);
	let mut fills = Vec::new();
	loop {
		let best = chain.best_number().await?;
		while next <= best {
			let events = chain.events_at(next).await?;
			for traded in Traded::all_in(&events) {
				if traded.taker == order || traded.maker == order {
					let seller = traded.seller.to_string();
					fills.push((traded.deployment, seller, traded.price, traded.lots));
				}
			}
			if removed_orders(&events).any(|id| id == order) {
				return finished(order, fills);
			}
			next += 1;
		}
		let open: Vec<(BookOrderId, serde_json::Value)> =
			chain.query_as("ccre_exchangeOrders", vec![json!(buyer)]).await?;
		if !fills.is_empty() && !open.iter().any(|(id, _)| *id == order) {
			return Ok(fills);
		}
		if Instant::now() > deadline {
			return Err(Failure::Invalid(format!("order {order} did not trade in time")));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

fn finished(
	order: BookOrderId,
	fills: Vec<(OrderId, String, Price, Lots)>,
) -> Result<Vec<(OrderId, String, Price, Lots)>, Failure> {
	if fills.is_empty() {
		Err(Failure::Invalid(format!(
			"order {order} left the book without trading: no eligible seller at or under the limit"
		)))
	} else {
		Ok(fills)
	}
}

fn book_table(book: &BookView) -> String {
	let mut lines = vec![format!("class {}: {:>24} {:>8}", book.class, "price", "lots")];
	for level in book.asks.iter().rev() {
		lines.push(format!("  ask     {:>24} {:>8}", level.price, level.lots));
	}
	lines.push("  ---".into());
	for level in &book.bids {
		lines.push(format!("  bid     {:>24} {:>8}", level.price, level.lots));
	}
	lines.join("\n")
}

fn index_table(index: &[IndexEntry<u32>]) -> String {
	let mut lines = vec![format!(
		"{:>10} {:>10} {:>24} {:>7} {:>8}",
		"interval", "block", "price", "source", "lots"
	)];
	for entry in index {
		let source = serde_json::to_string(&entry.print.source).unwrap_or_default();
		lines.push(format!(
			"{:>10} {:>10} {:>24} {:>7} {:>8}",
			entry.interval,
			entry.print.at,
			entry.print.price,
			source.trim_matches('"'),
			entry.print.lots
		));
	}
	lines.join("\n")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn times_in_force_parse_from_their_names() {
		assert_eq!(parse_time_in_force("gtc"), Ok(TimeInForce::GoodTillCancel));
		assert_eq!(parse_time_in_force("ioc"), Ok(TimeInForce::ImmediateOrCancel));
		assert_eq!(parse_time_in_force("fok"), Ok(TimeInForce::FillOrKill));
		assert_eq!(parse_time_in_force("post-only"), Ok(TimeInForce::PostOnly));
		assert_eq!(parse_time_in_force("until=120"), Ok(TimeInForce::GoodTillBlock(120)));
		assert!(parse_time_in_force("until=soon").is_err());
		assert!(parse_time_in_force("day").is_err());
	}
}
