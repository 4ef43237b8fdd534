// Checks the public ledger in the browser, with nothing of the station's code but these lines:
// every entry's SHA-256 over the canonical encoding (docs/LEDGER.md), the chain from the genesis,
// and every signed checkpoint (Ed25519, the station's published key) on the way. WebCrypto does
// the hashing and the signatures; it needs a secure page (HTTPS, or the machine itself).

const GENESIS = '0'.repeat(64);
const PAGE = 500;

const escaped = (text) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const id = (v) => (v === null || v === undefined ? '' : String(v));

// The bytes an entry's hash is taken over.
export function canonical(e) {
  return 'boai-ledger-v1\n' +
    `seq=${e.seq}\nkind=${escaped(e.kind)}\nrecorded_us=${e.recorded_us}\n` +
    `campaign=${id(e.campaign)}\nfund=${e.fund}\npledge=${id(e.pledge)}\n` +
    `payment=${id(e.payment)}\nobject=${id(e.object)}\namount_fen=${e.amount_fen}\n` +
    `public_name=${escaped(e.public_name)}\nreference=${escaped(e.reference)}\n` +
    `memo=${escaped(e.memo)}\nprev=${e.prev_hash}\n`;
}

// What a checkpoint's signature covers.
export const checkpointText = (c) =>
  `boai-ledger-checkpoint-v1\nseq=${c.seq}\nhead=${c.head_hash}\nat=${c.at_us}\n`;

const utf8 = (text) => new TextEncoder().encode(text);
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0'))
  .join('');
const base64Bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const canCheck = () => Boolean(globalThis.crypto?.subtle);

async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// Every checkpoint, oldest first, each with its signature checked against the key.
async function signedHeads(key) {
  const publicKey = await crypto.subtle.importKey('raw', base64Bytes(key.public_key),
    { name: 'Ed25519' }, false, ['verify']);
  const heads = [];
  for (let after = 0; ;) {
    const page = await getJson(`/api/ledger/checkpoints?after_seq=${after}`);
    if (page.checkpoints.length === 0) break;
    for (const c of page.checkpoints) {
      const good = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey,
        base64Bytes(c.signature), utf8(checkpointText(c)));
      heads.push({ ...c, good });
    }
    after = page.next_after_seq;
  }
  return heads;
}

// Walks the whole chain. onProgress(n) as pages arrive. Resolves to
// {ok, entries, head, checkpoint, firstBad, reason}: reason names what did not match.
export async function verifyLedger({ onProgress = () => {}, remembered = null } = {}) {
  const key = await getJson('/api/ledger/key');
  const heads = await signedHeads(key);
  const forged = heads.find((c) => !c.good);
  if (forged) return { ok: false, firstBad: forged.seq, reason: 'forged', key };
  const expected = new Map(heads.map((c) => [c.seq, c.head_hash]));
  if (remembered && remembered.seq > 0) expected.set(remembered.seq, remembered.hash);
  const fail = (seq, reason) => ({ ok: false, firstBad: seq, reason, key });

  let prev = GENESIS, seq = 0, lastMatched = 0;
  for (;;) {
    const page = await getJson(`/api/ledger/entries?after_seq=${seq}&limit=${PAGE}`);
    if (page.entries.length === 0) break;
    const hashes = await Promise.all(page.entries.map(
      (e) => crypto.subtle.digest('SHA-256', utf8(canonical(e))).then(hex)));
    for (const [i, e] of page.entries.entries()) {
      if (e.seq !== seq + 1) return fail(seq + 1, 'missing');
      if (e.prev_hash !== prev) return fail(e.seq, 'chain');
      if (hashes[i] !== e.entry_hash) return fail(e.seq, 'altered');
      if (expected.has(e.seq)) {
        if (expected.get(e.seq) !== e.entry_hash) return fail(lastMatched + 1, 'rewritten');
        lastMatched = e.seq;
      }
      prev = e.entry_hash;
      seq = e.seq;
    }
    onProgress(seq);
  }
  const signedMax = Math.max(0, ...expected.keys());
  if (signedMax > seq) return fail(seq + 1, 'truncated');
  const checkpoint = heads.length ? heads[heads.length - 1] : null;
  return { ok: true, entries: seq, head: prev, checkpoint, key };
}
