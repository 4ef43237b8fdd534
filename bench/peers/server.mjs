// bench/peers/server.mjs: the reference broadcast server of bench/chat_fanout, on Node's ws
// package. It speaks enough boai.v1 for the benchmark (hello, chat.send) and stores nothing.
//
//   node server.mjs PORT [HOST]
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 8090);
const host = process.argv[3] ?? '127.0.0.1';
const rooms = new Map(); // name -> { seq, members: Set<WebSocket> }

const wss = new WebSocketServer({
  host,
  port,
  path: '/ws',
  perMessageDeflate: false, // off in boai too
  clientTracking: false, // rooms track their members; a second set would only cost memory
  handleProtocols: (protocols) => (protocols.has('boai.v1') ? 'boai.v1' : false),
});

wss.on('connection', (ws) => {
  let room = null;
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003);
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'bad_json' }));
    }
    if (m.type === 'hello' && typeof m.room === 'string') {
      room?.members.delete(ws);
      if (!rooms.has(m.room)) rooms.set(m.room, { seq: 0, members: new Set() });
      room = rooms.get(m.room);
      room.members.add(ws);
      ws.send(JSON.stringify({ type: 'welcome', room: m.room, seq: room.seq,
                               viewers: room.members.size, recent: [] }));
    } else if (m.type === 'chat.send' && room && typeof m.text === 'string') {
      room.seq += 1;
      ws.send(JSON.stringify({ type: 'ack', rid: m.rid, seq: room.seq }));
      // Serialised once; the same bytes go to every member, as boai does.
      const frame = Buffer.from(JSON.stringify({ type: 'chat.message', seq: room.seq,
                                                 nickname: 'bench', text: m.text, at: Date.now() }));
      for (const member of room.members) member.send(frame, { binary: false });
    } else {
      ws.send(JSON.stringify({ type: 'error', rid: m.rid, code: 'unknown_type' }));
    }
  });
  ws.on('close', () => room?.members.delete(ws));
});
wss.on('listening', () => console.log(`ws peer listening on ${host}:${port}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
