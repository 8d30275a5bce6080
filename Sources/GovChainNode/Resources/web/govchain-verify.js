// govchain-verify.js: an independent verifier for GovChain state proofs and receipts.
//
// Written from docs/PROTOCOL.md, docs/RECEIPTS.md and Genesis/README.md only (not from the Swift
// sources), so that it doubles as a check that the documentation suffices. Section names in the
// comments ("PROTOCOL.md, Commit") say which part of the documentation each decoder follows.
//
// A plain ES module for browsers and Node 20: no imports, no DOM. It uses only
// globalThis.crypto.subtle (SHA-256 digests and Ed25519 verification), TextEncoder/TextDecoder
// and BigInt (every u64 is a BigInt while it is checked; it becomes a Number only when it is at
// most 2^53, and a value that must be shown as a Number but is larger makes the input invalid).
//
// verifyStateProof and verifyReceipt never throw: every malformed input gives
// { ok: false, verdict: 'invalid', check, reason }.

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/**
 * The genesis fingerprint layout (PROTOCOL.md, "Genesis hash"), named by the tag it starts with.
 * The one place to change when the genesis hash version changes.
 *
 * - 'govchain/genesis/v2' (what PROTOCOL.md specifies and the node computes since commit
 *   f44b767): salted document types are a trailer, list(code id ‖ list(code saltedType)) over the
 *   authorities that have any, appended only when some authority has one; a genesis without
 *   salted types hashes as before they existed.
 * - 'govchain/genesis/v3' (the change planned before f44b767, not in the docs): every authority
 *   hashes list(code saltedType) after its document types, and there is no trailer.
 */
export const GENESIS_HASH_TAG = 'govchain/genesis/v2';

const GENESIS_LAYOUTS = {
  'govchain/genesis/v2': { saltedPerAuthority: false, saltedTrailer: true },
  'govchain/genesis/v3': { saltedPerAuthority: true, saltedTrailer: false },
};

const TX_TAG = 'govchain/tx/v1'; // PROTOCOL.md, "Domain separation"
const VOTE_TAG = 'govchain/vote/v1';

const U64_MAX = (1n << 64n) - 1n;
const NUMBER_LIMIT = 1n << 53n; // u64 values up to this become Numbers
const DEFAULT_MAX_AGE_MS = 300000; // RECEIPTS.md, "Freshness": 5 minutes
const MAX_TRANSACTION_BYTES = 1024; // PROTOCOL.md, "Transaction"
const MAX_SIBLINGS = 256; // PROTOCOL.md, "State tree"
const MAX_AUDIT_PATH = 64; // a u32 tree size needs at most 32
const MAX_JSON_CHARS = 8 * 1024 * 1024;
const MAX_JSON_DEPTH = 64;

const REVOCATION_REASONS = { // PROTOCOL.md, "Transaction": numbers are never reused
  1: 'withdrawal',
  2: 'annulment',
  3: 'correction',
  4: 'issued-in-error',
  5: 'settled',
};

// Genesis/README.md, "Fields", and PROTOCOL.md, "Consensus parameters", in hash order.
const CONSENSUS_PARAMETERS = [
  { json: 'max_block_txs', name: 'maxBlockTxs', bits: 32, def: 5000, min: 1, max: 20000 },
  { json: 'max_block_bytes', name: 'maxBlockBytes', bits: 32, def: 4194304, min: 4096, max: 8323072 },
  { json: 'timeout_propose_ms', name: 'timeoutProposeMs', bits: 64, def: 1000, min: 1, max: 600000 },
  { json: 'timeout_prevote_ms', name: 'timeoutPrevoteMs', bits: 64, def: 500, min: 1, max: 600000 },
  { json: 'timeout_precommit_ms', name: 'timeoutPrecommitMs', bits: 64, def: 500, min: 1, max: 600000 },
  { json: 'timeout_delta_ms', name: 'timeoutDeltaMs', bits: 64, def: 250, min: 1, max: 600000 },
  { json: 'empty_block_interval_ms', name: 'emptyBlockIntervalMs', bits: 64, def: 60000, min: 0, max: 86400000 },
  { json: 'max_clock_drift_ms', name: 'maxClockDriftMs', bits: 64, def: 10000, min: 100, max: 600000 },
  { json: 'tx_time_window_ms', name: 'txTimeWindowMs', bits: 64, def: 86400000, min: 60000, max: 2592000000 },
];

const MAX_VALIDATOR_POWER = (1n << 60n) / 100n; // Genesis/README.md: "1 to 2^60 / 100"

// libsodium's blocklist of small-order Ed25519 points (PROTOCOL.md, "Conventions"), compared
// with the sign bit (top bit of the last byte) cleared. Tests/Web/verify.test.mjs recomputes it.
const SMALL_ORDER_KEYS = [
  '0000000000000000000000000000000000000000000000000000000000000000', // y = 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // y = 1 (identity)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p - 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p, non-canonical 0
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1, non-canonical 1
].map((hex) => hexToBytes(hex));

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error; ignoreBOM: a BOM stays in the text (and breaks canonical form).
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Bytes, hex, hashing
// ---------------------------------------------------------------------------------------------

/** Hex (either case) to bytes; throws Error on anything else. */
export function hexToBytes(hex) {
  if (typeof hex !== 'string') throw new Error('hex must be a string');
  if (hex.length % 2 !== 0) throw new Error('hex must have an even number of digits');
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Error('hex may contain only the digits 0-9 and a-f');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Bytes (Uint8Array, ArrayBuffer or any ArrayBuffer view) to lower-case hex. */
export function bytesToHex(bytes) {
  const view = asBytes(bytes);
  let hex = '';
  for (const byte of view) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 of bytes, as lower-case hex. */
export async function sha256Hex(bytes) {
  return bytesToHex(await sha256(asBytes(bytes)));
}

/**
 * The key a document is looked up by on the ledger: the document hash itself, or for a salted
 * document type SHA-256(salt (16 bytes) ‖ document hash (32 bytes)). Throws Error on bad input.
 */
export async function ledgerKey(documentHashHex, saltHex) {
  const documentHash = hexToBytes(documentHashHex);
  if (documentHash.length !== 32) throw new Error('the document hash must be 64 hex characters (32 bytes)');
  if (saltHex === undefined || saltHex === null) return bytesToHex(documentHash);
  const salt = hexToBytes(saltHex);
  if (salt.length !== 16) throw new Error('the salt must be 32 hex characters (16 bytes)');
  return bytesToHex(await sha256(concatBytes(salt, documentHash)));
}

function asBytes(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new Error('expected bytes (a Uint8Array)');
}

/** Web Crypto exists only in secure contexts (HTTPS, localhost) and in Node 20. */
function subtle() {
  const api = globalThis.crypto && globalThis.crypto.subtle;
  if (!api) throw new Error('Web Crypto (crypto.subtle) is not available here; a browser offers it only on HTTPS or localhost pages');
  return api;
}

async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSmallOrderKey(key) {
  return SMALL_ORDER_KEYS.some((bad) => {
    for (let i = 0; i < 31; i++) if (key[i] !== bad[i]) return false;
    return (key[31] & 0x7f) === bad[31];
  });
}

function shortHex(bytes) {
  return `${bytesToHex(bytes).slice(0, 16)}…`;
}

// ---------------------------------------------------------------------------------------------
// Errors and results
// ---------------------------------------------------------------------------------------------

/** A failed check: `check` is one of the result's check names, `reason` an English sentence. */
class VerifyError extends Error {
  constructor(check, reason) {
    super(reason);
    this.check = check;
    this.reason = reason;
  }
}

function fail(check, reason) {
  return new VerifyError(check, reason);
}

function invalid(check, reason) {
  return { ok: false, verdict: 'invalid', check, reason };
}

/** Runs a verification; turns every failure, expected or not, into an invalid result. */
async function guarded(run) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof VerifyError) return invalid(error.check, error.reason);
    const message = error && typeof error.message === 'string' ? error.message : String(error);
    return invalid('format', `The input could not be checked: ${message}.`);
  }
}

/** Re-throws a VerifyError with a prefix naming where it happened ("anchor block 2: …"). */
async function withPrefix(prefix, run) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof VerifyError) throw fail(error.check, `${prefix()}: ${error.reason}`);
    throw error;
  }
}

/** A u64 (BigInt) as a Number, or a failure when it exceeds 2^53. */
function toNumber(value, check, what) {
  if (value > NUMBER_LIMIT) throw fail(check, `${what} (${value}) is larger than 2^53, which this verifier cannot represent`);
  return Number(value);
}

/** A power or power sum: a Number when exact, else the BigInt itself. */
function numberOrBigInt(value) {
  return value <= NUMBER_LIMIT ? Number(value) : value;
}

// ---------------------------------------------------------------------------------------------
// Encoding (PROTOCOL.md, "Conventions")
// ---------------------------------------------------------------------------------------------

class ByteWriter {
  constructor() {
    this.parts = [];
  }

  raw(bytes) {
    this.parts.push(bytes);
    return this;
  }

  u8(value) {
    return this.raw(Uint8Array.of(value));
  }

  u16(value) {
    return this.raw(Uint8Array.of(value >>> 8, value & 0xff));
  }

