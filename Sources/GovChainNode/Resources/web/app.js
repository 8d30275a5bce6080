// GovChain verify page. Checks a document against the ledger in the browser, trusting no node:
// the node only delivers a proof; `govchain-verify.js` recomputes it against a genesis that this
// page pins in localStorage on first use. All text comes from i18n.js; everything the node or a
// file supplies goes into the page as text (textContent), never as HTML.

import { strings, DEFAULT_LANG } from '/web/i18n.js';

// Loaded dynamically so that a missing or broken verifier shows a plain error instead of a dead page.
const verifierModule = import('/web/govchain-verify.js');
verifierModule.catch(() => {}); // reported when a check needs it

const MAX_AGE_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 20000;
const LANG_KEY = 'govchain.lang';
const PIN_PREFIX = 'govchain.pin.';
const LOCALES = { de: 'de-DE', en: 'en-GB' };
const TIME_ZONE = 'Europe/Berlin';
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// State

const state = {
  lang: DEFAULT_LANG,
  // The genesis checks run against: {status: 'loading'|'ok'|'failed'|'mismatch', genesis, source,
  // fileName, pinState, pinnedHash, servedHash, served (parsed genesis of the node), error}
  trust: { status: 'loading' },
  genesisNote: null, // {key, params, tone} under the genesis file input
  qr: null, // {hash, salt} or {invalid: true}, from the URL fragment
  saltFromQr: false, // the salt field holds the QR code's salt, untouched by the user
  lastFile: null, // {hash, name, size} of the last file hashed
  fileNote: null, // {name, size} shown under the drop zone
  qrMatch: null, // {match: boolean, saltDropped: boolean}
  online: { type: 'idle' },
  offline: { type: 'idle' },
  fieldErrors: { hash: null, salt: null },
  report: null, // {hash, salt}
  onlineSeq: 0,
  offlineSeq: 0,
};
let genesisReady = Promise.resolve();

// ---------------------------------------------------------------------------------------------
// Text

function table() {
  return strings[state.lang] || strings[DEFAULT_LANG];
}

function t(key, params = {}) {
  let text = table()[key];
  if (text === undefined) text = strings[DEFAULT_LANG][key];
  if (typeof text !== 'string') return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function lookup(mapName, code) {
  const map = table()[mapName] || {};
  return Object.prototype.hasOwnProperty.call(map, code) ? map[code] : undefined;
}

function locale() {
  return LOCALES[state.lang] || 'de-DE';
}

function isTime(ms) {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0;
}

function formatDateTime(ms) {
  if (!isTime(ms)) return t('none');
  try {
    return new Intl.DateTimeFormat(locale(), {
      timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

function formatDate(ms) {
  // Validity bounds: minutes are enough.
  if (!isTime(ms)) return t('none');
  try {
    return new Intl.DateTimeFormat(locale(), {
      timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

function formatNumber(n) {
  try {
    return new Intl.NumberFormat(locale()).format(n);
  } catch {
    return String(n);
  }
}

function formatSize(bytes) {
  if (typeof bytes !== 'number') return t('none');
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  try {
    return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
  } catch {
    return `${value.toFixed(digits)} ${units[unit]}`;
  }
}

/** The unit a duration is shown in: seconds below 2 min, minutes below 2 h, hours below 2 days, then days. */
function scaled(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return ['Seconds', s];
  const min = Math.round(s / 60);
  if (min < 120) return ['Minutes', min];
  const h = Math.round(min / 60);
  if (h < 48) return ['Hours', h];
  const d = Math.round(h / 24);
  return d === 1 ? ['Day', 1] : ['Days', d];
}

function formatScaled(prefix, ms) {
  const [unit, n] = scaled(ms);
  return t(prefix + unit, { n: unit === 'Days' ? formatNumber(n) : n });
}

function formatDuration(ms) {
  return formatScaled('dur', ms);
}

function formatAge(ms) {
  if (ms < -5000) return t('ageFuture', { d: formatDuration(-ms) });
  if (Math.round(ms / 1000) < 2) return t('ageJustNow');
  return formatScaled('age', ms);
}

function groupHex(hex) {
  return String(hex).replace(/(.{4})(?=.)/g, '$1 ');
}

function docTypeName(code) {
  if (!code) return t('none');
  return lookup('docTypes', code) || code;
}

const REASON_CODES = { 1: 'withdrawal', 2: 'annulment', 3: 'correction', 4: 'issued-in-error', 5: 'settled' };

function reasonName(status) {
  const candidates = [status.reason, status.reasonCode];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null) continue;
    let code = String(candidate).trim().toLowerCase().replace(/_/g, '-');
    if (REASON_CODES[code]) code = REASON_CODES[code];
    if (code === 'issuedinerror') code = 'issued-in-error';
    const name = lookup('reasons', code);
    if (name) return name;
  }
  const shown = status.reason ?? status.reasonCode;
  return t('reasonUnknown', { code: shown === undefined || shown === null ? '?' : String(shown) });
}

function errorMessage(error) {
  if (error && typeof error.message === 'string' && error.message) return error.message;
  return String(error);
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function mono(text) {
  return h('code', { class: 'hex' }, text);
}

const ICONS = {
  ok: 'M4 12.5 9.5 18 20 6.5',
  bad: 'M6 6l12 12M18 6 6 18',
  warn: 'M12 3 2 21h20L12 3Zm0 6v6m0 2.5v1',
  unknown: 'M9 9a3 3 0 1 1 4.2 2.7c-.8.4-1.2 1-1.2 1.8V15m0 3v.5',
  stale: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 4v5l3.5 2',
  busy: 'M12 3a9 9 0 1 0 9 9',
  info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 8v6m0-9.5V8',
  error: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 5v5.5m0 2.5v.5',
};

function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `verdict-icon icon-${name}`);
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] || ICONS.info);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2.4');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

/** A definition list from [label, value] rows; rows with an empty value are left out. */
function facts(rows) {
  const list = h('dl', { class: 'facts' });
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    list.append(h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value)));
  }
  return list.childElementCount ? list : null;
}

function section(heading, ...content) {
  const body = content.flat().filter(Boolean);
  if (!body.length) return null;
  return h('section', { class: 'verdict-section' }, h('h4', {}, heading), body);
}

function note(text, tone = 'info') {
  return h('p', { class: `notice notice-${tone}` }, text);
}

function checkLink(hashHex, labelKey) {
  return h('span', { class: 'hash-link' }, mono(hashHex), ' ', h('a', { href: `/v#${hashHex}` }, t(labelKey)));
}

// ---------------------------------------------------------------------------------------------
// Input normalisation

function cleanHex(text) {
  return String(text || '').replace(/[\s:-]/g, '').toLowerCase();
}

/** `{value}` or `{error: {key, params}}` for a hex field of `length` characters. */
function parseHexField(text, length, keys) {
  const value = cleanHex(text);
  if (!/^[0-9a-f]*$/.test(value)) return { error: { key: keys.chars } };
  if (value.length !== length) return { error: { key: keys.length, params: { n: value.length } } };
  return { value };
}

function parseFragment(fragment) {
  let text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  try {
    text = decodeURIComponent(text);
  } catch {
    return { invalid: true };
  }
  text = text.trim();
  if (!text) return null;
  // Only hex-and-dot fragments are meant as a check link; anything else (e.g. #main) is an anchor.
  if (!/^[0-9a-fA-F.]+$/.test(text)) return null;
  const match = /^([0-9a-fA-F]{64})(?:\.([0-9a-fA-F]{32}))?$/.exec(text);
  if (!match) return { invalid: true };
  return { hash: match[1].toLowerCase(), salt: match[2] ? match[2].toLowerCase() : '' };
}

// ---------------------------------------------------------------------------------------------
// Storage (localStorage may be unavailable: private mode, disabled storage)

function storageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

function pinnedHash(chainId) {
  const value = storageGet(PIN_PREFIX + chainId);
  return value ? value.trim().toLowerCase() : null;
}

function pinnedChainIds() {
  const ids = [];
  try {
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const key = window.localStorage.key(i);
      if (key && key.startsWith(PIN_PREFIX)) ids.push(key.slice(PIN_PREFIX.length));
    }
  } catch {
    // no storage: no other pins to mention
  }
  return ids.sort();
}

// ---------------------------------------------------------------------------------------------
// Network

class NodeError extends Error {
  constructor(key, params = {}) {
    super(key);
    this.key = key;
    this.params = params;
  }
}

/** GET `path`; resolves to `{status, ok, text}` or throws NodeError (unreachable, timeout). */
async function get(path, accept) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(path, {
      method: 'GET', headers: { Accept: accept }, cache: 'no-store', signal: controller.signal,
    });
    const text = await response.text();
    return { status: response.status, ok: response.ok, text };
  } catch (error) {
    if (error && error.name === 'AbortError') throw new NodeError('errTimeout');
    throw new NodeError('errUnreachable');
  } finally {
    clearTimeout(timer);
  }
}

