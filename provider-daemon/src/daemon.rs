//! The daemon's core: it follows the chain block by block and, in each block, decides its
//! bids, tends its leases (starts them once their services answer, sends the epoch's
//! heartbeat, withdraws earnings, tears down what closed) and bids on new orders. The chain
//! connection is re-established with back-off whenever it breaks or the runtime is upgraded.

use crate::{
	config::Config,
	inventory::Inventory,
	metrics::Metrics,
	pricing::{Order, Quote},
	state::{self, BidRecord, LeaseRecord, State},
	workload::WorkloadBackend,
};
use ccre_client::{
	chain::{address_of, Chain, ChainError, Keypair, Pending, Wait},
	gateway::{DeploymentState, InstanceStatus},
};
use ccre_primitives::{
	check_eligibility, epoch_of, manifest::Manifest, requirement, AuditorRule, Ineligibility,
	LeaseState, LeaseView, OrderId, OrderState, OrderType, ProviderFacts, ProviderView,
	ResourceSet,
};
use futures_util::StreamExt;
use serde_json::json;
use sp_runtime::Perbill;
use std::{
	collections::{BTreeSet, VecDeque},
	path::PathBuf,
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc, Mutex, MutexGuard,
	},
	time::Duration,
};
use tracing::{debug, info, warn};

mod market;

/// A lease as `ccre_lease` returns it.
pub type Lease = LeaseView<String, u128, u32>;
/// A provider as `ccre_provider` returns it (its certificates aside).
pub type Provider = ProviderView<String, u128, u32>;

