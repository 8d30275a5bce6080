// Tests of Sources/GovChainNode/Resources/web/govchain-verify.js against docs/vectors.
// Run from the repository root: node --test Tests/Web/
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  GENESIS_HASH_TAG,
  bytesToHex,
  computeGenesisHash,
  hexToBytes,
  ledgerKey,
  parseGenesis,
  sha256Hex,
  verifyReceipt,
  verifyStateProof,
} from '../../Sources/GovChainNode/Resources/web/govchain-verify.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, ROOT), 'utf8');
const VECTORS = 'docs/vectors/';
const CHECKS = ['format', 'genesis', 'header', 'commit', 'state_path', 'record', 'inclusion', 'transaction', 'validator_sets'];

/** A clock inside every validity window of the vectors (the parking permit: 2027-01-01 to 2028-01-01). */
const NOW = Date.parse('2027-06-01T00:00:00Z');

function tsv(path) {
  return read(path).trim().split('\n').map((line) => {
    const [file, verdict, detail] = line.split('\t');
    return { file, verdict, detail };
  });
}

const RECEIPT_ROWS = tsv(`${VECTORS}expected.tsv`);
const STATE_ROWS = tsv(`${VECTORS}expected-state.tsv`);
const VECTOR_GENESIS_TEXT = read(`${VECTORS}genesis.json`);

/** The genesis_hash every vector file carries (they agree; checked below). */
const CARRIED_HASH = JSON.parse(read(`${VECTORS}${STATE_ROWS[0].file}`)).genesis_hash;

/**
 * TRANSITION, remove once docs/vectors are regenerated with govchain/genesis/v3: the committed
 * vectors still carry the v2 fingerprint, so until then the verdict tests pin the genesis under
 * the v2 layout, and only after checking that this module computes exactly that v2 hash. Once
 * the vectors carry the v3 hash, `genesis` is returned unchanged. The frozen receipt in
 * docs/vectors/v1-headers/ is never regenerated, so it keeps needing this (see the report).
 */
async function pinnedAsTheVectorsCarryIt(genesis, carried) {
  if (genesis.genesisHash === carried) return genesis;
  const v2 = await computeGenesisHash(genesis, { tag: 'govchain/genesis/v2' });
  assert.equal(v2, carried, 'the vectors carry neither this tag\'s fingerprint nor the v2 one');
  return { ...genesis, genesisHash: v2 };
}

let cachedGenesis;
async function vectorGenesis() {
  cachedGenesis ??= pinnedAsTheVectorsCarryIt(await parseGenesis(VECTOR_GENESIS_TEXT), CARRIED_HASH);
  return cachedGenesis;
}

function assertValidResult(result, label) {
  assert.equal(result.ok, true, `${label}: ${result.reason}`);
}

function assertInvalid(result, label) {
  assert.equal(result.ok, false, `${label} should be invalid, got ${result.verdict}`);
  assert.equal(result.verdict, 'invalid', label);
  assert.ok(CHECKS.includes(result.check), `${label}: unknown check ${result.check}`);
  assert.equal(typeof result.reason, 'string', label);
  assert.ok(result.reason.length > 10, `${label}: reason ${result.reason}`);
}

function flipHexDigit(hex, index) {
  const digit = (parseInt(hex[index], 16) ^ 0x1).toString(16);
  return hex.slice(0, index) + digit + hex.slice(index + 1);
}

/** Canonical JSON as RECEIPTS.md describes it (for values from JSON.parse). */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const receiptFile = (value) => `${canonical(value)}\n`;