  u32(value) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value);
    return this.raw(bytes);
  }

  u64(value) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
    return this.raw(bytes);
  }

  /** short(x) = u8 length ‖ x */
  short(bytes) {
    if (bytes.length > 255) throw new Error(`a short field holds at most 255 bytes, not ${bytes.length}`);
    return this.u8(bytes.length).raw(bytes);
  }

  shortText(text) {
    return this.short(encoder.encode(text));
  }

  /** list(x) = u16 count ‖ x* */
  list(items, writeItem) {
    if (items.length > 0xffff) throw new Error(`a list holds at most 65535 items, not ${items.length}`);
    this.u16(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  bytes() {
    return concatBytes(...this.parts);
  }
}

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

function isCode(text, maxLength = 32) {
  return typeof text === 'string' && text.length >= 1 && text.length <= maxLength && CODE_PATTERN.test(text);
}

function isChainId(text) {
  return isCode(text, 50);
}

/**
 * Reads the encodings of PROTOCOL.md, "Conventions", checking every length before it reads.
 * Every failure is a VerifyError with this reader's check name.
 */
class ByteReader {
  constructor(bytes, check, what) {
    this.bytes = bytes;
    this.offset = 0;
    this.check = check;
    this.what = what;
  }

  get remaining() {
    return this.bytes.length - this.offset;
  }

  fail(message) {
    return fail(this.check, `${this.what}: ${message}`);
  }

  take(count, field) {
    if (count > this.remaining) {
      throw this.fail(`${field} is cut off (${count} bytes needed, ${this.remaining} left)`);
    }
    const slice = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  u8(field) {
    return this.take(1, field)[0];
  }

  u16(field) {
    const b = this.take(2, field);
    return (b[0] << 8) | b[1];
  }

  u32(field) {
    const b = this.take(4, field);
    return b[0] * 0x1000000 + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  /** u64 as a BigInt. */
  u64(field) {
    const b = this.take(8, field);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  }

  hash(field) {
    return this.take(32, field);
  }

  /** An Ed25519 public key; small-order keys are invalid everywhere. */
  key(field) {
    const key = this.take(32, field);
    if (isSmallOrderKey(key)) throw this.fail(`${field} is an Ed25519 key of small order, which is invalid`);
    return key;
  }

  sig(field) {
    return this.take(64, field);
  }

  /** short(x) = u8 length ‖ x */
  short(field) {
    const length = this.u8(`${field} length`);
    return this.take(length, field);
  }

  /** code = short(ASCII), 1–32 of a-z 0-9 -, not starting with - */
  code(field, maxLength = 32) {
    const bytes = this.short(field);
    const text = String.fromCharCode(...bytes);
    if (!isCode(text, maxLength)) throw this.fail(`${field} is not a valid code (1 to ${maxLength} of a-z, 0-9, -)`);
    return text;
  }

  chainId(field) {
    return this.code(field, 50);
  }

  /** optional(x) = u8 0 | u8 1 ‖ x */
  optional(field, read) {
    const presence = this.u8(`${field} presence byte`);
    if (presence === 0) return null;
    if (presence === 1) return read();
    throw this.fail(`${field} has presence byte ${presence}, not 0 or 1`);
  }

  /** list(x) = u16 count ‖ x* */
  list(field, readItem, { min = 0, max = 0xffff } = {}) {
    const count = this.u16(`${field} count`);
    if (count < min || count > max) throw this.fail(`${field} has ${count} entries, not ${min} to ${max}`);
    const items = [];
    for (let i = 0; i < count; i++) items.push(readItem(i));
    return items;
  }

  /** A list of codes in strictly ascending order (document types). */
  ascendingCodes(field, limits) {
    const codes = this.list(field, (i) => this.code(`${field}[${i}]`), limits);
    for (let i = 1; i < codes.length; i++) {
      if (!(codes[i - 1] < codes[i])) throw this.fail(`${field} is not in strictly ascending order`);
    }
    return codes;
  }

  end() {
    if (this.remaining !== 0) throw this.fail(`${this.remaining} bytes follow its end`);
  }
}

// ---------------------------------------------------------------------------------------------
// Strict JSON with exact integers
// ---------------------------------------------------------------------------------------------

/**
 * RFC 8259 JSON where every integer (no fraction, no exponent) becomes a BigInt, so that no
 * u64 silently loses precision; other numbers become Numbers. Duplicate keys are refused.
 * Objects have no prototype, so a key such as "__proto__" is an ordinary key.
 */
class JsonParser {
  constructor(text) {
    this.text = text;
    this.offset = 0;
    this.depth = 0;
  }

  static parse(text) {
    const parser = new JsonParser(text);
    const value = parser.value();
    parser.whitespace();
    if (parser.offset !== text.length) parser.fail('unexpected text after the value');
    return value;
  }

  fail(message) {
    throw new SyntaxError(`${message} at character ${this.offset}`);
  }

  whitespace() {
    const text = this.text;
    while (this.offset < text.length) {
      const c = text[this.offset];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      this.offset++;
    }
  }

  value() {
    this.whitespace();
    const c = this.text[this.offset];
    if (c === '{') return this.nested(() => this.object());
    if (c === '[') return this.nested(() => this.array());
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [literal, value] of [['true', true], ['false', false], ['null', null]]) {
      if (this.text.startsWith(literal, this.offset)) {
        this.offset += literal.length;
        return value;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of the text' : 'unexpected character');
  }

  nested(parse) {
    if (++this.depth > MAX_JSON_DEPTH) this.fail('nested too deeply');
    const value = parse();
    this.depth--;
    return value;
  }

  object() {
    const object = Object.create(null);
    this.offset++; // {
    this.whitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return object;
    }
    for (;;) {
      this.whitespace();
      if (this.text[this.offset] !== '"') this.fail('expected a key');
      const key = this.string();
      if (Object.hasOwn(object, key)) this.fail(`duplicate key "${key}"`);
      this.whitespace();
      if (this.text[this.offset] !== ':') this.fail('expected ":"');
      this.offset++;
      object[key] = this.value();
      this.whitespace();
      const c = this.text[this.offset++];
      if (c === '}') return object;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  array() {
    const array = [];
    this.offset++; // [
    this.whitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.whitespace();
      const c = this.text[this.offset++];
      if (c === ']') return array;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  string() {
    const text = this.text;
    this.offset++; // "
    let out = '';
    let start = this.offset;
    for (;;) {
      if (this.offset >= text.length) this.fail('unterminated string');
      const code = text.charCodeAt(this.offset);
      if (code === 0x22) { // "
        out += text.slice(start, this.offset);
        this.offset++;
        return out;
      }
      if (code < 0x20) this.fail('control character in a string');
      if (code === 0x5c) { // backslash
        out += text.slice(start, this.offset);
        out += this.escape();
        start = this.offset;
      } else {
        this.offset++;
      }
    }
  }

  escape() {
    const c = this.text[this.offset + 1];
    const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (c !== undefined && Object.hasOwn(simple, c)) {
      this.offset += 2;
      return simple[c];
    }
    if (c === 'u') {
      const digits = this.text.slice(this.offset + 2, this.offset + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('bad \\u escape');
      this.offset += 6;
      return String.fromCharCode(parseInt(digits, 16));
    }
    return this.fail('bad escape');
  }

  number() {
    const pattern = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    pattern.lastIndex = this.offset;
    const match = pattern.exec(this.text);
    if (!match) this.fail('bad number');
    this.offset += match[0].length;
    if (match[2] === undefined && match[3] === undefined) return BigInt(match[0]);
    return Number(match[0]);
  }
}

function compareUtf8(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The canonical form of RECEIPTS.md, "File format": no whitespace, keys sorted by their bytes. */
function canonicalJson(value) {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareUtf8);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value); // strings, booleans, null, and (never canonical here) other numbers
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Genesis (Genesis/README.md; PROTOCOL.md, "Genesis hash", "Consensus parameters")
// ---------------------------------------------------------------------------------------------

const GENESIS_FIELDS = ['authorities', 'chain_id', 'consensus', 'genesis_time', 'initial_clerks', 'validators'];
const VALIDATOR_FIELDS = ['name', 'peer_address', 'power', 'public_key'];
const AUTHORITY_FIELDS = ['document_types', 'id', 'name', 'public_key', 'salted_document_types'];
const CLERK_FIELDS = ['authority', 'document_types', 'public_key'];

function genesisError(field, message) {
  return new Error(`genesis field ${field}: ${message}`);
}

function refuseUnknownFields(object, known, field) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw genesisError(field ? `${field}.${key}` : key, 'is not a field of a genesis file');
  }
}

function genesisObject(value, field) {
  if (!isObject(value)) throw genesisError(field, 'must be an object');
  return value;
}

function genesisArray(value, field) {
  if (!Array.isArray(value)) throw genesisError(field, 'must be an array');
  return value;
}

function genesisInteger(value, field, min, max) {
  if (typeof value !== 'bigint') throw genesisError(field, 'must be a whole number');
  if (value < BigInt(min) || value > BigInt(max)) throw genesisError(field, `must be from ${min} to ${max}`);
  return value;
}

function genesisText(value, field, minBytes, maxBytes) {
  if (typeof value !== 'string') throw genesisError(field, 'must be a string');
  const length = encoder.encode(value).length;
  if (length < minBytes || length > maxBytes) throw genesisError(field, `must be ${minBytes} to ${maxBytes} bytes of UTF-8`);
  return value;
}

function genesisKey(value, field) {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw genesisError(field, 'must be 64 hex characters of an Ed25519 public key');
  }
  const key = hexToBytes(value);
  if (isSmallOrderKey(key)) throw genesisError(field, 'is an Ed25519 key of small order, which is refused');
  return bytesToHex(key);
}

/** A list of document type codes: deduplicated and sorted ascending (ASCII). */
function genesisDocumentTypes(value, field, { min }) {
  const types = genesisArray(value, field);
  types.forEach((type, i) => {
    if (!isCode(type)) throw genesisError(`${field}[${i}]`, 'must be a code (1 to 32 of a-z, 0-9, -, not starting with -)');
  });
  const unique = [...new Set(types)].sort();
  if (unique.length < min) throw genesisError(field, `must list at least ${min} document type`);
  return unique;
}

/** RFC 3339 to ms since 1970 (PROTOCOL.md, "Genesis hash"): fractions cut, never rounded. */
function parseRfc3339(value, field) {
  const pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
  const m = typeof value === 'string' ? pattern.exec(value) : null;
  if (!m) throw genesisError(field, 'must be an RFC 3339 time such as 2026-12-01T00:00:00Z');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1] || hour > 23 || minute > 59 || second > 59) {
    throw genesisError(field, 'is not a valid date and time');
  }
  const offsetHours = m[9] ? Number(m[10]) : 0;
  const offsetMinutes = m[9] ? Number(m[11]) : 0;
  if (offsetHours > 23 || offsetMinutes > 59) throw genesisError(field, 'has an invalid UTC offset');
  const offsetMs = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60000;
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const ms = daysFromCivil(year, month, day) * 86400000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMs;
  if (ms < 0) throw genesisError(field, 'must not be before 1970');
  return ms;
}

function isLeapYear(year) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function parsePeerAddress(value, field) {
  if (typeof value !== 'string') throw genesisError(field, 'must be a string host:port');
  // PROTOCOL.md "Genesis hash": a non-empty host, the last ':', a port 1–65535 (ASCII digits),
  // at most 253 bytes of UTF-8 in all.
  const colon = value.lastIndexOf(':');
  const port = value.slice(colon + 1);
  const portOk = /^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  if (colon <= 0 || !portOk || encoder.encode(value).length > 253) {
    throw genesisError(field, 'must be host:port, at most 253 bytes');
  }
  return value;
}

function parseConsensus(value) {
  const consensus = value === undefined ? Object.create(null) : genesisObject(value, 'consensus');
  const known = CONSENSUS_PARAMETERS.map((p) => p.json);
  refuseUnknownFields(consensus, known, 'consensus');
  const result = {};
  for (const p of CONSENSUS_PARAMETERS) {
    const raw = consensus[p.json];
    result[p.name] = raw === undefined ? p.def : Number(genesisInteger(raw, `consensus.${p.json}`, p.min, p.max));
  }
  return result;
}

function parseValidators(value) {
  const list = genesisArray(value, 'validators');
  if (list.length < 1 || list.length > 100) throw genesisError('validators', 'must list 1 to 100 validators');
  const names = new Set();
  const keys = new Set();
  return list.map((entry, i) => {
    const field = `validators[${i}]`;
    genesisObject(entry, field);
    refuseUnknownFields(entry, VALIDATOR_FIELDS, field);
    const name = genesisText(entry.name, `${field}.name`, 1, 64);
    const publicKey = genesisKey(entry.public_key, `${field}.public_key`);
    const peerAddress = parsePeerAddress(entry.peer_address, `${field}.peer_address`);
    const power = genesisInteger(entry.power, `${field}.power`, 1, MAX_VALIDATOR_POWER);
    if (names.has(name)) throw genesisError(`${field}.name`, 'must be unique');
    if (keys.has(publicKey)) throw genesisError(`${field}.public_key`, 'must be unique');
    names.add(name);
    keys.add(publicKey);
    return { name, publicKey, power: numberOrBigInt(power), peerAddress };
  });
}

function parseAuthorities(value) {
  const list = genesisArray(value, 'authorities');
  const ids = new Set();
  return list.map((entry, i) => {
    const field = `authorities[${i}]`;
    genesisObject(entry, field);
    refuseUnknownFields(entry, AUTHORITY_FIELDS, field);
    if (!isCode(entry.id)) throw genesisError(`${field}.id`, 'must be a code (1 to 32 of a-z, 0-9, -, not starting with -)');
    if (ids.has(entry.id)) throw genesisError(`${field}.id`, 'must be unique');
    ids.add(entry.id);
    const name = genesisText(entry.name, `${field}.name`, 1, 200);
    const publicKey = genesisKey(entry.public_key, `${field}.public_key`);
    const documentTypes = genesisDocumentTypes(entry.document_types, `${field}.document_types`, { min: 1 });
    const saltedDocumentTypes = entry.salted_document_types === undefined
      ? []
      : genesisDocumentTypes(entry.salted_document_types, `${field}.salted_document_types`, { min: 0 });
    for (const type of saltedDocumentTypes) {
      if (!documentTypes.includes(type)) {
        throw genesisError(`${field}.salted_document_types`, `lists ${type}, which is not in the authority's document_types`);
      }
    }
    return { id: entry.id, name, publicKey, documentTypes, saltedDocumentTypes };
  });
}

function parseInitialClerks(value, authorities) {
  const list = value === undefined ? [] : genesisArray(value, 'initial_clerks');
  const authorityKeys = new Set(authorities.map((a) => a.publicKey));
  const keys = new Set();
  return list.map((entry, i) => {
    const field = `initial_clerks[${i}]`;
    genesisObject(entry, field);
    refuseUnknownFields(entry, CLERK_FIELDS, field);
    const authority = authorities.find((a) => a.id === entry.authority);
    if (!authority) throw genesisError(`${field}.authority`, 'must be the id of an authority in this genesis');
    const publicKey = genesisKey(entry.public_key, `${field}.public_key`);
    if (keys.has(publicKey)) throw genesisError(`${field}.public_key`, 'must be unique');
    if (authorityKeys.has(publicKey)) throw genesisError(`${field}.public_key`, 'is an authority key, which can never be a clerk');
    keys.add(publicKey);
    const documentTypes = genesisDocumentTypes(entry.document_types, `${field}.document_types`, { min: 1 });
    for (const type of documentTypes) {
      if (!authority.documentTypes.includes(type)) {
        throw genesisError(`${field}.document_types`, `lists ${type}, which ${authority.id} does not issue`);
      }
    }
    return { authority: authority.id, publicKey, documentTypes };
  });
}

/**
 * Parses and checks a genesis file (Genesis/README.md) and computes its hash (PROTOCOL.md,
 * "Genesis hash", with GENESIS_HASH_TAG). Throws Error(message naming the field) when invalid.
 */
export async function parseGenesis(text) {
  if (typeof text !== 'string') throw new Error('the genesis must be given as text');
  if (text.length > MAX_JSON_CHARS) throw new Error('the genesis file is too large');
  let json;
  try {
    json = JsonParser.parse(text);
  } catch (error) {
    throw new Error(`the genesis is not valid JSON (${error.message})`);
  }
  genesisObject(json, '(top level)');
  refuseUnknownFields(json, GENESIS_FIELDS);
  if (!isChainId(json.chain_id)) throw genesisError('chain_id', 'must be 1 to 50 of a-z, 0-9, -, not starting with -');
  const genesisTimeMs = parseRfc3339(json.genesis_time, 'genesis_time');
  const consensus = parseConsensus(json.consensus);
  const validators = parseValidators(json.validators);
  const authorities = parseAuthorities(json.authorities);
  const initialClerks = parseInitialClerks(json.initial_clerks, authorities);
  const totalPower = validators.reduce((sum, v) => sum + BigInt(v.power), 0n);
  const genesis = {
    chainId: json.chain_id,
    genesisHash: '',
    genesisTimeMs,
    validators,
    totalPower: numberOrBigInt(totalPower),
    validatorsHash: '',
    authorities,
    initialClerks,
    consensus,
  };
  genesis.genesisHash = await computeGenesisHash(genesis);
  genesis.validatorsHash = bytesToHex(await validatorsHash(validators));
  return genesis;
}

/**
 * The genesis fingerprint (PROTOCOL.md, "Genesis hash") of a parsed genesis, as hex; `tag`
 * selects the layout (GENESIS_LAYOUTS). parseGenesis uses GENESIS_HASH_TAG.
 */
export async function computeGenesisHash(genesis, { tag = GENESIS_HASH_TAG } = {}) {
  const layout = GENESIS_LAYOUTS[tag];
  if (!layout) throw new Error(`unknown genesis hash tag ${tag}`);
  const codeText = (w, code) => w.shortText(code);
  const w = new ByteWriter()
    .shortText(tag)
    .shortText(genesis.chainId)
    .u64(genesis.genesisTimeMs);
  for (const p of CONSENSUS_PARAMETERS) {
    if (p.bits === 32) w.u32(genesis.consensus[p.name]);
    else w.u64(genesis.consensus[p.name]);
  }
  w.list(genesis.validators, (v, validator) => v
    .shortText(validator.name)
    .raw(hexToBytes(validator.publicKey))
    .shortText(validator.peerAddress)
    .u64(validator.power));
  w.list(genesis.authorities, (a, authority) => {
    a.shortText(authority.id)
      .shortText(authority.name)
      .raw(hexToBytes(authority.publicKey))
      .list([...authority.documentTypes].sort(), codeText);
    if (layout.saltedPerAuthority) a.list([...(authority.saltedDocumentTypes ?? [])].sort(), codeText);
  });
  w.list(genesis.initialClerks, (c, clerk) => c
    .shortText(clerk.authority)
    .raw(hexToBytes(clerk.publicKey))
    .list([...clerk.documentTypes].sort(), codeText));
  if (layout.saltedTrailer) {
    const salted = genesis.authorities.filter((a) => (a.saltedDocumentTypes ?? []).length > 0);
    if (salted.length > 0) {
      w.list(salted, (t, authority) => t.shortText(authority.id).list([...authority.saltedDocumentTypes].sort(), codeText));
    }
  }
  return bytesToHex(await sha256(w.bytes()));
}

/** validatorsHash = SHA-256(list(key ‖ u64 power)) (PROTOCOL.md, "Block header"). */
async function validatorsHash(validators) {
  const w = new ByteWriter().list(validators, (v, validator) => v
    .raw(hexToBytes(validator.publicKey))
    .u64(validator.power));
  return sha256(w.bytes());
}

/** What the checks need from a Genesis, derived once per object. */
const genesisContexts = new WeakMap();

function genesisContext(genesis) {
  if (!isObject(genesis)) throw fail('genesis', 'No genesis was given (use parseGenesis on the genesis file).');
  let context = genesisContexts.get(genesis);
  if (!context) {
    context = deriveGenesisContext(genesis);
    genesisContexts.set(genesis, context);
  }
  return context;
}

function deriveGenesisContext(genesis) {
  try {
    const validators = genesis.validators.map((v) => ({ name: v.name, key: hexToBytes(v.publicKey), power: BigInt(v.power) }));
    if (validators.length === 0) throw new Error('no validators');
    if (!Array.isArray(genesis.authorities)) throw new Error('no authorities');
    return {
      chainId: genesis.chainId,
      genesisHash: genesis.genesisHash.toLowerCase(),
      validatorsHash: hexToBytes(genesis.validatorsHash),
      validators,
      totalPower: validators.reduce((sum, v) => sum + v.power, 0n),
      authorities: genesis.authorities,
      initialClerks: genesis.initialClerks ?? [],
      provenAt: null, // the genesis set; a set proven by validator_sets: the height it took over at
    };
  } catch (error) {
    throw fail('genesis', `The genesis is not a parsed genesis (use parseGenesis): ${error.message}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Ed25519 (RFC 8032 via Web Crypto)
// ---------------------------------------------------------------------------------------------

const importedKeys = new Map();

function importVerifyKey(publicKey) {
  const hex = bytesToHex(publicKey);
  let key = importedKeys.get(hex);
  if (!key) {
    if (importedKeys.size > 1000) importedKeys.clear();
    key = subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    importedKeys.set(hex, key);
  }
  return key;
}

/**
 * True when `signature` is `publicKey`'s Ed25519 signature of `message`; false when the key or
 * signature is unusable. A Web Crypto without Ed25519 is an error, not a bad signature.
 */
async function ed25519Verify(publicKey, signature, message) {
  if (isSmallOrderKey(publicKey)) return false;
  const api = subtle();
  try {
    const key = await importVerifyKey(publicKey);
    return await api.verify({ name: 'Ed25519' }, key, signature, message);
  } catch (error) {
    importedKeys.delete(bytesToHex(publicKey));
    if (error && error.name === 'NotSupportedError') throw new Error("this browser's Web Crypto does not support Ed25519");
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Block header (PROTOCOL.md, "Block header")
// ---------------------------------------------------------------------------------------------

function decodeHeader(bytes) {
  const r = new ByteReader(bytes, 'header', 'the block header');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw r.fail(`version ${version} is not a header version this verifier knows (1 or 2)`);
  const header = { version, chainId: r.chainId('chain id') };
  header.height = r.u64('height');
  header.time = r.u64('time');
  header.previousHash = r.hash('previous hash');
  header.lastCommitHash = r.hash('last commit hash');
  header.txRoot = r.hash('tx root');
  header.txCount = r.u32('tx count');
  header.validatorsHash = r.hash('validators hash');
  header.nextValidatorsHash = version === 2 ? r.hash('next validators hash') : null;
  header.evidenceHash = r.hash('evidence hash');
  header.stateRoot = version === 2 ? r.hash('state root') : null;
  header.proposer = r.u16('proposer');
  r.end();
  return header;
}

/**
 * RECEIPTS.md, "Checking an Inclusion" step 1 and "Verification algorithm (version 2)" step 3:
 * the header is of this chain and names the set that signs its height (the genesis set, or the
 * one `changes`, the input's validator_sets, prove). Returns that set's context for verifyCommit.
 */
async function checkHeader(header, g, changes) {
  if (header.chainId !== g.chainId) {
    throw fail('header', `the block header is for chain ${header.chainId}, not ${g.chainId}`);
  }
  const set = await validatorSetAt(g, changes, header.height);
  if (!equalBytes(header.validatorsHash, set.validatorsHash)) {
    throw fail('header', set.provenAt === null
      ? "the block header's validators hash is not the genesis validator set's"
      : `the block header's validators hash is not that of the validator set that validator_sets prove for height ${header.height} (the set taking over at height ${set.provenAt})`);
  }
  if (header.height < 1n) throw fail('header', 'the block header has height 0; blocks start at 1');
  toNumber(header.height, 'header', 'the block height');
  toNumber(header.time, 'header', 'the block time');
  return set;
}

// ---------------------------------------------------------------------------------------------
// Validator sets and their changes (PROTOCOL.md, "Validator set"; RECEIPTS.md, "Validator set
// changes", the algorithm the node's ValidatorSetChain.set implements)
// ---------------------------------------------------------------------------------------------

const MAX_SET_CHANGES = 10000;
const MAX_SET_VALIDATORS = 100;
const MAX_SET_TOTAL_POWER = 1n << 60n;

/** short(UTF-8) of at most `limit` bytes (validator names and peer addresses). */
function readUtf8(r, field, limit) {
  const bytes = r.short(field);
  if (bytes.length > limit) throw r.fail(`${field} has ${bytes.length} bytes, more than ${limit}`);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw r.fail(`${field} is not UTF-8`);
  }
}

/**
 * A ValidatorSet encoding: list(u16 index ‖ short(name) ‖ key ‖ short(peerAddress) ‖ u64 power),
 * 1 to 100 members in strictly increasing member index, distinct keys, every power ≥ 1, total
 * ≤ 2^60, nothing after it. Returns its members and hash.
 */
async function decodeValidatorSet(bytes, what) {
  const r = new ByteReader(bytes, 'validator_sets', what);
  const members = r.list('validators', (i) => ({
    index: r.u16(`validator ${i} index`),
    name: readUtf8(r, `validator ${i} name`, 64),
    key: r.key(`validator ${i} public key`),
    peerAddress: readUtf8(r, `validator ${i} peer address`, 253),
    power: r.u64(`validator ${i} power`),
  }), { min: 1, max: MAX_SET_VALIDATORS });
  r.end();
  const keys = new Set();
  let total = 0n;
  members.forEach((m, i) => {
    if (i > 0 && !(members[i - 1].index < m.index)) throw r.fail('member indices are not strictly increasing');
    const hex = bytesToHex(m.key);
    if (keys.has(hex)) throw r.fail(`the key ${hex.slice(0, 16)}… is listed twice`);
    keys.add(hex);
    if (m.power < 1n || m.power > MAX_SET_TOTAL_POWER - total) {
      throw r.fail('every power must be 1 or more, in all at most 2^60');
    }
    total += m.power;
  });
  return { members, totalPower: total, hash: await validatorSetHash(members) };
}

/**
 * PROTOCOL.md, "Validator set": SHA-256(list(key ‖ u64 power)) for a dense set (members 0 to
 * n − 1, the genesis hash rule of validatorsHash), with (u16 index)* appended for any other.
 */
async function validatorSetHash(members) {
  const w = new ByteWriter().list(members, (v, m) => v.raw(m.key).u64(m.power));
  const dense = members[members.length - 1].index === members.length - 1;
  if (!dense) for (const m of members) w.u16(m.index);
  return sha256(w.bytes());
}

/**
 * The context of a proven set: the genesis context with `validators` by member index (a sparse
 * array), the set's hash and total power, and the height it took over at.
 */
function setContext(g, set, height) {
  const validators = [];
  for (const m of set.members) validators[m.index] = { name: m.name, key: m.key, power: m.power };
  return { ...g, validators, validatorsHash: set.hash, totalPower: set.totalPower, provenAt: height };
}

/**
 * ValidatorSetChain.set: the set that signs `height`, from the genesis set through `changes` (the
 * parsed validator_sets, or null). Changes above `height` are skipped; each other one must be
 * above the last (the first at least 2), and is accepted only when the header of its height − 1
 * names the set trusted so far and the new set as next, under a commit of more than two thirds of
 * the set trusted so far.
 */
async function validatorSetAt(g, changes, height) {
  if (changes === null || changes.length === 0) return g;
  if (changes.length > MAX_SET_CHANGES) throw fail('validator_sets', `there are more than ${MAX_SET_CHANGES} validator set changes`);
  let trusted = g;
  let last = 1n;
  for (const [i, change] of changes.entries()) {
    if (change.height > height) continue;
    const prefix = `the validator set changes do not hold: validator_sets[${i}] (height ${change.height})`;
    trusted = await asSetChange(prefix, async () => {
      if (!(change.height > last)) throw fail('validator_sets', 'heights must increase, each above 1');
      last = change.height;
      const set = await decodeValidatorSet(change.validators, 'the new validator set');
      const header = decodeHeader(change.blockHeader);
      if (header.chainId !== g.chainId || header.height !== change.height - 1n) {
        throw fail('validator_sets', `the header before height ${change.height} is for another chain or height`);
      }
      if (!equalBytes(header.validatorsHash, trusted.validatorsHash)) {
        throw fail('validator_sets', `the header at ${header.height} is not signed by the set proven before it`);
      }
      // A version-1 header has no nextValidatorsHash: it reads as its validatorsHash.
      if (!equalBytes(header.nextValidatorsHash ?? header.validatorsHash, set.hash)) {
        throw fail('validator_sets', `the header at ${header.height} does not name the set that takes over`);
      }
      const blockHash = await sha256(change.blockHeader);
      await withPrefix(() => `block ${header.height}`, () => verifyCommit(change.commit, header, blockHash, trusted));
      return setContext(g, set, change.height);
    });
  }
  return trusted;
}

/** Runs one change's checks: every failure becomes a validator_sets failure after `prefix`. */
async function asSetChange(prefix, run) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof VerifyError) throw fail('validator_sets', `${prefix}: ${error.reason}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Commit (PROTOCOL.md, "Commit", "Vote")
// ---------------------------------------------------------------------------------------------

function decodeCommit(bytes, g) {
  const r = new ByteReader(bytes, 'commit', 'the commit');
  const commit = { height: r.u64('height'), round: r.u32('round'), blockHash: r.hash('block hash') };
  let previous = -1;
  commit.signatures = r.list('signatures', (i) => {
    const index = r.u16(`signature ${i} validator index`);
    if (index <= previous) throw r.fail('validator indices are not strictly increasing');
    if (g.validators[index] === undefined) {
      throw r.fail(g.provenAt === null
        ? `it names validator index ${index}, which the genesis does not list`
        : `it names validator index ${index}, which the validator set taking over at height ${g.provenAt} does not list`);
    }
    previous = index;
    return { index, signature: r.sig(`signature ${i}`) };
  });
  r.end();
  return commit;
}

/** The precommit vote bytes a commit signature covers. */
function precommitMessage(chainId, height, round, blockHash) {
  return new ByteWriter()
    .shortText(VOTE_TAG)
    .shortText(chainId)
    .u8(2) // precommit
    .u64(height)
    .u32(round)
    .u8(1) // optional(hash block): present
    .raw(blockHash)
    .bytes();
}

/**
 * RECEIPTS.md, "Checking an Inclusion" step 2: the commit signs SHA-256(header) at the header's
 * height, every signature verifies, and the signers hold more than two thirds of the power.
 */
async function verifyCommit(commitBytes, header, blockHash, g) {
  const commit = decodeCommit(commitBytes, g);
  if (commit.height !== header.height) {
    throw fail('commit', `the commit is for height ${commit.height}, not the header's ${header.height}`);
  }
  if (!equalBytes(commit.blockHash, blockHash)) throw fail('commit', 'the commit signs another block hash than this header');
  const message = precommitMessage(g.chainId, commit.height, commit.round, commit.blockHash);
  const results = await Promise.all(commit.signatures.map((s) => ed25519Verify(g.validators[s.index].key, s.signature, message)));
  results.forEach((good, i) => {
    if (!good) throw fail('commit', `The commit signature of ${g.validators[commit.signatures[i].index].name} is invalid.`);
  });
  const signedPower = commit.signatures.reduce((sum, s) => sum + g.validators[s.index].power, 0n);
  const needed = (g.totalPower * 2n) / 3n + 1n;
  if (signedPower < needed) {
    throw fail('commit', `the commit carries ${signedPower} of ${g.totalPower} voting power, not more than two thirds`);
  }
  return {
    signers: commit.signatures.map((s) => g.validators[s.index].name),
    signedPower: numberOrBigInt(signedPower),
    totalPower: numberOrBigInt(g.totalPower),
  };
}