/** The JSON body of a 200 answer; throws NodeError for non-JSON or `{"error": …}` answers. */
function jsonBody(answer) {
  let body;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new NodeError('errNotJson', { status: answer.status });
  }
  if (!answer.ok) throw apiError(answer.status, body);
  if (body === null || typeof body !== 'object') throw new NodeError('errNotJson', { status: answer.status });
  return body;
}

function apiError(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error.message === 'string') {
    return new NodeError('errApi', { status, code: String(error.code || '?'), message: error.message });
  }
  return new NodeError('errApiNoMessage', { status });
}

async function verifier() {
  try {
    return await verifierModule;
  } catch {
    throw new NodeError('errVerifierMissing');
  }
}

// ---------------------------------------------------------------------------------------------
// Genesis and pinning

/** `{key, params}` (translated when shown) or `{text}` (a verifier's message) for `error`. */
function describeFailure(error, unreachableKey) {
  if (error instanceof NodeError) {
    if (unreachableKey && error.key === 'errUnreachable') return { key: unreachableKey };
    return { key: error.key, params: error.params };
  }
  return { text: errorMessage(error) };
}

function failureText(failure) {
  return failure.key ? t(failure.key, failure.params) : failure.text;
}

async function loadServedGenesis() {
  state.trust = { status: 'loading' };
  renderTrust();
  let text;
  try {
    const answer = await get('/v1/genesis', 'application/json');
    if (!answer.ok) {
      let body = null;
      try {
        body = JSON.parse(answer.text);
      } catch {
        // not JSON: reported by status only
      }
      throw body ? apiError(answer.status, body) : new NodeError('errNotJson', { status: answer.status });
    }
    text = answer.text;
  } catch (error) {
    state.trust = { status: 'failed', error: describeFailure(error, 'genesisUnreachable') };
    renderTrust();
    return;
  }
  let genesis;
  try {
    const { parseGenesis } = await verifier();
    genesis = await parseGenesis(text);
  } catch (error) {
    state.trust = { status: 'failed', error: describeFailure(error) };
    renderTrust();
    return;
  }
  if (state.trust.source === 'file') return; // the user loaded a genesis file meanwhile: it wins
  const servedHash = String(genesis.genesisHash).toLowerCase();
  const pinned = pinnedHash(genesis.chainId);
  const others = pinnedChainIds().filter((id) => id !== genesis.chainId);
  if (!pinned) {
    const stored = storageSet(PIN_PREFIX + genesis.chainId, servedHash);
    state.trust = {
      status: 'ok', genesis, source: 'node', pinState: stored ? 'new' : 'unavailable', servedHash, otherPins: others,
    };
  } else if (pinned === servedHash) {
    state.trust = { status: 'ok', genesis, source: 'node', pinState: 'match', servedHash, pinnedHash: pinned };
  } else {
    // Refuse: the node serves another genesis than the one this browser trusted before.
    state.trust = { status: 'mismatch', genesis: null, served: genesis, source: 'node', pinnedHash: pinned, servedHash };
  }
  renderTrust();
}

