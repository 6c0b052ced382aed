//! `ccre bench`: loads a node with bursts of presigned transactions and reads back, block by
//! block, what the chain included, how fast, and what stopped each block taking more.
//!
//! Accounts are derived from the funder's secret URI (`CCRE_SEED`) as `<uri>//bench//t<i>`
//! (tenants, which send transfers and orders) and `<uri>//bench//p<i>` (providers, which
//! bid), funded by the funder. Each account signs its transactions up front with consecutive
//! nonces and submits them in nonce order over its own connection, every one watched until it
//! is finalized or the node reports it dropped: a transaction the pool accepted and the chain
//! never included, with no word from the node, is counted as lost.

use ccre_client::chain::{
	address_of, signer_from_uri, BlockSummary, Chain, ChainError, Encoded, Fate, Keypair,
	Presigner, Wait,
};
use ccre_primitives::{Capacity, OrderId, Property, ResourceSet};
use codec::{Compact, Decode, Encode};
use serde_json::{json, Value};
use std::{collections::BTreeMap, time::Instant};

/// One CCRE in the chain's smallest unit (12 decimals).
const CCRE: u128 = 1_000_000_000_000;
/// Transactions watched on one connection: a node allows 1 024 subscriptions per connection.
const WATCHED_PER_CONNECTION: usize = 1_000;
/// Bids on each order of the `bid` workload.
const BIDS_PER_ORDER: u32 = 10;
/// How long the bid workload waits for its orders to be matched once closed, in blocks.
const MATCHING_BLOCKS: u32 = 100;
/// A block is full on weight or length at this share of what normal transactions may use.
const FULL: f64 = 0.9;

/// What `ccre bench` sends.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Workload {
	/// Balance transfers: the chain's cheapest signed transaction, the reference.
	Transfer,
	/// `Orders.create_order`: good-till-window orders, their closings spread over 32 blocks.
	Order,
	/// `Orders.place_bid`: ten bids on each of a tenth as many orders, which close together
	/// (in one block, or as few as the runtime's cap on closings allows); then the matching
	/// of those orders, block by block.
	Bid,
	/// All three in turn, with the ratios of each market workload's rate to the transfers'.
	All,
}

/// `ccre bench`'s arguments.
#[derive(clap::Args)]
pub struct BenchArgs {
	/// What to send.
	#[arg(long, value_enum, default_value = "all")]
	workload: Workload,
	/// Transactions per workload (for `bid`, the bids).
	#[arg(long, default_value_t = 2_000)]
	count: u32,
	/// Tenant accounts sending transfers and orders, each over its own connection (at most
	/// 1 000 transactions each).
	#[arg(long, default_value_t = 20)]
	accounts: u32,
	/// Blocks orders stay open: `order` spreads its orders' closings over this and the 31
	/// blocks after (more if the runtime's cap on orders closing in a block needs them);
	/// `bid`'s orders close 32 blocks later still, in as few blocks as that cap allows (one
	/// for up to 1 024 orders), so this must leave time for every bid.
	#[arg(long, default_value_t = 20)]
	bid_window: u32,
	/// The region orders ask for (any region by default).
	#[arg(long)]
	pub region: Option<String>,
	/// Print the figures as one JSON object rather than a table.
	#[arg(long)]
	json: bool,
}

/// What became of one burst of transactions.
#[derive(Default, Debug)]
struct Burst {
	submitted: u32,
	accepted: u32,
	refused: u32,
	included: u32,
	dropped: u32,
	lost: u32,
	unwatched: u32,
	/// The first reason given for each kind of failure.
	reasons: BTreeMap<&'static str, String>,
	submit_seconds: f64,
	/// The best block before the burst and after its last transaction's fate was known.
	blocks: (u32, u32),
}

/// One account's presigned transactions, in nonce order, and the connection they go over.
struct Batch {
	connection: usize,
	transactions: Vec<Vec<u8>>,
}

/// The chain's limits on what normal transactions may use in a block.
struct Limits {
	normal_weight: u64,
	normal_length: u32,
	max_block_weight: u64,
}