// ---------------------------------------------------------------------------------------------
// Transaction (PROTOCOL.md, "Transaction")
// ---------------------------------------------------------------------------------------------

function decodeTransaction(bytes) {
  if (bytes.length > MAX_TRANSACTION_BYTES) throw fail('transaction', `the transaction has ${bytes.length} bytes, more than ${MAX_TRANSACTION_BYTES}`);
  const r = new ByteReader(bytes, 'transaction', 'the transaction');
  const version = r.u8('version');
  if (version !== 1) throw r.fail(`version ${version} is not a transaction version this verifier knows (1)`);
  const tx = { kind: r.u8('kind') };
  tx.signer = r.key('signer');
  tx.time = r.u64('time');
  tx.nonce = r.u64('nonce');
  const decodePayload = TRANSACTION_PAYLOADS[tx.kind];
  if (!decodePayload) throw r.fail(`kind ${tx.kind} is not a transaction kind this verifier knows (1 to 5)`);
  Object.assign(tx, decodePayload(r));
  tx.signedBytes = bytes.slice(0, r.offset);
  tx.signature = r.sig('signature');
  r.end();
  return tx;
}

const TRANSACTION_PAYLOADS = {
  // 1 register clerk: code authority ‖ key clerk ‖ list(code documentType), 1–16, ascending
  1: (r) => ({
    authority: r.code('authority'),
    clerk: r.key('clerk'),
    documentTypes: r.ascendingCodes('document types', { min: 1, max: 16 }),
  }),
  // 2 revoke clerk: code authority ‖ key clerk
  2: (r) => ({ authority: r.code('authority'), clerk: r.key('clerk') }),
  // 3 anchor document
  3: (r) => {
    const anchor = {
      document: r.hash('document'),
      documentType: r.code('document type'),
      authority: r.code('authority'),
      reference: r.optional('reference', () => r.hash('reference')),
      validFrom: r.optional('valid from', () => r.u64('valid from')),
      validUntil: r.optional('valid until', () => r.u64('valid until')),
    };
    checkValidityWindow(r, anchor.validFrom, anchor.validUntil);
    return anchor;
  },
  // 4 revoke document: hash document ‖ u8 reason ‖ time effective
  4: (r) => {
    const document = r.hash('document');
    const reasonCode = r.u8('reason');
    if (!REVOCATION_REASONS[reasonCode]) throw r.fail(`revocation reason ${reasonCode} is unknown`);
    return { document, reasonCode, effective: r.u64('effective time') };
  },
  // 5 supersede document: hash old ‖ hash new ‖ time effective (new ≠ old)
  5: (r) => {
    const old = r.hash('old document');
    const replacement = r.hash('new document');
    if (equalBytes(old, replacement)) throw r.fail('it supersedes a document by itself');
    return { old, new: replacement, effective: r.u64('effective time') };
  },
};