async function onGenesisFile() {
  const input = $('genesis-file-input');
  const file = input.files && input.files[0];
  if (!file) return;
  let text;
  try {
    text = await file.text();
  } catch {
    state.genesisNote = { key: 'errFileRead', params: { name: file.name }, tone: 'bad' };
    renderTrust();
    return;
  }
  let genesis;
  try {
    const { parseGenesis } = await verifier();
    genesis = await parseGenesis(text);
  } catch (error) {
    const message = failureText(describeFailure(error));
    state.genesisNote = { key: 'genesisFileInvalid', params: { name: file.name, message }, tone: 'bad' };
    renderTrust();
    return;
  }
  const hash = String(genesis.genesisHash).toLowerCase();
  const pinned = pinnedHash(genesis.chainId);
  let pinState;
  if (pinned === hash) {
    pinState = 'match';
  } else if (pinned) {
    const confirmed = window.confirm(
      t('confirmReplacePin', { name: file.name, chain: genesis.chainId, new: groupHex(hash), old: groupHex(pinned) }));
    if (!confirmed) {
      state.genesisNote = { key: 'genesisFileRejected', params: { name: file.name }, tone: 'warn' };
      input.value = '';
      renderTrust();
      return;
    }
    pinState = storageSet(PIN_PREFIX + genesis.chainId, hash) ? 'replaced' : 'unavailable';
  } else {
    pinState = storageSet(PIN_PREFIX + genesis.chainId, hash) ? 'new' : 'unavailable';
  }
  const servedHash = state.trust.servedHash || null;
  state.trust = { status: 'ok', genesis, source: 'file', fileName: file.name, pinState, pinnedHash: hash, servedHash };
  state.genesisNote = { key: 'genesisFileLoaded', params: { name: file.name }, tone: 'ok' };
  renderTrust();
}

function renderTrust() {
  const trust = state.trust;
  const status = $('genesis-status');
  const hashEl = $('genesis-hash');
  const servedRow = $('genesis-served-row');
  const genesis = trust.genesis || trust.served || null;
  status.dataset.state = trust.status;
  let tone = 'info';
  let message = t('genesisLoading');
  if (trust.status === 'failed') {
    tone = 'bad';
    message = `${t('genesisFailed', { message: failureText(trust.error) })} ${t('genesisFailedHint')}`;
  } else if (trust.status === 'mismatch') {
    tone = 'bad';
    message = t('pinMismatch');
  } else if (trust.status === 'ok') {
    const key = { new: 'pinNew', match: 'pinMatch', replaced: 'pinReplaced', unavailable: 'pinUnavailable' }[trust.pinState];
    tone = trust.pinState === 'match' ? 'ok' : trust.pinState === 'unavailable' ? 'warn' : 'info';
    message = t(key || 'pinMatch');
    status.dataset.pin = trust.pinState;
  }
  if (trust.status !== 'ok') delete status.dataset.pin;
  status.className = `notice notice-${tone}`;
  status.textContent = message;

  const shownHash = trust.status === 'mismatch' ? trust.pinnedHash : genesis ? String(genesis.genesisHash).toLowerCase() : '';
  hashEl.textContent = shownHash ? groupHex(shownHash) : t('none');
  if (shownHash) hashEl.dataset.hash = shownHash;
  else delete hashEl.dataset.hash;
  servedRow.hidden = trust.status !== 'mismatch';
  if (trust.status === 'mismatch') {
    $('genesis-served-hash').textContent = groupHex(trust.servedHash);
    $('genesis-served-hash').dataset.hash = trust.servedHash;
  }
  $('genesis-chain').textContent = genesis ? genesis.chainId : t('none');
  if (genesis && Array.isArray(genesis.validators)) {
    $('genesis-validators').textContent = t('genesisValidatorsValue', {
      names: genesis.validators.map((v) => v.name).join(', '),
      count: genesis.validators.length,
      power: genesis.totalPower,
    });
  } else {
    $('genesis-validators').textContent = t('none');
  }
  $('genesis-source').textContent = !genesis
    ? t('none')
    : trust.source === 'file' ? t('sourceFile', { name: trust.fileName }) : t('sourceNode');

  const others = $('genesis-other-pins');
  const otherPins = trust.status === 'ok' && trust.pinState === 'new' ? trust.otherPins || [] : [];
  others.hidden = otherPins.length === 0;
  others.textContent = otherPins.length ? t('pinOtherChains', { list: otherPins.join(', ') }) : '';

  const fileNote = $('genesis-file-note');
  const gn = state.genesisNote;
  fileNote.textContent = gn ? t(gn.key, gn.params) : '';
  fileNote.className = gn ? `field-note field-note-${gn.tone}` : 'field-note';
}

// ---------------------------------------------------------------------------------------------
// Online check

function setFieldError(name, error) {
  state.fieldErrors[name] = error;
  renderFieldErrors();
}

