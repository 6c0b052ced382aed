//! The market maker: an ask on each class of the exchange the provider is eligible for, drawn
//! from the same inventory as its bids. Each block it reads the trades since the last (a fill
//! is a lease, adopted like a won bid), brings its asks in line with the book (the chain is the
//! truth: what filled, expired or was cancelled is gone), re-prices those whose price changed
//! and places asks where it has none and room for a lot.

use super::{Daemon, Provider};
use crate::{config::MarketMaking, state::AskRecord};
use ccre_client::{
	chain::{Chain, ChainError, Encoded},
	exchange::{placed_order, Traded},
};
use ccre_primitives::{
	exchange::{BookOrder, BookOrderId, ClassId, ClassView, Lots, Price, Side, TimeInForce},
	requirement,
};
use codec::Encode;
use serde_json::json;
use sp_runtime::Perbill;
use std::{collections::BTreeMap, sync::Arc};
use tracing::{debug, info, warn};

/// A class as `ccre_classes` returns it.
pub type Class = ClassView<String, u32>;
/// An order on the exchange as `ccre_exchangeOrders` returns it.
type BookEntry = (BookOrderId, BookOrder<String, u128, u32>);

/// The most blocks of trades read in one block: a daemon that was down catches up over a few.
const BLOCKS_READ_AT_ONCE: u32 = 20;
/// Blocks before an ask the chain refused is tried again on its class.
const REFUSED_ASK_PAUSE: u32 = 100;

impl Daemon {
	/// Keeps the asks: reads fills, reconciles with the book, re-prices and places.
	pub(super) async fn make_market(
		self: &Arc<Self>,
		chain: &Chain,
		now: u32,
		provider: &Provider,
	) -> Result<(), ChainError> {
		let Some(settings) = self.config.market.clone() else { return Ok(()) };
		if !self.read_fills(chain, now).await? {
			// Behind: the asks are only reconciled once every fill is a lease, so a sold lot
			// is never counted free in between.
			return Ok(());
		}
		let classes: Vec<Class> = chain.query_as("ccre_classes", vec![]).await?;
		let mine: Vec<BookEntry> =
			chain.query_as("ccre_exchangeOrders", vec![json!(self.address)]).await?;
		self.reconcile_asks(&classes, &mine);
		for class in classes.iter().filter(|class| quoted(&settings, class)) {
			let paused =
				crate::lock(&self.asks_refused).get(&class.id).is_some_and(|until| now < *until);
			if !paused {
				self.quote(chain, class, &settings, provider).await?;
			}
		}
		Ok(())
	}

	/// Adopts the leases of the fills in the blocks since the last read, up to
	/// [`BLOCKS_READ_AT_ONCE`] of them; returns whether it has read up to `now`.
	async fn read_fills(self: &Arc<Self>, chain: &Chain, now: u32) -> Result<bool, ChainError> {
		let from = match self.state().trades_read_to {
			// A daemon that never quoted has no fills before now.
			0 => now,
			read => read.saturating_add(1),
		};
		let to = now.min(from.saturating_add(BLOCKS_READ_AT_ONCE - 1));
		for block in from..=to {
			let events = chain.events_at(block).await?;
			for traded in Traded::all_in(&events) {
				if traded.seller.to_string() != self.address {
					continue;
				}
				info!(lease = traded.deployment, lots = traded.lots, price = %traded.price, "sold");
				match chain.query_as("ccre_lease", vec![json!(traded.deployment)]).await? {
					Some(lease) => self.adopt_lease(chain, &lease).await?,
					None => warn!(lease = traded.deployment, "a fill's lease is gone already"),
				}
			}
		}
		// Saved once for the blocks read: were it lost, reading them again adopts nothing twice.
		self.change(|state| state.trades_read_to = to);
		Ok(to >= now)
	}