/// A workload's figures, from the blocks that included it.
struct Figures {
	workload: &'static str,
	call: &'static str,
	burst: Burst,
	/// (block, transactions of the workload, their bytes, normal weight, milliseconds since
	/// the block before).
	blocks: Vec<(u32, u32, u32, u64, u64)>,
	failed: u32,
	per_second: f64,
	limit: String,
}

/// The node, the funder and the accounts a run uses.
struct Bench {
	url: String,
	chain: Chain,
	funder: Keypair,
	funder_uri: String,
	connections: Vec<(Chain, Presigner)>,
	limits: Limits,
	/// Where the orders ask to run.
	placement: ResourceSet,
	json: bool,
}

/// Runs `ccre bench` against the node at `url`, funded by the account whose secret URI is
/// `funder_uri`, with orders placed at `placement`, and returns the figures to print.
pub async fn run(
	url: &str,
	funder_uri: &str,
	args: BenchArgs,
	placement: ResourceSet,
) -> Result<String, String> {
	let text = |error: ChainError| error.to_string();
	if args.count == 0 || args.accounts == 0 {
		return Err("--count and --accounts must be at least 1".into());
	}
	if args.count.div_ceil(args.accounts) as usize > WATCHED_PER_CONNECTION {
		return Err(format!(
			"{} transactions from {} accounts is over {WATCHED_PER_CONNECTION} per account: \
			 raise --accounts",
			args.count, args.accounts
		));
	}
	let chain = Chain::connect(url).await.map_err(text)?;
	let funder = signer_from_uri(funder_uri).map_err(|reason| format!("CCRE_SEED {reason}"))?;
	let limits = limits(&chain).await.map_err(text)?;
	let mut bench = Bench {
		url: url.to_string(),
		chain,
		funder,
		funder_uri: funder_uri.trim().to_string(),
		connections: Vec::new(),
		limits,
		placement,
		json: args.json,
	};
	let runs = |workload| args.workload == workload || args.workload == Workload::All;
	let mut figures = Vec::new();
	if runs(Workload::Transfer) {
		figures.push(bench.transfers(&args).await?);
	}
	if runs(Workload::Order) {
		figures.push(bench.orders(&args).await?);
	}
	let mut matching = None;
	if runs(Workload::Bid) {
		let (bids, matched) = bench.bids(&args).await?;
		figures.push(bids);
		matching = Some(matched);
	}
	Ok(report(&figures, matching.as_ref(), &bench.limits, args.json))
}

impl Bench {
	fn progress(&self, message: &str) {
		if !self.json {
			eprintln!("==> {message}");
		}
	}

	/// Opens connections until there are `count`, each with its presigner.
	async fn connect(&mut self, count: usize) -> Result<(), String> {
		while self.connections.len() < count {
			let chain = Chain::connect(&self.url).await.map_err(|e| e.to_string())?;
			let presigner = chain.presigner().await.map_err(|e| e.to_string())?;
			self.connections.push((chain, presigner));
		}
		Ok(())
	}

	/// The bench accounts `<funder>//bench//<role><i>` for `i` in `0..count`.
	fn accounts(&self, role: &str, count: u32) -> Result<Vec<Keypair>, String> {
		(0..count)
			.map(|index| signer_from_uri(&format!("{}//bench//{role}{index}", self.funder_uri)))
			.collect()
	}

	/// Transfers `amount` from the funder to each of `accounts`, finalized.
	async fn fund(&self, accounts: &[Keypair], amount: u128) -> Result<(), String> {
		self.progress(&format!(
			"funding {} accounts with {} CCRE each",
			accounts.len(),
			amount / CCRE
		));
		let mut pending = Vec::new();
		for account in accounts {
			let fields = transfer_fields(account, amount);
			pending.push(
				self.chain
					.send(&self.funder, "Balances", "transfer_keep_alive", Encoded(fields))
					.await
					.map_err(|error| format!("funding: {error} (is the funder funded?)"))?,
			);
		}
		for call in pending {
			call.wait(Wait::Finalized).await.map_err(|error| format!("funding: {error}"))?;
		}
		Ok(())
	}

