// A balance transfer submitted with @polkadot/api is included, and its events read back.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startDevNode, submit } from './node.mjs';

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('the chain announces its token so amounts show right', async () => {
  const properties = api.registry.getChainProperties();
  assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'CCRE');
  assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 12);
  assert.equal((await api.rpc.system.chain()).toString(), 'CCRE Development');
});

test('a transfer signed by Alice is included and pays its fee to the treasury', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 1_234_000_000_000n;

  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

  const { events, blockHash } = await submit(api.tx.balances.transferKeepAlive(bob.address, amount), alice);

  const names = events.map(({ event }) => `${event.section}.${event.method}`);
  assert.ok(names.includes('system.ExtrinsicSuccess'), `events: ${names}`);

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, `no balances.Transfer among ${names}`);
  const [from, to, transferred] = transfer.event.data;
  assert.equal(from.toString(), alice.address);
  assert.equal(to.toString(), bob.address);
  assert.equal(transferred.toBigInt(), amount);

  const feePaid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(feePaid, `no transactionPayment.TransactionFeePaid among ${names}`);
  const fee = feePaid.event.data[1].toBigInt();
  assert.ok(fee > 0n, 'the transfer paid no fee');

  // Fees are deposited to the treasury account in the same block.
  const deposit = events.find(({ event }) =>
    api.events.balances.Deposit.is(event) && event.data[1].toBigInt() === fee);
  assert.ok(deposit, `no balances.Deposit of the fee ${fee} among ${names}`);

  const apiAt = await api.at(blockHash);
  const bobAfter = (await apiAt.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(bobAfter - bobBefore, amount);
});