/** Deterministic pseudo-random numbers (xorshift32) for the fuzz tests. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

// -------------------------------------------------------------------------------------------
describe('helpers', () => {
  test('hex round trip and errors', () => {
    assert.deepEqual([...hexToBytes('00ff7aA0')], [0, 255, 122, 160]);
    assert.equal(bytesToHex(Uint8Array.of(0, 255, 10)), '00ff0a');
    assert.throws(() => hexToBytes('abc'), Error);
    assert.throws(() => hexToBytes('zz'), Error);
    assert.throws(() => hexToBytes(12), Error);
  });

  test('sha256Hex', async () => {
    assert.equal(await sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('ledgerKey: unsalted is the hash itself, salted is SHA-256(salt ‖ hash)', async () => {
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    assert.equal(await ledgerKey(hash), hash);
    assert.equal(await ledgerKey(hash.toUpperCase()), hash);
    const salt = '000102030405060708090a0b0c0d0e0f';
    const expected = await sha256Hex(new Uint8Array([...hexToBytes(salt), ...hexToBytes(hash)]));
    assert.equal(await ledgerKey(hash, salt), expected);
    await assert.rejects(ledgerKey(hash, '00'), Error);
    await assert.rejects(ledgerKey('00', salt), Error);
  });
});

// -------------------------------------------------------------------------------------------
describe('PROTOCOL.md test vector (Transaction)', () => {
  test('the documented anchor bytes, signature and transaction id agree with Web Crypto', async () => {
    // Clerk seed 04 × 32 as PKCS#8 (RFC 8410).
    const pkcs8 = new Uint8Array([...hexToBytes('302e020100300506032b657004220420'), ...new Uint8Array(32).fill(4)]);
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await crypto.subtle.exportKey('jwk', privateKey);
    const publicKey = bytesToHex(Buffer.from(jwk.x, 'base64url'));
    assert.equal(publicKey, 'ca93ac1705187071d67b83c7ff0efe8108e8ec4530575d7726879333dbdabe7c');
    const body = hexToBytes(
      `0103${publicKey}0000018bcfe568000000000000000001`
      + 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
      + '1162697274682d6365727469666963617465' + '0661616368656e' + '000000',
    );
    const shortText = (t) => [t.length, ...new TextEncoder().encode(t)];
    const message = new Uint8Array([...shortText('govchain/tx/v1'), ...shortText('test-chain'), ...body]);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, message));
    assert.equal(bytesToHex(signature),
      'df7732bd33cf91413bcff80a305bb36e24dabd3d42542da657a22cbc105b3647'
      + '0eaf65677919fb0077625bb0c2298a7a231ed3d5016ea355e72003f2df5e0b09');
    assert.equal(await sha256Hex(new Uint8Array([...body, ...signature])),
      '1a1adc83e4eb41e20a04724fb2f588a21b5f0bad67f29e00d4794fab1b4156fa');
  });
});

// -------------------------------------------------------------------------------------------
describe('genesis', () => {
  test('every vector file carries the same genesis_hash', () => {
    for (const { file } of [...RECEIPT_ROWS, ...STATE_ROWS]) {
      if (file === 'tampered-truncated.json') continue;
      const text = read(`${VECTORS}${file}`);
      const carried = text.match(/"genesis_hash":"([0-9a-f]{64})"/)[1];
      assert.equal(carried, CARRIED_HASH, file);
    }
  });

  test('the genesis hash under the v2 layout equals the vectors\' genesis_hash (the encoding is right)', async () => {
    const genesis = await parseGenesis(VECTOR_GENESIS_TEXT);
    assert.equal(await computeGenesisHash(genesis, { tag: 'govchain/genesis/v2' }), CARRIED_HASH);
  });

  test(`genesis hash with GENESIS_HASH_TAG (${GENESIS_HASH_TAG}) equals the vectors' genesis_hash`, async () => {
    const genesis = await parseGenesis(VECTOR_GENESIS_TEXT);
    assert.equal(genesis.genesisHash, CARRIED_HASH);
  });

  test('PLANNED v3 (tag govchain/genesis/v3, salted list per authority): the vectors\' genesis_hash is the v3 hash '
    + '[passes once docs/vectors are regenerated with v3 and GENESIS_HASH_TAG is switched to v3]', {
    skip: GENESIS_HASH_TAG === 'govchain/genesis/v3' ? false
      : 'GENESIS_HASH_TAG is govchain/genesis/v2, the layout PROTOCOL.md specifies since commit f44b767',
  }, async () => {
    const genesis = await parseGenesis(VECTOR_GENESIS_TEXT);
    assert.equal(await computeGenesisHash(genesis, { tag: 'govchain/genesis/v3' }), CARRIED_HASH);
  });

  test('Genesis/nrw-modellkommunen.json (salted types) has the genesis_hash stated in Genesis/README.md', async () => {
    const stated = read('Genesis/README.md').match(/`nrw-modellkommunen\.json`[^`]*?`genesis_hash` is\s+`([0-9a-f]{64})`/)[1];
    const genesis = await parseGenesis(read('Genesis/nrw-modellkommunen.json'));
    assert.ok(genesis.authorities.some((a) => a.saltedDocumentTypes.length > 0));
    assert.equal(genesis.genesisHash, stated);
  });

  test('the frozen v1-headers genesis hashes, under the v2 layout, to what its receipt carries', async () => {
    const genesis = await parseGenesis(read(`${VECTORS}v1-headers/genesis.json`));
    const receipt = JSON.parse(read(`${VECTORS}v1-headers/receipt-birth-certificate.json`));
    assert.equal(await computeGenesisHash(genesis, { tag: 'govchain/genesis/v2' }), receipt.genesis_hash);
  });

  test('the parsed vectors genesis has the documented shape', async () => {
    const g = await parseGenesis(VECTOR_GENESIS_TEXT);
    assert.equal(g.chainId, 'nrw-vectors-1');
    assert.equal(g.genesisTimeMs, Date.parse('2026-12-01T00:00:00Z'));
    assert.equal(g.validators.length, 5);
    assert.deepEqual(g.validators[3], {
      name: 'Soest', publicKey: '66cd608b928b88e50e0efeaa33faf1c43cefe07294b0b87e9fe0aba6a3cf7633', power: 1, peerAddress: '127.0.0.1:26603',
    });
    assert.equal(g.totalPower, 5);
    assert.match(g.validatorsHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(g.authorities[0].saltedDocumentTypes, []);
    assert.deepEqual(g.consensus, {
      maxBlockTxs: 5000, maxBlockBytes: 4194304, timeoutProposeMs: 1000, timeoutPrevoteMs: 500, timeoutPrecommitMs: 500,
      timeoutDeltaMs: 250, emptyBlockIntervalMs: 60000, maxClockDriftMs: 10000, txTimeWindowMs: 86400000,
    });
    // The validators hash is the one the vector headers carry (bytes 1 + 14 + 8 + 8 + 32·3 + 4 on).
    const header = JSON.parse(read(`${VECTORS}state-never-anchored.json`)).block_header;
    const offset = 2 * (1 + 14 + 8 + 8 + 96 + 4);
    assert.equal(header.slice(offset, offset + 64), g.validatorsHash);
  });

  test('Genesis/nrw-modellkommunen.json parses', async () => {
    const g = await parseGenesis(read('Genesis/nrw-modellkommunen.json'));
    assert.equal(g.chainId, 'nrw-modellkommunen-1');
    assert.equal(g.validators.length, 5);
    assert.equal(g.authorities.length, 5);
    assert.equal(g.consensus.txTimeWindowMs, 86400000);
    assert.deepEqual(g.authorities[0].documentTypes,
      ['birth-certificate', 'building-permit', 'business-registration', 'parking-permit', 'residence-confirmation']);
    assert.match(g.genesisHash, /^[0-9a-f]{64}$/);
  });

  test('defaults written out hash exactly as left out', async () => {
    const json = JSON.parse(VECTOR_GENESIS_TEXT);
    json.consensus = {
      max_block_txs: 5000, max_block_bytes: 4194304, timeout_propose_ms: 1000, timeout_prevote_ms: 500,
      timeout_precommit_ms: 500, timeout_delta_ms: 250, empty_block_interval_ms: 60000, max_clock_drift_ms: 10000,
      tx_time_window_ms: 86400000,
    };
    const a = await parseGenesis(VECTOR_GENESIS_TEXT);
    const b = await parseGenesis(JSON.stringify(json));
    assert.equal(b.genesisHash, a.genesisHash);
    json.consensus.tx_time_window_ms = 86400001;
    assert.notEqual((await parseGenesis(JSON.stringify(json))).genesisHash, a.genesisHash);
  });

  test('document types are deduplicated and sorted; file order of lists matters', async () => {
    const base = await parseGenesis(VECTOR_GENESIS_TEXT);
    const json = JSON.parse(VECTOR_GENESIS_TEXT);
    json.authorities[0].document_types = ['parking-permit', 'birth-certificate', 'building-permit', 'birth-certificate'];
    assert.equal((await parseGenesis(JSON.stringify(json))).genesisHash, base.genesisHash);
    const swapped = JSON.parse(VECTOR_GENESIS_TEXT);
    swapped.validators.reverse();
    assert.notEqual((await parseGenesis(JSON.stringify(swapped))).genesisHash, base.genesisHash);
  });

  test('salted_document_types: optional, deduplicated, sorted, a subset of document_types', async () => {
    const json = JSON.parse(VECTOR_GENESIS_TEXT);
    json.authorities[1].salted_document_types = ['parking-permit', 'birth-certificate', 'parking-permit'];
    const salted = await parseGenesis(JSON.stringify(json));
    assert.deepEqual(salted.authorities[1].saltedDocumentTypes, ['birth-certificate', 'parking-permit']);
    assert.deepEqual(salted.authorities[0].saltedDocumentTypes, []);
    json.authorities[1].salted_document_types = ['birth-certificate', 'parking-permit'];
    assert.equal((await parseGenesis(JSON.stringify(json))).genesisHash, salted.genesisHash);
    json.authorities[1].salted_document_types = ['marriage-certificate'];
    await assert.rejects(parseGenesis(JSON.stringify(json)), /salted_document_types/);
    json.authorities[1].salted_document_types = 'parking-permit';
    await assert.rejects(parseGenesis(JSON.stringify(json)), /salted_document_types/);
  });

  test('v2 layout: the salted trailer only when some authority has salted types; v3 layout: always per authority', async () => {
    const base = await parseGenesis(VECTOR_GENESIS_TEXT);
    const json = JSON.parse(VECTOR_GENESIS_TEXT);
    json.authorities.forEach((a) => { a.salted_document_types = []; });
    const emptyLists = await parseGenesis(JSON.stringify(json));
    json.authorities[1].salted_document_types = ['parking-permit'];
    const salted = await parseGenesis(JSON.stringify(json));
    const v2 = (g) => computeGenesisHash(g, { tag: 'govchain/genesis/v2' });
    const v3 = (g) => computeGenesisHash(g, { tag: 'govchain/genesis/v3' });
    assert.equal(await v2(emptyLists), await v2(base)); // no trailer: hashes as before salted types existed
    assert.notEqual(await v2(salted), await v2(base));
    assert.equal(await v3(emptyLists), await v3(base));
    assert.notEqual(await v3(salted), await v3(base));
    assert.notEqual(await v3(base), await v2(base));
    await assert.rejects(computeGenesisHash(base, { tag: 'govchain/genesis/v9' }), /unknown genesis hash tag/);
  });

  test('both layouts byte by byte, re-encoded here from PROTOCOL.md for a small genesis', async () => {
    const json = {
      chain_id: 'c', genesis_time: '1970-01-01T00:00:00.001Z',
      validators: [{ name: 'V', public_key: '5c9c6df261c9cb840475776aaefcd944b405328fab28f9b3a95ef40490d3de84', peer_address: 'h:1', power: 1 }],
      authorities: [
        { id: 'a', name: 'A', public_key: '4ed32f63bf35f0eeefcb25f28a2e1fbdc873ae2835671b0c9460f5f12e4556a8', document_types: ['y', 'x'], salted_document_types: ['y'] },
        { id: 'b', name: 'B', public_key: '884b8857f4eaa1613c61504db34d4beaf346517a0e31de3cddd4d9b4201d9d0b', document_types: ['x'] },
      ],
    };
    const g = await parseGenesis(JSON.stringify(json));
    const s = (t) => `${t.length.toString(16).padStart(2, '0')}${Buffer.from(t).toString('hex')}`;
    const u = (n, bytes) => BigInt(n).toString(16).padStart(2 * bytes, '0');
    const consensus = [u(5000, 4), u(4194304, 4), ...[1000, 500, 500, 250, 60000, 10000, 86400000].map((n) => u(n, 8))].join('');
    const head = (tag) => s(tag) + s('c') + u(1, 8) + consensus + u(1, 2) + s('V') + json.validators[0].public_key + s('h:1') + u(1, 8);
    const authorityA = s('a') + s('A') + json.authorities[0].public_key + u(2, 2) + s('x') + s('y');
    const authorityB = s('b') + s('B') + json.authorities[1].public_key + u(1, 2) + s('x');
    const v2 = head('govchain/genesis/v2') + u(2, 2) + authorityA + authorityB + u(0, 2) + u(1, 2) + s('a') + u(1, 2) + s('y');
    const v3 = head('govchain/genesis/v3') + u(2, 2) + authorityA + u(1, 2) + s('y') + authorityB + u(0, 2) + u(0, 2);
    assert.equal(await computeGenesisHash(g, { tag: 'govchain/genesis/v2' }), await sha256Hex(hexToBytes(v2)));
    assert.equal(await computeGenesisHash(g, { tag: 'govchain/genesis/v3' }), await sha256Hex(hexToBytes(v3)));
  });

  test('genesis_time: offsets converted, fractions cut, not before 1970, upper-case T and Z', async () => {
    const at = async (time) => {
      const json = JSON.parse(VECTOR_GENESIS_TEXT);
      json.genesis_time = time;
      return (await parseGenesis(JSON.stringify(json))).genesisTimeMs;
    };
    assert.equal(await at('2026-12-01T02:00:00.1239+02:00'), Date.parse('2026-12-01T00:00:00.123Z'));
    assert.equal(await at('2024-02-29T23:59:59.9999Z'), Date.parse('2024-02-29T23:59:59.999Z'));
    assert.equal(await at('1970-01-01T00:00:00Z'), 0);
    for (const bad of ['1969-12-31T23:59:59Z', '2026-12-01t00:00:00Z', '2026-12-01T00:00:00z', '2026-12-01 00:00:00Z',
      '2026-02-29T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T00:00:00', '1970-01-01T00:30:00+01:00']) {
      await assert.rejects(at(bad), /genesis_time/, bad);
    }
  });

  test('invalid genesis files are refused with the field named', async () => {
    const cases = [
      [(j) => { j.validators[2].public_key = 'abc'; }, /validators\[2\]\.public_key: must be 64 hex characters/],
      [(j) => { j.validators[0].power = 0; }, /validators\[0\]\.power/],
      [(j) => { j.validators[0].power = 1.5; }, /validators\[0\]\.power/],
      [(j) => { j.validators[1].name = 'Aachen'; }, /validators\[1\]\.name: must be unique/],
      [(j) => { j.validators = []; }, /validators/],
      [(j) => { j.validators[0].peer_address = 'no-port'; }, /peer_address/],
      [(j) => { j.chain_id = 'Upper'; }, /chain_id/],
      [(j) => { j.authorities[1].id = 'aachen'; }, /authorities\[1\]\.id: must be unique/],
      [(j) => { j.authorities[0].document_types = []; }, /document_types/],
      [(j) => { j.initial_clerks[0].authority = 'koeln'; }, /initial_clerks\[0\]\.authority/],
      [(j) => { j.initial_clerks[0].document_types = ['marriage-certificate']; }, /initial_clerks\[0\]\.document_types/],
      [(j) => { j.consensus.max_block_txs = 0; }, /consensus\.max_block_txs/],
      [(j) => { j.consensus.surprise = 1; }, /consensus\.surprise/],
      [(j) => { j.admin = true; }, /admin/],
      [(j) => { delete j.chain_id; }, /chain_id/],
    ];
    for (const [mutate, pattern] of cases) {
      const json = JSON.parse(VECTOR_GENESIS_TEXT);
      mutate(json);
      await assert.rejects(parseGenesis(JSON.stringify(json)), pattern, pattern.source);
    }
    await assert.rejects(parseGenesis('{"chain_id": "a", "chain_id": "b"}'), /duplicate/);
    await assert.rejects(parseGenesis('{'), /not valid JSON/);
  });

  test('power up to 2^60 / 100 is exact (beyond 2^53)', async () => {
    const json = JSON.parse(VECTOR_GENESIS_TEXT);
    const text = JSON.stringify(json).replace('"power":1,', '"power":11529215046068469,');
    const g = await parseGenesis(text);
    assert.equal(g.validators[0].power, 11529215046068469n);
    assert.equal(g.totalPower, 11529215046068473n);
    await assert.rejects(parseGenesis(JSON.stringify(json).replace('"power":1,', '"power":11529215046068470,')), /power/);
  });
});

// -------------------------------------------------------------------------------------------
describe('small-order keys (PROTOCOL.md, Conventions)', () => {
  const P = 2n ** 255n - 19n;
  const mod = (a) => ((a % P) + P) % P;
  const pow = (b, e) => {
    let r = 1n;
    b = mod(b);
    for (; e > 0n; e >>= 1n, b = mod(b * b)) if (e & 1n) r = mod(r * b);
    return r;
  };
  const inv = (a) => pow(a, P - 2n);
  const D = mod(-121665n * inv(121666n));
  const SQRT_M1 = pow(2n, (P - 1n) / 4n);
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;

  function recoverX(y) { // RFC 8032 §5.1.3
    const u = mod(y * y - 1n);
    const v = mod(D * y * y + 1n);
    let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
    if (mod(v * x * x) !== u) x = mod(x * SQRT_M1);
    return mod(v * x * x) === u ? x : null;
  }
  function add([x1, y1], [x2, y2]) {
    const t = mod(D * x1 * x2 * y1 * y2);
    return [mod((x1 * y2 + y1 * x2) * inv(1n + t)), mod((y1 * y2 + x1 * x2) * inv(1n - t))];
  }
  function multiply(point, k) {
    let result = [0n, 1n];
    for (let addend = point; k > 0n; k >>= 1n, addend = add(addend, addend)) if (k & 1n) result = add(result, addend);
    return result;
  }
  function encode(y, signBit) {
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = Number((y >> BigInt(8 * i)) & 0xffn);
    bytes[31] |= signBit << 7;
    return bytesToHex(bytes);
  }

  test('every encoding of the eight torsion points is refused; an ordinary key is not', async () => {
    let torsion = null;
    for (let y = 3n; !torsion; y++) { // [L]P lies in the torsion group; it generates it when of order 8
      const x = recoverX(y);
      if (x === null) continue;
      const t = multiply([x, y], L);
      if (multiply(t, 4n)[1] !== 1n) torsion = t;
    }
    const points = Array.from({ length: 8 }, (_, k) => multiply(torsion, BigInt(k)));
    assert.equal(new Set(points.map(([x, y]) => `${x},${y}`)).size, 8);
    const encodings = new Set();
    for (const [, y] of points) {
      for (const value of [y, y + P]) {
        if (value >= 2n ** 255n) continue;
        encodings.add(encode(value, 0));
        encodings.add(encode(value, 1));
      }
    }
    assert.equal(encodings.size, 14);
    for (const key of encodings) {
      const json = JSON.parse(VECTOR_GENESIS_TEXT);
      json.validators[0].public_key = key;
      await assert.rejects(parseGenesis(JSON.stringify(json)), /small order/, key);
    }
    await parseGenesis(VECTOR_GENESIS_TEXT);
  });
});

// -------------------------------------------------------------------------------------------
describe('docs/vectors/expected.tsv (version 1 receipts)', () => {
  const expectedCheck = {
    'tampered-wrong-chain.json': 'genesis',
    'tampered-bad-commit-signature.json': 'commit',
    'tampered-bad-proof.json': 'inclusion',
    'tampered-other-document.json': 'transaction',
    'tampered-clerk-not-authorised.json': 'transaction',
    'tampered-truncated.json': 'format',
    'tampered-not-canonical.json': 'format',
  };
  for (const row of RECEIPT_ROWS) {
    test(`${row.file}: ${row.verdict}`, async () => {
      const result = await verifyReceipt(read(`${VECTORS}${row.file}`), await vectorGenesis(), { nowMs: NOW });
      assert.equal(result.verdict, row.verdict, result.reason);
      if (row.verdict === 'invalid') {
        assertInvalid(result, row.file);
        assert.equal(result.check, expectedCheck[row.file], result.reason);
      } else {
        assert.equal(result.receiptVersion, 1);
      }
    });
  }

  test('receipt-birth-certificate.json: genesis clerk of Aachen, block 2 signed by 4 of 5', async () => {
    const r = await verifyReceipt(read(`${VECTORS}receipt-birth-certificate.json`), await vectorGenesis(), { nowMs: NOW });
    assertValidResult(r, 'birth certificate');
    assert.deepEqual(r.signers, ['Aachen', 'Gelsenkirchen', 'Paderborn', 'Soest']);
    assert.equal(r.signedPower, 4);
    assert.equal(r.totalPower, 5);
    assert.equal(r.height, 2);
    assert.equal(r.kind, 'document');
    assert.equal(r.stale, false);
    assert.equal(r.authorityName, 'Stadt Aachen');
    assert.deepEqual(r.clerkAuthorisation, { kind: 'genesis' });
    assert.equal(r.subject, await sha256Hex(new TextEncoder().encode('Geburtsurkunde Nr. 1/2026, Standesamt Aachen')));
    assert.equal(r.record.documentType, 'birth-certificate');
    assert.equal(r.record.authority, 'aachen');
    assert.equal(r.record.anchoredHeight, 2);
    assert.equal(r.record.anchoredTimeMs, r.blockTimeMs);
    assert.deepEqual(r.record.status, { kind: 'valid' });
  });

  test('receipt-parking-permit.json: registered by Soest in block 1, window 2027-01-01 to 2028-01-01', async () => {
    const text = read(`${VECTORS}receipt-parking-permit.json`);
    const genesis = await vectorGenesis();
    const r = await verifyReceipt(text, genesis, { nowMs: NOW });
    assertValidResult(r, 'parking permit');
    assert.equal(r.clerkAuthorisation.kind, 'registration');
    assert.equal(r.clerkAuthorisation.height, 1);
    assert.equal(r.authorityName, 'Stadt Soest');
    assert.equal(r.subject, await sha256Hex(new TextEncoder().encode('Bewohnerparkausweis Soest 2027')));
    assert.equal(r.record.validFromMs, Date.parse('2027-01-01T00:00:00Z'));
    assert.equal(r.record.validUntilMs, Date.parse('2028-01-01T00:00:00Z'));
    // The validity window against the verifier's clock (RECEIPTS.md: expired when now ≥ validUntil,
    // not yet valid when now < validFrom; the node's DocumentResponse decides the same way).
    const at = async (iso) => (await verifyReceipt(text, genesis, { nowMs: Date.parse(iso) })).verdict;
    assert.equal(await at('2026-12-15T00:00:00Z'), 'not_yet_valid');
    assert.equal(await at('2026-12-31T23:59:59.999Z'), 'not_yet_valid');
    assert.equal(await at('2027-01-01T00:00:00Z'), 'valid');
    assert.equal(await at('2027-12-31T23:59:59.999Z'), 'valid');
    assert.equal(await at('2028-01-01T00:00:00Z'), 'expired');
  });

  test('the document file given: its SHA-256 must be the receipt\'s document', async () => {
    const text = read(`${VECTORS}receipt-birth-certificate.json`);
    const genesis = await vectorGenesis();
    const good = await sha256Hex(new TextEncoder().encode('Geburtsurkunde Nr. 1/2026, Standesamt Aachen'));
    assert.equal((await verifyReceipt(text, genesis, { nowMs: NOW, documentHash: good })).verdict, 'valid');
    assertInvalid(await verifyReceipt(text, genesis, { nowMs: NOW, documentHash: flipHexDigit(good, 0) }), 'other document');
  });

  test('v1-headers/receipt-birth-certificate.json (header version 1) keeps verifying', async () => {
    const genesis = await parseGenesis(read(`${VECTORS}v1-headers/genesis.json`));
    const text = read(`${VECTORS}v1-headers/receipt-birth-certificate.json`);
    const pinned = await pinnedAsTheVectorsCarryIt(genesis, JSON.parse(text).genesis_hash);
    const r = await verifyReceipt(text, pinned, { nowMs: NOW });
    assertValidResult(r, 'v1 header receipt');
    assert.equal(r.verdict, 'valid');
    assert.equal(r.height, 2);
    // The v1-headers genesis differs from the vectors' (empty_block_interval_ms 0), so the v1 receipt
    // does not verify against the vectors' genesis.
    assertInvalid(await verifyReceipt(text, await vectorGenesis(), { nowMs: NOW }), 'other genesis');
  });
});

// -------------------------------------------------------------------------------------------
describe('docs/vectors/expected-state.tsv (version 2 state proofs)', () => {
  const expectedCheck = {
    'tampered-state-revoked-shown-valid.json': 'record',
    'tampered-state-revocation-dropped.json': 'state_path',
    'tampered-state-other-documents-record.json': 'record',
    'tampered-state-bad-sibling.json': 'state_path',
    'tampered-state-bad-commit-signature.json': 'commit',
    'tampered-state-other-chain.json': 'genesis',
    'tampered-state-unknown-field.json': 'format',
  };
  for (const row of STATE_ROWS) {
    test(`${row.file}: ${row.verdict}`, async () => {
      const text = read(`${VECTORS}${row.file}`);
      const genesis = await vectorGenesis();
      const fromFile = await verifyReceipt(text, genesis, { nowMs: NOW });
      const online = await verifyStateProof(JSON.parse(text), genesis, { nowMs: NOW, maxAgeMs: null });
      for (const result of [fromFile, online]) {
        assert.equal(result.verdict, row.verdict, result.reason);
        if (row.verdict === 'invalid') {
          assertInvalid(result, row.file);
          assert.equal(result.check, expectedCheck[row.file], result.reason);
        } else {
          assert.equal(result.subject, row.detail);
          assert.equal(result.receiptVersion, 2);
          assert.equal(result.kind, 'document');
        }
      }
      if (row.verdict !== 'invalid') assert.deepEqual(online, fromFile);
    });
  }

  test('the records decode as the RECEIPTS.md table says', async () => {
    const genesis = await vectorGenesis();
    const check = (file) => verifyReceipt(read(`${VECTORS}${file}`), genesis, { nowMs: NOW });
    const newPermit = await sha256Hex(new TextEncoder().encode('Bewohnerparkausweis Soest 2028'));
    const oldPermit = await sha256Hex(new TextEncoder().encode('Bewohnerparkausweis Soest 2027'));

    const at2 = await check('state-birth-certificate-at-2.json');
    assert.equal(at2.height, 2);
    assert.deepEqual(at2.record.status, { kind: 'valid' });

    const revoked = await check('state-birth-certificate-revoked.json');
    assert.equal(revoked.height, 3);
    assert.equal(revoked.record.status.kind, 'revoked');
    assert.equal(revoked.record.status.reason, 'issued-in-error');
    assert.equal(revoked.record.status.reasonCode, 4);
    assert.equal(revoked.record.status.height, 3);
    assert.equal(revoked.record.status.clerk, revoked.record.clerk);
    assert.equal(revoked.record.anchorTx, at2.record.anchorTx);
    assert.equal(revoked.authorityName, 'Stadt Aachen');
    assert.deepEqual(revoked.signers.length >= 4, true);

    // Four eyes: a version-2 record names the co-signer; a version-1 record has none.
    const cosigned = await check('state-cosigned-birth-certificate.json');
    assert.equal(cosigned.verdict, 'valid');
    assert.equal(cosigned.height, 4);
    assert.equal(cosigned.record.clerk, at2.record.clerk);
    assert.match(String(cosigned.record.cosigner), /^[0-9a-f]{64}$/);
    assert.notEqual(cosigned.record.cosigner, cosigned.record.clerk);
    assert.equal(at2.record.cosigner, null);

    const superseded = await check('state-parking-permit-superseded.json');
    assert.equal(superseded.subject, oldPermit);
    assert.equal(superseded.record.status.kind, 'superseded');
    assert.equal(superseded.record.status.newDocument, newPermit);
    assert.equal(superseded.record.validFromMs, Date.parse('2027-01-01T00:00:00Z'));

    const anchoredBySupersession = await check('state-new-parking-permit.json');
    assert.equal(anchoredBySupersession.subject, newPermit);
    assert.equal(anchoredBySupersession.record.supersedes, oldPermit);
    assert.equal(anchoredBySupersession.record.anchorTx, superseded.record.status.tx);
    assert.equal(anchoredBySupersession.record.documentType, 'parking-permit');

    const never = await check('state-never-anchored.json');
    assert.equal(never.subject, await sha256Hex(new TextEncoder().encode('Nie verankert')));
    assert.equal(never.record, null);
    assert.equal(never.authorityName, null);
  });

  test('status wins over the validity window; the window applies to a valid record', async () => {
    const genesis = await vectorGenesis();
    const superseded = read(`${VECTORS}state-parking-permit-superseded.json`);
    for (const iso of ['2026-12-02T00:00:00Z', '2027-06-01T00:00:00Z', '2029-01-01T00:00:00Z']) {
      assert.equal((await verifyReceipt(superseded, genesis, { nowMs: Date.parse(iso) })).verdict, 'superseded');
    }
  });

  test('freshness: verifyStateProof defaults to 5 minutes, receipts and file:true to none', async () => {
    const genesis = await vectorGenesis();
    const text = read(`${VECTORS}state-birth-certificate-revoked.json`);
    const first = await verifyReceipt(text, genesis, { nowMs: NOW });
    const block = first.blockTimeMs;
    const fresh = await verifyStateProof(JSON.parse(text), genesis, { nowMs: block + 300000 });
    assert.equal(fresh.stale, false);
    const stale = await verifyStateProof(JSON.parse(text), genesis, { nowMs: block + 300001 });
    assert.equal(stale.ok, true);
    assert.equal(stale.stale, true);
    assert.equal(stale.verdict, 'revoked');
    assert.equal((await verifyStateProof(JSON.parse(text), genesis, { nowMs: block + 1e9, maxAgeMs: null })).stale, false);
    assert.equal((await verifyStateProof(JSON.parse(text), genesis, { nowMs: block + 1e9, file: true })).stale, false);
    assert.equal((await verifyReceipt(text, genesis, { nowMs: block + 1e9 })).stale, false);
    assert.equal((await verifyReceipt(text, genesis, { nowMs: block + 61000, maxAgeMs: 60000 })).stale, true);
  });
});

// -------------------------------------------------------------------------------------------
describe('mutations must all be invalid', () => {
  const STATE_FILE = `${VECTORS}state-birth-certificate-revoked.json`;
  const ABSENT_FILE = `${VECTORS}state-never-anchored.json`;
  const V1_FILE = `${VECTORS}receipt-parking-permit.json`;

  const stateProof = () => JSON.parse(read(STATE_FILE));
  const checkState = async (proof) => verifyStateProof(proof, await vectorGenesis(), { nowMs: NOW, maxAgeMs: null });
  const checkV1 = async (value) => verifyReceipt(receiptFile(value), await vectorGenesis(), { nowMs: NOW });

  test('the unmutated inputs are valid (so that the mutations are what fails)', async () => {
    assert.equal((await checkState(stateProof())).verdict, 'revoked');
    assert.equal((await verifyStateProof(JSON.parse(read(ABSENT_FILE)), await vectorGenesis(), { nowMs: NOW, maxAgeMs: null })).verdict, 'unknown');
    assert.equal((await checkV1(JSON.parse(read(V1_FILE)))).verdict, 'valid');
  });

  test('one hex digit of each commit signature', async () => {
    const commit = stateProof().commit;
    const count = parseInt(commit.slice(2 * 44, 2 * 46), 16);
    assert.ok(count >= 4);
    for (let i = 0; i < count; i++) {
      const signatureStart = 2 * (46 + i * 66 + 2);
      for (const offset of [0, 63, 127]) {
        const proof = stateProof();
        proof.commit = flipHexDigit(proof.commit, signatureStart + offset);
        const result = await checkState(proof);
        assertInvalid(result, `signature ${i} digit ${offset}`);
        assert.equal(result.check, 'commit');
      }
    }
  });

  test('one hex digit of each sibling, of the leaf, and of the subject', async () => {
    const siblings = stateProof().state_proof.siblings;
    for (let s = 0; s < siblings.length; s++) {
      for (const digit of [0, 31, 63]) {
        const proof = stateProof();
        proof.state_proof.siblings[s] = flipHexDigit(proof.state_proof.siblings[s], digit);
        const result = await checkState(proof);
        assertInvalid(result, `sibling ${s}`);
        assert.equal(result.check, 'state_path');
      }
    }
    for (const field of ['key', 'value_hash']) {
      const proof = stateProof();
      proof.state_proof.leaf[field] = flipHexDigit(proof.state_proof.leaf[field], 5);
      assertInvalid(await checkState(proof), `leaf ${field}`);
    }
    const proof = stateProof();
    proof.subject = flipHexDigit(proof.subject, 10);
    assertInvalid(await checkState(proof), 'subject');
  });

  test('every hex digit of the record', async () => {
    const record = stateProof().record;
    for (let i = 0; i < record.length; i++) {
      const proof = stateProof();
      proof.record = flipHexDigit(record, i);
      const result = await checkState(proof);
      assertInvalid(result, `record digit ${i}`);
      assert.equal(result.check, 'record');
    }
  });

  test('every hex digit of the block header', async () => {
    const header = stateProof().block_header;
    for (let i = 0; i < header.length; i++) {
      const proof = stateProof();
      proof.block_header = flipHexDigit(header, i);
      assertInvalid(await checkState(proof), `header digit ${i}`);
    }
  });

  test('the height', async () => {
    for (const height of [2, 4, 0, -1, 3.5, '3', 2 ** 60, null]) {
      const proof = stateProof();
      proof.height = height;
      assertInvalid(await checkState(proof), `height ${height}`);
    }
    const text = read(STATE_FILE);
    for (const height of ['18446744073709551616', '18446744073709551619', '9007199254740993', '3.0', '03', '-3']) {
      const result = await verifyReceipt(text.replace('"height":3', `"height":${height}`), await vectorGenesis(), { nowMs: NOW });
      assertInvalid(result, `height ${height}`);
    }
  });

  test('each field removed', async () => {
    for (const field of Object.keys(stateProof())) {
      const proof = stateProof();
      delete proof[field];
      assertInvalid(await checkState(proof), `without ${field}`);
    }
    for (const field of ['siblings', 'leaf']) {
      const proof = stateProof();
      delete proof.state_proof[field];
      assertInvalid(await checkState(proof), `without state_proof.${field}`);
    }
    for (const field of ['key', 'value_hash']) {
      const proof = stateProof();
      delete proof.state_proof.leaf[field];
      assertInvalid(await checkState(proof), `without leaf.${field}`);
    }
    const absent = JSON.parse(read(ABSENT_FILE));
    absent.record = stateProof().record;
    assertInvalid(await checkState(absent), 'record added to an absence proof');
  });

  test('an unknown field, anywhere', async () => {
    const places = [(p) => p, (p) => p.state_proof, (p) => p.state_proof.leaf];
    for (const place of places) {
      const proof = stateProof();
      place(proof).admin = true;
      const result = await checkState(proof);
      assertInvalid(result, 'unknown field');
      assert.equal(result.check, 'format');
    }
  });

  test('wrong types, bad hex, truncated bytes, lengths', async () => {
    const mutations = [
      (p) => { p.version = 1; },
      (p) => { p.version = '2'; },
      (p) => { p.kind = 'clerk'; },
      (p) => { p.kind = 'person'; },
      (p) => { p.chain_id = 7; },
      (p) => { p.genesis_hash = p.genesis_hash.toUpperCase(); },
      (p) => { p.subject = p.subject.slice(0, 62); },
      (p) => { p.subject = `${p.subject}00`; },
      (p) => { p.record = `${p.record}0`; },
      (p) => { p.record = `${p.record}00`; },
      (p) => { p.record = p.record.slice(0, -2); },
      (p) => { p.record = 'zz'; },
      (p) => { p.record = ''; },
      (p) => { p.record = null; },
      (p) => { p.block_header = p.block_header.slice(0, -2); },
      (p) => { p.block_header = `${p.block_header}00`; },
      (p) => { p.block_header = `01${p.block_header.slice(2)}`; },
      (p) => { p.block_header = `03${p.block_header.slice(2)}`; },
      (p) => { p.commit = p.commit.slice(0, -2); },
      (p) => { p.commit = `${p.commit}00`; },
      (p) => { p.commit = p.commit.slice(0, 92); },
      (p) => { p.commit = ''; },
      (p) => { p.state_proof = []; },
      (p) => { p.state_proof.siblings = 'x'; },
      (p) => { p.state_proof.siblings.push(p.state_proof.siblings[0]); },
      (p) => { p.state_proof.siblings.pop(); },
      (p) => { p.state_proof.siblings = Array(257).fill(p.state_proof.siblings[0]); },
      (p) => { p.state_proof.siblings[0] = 12; },
      (p) => { p.state_proof.leaf = null; },
      (p) => { p.state_proof.leaf.key = p.state_proof.leaf.key.slice(2); },
    ];
    for (const [i, mutate] of mutations.entries()) {
      const proof = stateProof();
      mutate(proof);
      assertInvalid(await checkState(proof), `mutation ${i}: ${mutate}`);
    }
    for (const proof of [null, undefined, 42, 'text', [], {}, { version: 2 }]) {
      assertInvalid(await checkState(proof), `proof ${JSON.stringify(proof)}`);
    }
    assertInvalid(await verifyStateProof(stateProof(), null), 'no genesis');
    assertInvalid(await verifyStateProof(stateProof(), { chainId: 'x' }), 'not a genesis');
    assertInvalid(await verifyStateProof(stateProof(), await vectorGenesis(), { nowMs: 'now' }), 'bad nowMs');
  });

  test('version 1: commit signatures, proof, transaction, tx_index, fields', async () => {
    const base = () => JSON.parse(read(V1_FILE));
    const mutations = [
      (r) => { r.anchor.commit = flipHexDigit(r.anchor.commit, 2 * 48 + 10); },
      (r) => { r.clerk_authorisation.registration.commit = flipHexDigit(r.clerk_authorisation.registration.commit, 2 * 48 + 10); },
      (r) => { r.anchor.proof[0] = flipHexDigit(r.anchor.proof[0], 7); },
      (r) => { r.anchor.proof.push(r.anchor.proof[0]); },
      (r) => { r.anchor.proof = []; },
      (r) => { r.anchor.tx_index = 0; },
      (r) => { r.anchor.tx_index = 2; },
      (r) => { r.clerk_authorisation.registration.tx_index = 1; },
      (r) => { r.document = flipHexDigit(r.document, 0); },
      (r) => { r.genesis_hash = flipHexDigit(r.genesis_hash, 0); },
      (r) => { r.version = 3; },
      (r) => { r.clerk_authorisation = { kind: 'genesis' }; },
      (r) => { r.clerk_authorisation.kind = 'other'; },
      (r) => { r.clerk_authorisation.extra = 1; },
      (r) => { r.anchor.extra = 1; },
      (r) => { r.admin = true; },
      (r) => { delete r.anchor; },
      (r) => { delete r.anchor.tx_index; },
      (r) => { delete r.clerk_authorisation.registration; },
      (r) => { r.anchor.transaction = r.anchor.transaction.slice(0, -2); },
      (r) => { [r.anchor, r.clerk_authorisation.registration] = [r.clerk_authorisation.registration, r.anchor]; },
    ];
    for (const [i, mutate] of mutations.entries()) {
      const receipt = base();
      mutate(receipt);
      assertInvalid(await checkV1(receipt), `v1 mutation ${i}: ${mutate}`);
    }
    const transaction = base().anchor.transaction;
    for (let i = 0; i < transaction.length; i++) {
      const receipt = base();
      receipt.anchor.transaction = flipHexDigit(transaction, i);
      assertInvalid(await checkV1(receipt), `transaction digit ${i}`);
    }
  });

  test('any changed character of a receipt file is detected (RECEIPTS.md, File format)', async () => {
    const genesis = await vectorGenesis();
    const next = random(20261201);
    const alphabet = '0123456789abcdefABCDEF{}[]":, \n-_zx';
    for (const file of [V1_FILE, STATE_FILE, ABSENT_FILE]) {
      const text = read(file);
      for (let n = 0; n < 150; n++) {
        const i = next(text.length);
        let c = alphabet[next(alphabet.length)];
        if (c === text[i]) c = text[i] === '0' ? '1' : '0';
        const mutated = text.slice(0, i) + c + text.slice(i + 1);
        assertInvalid(await verifyReceipt(mutated, genesis, { nowMs: NOW }), `${file} char ${i} -> ${JSON.stringify(c)}`);
      }
      for (let n = 0; n < 20; n++) {
        const cut = next(text.length);
        assertInvalid(await verifyReceipt(text.slice(0, cut), genesis, { nowMs: NOW }), `${file} cut at ${cut}`);
      }
      assertInvalid(await verifyReceipt(`\ufeff${text}`, genesis, { nowMs: NOW }), 'BOM');
      assertInvalid(await verifyReceipt(`${text}\n`, genesis, { nowMs: NOW }), 'two newlines');
      assertInvalid(await verifyReceipt(text.trimEnd(), genesis, { nowMs: NOW }), 'no newline');
      const bytes = new TextEncoder().encode(text);
      assert.equal((await verifyReceipt(bytes, genesis, { nowMs: NOW })).ok, true, 'bytes are accepted like text');
    }
  });

  test('garbage never throws', async () => {
    const genesis = await vectorGenesis();
    const inputs = [undefined, null, 1, {}, [], '', '\n', '{}\n', '{"version":1}\n', '{"version":2}\n', '[1,2]\n',
      '{"version":18446744073709551617}\n', `${'['.repeat(10000)}`, Uint8Array.of(0xff, 0xfe), new ArrayBuffer(3)];
    for (const input of inputs) {
      const result = await verifyReceipt(input, genesis);
      assertInvalid(result, `input ${String(input).slice(0, 20)}`);
    }
    const next = random(7);
    for (let n = 0; n < 200; n++) {
      const proof = stateProof();
      const fields = ['record', 'block_header', 'commit'];
      const field = fields[next(fields.length)];
      const bytes = hexToBytes(proof[field]);
      const cut = next(bytes.length + 1);
      const junk = Array.from({ length: next(40) }, () => next(256));
      proof[field] = bytesToHex(new Uint8Array([...bytes.slice(0, cut), ...junk]));
      const result = await checkState(proof);
      if (result.ok) assert.equal(cut + junk.length, bytes.length, 'only an unchanged value may verify');
    }
  });
});

// -------------------------------------------------------------------------------------------
describe('commit quorum and order (PROTOCOL.md, Commit)', () => {
  const proof = () => JSON.parse(read(`${VECTORS}state-birth-certificate-revoked.json`));
  const check = async (p) => verifyStateProof(p, await vectorGenesis(), { nowMs: NOW, maxAgeMs: null });
  /** Rewrites the commit's signature list (entries of u16 index ‖ sig, as hex). */
  function withEntries(p, rewrite) {
    const head = p.commit.slice(0, 88);
    const count = parseInt(p.commit.slice(88, 92), 16);
    const entries = Array.from({ length: count }, (_, i) => p.commit.slice(92 + 132 * i, 92 + 132 * (i + 1)));
    const next = rewrite(entries);
    p.commit = head + next.length.toString(16).padStart(4, '0') + next.join('');
    return p;
  }

  test('4 of 5 signatures are enough, 3 of 5 are not', async () => {
    const four = await check(withEntries(proof(), (e) => e));
    assert.equal(four.verdict, 'revoked');
    assert.equal(four.signedPower, 4);
    for (const drop of [0, 1, 2, 3]) {
      const result = await check(withEntries(proof(), (e) => e.filter((_, i) => i !== drop)));
      assertInvalid(result, `without signature ${drop}`);
      assert.equal(result.check, 'commit');
      assert.match(result.reason, /two thirds/);
    }
    assertInvalid(await check(withEntries(proof(), () => [])), 'no signatures');
  });

  test('indices must be strictly increasing and known', async () => {
    assertInvalid(await check(withEntries(proof(), (e) => [e[1], e[0], e[2], e[3]])), 'swapped');
    assertInvalid(await check(withEntries(proof(), (e) => [e[0], e[0], e[1], e[2], e[3]])), 'duplicate');
    assertInvalid(await check(withEntries(proof(), (e) => [...e, `0005${e[0].slice(4)}`])), 'index 5 of 5 validators');
  });
});