	/// Signs `calls(i)` for each account `i`: one batch per account, in nonce order.
	async fn presign(
		&mut self,
		accounts: &[Keypair],
		per_account: impl Fn(usize) -> Vec<(&'static str, &'static str, Vec<u8>)>,
	) -> Result<Vec<Batch>, String> {
		self.connect(accounts.len().min(64)).await?;
		let presigner = self.connections[0].1.clone();
		let mut batches = Vec::new();
		for (index, account) in accounts.iter().enumerate() {
			let first: u64 = self
				.chain
				.query_as("system_accountNextIndex", vec![json!(address_of(account))])
				.await
				.map_err(|error| error.to_string())?;
			let transactions = per_account(index)
				.into_iter()
				.zip(first..)
				.map(|((pallet, call, fields), nonce)| {
					presigner.sign(account, nonce, pallet, call, Encoded(fields))
				})
				.collect::<Result<Vec<_>, _>>()
				.map_err(|error| error.to_string())?;
			batches.push(Batch { connection: index % self.connections.len(), transactions });
		}
		Ok(batches)
	}

	/// Submits the batches at once, each account's in order over its connection, and waits
	/// for every accepted transaction's fate.
	async fn burst(&self, batches: Vec<Batch>) -> Result<Burst, String> {
		let per_connection = batches.iter().fold(BTreeMap::new(), |mut counts, batch| {
			*counts.entry(batch.connection).or_insert(0) += batch.transactions.len();
			counts
		});
		if per_connection.values().any(|&count| count > WATCHED_PER_CONNECTION) {
			return Err(format!(
				"over {WATCHED_PER_CONNECTION} transactions on one connection: raise --accounts"
			));
		}
		let mut burst = Burst {
			submitted: batches.iter().map(|batch| batch.transactions.len() as u32).sum(),
			..Burst::default()
		};
		self.progress(&format!("submitting {} transactions", burst.submitted));
		burst.blocks.0 = self.chain.best_number().await.map_err(|error| error.to_string())?;
		let started = Instant::now();
		let senders: Vec<_> = batches
			.into_iter()
			.map(|batch| {
				let presigner = self.connections[batch.connection].1.clone();
				tokio::spawn(async move {
					let mut watched = Vec::new();
					let mut refusals = Vec::new();
					for transaction in batch.transactions {
						match presigner.submit(transaction).await {
							Ok(watch) => watched.push(tokio::spawn(watch.fate())),
							Err(error) => refusals.push(error.to_string()),
						}
					}
					(watched, refusals)
				})
			})
			.collect();
		let mut watchers = Vec::new();
		for sender in senders {
			let (watched, refusals) = sender.await.map_err(|error| error.to_string())?;
			burst.refused += refusals.len() as u32;
			if let Some(reason) = refusals.into_iter().next() {
				burst.reasons.entry("refused").or_insert(reason);
			}
			watchers.extend(watched);
		}
		burst.submit_seconds = started.elapsed().as_secs_f64();
		burst.accepted = watchers.len() as u32;
		self.progress(&format!(
			"{} accepted in {:.1} s, {} refused; waiting for them to be finalized",
			burst.accepted, burst.submit_seconds, burst.refused
		));
		for watcher in watchers {
			let (count, kind, reason) = match watcher.await.map_err(|error| error.to_string())? {
				Fate::Included => (&mut burst.included, "included", None),
				Fate::Dropped(reason) => (&mut burst.dropped, "dropped", Some(reason)),
				Fate::Lost => (&mut burst.lost, "lost", None),
				Fate::Unwatched(reason) => (&mut burst.unwatched, "unwatched", Some(reason)),
			};
			*count += 1;
			if let Some(reason) = reason {
				burst.reasons.entry(kind).or_insert(reason);
			}
		}
		burst.blocks.1 = self.chain.best_number().await.map_err(|error| error.to_string())?;
		Ok(burst)
	}