function renderFieldErrors() {
  for (const name of ['hash', 'salt']) {
    const input = $(`${name}-input`);
    const box = $(`${name}-error`);
    const error = state.fieldErrors[name];
    box.hidden = !error;
    box.textContent = error ? t(error.key, error.params) : '';
    if (error) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function setOnline(outcome) {
  state.online = outcome;
  const proven = outcome.type === 'result' && outcome.result.ok && !outcome.result.stale;
  state.report = proven ? { hash: outcome.ctx.documentHash, salt: outcome.ctx.salt } : null;
  renderOnline();
  // Field errors (no context) are shown at the field, which gets the focus.
  if (outcome.type === 'result' || (outcome.type === 'error' && outcome.ctx) || outcome.type === 'pin') reveal($('verdict'));
}

/** Scrolls `element` into view when its top is off screen (on a phone the banner is below the form). */
function reveal(element) {
  const top = element.getBoundingClientRect().top;
  if (top >= 0 && top <= window.innerHeight - 96) return;
  const reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  element.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
}

function renderOnline() {
  render(
    { root: $('verdict'), title: $('verdict-title'), lead: $('verdict-lead'), details: $('verdict-details') },
    state.online);
  const actions = $('report-actions');
  const link = $('report-link');
  if (state.report) {
    const { hash, salt } = state.report;
    link.href = `/v1/documents/${hash}/report${salt ? `?salt=${salt}` : ''}`;
    link.setAttribute('download', `pruefbericht-${hash.slice(0, 16)}.pdf`);
    actions.hidden = false;
  } else {
    link.removeAttribute('href');
    actions.hidden = true;
  }
}

function renderQr() {
  const box = $('qr-notice');
  const qr = state.qr;
  box.hidden = !qr;
  if (!qr) return;
  $('qr-notice-text').textContent = qr.invalid ? t('qrInvalid') : t('qrNoticeText');
  box.className = `notice ${qr.invalid ? 'notice-bad' : 'notice-info'}`;
  const matchEl = $('qr-match');
  const m = state.qrMatch;
  matchEl.hidden = !m || qr.invalid;
  if (m && !qr.invalid) {
    matchEl.dataset.match = m.match ? 'yes' : 'no';
    matchEl.className = `qr-match qr-match-${m.match ? 'yes' : 'no'}`;
    matchEl.replaceChildren(icon(m.match ? 'ok' : 'bad'), h('span', {}, t(m.match ? 'qrMatchYes' : 'qrMatchNo')));
  } else {
    delete matchEl.dataset.match;
  }
}

function renderFileName() {
  const el = $('file-name');
  const f = state.fileNote;
  el.hidden = !f;
  el.textContent = f ? t('fileChosen', { name: f.name, size: formatSize(f.size) }) : '';
}

/**
 * Checks `hash` (document SHA-256) with optional `salt` online. `origin`: 'qr' | 'file' | 'typed'.
 * Field errors are shown at the fields and in the banner.
 */
async function runOnlineCheck({ hashText, saltText, origin, file = null, qrMatch = null, saltDropped = false, focusOnError = false }) {
  const seq = ++state.onlineSeq;
  const ctx = { mode: 'online', origin, file, qrMatch, saltDropped, checkedAtMs: Date.now() };

  if (!cleanHex(hashText)) {
    setFieldError('hash', { key: 'errHashEmpty' });
    setOnline({ type: 'error', key: 'errHashEmpty', ctx: null });
    if (focusOnError) $('hash-input').focus();
    return;
  }
  const hash = parseHexField(hashText, 64, { chars: 'errHashChars', length: 'errHashLength' });
  setFieldError('hash', hash.error || null);
  const salt = cleanHex(saltText)
    ? parseHexField(saltText, 32, { chars: 'errSaltChars', length: 'errSaltLength' })
    : { value: '' };
  setFieldError('salt', salt.error || null);
  if (hash.error || salt.error) {
    const error = hash.error || salt.error;
    setOnline({ type: 'error', key: error.key, params: error.params, ctx: null });
    if (focusOnError) $(hash.error ? 'hash-input' : 'salt-input').focus();
    return;
  }
  ctx.documentHash = hash.value;
  ctx.salt = salt.value;

  setOnline({ type: 'checking', phase: 'proof' });
  await genesisReady;
  if (seq !== state.onlineSeq) return;

  const trust = state.trust;
  if (trust.status === 'mismatch') {
    setOnline({ type: 'pin', pinnedHash: trust.pinnedHash, servedHash: trust.servedHash, ctx });
    return;
  }
  if (trust.status !== 'ok' || !trust.genesis) {
    setOnline({ type: 'error', key: 'errNoGenesis', ctx });
    return;
  }
  const genesis = trust.genesis;
  ctx.genesis = genesis;

  try {
    const v = await verifier();
    let key;
    try {
      key = String(await v.ledgerKey(ctx.documentHash, ctx.salt || undefined)).toLowerCase();
    } catch (error) {
      throw new NodeError('errKey', { message: errorMessage(error) });
    }
    ctx.key = key;
    const answer = await get(`/v1/documents/${key}/proof`, 'application/json');
    if (seq !== state.onlineSeq) return;
    const proof = jsonBody(answer);
    let result;
    try {
      result = await v.verifyStateProof(proof, genesis, { nowMs: Date.now(), maxAgeMs: MAX_AGE_MS });
    } catch (error) {
      result = { ok: false, verdict: 'invalid', check: 'format', reason: errorMessage(error) };
    }
    if (seq !== state.onlineSeq) return;
    result = checkSubject(result, key, ctx.documentHash);
    ctx.checkedAtMs = Date.now();
    setOnline({ type: 'result', result, ctx });
  } catch (error) {
    if (seq !== state.onlineSeq) return;
    if (error instanceof NodeError) setOnline({ type: 'error', key: error.key, params: error.params, ctx });
    else setOnline({ type: 'error', key: 'errInternal', params: { message: errorMessage(error) }, ctx });
  }
}

/** The verifier checks the proof, not that it answers our question: make sure it is about `key`. */
function checkSubject(result, key, documentHash) {
  if (!result || typeof result !== 'object') {
    return { ok: false, verdict: 'invalid', check: 'format', reason: String(result) };
  }
  if (!result.ok) return result;
  const subject = typeof result.subject === 'string' ? result.subject.toLowerCase() : null;
  const recorded = result.record && typeof result.record.documentHash === 'string'
    ? result.record.documentHash.toLowerCase() : null;
  if ((result.kind && result.kind !== 'document') || (subject && subject !== key) || (recorded && recorded !== key && recorded !== documentHash)) {
    return {
      ok: false, verdict: 'invalid', check: 'subject', reason: null, subject: result.subject, // worded when shown
    };
  }
  return result;
}

async function hashFile(file) {
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    throw new NodeError('errFileRead', { name: file.name });
  }
  const v = await verifier();
  try {
    return String(await v.sha256Hex(bytes)).toLowerCase();
  } catch (error) {
    throw new NodeError('errHash', { message: errorMessage(error) });
  }
}

async function onFileChosen() {
  const input = $('file-input');
  const file = input.files && input.files[0];
  if (!file) return;
  const seq = ++state.onlineSeq;
  state.fileNote = { name: file.name, size: file.size };
  renderFileName();
  setOnline({ type: 'checking', phase: 'hash' });
  let hash;
  try {
    hash = await hashFile(file);
  } catch (error) {
    if (seq !== state.onlineSeq) return;
    const e = error instanceof NodeError ? error : new NodeError('errInternal', { message: errorMessage(error) });
    setOnline({ type: 'error', key: e.key, params: e.params, ctx: { mode: 'online', origin: 'file', file: state.fileNote } });
    return;
  }
  if (seq !== state.onlineSeq) return;
  state.lastFile = { hash, name: file.name, size: file.size };
  $('hash-input').value = hash;

  let qrMatch = null;
  let saltDropped = false;
  if (state.qr && !state.qr.invalid) {
    qrMatch = hash === state.qr.hash;
    if (!qrMatch && state.saltFromQr && cleanHex($('salt-input').value)) {
      // The QR code's salt belongs to the QR code's document, not to this file.
      $('salt-input').value = '';
      state.saltFromQr = false;
      saltDropped = true;
    }
    state.qrMatch = { match: qrMatch, saltDropped };
  } else {
    state.qrMatch = null;
  }
  renderQr();
  await runOnlineCheck({
    hashText: hash, saltText: $('salt-input').value, origin: 'file',
    file: { name: file.name, size: file.size }, qrMatch, saltDropped,
  });
}

function onHashFormSubmit(event) {
  event.preventDefault();
  const hashText = $('hash-input').value;
  const cleaned = cleanHex(hashText);
  let origin = 'typed';
  let file = null;
  let qrMatch = null;
  if (state.lastFile && cleaned === state.lastFile.hash) {
    origin = 'file';
    file = { name: state.lastFile.name, size: state.lastFile.size };
    if (state.qr && !state.qr.invalid) qrMatch = cleaned === state.qr.hash;
  } else if (state.qr && !state.qr.invalid && cleaned === state.qr.hash) {
    origin = 'qr';
  }
  runOnlineCheck({ hashText, saltText: $('salt-input').value, origin, file, qrMatch, focusOnError: true });
}

function onFragment() {
  const parsed = parseFragment(window.location.hash || '');
  if (!parsed) return false; // not a check link: leave the page as it is
  state.qr = parsed;
  state.qrMatch = null;
  renderQr();
  // Opened from a QR code: the answer is what matters, so the banner moves up under the notice
  // (in the DOM, so reading and focus order follow what is seen).
  $('qr-notice').after($('verdict'), $('report-actions'));
  document.body.classList.add('qr-mode');
  if (parsed.invalid) {
    state.online = { type: 'error', key: 'qrInvalid', ctx: { mode: 'online', origin: 'qr' } };
    state.report = null;
    renderOnline();
    return true;
  }
  $('hash-input').value = parsed.hash;
  $('salt-input').value = parsed.salt;
  state.saltFromQr = Boolean(parsed.salt);
  runOnlineCheck({ hashText: parsed.hash, saltText: parsed.salt, origin: 'qr' });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Offline check (receipt + genesis file, no network)

async function onOfflineFiles() {
  const receiptFile = $('receipt-input').files && $('receipt-input').files[0];
  const genesisFile = $('receipt-genesis-input').files && $('receipt-genesis-input').files[0];
  const seq = ++state.offlineSeq;
  if (!receiptFile || !genesisFile) {
    setOffline({ type: 'waiting', missing: receiptFile ? 'genesis' : genesisFile ? 'receipt' : 'both' });
    return;
  }
  setOffline({ type: 'checking', offline: true });
  const ctx = { mode: 'offline', origin: 'receipt', receiptName: receiptFile.name, checkedAtMs: Date.now() };
  try {
    let receiptText;
    let genesisText;
    try {
      receiptText = await receiptFile.text();
    } catch {
      throw new NodeError('errFileRead', { name: receiptFile.name });
    }
    try {
      genesisText = await genesisFile.text();
    } catch {
      throw new NodeError('errFileRead', { name: genesisFile.name });
    }
    const v = await verifier();
    let genesis;
    try {
      genesis = await v.parseGenesis(genesisText);
    } catch (error) {
      throw new NodeError('errReceiptGenesis', { name: genesisFile.name, message: errorMessage(error) });
    }
    ctx.genesis = genesis;
    ctx.genesisFileName = genesisFile.name;
    let result;
    try {
      result = await v.verifyReceipt(receiptText, genesis, { nowMs: Date.now() });
    } catch (error) {
      result = { ok: false, verdict: 'invalid', check: 'format', reason: errorMessage(error) };
    }
    if (seq !== state.offlineSeq) return;
    setOffline({ type: 'result', result: result || { ok: false, verdict: 'invalid', check: 'format', reason: '' }, ctx });
  } catch (error) {
    if (seq !== state.offlineSeq) return;
    if (error instanceof NodeError) setOffline({ type: 'error', key: error.key, params: error.params, ctx });
    else setOffline({ type: 'error', key: 'errInternal', params: { message: errorMessage(error) }, ctx });
  }
}

function setOffline(outcome) {
  state.offline = outcome;
  renderOffline();
  if (outcome.type === 'result' || outcome.type === 'error') reveal($('offline-verdict'));
}

function renderOffline() {
  render(
    {
      root: $('offline-verdict'), title: $('offline-verdict-title'), lead: $('offline-verdict-lead'),
      details: $('offline-verdict-details'), offline: true,
    },
    state.offline);
}

// ---------------------------------------------------------------------------------------------
// Verdict rendering

const TITLES = {
  valid: 'verdictValid', revoked: 'verdictRevoked', superseded: 'verdictSuperseded', unknown: 'verdictUnknown',
  expired: 'verdictExpired', not_yet_valid: 'verdictNotYetValid', invalid: 'verdictInvalid', stale: 'verdictStale',
  error: 'verdictError',
};
const TONES = {
  valid: 'ok', revoked: 'bad', superseded: 'warn', unknown: 'neutral', expired: 'warn', not_yet_valid: 'warn',
  invalid: 'bad', stale: 'warn', error: 'error',
};
const ICON_OF_TONE = { ok: 'ok', bad: 'bad', warn: 'warn', neutral: 'unknown', error: 'error', idle: 'info', busy: 'busy' };

function render(view, outcome) {
  const model = describe(outcome, view.offline === true);
  const root = view.root;
  root.dataset.state = model.state;
  root.dataset.tone = model.tone;
  if (model.state === 'done') root.dataset.verdict = model.verdict;
  else delete root.dataset.verdict;
  // Counts the checks begun, so that a test can tell one finished check from the next.
  root.dataset.check = String(view.offline ? state.offlineSeq : state.onlineSeq);
  view.title.replaceChildren(icon(model.icon || ICON_OF_TONE[model.tone]), h('span', {}, model.title));
  view.lead.textContent = model.lead;
  view.details.replaceChildren(...model.blocks.filter(Boolean));
}

function describe(outcome, offline) {
  switch (outcome.type) {
    case 'idle':
      return {
        state: 'idle', tone: 'idle', title: t(offline ? 'offlineIdleTitle' : 'idleTitle'),
        lead: t(offline ? 'offlineIdleLead' : 'idleLead'), blocks: [],
      };
    case 'waiting':
      return {
        state: 'idle', tone: 'idle', title: t('offlineIdleTitle'),
        lead: outcome.missing === 'genesis' ? t('offlineWaitGenesis')
          : outcome.missing === 'receipt' ? t('offlineWaitReceipt') : t('offlineIdleLead'),
        blocks: [],
      };
    case 'checking':
      return {
        state: 'checking', tone: 'busy',
        title: t(outcome.phase === 'hash' ? 'hashingTitle' : 'checkingTitle'),
        lead: t(outcome.phase === 'hash' ? 'hashingLead' : offline ? 'offlineCheckingLead' : 'checkingLead'),
        blocks: [],
      };
    case 'error':
      return describeError(outcome);
    case 'pin':
      return describePinMismatch(outcome);
    case 'result':
      return describeResult(outcome.result, outcome.ctx);
    default:
      return { state: 'idle', tone: 'idle', title: '', lead: '', blocks: [] };
  }
}

function describeError(outcome) {
  const ctx = outcome.ctx;
  const blocks = [];
  if (outcome.key === 'errHash' && !window.isSecureContext) blocks.push(note(t('insecureContext'), 'warn'));
  if (ctx && ctx.documentHash) blocks.push(section(t('proofHeading'), facts(contextRows(ctx))));
  else if (ctx && ctx.file) blocks.push(facts([[t('factFile'), t('factFileValue', { name: ctx.file.name, size: formatSize(ctx.file.size) })]]));
  return {
    state: 'done', verdict: 'error', tone: 'error', title: t('verdictError'),
    lead: t(outcome.key, outcome.params), blocks,
  };
}

function describePinMismatch(outcome) {
  return {
    state: 'done', verdict: 'invalid', tone: 'bad', title: t('verdictInvalid'), lead: t('leadPinMismatch'),
    blocks: [
      section(t('failureHeading'), facts([
        [t('factFailedCheck'), `${lookup('checks', 'pin')} (pin)`],
        [t('factPinned'), mono(groupHex(outcome.pinnedHash))],
        [t('factServed'), mono(groupHex(outcome.servedHash))],
      ]), note(t('pinMismatchHint'), 'info')),
      note(t('invalidWarning'), 'bad'),
      section(t('proofHeading'), facts(contextRows(outcome.ctx))),
    ],
  };
}

function verdictOf(result) {
  if (!result.ok) return 'invalid';
  if (result.stale) return 'stale';
  return TITLES[result.verdict] && result.verdict !== 'error' && result.verdict !== 'stale' ? result.verdict : 'invalid';
}

function describeResult(result, ctx) {
  const verdict = verdictOf(result);
  const offline = ctx.mode === 'offline';
  const record = result.ok && !result.stale ? result.record || null : null;
  const status = record && record.status ? record.status : { kind: 'valid' };
  const authority = result.authorityName || (record && record.authority) || t('none');
  const height = result.height;
  const blocks = [];
  let title = t(TITLES[verdict]);
  let lead = '';

  // File vs. QR code comes first: it says what the verdict is about.
  if (ctx.qrMatch === true) blocks.push(note(t('qrMatchYes'), 'ok'));
  if (ctx.qrMatch === false) blocks.push(note(t('qrMatchNo'), 'bad'));
  if (ctx.saltDropped) blocks.push(note(t('qrSaltDropped'), 'info'));

  const v1 = offline && Number(result.receiptVersion) === 1;
  if (offline && result.ok) {
    blocks.push(note(v1 ? t('receiptV1', { height })
      : t('receiptV2', { height, time: formatDateTime(result.blockTimeMs) }), 'info'));
  }

  switch (verdict) {
    case 'valid':
      if (v1) {
        title = t('verdictAnchored');
        lead = t('leadAnchoredV1', { height });
      } else {
        lead = result.authorityName || (record && record.authority)
          ? t('leadValidBy', { authority, height }) : t('leadValid', { height });
      }
      blocks.push(section(t('docHeading'), facts(documentRows(record, authority))));
      break;
    case 'revoked':
      lead = t('leadRevoked', { reason: reasonName(status) });
      blocks.push(section(t('statusHeadingRevoked'), facts([
        [t('factReason'), reasonName(status)],
        [t('factEffective'), isTime(status.effectiveMs) ? formatDateTime(status.effectiveMs) : null],
        [t('factRecorded'), status.height !== undefined ? t('factRecordedValue', { height: status.height }) : null],
      ])));
      blocks.push(section(t('docHeading'), facts(documentRows(record, authority))));
      break;
    case 'superseded':
      lead = t('leadSuperseded');
      blocks.push(section(t('statusHeadingSuperseded'), facts([
        [t('factSuccessor'), status.newDocument ? checkLink(String(status.newDocument).toLowerCase(), 'successorLink') : null],
        [t('factEffective'), isTime(status.effectiveMs) ? formatDateTime(status.effectiveMs) : null],
        [t('factRecorded'), status.height !== undefined ? t('factRecordedValue', { height: status.height }) : null],
      ])));
      blocks.push(section(t('docHeading'), facts(documentRows(record, authority))));
      break;
    case 'unknown': {
      lead = t('leadUnknown', { height });
      const hints = [t('unknownMeaning', { height })];
      hints.push(ctx.salt ? t('unknownSaltGivenHint') : t('unknownSaltHint'));
      const salted = saltedTypes(ctx.genesis);
      if (salted.length) hints.push(t('unknownSaltedTypes', { types: salted.join(', ') }));
      if (ctx.origin === 'file') hints.push(t('unknownFileHint'));
      blocks.push(h('ul', { class: 'reasons' }, hints.map((text) => h('li', {}, text))));
      break;
    }
    case 'expired':
      lead = record && isTime(record.validUntilMs)
        ? t('leadExpired', { date: formatDate(record.validUntilMs) }) : t('leadExpiredNoDate');
      blocks.push(section(t('docHeading'), facts(documentRows(record, authority))));
      break;
    case 'not_yet_valid':
      lead = record && isTime(record.validFromMs)
        ? t('leadNotYetValid', { date: formatDate(record.validFromMs) }) : t('leadNotYetValidNoDate');
      blocks.push(section(t('docHeading'), facts(documentRows(record, authority))));
      break;
    case 'stale': {
      lead = t('leadStale');
      const age = isTime(result.blockTimeMs) ? formatDuration(ctx.checkedAtMs - result.blockTimeMs) : t('none');
      blocks.push(note(t('staleDetail', { age, max: formatDuration(MAX_AGE_MS) }), 'warn'));
      break;
    }
    case 'invalid':
    default: {
      lead = t('leadInvalid');
      const check = result.check || 'format';
      const checkName = lookup('checks', check);
      blocks.push(section(t('failureHeading'), facts([
        [t('factFailedCheck'), checkName ? `${checkName} (${check})` : check],
        // The verifier and the node word their reasons in English.
        [t('factFailReason'), check === 'subject' ? t('subjectMismatch')
          : result.reason ? h('span', { lang: 'en' }, String(result.reason)) : t('none')],
      ])));
      blocks.push(note(t('invalidWarning'), 'bad'));
      break;
    }
  }

  blocks.push(section(t('proofHeading'), facts(proofRows(result, ctx, verdict))));
  blocks.push(technical(result, ctx, record));
  return { state: 'done', verdict, tone: TONES[verdict], title, lead, blocks };
}

function documentRows(record, authority) {
  if (!record) return [];
  const rows = [
    [t('factIssuedBy'), authority],
    [t('factDocType'), docTypeName(record.documentType)],
    [t('factAnchored'), record.anchoredHeight !== undefined
      ? (isTime(record.anchoredTimeMs)
        ? t('factAnchoredValue', { height: record.anchoredHeight, time: formatDateTime(record.anchoredTimeMs) })
        : t('factAnchoredBlock', { height: record.anchoredHeight }))
      : null],
    [t('factValidFrom'), isTime(record.validFromMs) ? formatDate(record.validFromMs) : null],
    [t('factValidUntil'), isTime(record.validUntilMs) ? formatDate(record.validUntilMs) : null],
    [t('factReference'), record.reference ? mono(String(record.reference)) : null],
    [t('factSupersedes'), record.supersedes ? checkLink(String(record.supersedes).toLowerCase(), 'previousLink') : null],
  ];
  return rows;
}

function proofRows(result, ctx, verdict) {
  const rows = [];
  if (result.ok) {
    const age = isTime(result.blockTimeMs) ? formatAge(ctx.checkedAtMs - result.blockTimeMs) : t('none');
    rows.push([t('factProvenBlock'), result.height !== undefined
      ? t('factProvenBlockValue', { height: result.height, time: formatDateTime(result.blockTimeMs), age }) : null]);
    const signers = Array.isArray(result.signers) ? result.signers : [];
    if (result.signedPower !== undefined && result.totalPower !== undefined) {
      rows.push([t('factSigners'), signers.length
        ? t('factSignersValue', { names: signers.join(', '), signed: result.signedPower, total: result.totalPower })
        : t('factVotes', { signed: result.signedPower, total: result.totalPower })]);
    }
  }
  if (ctx.mode === 'offline') {
    const documentHash = (result.record && result.record.documentHash) || result.subject;
    if (documentHash) rows.push([t('factReceiptDocument'), mono(String(documentHash).toLowerCase())]);
    if (result.ok && result.receiptVersion !== undefined) {
      rows.push([t('factReceiptVersion'), Number(result.receiptVersion) === 1 ? t('receiptVersion1') : t('receiptVersion2')]);
    }
    rows.push([t('factOrigin'), t('originReceipt')]);
    if (ctx.genesis) {
      const hash = String(ctx.genesis.genesisHash).toLowerCase();
      const pinned = pinnedHash(ctx.genesis.chainId);
      const comparison = !pinned ? t('pinCompareNone') : pinned === hash ? t('pinCompareMatch') : t('pinCompareDiffers');
      rows.push([t('factGenesisUsed'), h('span', {}, `${ctx.genesis.chainId}: `, mono(groupHex(hash)), ` – ${comparison}`)]);
    }
    rows.push([t('factCheckedAt'), `${formatDateTime(ctx.checkedAtMs)} – ${t('offlineNoNetwork')}`]);
    return rows;
  }
  return rows.concat(contextRows(ctx));
}

/** What was asked: document hash, key, origin, file, time. */
function contextRows(ctx) {
  if (!ctx) return [];
  const originKey = { qr: 'originQr', file: 'originFile', typed: 'originTyped', receipt: 'originReceipt' }[ctx.origin];
  return [
    [t('factDocumentHash'), ctx.documentHash ? mono(ctx.documentHash) : null],
    [t('factSalt'), ctx.salt ? mono(ctx.salt) : null],
    [t('factLedgerKey'), ctx.salt && ctx.key ? mono(ctx.key) : null],
    [t('factOrigin'), originKey ? t(originKey) : null],
    [t('factFile'), ctx.file ? t('factFileValue', { name: ctx.file.name, size: formatSize(ctx.file.size) }) : null],
    [t('factChain'), ctx.genesis ? ctx.genesis.chainId : null],
    [t('factCheckedAt'), ctx.checkedAtMs ? formatDateTime(ctx.checkedAtMs) : null],
  ];
}

function technical(result, ctx, record) {
  const status = record && record.status ? record.status : null;
  const rows = facts([
    [t('factSubject'), result.subject ? mono(String(result.subject)) : null],
    [t('factAuthorityId'), record && record.authority ? record.authority : null],
    [t('factAnchorTx'), record && record.anchorTx ? mono(String(record.anchorTx)) : null],
    [t('factClerk'), record && record.clerk ? mono(String(record.clerk)) : null],
    [t('factCosigner'), record && record.cosigner ? mono(String(record.cosigner)) : null],
    [t('factStatusTx'), status && status.tx ? mono(String(status.tx)) : null],
    [t('factStatusClerk'), status && status.clerk ? mono(String(status.clerk)) : null],
    [t('factStatusCosigner'), status && status.cosigner ? mono(String(status.cosigner)) : null],
    [t('factGenesisHash'), ctx.genesis ? mono(String(ctx.genesis.genesisHash).toLowerCase()) : null],
  ]);
  if (!rows) return null;
  return h('details', { class: 'technical' }, h('summary', {}, t('technicalSummary')), rows);
}

function saltedTypes(genesis) {
  if (!genesis || !Array.isArray(genesis.authorities)) return [];
  const types = new Set();
  for (const authority of genesis.authorities) {
    for (const type of authority.saltedDocumentTypes || []) types.add(type);
  }
  return [...types].map(docTypeName).sort((a, b) => a.localeCompare(b, locale()));
}

// ---------------------------------------------------------------------------------------------
// Language

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('pageTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const toggle = $('lang-switch');
  toggle.textContent = t('langSwitch');
  toggle.lang = t('langSwitchLang');
  toggle.setAttribute('aria-label', t('langSwitchLabel'));
  renderTrust();
  renderQr();
  renderFileName();
  renderFieldErrors();
  renderOnline();
  renderOffline();
}

function initialLanguage() {
  const stored = storageGet(LANG_KEY);
  return stored && strings[stored] ? stored : DEFAULT_LANG;
}

// ---------------------------------------------------------------------------------------------
// Drag and drop: a file dropped on a zone goes into its input; anywhere else it is ignored
// (instead of the browser opening it and leaving the page).

function hasFiles(event) {
  return Boolean(event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files'));
}

function setupDropZones() {
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    const zone = event.target instanceof Element ? event.target.closest('.dropzone') : null;
    event.dataTransfer.dropEffect = zone ? 'copy' : 'none';
  });
  window.addEventListener('drop', (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  for (const zone of document.querySelectorAll('.dropzone')) {
    const input = $(zone.dataset.input);
    if (!input) continue;
    zone.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      zone.classList.add('is-dragover');
    });
    zone.addEventListener('dragleave', (event) => {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove('is-dragover');
    });
    zone.addEventListener('drop', (event) => {
      zone.classList.remove('is-dragover');
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      const dropped = event.dataTransfer.files;
      if (!dropped || !dropped.length) return;
      try {
        const transfer = new DataTransfer();
        transfer.items.add(dropped[0]);
        input.files = transfer.files;
      } catch {
        return;
      }
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Start

function init() {
  state.lang = initialLanguage();
  $('insecure-notice').hidden = window.isSecureContext !== false;

  $('lang-switch').addEventListener('click', () => {
    state.lang = state.lang === 'de' ? 'en' : 'de';
    storageSet(LANG_KEY, state.lang);
    applyLanguage();
  });
  $('hash-form').addEventListener('submit', onHashFormSubmit);
  $('file-input').addEventListener('change', onFileChosen);
  $('salt-input').addEventListener('input', () => {
    state.saltFromQr = false;
  });
  $('genesis-file-input').addEventListener('change', onGenesisFile);
  $('receipt-input').addEventListener('change', onOfflineFiles);
  $('receipt-genesis-input').addEventListener('change', onOfflineFiles);
  window.addEventListener('hashchange', onFragment);
  setupDropZones();

  applyLanguage();
  genesisReady = loadServedGenesis();
  onFragment();
  genesisReady.finally(() => {
    document.body.dataset.ready = 'true';
  });
}

init();