// -------------------------------------------------------------------------------------------
// A hand-made chain: one validator whose key this test holds, so that a test can sign any
// header, commit or transaction and show that a check other than a signature refuses it.
// The encodings follow PROTOCOL.md; none of this is taken from the module under test.

const enc = new TextEncoder();
const cat = (...parts) => new Uint8Array(parts.flatMap((p) => [...p]));
const short = (bytes) => cat([bytes.length], bytes);
const text8 = (t) => short(enc.encode(t));
const u16 = (n) => [n >> 8, n & 255];
const u32 = (n) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const u64 = (n) => hexToBytes(BigInt(n).toString(16).padStart(16, '0'));
const opt = (bytes) => (bytes ? cat([1], bytes) : [0]);
const sha = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
const firstBit = (key) => key[0] >> 7;
const ZERO = new Uint8Array(32);
const CHAIN = 'hand-made-1';
const BLOCK_TIME = Date.parse('2026-12-01T00:01:00Z');

async function keyPair() {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
}

const sign = async (keys, message) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, message));

let handMadePromise;
/** The chain's keys and genesis: validator power 7; soest and aachen; one initial clerk of soest. */
function handMade() {
  handMadePromise ??= (async () => {
    const [validator, soest, aachen, initialClerk, clerk, otherClerk] = await Promise.all(Array.from({ length: 6 }, keyPair));
    const types = ['building-permit', 'parking-permit'];
    const genesis = await parseGenesis(JSON.stringify({
      chain_id: CHAIN, genesis_time: '2026-12-01T00:00:00Z',
      validators: [{ name: 'Soest', public_key: bytesToHex(validator.publicKey), peer_address: 'localhost:26600', power: 7 }],
      authorities: [
        { id: 'soest', name: 'Stadt Soest', public_key: bytesToHex(soest.publicKey), document_types: types },
        { id: 'aachen', name: 'Stadt Aachen', public_key: bytesToHex(aachen.publicKey), document_types: types },
      ],
      initial_clerks: [{ authority: 'soest', public_key: bytesToHex(initialClerk.publicKey), document_types: ['parking-permit'] }],
    }));
    return { validator, soest, aachen, initialClerk, clerk, otherClerk, genesis };
  })();
  return handMadePromise;
}