	/// Reads back the blocks of `burst` and works out its figures for `call`.
	async fn figures(
		&self,
		workload: &'static str,
		call: &'static str,
		burst: Burst,
	) -> Result<Figures, String> {
		let summaries = self.summaries(burst.blocks.0, burst.blocks.1).await?;
		let mut blocks = Vec::new();
		let mut failed = 0;
		for pair in summaries.windows(2) {
			let (before, block) = (&pair[0], &pair[1]);
			let ours: Vec<_> = block.transactions.iter().filter(|(name, _)| name == call).collect();
			if ours.is_empty() {
				continue;
			}
			failed += block.events.iter().filter(|event| *event == "System.ExtrinsicFailed").count()
				as u32;
			let bytes = ours.iter().map(|(_, length)| length).sum();
			let elapsed = block.timestamp.saturating_sub(before.timestamp);
			blocks.push((block.number, ours.len() as u32, bytes, block.normal, elapsed));
		}
		let included: u32 = blocks.iter().map(|block| block.1).sum();
		let millis: u64 = blocks.iter().map(|block| block.4).sum();
		let per_second =
			if millis == 0 { 0.0 } else { f64::from(included) * 1_000.0 / millis as f64 };
		let limit = self.limiting_factor(&blocks);
		Ok(Figures { workload, call, burst, blocks, failed, per_second, limit })
	}

	/// What stopped the burst's blocks (all but its last) taking more: the block's weight or
	/// length limit for normal transactions, or else the author's deadline. A burst in one
	/// block was limited only by what was sent.
	fn limiting_factor(&self, blocks: &[(u32, u32, u32, u64, u64)]) -> String {
		let Some((_, full)) = blocks.split_last() else { return "nothing included".into() };
		if full.is_empty() {
			return "supply (one block took the whole burst)".into();
		}
		let mut counts = BTreeMap::new();
		for &(_, _, bytes, weight, _) in full {
			let factor = if weight as f64 >= FULL * self.limits.normal_weight as f64 {
				"weight"
			} else if f64::from(bytes) >= FULL * f64::from(self.limits.normal_length) {
				"length"
			} else {
				"deadline"
			};
			*counts.entry(factor).or_insert(0) += 1;
		}
		counts
			.iter()
			.map(|(factor, count)| format!("{factor} ({count} of {} blocks)", full.len()))
			.collect::<Vec<_>>()
			.join(", ")
	}

	/// Blocks `from..=to`, read back.
	async fn summaries(&self, from: u32, to: u32) -> Result<Vec<BlockSummary>, String> {
		let mut summaries = Vec::new();
		for number in from..=to {
			summaries
				.push(self.chain.block_summary(number).await.map_err(|error| error.to_string())?);
		}
		Ok(summaries)
	}

	async fn transfers(&mut self, args: &BenchArgs) -> Result<Figures, String> {
		self.progress(&format!("transfers: {} from {} accounts", args.count, args.accounts));
		let tenants = self.accounts("t", args.accounts)?;
		let shares = shares(args.count, args.accounts);
		self.fund(&tenants, 10 * CCRE + u128::from(shares[0]) * CCRE / 10).await?;
		let destination = self.funder.clone();
		let batches = self
			.presign(&tenants, |index| {
				(0..shares[index])
					.map(|_| ("Balances", "transfer_keep_alive", transfer_fields(&destination, 1)))
					.collect()
			})
			.await?;
		let burst = self.burst(batches).await?;
		self.figures("transfer", "Balances.transfer_keep_alive", burst).await
	}

	async fn orders(&mut self, args: &BenchArgs) -> Result<Figures, String> {
		self.progress(&format!("orders: {} from {} accounts", args.count, args.accounts));
		let tenants = self.accounts("t", args.accounts)?;
		let shares = shares(args.count, args.accounts);
		self.fund(&tenants, 10 * CCRE + u128::from(shares[0]) * 2 * CCRE).await?;
		let placement = self.placement.clone();
		let spread = self.closing_spread(&shares).await?.max(32);
		let batches = self
			.presign(&tenants, |index| {
				(0..shares[index])
					.map(|sequence| {
						let window =
							args.bid_window + closing_offset(sequence, shares[index], spread);
						("Orders", "create_order", order_fields(window, &placement))
					})
					.collect()
			})
			.await?;
		let burst = self.burst(batches).await?;
		self.figures("order", "Orders.create_order", burst).await
	}