	/// Brings the asks in line with the book: a placed ask's lots are what rests; one gone
	/// from the book is forgotten (its lots are leases now, or free); one the chain shows and
	/// the state lost (a crash between placing and recording) is recorded.
	fn reconcile_asks(&self, classes: &[Class], mine: &[BookEntry]) {
		let by_id: BTreeMap<ClassId, &Class> =
			classes.iter().map(|class| (class.id, class)).collect();
		let resting: BTreeMap<ClassId, (BookOrderId, Lots, Price)> = mine
			.iter()
			.filter(|(_, order)| order.side == Side::Sell)
			.map(|(id, order)| (order.class, (*id, order.lots, order.price)))
			.collect();
		let placing: Vec<ClassId> = self
			.state()
			.asks
			.iter()
			.filter(|(class, ask)| {
				ask.order.is_none() && self.in_flight().contains(&ask_key(**class))
			})
			.map(|(class, _)| *class)
			.collect();
		self.change(|state| {
			state.asks.retain(|class, _| placing.contains(class) || resting.contains_key(class));
			for (class, (order, lots, price)) in &resting {
				let Some(info) = by_id.get(class) else { continue };
				let units = u32::try_from(*lots).unwrap_or(u32::MAX);
				let Ok(requirement) = requirement(&info.resources, units, &info.placement) else {
					continue;
				};
				state.asks.insert(
					*class,
					AskRecord { order: Some(*order), lots: *lots, requirement, price: *price },
				);
			}
		});
	}

	/// Places or re-prices this class's ask.
	async fn quote(
		self: &Arc<Self>,
		chain: &Chain,
		class: &Class,
		settings: &MarketMaking,
		provider: &Provider,
	) -> Result<(), ChainError> {
		let Some(price) = ask_price(settings, class) else {
			debug!(class = class.id, "a lot's cost overflows; no ask");
			return Ok(());
		};
		let one_lot = match requirement(&class.resources, 1, &class.placement) {
			Ok(requirement) => requirement,
			Err(_) => return Ok(()),
		};
		if let Err(reason) = self.eligibility(
			provider,
			&one_lot,
			&class.auditors,
			class.auditor_rule,
			Perbill::zero(),
		) {
			debug!(class = class.id, ?reason, "not eligible; no ask");
			return Ok(());
		}
		let ask = self.state().asks.get(&class.id).cloned();
		match ask {
			Some(AskRecord { order: Some(order), price: asked, .. }) if asked != price => {
				let key = format!("cancel ask {order}");
				info!(class = class.id, order, from = %asked, to = %price, "re-pricing the ask");
				self.send_in_background(
					chain,
					key,
					"Exchange",
					"cancel",
					(order,),
					move |_, outcome| {
						if let Err(error) = outcome {
							warn!(order, %error, "ask not cancelled");
						}
					},
				)
				.await
			},
			Some(_) => Ok(()),
			None => self.place_ask(chain, class, settings, price).await,
		}
	}

	/// Places an ask for as many lots as the inventory holds, up to the settings' and the
	/// class's limits, reserving them first.
	async fn place_ask(
		self: &Arc<Self>,
		chain: &Chain,
		class: &Class,
		settings: &MarketMaking,
		price: Price,
	) -> Result<(), ChainError> {
		let most = settings.lots.min(class.max_lots);
		let mut sized = None;
		for lots in 1..=most {
			let Ok(units) = u32::try_from(lots) else { break };
			match requirement(&class.resources, units, &class.placement) {
				Ok(needs) if self.inventory.fits(&self.state(), &needs) => {
					sized = Some((lots, needs))
				},
				_ => break,
			}
		}
		let Some((lots, requirement)) = sized else { return Ok(()) };
		let id = class.id;
		self.change(|state| {
			state.asks.insert(id, AskRecord { order: None, lots, requirement, price });
		});
		info!(class = id, lots, price = %price, "asking");
		let fields = (id, price, lots, TimeInForce::<u32>::GoodTillCancel).encode();
		let done = move |daemon: &Daemon, outcome: Result<_, ChainError>| match outcome {
			Ok(events) => {
				let order = placed_order(&events);
				daemon.change(|state| {
					if let Some(ask) = state.asks.get_mut(&id) {
						ask.order = order;
					}
				});
			},
			Err(error) => {
				let until = daemon.best_block().saturating_add(REFUSED_ASK_PAUSE);
				warn!(class = id, %error, retry_at = until, "ask refused");
				daemon.change(|state| state.asks.remove(&id));
				crate::lock(&daemon.asks_refused).insert(id, until);
			},
		};
		self.send_in_background(chain, ask_key(id), "Exchange", "sell", Encoded(fields), done).await
	}
}

