// A client sending as fast as it can: the server stops reading it while its frames wait, so its
// memory stays bounded and the others' chat still goes round. Also what a flood's frames may not
// do: nest thousands of levels deep, or be welcomed to a room that failed to load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, runBoai, startBoai, tempDir } from './support.mjs';

let server;

before(async () => {
  const dataDir = tempDir('flood');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000',
    '--live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  // A small quarantine: freed memory is counted as freed, so what RSS shows is what is held.
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=8'].filter(Boolean).join(':');
  server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir],
    { env: { ASAN_OPTIONS: asan } });
});

after(async () => {
  await server.stop();
});

function memoryKiB(field) {
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  return Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))[1]);
}

// Sends `count` frames of 16 KiB (a JSON array of zeros: costly to parse) as fast as the socket
// takes them, never more than `inFlight` unwritten; resolves once all are written.
function flood(client, count, inFlight = 64) {
  const pad = new Array(7900).fill(0);
  return new Promise((resolve) => {
    let sent = 0;
    let written = 0;
    const more = () => {
      while (sent < count && sent - written < inFlight) {
        client.send(JSON.stringify({ type: 'chat.send', rid: `f${sent}`, pad }), () => {
          if (++written === count) resolve();
          else more();
        });
        ++sent;
      }
    };
    more();
  });
}

test('a flooding client is read only as fast as the room handles it', async () => {
  const speaker = await Client.open(server.port);
  const listener = await Client.open(server.port);
  const flooder = await Client.open(server.port);
  await speaker.hello('firstaid', { nickname: 'speaker' });
  await listener.hello('firstaid', { nickname: 'listener' });
  await flooder.hello('firstaid', { nickname: 'flooder' });
  const before = memoryKiB('VmRSS');

  const frames = 16384; // 256 MiB
  const flooding = flood(flooder, frames);
  // Someone else's chat during the flood still reaches the room.
  await flooder.next((f) => f.rid === 'f2000', 120000);
  const started = Date.now();
  const ack = await speaker.request({ type: 'chat.send', text: '还在吗' }, 60000);
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  await listener.next((f) => f.type === 'chat.message' && f.id === ack.id, 60000);
  const chatMs = Date.now() - started;
  await flooding;
  // Every frame was read in the end: the last one is answered too.
  const last = await flooder.next((f) => f.rid === `f${frames - 1}`, 120000);
  assert.equal(last.type, 'error');
  const peak = memoryKiB('VmHWM');
  const growthMiB = Math.round((peak - before) / 1024);
  console.log(`flood: ${frames} frames of 16 KiB; chat went round in ${chatMs} ms;` +
    ` RSS ${Math.round(before / 1024)} MiB before, peak ${Math.round(peak / 1024)} MiB`);
  // Generous: the flood was 256 MiB; read without a stop, it would sit in the mailbox.
  assert.ok(growthMiB < 96, `the server grew by ${growthMiB} MiB`);
  for (const c of [speaker, listener, flooder]) await c.close();
});

test('a frame nested thousands of levels deep is refused as too_deep', async () => {
  const c = await Client.open(server.port);
  c.send('['.repeat(16000));
  assert.equal((await c.type('error')).code, 'too_deep');
  c.send(`{"type":"ping","rid":"deep-1","x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`);
  assert.equal((await c.type('error')).code, 'too_deep');
  assert.equal((await c.request({ type: 'ping' })).type, 'ack');
  await c.close();
});

test('hellos that waited for a room which failed to load are all refused', async () => {
  const clients = await Promise.all(Array.from({ length: 5 }, () => Client.open(server.port)));
  const answers = await Promise.all(clients.map((c) => c.hello('no-such-room')));
  assert.deepEqual(answers.map((a) => a.code), Array(5).fill('room_not_found'));
  for (const c of clients) await c.close();
});