	/// Ten bids on each of `count / 10` orders that close together, in as few blocks as the
	/// runtime allows, then the matching of those orders.
	async fn bids(&mut self, args: &BenchArgs) -> Result<(Figures, Value), String> {
		let orders = args.count.div_ceil(BIDS_PER_ORDER);
		let max_open: u32 = self
			.chain
			.constant("Orders", "MaxOpenBidsPerProvider")
			.await
			.map_err(|error| error.to_string())?;
		let providers = (orders * BIDS_PER_ORDER).div_ceil(max_open.saturating_sub(6).max(1));
		let providers = providers.max(BIDS_PER_ORDER);
		self.progress(&format!(
			"bids: {} on {orders} orders from {providers} providers",
			orders * BIDS_PER_ORDER
		));
		let provider_keys = self.accounts("p", providers)?;
		self.register_providers(&provider_keys).await?;
		let tenants = self.accounts("t", args.accounts.min(orders))?;
		let shares = shares(orders, tenants.len() as u32);
		self.fund(&tenants, 10 * CCRE + u128::from(shares[0]) * 2 * CCRE).await?;
		let (window, placement) = (args.bid_window.saturating_add(32), self.placement.clone());
		let spread = self.closing_spread(&shares).await?;
		let order_batches = self
			.presign(&tenants, |index| {
				(0..shares[index])
					.map(|sequence| {
						let window = window + closing_offset(sequence, shares[index], spread);
						("Orders", "create_order", order_fields(window, &placement))
					})
					.collect()
			})
			.await?;
		let placed = self.burst(order_batches).await?;
		let placed_after = placed.blocks.0;
		let ids = self.open_orders_of(&tenants, placed_after).await?;
		if ids.len() < orders as usize {
			let (refused, dropped) = (placed.refused, placed.dropped);
			let reason =
				placed.reasons.values().next().map(|r| format!(": {r}")).unwrap_or_default();
			let failed = self.figures("order", "Orders.create_order", placed).await?.failed;
			return Err(format!(
				"only {} of {orders} orders are open ({refused} refused, {dropped} dropped, \
				 {failed} failed in their blocks{reason})",
				ids.len(),
			));
		}
		let closes: Vec<u32> = ids.iter().map(|&(_, closes_at)| closes_at).collect();
		let ids: Vec<OrderId> = ids.into_iter().map(|(id, _)| id).collect();
		let per_provider = |provider: usize| -> Vec<(&'static str, &'static str, Vec<u8>)> {
			ids.iter()
				.enumerate()
				.filter(|(order, _)| {
					(0..BIDS_PER_ORDER as usize).any(|bid| {
						(order * BIDS_PER_ORDER as usize + bid) % providers as usize == provider
					})
				})
				.map(|(_, &id)| {
					let price = 100 + provider as u128;
					("Orders", "place_bid", (id, price).encode())
				})
				.collect()
		};
		let batches = self.presign(&provider_keys, per_provider).await?;
		let burst = self.burst(batches).await?;
		let bids = self.figures("bid", "Orders.place_bid", burst).await?;
		let first_close = closes.iter().copied().min().unwrap_or_default();
		self.progress(&format!("waiting for the orders to close from block {first_close}"));
		// Matching runs in a metered hook: what does not fit a block waits for the next.
		let matched_by = loop {
			let best = self.chain.best_number().await.map_err(|error| error.to_string())?;
			if best >= first_close && self.open_orders_of(&tenants, placed_after).await?.is_empty()
			{
				break best;
			}
			if best > first_close.saturating_add(MATCHING_BLOCKS) {
				return Err(format!("orders still open {MATCHING_BLOCKS} blocks after closing"));
			}
			tokio::time::sleep(std::time::Duration::from_millis(500)).await;
		};
		let matched = self.matching(first_close, matched_by).await?;
		Ok((bids, matched))
	}