/** A signed transaction (PROTOCOL.md, Transaction); `signWith` defaults to the signer. */
async function transaction(kind, signer, payload, { signWith = signer, nonce = 1 } = {}) {
  const body = cat([1, kind], signer.publicKey, u64(BLOCK_TIME - 1000), u64(nonce), payload);
  return cat(body, await sign(signWith, cat(text8('govchain/tx/v1'), text8(CHAIN), body)));
}

const registerClerk = (authorityKeys, authority, clerk, types, options) =>
  transaction(1, authorityKeys, cat(text8(authority), clerk.publicKey, u16(types.length), ...types.map(text8)), options);

const anchorDocument = (clerk, document, type, authority, options) =>
  transaction(3, clerk, cat(document, text8(type), text8(authority), [0], [0], [0]), options);

/** RFC 9162 §2.1.1 tree hash and §2.1.3 audit path. */
async function treeHash(leaves) {
  if (leaves.length === 0) return sha(new Uint8Array(0));
  if (leaves.length === 1) return sha(cat([0], leaves[0]));
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  return sha(cat([1], await treeHash(leaves.slice(0, k)), await treeHash(leaves.slice(k))));
}

async function auditPath(m, leaves) {
  if (leaves.length <= 1) return [];
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  if (m < k) return [...(await auditPath(m, leaves.slice(0, k))), await treeHash(leaves.slice(k))];
  return [...(await auditPath(m - k, leaves.slice(k))), await treeHash(leaves.slice(0, k))];
}

