// Starts a real ccre-node for a test: free loopback ports, a temporary base path, logs kept in
// that directory and shown when the node fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The node binary: CCRE_NODE_BIN, or the debug build in the shared target directory. */
export function nodeBinary () {
  if (process.env.CCRE_NODE_BIN) return process.env.CCRE_NODE_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache', 'ccre', 'target');
  return resolve(target, 'debug', 'ccre-node');
}

/** A TCP port on 127.0.0.1 that is free right now. */
export async function freePort () {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Starts `ccre-node --dev` and resolves once its RPC answers. */
export async function startDevNode () {
  const basePath = mkdtempSync(join(tmpdir(), 'ccre-js-'));
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logPath = join(basePath, 'node.log');
  const log = openSync(logPath, 'w');
  const child = spawn(nodeBinary(), [
    '--dev',
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns'
  ], { stdio: ['ignore', log, log] });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const node = {
    url: `ws://127.0.0.1:${rpcPort}`,
    log: () => readFileSync(logPath, 'utf8'),
    /** Calls a JSON-RPC method over HTTP and returns its result, or throws its error. */
    async rpc (method, params = []) {
      const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
      });
      const body = await response.json();
      if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
      return body.result;
    },
    async stop () {
      if (exited === null) {
        child.kill('SIGTERM');
        for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
        if (exited === null) child.kill('SIGKILL');
      }
      rmSync(basePath, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`ccre-node exited early (${JSON.stringify(exited)}):\n${node.log()}`);
    }
    try {
      await node.rpc('system_health');
      return node;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await node.stop();
  throw new Error('ccre-node did not answer RPC within 120 s');
}

/**
 * Signs and submits `tx`, resolving with its events and block once it is in a block, or
 * rejecting with the decoded pallet error (`section.Name: docs`) if it failed.
 */
export function submit (tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const { section, name, docs } = tx.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${section}.${name}: ${docs.join(' ')}`));
        } else {
          reject(new Error(`dispatch failed: ${dispatchError.toString()}`));
        }
      } else if (status.isInBlock) {
        resolve({ events, blockHash: status.asInBlock });
      }
    }).catch(reject);
  });
}