	/// The fewest consecutive blocks orders sent in `shares` (per account) must close over
	/// for no block to close more than the runtime allows.
	async fn closing_spread(&self, shares: &[u32]) -> Result<u32, String> {
		let cap: u32 = self
			.chain
			.constant("Orders", "MaxOrdersClosingPerBlock")
			.await
			.map_err(|error| error.to_string())?;
		closing_spread(shares, cap).ok_or_else(|| {
			format!("{} accounts cannot close their orders under {cap} per block", shares.len())
		})
	}

	/// Registers and stakes each provider not registered yet.
	async fn register_providers(&mut self, providers: &[Keypair]) -> Result<(), String> {
		let stake = 1_000 * CCRE;
		let mut unregistered = Vec::new();
		for provider in providers {
			let record: Value = self
				.chain
				.query_as("ccre_provider", vec![json!(address_of(provider))])
				.await
				.map_err(|error| error.to_string())?;
			if record.is_null() {
				unregistered.push(provider.clone());
			}
		}
		if unregistered.is_empty() {
			return Ok(());
		}
		self.fund(&unregistered, stake + 200 * CCRE).await?;
		self.progress(&format!("registering {} providers", unregistered.len()));
		let capacities = vec![
			(Capacity::CpuMillicores, 1_000_000u64),
			(Capacity::MemoryMib, 1_000_000),
			(Capacity::StorageMib, 1_000_000),
		];
		let properties = vec![(Property::Region, b"bench".to_vec())];
		let batches = self
			.presign(&unregistered, |_| {
				let register = (
					b"https://bench.invalid:8443".as_slice(),
					capacities.clone(),
					properties.clone(),
					b"bench".as_slice(),
				);
				vec![
					("Providers", "register", register.encode()),
					("Providers", "bond", Compact(stake).encode()),
				]
			})
			.await?;
		let burst = self.burst(batches).await?;
		if burst.included != burst.submitted {
			return Err(format!("registering the providers failed: {:?}", burst.reasons));
		}
		Ok(())
	}

	/// The open orders `tenants` placed after block `after`: (id, the block it closes at).
	async fn open_orders_of(
		&self,
		tenants: &[Keypair],
		after: u32,
	) -> Result<Vec<(OrderId, u32)>, String> {
		#[derive(serde::Deserialize)]
		struct OpenOrder {
			id: OrderId,
			tenant: String,
			created_at: u32,
			closes_at: u32,
		}
		let ours: Vec<String> = tenants.iter().map(address_of).collect();
		let mut found = Vec::new();
		let mut start_after: Option<OrderId> = None;
		loop {
			let page: Vec<OpenOrder> = self
				.chain
				.query_as("ccre_openOrders", vec![json!(start_after), json!(1_000)])
				.await
				.map_err(|error| error.to_string())?;
			let Some(last) = page.last() else { break };
			start_after = Some(last.id);
			found.extend(
				page.into_iter()
					.filter(|order| order.created_at > after && ours.contains(&order.tenant))
					.map(|order| (order.id, order.closes_at)),
			);
		}
		Ok(found)
	}

	/// Orders matched in each block of `from..=to`, and the weight the block's hooks used.
	async fn matching(&self, from: u32, to: u32) -> Result<Value, String> {
		let mut blocks = Vec::new();
		for summary in self.summaries(from, to).await? {
			let matched =
				summary.events.iter().filter(|event| *event == "Orders.OrderMatched").count();
			let deferred =
				summary.events.iter().filter(|event| *event == "Orders.MatchingDeferred").count();
			if matched == 0 && deferred == 0 {
				continue;
			}
			blocks.push(json!({
				"block": summary.number,
				"matched": matched,
				"deferred": deferred > 0,
				"hooks_weight_share": summary.mandatory as f64 / self.limits.max_block_weight as f64,
			}));
		}
		Ok(Value::Array(blocks))
	}
}

/// `count` split over `accounts` as evenly as it goes, the larger shares first.
fn shares(count: u32, accounts: u32) -> Vec<u32> {
	(0..accounts).map(|index| count / accounts + u32::from(index < count % accounts)).collect()
}

