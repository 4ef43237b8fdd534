// Staff powers on an open WebSocket end with the session: a sign-out (on this node or another),
// a disabled account and a changed role reach every open socket at once (staff.changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, runBoai, signIn, startBoai, tempDir } from './support.mjs';

async function station(prefix) {
  const dataDir = tempDir(prefix);
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', '--data-dir', dataDir],
    { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  return dataDir;
}

function signOut(port, cookie) {
  return fetch(`http://127.0.0.1:${port}/api/logout`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: '{}',
  });
}

// A host in the room whose powers work: mod.clear is acked.
async function hostIn(port, cookie) {
  const host = await Client.open(port, { cookie });
  const welcome = await host.hello('firstaid');
  assert.equal(welcome.staff.role, 'host');
  assert.equal((await host.request({ type: 'mod.clear' })).type, 'ack');
  return host;
}

test('a sign-out ends the staff powers of the socket that is still open', async () => {
  const dataDir = await station('staff-signout');
  const node = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio']);
  try {
    const cookie = await signIn(node.port, 'host1', 'host-password-1');
    const host = await hostIn(node.port, cookie);
    assert.equal((await signOut(node.port, cookie)).status, 200);
    // Asked right after the sign-out's answer: no waiting for a notice.
    const after = await host.request({ type: 'mod.clear' });
    assert.equal(after.code, 'not_allowed');
    assert.equal((await host.type('staff.changed')).staff, null);
    await host.close();
  } finally {
    await node.stop();
  }
});

test('a sign-out on one node ends the powers of the same session on another', async () => {
  const dataDir = await station('staff-signout-nodes');
  const one = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio']);
  const two = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio']);
  try {
    const cookie = await signIn(one.port, 'host1', 'host-password-1');
    const host = await hostIn(two.port, cookie);
    assert.equal((await signOut(one.port, cookie)).status, 200);
    assert.equal((await host.type('staff.changed')).staff, null);
    assert.equal((await host.request({ type: 'mod.clear' })).code, 'not_allowed');
    await host.close();
  } finally {
    await one.stop();
    await two.stop();
  }
});

test('a changed role or a disabled account reaches the open sockets at once', async () => {
  const dataDir = await station('staff-user-set');
  const node = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio']);
  try {
    const cookie = await signIn(node.port, 'host1', 'host-password-1');
    const host = await hostIn(node.port, cookie);

    let r = await runBoai(['user', 'set', 'host1', '--role', 'finance', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.output);
    assert.deepEqual((await host.type('staff.changed')).staff, { name: 'host1', role: 'finance' });
    assert.equal((await host.request({ type: 'mod.clear' })).code, 'not_allowed');

    r = await runBoai(['user', 'set', 'host1', '--role', 'host', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.output);
    assert.equal((await host.type('staff.changed')).staff.role, 'host');
    assert.equal((await host.request({ type: 'mod.clear' })).type, 'ack');

    r = await runBoai(['user', 'set', 'host1', '--disable', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.output);
    assert.equal((await host.type('staff.changed')).staff, null);
    assert.equal((await host.request({ type: 'mod.clear' })).code, 'not_allowed');
    const me = await fetch(`http://127.0.0.1:${node.port}/api/me`, { headers: { Cookie: cookie } });
    assert.equal(me.status, 401);

    r = await runBoai(['user', 'set', 'nobody', '--enable', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    assert.match(r.output, /user_not_found/);
    r = await runBoai(['user', 'set', 'host1', '--role', 'boss', '--data-dir', dataDir]);
    assert.match(r.output, /role_invalid/);
    await host.close();
  } finally {
    await node.stop();
  }
});