/// What marks a class's ask in flight.
fn ask_key(class: ClassId) -> String {
	format!("ask {class}")
}

/// Whether the settings quote `class`: it trades, and it is named or none are.
fn quoted(settings: &MarketMaking, class: &Class) -> bool {
	!class.retired
		&& (settings.classes.is_empty()
			|| settings.classes.iter().any(|name| name.as_bytes() == class.name.as_slice()))
}

/// A lot's cost at the settings' prices plus the markup, rounded up to the class's tick;
/// `None` on overflow.
pub fn ask_price(settings: &MarketMaking, class: &Class) -> Option<Price> {
	let cost = settings.prices.cost(&class.resources)?;
	let marked_up = cost.checked_mul(100u128.checked_add(settings.markup_percent.into())?)? / 100;
	let tick = class.tick.max(1);
	marked_up.div_ceil(tick).checked_mul(tick).filter(|price| *price > 0).or(Some(tick))
}

#[cfg(test)]
mod tests {
	use super::*;
	use ccre_primitives::{AuditorRule, Capacity, ResourceSet, SlaTerms};

	fn class(tick: Price) -> Class {
		Class {
			id: 0,
			name: b"cpu.std".to_vec(),
			resources: ResourceSet::new(
				[(Capacity::CpuMillicores, 1_000), (Capacity::MemoryMib, 2_048)],
				[],
			)
			.expect("canonical"),
			placement: ResourceSet::new([], []).expect("canonical"),
			auditors: vec![],
			auditor_rule: AuditorRule::AnyOf,
			tick,
			max_lots: 8,
			sla: SlaTerms { availability: Perbill::from_percent(99), credit_rate: Perbill::one() },
			retired: false,
			halt: None,
			band: None,
			last_print: None,
			averages: None,
		}
	}

	fn settings(markup_percent: u32) -> MarketMaking {
		toml::from_str(&format!(
			"prices = {{ cpu_millicores = 3, memory_mib = 1 }}\nmarkup_percent = {markup_percent}"
		))
		.expect("valid settings")
	}

	#[test]
	fn an_ask_is_the_lots_cost_marked_up_and_rounded_up_to_the_tick() {
		// 1 000 × 3 + 2 048 × 1 = 5 048 per lot and block.
		assert_eq!(ask_price(&settings(0), &class(1)), Some(5_048));
		// +10% = 5 552.8, down to 5 552, up to the tick of 100: 5 600.
		assert_eq!(ask_price(&settings(10), &class(100)), Some(5_600));
		// Already on a tick: unchanged.
		assert_eq!(ask_price(&settings(0), &class(8)), Some(5_048));
		// Free capacity still asks a tick.
		let free: MarketMaking = toml::from_str("prices = {}").expect("valid");
		assert_eq!(ask_price(&free, &class(50)), Some(50));
	}

	#[test]
	fn only_trading_classes_named_in_the_settings_are_quoted() {
		let mut named = settings(0);
		assert!(quoted(&named, &class(1)), "none named: every class");
		named.classes = vec!["gpu.h100".into()];
		assert!(!quoted(&named, &class(1)));
		named.classes.push("cpu.std".into());
		assert!(quoted(&named, &class(1)));
		let retired = Class { retired: true, ..class(1) };
		assert!(!quoted(&named, &retired));
	}
}
