// Shared by the market tests and the demo: the provider and the order a tenant places in
// them, and waiting for the chain to get somewhere.

import { submit } from './node.mjs';

/** One CCRE, in the chain's smallest unit. */
export const CCRE = 10n ** 12n;

/** Polls `probe` once a block until it returns something truthy, for up to `seconds`. */
export async function waitFor (what, probe, seconds = 30) {
  for (let elapsed = 0; elapsed < seconds * 2; elapsed++) {
    const value = await probe();
    if (value) return value;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One core per unit in eu-west, at most 1 CCRE per unit and block. */
export function oneCoreOrder (overrides = {}) {
  return {
    resources: { capacities: [['CpuMillicores', 1000]], properties: [] },
    units: 2,
    placement: { capacities: [], properties: [['Region', 'eu-west']] },
    auditors: [],
    auditorRule: 'AnyOf',
    minReputation: 0,
    maxPrice: CCRE,
    duration: null,
    bidWindow: 3,
    manifestHash: '0x' + '2a'.repeat(32),
    orderType: 'GoodTillWindow',
    clearing: 'PayBid',
    ...overrides
  };
}

/** Registers `signer` as a provider in eu-west with 8 cores and 16 GiB, and stakes 1000 CCRE. */
export async function becomeProvider (api, signer) {
  await submit(api.tx.providers.register(
    'https://alice.provider.example:8443',
    [['CpuMillicores', 8000], ['MemoryMib', 16384]],
    [['Region', 'eu-west']],
    'ops@alice.example'
  ), signer);
  await submit(api.tx.providers.bond(1000n * CCRE), signer);
}