function checkValidityWindow(r, validFrom, validUntil) {
  if (validFrom !== null && validUntil !== null && !(validUntil > validFrom)) {
    throw r.fail('valid until is not after valid from');
  }
}

/** The transaction's Ed25519 signature over short(tag) ‖ short(chainId) ‖ bytes before it. */
async function verifyTransactionSignature(tx, chainId) {
  const message = new ByteWriter().shortText(TX_TAG).shortText(chainId).raw(tx.signedBytes).bytes();
  return ed25519Verify(tx.signer, tx.signature, message);
}

// ---------------------------------------------------------------------------------------------
// Merkle audit paths (RFC 9162 §2.1.3.2; PROTOCOL.md, "Block header", txRoot)
// ---------------------------------------------------------------------------------------------

async function verifyAuditPath(leafIndex, treeSize, leafHash, path, root) {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(concatBytes(Uint8Array.of(1), p, r));
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(concatBytes(Uint8Array.of(1), r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

// ---------------------------------------------------------------------------------------------
// State tree (PROTOCOL.md, "State tree")
// ---------------------------------------------------------------------------------------------

const EMPTY_SUBTREE = new Uint8Array(32);

/** Bit d of a key: bit 7 − d mod 8 of byte d / 8. */
function keyBit(key, depth) {
  return (key[depth >> 3] >> (7 - (depth & 7))) & 1;
}

/**
 * Verifies the path of `key` to `root`; returns { present: true, valueHash } or { present: false }.
 */
async function verifyStatePath(key, proof, root) {
  const { siblings, leaf } = proof;
  if (siblings.length > MAX_SIBLINGS) throw fail('state_path', `the state path has ${siblings.length} siblings, more than ${MAX_SIBLINGS}`);
  let h = leaf ? await sha256(concatBytes(Uint8Array.of(0x10), leaf.key, leaf.valueHash)) : EMPTY_SUBTREE;
  for (let d = siblings.length - 1; d >= 0; d--) {
    const [left, right] = keyBit(key, d) === 1 ? [siblings[d], h] : [h, siblings[d]];
    h = await sha256(concatBytes(Uint8Array.of(0x11), left, right));
  }
  if (!equalBytes(h, root)) throw fail('state_path', "the state path does not lead to the header's state root");
  if (!leaf) return { present: false };
  if (equalBytes(leaf.key, key)) return { present: true, valueHash: leaf.valueHash };
  for (let d = 0; d < siblings.length; d++) {
    if (keyBit(leaf.key, d) !== keyBit(key, d)) {
      throw fail('state_path', "the proof's leaf is not on the path of the subject's key");
    }
  }
  return { present: false };
}

// ---------------------------------------------------------------------------------------------
// Records (PROTOCOL.md, "Records")
// ---------------------------------------------------------------------------------------------

function decodeDocumentRecord(bytes) {
  const r = new ByteReader(bytes, 'record', 'the document record');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw r.fail(`version ${version} is not a record version this verifier knows (1, 2)`);
  const record = {
    document: r.hash('document'),
    documentType: r.code('document type'),
    authority: r.code('authority'),
    clerk: r.key('clerk'),
    reference: r.optional('reference', () => r.hash('reference')),
    validFrom: r.optional('valid from', () => r.u64('valid from')),
    validUntil: r.optional('valid until', () => r.u64('valid until')),
  };
  checkValidityWindow(r, record.validFrom, record.validUntil);
  record.anchoredHeight = r.u64('anchored height');
  record.anchoredTime = r.u64('anchored time');
  record.anchorTx = r.hash('anchor transaction');
  record.supersedes = r.optional('supersedes', () => r.hash('supersedes'));
  record.status = decodeDocumentStatus(r);
  // Version 2: a co-signed (four-eyes) record ends with the two co-signers, at least one present.
  if (version === 2) {
    record.cosigner = r.optional('co-signer', () => r.key('co-signer'));
    const statusCosigner = r.optional('status co-signer', () => r.key('status co-signer'));
    if (record.cosigner === null && statusCosigner === null) throw r.fail('version 2 is for records with a co-signer');
    if (statusCosigner !== null && record.status.kind === 'valid') throw r.fail('a valid document has no status co-signer');
    if (statusCosigner !== null) record.status.cosigner = statusCosigner;
  }
  r.end();
  return record;
}

function decodeDocumentStatus(r) {
  const tag = r.u8('status');
  if (tag === 0) return { kind: 'valid' };
  if (tag === 1) {
    const reasonCode = r.u8('revocation reason');
    if (!REVOCATION_REASONS[reasonCode]) throw r.fail(`revocation reason ${reasonCode} is unknown`);
    return { kind: 'revoked', reasonCode, ...statusTail(r) };
  }
  if (tag === 2) return { kind: 'superseded', newDocument: r.hash('new document'), ...statusTail(r) };
  throw r.fail(`status ${tag} is not a status this verifier knows (0, 1 or 2)`);
}

/** time effective ‖ u64 height ‖ hash tx ‖ key clerk, shared by revoked and superseded. */
function statusTail(r) {
  return { effective: r.u64('effective time'), height: r.u64('status height'), tx: r.hash('status transaction'), clerk: r.key('status clerk') };
}

function decodeClerkRecord(bytes) {
  const r = new ByteReader(bytes, 'record', 'the clerk record');
  const version = r.u8('version');
  if (version !== 1) throw r.fail(`version ${version} is not a record version this verifier knows (1)`);
  const record = {
    authority: r.code('authority'),
    clerk: r.key('clerk'),
    documentTypes: r.ascendingCodes('document types'),
    registeredHeight: r.u64('registered height'),
    registrationTx: r.optional('registration transaction', () => r.hash('registration transaction')),
    revokedHeight: r.optional('revoked height', () => r.u64('revoked height')),
    revocationTx: r.optional('revocation transaction', () => r.hash('revocation transaction')),
  };
  r.end();
  return record;
}

/** The record as the result shows it: hex strings and Numbers. */
function presentDocumentRecord(record) {
  const n = (value, what) => (value === null ? null : toNumber(value, 'record', what));
  const hex = (value) => (value === null ? null : bytesToHex(value));
  let status = { kind: 'valid' };
  const s = record.status;
  if (s.kind !== 'valid') {
    const tail = { effectiveMs: n(s.effective, 'the effective time'), height: n(s.height, 'the status height'), tx: hex(s.tx), clerk: hex(s.clerk), cosigner: hex(s.cosigner ?? null) };
    status = s.kind === 'revoked'
      ? { kind: 'revoked', reason: REVOCATION_REASONS[s.reasonCode], reasonCode: s.reasonCode, ...tail }
      : { kind: 'superseded', newDocument: hex(s.newDocument), ...tail };
  }
  return {
    documentHash: hex(record.document),
    documentType: record.documentType,
    authority: record.authority,
    clerk: hex(record.clerk),
    cosigner: hex(record.cosigner ?? null),
    reference: hex(record.reference),
    validFromMs: n(record.validFrom, 'valid from'),
    validUntilMs: n(record.validUntil, 'valid until'),
    anchoredHeight: n(record.anchoredHeight, 'the anchored height'),
    anchoredTimeMs: n(record.anchoredTime, 'the anchored time'),
    anchorTx: hex(record.anchorTx),
    supersedes: hex(record.supersedes),
    status,
  };
}

function presentClerkRecord(record) {
  const n = (value, what) => (value === null ? null : toNumber(value, 'record', what));
  return {
    authority: record.authority,
    clerk: bytesToHex(record.clerk),
    documentTypes: record.documentTypes,
    registeredHeight: n(record.registeredHeight, 'the registered height'),
    registrationTx: record.registrationTx === null ? null : bytesToHex(record.registrationTx),
    revokedHeight: n(record.revokedHeight, 'the revoked height'),
    revocationTx: record.revocationTx === null ? null : bytesToHex(record.revocationTx),
  };
}

// ---------------------------------------------------------------------------------------------
// Verdicts and options
// ---------------------------------------------------------------------------------------------

/**
 * RECEIPTS.md: a document is "expired" "after validUntil" and "not yet valid (before
 * validFrom)". "After" is read literally: at exactly validUntil the document is still valid.
 */
function isExpired(nowMs, validUntilMs) {
  return nowMs >= validUntilMs; // RECEIPTS.md, version 1 step 6: expired when now ≥ validUntil
}

function isNotYetValid(nowMs, validFromMs) {
  return nowMs < validFromMs;
}

/** Revocation and supersession win; then the validity window, against the verifier's clock. */
function documentVerdict(record, nowMs) {
  if (record.status.kind !== 'valid') return record.status.kind;
  if (record.validFromMs !== null && isNotYetValid(nowMs, record.validFromMs)) return 'not_yet_valid';
  if (record.validUntilMs !== null && isExpired(nowMs, record.validUntilMs)) return 'expired';
  return 'valid';
}

function readOptions(options, maxAgeDefault) {
  const o = options ?? {};
  if (!isObject(o)) throw fail('format', 'The options must be an object.');
  const nowMs = o.nowMs === undefined ? Date.now() : o.nowMs;
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw fail('format', 'options.nowMs must be a number of milliseconds since 1970.');
  const file = o.file === true;
  let maxAgeMs = o.maxAgeMs === undefined ? (file ? null : maxAgeDefault) : o.maxAgeMs;
  if (maxAgeMs !== null && (typeof maxAgeMs !== 'number' || !(maxAgeMs >= 0))) {
    throw fail('format', 'options.maxAgeMs must be a number of milliseconds from 0, or null.');
  }
  let documentHash = null;
  if (o.documentHash !== undefined && o.documentHash !== null) {
    if (typeof o.documentHash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.documentHash)) {
      throw fail('format', 'options.documentHash must be 64 hex characters.');
    }
    documentHash = o.documentHash.toLowerCase();
  }
  return { nowMs, maxAgeMs, documentHash };
}

function isStale(blockTimeMs, opts) {
  return opts.maxAgeMs !== null && opts.nowMs - blockTimeMs > opts.maxAgeMs;
}

function authorityName(g, id) {
  const authority = g.authorities.find((a) => a.id === id);
  return authority ? authority.name : null;
}

// ---------------------------------------------------------------------------------------------
// JSON fields of proofs and receipts (RECEIPTS.md)
// ---------------------------------------------------------------------------------------------

/** Reads the fields of one JSON object: refuses unknown fields and missing required ones. */
class FieldReader {
  constructor(value, what, required, optional = []) {
    if (!isObject(value)) throw fail('format', `${capitalise(what)} is not a JSON object.`);
    const known = [...required, ...optional];
    const unknown = Object.keys(value).filter((key) => !known.includes(key)).sort(compareUtf8);
    if (unknown.length > 0) throw fail('format', `${capitalise(what)} has an unknown field ${JSON.stringify(unknown[0])}.`);
    for (const key of required) {
      if (!Object.hasOwn(value, key)) throw fail('format', `${capitalise(what)} lacks the field ${JSON.stringify(key)}.`);
    }
    this.value = value;
    this.what = what;
  }

  has(key) {
    return Object.hasOwn(this.value, key);
  }

  fail(key, message) {
    return fail('format', `The field ${JSON.stringify(key)} of ${this.what} ${message}.`);
  }

  string(key) {
    const value = this.value[key];
    if (typeof value !== 'string') throw this.fail(key, 'is not a string');
    return value;
  }

  /** Lower-case hex (RECEIPTS.md: "every binary value as lower-case hex"). */
  hex(key, length) {
    return hexValue(this.value[key], length, (message) => this.fail(key, message));
  }

  /** A whole number from JSON: a BigInt (this module's parser) or an exact Number (JSON.parse). */
  integer(key, min, max) {
    const value = this.value[key];
    let n;
    if (typeof value === 'bigint') n = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else throw this.fail(key, 'is not a whole number');
    if (n < min || n > max) throw this.fail(key, `is not from ${min} to ${max}`);
    return n;
  }

  array(key, maxLength) {
    const value = this.value[key];
    if (!Array.isArray(value)) throw this.fail(key, 'is not an array');
    if (value.length > maxLength) throw this.fail(key, `has more than ${maxLength} entries`);
    return value;
  }
}

function hexValue(value, length, failWith) {
  if (typeof value !== 'string') throw failWith('is not a string');
  if (value.length === 0 || value.length % 2 !== 0 || !/^[0-9a-f]*$/.test(value)) {
    throw failWith('is not lower-case hex');
  }
  if (length !== undefined && value.length !== 2 * length) throw failWith(`is not ${length} bytes of hex`);
  if (value.length > 2 * MAX_JSON_CHARS) throw failWith('is too long');
  return hexToBytes(value);
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function versionOf(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return null;
}

// Version 2 (RECEIPTS.md, "Version 2: status and absence receipts")
const STATE_PROOF_REQUIRED = ['block_header', 'chain_id', 'commit', 'genesis_hash', 'height', 'kind', 'state_proof', 'subject', 'version'];

function readStateProofFields(value) {
  const f = new FieldReader(value, 'the proof', STATE_PROOF_REQUIRED, ['record', 'validator_sets']);
  if (versionOf(value.version) !== 2n) throw fail('format', 'The proof is not version 2.');
  const kind = f.string('kind');
  if (kind !== 'document' && kind !== 'clerk') throw f.fail('kind', 'is neither "document" nor "clerk"');
  const proof = {
    kind,
    chainId: f.string('chain_id'),
    genesisHash: bytesToHex(f.hex('genesis_hash', 32)),
    height: f.integer('height', 1n, U64_MAX),
    subject: f.hex('subject', 32),
    record: f.has('record') ? f.hex('record') : null,
    blockHeader: f.hex('block_header'),
    commit: f.hex('commit'),
    validatorSets: readValidatorSetChanges(f),
  };
  const sp = new FieldReader(value.state_proof, 'the state proof', ['siblings'], ['leaf']);
  proof.stateProof = {
    siblings: sp.array('siblings', MAX_SIBLINGS).map((s, i) => hexValue(s, 32, (m) => sp.fail(`siblings[${i}]`, m))),
    leaf: null,
  };
  if (sp.has('leaf')) {
    const leaf = new FieldReader(value.state_proof.leaf, 'the state proof leaf', ['key', 'value_hash']);
    proof.stateProof.leaf = { key: leaf.hex('key', 32), valueHash: leaf.hex('value_hash', 32) };
  }
  return proof;
}

// Version 1 (RECEIPTS.md, "File format (version 1)")
const RECEIPT_V1_REQUIRED = ['anchor', 'chain_id', 'clerk_authorisation', 'document', 'genesis_hash', 'version'];
const INCLUSION_REQUIRED = ['block_header', 'commit', 'proof', 'transaction', 'tx_index'];

function readReceiptV1Fields(value) {
  const f = new FieldReader(value, 'the receipt', RECEIPT_V1_REQUIRED, ['validator_sets']);
  const receipt = {
    validatorSets: readValidatorSetChanges(f),
    anchor: readInclusionFields(value.anchor, 'the anchor'),
    chainId: f.string('chain_id'),
    document: f.hex('document', 32),
    genesisHash: bytesToHex(f.hex('genesis_hash', 32)),
  };
  const auth = value.clerk_authorisation;
  const kind = isObject(auth) ? auth.kind : undefined;
  if (kind === 'genesis') {
    new FieldReader(auth, 'the clerk authorisation', ['kind']);
    receipt.registration = null;
  } else if (kind === 'registration') {
    new FieldReader(auth, 'the clerk authorisation', ['kind', 'registration']);
    receipt.registration = readInclusionFields(auth.registration, 'the registration');
  } else {
    throw fail('format', 'The clerk authorisation is neither {"kind":"genesis"} nor a registration.');
  }
  return receipt;
}

// RECEIPTS.md, "Validator set changes": SetChange = {block_header, commit, height, validators}
const SET_CHANGE_FIELDS = ['block_header', 'commit', 'height', 'validators'];

/** The optional validator_sets of a receipt or proof (`f` reads its top level); null when absent. */
function readValidatorSetChanges(f) {
  if (!f.has('validator_sets')) return null;
  return f.array('validator_sets', MAX_SET_CHANGES).map((entry, i) => {
    const path = `validator_sets[${i}]`;
    if (isObject(entry)) {
      const unknown = Object.keys(entry).filter((key) => !SET_CHANGE_FIELDS.includes(key)).sort(compareUtf8);
      if (unknown.length > 0) throw fail('format', `${capitalise(f.what)} has an unknown field ${JSON.stringify(`${path}.${unknown[0]}`)}.`);
    }
    const c = new FieldReader(entry, `the entry ${path}`, SET_CHANGE_FIELDS);
    return {
      height: c.integer('height', 0n, U64_MAX),
      validators: c.hex('validators'),
      blockHeader: c.hex('block_header'),
      commit: c.hex('commit'),
    };
  });
}

function readInclusionFields(value, what) {
  const f = new FieldReader(value, what, INCLUSION_REQUIRED);
  return {
    blockHeader: f.hex('block_header'),
    commit: f.hex('commit'),
    proof: f.array('proof', MAX_AUDIT_PATH).map((p, i) => hexValue(p, 32, (m) => f.fail(`proof[${i}]`, m))),
    transaction: f.hex('transaction'),
    txIndex: Number(f.integer('tx_index', 0n, 0xffffffffn)),
  };
}

// ---------------------------------------------------------------------------------------------
// Version 2: state proofs (RECEIPTS.md, "Verification algorithm (version 2)")
// ---------------------------------------------------------------------------------------------

/**
 * Verifies a version-2 state proof (the body of GET /v1/documents/{hash}/proof, or a saved
 * version-2 receipt) against a parsed genesis. Never throws.
 */
export async function verifyStateProof(proof, genesis, options = {}) {
  return guarded(async () => {
    const opts = readOptions(options, DEFAULT_MAX_AGE_MS);
    const g = genesisContext(genesis);
    return checkStateProof(readStateProofFields(proof), g, opts);
  });
}

async function checkStateProof(p, g, opts) {
  // Step 2: the pinned genesis.
  if (p.chainId !== g.chainId || p.genesisHash !== g.genesisHash) {
    throw fail('genesis', `The proof is for chain ${JSON.stringify(p.chainId)} with genesis ${p.genesisHash.slice(0, 16)}…, not the pinned ${g.chainId} (${g.genesisHash.slice(0, 16)}…).`);
  }
  // Step 3: the header.
  const header = decodeHeader(p.blockHeader);
  if (header.version !== 2) throw fail('header', `the block header is version ${header.version}; a state proof needs version 2`);
  const set = await checkHeader(header, g, p.validatorSets);
  if (header.height !== p.height) throw fail('header', `the block header is for height ${header.height}, not ${p.height}`);
  // Step 4: the commit, by the set that signs this height.
  const blockHash = await sha256(p.blockHeader);
  const signed = await withPrefix(() => 'the commit does not sign this header', () => verifyCommit(p.commit, header, blockHash, set));
  // Step 5: the state path.
  const prefix = p.kind === 'document' ? 0x01 : 0x02;
  const key = await sha256(concatBytes(Uint8Array.of(prefix), p.subject));
  const path = await verifyStatePath(key, p.stateProof, header.stateRoot);
  // Step 6: the record.
  const record = await checkRecord(p, path);
  // Step 7: the status as of block H.
  const blockTimeMs = Number(header.time);
  let verdict = 'unknown';
  if (record && p.kind === 'document') verdict = documentVerdict(record, opts.nowMs);
  if (record && p.kind === 'clerk') verdict = record.revokedHeight === null ? 'valid' : 'revoked';
  return {
    ok: true,
    verdict,
    stale: isStale(blockTimeMs, opts),
    kind: p.kind,
    receiptVersion: 2,
    subject: bytesToHex(p.subject),
    height: Number(header.height),
    blockTimeMs,
    ...signed,
    record,
    authorityName: record ? authorityName(g, record.authority) : null,
  };
}

async function checkRecord(p, path) {
  if (!path.present) {
    if (p.record !== null) throw fail('record', 'the proof includes a record, but the state tree holds none for this subject');
    return null;
  }
  if (p.record === null) throw fail('record', 'the state tree holds a record for this subject, but the proof leaves it out');
  if (!equalBytes(await sha256(p.record), path.valueHash)) throw fail('record', 'the record is not the one the state tree holds');
  if (p.kind === 'document') {
    const record = decodeDocumentRecord(p.record);
    if (!equalBytes(record.document, p.subject)) throw fail('record', 'the record is for another document than the subject');
    return presentDocumentRecord(record);
  }
  const record = decodeClerkRecord(p.record);
  if (!equalBytes(record.clerk, p.subject)) throw fail('record', 'the record is for another clerk than the subject');
  return presentClerkRecord(record);
}

// ---------------------------------------------------------------------------------------------
// Receipt files (RECEIPTS.md)
// ---------------------------------------------------------------------------------------------

/**
 * Verifies a receipt file (version 1 or 2, its text or its bytes) against a parsed genesis.
 * Version 2 is checked as a state proof "as of block H" (no freshness check unless
 * options.maxAgeMs is given). Never throws.
 */
export async function verifyReceipt(text, genesis, options = {}) {
  return guarded(async () => {
    const opts = readOptions(options, null);
    const g = genesisContext(genesis);
    const source = receiptText(text);
    let json;
    try {
      json = JsonParser.parse(source);
    } catch {
      throw fail('format', 'the receipt is not valid receipt JSON (truncated or damaged?)');
    }
    if (!isObject(json)) throw fail('format', 'the receipt is not valid receipt JSON (not an object)');
    const version = versionOf(json.version);
    if (version === 1n) {
      const receipt = readReceiptV1Fields(json);
      requireCanonical(json, source);
      return checkReceiptV1(receipt, g, opts);
    }
    if (version === 2n) {
      const proof = readStateProofFields(json);
      requireCanonical(json, source);
      return checkStateProof(proof, g, opts);
    }
    throw fail('format', 'the receipt is neither version 1 nor version 2');
  });
}

function receiptText(input) {
  if (typeof input === 'string') {
    if (input.length > MAX_JSON_CHARS) throw fail('format', 'the receipt is too large');
    return input;
  }
  try {
    const bytes = asBytes(input);
    if (bytes.length > MAX_JSON_CHARS) throw new Error('too large');
    return utf8Decoder.decode(bytes);
  } catch {
    throw fail('format', 'the receipt is not UTF-8 text of a reasonable size');
  }
}

/** RECEIPTS.md, "File format": re-serialise canonically and require identical bytes. */
function requireCanonical(json, source) {
  if (`${canonicalJson(json)}\n` !== source) {
    throw fail('format', 'the receipt is not in canonical form (a field, a key or the layout was changed)');
  }
}

// ---------------------------------------------------------------------------------------------
// Version 1 (RECEIPTS.md, "Verification algorithm", "Checking an Inclusion")
// ---------------------------------------------------------------------------------------------

async function checkReceiptV1(receipt, g, opts) {
  // Step 2: the genesis.
  if (receipt.chainId !== g.chainId) throw fail('genesis', `receipt is for chain ${receipt.chainId}, genesis is for chain ${g.chainId}`);
  if (receipt.genesisHash !== g.genesisHash) {
    throw fail('genesis', `the receipt was made for genesis ${receipt.genesisHash.slice(0, 16)}…, not this genesis (${g.genesisHash.slice(0, 16)}…)`);
  }
  // Step 3: the document file, when given.
  if (opts.documentHash !== null && opts.documentHash !== bytesToHex(receipt.document)) {
    throw fail('format', 'the document is not the one this receipt is for (its SHA-256 differs)');
  }
  // Step 4: the anchor.
  const anchor = await checkInclusion(receipt.anchor, g, 'anchor', receipt.validatorSets);
  const tx = anchor.tx;
  if (tx.kind !== 3) throw fail('transaction', "the receipt's transaction is not an anchor-document transaction (kind 3)");
  if (!equalBytes(tx.document, receipt.document)) {
    throw fail('transaction', `the receipt's transaction anchors ${bytesToHex(tx.document)}, not ${bytesToHex(receipt.document)}`);
  }
  // Step 5: the clerk's authorisation.
  const authority = g.authorities.find((a) => a.id === tx.authority);
  if (!authority) throw fail('transaction', `the anchor names authority ${tx.authority}, which is not in the genesis`);
  if (!authority.documentTypes.includes(tx.documentType)) {
    throw fail('transaction', `${authority.id} does not issue ${tx.documentType} documents`);
  }
  const clerkAuthorisation = receipt.registration === null
    ? checkGenesisClerk(tx, g)
    : await checkRegistration(receipt, anchor, authority, g);
  // Step 6: valid as of the anchoring block.
  const record = v1Record(tx, anchor);
  const blockTimeMs = Number(anchor.header.time);
  return {
    ok: true,
    verdict: documentVerdict(record, opts.nowMs),
    stale: isStale(blockTimeMs, opts),
    kind: 'document',
    receiptVersion: 1,
    subject: bytesToHex(receipt.document),
    height: Number(anchor.header.height),
    blockTimeMs,
    ...anchor.signed,
    record,
    authorityName: authority.name,
    clerkAuthorisation,
  };
}

/**
 * "Checking an Inclusion": header, commit (by the set signing the header's height, proven by
 * `changes`), transaction signature, audit path.
 */
async function checkInclusion(inclusion, g, label, changes) {
  let height = null;
  return withPrefix(() => (height === null ? label : `${label} block ${height}`), async () => {
    const header = decodeHeader(inclusion.blockHeader);
    height = header.height;
    const set = await checkHeader(header, g, changes);
    const blockHash = await sha256(inclusion.blockHeader);
    const signed = await verifyCommit(inclusion.commit, header, blockHash, set);
    const tx = decodeTransaction(inclusion.transaction);
    if (!(await verifyTransactionSignature(tx, g.chainId))) {
      throw fail('transaction', "the transaction's signature does not verify for its signer on this chain");
    }
    const leafHash = await sha256(concatBytes(Uint8Array.of(0), inclusion.transaction));
    if (!(await verifyAuditPath(inclusion.txIndex, header.txCount, leafHash, inclusion.proof, header.txRoot))) {
      throw fail('inclusion', `the ${label} inclusion proof does not reach the block's txRoot`);
    }
    return { header, signed, tx, txIndex: inclusion.txIndex, txId: await sha256(inclusion.transaction) };
  });
}

function checkGenesisClerk(tx, g) {
  const signer = bytesToHex(tx.signer);
  const clerk = g.initialClerks.find((c) => c.publicKey.toLowerCase() === signer);
  if (!clerk) throw fail('transaction', `the clerk key ${signer.slice(0, 16)}… is not an initial clerk in the genesis`);
  if (clerk.authority !== tx.authority) {
    throw fail('transaction', `the clerk key ${signer.slice(0, 16)}… is an initial clerk of ${clerk.authority}, not of ${tx.authority}`);
  }
  if (!clerk.documentTypes.includes(tx.documentType)) {
    throw fail('transaction', `the clerk key ${signer.slice(0, 16)}… is not authorised for ${tx.documentType} documents`);
  }
  return { kind: 'genesis' };
}

async function checkRegistration(receipt, anchor, authority, g) {
  const registration = await checkInclusion(receipt.registration, g, 'registration', receipt.validatorSets);
  const reg = registration.tx;
  const clerk = shortHex(anchor.tx.signer);
  if (reg.kind !== 1) throw fail('transaction', 'the registration transaction is not a register-clerk transaction (kind 1)');
  if (!equalBytes(reg.clerk, anchor.tx.signer)) throw fail('transaction', `the registration registers another clerk than ${clerk}`);
  if (reg.authority !== anchor.tx.authority) throw fail('transaction', `the registration is for ${reg.authority}, not ${anchor.tx.authority}`);
  if (!reg.documentTypes.includes(anchor.tx.documentType)) {
    throw fail('transaction', `the registration does not authorise ${clerk} for ${anchor.tx.documentType} documents`);
  }
  if (bytesToHex(reg.signer) !== authority.publicKey.toLowerCase()) {
    throw fail('transaction', `the registration is not signed by the authority key of ${authority.id}`);
  }
  const regHeight = registration.header.height;
  const anchorHeight = anchor.header.height;
  const sameBlock = regHeight === anchorHeight;
  if (sameBlock && !equalBytes(receipt.registration.blockHeader, receipt.anchor.blockHeader)) {
    throw fail('transaction', 'the registration and the anchor name different blocks at the same height');
  }
  if (regHeight > anchorHeight || (sameBlock && registration.txIndex >= anchor.txIndex)) {
    throw fail('transaction', 'the registration does not come before the anchor');
  }
  return { kind: 'registration', height: Number(regHeight), tx: bytesToHex(registration.txId) };
}

/**
 * The document record as far as a version-1 receipt shows it: what the anchor transaction says,
 * where and when it was included. Its status is "valid" as of that block only.
 */
function v1Record(tx, anchor) {
  const n = (value, what) => (value === null ? null : toNumber(value, 'transaction', what));
  return {
    documentHash: bytesToHex(tx.document),
    documentType: tx.documentType,
    authority: tx.authority,
    clerk: bytesToHex(tx.signer),
    reference: tx.reference === null ? null : bytesToHex(tx.reference),
    validFromMs: n(tx.validFrom, 'valid from'),
    validUntilMs: n(tx.validUntil, 'valid until'),
    anchoredHeight: Number(anchor.header.height),
    anchoredTimeMs: Number(anchor.header.time),
    anchorTx: bytesToHex(anchor.txId),
    supersedes: null,
    status: { kind: 'valid' },
  };
}
