// The demo's deployment on chain, as a provider and a tenant would do it with polkadot-js:
// //Alice registers as a provider in eu-west and stakes, //Charlie orders two units of one
// core, Alice bids, the chain matches the order when its bid window ends, Alice starts the
// lease and is paid per block from //Charlie's escrow. Prints each step and the lease.
//
// Usage: node tests/js/demo-deployment.mjs ws://127.0.0.1:9944
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { becomeProvider, CCRE, oneCoreOrder, waitFor } from './market.mjs';
import { submit } from './node.mjs';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const step = (text) => console.log(`  - ${text}`);

await cryptoWaitReady();
const wsProvider = new WsProvider(url);
const api = await ApiPromise.create({ provider: wsProvider, noInitWarn: true });
const rpc = (method, params) => wsProvider.send(method, params);
try {
  const keyring = new Keyring({ type: 'sr25519' });
  const provider = keyring.addFromUri('//Alice');
  const tenant = keyring.addFromUri('//Charlie');

  await becomeProvider(api, provider);
  step('//Alice registered as a provider in eu-west with 1000 CCRE staked');

  const order = (await api.query.orders.nextOrderId()).toNumber();
  await submit(api.tx.orders.createOrder(oneCoreOrder(), 100n * CCRE), tenant);
  step(`//Charlie placed order ${order}: 2 × 1 core in eu-west, at most 1 CCRE per unit and block, 100 CCRE in escrow`);

  await submit(api.tx.orders.placeBid(order, 600_000_000_000n), provider);
  step('//Alice bid 0.6 CCRE per unit and block');

  const matched = await waitFor('the match', () => rpc('ccre_lease', [order]));
  step(`the chain matched it at the end of the bid window: lease ${order} with //Alice at ${Number(BigInt(matched.price)) / 1e12} CCRE a block`);

  await submit(api.tx.leases.start(order), provider);
  const lease = await rpc('ccre_lease', [order]);
  step(`//Alice started the lease; the escrow pays it per block, ${lease.escrow.blocks_left} blocks of funding left (runs out at block ${lease.escrow.runs_out_at})`);

  const { events } = await submit(api.tx.sla.heartbeat([order]), provider);
  const fee = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  const availability = lease.sla.availability / 1e7;
  step(`//Alice reported the lease in this epoch's SLA heartbeat (fee paid: ${fee?.event.data.actualFee.toString() ?? 0}); it promises ${availability}% of epochs served`);
  console.log(`  Follow it with: curl -s -H 'content-type: application/json' ${url.replace('ws', 'http')} -d '{"jsonrpc":"2.0","id":1,"method":"ccre_lease","params":[${order}]}'`);
} finally {
  await api.disconnect();
}