/// How often the daemon asks for the best block.
const POLL: Duration = Duration::from_millis(200);
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Open orders read per RPC call (the node's maximum).
const PAGE: usize = 100;
/// How long a call sent in the background may take to be in a block.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Leases whose earnings are withdrawn in one block, at most.
const SETTLES_PER_BLOCK: usize = 4;
/// Lease queries the block loop keeps in flight at once.
const LEASE_QUERIES_AT_ONCE: usize = 16;
/// How many times a deployment is tried when the host fails it.
const DEPLOY_ATTEMPTS: u32 = 4;
/// The pause before the second try; it doubles for each next one.
const FIRST_DEPLOY_RETRY: Duration = Duration::from_secs(5);

/// The provider daemon.
pub struct Daemon {
	/// Its configuration.
	pub config: Config,
	/// The provider account's key.
	pub signer: Keypair,
	/// The provider account's address.
	pub address: String,
	/// What it offers.
	pub inventory: Inventory,
	/// Runs the leases' services.
	pub backend: Arc<dyn WorkloadBackend>,
	/// Its Prometheus metrics.
	pub metrics: Metrics,
	/// The chain connection, while it is up.
	chain: tokio::sync::RwLock<Option<Arc<Chain>>>,
	state: Mutex<State>,
	state_path: PathBuf,
	/// Orders it decided not to bid on (ineligible, refused by pricing), not looked at again.
	passed: Mutex<BTreeSet<OrderId>>,
	epoch_length: AtomicU32,
	/// The best block last handled.
	best: AtomicU32,
	/// Transactions sent and not in a block yet, by what they do.
	in_flight: Mutex<BTreeSet<String>>,
	/// The leases whose earnings this round of settlements has still to withdraw.
	to_settle: Mutex<VecDeque<OrderId>>,
	/// Classes whose last ask the chain refused, with the block before which none is tried
	/// again (each refusal costs a fee).
	asks_refused: Mutex<std::collections::BTreeMap<ccre_primitives::exchange::ClassId, u32>>,
}

impl Daemon {
	/// A daemon with the state in its data directory: deployments that should be running and
	/// are not (the backend lost them) are deployed again from their stored manifests.
	pub fn new(
		config: Config,
		signer: Keypair,
		backend: Arc<dyn WorkloadBackend>,
	) -> Result<Arc<Self>, String> {
		state::create_private_dir(&config.data_dir)?;
		let state_path = state::path_in(&config.data_dir);
		let state = State::load(&state_path)?;
		let daemon = Arc::new(Daemon {
			address: address_of(&signer),
			inventory: Inventory::new(config.offer.attributes.clone()),
			metrics: Metrics::new()?,
			config,
			signer,
			backend,
			chain: tokio::sync::RwLock::new(None),
			state: Mutex::new(state),
			state_path,
			passed: Mutex::new(BTreeSet::new()),
			epoch_length: AtomicU32::new(0),
			best: AtomicU32::new(0),
			in_flight: Mutex::new(BTreeSet::new()),
			to_settle: Mutex::new(VecDeque::new()),
			asks_refused: Mutex::new(Default::default()),
		});
		let deployed = daemon.backend.deployed();
		let lost: Vec<(OrderId, String)> = daemon
			.state()
			.leases
			.iter()
			.filter(|(id, lease)| {
				matches!(lease.phase, DeploymentState::Deploying | DeploymentState::Running)
					&& !deployed.contains(id)
			})
			.filter_map(|(id, lease)| lease.manifest.clone().map(|manifest| (*id, manifest)))
			.collect();
		for (lease, manifest) in lost {
			warn!(lease, "deployment missing after restart; deploying it again");
			match Manifest::parse(manifest.as_bytes()) {
				Ok(manifest) => daemon.deploy(lease, manifest),
				Err(error) => daemon.fail(lease, format!("stored manifest unreadable: {error}")),
			}
		}
		// Deployments of leases the state does not know (it was lost, or a crash came between
		// the two) are nobody's: removed, so that they neither run unpaid nor hold ports.
		let known: BTreeSet<OrderId> = daemon.state().leases.keys().copied().collect();
		for lease in deployed.into_iter().filter(|lease| !known.contains(lease)) {
			match daemon.backend.teardown(lease) {
				Ok(()) => warn!(lease, "removed a deployment no lease of this daemon owns"),
				Err(error) => warn!(lease, %error, "cannot remove a deployment no lease owns"),
			}
		}
		let (leases, bids) = {
			let state = daemon.state();
			(state.leases.len(), state.bids.len())
		};
		info!(provider = %daemon.address, leases, bids, "state loaded");
		daemon.update_gauges();
		Ok(daemon)
	}

	/// The remembered state, locked.
	pub fn state(&self) -> MutexGuard<'_, State> {
		// A panic while holding the lock cannot leave the state half-changed on disk (it is
		// saved whole), so the in-memory value is still the best there is.
		crate::lock(&self.state)
	}

	/// Changes the state and saves it.
	pub fn change<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
		let mut state = self.state();
		let result = change(&mut state);
		if let Err(error) = state.save(&self.state_path) {
			warn!(%error, "state not saved");
		}
		drop(state);
		self.update_gauges();
		result
	}

	/// The best block the daemon last handled.
	pub fn best_block(&self) -> u32 {
		self.best.load(Ordering::Relaxed)
	}

	/// The chain connection, if it is up.
	pub async fn chain(&self) -> Option<Arc<Chain>> {
		self.chain.read().await.clone()
	}

	/// Follows the chain for ever, reconnecting with back-off.
	pub async fn run(self: Arc<Self>) {
		let mut backoff = Duration::from_secs(1);
		loop {
			match Chain::connect(&self.config.node).await {
				Ok(chain) => {
					let chain = Arc::new(chain);
					info!(node = %self.config.node, "connected");
					backoff = Duration::from_secs(1);
					*self.chain.write().await = Some(chain.clone());
					self.metrics.connected.set(1);
					if let Err(error) = self.follow(&chain).await {
						warn!(%error, "lost the chain; reconnecting");
					}
					*self.chain.write().await = None;
					self.metrics.connected.set(0);
				},
				Err(error) => warn!(%error, retry_in = ?backoff, "cannot connect"),
			}
			tokio::time::sleep(backoff).await;
			backoff = (backoff * 2).min(MAX_BACKOFF);
		}
	}

	/// Handles each new best block until the connection breaks or the runtime changes.
	async fn follow(self: &Arc<Self>, chain: &Chain) -> Result<(), ChainError> {
		let spec_version = chain.spec_version().await?;
		self.epoch_length
			.store(chain.constant::<u32>("Sla", "EpochLength").await?, Ordering::Relaxed);
		info!(spec_version, "runtime");
		let mut last = 0;
		loop {
			let best = chain.best_number().await?;
			if best != last {
				let now_version = chain.spec_version().await?;
				if now_version != spec_version {
					info!(from = spec_version, to = now_version, "runtime upgraded");
					self.metrics.runtime_upgrades.inc();
					// A fresh connection reads the new runtime's metadata.
					return Ok(());
				}
				self.metrics.best_block.set(i64::from(best));
				self.best.store(best, Ordering::Relaxed);
				self.on_block(chain, best).await?;
				last = best;
			}
			tokio::time::sleep(POLL).await;
		}
	}

	async fn on_block(self: &Arc<Self>, chain: &Chain, now: u32) -> Result<(), ChainError> {
		let open = self.open_orders(chain).await?;
		self.review_bids(chain, now, &open).await?;
		let provider: Option<Provider> =
			chain.query_as("ccre_provider", vec![json!(self.address)]).await?;
		match provider.filter(|provider| provider.can_bid) {
			// Bids first: a bid window is a few blocks; asks rest, and tending leases can
			// wait for the next block.
			Some(provider) => {
				self.bid(chain, now, &open, &provider).await?;
				self.make_market(chain, now, &provider).await?;
			},
			None if now.is_multiple_of(60) => {
				warn!("not registered with the minimum stake: not trading (ccre-provider init)");
			},
			None => {},
		}
		self.tend_leases(chain, now).await
	}

	/// Every open order, page by page.
	async fn open_orders(&self, chain: &Chain) -> Result<Vec<Order>, ChainError> {
		let mut orders = Vec::new();
		let mut start_after: Option<OrderId> = None;
		loop {
			let page: Vec<Order> =
				chain.query_as("ccre_openOrders", vec![json!(start_after), json!(PAGE)]).await?;
			let full = page.len() == PAGE;
			start_after = page.last().map(|order| order.id);
			orders.extend(page);
			if !full {
				return Ok(orders);
			}
		}
	}

	/// Settles the bids whose windows have closed, or whose orders are no longer open (a
	/// cancelled order releases its reservation at once): a won bid becomes a lease (its
	/// reservation with it), a lost one releases its reservation; then reclaims the deposits
	/// of the bids that are over.
	async fn review_bids(
		self: &Arc<Self>,
		chain: &Chain,
		now: u32,
		open: &[Order],
	) -> Result<(), ChainError> {
		let open: BTreeSet<OrderId> = open.iter().map(|order| order.id).collect();
		let due: Vec<OrderId> = self
			.state()
			.bids
			.iter()
			.filter(|(id, bid)| bid.closes_at <= now || !open.contains(id))
			.map(|(id, _)| *id)
			.collect();
		let mut decided = 0;
		for id in due {
			let lease: Option<Lease> = chain.query_as("ccre_lease", vec![json!(id)]).await?;
			match lease {
				Some(lease) if lease.provider == self.address => {
					self.adopt_lease(chain, &lease).await?;
				},
				Some(_) => {
					info!(order = id, "lost to another provider");
					self.metrics.bids_lost.inc();
					self.change(|state| state.bids.remove(&id));
				},
				None => {
					let order: Option<Order> =
						chain.query_as("ccre_order", vec![json!(id)]).await?;
					if order.is_some_and(|order| order.state == OrderState::Open) {
						// Not matched yet: the chain matches closed windows in a metered hook.
						continue;
					}
					info!(order = id, "lost: the order closed without a lease");
					self.metrics.bids_lost.inc();
					self.change(|state| state.bids.remove(&id));
				},
			}
			decided += 1;
		}
		if decided == 0 {
			return Ok(());
		}
		let done = |_: &Daemon, outcome: Result<_, ChainError>| match outcome {
			Ok(_) => debug!("bid deposits reclaimed"),
			Err(ChainError::Refused(reason)) if reason.contains("NothingToReclaim") => {},
			Err(error) => warn!(%error, "bid deposits not reclaimed"),
		};
		let key = "reclaim bid deposits".to_string();
		self.send_in_background(chain, key, "Orders", "reclaim_bid_deposits", (), done).await
	}

	/// Records lease `view` (this provider's on chain) if it is not known yet: its
	/// reservation moves over from the bid, or comes from the order's terms. The block
	/// follower does this after the bid window; the gateway, when the tenant is quicker.
	pub async fn adopt_lease(&self, chain: &Chain, view: &Lease) -> Result<(), ChainError> {
		let id = view.id;
		let known = self.state().leases.contains_key(&id);
		let bid = self.state().bids.get(&id).map(|bid| bid.requirement.clone());
		let requirement = match (known, bid) {
			(true, _) => return Ok(()),
			(false, Some(requirement)) => requirement,
			(false, None) => {
				let order: Option<Order> = chain.query_as("ccre_order", vec![json!(id)]).await?;
				order
					.and_then(|order| {
						let terms = &order.terms;
						requirement(&terms.resources, terms.units, &terms.placement).ok()
					})
					.ok_or_else(|| {
						ChainError::Query(
							"ccre_order".into(),
							format!("lease {id}'s order is gone"),
						)
					})?
			},
		};
		let record = LeaseRecord {
			requirement,
			tenant: view.tenant.clone(),
			manifest: None,
			manifest_hash: None,
			phase: DeploymentState::AwaitingManifest,
			message: None,
			started: false,
		};
		let adopted = self.change(|state| {
			state.bids.remove(&id);
			let fresh = !state.leases.contains_key(&id);
			state.leases.entry(id).or_insert(record);
			fresh
		});
		if adopted {
			info!(order = id, price = %view.price, tenant = %view.tenant, "won");
			self.metrics.bids_won.inc();
		}
		Ok(())
	}

	/// Tends every lease: tears down closed ones, starts those whose services answer, sends
	/// the epoch's heartbeat and withdraws earnings.
	async fn tend_leases(self: &Arc<Self>, chain: &Chain, now: u32) -> Result<(), ChainError> {
		let leases: Vec<(OrderId, LeaseRecord)> =
			self.state().leases.iter().map(|(id, lease)| (*id, lease.clone())).collect();
		// One query per lease, a few at a time: one after another, a hundred leases would keep
		// the block loop busy for longer than a block.
		let views: Vec<_> = futures_util::stream::iter(leases)
			.map(|(id, record)| async move {
				let view = chain.query_as::<Option<Lease>>("ccre_lease", vec![json!(id)]).await;
				(id, record, view)
			})
			.buffered(LEASE_QUERIES_AT_ONCE)
			.collect()
			.await;
		let mut serving = Vec::new();
		for (id, record, view) in views {
			let view = match view {
				Ok(view) => view,
				// One lease the node cannot answer for (or this client cannot read) must not
				// cost every other lease its heartbeat: skipped until the next block.
				Err(ChainError::Query(_, reason)) => {
					warn!(lease = id, %reason, "lease unreadable; skipped this block");
					continue;
				},
				Err(error) => return Err(error),
			};
			let view = match view {
				Some(view) if view.state == LeaseState::Active => view,
				other => {
					self.tear_down(id, other.map(|view| view.state)).await;
					continue;
				},
			};
			let started = view.started_at.is_some();
			if !started && record.phase == DeploymentState::Deploying && self.ready(id).await {
				self.send_in_background(
					chain,
					format!("start {id}"),
					"Leases",
					"start",
					(id,),
					move |_, outcome| match outcome {
						Ok(_) => info!(lease = id, "services answer; lease started"),
						Err(error) => warn!(lease = id, %error, "not started"),
					},
				)
				.await?;
			}
			if started {
				self.serve(id, &record, &mut serving);
			}
		}
		self.heartbeat(chain, now, serving.clone()).await?;
		self.settle(chain, now, &serving).await
	}

	/// Records started lease `id` as running, and as served in this epoch if it is.
	fn serve(&self, id: OrderId, record: &LeaseRecord, serving: &mut Vec<OrderId>) {
		if record.phase != DeploymentState::Running {
			self.change(|state| {
				if let Some(lease) = state.leases.get_mut(&id) {
					lease.phase = DeploymentState::Running;
					lease.started = true;
				}
			});
		}
		if is_served(true, self.backend.status(id).as_ref().map(|(instances, _)| &instances[..])) {
			serving.push(id);
		}
	}

	/// Sends this epoch's heartbeat, once, naming the started leases still deployed.
	async fn heartbeat(
		self: &Arc<Self>,
		chain: &Chain,
		now: u32,
		serving: Vec<OrderId>,
	) -> Result<(), ChainError> {
		let epoch_length = self.epoch_length.load(Ordering::Relaxed);
		let epoch = epoch_of(u64::from(now), epoch_length);
		if serving.is_empty() || self.state().heartbeat_epoch == Some(epoch) {
			return Ok(());
		}
		let count = serving.len();
		let epoch_start = u64::from(epoch).saturating_mul(u64::from(epoch_length));
		let done = move |daemon: &Daemon, outcome: Result<_, ChainError>| match outcome {
			Ok(_) => {
				info!(epoch, leases = count, "heartbeat sent");
				daemon.metrics.heartbeats.inc();
				// As far as the daemon has seen the chain: at most a block short of the heartbeat's.
				let best = u64::try_from(daemon.metrics.best_block.get()).unwrap_or(0);
				daemon
					.metrics
					.heartbeat_latency_blocks
					.observe(best.saturating_sub(epoch_start) as f64);
				daemon.change(|state| state.heartbeat_epoch = Some(epoch));
			},
			Err(ChainError::Refused(reason)) if reason.contains("AlreadyReported") => {
				daemon.change(|state| state.heartbeat_epoch = Some(epoch));
			},
			Err(error) => warn!(epoch, %error, "heartbeat not sent"),
		};
		let key = format!("heartbeat {epoch}");
		self.send_in_background(chain, key, "Sla", "heartbeat", (serving,), done).await
	}

	/// Sends `call` of `pallet` unless the one called `key` is still on its way, and waits for
	/// it to be in a block in the background, then calls `done` with the outcome: the block
	/// loop never waits for inclusion, so a slow block cannot make it miss a bid window.
	async fn send_in_background<Fields, Done>(
		self: &Arc<Self>,
		chain: &Chain,
		key: String,
		pallet: &str,
		call: &str,
		fields: Fields,
		done: Done,
	) -> Result<(), ChainError>
	where
		Fields: ccre_client::chain::EncodeAsFields,
		Done: FnOnce(&Daemon, Result<ccre_client::chain::Events, ChainError>) + Send + 'static,
	{
		if !self.in_flight().insert(key.clone()) {
			return Ok(());
		}
		let pending = match chain.send(&self.signer, pallet, call, fields).await {
			Ok(pending) => pending,
			Err(error) => {
				self.in_flight().remove(&key);
				return match error {
					ChainError::Refused(_) => {
						done(self, Err(error));
						Ok(())
					},
					error => Err(error),
				};
			},
		};
		let daemon = self.clone();
		tokio::spawn(async move {
			// Bounded, so a call the node never reports on cannot block its key for good.
			let outcome = tokio::time::timeout(INCLUSION_TIMEOUT, pending.wait(Wait::InBlock))
				.await
				.unwrap_or_else(|_| Err(ChainError::Connection("not in a block in time".into())));
			daemon.in_flight().remove(&key);
			done(&daemon, outcome);
		});
		Ok(())
	}

	fn in_flight(&self) -> MutexGuard<'_, BTreeSet<String>> {
		crate::lock(&self.in_flight)
	}

	/// Withdraws what the serving leases' escrow accounts owe, every `settle_every` blocks, a
	/// few leases a block.
	async fn settle(
		self: &Arc<Self>,
		chain: &Chain,
		now: u32,
		serving: &[OrderId],
	) -> Result<(), ChainError> {
		let every = self.config.workloads.settle_every;
		if every == 0 {
			return Ok(());
		}
		let due = now >= self.state().settled_at.saturating_add(every);
		let batch: Vec<OrderId> = {
			let mut queue = crate::lock(&self.to_settle);
			if due && queue.is_empty() && !serving.is_empty() {
				queue.extend(serving);
				self.change(|state| state.settled_at = now);
			}
			// A few a block: a hundred at once would hold the block loop past bid windows.
			let mut batch = Vec::new();
			while batch.len() < SETTLES_PER_BLOCK {
				let Some(lease) = queue.pop_front() else { break };
				if serving.contains(&lease) {
					batch.push(lease);
				}
			}
			batch
		};
		for lease in batch {
			let done = move |_: &Daemon, outcome: Result<_, ChainError>| match outcome {
				Ok(_) => debug!(lease, "earnings withdrawn"),
				Err(error) => warn!(lease, %error, "settle failed"),
			};
			self.send_in_background(
				chain,
				format!("settle {lease}"),
				"Escrow",
				"settle",
				(lease,),
				done,
			)
			.await?;
		}
		Ok(())
	}

	/// Stops a closed lease's services and forgets it, releasing its capacity.
	async fn tear_down(&self, id: OrderId, state: Option<LeaseState<u32>>) {
		let backend = self.backend.clone();
		let outcome = tokio::task::spawn_blocking(move || backend.teardown(id)).await;
		match outcome {
			Ok(Ok(())) => {
				info!(lease = id, closed = ?state, "lease closed; services torn down");
				self.metrics.leases_closed.inc();
				self.change(|state| state.leases.remove(&id));
			},
			Ok(Err(error)) => warn!(lease = id, %error, "tear-down failed; retrying next block"),
			Err(error) => warn!(lease = id, %error, "tear-down task failed; retrying next block"),
		}
	}

	/// Whether the lease's services all run and answer on their ports.
	async fn ready(&self, id: OrderId) -> bool {
		let backend = self.backend.clone();
		tokio::task::spawn_blocking(move || backend.ready(id)).await.unwrap_or(false)
	}

	/// Deploys `manifest` for lease `id` in the background; a failure is recorded on the
	/// lease for its tenant to see.
	pub fn deploy(self: &Arc<Self>, id: OrderId, manifest: Manifest) {
		let daemon = self.clone();
		tokio::task::spawn_blocking(move || daemon.deploy_with_retries(id, &manifest));
	}

	/// Deploys, trying again after a failure of the host (the engine, the disk) with a
	/// growing pause; a manifest that cannot run here fails at once. A lease that never
	/// deploys is never started, and the chain closes it as a manifest timeout, which does not
	/// count against the provider.
	fn deploy_with_retries(&self, id: OrderId, manifest: &Manifest) {
		let mut pause = FIRST_DEPLOY_RETRY;
		for attempt in 1..=DEPLOY_ATTEMPTS {
			match self.backend.deploy(id, manifest) {
				Ok(()) => {
					info!(lease = id, attempt, "deployed");
					return;
				},
				Err(error) if error.is_transient() && attempt < DEPLOY_ATTEMPTS => {
					warn!(lease = id, attempt, %error, retry_in = ?pause, "deployment failed");
					std::thread::sleep(pause);
					pause *= 2;
				},
				Err(error) => return self.fail(id, error.to_string()),
			}
		}
	}

	/// Replaces lease `id`'s deployment with `manifest`'s in the background: the old version
	/// is torn down, then the new one deployed.
	pub fn redeploy(self: &Arc<Self>, id: OrderId, manifest: Manifest) {
		let daemon = self.clone();
		tokio::task::spawn_blocking(move || match daemon.backend.teardown(id) {
			Ok(()) => daemon.deploy_with_retries(id, &manifest),
			Err(error) => daemon.fail(id, error.to_string()),
		});
	}

	/// Records that lease `id`'s deployment failed, and why, for its tenant to see.
	fn fail(&self, id: OrderId, reason: String) {
		warn!(lease = id, %reason, "deployment failed");
		self.change(|state| {
			if let Some(lease) = state.leases.get_mut(&id) {
				lease.phase = DeploymentState::Failed;
				lease.message = Some(reason);
			}
		});
	}

	/// Bids on every open order it may serve and has room for, at its strategy's price, and
	/// has them waited for in the background.
	async fn bid(
		self: &Arc<Self>,
		chain: &Chain,
		now: u32,
		open: &[Order],
		provider: &Provider,
	) -> Result<(), ChainError> {
		let mut pending = Vec::new();
		for order in open {
			if let Some(bid) = self.consider(chain, order, provider, now).await? {
				pending.push(bid);
			}
		}
		if pending.is_empty() {
			return Ok(());
		}
		// Waited for in the background, so the next block is handled on time; a bid whose
		// fate is unknown keeps its record, and its reservation, until its window is reviewed.
		let (daemon, chain) = (self.clone(), chain.clone());
		tokio::spawn(async move {
			for (order, placed) in pending {
				match placed.wait(Wait::InBlock).await {
					Ok(_) => {
						daemon.metrics.bids_placed.inc();
						if let Err(error) = daemon.record_bid_latency(&chain, order).await {
							debug!(order, %error, "bid latency not read");
						}
					},
					Err(ChainError::Refused(reason)) => {
						warn!(order, %reason, "bid refused");
						daemon.change(|state| state.bids.remove(&order));
					},
					Err(error) => warn!(order, %error, "bid's inclusion unknown"),
				}
			}
		});
		Ok(())
	}

	/// Decides whether to bid on `order`: eligible by the chain's own rule, room in the
	/// inventory, a price from the strategy. Reserves the capacity and sends the bid.
	async fn consider(
		&self,
		chain: &Chain,
		order: &Order,
		provider: &Provider,
		now: u32,
	) -> Result<Option<(OrderId, Pending)>, ChainError> {
		let id = order.id;
		let known = {
			let state = self.state();
			state.bids.contains_key(&id) || state.leases.contains_key(&id)
		};
		if known || self.passed().contains(&id) {
			return Ok(None);
		}
		let requirement =
			match requirement(&order.terms.resources, order.terms.units, &order.terms.placement) {
				Ok(requirement) => requirement,
				Err(_) => return Ok(self.pass(id, "invalid terms")),
			};
		if let Some(ours) = order.bids.iter().find(|bid| bid.provider == self.address) {
			// Placed before a restart that lost the record of it.
			let record = BidRecord { requirement, price: ours.price, closes_at: order.closes_at };
			self.change(|state| state.bids.insert(id, record));
			return Ok(None);
		}
		// A bid sent now lands in the next block at the earliest, which must be in the window.
		if order.terms.order_type != OrderType::GoodTillWindow || order.closes_at <= now + 1 {
			return Ok(None);
		}
		if let Err(reason) = self.eligibility(
			provider,
			&requirement,
			&order.terms.auditors,
			order.terms.auditor_rule,
			order.terms.min_reputation,
		) {
			return Ok(self.pass(id, &format!("ineligible: {reason:?}")));
		}
		if !self.inventory.fits(&self.state(), &requirement) {
			// Capacity may free up while the window is open: look again next block.
			debug!(order = id, "no room for it now");
			return Ok(None);
		}
		let price = match self.config.pricing.quote(order).await {
			Quote::Bid(price) if price <= order.terms.max_price => price,
			Quote::Bid(price) => {
				return Ok(self.pass(id, &format!("price {price} above the maximum")))
			},
			Quote::Refuse(reason) => return Ok(self.pass(id, &reason)),
		};
		let record = BidRecord { requirement, price, closes_at: order.closes_at };
		self.change(|state| state.bids.insert(id, record));
		match chain.send(&self.signer, "Orders", "place_bid", (id, price)).await {
			Ok(placed) => {
				info!(order = id, price = %price, "bid");
				Ok(Some((id, placed)))
			},
			Err(error) => {
				self.change(|state| state.bids.remove(&id));
				match error {
					ChainError::Refused(reason) => Ok(self.pass(id, &reason)),
					error => Err(error),
				}
			},
		}
	}

	/// Whether the provider may serve `requirement` for these auditors and minimum reputation,
	/// by the chain's own rule. Whether it has room and stake for one more lease is the
	/// chain's to say when it matches; the inventory stands in for it here.
	fn eligibility(
		&self,
		me: &Provider,
		requirement: &ResourceSet,
		auditors: &[String],
		auditor_rule: AuditorRule,
		min_reputation: Perbill,
	) -> Result<(), Ineligibility> {
		let facts = ProviderFacts {
			offered: Some(&me.attributes),
			can_bid: me.can_bid,
			has_capacity: true,
			reputation: me.reputation.score,
		};
		let attested = |auditor: &String| {
			me.attestations
				.iter()
				.any(|attestation| attestation.valid && &attestation.auditor == auditor)
		};
		check_eligibility(requirement, auditors, auditor_rule, min_reputation, &facts, attested)
	}

	fn passed(&self) -> MutexGuard<'_, BTreeSet<OrderId>> {
		crate::lock(&self.passed)
	}

	fn pass<T>(&self, id: OrderId, reason: &str) -> Option<T> {
		info!(order = id, %reason, "not bidding");
		self.passed().insert(id);
		None
	}

	/// Records how many blocks after the order was placed the bid landed.
	async fn record_bid_latency(&self, chain: &Chain, id: OrderId) -> Result<(), ChainError> {
		let order: Option<Order> = chain.query_as("ccre_order", vec![json!(id)]).await?;
		let placed = order.and_then(|order| {
			let bid = order.bids.iter().find(|bid| bid.provider == self.address)?;
			Some(bid.placed_at.saturating_sub(order.created_at))
		});
		if let Some(blocks) = placed {
			info!(order = id, blocks, "bid in block");
			self.metrics.bid_latency_blocks.observe(f64::from(blocks));
		}
		Ok(())
	}

	/// Refreshes the gauges that follow the state.
	fn update_gauges(&self) {
		let state = self.state();
		self.metrics.open_bids.set(state.bids.len() as i64);
		self.metrics.leases.set(state.leases.len() as i64);
		for (capacity, free) in self.inventory.free_all(&state) {
			let name = serde_json::to_string(&capacity).unwrap_or_default();
			self.metrics
				.free_capacity
				.with_label_values(&[name.trim_matches('"')])
				.set(free as i64);
		}
	}

	/// Restarts services that exited, about once a second, for ever.
	pub async fn supervise(self: Arc<Self>) {
		loop {
			let backend = self.backend.clone();
			if let Ok(restarts) = tokio::task::spawn_blocking(move || backend.supervise()).await {
				self.metrics.restarts.inc_by(u64::from(restarts));
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
	}
}

/// Whether a lease counts as served in this epoch's heartbeat: started on chain, and its
/// deployment exists, supervised by the backend. Whether the tenant's own processes are up at
/// this instant is the tenant's doing (a service may exit just before each epoch boundary),
/// and must not make the provider miss the epoch.
fn is_served(started: bool, deployment: Option<&[InstanceStatus]>) -> bool {
	started && deployment.is_some()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn instance(running: bool) -> InstanceStatus {
		InstanceStatus {
			service: "web".into(),
			instance: 0,
			pid: None,
			running,
			restarts: 3,
			last_exit: Some("exit status 1".into()),
		}
	}

	#[test]
	fn a_tenants_exited_service_still_counts_as_served_and_a_missing_deployment_does_not() {
		assert!(is_served(true, Some(&[instance(true)])));
		assert!(is_served(true, Some(&[instance(false), instance(true)])));
		assert!(is_served(true, Some(&[instance(false)])));
		assert!(!is_served(true, None), "torn down or never deployed");
		assert!(!is_served(false, Some(&[instance(true)])), "not started on chain");
	}
}