/** A header (version 2 unless told) over `txs` / `stateRoot`, its commit, and inclusions. */
async function block(height, txs, { version = 2, stateRoot = ZERO, chainId = CHAIN, validatorsHash, commitHeight = height } = {}) {
  const { validator, genesis } = await handMade();
  const vh = validatorsHash ?? hexToBytes(genesis.validatorsHash);
  const header = cat([version], text8(chainId), u64(height), u64(BLOCK_TIME + height), ZERO, ZERO, await treeHash(txs),
    u32(txs.length), vh, ...(version === 2 ? [vh] : []), ZERO, ...(version === 2 ? [stateRoot] : []), u16(0));
  const blockHash = await sha(header);
  const vote = cat(text8('govchain/vote/v1'), text8(CHAIN), [2], u64(commitHeight), u32(0), [1], blockHash);
  const commit = cat(u64(commitHeight), u32(0), blockHash, u16(1), u16(0), await sign(validator, vote));
  const inclusion = async (index) => ({
    block_header: bytesToHex(header), commit: bytesToHex(commit), proof: (await auditPath(index, txs)).map(bytesToHex),
    transaction: bytesToHex(txs[index]), tx_index: index,
  });
  return { header, commit, inclusion };
}

/** A canonical version-1 receipt file. */
async function receiptV1(document, anchor, registration) {
  const { genesis } = await handMade();
  return receiptFile({
    anchor, chain_id: CHAIN, document: bytesToHex(document), genesis_hash: genesis.genesisHash, version: 1,
    clerk_authorisation: registration ? { kind: 'registration', registration } : { kind: 'genesis' },
  });
}

async function checkHandMade(text) {
  return verifyReceipt(text, (await handMade()).genesis, { nowMs: NOW });
}

function assertRefused(result, check, pattern, label) {
  assertInvalid(result, label);
  assert.equal(result.check, check, `${label}: ${result.reason}`);
  if (pattern) assert.match(result.reason, pattern, label);
}

