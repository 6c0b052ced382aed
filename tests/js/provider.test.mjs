// The polkadot-js path to a running service: a tenant's app places the order and publishes its
// certificate with @polkadot/api, computes the manifest hash the documented way (keys sorted,
// JSON.stringify, SHA-256), and sends the manifest over mutual TLS with Node's https; a real
// ccre-provider daemon bids, deploys it and the service answers.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ownershipProof } from './certificates.mjs';
import { CCRE, waitFor } from './market.mjs';
import { freePort, nodeBinary, startDevNode, submit } from './node.mjs';

const bin = (name) => join(dirname(nodeBinary()), name);

// What examples/web.yaml says, with every default written out, as its canonical form has it.
const manifest = {
  version: 1,
  services: {
    web: {
      image: 'localhost/ccre/busybox:latest',
      command: ['sh', '-c', 'echo "$GREETING from $CCRE_SERVICE-$CCRE_INSTANCE"; exec httpd -f -v -p "$PORT" -h /www'],
      env: { GREETING: 'hello' },
      ports: [{ port: 8080, protocol: 'tcp' }],
      resources: { cpu_millicores: 500, memory_mib: 256 },
      count: 1
    }
  }
};

function canonical (value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

const manifestHash = '0x' + createHash('sha256').update(JSON.stringify(canonical(manifest))).digest('hex');

let node;
let api;
let daemon;
let dir;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  dir = mkdtempSync(join(tmpdir(), 'ccre-js-provider-'));
  const env = { ...process.env, CCRE_PROVIDER_SEED: '//Alice' };
  const firstPort = await freePort();
  execFileSync(bin('ccre-provider'), [
    'init', '--dir', join(dir, 'provider'), '--node', node.url, '--overcommit', '--local-images-only',
    '--gateway-port', String(await freePort()), '--metrics-port', String(await freePort()),
    '--attributes', '{"cpu_millicores":2000,"memory_mib":2048,"region":"local"}',
    '--stake', String(1000n * CCRE), '--ports', `${firstPort}-${Math.min(firstPort + 20, 65535)}`
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = openSync(join(dir, 'daemon.log'), 'w');
  daemon = spawn(bin('ccre-provider'), ['run', '--config', join(dir, 'provider', 'provider.toml')],
    { env, stdio: ['ignore', log, log] });
});

after(async () => {
  daemon?.kill('SIGKILL');
  await api?.disconnect();
  await node?.stop();
});

/** An HTTPS request with the tenant's client certificate to a gateway whose certificate must
 * be one its provider published. */
function gateway (uri, trusted, cert, method, path, body) {
  const url = new URL(path, uri);
  return new Promise((ok, fail) => {
    const req = request(url, {
      method, cert: cert.cert, key: cert.key, rejectUnauthorized: false,
      checkServerIdentity: () => undefined
    }, (res) => {
      const fingerprint = '0x' + createHash('sha256').update(res.socket.getPeerCertificate().raw).digest('hex');
      if (!trusted.includes(fingerprint)) return fail(new Error(`untrusted gateway ${fingerprint}`));
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => ok({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Terms of an order for examples/web.yaml's needs, in region `local`, for the manifest
 * with `hash`. */
function webOrder (hash) {
  return {
    resources: { capacities: [['CpuMillicores', 500], ['MemoryMib', 256]], properties: [] },
    units: 1,
    placement: { capacities: [], properties: [['Region', 'local']] },
    auditors: [],
    auditorRule: 'AnyOf',
    minReputation: 0,
    maxPrice: 1000,
    duration: null,
    bidWindow: 3,
    manifestHash: hash,
    orderType: 'GoodTillWindow',
    clearing: 'PayBid',
    sla: null
  };
}

function httpStatus (endpoint) {
  return new Promise((ok) => {
    get(`http://${endpoint}/`, (res) => { res.resume(); ok(res.statusCode); }).on('error', () => ok(0));
  });
}

test('an order placed with polkadot-js is served by the provider daemon', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const tenant = keyring.addFromUri('//Charlie');
  assert.equal(manifestHash, execFileSync(bin('ccre'), ['manifest', 'hash', fileURLToPath(new URL('../../examples/web.yaml', import.meta.url))]).toString().trim());

  // The tenant's client certificate, published with polkadot-js.
  const certDir = join(dir, 'tenant');
  execFileSync(bin('ccre'), ['cert', 'new', certDir], { stdio: 'ignore' });
  const cert = { cert: readFileSync(join(certDir, 'client.crt')), key: readFileSync(join(certDir, 'client.key')) };
  const der = new X509Certificate(cert.cert).raw;
  const proof = ownershipProof(cert.key, tenant.publicKey, der);
  await submit(api.tx.certificates.publish('0x' + der.toString('hex'), proof), tenant);

  await waitFor('the daemon to be registered and staked', async () =>
    (await node.rpc('ccre_provider', [keyring.addFromUri('//Alice').address]))?.can_bid);
  const terms = webOrder(manifestHash);
  const { events } = await submit(api.tx.orders.createOrder(terms, 100n * CCRE), tenant);
  const created = events.find(({ event }) => api.events.orders.OrderCreated.is(event));
  const id = created.event.data[0].toNumber();
  const lease = await waitFor('the lease', () => node.rpc('ccre_lease', [id]), 60);

  const provider = await node.rpc('ccre_provider', [lease.provider]);
  const trusted = (await node.rpc('ccre_certificatesOf', [lease.provider]))
    .filter((c) => c.revoked_at === null).map((c) => c.fingerprint);
  const sent = await gateway(provider.host_uri, trusted, cert, 'PUT', `/leases/${id}/manifest`, JSON.stringify(manifest));
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const running = await waitFor('the service to run', async () => {
    const { body } = await gateway(provider.host_uri, trusted, cert, 'GET', `/leases/${id}/status`);
    return body.state === 'running' ? body : null;
  }, 60);
  const { host, host_port: port } = running.endpoints[0];
  assert.equal(await httpStatus(`${host}:${port}`), 200);
  assert.notEqual((await node.rpc('ccre_lease', [id])).started_at, null);

  await submit(api.tx.leases.close(id, 'Tenant'), tenant);
  await waitFor('the service to be torn down', async () => (await httpStatus(`${host}:${port}`)) === 0);
});

test('a lease whose manifest never comes closes without touching the provider\'s reputation', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const tenant = keyring.addFromUri('//Charlie');
  const sudo = keyring.addFromUri('//Alice');
  const alice = sudo.address;
  // The shortest timeout governance allows, so the test need not wait 100 blocks.
  await submit(api.tx.sudo.sudo(api.tx.marketParameters.setParameter(
    { Market: { ManifestTimeout: [null, 10] } })), sudo);
  const before = (await node.rpc('ccre_provider', [alice])).reputation;
  const terms = webOrder('0x' + '5a'.repeat(32));
  const { events } = await submit(api.tx.orders.createOrder(terms, 100n * CCRE), tenant);
  const id = events.find(({ event }) => api.events.orders.OrderCreated.is(event)).event.data[0].toNumber();
  const lease = await waitFor('the lease', () => node.rpc('ccre_lease', [id]), 60);
  assert.equal(lease.provider, alice);
  const closed = await waitFor('the chain to close it', async () => {
    const view = await node.rpc('ccre_lease', [id]);
    return view?.state?.closed ? view : null;
  }, 60);
  assert.equal(closed.state.closed.reason, 'manifest_timeout', JSON.stringify(closed.state));
  assert.equal(closed.started_at, null);
  assert.deepEqual((await node.rpc('ccre_provider', [alice])).reputation, before);
});
