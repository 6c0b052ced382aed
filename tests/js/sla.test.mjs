// The SLA driven with @polkadot/api: an underwriter funds the pool, a provider reports its
// lease for free, a tenant disputes the lease, and two of the three arbitrators uphold the
// claim with a council motion. Downtime claims need whole epochs (100 blocks); the runtime
// integration test (runtime/tests/sla.rs) covers them block by block.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { becomeProvider, CCRE, oneCoreOrder, waitFor } from './market.mjs';
import { startDevNode, submit } from './node.mjs';

let node;
let api;
let accounts;
const lease = 0;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  accounts = Object.fromEntries(
    ['Alice', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map(name => [name, keyring.addFromUri(`//${name}`)])
  );
  const { Alice: provider, Charlie: tenant } = accounts;
  await becomeProvider(api, provider);
  await submit(api.tx.orders.createOrder(oneCoreOrder(), 100n * CCRE), tenant);
  await submit(api.tx.orders.placeBid(lease, CCRE / 2n), provider);
  await waitFor('the match', () => node.rpc('ccre_lease', [lease]));
  await submit(api.tx.leases.start(lease), provider);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

/** The fee `events` say the transaction paid. */
function feePaid (events) {
  const paid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(paid, 'a TransactionFeePaid event');
  return paid.event.data.actualFee.toBigInt();
}

test('an underwriter funds the pool and cannot leave before the lock-up', async () => {
  const { Ferdie: underwriter } = accounts;
  const before = (await api.call.slaApi.pool()).value.toBigInt();
  await submit(api.tx.sla.underwrite(1000n * CCRE), underwriter);
  const pool = await api.call.slaApi.pool();
  assert.ok(pool.value.toBigInt() >= before + 1000n * CCRE);
  const stake = (await api.call.slaApi.underwriting(underwriter.address)).unwrap();
  assert.ok(stake.shares.toBigInt() > 0n);
  const viaRpc = await node.rpc('ccre_underwriting', [underwriter.address]);
  assert.equal(BigInt(viaRpc.shares), stake.shares.toBigInt());
  assert.ok(BigInt((await node.rpc('ccre_pool', [])).value) >= 1000n * CCRE);
  assert.ok(stake.value.toBigInt() <= 1000n * CCRE + (pool.value.toBigInt() - before));
  await assert.rejects(
    submit(api.tx.sla.withdrawUnderwriting(stake.shares), underwriter),
    /sla\.StillLocked/
  );
  await assert.rejects(submit(api.tx.sla.underwrite(CCRE), underwriter), /sla\.BelowMinimum/);
});

test('a provider reports its lease for free, once an epoch', async () => {
  const { Alice: provider, Dave: stranger } = accounts;
  const { events } = await submit(api.tx.sla.heartbeat([lease]), provider);
  assert.equal(feePaid(events), 0n, 'a valid heartbeat is free');
  await assert.rejects(submit(api.tx.sla.heartbeat([lease]), provider), /sla\.AlreadyReported/);
  await assert.rejects(submit(api.tx.sla.heartbeat([lease]), stranger), /sla\.NotServing/);
  await assert.rejects(submit(api.tx.sla.heartbeat([]), stranger), /sla\.NoLeases/);
  const downtime = await node.rpc('ccre_pendingDowntime', [lease]);
  assert.ok(downtime.served <= downtime.epochs);
  assert.equal(await node.rpc('ccre_pendingDowntime', [99]), null);
  await assert.rejects(submit(api.tx.sla.claimDowntime(lease), stranger), /sla\.NotTenant/);
});

test('a disputed claim is upheld by a majority of the arbitrators', async () => {
  const { Alice: provider, Charlie: tenant, Dave: arbitrator, Eve: second } = accounts;
  const evidence = '0x' + '01'.repeat(32);
  await assert.rejects(
    submit(api.tx.sla.fileClaim(lease, 10n * CCRE, evidence), arbitrator),
    /sla\.NotTenant/
  );
  await submit(api.tx.sla.fileClaim(lease, 10n * CCRE, evidence), tenant);
  await assert.rejects(
    submit(api.tx.sla.fileClaim(lease, 10n * CCRE, evidence), tenant),
    /sla\.ClaimPending/
  );
  await submit(api.tx.sla.answerClaim(0, '0x' + '02'.repeat(32)), provider);

  const decide = api.tx.sla.decideClaim(0, { Uphold: { award: 5n * CCRE } });
  await assert.rejects(submit(decide, arbitrator), /BadOrigin/, 'one arbitrator alone cannot');
  const decision = decide.method;
  const length = decision.encodedLength;
  await submit(api.tx.arbitrators.propose(2, decision, length), arbitrator);
  const index = (await api.query.arbitrators.proposalCount()).toNumber() - 1;
  for (const member of [arbitrator, second]) {
    await submit(api.tx.arbitrators.vote(decision.hash, index, true), member);
  }
  const { events } = await submit(
    api.tx.arbitrators.close(decision.hash, index, { refTime: 10_000_000_000n, proofSize: 1_000_000n }, length),
    arbitrator
  );
  const upheld = events.find(({ event }) => api.events.sla.ClaimUpheld.is(event));
  assert.ok(upheld, 'a ClaimUpheld event');
  assert.equal(upheld.event.data.award.toBigInt(), 5n * CCRE);
  // The provider answers for it with what it was paid for the lease, still held: a claim
  // takes back its earnings before its stake or the pool.
  assert.equal(upheld.event.data.clawedBack.toBigInt(), 5n * CCRE, 'the provider answers for it');
  assert.equal(upheld.event.data.paid.toBigInt(), 0n, 'the pool pays nothing');
  assert.equal((await api.query.sla.claims(0)).isNone, true);
});
