// Shared by the market tests and the demo: the order a tenant places in them, and waiting
// for the chain to get somewhere.

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