describe('hand-made version-1 receipts: checks behind the signatures', () => {
  test('a genesis clerk and a registered clerk, in separate blocks or one', async () => {
    const c = await handMade();
    const doc = await sha(enc.encode('document 1'));
    const byInitial = await anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest');
    const b1 = await block(1, [byInitial]);
    const genesisResult = await checkHandMade(await receiptV1(doc, await b1.inclusion(0)));
    assert.equal(genesisResult.verdict, 'valid', genesisResult.reason);
    assert.equal(genesisResult.authorityName, 'Stadt Soest');

    const registration = await registerClerk(c.soest, 'soest', c.clerk, ['building-permit', 'parking-permit']);
    const anchor = await anchorDocument(c.clerk, doc, 'building-permit', 'soest');
    const r1 = await block(1, [registration]);
    const a2 = await block(2, [byInitial, anchor, byInitial]);
    const separate = await checkHandMade(await receiptV1(doc, await a2.inclusion(1), await r1.inclusion(0)));
    assert.equal(separate.verdict, 'valid', separate.reason);
    assert.deepEqual(separate.clerkAuthorisation.kind, 'registration');
    assert.equal(separate.record.documentType, 'building-permit');
    assert.equal(separate.record.anchorTx, await sha256Hex(anchor));

    const same = await block(3, [byInitial, registration, anchor]);
    assert.equal((await checkHandMade(await receiptV1(doc, await same.inclusion(2), await same.inclusion(1)))).verdict, 'valid');
    const reversed = await block(3, [anchor, registration]);
    assertRefused(await checkHandMade(await receiptV1(doc, await reversed.inclusion(0), await reversed.inclusion(1))),
      'transaction', /before the anchor/, 'registration after the anchor, same block');
    const later = await block(3, [registration]);
    assertRefused(await checkHandMade(await receiptV1(doc, await a2.inclusion(1), await later.inclusion(0))),
      'transaction', /before the anchor/, 'registration in a later block');
  });

  test('the registration must be by the authority\'s key, for this clerk, authority, type; kind 1', async () => {
    const c = await handMade();
    const doc = await sha(enc.encode('document 2'));
    const anchor = await anchorDocument(c.clerk, doc, 'parking-permit', 'soest');
    const a2 = await block(2, [anchor]);
    const cases = [
      [await registerClerk(c.aachen, 'soest', c.clerk, ['parking-permit']), /not signed by the authority key/],
      [await registerClerk(c.soest, 'soest', c.otherClerk, ['parking-permit']), /another clerk/],
      [await registerClerk(c.aachen, 'aachen', c.clerk, ['parking-permit']), /for aachen, not soest/],
      [await registerClerk(c.soest, 'soest', c.clerk, ['building-permit']), /does not authorise/],
      [await anchorDocument(c.soest, doc, 'parking-permit', 'soest'), /not a register-clerk/],
    ];
    for (const [registration, pattern] of cases) {
      const r1 = await block(1, [registration]);
      assertRefused(await checkHandMade(await receiptV1(doc, await a2.inclusion(0), await r1.inclusion(0))), 'transaction', pattern, pattern.source);
    }
  });

  test('a genesis clerk only for its authority and types; the anchor must be kind 3 for this document', async () => {
    const c = await handMade();
    const doc = await sha(enc.encode('document 3'));
    const cases = [
      [await anchorDocument(c.initialClerk, doc, 'parking-permit', 'aachen'), /initial clerk of soest, not of aachen/],
      [await anchorDocument(c.initialClerk, doc, 'building-permit', 'soest'), /not authorised for building-permit/],
      [await anchorDocument(c.clerk, doc, 'parking-permit', 'soest'), /is not an initial clerk/],
      [await anchorDocument(c.initialClerk, doc, 'parking-permit', 'koeln'), /not in the genesis/],
      [await anchorDocument(c.initialClerk, doc, 'marriage-certificate', 'soest'), /does not issue/],
      [await anchorDocument(c.initialClerk, await sha(enc.encode('other')), 'parking-permit', 'soest'), /anchors/],
      [await transaction(4, c.initialClerk, cat(doc, [1], u64(BLOCK_TIME))), /not an anchor-document/],
      [await anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest', { signWith: c.clerk }), /signature does not verify/],
    ];
    for (const [anchor, pattern] of cases) {
      const b1 = await block(1, [anchor]);
      assertRefused(await checkHandMade(await receiptV1(doc, await b1.inclusion(0))), 'transaction', pattern, pattern.source);
    }
  });

  test('a signed header of another chain or validator set, a commit for another height', async () => {
    const c = await handMade();
    const doc = await sha(enc.encode('document 4'));
    const anchor = [await anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest')];
    const check = async (b) => checkHandMade(await receiptV1(doc, await b.inclusion(0)));
    assertRefused(await check(await block(1, anchor, { chainId: 'other-chain' })), 'header', /chain other-chain/, 'chain');
    assertRefused(await check(await block(1, anchor, { validatorsHash: ZERO })), 'header', /validators hash/, 'validators');
    assertRefused(await check(await block(1, anchor, { commitHeight: 2 })), 'commit', /height 2/, 'commit height');
    assertRefused(await check(await block(0, anchor)), 'header', /height 0/, 'height 0');
    assert.equal((await check(await block(1, anchor, { version: 1 }))).verdict, 'valid', 'header version 1');
    // Inclusion at every position of blocks of 1 to 9 transactions (distinct nonces), and the
    // audit path of one position refused at every other.
    for (let n = 1; n <= 9; n++) {
      const txs = await Promise.all(Array.from({ length: n },
        (_, i) => anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest', { nonce: i + 1 })));
      const b = await block(1, txs);
      for (let i = 0; i < n; i++) {
        const inclusion = await b.inclusion(i);
        const result = await checkHandMade(await receiptV1(doc, inclusion));
        assert.equal(result.verdict, 'valid', `n=${n} i=${i}: ${result.reason}`);
        assert.equal(result.record.anchorTx, await sha256Hex(txs[i]));
        for (let j = 0; j < n + 1; j++) {
          if (j === i) continue;
          assertRefused(await checkHandMade(await receiptV1(doc, { ...inclusion, tx_index: j })), 'inclusion', /txRoot/, `n=${n} i=${i} as ${j}`);
        }
      }
    }
  });
});

// -------------------------------------------------------------------------------------------
describe('hand-made state proofs: clerks and trees (no vector has a clerk proof)', () => {
  /** A clerk entry: record (PROTOCOL.md, Records), state key, leaf hash. */
  async function clerkEntry(clerk, { revoked = false } = {}) {
    const record = cat([1], text8('soest'), clerk, u16(1), text8('parking-permit'), u64(1),
      opt(new Uint8Array(32).fill(9)), opt(revoked ? u64(2) : null), opt(revoked ? new Uint8Array(32).fill(8) : null));
    const stateKey = await sha(cat([2], clerk));
    const valueHash = await sha(record);
    return { clerk, record, stateKey, valueHash, leaf: await sha(cat([0x10], stateKey, valueHash)) };
  }

  /** Clerk entries until `count` have a state key whose first bit is `bit`. */
  async function clerksWithFirstBit(bit, count, options) {
    const found = [];
    while (found.length < count) {
      const entry = await clerkEntry((await keyPair()).publicKey, options);
      if (firstBit(entry.stateKey) === bit) found.push(entry);
    }
    return found;
  }

  const internal = (left, right) => sha(cat([0x11], left, right));
  const signRoot = (root, options) => block(3, [], { stateRoot: root, ...options });

  async function proofOf({ subject, leaf, siblings, record, signed, kind = 'clerk' }) {
    const { genesis } = await handMade();
    return {
      version: 2, kind, chain_id: CHAIN, genesis_hash: genesis.genesisHash, height: 3,
      subject: bytesToHex(subject), block_header: bytesToHex(signed.header), commit: bytesToHex(signed.commit),
      state_proof: {
        siblings: siblings.map(bytesToHex),
        ...(leaf ? { leaf: { key: bytesToHex(leaf.stateKey), value_hash: bytesToHex(leaf.valueHash) } } : {}),
      },
      ...(record ? { record: bytesToHex(record) } : {}),
    };
  }

  const check = async (proof) => verifyStateProof(proof, (await handMade()).genesis, { maxAgeMs: null });

  test('a registered clerk: valid, with its record; a revoked one: revoked', async () => {
    const [a] = await clerksWithFirstBit(0, 1);
    const [b] = await clerksWithFirstBit(1, 1, { revoked: true });
    const signed = await signRoot(await internal(a.leaf, b.leaf));
    const resultA = await check(await proofOf({ subject: a.clerk, leaf: a, siblings: [b.leaf], record: a.record, signed }));
    assertValidResult(resultA, 'clerk a');
    assert.equal(resultA.verdict, 'valid');
    assert.equal(resultA.kind, 'clerk');
    assert.deepEqual(resultA.signers, ['Soest']);
    assert.equal(resultA.signedPower, 7);
    assert.equal(resultA.totalPower, 7);
    assert.equal(resultA.record.clerk, bytesToHex(a.clerk));
    assert.deepEqual(resultA.record.documentTypes, ['parking-permit']);
    assert.equal(resultA.record.registeredHeight, 1);
    assert.equal(resultA.record.revokedHeight, null);
    assert.equal(resultA.authorityName, 'Stadt Soest');
    const resultB = await check(await proofOf({ subject: b.clerk, leaf: b, siblings: [a.leaf], record: b.record, signed }));
    assert.equal(resultB.verdict, 'revoked', resultB.reason);
    assert.equal(resultB.record.revokedHeight, 2);
    // Another clerk's record, the wrong side of the tree, a clerk proof read as a document proof: invalid.
    assertRefused(await check(await proofOf({ subject: a.clerk, leaf: a, siblings: [b.leaf], record: b.record, signed })), 'record', null, 'other record');
    assertRefused(await check(await proofOf({ subject: a.clerk, leaf: b, siblings: [a.leaf], record: b.record, signed })), 'state_path', null, 'wrong side');
    assertInvalid(await check(await proofOf({ subject: a.clerk, leaf: a, siblings: [b.leaf], record: a.record, signed, kind: 'document' })),
      'clerk proof read as a document proof');
  });

  test('a state proof needs header version 2', async () => {
    const [a] = await clerksWithFirstBit(0, 1);
    const signed = await block(3, [], { version: 1 });
    assertRefused(await check(await proofOf({ subject: a.clerk, leaf: a, siblings: [], record: a.record, signed })), 'header', /version 2/, 'v1 header');
  });

  test('absence: a leaf of another key on the subject\'s path, or an empty subtree', async () => {
    const [a, subject] = await clerksWithFirstBit(0, 2);
    const [b] = await clerksWithFirstBit(1, 1);
    const signed = await signRoot(await internal(a.leaf, b.leaf));
    const absent = await check(await proofOf({ subject: subject.clerk, leaf: a, siblings: [b.leaf], signed }));
    assert.equal(absent.verdict, 'unknown', absent.reason);
    assert.equal(absent.record, null);
    assertRefused(await check(await proofOf({ subject: subject.clerk, leaf: a, siblings: [b.leaf], record: a.record, signed })), 'record', null, 'absent with record');
    // One entry on the right, nothing on the left: the left subtree is the placeholder.
    const onlyB = await signRoot(await internal(ZERO, b.leaf));
    const empty = await check(await proofOf({ subject: subject.clerk, leaf: null, siblings: [b.leaf], signed: onlyB }));
    assert.equal(empty.verdict, 'unknown', empty.reason);
    // A state tree of a single entry: its root is that entry's leaf, with no siblings; an empty tree: zeros.
    const single = await signRoot(b.leaf);
    assert.equal((await check(await proofOf({ subject: b.clerk, leaf: b, siblings: [], record: b.record, signed: single }))).verdict, 'valid');
    assert.equal((await check(await proofOf({ subject: a.clerk, leaf: b, siblings: [], signed: single }))).verdict, 'unknown');
    const emptyTree = await signRoot(ZERO);
    assert.equal((await check(await proofOf({ subject: a.clerk, leaf: null, siblings: [], signed: emptyTree }))).verdict, 'unknown');
    assertRefused(await check(await proofOf({ subject: b.clerk, leaf: b, siblings: [], signed: single })), 'record', /leaves it out/, 'present without record');
  });

  test('a leaf that reaches the root but is not on the subject\'s path is refused', async () => {
    // A malformed (yet signed) tree: two keys with first bit 0, one wrongly placed on the right.
    const [a, misplaced] = await clerksWithFirstBit(0, 2);
    const [subject] = await clerksWithFirstBit(1, 1);
    const signed = await signRoot(await internal(a.leaf, misplaced.leaf));
    assertRefused(await check(await proofOf({ subject: subject.clerk, leaf: misplaced, siblings: [a.leaf], signed })),
      'state_path', /not on the path/, 'leaf off the path');
  });

  test('signed records that do not decode or are about another subject are refused', async () => {
    const leafFor = async (stateKey, record) => {
      const valueHash = await sha(record);
      return { stateKey, valueHash, leaf: await sha(cat([0x10], stateKey, valueHash)) };
    };
    const tryRecord = async (kind, subject, record) => {
      const entry = await leafFor(await sha(cat([kind === 'clerk' ? 2 : 1], subject)), record);
      const signed = await signRoot(entry.leaf);
      return check(await proofOf({ subject, leaf: entry, siblings: [], record, signed, kind }));
    };
    const identity = hexToBytes(`01${'00'.repeat(31)}`);
    const smallOrder = await clerkEntry(identity);
    assertRefused(await tryRecord('clerk', identity, smallOrder.record), 'record', /small order/, 'small-order clerk key');
    const [other] = await clerksWithFirstBit(0, 1);
    const [subject] = await clerksWithFirstBit(1, 1);
    assertRefused(await tryRecord('clerk', subject.clerk, other.record), 'record', /another clerk/, 'clerk record of another key');
    assertRefused(await tryRecord('clerk', other.clerk, cat(other.record, [0])), 'record', /follow its end/, 'trailing byte');
    assertRefused(await tryRecord('clerk', other.clerk, cat([2], other.record.slice(1))), 'record', /version 2/, 'record version');
    // Document records (PROTOCOL.md, Records).
    const c = await handMade();
    const doc = await sha(enc.encode('a document'));
    const documentRecord = (document, { until = null, from = null, status = [0], type = 'parking-permit' } = {}) => cat([1], document,
      text8(type), text8('soest'), c.clerk.publicKey, [0], opt(from === null ? null : u64(from)), opt(until === null ? null : u64(until)),
      u64(2), u64(BLOCK_TIME), new Uint8Array(32).fill(5), [0], status);
    const good = await tryRecord('document', doc, documentRecord(doc, { from: 1000, until: 2000 }));
    assert.equal(good.verdict, 'expired', good.reason);
    assert.equal(good.record.validFromMs, 1000);
    assertRefused(await tryRecord('document', doc, documentRecord(await sha(enc.encode('other')))), 'record', /another document/, 'other document');
    assertRefused(await tryRecord('document', doc, documentRecord(doc, { from: 2000, until: 2000 })), 'record', /not after/, 'empty window');
    assertRefused(await tryRecord('document', doc, documentRecord(doc, { status: [3] })), 'record', /status 3/, 'status 3');
    assertRefused(await tryRecord('document', doc, documentRecord(doc, { status: cat([1, 6], u64(1), u64(3), ZERO, c.clerk.publicKey) })),
      'record', /reason 6/, 'revocation reason 6');
    assertRefused(await tryRecord('document', doc, documentRecord(doc, { type: 'Parking' })), 'record', /code/, 'bad code');
    assertRefused(await tryRecord('document', doc, documentRecord(doc, { until: 2n ** 53n + 1n })), 'record', /2\^53/, 'time beyond 2^53');
    const revoked = await tryRecord('document', doc, documentRecord(doc, { status: cat([1, 5], u64(1500), u64(3), ZERO, c.clerk.publicKey) }));
    assert.deepEqual(revoked.record.status, {
      kind: 'revoked', reason: 'settled', reasonCode: 5, effectiveMs: 1500, height: 3, tx: bytesToHex(ZERO), clerk: bytesToHex(c.clerk.publicKey),
      cosigner: null,
    });
    // Version 2 (four eyes): the co-signers follow the status; at least one, none on a valid status.
    const v2 = (bytes, trailer) => { const b = cat(bytes, trailer); b[0] = 2; return b; };
    const key = c.clerk.publicKey;
    assertRefused(await tryRecord('document', doc, v2(documentRecord(doc), [0, 0])), 'record', /co-signer/, 'version 2 without a co-signer');
    assertRefused(await tryRecord('document', doc, v2(documentRecord(doc), cat([0, 1], key))), 'record', /status co-signer/, 'valid with a status co-signer');
    const cosigned = await tryRecord('document', doc, v2(documentRecord(doc), cat([1], key, [0])));
    assert.equal(cosigned.record.cosigner, bytesToHex(key));
    const revokedPair = await tryRecord('document', doc, v2(documentRecord(doc, { status: cat([1, 5], u64(1500), u64(3), ZERO, key) }), cat([0, 1], key)));
    assert.equal(revokedPair.record.status.cosigner, bytesToHex(key));
    assert.equal(revokedPair.record.cosigner, null);
    const cut = documentRecord(doc);
    for (let n = 0; n < cut.length; n++) {
      assertRefused(await tryRecord('document', doc, cut.slice(0, n)), n === 0 ? 'format' : 'record', null, `record cut to ${n} bytes`);
    }
  });
});

// -------------------------------------------------------------------------------------------
// A hand-made chain whose validator set changes (PROTOCOL.md, "Validator set"; RECEIPTS.md,
// "Validator set changes"): genesis set A = members 0–3 (power 1 each); at height 3 set B =
// members 0–4 takes over (member 4 admitted; header 2 names B as next, signed by 3 of A); at
// height 5 set C = members 0, 2, 3, 4 (member 1 removed, a sparse set) takes over.
describe('validator set changes (validator_sets)', () => {
  let chainPromise;
  function chain() {
    chainPromise ??= (async () => {
      const keys = await Promise.all(Array.from({ length: 5 }, keyPair));
      const [soest, initialClerk, clerk] = await Promise.all(Array.from({ length: 3 }, keyPair));
      const names = ['Soest', 'Aachen', 'Bonn', 'Dortmund', 'Essen'];
      const member = (index) => ({ index, name: names[index], key: keys[index].publicKey, address: `localhost:${26600 + index}`, power: 1 });
      const genesis = await parseGenesis(JSON.stringify({
        chain_id: CHAIN, genesis_time: '2026-12-01T00:00:00Z',
        validators: [0, 1, 2, 3].map((i) => ({ name: names[i], public_key: bytesToHex(keys[i].publicKey), peer_address: `localhost:${26600 + i}`, power: 1 })),
        authorities: [{ id: 'soest', name: 'Stadt Soest', public_key: bytesToHex(soest.publicKey), document_types: ['parking-permit'] }],
        initial_clerks: [{ authority: 'soest', public_key: bytesToHex(initialClerk.publicKey), document_types: ['parking-permit'] }],
      }));
      const A = [0, 1, 2, 3].map(member);
      const B = [0, 1, 2, 3, 4].map(member);
      const C = [0, 2, 3, 4].map(member);
      return { keys, soest, initialClerk, clerk, genesis, member, A, B, C };
    })();
    return chainPromise;
  }

  /** ValidatorSet encoding: list(u16 index ‖ short(name) ‖ key ‖ short(peerAddress) ‖ u64 power). */
  const encodeSet = (members) => cat(u16(members.length),
    ...members.map((m) => cat(u16(m.index), text8(m.name), m.key, text8(m.address), u64(m.power))));
  /** Its hash: SHA-256(list(key ‖ u64 power)), ‖ (u16 index)* unless the indices are 0 … n − 1. */
  const setHash = (members, { dense = members.every((m, i) => m.index === i) } = {}) => sha(cat(u16(members.length),
    ...members.map((m) => cat(m.key, u64(m.power))), ...(dense ? [] : members.map((m) => u16(m.index)))));

  async function header({ height, vh, nvh = vh, txs = [], stateRoot = ZERO, version = 2 }) {
    return cat([version], text8(CHAIN), u64(height), u64(BLOCK_TIME + height), ZERO, ZERO, await treeHash(txs),
      u32(txs.length), vh, ...(version === 2 ? [nvh] : []), ZERO, ...(version === 2 ? [stateRoot] : []), u16(0));
  }

  /** A commit of `header` at `height` by the members with these indices (keys of the chain). */
  async function commitOf(headerBytes, height, indices) {
    const { keys } = await chain();
    const blockHash = await sha(headerBytes);
    const vote = cat(text8('govchain/vote/v1'), text8(CHAIN), [2], u64(height), u32(0), [1], blockHash);
    const sorted = [...indices].sort((a, b) => a - b);
    const signatures = await Promise.all(sorted.map(async (i) => cat(u16(i), await sign(keys[i], vote))));
    return cat(u64(height), u32(0), blockHash, u16(sorted.length), ...signatures);
  }

  /** The entry of `set` taking over at `height`: header height − 1 by `from`, signed by `signers`. */
  async function change(height, from, set, signers, { nvh, fromHash, validators = encodeSet(set) } = {}) {
    const previous = await header({ height: height - 1, vh: fromHash ?? await setHash(from), nvh: nvh ?? await setHash(set) });
    return {
      block_header: bytesToHex(previous), commit: bytesToHex(await commitOf(previous, height - 1, signers)),
      height, validators: bytesToHex(validators),
    };
  }

  /** A block at `height` signed by the set `members` (signers: their indices), with inclusions. */
  async function signedBlock(height, members, signers, txs, { vh, stateRoot } = {}) {
    const h = await header({ height, vh: vh ?? await setHash(members), txs, stateRoot });
    const commit = await commitOf(h, height, signers);
    const inclusion = async (index) => ({
      block_header: bytesToHex(h), commit: bytesToHex(commit), proof: (await auditPath(index, txs)).map(bytesToHex),
      transaction: bytesToHex(txs[index]), tx_index: index,
    });
    return { header: h, commit, inclusion };
  }

  async function receipt(document, anchor, validatorSets, registration) {
    const { genesis } = await chain();
    return receiptFile({
      anchor, chain_id: CHAIN, document: bytesToHex(document), genesis_hash: genesis.genesisHash, version: 1,
      clerk_authorisation: registration ? { kind: 'registration', registration } : { kind: 'genesis' },
      ...(validatorSets === undefined ? {} : { validator_sets: validatorSets }),
    });
  }

  const checkReceipt = async (text) => verifyReceipt(text, (await chain()).genesis, { nowMs: NOW });

  /** An anchor at height 4 (signed by B, with member 4) and the change to B at height 3. */
  async function afterOneChange() {
    const c = await chain();
    const doc = await sha(enc.encode('anchored after a set change'));
    const anchor = await anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest');
    const b4 = await signedBlock(4, c.B, [0, 2, 3, 4], [anchor]);
    const toB = await change(3, c.A, c.B, [0, 1, 2]);
    return { c, doc, anchor, b4, toB, inclusion: await b4.inclusion(0) };
  }

  test('a receipt signed by a set that governance admitted a validator to verifies', async () => {
    const { doc, toB, inclusion } = await afterOneChange();
    const result = await checkReceipt(await receipt(doc, inclusion, [toB]));
    assertValidResult(result, 'after the change');
    assert.equal(result.verdict, 'valid');
    assert.equal(result.height, 4);
    assert.deepEqual(result.signers, ['Soest', 'Bonn', 'Dortmund', 'Essen']);
    assert.equal(result.signedPower, 4);
    assert.equal(result.totalPower, 5);
  });

  test('refused without validator_sets, with 2 of 4 signatures, naming another next set, or with an unknown field', async () => {
    const { c, doc, toB, inclusion } = await afterOneChange();
    assertRefused(await checkReceipt(await receipt(doc, inclusion)), 'header', /validators hash is not the genesis/, 'no validator_sets');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [])), 'header', /validators hash is not the genesis/, 'empty validator_sets');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [await change(3, c.A, c.B, [0, 3])])),
      'validator_sets', /validator_sets\[0\] \(height 3\): block 2: the commit carries 2 of 4 voting power, not more than two thirds/, '2 of 4');
    // Header 2 names another set (B with more power for Essen) as next, properly signed by 3 of A.
    const other = await setHash(c.B.map((m) => (m.index === 4 ? { ...m, power: 2 } : m)));
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [await change(3, c.A, c.B, [0, 1, 2], { nvh: other })])),
      'validator_sets', /does not name the set that takes over/, 'another next set');
    // Header 2 claims to be signed by B itself (not the set proven before it).
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [await change(3, c.A, c.B, [0, 1, 2], { fromHash: await setHash(c.B) })])),
      'validator_sets', /not signed by the set proven before it/, 'header not by the genesis set');
    // A commit of the change signed by member 4, whom the genesis does not list.
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [await change(3, c.A, c.B, [0, 1, 4])])),
      'validator_sets', /index 4, which the genesis does not list/, 'signed by the newcomer');
    // Unknown fields: in an entry (the Swift path validator_sets[i].key) and next to it.
    const file = await receipt(doc, inclusion, [{ ...toB, extra: 1 }]);
    assertRefused(await checkReceipt(file), 'format', /unknown field "validator_sets\[0\]\.extra"/, 'unknown entry field');
    const { height: _, ...withoutHeight } = toB;
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [withoutHeight])), 'format', /lacks the field "height"/, 'missing height');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, toB)), 'format', /not an array/, 'not an array');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [{ ...toB, height: 2 }])),
      'validator_sets', /another chain or height/, 'entry height off by one');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [{ ...toB, height: 1 }])),
      'validator_sets', /heights must increase, each above 1/, 'height 1');
    // Not canonical (spaces) is refused as before.
    assertRefused(await checkReceipt((await receipt(doc, inclusion, [toB])).replace('"height":3', '"height": 3')), 'format', /canonical/, 'layout');
  });

  test('the set encoding is checked: trailing bytes, power 0, a key twice, indices out of order, none, bad UTF-8', async () => {
    const { c, doc, toB, inclusion } = await afterOneChange();
    const m = c.member;
    const withSet = async (validators) => checkReceipt(await receipt(doc, inclusion, [{ ...toB, validators: bytesToHex(validators) }]));
    assertRefused(await withSet(cat(encodeSet(c.B), [0])), 'validator_sets', /follow its end/, 'trailing byte');
    assertRefused(await withSet(encodeSet([])), 'validator_sets', /0 entries/, 'empty set');
    assertRefused(await withSet(encodeSet([m(0), { ...m(1), power: 0 }])), 'validator_sets', /power/, 'power 0');
    assertRefused(await withSet(encodeSet([m(0), { ...m(1), power: 2n ** 60n }])), 'validator_sets', /2\^60/, 'total above 2^60');
    assertRefused(await withSet(encodeSet([m(0), { ...m(1), key: m(0).key }])), 'validator_sets', /listed twice/, 'key twice');
    assertRefused(await withSet(encodeSet([m(1), m(0)])), 'validator_sets', /strictly increasing/, 'indices descending');
    assertRefused(await withSet(encodeSet([m(1), { ...m(0), index: 1 }])), 'validator_sets', /strictly increasing/, 'index twice');
    assertRefused(await withSet(encodeSet([{ ...m(0), name: 'x'.repeat(65) }])), 'validator_sets', /more than 64/, 'long name');
    const badUtf8 = cat(u16(1), u16(0), [1, 0xff], m(0).key, text8('localhost:1'), u64(1));
    assertRefused(await withSet(badUtf8), 'validator_sets', /not UTF-8/, 'name not UTF-8');
    assertRefused(await withSet(encodeSet([{ ...m(0), key: hexToBytes(`01${'00'.repeat(31)}`) }])), 'validator_sets', /small order/, 'small-order key');
    // Names and peer addresses are not covered by the hash: another name verifies, and is shown.
    const renamed = await withSet(encodeSet(c.B.map((v) => (v.index === 4 ? { ...v, name: 'Münster' } : v))));
    assertValidResult(renamed, 'renamed');
    assert.deepEqual(renamed.signers, ['Soest', 'Bonn', 'Dortmund', 'Münster']);
  });

  test('a sparse set hashes its indices; commits name members by index; changes in order, above the target ignored', async () => {
    const c = await chain();
    const doc = await sha(enc.encode('anchored after two set changes'));
    const anchor = await anchorDocument(c.initialClerk, doc, 'parking-permit', 'soest');
    const toB = await change(3, c.A, c.B, [0, 1, 2]);
    const toC = await change(5, c.B, c.C, [0, 1, 2, 4]);
    // Block 6 is signed by members 0, 2 and 4 of C (3 of 4 power; member 4 sits at position 3).
    const b6 = await signedBlock(6, c.C, [0, 2, 4], [anchor]);
    const inclusion = await b6.inclusion(0);
    const result = await checkReceipt(await receipt(doc, inclusion, [toB, toC]));
    assertValidResult(result, 'after two changes');
    assert.deepEqual(result.signers, ['Soest', 'Bonn', 'Essen']);
    assert.equal(result.totalPower, 4);
    // Out of order: refused (C first is checked against the genesis set; B after C is below it).
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [toC, toB])), 'validator_sets', /validator_sets\[0\] \(height 5\)/, 'out of order');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [toB, toC, toB])), 'validator_sets',
      /validator_sets\[2\] \(height 3\): heights must increase/, 'an earlier change after a later one');
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [toB, toB, toC])), 'validator_sets', /validator_sets\[1\].*heights must increase/, 'twice');
    // Skipping the change to B: header 4 is not signed by the genesis set.
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [toC])), 'validator_sets', /not signed by the set proven before it/, 'B skipped');
    // Member 1 left: a commit naming it is refused, though its key signed.
    const by1 = await signedBlock(6, c.C, [0, 1, 2, 4], [anchor]);
    assertRefused(await checkReceipt(await receipt(doc, await by1.inclusion(0), [toB, toC])), 'commit',
      /index 1, which the validator set taking over at height 5 does not list/, 'removed member signs');
    // The dense rule for C (no indices) is another hash: a header naming it does not name C.
    const denseRule = await setHash(c.C, { dense: true });
    assert.notEqual(bytesToHex(denseRule), bytesToHex(await setHash(c.C)));
    const toCDense = await change(5, c.B, c.C, [0, 1, 2, 4], { nvh: denseRule });
    assertRefused(await checkReceipt(await receipt(doc, inclusion, [toB, toCDense])), 'validator_sets', /does not name the set/, 'dense rule for a sparse set');
    // A set of members 0 and 2 hashes differently from members 0 and 1 with the same keys and powers,
    // and the latter is the genesis rule (list(key ‖ power) only).
    const k = c.keys;
    const sparse = [{ ...c.member(0) }, { ...c.member(2), key: k[1].publicKey }];
    const dense = [{ ...c.member(0) }, { ...c.member(1) }];
    assert.notEqual(bytesToHex(await setHash(sparse)), bytesToHex(await setHash(dense)));
    assert.equal(bytesToHex(await setHash(dense)), bytesToHex(await sha(cat(u16(2), k[0].publicKey, u64(1), k[1].publicKey, u64(1)))));
    // A block before the changes is signed by the genesis set, the entries above it skipped; even
    // entries out of order above it do not matter (ValidatorSetChain.set ignores them).
    const b2 = await signedBlock(2, c.A, [1, 2, 3], [anchor]);
    const early = await checkReceipt(await receipt(doc, await b2.inclusion(0), [toB, toC]));
    assertValidResult(early, 'before the changes');
    assert.deepEqual(early.signers, ['Aachen', 'Bonn', 'Dortmund']);
    assert.equal((await checkReceipt(await receipt(doc, await b2.inclusion(0), [toC, toB]))).verdict, 'valid');
    // A block at 4 (set B) with C's change listed too: C is above 4, B signs.
    const b4 = await signedBlock(4, c.B, [0, 1, 2, 4], [anchor]);
    assert.equal((await checkReceipt(await receipt(doc, await b4.inclusion(0), [toB, toC]))).verdict, 'valid');
    // Block 4 claimed to be signed by C (its header names C): refused, B signs height 4.
    const b4c = await signedBlock(4, c.C, [0, 2, 4], [anchor]);
    assertRefused(await checkReceipt(await receipt(doc, await b4c.inclusion(0), [toB, toC])), 'header',
      /not that of the validator set that validator_sets prove for height 4/, 'C at height 4');
  });

  test('the registration and the anchor are each checked with the set of their own height', async () => {
    const c = await chain();
    const doc = await sha(enc.encode('anchored by a registered clerk'));
    const registration = await registerClerk(c.soest, 'soest', c.clerk, ['parking-permit']);
    const anchor = await anchorDocument(c.clerk, doc, 'parking-permit', 'soest');
    const r1 = await signedBlock(1, c.A, [0, 1, 2], [registration]);
    const a6 = await signedBlock(6, c.C, [2, 3, 4], [anchor]);
    const toB = await change(3, c.A, c.B, [0, 1, 2]);
    const toC = await change(5, c.B, c.C, [1, 2, 3, 4]);
    const result = await checkReceipt(await receipt(doc, await a6.inclusion(0), [toB, toC], await r1.inclusion(0)));
    assertValidResult(result, 'registration under A, anchor under C');
    assert.deepEqual(result.signers, ['Bonn', 'Dortmund', 'Essen']);
    assert.equal(result.clerkAuthorisation.height, 1);
    // A registration at 4 signed as if by A: refused (B signs height 4).
    const r4 = await signedBlock(4, c.A, [0, 1, 2], [registration]);
    assertRefused(await checkReceipt(await receipt(doc, await a6.inclusion(0), [toB, toC], await r4.inclusion(0))),
      'header', /^registration block 4: .*validator_sets prove for height 4/, 'registration under the wrong set');
  });

  test('state proofs carry validator_sets the same way', async () => {
    const c = await chain();
    const subject = await sha(enc.encode('never anchored'));
    const signed = await signedBlock(4, c.B, [1, 2, 3, 4], [], { stateRoot: ZERO });
    const toB = await change(3, c.A, c.B, [0, 1, 2]);
    const proof = (validatorSets) => ({
      version: 2, kind: 'document', chain_id: CHAIN, genesis_hash: c.genesis.genesisHash, height: 4,
      subject: bytesToHex(subject), block_header: bytesToHex(signed.header), commit: bytesToHex(signed.commit),
      state_proof: { siblings: [] },
      ...(validatorSets === undefined ? {} : { validator_sets: validatorSets }),
    });
    const check = (p) => verifyStateProof(p, c.genesis, { maxAgeMs: null });
    const result = await check(proof([toB]));
    assertValidResult(result, 'state proof after the change');
    assert.equal(result.verdict, 'unknown');
    assert.deepEqual(result.signers, ['Aachen', 'Bonn', 'Dortmund', 'Essen']);
    assert.equal(result.totalPower, 5);
    assertRefused(await check(proof()), 'header', /validators hash is not the genesis/, 'no validator_sets');
    assertRefused(await check(proof([await change(3, c.A, c.B, [1, 2])])), 'validator_sets', /two thirds/, '2 of 4');
    assertRefused(await check(proof([{ ...toB, note: 'x' }])), 'format', /unknown field "validator_sets\[0\]\.note"/, 'unknown entry field');
    assertRefused(await check(proof([{ ...toB, commit: toB.commit.toUpperCase() }])), 'format', /lower-case hex/, 'upper-case hex');
    assertRefused(await check(proof(Array.from({ length: 10001 }, () => toB))), 'format', /more than 10000 entries/, '10001 changes');
    // As a version-2 receipt file.
    const file = receiptFile(proof([toB]));
    assert.equal((await verifyReceipt(file, c.genesis, { nowMs: NOW })).verdict, 'unknown');
    assertRefused(await verifyReceipt(receiptFile(proof([toB, toB])), c.genesis, { nowMs: NOW }), 'validator_sets', /heights must increase/, 'v2 file, twice');
  });
});
