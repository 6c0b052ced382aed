// The provider and certificate registries driven with @polkadot/api as a provider, a
// governance key, an auditor and a gateway would: register, stake, attest, publish a
// certificate, then read it all back through the runtime API and the ccre_* RPC.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { keyFromScalar, ownershipProof } from './certificates.mjs';
import { becomeProvider, CCRE } from './market.mjs';
import { startDevNode, submit } from './node.mjs';

const certificate = readFileSync(new URL('../../primitives/fixtures/provider.der', import.meta.url));
const certificateKey = keyFromScalar(readFileSync(new URL('../../primitives/fixtures/provider.key', import.meta.url)));
const fingerprint = '0x' + createHash('sha256').update(certificate).digest('hex');

let node;
let api;
let alice;
let bob;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('a provider registers, stakes, is attested and publishes its certificate', async () => {
  await becomeProvider(api, alice);
  // Auditors are approved by governance: root, through Sudo on a dev chain.
  await submit(api.tx.sudo.sudo(api.tx.providers.addAuditor(bob.address)), alice);
  await submit(api.tx.providers.attest(alice.address), bob);
  // Only the holder of the certificate's key can publish it: the key signs for Alice.
  const proof = ownershipProof(certificateKey, alice.publicKey, certificate);
  await submit(api.tx.certificates.publish('0x' + certificate.toString('hex'), proof), alice);

  const view = (await api.call.providersApi.provider(alice.address)).unwrap();
  assert.equal(view.hostUri.toUtf8(), 'https://alice.provider.example:8443');
  assert.equal(view.stake.active.toBigInt(), 1000n * CCRE);
  assert.equal(view.canBid.isTrue, true);
  assert.equal(view.attestations.length, 1);
  assert.equal(view.attestations[0].auditor.toString(), bob.address);
  assert.equal(view.attestations[0].valid.isTrue, true);
  assert.equal(view.reputation.score.toNumber(), 500_000_000, 'no history scores one half');
});

test('auditors read a provider through the ccre RPC, certificates included', async () => {
  const provider = await node.rpc('ccre_provider', [alice.address]);
  assert.equal(provider.account, alice.address);
  assert.deepEqual(provider.attributes, { cpu_millicores: 8000, memory_mib: 16384, region: 'eu-west' });
  assert.equal(provider.can_bid, true);
  assert.equal(provider.certificates.length, 1);
  assert.equal(provider.certificates[0].fingerprint, fingerprint);

  const page = await node.rpc('ccre_providers', [null, 10]);
  assert.deepEqual(page.map(p => p.account), [alice.address]);
  assert.equal(await node.rpc('ccre_provider', [bob.address]), null);
});

test('a gateway checks a presented certificate against the chain', async () => {
  assert.deepEqual(await node.rpc('ccre_checkCertificate', [alice.address, fingerprint]),
    { accepted: true, refusal: null });
  assert.deepEqual(await node.rpc('ccre_checkCertificate', [bob.address, fingerprint]),
    { accepted: false, refusal: 'wrong_owner' });
  await submit(api.tx.certificates.revoke(fingerprint), alice);
  assert.deepEqual(await node.rpc('ccre_checkCertificate', [alice.address, fingerprint]),
    { accepted: false, refusal: 'revoked' });
});

test('bad input is refused with the pallet error, nothing changed', async () => {
  await assert.rejects(
    submit(api.tx.providers.register('https://again.example', [], [['Region', 'eu']], ''), alice),
    /providers\.AlreadyRegistered/);
  await assert.rejects(submit(api.tx.providers.unbond(5000n * CCRE), alice),
    /providers\.InsufficientActiveStake/);
  const view = (await api.call.providersApi.provider(alice.address)).unwrap();
  assert.equal(view.stake.active.toBigInt(), 1000n * CCRE);
});
