// The spot exchange driven with @polkadot/api: the dev chain starts with cpu.std and
// cpu.small; governance (Sudo on the dev chain) defines cpu.eu, a provider places asks and a tenant buys at once; the fill opens a lease, the tenant
// and the provider cancel what rests, and the price index prints the trade. Read back through
// `api.call.exchangeApi` and the ccre_* RPC.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { becomeProvider, waitFor } from './market.mjs';
import { startDevNode, submit } from './node.mjs';

/** Prices are in ticks of 100 µCCRE per lot per block. */
const TICK = 100_000_000n;
const MANIFEST = '0x' + '5a'.repeat(32);
/** The class governance adds, after the dev preset's two. */
const CPU_EU = 2;

let node;
let api;
let sudo;
let provider;
let tenant;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  sudo = keyring.addFromUri('//Alice');
  provider = keyring.addFromUri('//Bob');
  tenant = keyring.addFromUri('//Charlie');
  await becomeProvider(api, provider);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('governance defines a class and sets six-second intervals', async () => {
  const genesis = await node.rpc('ccre_classes', []);
  assert.deepEqual(genesis.map(c => Buffer.from(c.name).toString()), ['cpu.std', 'cpu.small']);
  assert.deepEqual(genesis[0].resources, { cpu_millicores: 1000, memory_mib: 4096 });

  const { events } = await submit(api.tx.sudo.sudo(api.tx.exchange.createClass(
    'cpu.eu',
    { capacities: [['CpuMillicores', 1000], ['MemoryMib', 2048]], properties: [] },
    { capacities: [], properties: [['Region', 'eu-west']] },
    [],
    'AnyOf',
    TICK,
    8,
    { availability: 990_000_000, creditRate: 1_000_000_000 }
  )), sudo);
  assert.ok(events.some(({ event }) => api.events.exchange.ClassCreated.is(event)), 'ClassCreated');
  const rules = (await api.query.exchange.rules()).toJSON();
  await submit(api.tx.sudo.sudo(api.tx.exchange.setRules({ ...rules, intervalMs: 6000 })), sudo);
  assert.equal((await api.query.exchange.rules()).intervalMs.toNumber(), 6000);

  const classes = await node.rpc('ccre_classes', []);
  assert.equal(classes.length, 3);
  assert.equal(Buffer.from(classes[CPU_EU].name).toString(), 'cpu.eu');
  assert.deepEqual(classes[CPU_EU].resources, { cpu_millicores: 1000, memory_mib: 2048 });
  assert.deepEqual(classes[CPU_EU].placement, { region: 'eu-west' });
  assert.equal(BigInt(classes[CPU_EU].tick), TICK);
  assert.equal(classes[CPU_EU].halt, null);
});

test('a provider asks, a tenant buys at once, and the fill is a lease at the ask', async () => {
  await submit(api.tx.exchange.sell(CPU_EU, 100n * TICK, 3, 'GoodTillCancel'), provider);
  await waitFor('the ask to rest', async () => (await node.rpc('ccre_book', [CPU_EU])).asks.length === 1);

  const placed = await submit(
    api.tx.exchange.buy(CPU_EU, 110n * TICK, 1, 'ImmediateOrCancel', MANIFEST, 600),
    tenant
  );
  const order = placed.events.find(({ event }) => api.events.exchange.OrderPlaced.is(event));
  assert.ok(order, 'OrderPlaced');
  const book = await waitFor('the trade', async () => {
    const book = await node.rpc('ccre_book', [CPU_EU, 5]);
    return book.asks[0]?.lots === 2 && book;
  });
  assert.equal(BigInt(book.asks[0].price), 100n * TICK);
  assert.deepEqual(book.bids, [], 'immediate-or-cancel: nothing of it rests');

  // The lease: one lot with the provider at the ask, for the manifest.
  const leases = await api.query.leases.leases.entries();
  const mine = leases.map(([, lease]) => lease.unwrap()).filter(lease => lease.tenant.toString() === tenant.address);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].provider.toString(), provider.address);
  assert.equal(mine[0].price.toBigInt(), 100n * TICK);
});

test('orders are listed by owner and cancelled; a cancelled order leaves the book', async () => {
  await submit(api.tx.exchange.buy(CPU_EU, 90n * TICK, 2, 'GoodTillCancel', MANIFEST, 600), tenant);
  const resting = await waitFor('the bid to rest', async () => {
    const orders = await api.call.exchangeApi.ordersOf(tenant.address);
    return orders.length === 1 && orders[0][1].resting.isTrue && orders;
  });
  const [id] = resting[0];
  const { events } = await submit(api.tx.exchange.cancel(id), tenant);
  const removed = events.find(({ event }) => api.events.exchange.OrderRemoved.is(event));
  assert.equal(removed.event.data.reason.toString(), 'Cancelled');
  assert.equal((await api.call.exchangeApi.ordersOf(tenant.address)).length, 0);
  assert.deepEqual((await node.rpc('ccre_book', [CPU_EU])).bids, []);
});

test('the price index prints the trade, then the mid or the last price', async () => {
  const index = await waitFor('two prints', async () => {
    const index = await node.rpc('ccre_index', [CPU_EU]);
    return index.length >= 2 && index;
  });
  assert.equal(BigInt(index[0].print.price), 100n * TICK);
  assert.equal(index[0].print.source, 'trades');
  assert.equal(index[0].print.lots, 1);
  assert.ok(['mid', 'stale'].includes(index[1].print.source));
  const fromApi = await api.call.exchangeApi.index(CPU_EU, null, 1);
  assert.equal(fromApi.length, 1);
  assert.equal(fromApi[0].print.price.toBigInt(), 100n * TICK);
  const classes = await node.rpc('ccre_classes', []);
  assert.ok(classes[CPU_EU].band, 'a band around the reference');
});

test('bad exchange input is refused with typed errors', async () => {
  await assert.rejects(submit(api.tx.exchange.sell(CPU_EU, 100n * TICK + 1n, 1, 'GoodTillCancel'), provider), /exchange\.OffTick/);
  await assert.rejects(submit(api.tx.exchange.sell(CPU_EU, 100n * TICK, 9, 'GoodTillCancel'), provider), /exchange\.BadLots/);
  await assert.rejects(submit(api.tx.exchange.sell(CPU_EU, 100n * TICK, 1, 'GoodTillCancel'), tenant), /exchange\.NotEligible/);
  await assert.rejects(submit(api.tx.exchange.buy(7, TICK, 1, 'GoodTillCancel', MANIFEST, 600), tenant), /exchange\.UnknownClass/);
  await assert.rejects(submit(api.tx.exchange.buy(CPU_EU, TICK, 1, 'GoodTillCancel', MANIFEST, 0), tenant), /exchange\.ZeroDuration/);
  await assert.rejects(submit(api.tx.exchange.createClass(
    'gpu', { capacities: [['CpuMillicores', 1000]], properties: [] },
    { capacities: [], properties: [] }, [], 'AnyOf', TICK, 1,
    { availability: 990_000_000, creditRate: 1_000_000_000 }
  ), tenant), /badOrigin/i);
});
