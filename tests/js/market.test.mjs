// The market driven with @polkadot/api as a tenant's app and a provider would: a tenant
// places an order, a provider bids, the chain matches it on its own, the provider starts the
// lease and is paid per block, the tenant closes it; then read back through the runtime API
// and the ccre_* RPC.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { becomeProvider, CCRE, oneCoreOrder as terms, waitFor } from './market.mjs';
import { startDevNode, submit } from './node.mjs';


let node;
let api;
let provider;
let tenant;
let offerer;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  provider = keyring.addFromUri('//Alice');
  tenant = keyring.addFromUri('//Charlie');
  offerer = keyring.addFromUri('//Dave');
  await becomeProvider(api, provider);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('an order placed with polkadot-js is bid on, matched and leased', async () => {
  await submit(api.tx.orders.createOrder(terms(), 100n * CCRE), tenant);
  const open = await node.rpc('ccre_openOrders', []);
  assert.equal(open.length, 1);
  assert.equal(open[0].tenant, tenant.address);
  assert.deepEqual(open[0].terms.resources, { cpu_millicores: 1000 });
  assert.equal(open[0].terms.manifest_hash, '0x' + '2a'.repeat(32));
  assert.equal(BigInt(open[0].escrow_balance), 100n * CCRE);

  await submit(api.tx.orders.placeBid(0, 600_000_000_000n), provider);
  const order = (await api.call.marketApi.order(0)).unwrap();
  assert.equal(order.bids.length, 1);
  assert.equal(order.bids[0].provider.toString(), provider.address);

  const lease = await waitFor('the match', () => node.rpc('ccre_lease', [0]));
  assert.equal(lease.provider, provider.address);
  assert.equal(BigInt(lease.price), 1_200_000_000_000n, 'two units at 0.6 CCRE');
  assert.equal(lease.state, 'active');
  assert.equal(lease.started_at, null);
  assert.equal(lease.escrow.stream, null, 'nothing flows before the provider starts it');
});

test('the provider starts the lease and is paid per block until the tenant closes it', async () => {
  await submit(api.tx.leases.start(0), provider);
  const streaming = await node.rpc('ccre_lease', [0]);
  assert.equal(streaming.escrow.stream[0], provider.address);
  assert.ok(streaming.escrow.blocks_left > 0 && streaming.escrow.blocks_left <= 84);
  const before = BigInt(streaming.escrow.balance);
  const paidSome = await waitFor('payments', async () => {
    const now = await node.rpc('ccre_lease', [0]);
    return BigInt(now.escrow.balance) < before && now;
  });
  assert.ok(BigInt(paidSome.escrow.paid) > 0n);

  const { events } = await submit(api.tx.leases.close(0, 'Tenant'), tenant);
  const closed = events.find(({ event }) => api.events.leases.Closed.is(event));
  assert.ok(closed, 'a Closed event');
  const lease = (await api.call.marketApi.lease(0)).unwrap();
  assert.equal(lease.state.isClosed, true);
  assert.equal(lease.state.asClosed.reason.isTenant, true);
  assert.equal(lease.escrow.isNone, true, 'the escrow account is settled and gone');
});

test('bad market input is refused with typed errors', async () => {
  await assert.rejects(
    submit(api.tx.orders.createOrder(terms({ duration: 0 }), 100n * CCRE), tenant),
    /orders\.ZeroDuration/
  );
  await assert.rejects(
    submit(api.tx.orders.createOrder(terms({ resources: { capacities: [], properties: [] } }), 100n * CCRE), tenant),
    /orders\.EmptySpec/
  );
  await submit(api.tx.orders.createOrder(terms({ bidWindow: 20 }), 100n * CCRE), tenant);
  await assert.rejects(submit(api.tx.orders.placeBid(1, 2n * CCRE), provider), /orders\.PriceAboveMaximum/);
  await assert.rejects(submit(api.tx.orders.placeBid(1, 0), provider), /orders\.ZeroPrice/);
  await assert.rejects(submit(api.tx.orders.placeBid(1, CCRE), tenant), /orders\.NotRegistered/);
  await submit(api.tx.orders.placeBid(1, CCRE), provider);
  await assert.rejects(submit(api.tx.orders.placeBid(1, CCRE), provider), /orders\.AlreadyBid/);
  await assert.rejects(submit(api.tx.leases.close(0, 'Tenant'), tenant), /leases\.NotActive/);
});

test('an immediate-or-cancel order takes a standing offer at once', async () => {
  await submit(api.tx.providers.register(
    'https://dave.provider.example:8443',
    [['CpuMillicores', 8000]],
    [['Region', 'eu-west']],
    'ops@dave.example'
  ), offerer);
  await submit(api.tx.providers.bond(1000n * CCRE), offerer);
  const header = await api.rpc.chain.getHeader();
  const now = header.number.toNumber();
  await submit(api.tx.orders.postOffer(
    { capacities: [['CpuMillicores', 1000]], properties: [] }, 1, 400_000_000_000n, now, now + 100
  ), offerer);

  const order = (await api.query.orders.nextOrderId()).toNumber();
  const { events } = await submit(
    api.tx.orders.createOrder(terms({ orderType: 'ImmediateOrCancel', bidWindow: 0 }), 10n * CCRE),
    tenant
  );
  assert.ok(events.some(({ event }) => api.events.orders.OrderMatched.is(event)), 'matched in the same block');
  const lease = await node.rpc('ccre_lease', [order]);
  assert.equal(lease.provider, offerer.address);
  assert.equal(BigInt(lease.price), 400_000_000_000n, 'one unit: the offer had only one');
  const view = await node.rpc('ccre_order', [order]);
  assert.equal(view.terms.units, 1);
  assert.deepEqual(view.state, { leased: { provider: offerer.address } });
});