/// How many blocks after its window order `sequence` of an account's `share` closes, when
/// they close over `spread` blocks: in runs of consecutive orders, so that a block's closings
/// take at most one run from each account however its orders (always included in nonce
/// order) fall into blocks.
fn closing_offset(sequence: u32, share: u32, spread: u32) -> u32 {
	let offset = u64::from(sequence) * u64::from(spread) / u64::from(share.max(1));
	u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The fewest blocks orders sent in `shares` must close over for no block to close more than
/// `cap` of them (each account's runs are `share / spread` long, rounded up); `None` if
/// even one order per account per block is too many.
fn closing_spread(shares: &[u32], cap: u32) -> Option<u32> {
	let longest = shares.iter().copied().max().unwrap_or(0).max(1);
	(1..=longest).find(|&spread| {
		shares.iter().map(|share| u64::from(share.div_ceil(spread))).sum::<u64>() <= u64::from(cap)
	})
}

/// `Balances.transfer_keep_alive` to `to` of `amount`.
fn transfer_fields(to: &Keypair, amount: u128) -> Vec<u8> {
	// `MultiAddress::Id` is the enum's first variant.
	(0u8, to.public_key().0, Compact(amount)).encode()
}

/// The most a bench order pays per block, in the smallest unit.
const MAX_PRICE: u128 = 1_000;

/// An order of the command line's kind for a small container at `placement`, open for
/// `window` blocks, with 100 blocks of funding.
fn order_fields(window: u32, placement: &ResourceSet) -> Vec<u8> {
	let resources =
		ResourceSet::new([(Capacity::CpuMillicores, 100), (Capacity::MemoryMib, 128)], [])
			.unwrap_or_default();
	let terms =
		crate::window_order(resources, placement.clone(), MAX_PRICE, Some(100), window, [7; 32]);
	(terms, 100 * MAX_PRICE).encode()
}

/// The chain's block limits, from its `System` constants.
async fn limits(chain: &Chain) -> Result<Limits, ChainError> {
	#[derive(Decode)]
	struct Weight {
		ref_time: Compact<u64>,
		_proof_size: Compact<u64>,
	}
	/// The start of `BlockWeights`: the normal class's limits come first.
	#[derive(Decode)]
	struct BlockWeights {
		_base_block: Weight,
		max_block: Weight,
		_base_extrinsic: Weight,
		_max_extrinsic: Option<Weight>,
		max_total: Option<Weight>,
	}
	let weights: BlockWeights = chain.constant("System", "BlockWeights").await?;
	let length: [u32; 3] = chain.constant("System", "BlockLength").await?;
	let max_block_weight = weights.max_block.ref_time.0;
	Ok(Limits {
		normal_weight: weights.max_total.map_or(max_block_weight, |weight| weight.ref_time.0),
		normal_length: length[0],
		max_block_weight,
	})
}

/// The figures as a table, or as JSON.
fn report(figures: &[Figures], matching: Option<&Value>, limits: &Limits, json: bool) -> String {
	let transfer_rate =
		figures.iter().find(|figure| figure.workload == "transfer").map(|figure| figure.per_second);
	let ratio = |figure: &Figures| {
		transfer_rate.filter(|&rate| rate > 0.0).map(|rate| figure.per_second / rate)
	};
	if json {
		let workloads: Vec<Value> = figures
			.iter()
			.map(|figure| {
				let burst = &figure.burst;
				json!({
					"workload": figure.workload,
					"call": figure.call,
					"submitted": burst.submitted,
					"accepted": burst.accepted,
					"refused": burst.refused,
					"included": burst.included,
					"dropped": burst.dropped,
					"lost": burst.lost,
					"unwatched": burst.unwatched,
					"failed": figure.failed,
					"reasons": burst.reasons,
					"submit_seconds": burst.submit_seconds,
					"per_second": figure.per_second,
					"per_block": figure.blocks.iter().map(|block| block.1).collect::<Vec<_>>(),
					"limit": figure.limit,
					"ratio_to_transfers": ratio(figure),
				})
			})
			.collect();
		return json!({ "workloads": workloads, "matching": matching }).to_string();
	}
	let mut out = format!(
		"{:<9} {:>9} {:>9} {:>8} {:>6} {:>6} {:>9} {:>10} {:>9}  {}\n",
		"workload",
		"accepted",
		"included",
		"dropped",
		"lost",
		"failed",
		"per s",
		"max/block",
		"÷transfer",
		"limited by"
	);
	for figure in figures {
		let burst = &figure.burst;
		let max = figure.blocks.iter().map(|block| block.1).max().unwrap_or(0);
		out.push_str(&format!(
			"{:<9} {:>9} {:>9} {:>8} {:>6} {:>6} {:>9.1} {:>10} {:>9}  {}\n",
			figure.workload,
			burst.accepted,
			burst.included,
			burst.dropped,
			burst.lost + burst.unwatched,
			figure.failed,
			figure.per_second,
			max,
			ratio(figure).map_or("-".into(), |ratio| format!("{ratio:.2}")),
			figure.limit,
		));
	}
	for figure in figures {
		let per_block: Vec<String> =
			figure.blocks.iter().map(|block| format!("#{}: {}", block.0, block.1)).collect();
		out.push_str(&format!("{} per block: {}\n", figure.workload, per_block.join(", ")));
		for (kind, reason) in &figure.burst.reasons {
			out.push_str(&format!("{} {kind}, first reason: {reason}\n", figure.workload));
		}
	}
	if let Some(Value::Array(blocks)) = matching {
		for block in blocks {
			out.push_str(&format!(
				"matching: block #{} matched {} orders{}, hooks used {:.1}% of the block's weight\n",
				block["block"],
				block["matched"],
				if block["deferred"].as_bool() == Some(true) { " (rest deferred)" } else { "" },
				block["hooks_weight_share"].as_f64().unwrap_or(0.0) * 100.0
			));
		}
	}
	out.push_str(&format!(
		"limits: normal transactions may use {:.0} ms of weight and {} KiB per block\n",
		limits.normal_weight as f64 / 1e9,
		limits.normal_length / 1024
	));
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	/// The most orders closing in one block when each account's orders, sent with
	/// `closing_offset`, are included in nonce order in blocks of the sizes in `splits`.
	fn busiest_closing(shares: &[u32], splits: &[Vec<u32>], spread: u32) -> u32 {
		let mut closings = BTreeMap::<u32, u32>::new();
		for (share, split) in shares.iter().zip(splits) {
			let (mut block, mut left_in_block, mut sizes) = (0u32, 0u32, split.iter());
			for sequence in 0..*share {
				while left_in_block == 0 {
					left_in_block = sizes.next().copied().unwrap_or(u32::MAX);
					block += 1;
				}
				left_in_block -= 1;
				*closings.entry(block + closing_offset(sequence, *share, spread)).or_default() += 1;
			}
		}
		closings.values().copied().max().unwrap_or(0)
	}

	#[test]
	fn the_default_bid_workload_fits_the_runtime_cap() {
		// 2 000 orders from 20 accounts against the runtime's 1 024: two blocks of closings.
		let shares = shares(2_000, 20);
		let spread = closing_spread(&shares, 1_024).unwrap();
		assert_eq!(spread, 2);
		// One block includes 1 100 orders, the next the rest: the burst that lost 77 orders
		// when every order closed a fixed window after its inclusion.
		let splits: Vec<Vec<u32>> = shares.iter().map(|_| vec![55]).collect();
		assert!(busiest_closing(&shares, &splits, spread) <= 1_024);
	}

	#[test]
	fn too_many_accounts_cannot_fit() {
		assert_eq!(closing_spread(&[5; 10], 9), None);
		assert_eq!(closing_spread(&[5; 10], 10), Some(5));
	}

	proptest! {
		#[test]
		fn no_block_closes_more_than_the_cap(
			shares in prop::collection::vec(1u32..400, 1..12),
			cap in 12u32..1_500,
			seed in prop::collection::vec(prop::collection::vec(0u32..300, 0..8), 12),
		) {
			let Some(spread) = closing_spread(&shares, cap) else { return Ok(()) };
			prop_assert!(busiest_closing(&shares, &seed[..shares.len()], spread) <= cap);
		}
	}
}
