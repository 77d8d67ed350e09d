// The demo chat page: everything a chat needs, on the JS SDK (served next to this file under ./sdk/).
// The SDK reconnects, recovers missed messages and drops duplicates; this file only renders what it delivers.
//
// URL options (for trying things out, and for the end-to-end tests):
//   ?user=alice     log in at once with this name
//   ?rooms=a,b      rooms to join after the lobby
//   ?ttl=SECONDS    ask the dev token endpoint for short-lived tokens (to watch them being refreshed)

import { DinoClient, DinoError } from './sdk/dino.js';

const HISTORY_PAGE = 50;
const LOBBY = 'lobby';

const params = new URLSearchParams(location.search);
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

/** What the page knows; `window.dinoDemo` exposes it for debugging and the tests. */
const demo = {
  client: null,
  user: null,
  /** tokens fetched from the dev token endpoint, and the latest ({token, expiresAt}) */
  tokenFetches: 0,
  token: null,
  /** messages the SDK delivered (room `message` and `private` events) more than once: it must never happen */
  duplicateDeliveries: 0,
  /** conversation key ('room:NAME' or 'user:NAME') -> conversation */
  conversations: new Map(),
  current: null,
  /** whether some room or the inbox could not be recovered in the current reconnect */
  recoveryFailed: false,
};
window.dinoDemo = demo;

// ---- rendering helpers -------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function bodyText(body) {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof body.text === 'string') return body.text;
  return JSON.stringify(body);
}

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function describe(error) {
  if (error && typeof error.code === 'number' && error.name) return `${error.name} (${error.code}): ${error.message}`;
  return String(error?.message ?? error);
}

function showError(testid, error) {
  const node = $(testid);
  node.textContent = error ? describe(error) : '';
  node.hidden = !error;
}

// ---- connection state --------------------------------------------------------------------------------------

const STATE_LABELS = {
  offline: 'not connected',
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  recovered: 'reconnected · recovered',
  'not-recovered': 'reconnected · could not recover, history reloaded',
  failed: 'disconnected',
};

function setState(state, detail) {
  const node = $('state');
  node.dataset.state = state;
  node.querySelector('.label').textContent = STATE_LABELS[state] + (detail ? ` (${detail})` : '');
  node.title = detail ?? '';
}

// ---- conversations -----------------------------------------------------------------------------------------

function conversation(key) {
  let conv = demo.conversations.get(key);
  if (!conv) {
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    conv = { key, kind, name, room: null, members: new Set(), items: [], ids: new Set(), delivered: new Set(), unread: 0,
      unsubscribe: [] };
    demo.conversations.set(key, conv);
  }
  return conv;
}

/** Adds a message once (by id); keeps the list in log order (offset within an epoch, then time). */
function addMessage(conv, msg) {
  if (conv.ids.has(msg.id)) return false;
  conv.ids.add(msg.id);
  const item = { type: 'message', msg };
  let at = conv.items.length;
  while (at > 0 && later(conv.items[at - 1], item)) at--;
  conv.items.splice(at, 0, item);
  if (conv.key !== demo.current) conv.unread++;
  return true;
}

function later(a, b) {
  if (a.type !== 'message' || b.type !== 'message') return false;
  const x = a.msg, y = b.msg;
  if (x.epoch && x.epoch === y.epoch && typeof x.offset === 'number' && typeof y.offset === 'number') {
    return x.offset > y.offset;
  }
  return x.ts > y.ts;
}

function addNotice(conv, text, kind = '') {
  conv.items.push({ type: 'notice', text, kind });
}

function render() {
  renderSidebar();
  renderConversation();
}

function renderSidebar() {
  const rooms = [...demo.conversations.values()].filter((c) => c.kind === 'room' && c.room);
  const dms = [...demo.conversations.values()].filter((c) => c.kind === 'user');
  $('room-list').replaceChildren(...rooms.map(entry));
  $('dm-list').replaceChildren(...dms.map(entry));

  const conv = demo.conversations.get(demo.current);
  const members = conv?.kind === 'room' ? [...conv.members].sort() : [];
  $('member-count').textContent = conv?.kind === 'room' ? `(${members.length})` : '';
  $('member-list').replaceChildren(...members.map((user) => el('li', {
    'data-testid': 'member', 'data-user': user, class: user === demo.user ? 'me' : '',
    title: user === demo.user ? '' : `write to ${user} privately`,
    onclick: () => { if (user !== demo.user) open(`user:${user}`); },
  }, avatar(user), el('span', {}, user, user === demo.user ? el('small', { class: 'you' }, ' (you)') : ''),
  el('span', { class: 'presence', title: 'online' }))));
}

function entry(conv) {
  const label = conv.kind === 'room' ? `# ${conv.name}` : `@ ${conv.name}`;
  return el('li', {
    'data-testid': conv.kind === 'room' ? 'room' : 'dm', 'data-name': conv.name,
    class: conv.key === demo.current ? 'active' : '', onclick: () => open(conv.key),
  }, el('span', {}, label), conv.unread ? el('span', { class: 'badge' }, String(conv.unread)) : '');
}

function renderConversation() {
  const conv = demo.conversations.get(demo.current);
  const list = $('messages');
  if (!conv) {
    list.replaceChildren();
    return;
  }
  $('title').textContent = conv.kind === 'room' ? `# ${conv.name}` : `Private with ${conv.name}`;
  $('leave-button').hidden = conv.kind !== 'room' || !conv.room;
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  const items = conv.items.map((item, i) => item.type === 'notice'
    ? el('li', { class: `notice ${item.kind}`, 'data-testid': 'notice' }, item.text)
    : messageItem(item.msg, conv.items[i - 1]));
  if (items.length === 0) items.push(el('li', { class: 'empty' }, 'No messages yet. Say hello!'));
  list.replaceChildren(...items);
  if (stick) list.scrollTop = list.scrollHeight;
}

/** A message; one that follows another of the same sender within 5 minutes goes without name and avatar. */
function messageItem(msg, previous) {
  const mine = msg.from === demo.user;
  const follows = previous?.type === 'message' && previous.msg.from === msg.from && msg.ts - previous.msg.ts < 300_000;
  return el('li', {
    class: `message${mine ? ' mine' : ''}${follows ? ' follows' : ''}`, 'data-testid': 'message', 'data-id': msg.id,
    'data-from': msg.from, 'data-epoch': msg.epoch ?? '', 'data-offset': msg.offset ?? '',
  }, mine ? '' : (follows ? el('span', { class: 'avatar-space' }) : avatar(msg.from)), el('div', { class: 'bubble' },
    follows ? '' : el('div', { class: 'meta' }, el('b', {}, mine ? 'you' : msg.from), ` · ${time(msg.ts)}`),
    el('div', { class: 'body', 'data-testid': 'message-body', title: follows ? time(msg.ts) : '' }, bodyText(msg.body))));
}

/** A coloured circle with the user's initial; the colour follows from the name. */
function avatar(user) {
  let hash = 0;
  for (const c of user) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return el('span', { class: 'avatar', style: `background: hsl(${hash % 360} 55% 48%)`, 'aria-hidden': 'true' },
    [...user][0].toUpperCase());
}

function open(key) {
  const conv = conversation(key);
  demo.current = key;
  conv.unread = 0;
  render();
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
  $('message-input').focus();
}

// ---- rooms -------------------------------------------------------------------------------------------------

async function joinRoom(name) {
  const conv = conversation(`room:${name}`);
  if (conv.room) {
    open(conv.key);
    return;
  }
  // the SDK hands out one Room object per name: its listeners go when the room is left (see leaveCurrent)
  const room = demo.client.room(name);
  conv.room = room;
  const listen = (event, listener) => conv.unsubscribe.push(room.on(event, listener));
  listen('message', (msg) => {
    countDelivery(conv, msg);
    if (addMessage(conv, msg)) render();
  });
  listen('joined', (event) => {
    if (conv.members.has(event.user)) return;
    conv.members.add(event.user);
    if (event.user !== demo.user) addNotice(conv, `${event.user} joined`);
    render();
  });
  listen('left', (event) => {
    conv.members.delete(event.user);
    addNotice(conv, `${event.user} left`);
    render();
  });
  // a moderator (or an operator in the admin console) took someone out of the room; when it is this user, the SDK
  // no longer follows the room: it leaves the sidebar, the conversation keeps the notice of why
  listen('kicked', (event) => {
    const by = event.by ? ` by ${event.by}` : '';
    const why = event.reason ? `: ${event.reason}` : '';
    if (event.user === demo.user) {
      for (const unsubscribe of conv.unsubscribe.splice(0)) unsubscribe();
      conv.room = null;
      addNotice(conv, `You were kicked from #${name}${by}${why}`, 'warn');
    } else {
      conv.members.delete(event.user);
      addNotice(conv, `${event.user} was kicked${by}${why}`);
    }
    render();
  });
  listen('removed', (event) => {
    for (const unsubscribe of conv.unsubscribe.splice(0)) unsubscribe();
    conv.room = null;
    addNotice(conv, `You were removed from #${name}${event.reason ? ` (${event.reason})` : ''}`, 'warn');
    render();
  });
  // comes during a reconnect, before `connected`: commands wait until then (see wire())
  listen('recovery', (event) => {
    if (event.recovered) {
      if (event.missed.length > 0) addNotice(conv, `Recovered ${event.missed.length} missed message(s)`);
    } else {
      demo.recoveryFailed = true;
      conv.reload = true;
    }
  });
  listen('error', (error, detail) => {
    addNotice(conv, `Could not rejoin: ${describe(error)}${detail.retrying ? ' (retrying)' : ''}`, 'warn');
    if (!detail.retrying) {  // the SDK no longer follows the room
      for (const unsubscribe of conv.unsubscribe.splice(0)) unsubscribe();
      conv.room = null;
    }
    render();
  });
  try {
    const joined = await room.join();
    for (const user of joined?.members ?? []) conv.members.add(user);
    open(conv.key);
    await reloadHistory(conv);
  } catch (error) {
    forget(conv);
    render();
    throw error;
  }
}

function forget(conv) {
  for (const unsubscribe of conv.unsubscribe.splice(0)) unsubscribe();
  conv.room = null;
  demo.conversations.delete(conv.key);
}

async function reloadHistory(conv, notice, kind) {
  try {
    const page = await conv.room.history({ limit: HISTORY_PAGE });
    for (const msg of page.messages ?? []) addMessage(conv, { room: conv.name, ...msg });
    if (notice) addNotice(conv, notice, kind);
    if (conv.key === demo.current) conv.unread = 0;
  } catch (error) {
    addNotice(conv, `History could not be loaded: ${describe(error)}`, 'warn');
  }
  render();
}

async function refreshMembers(conv) {
  try {
    conv.members = new Set(await conv.room.members());
    render();
  } catch {
    // the next joined/left event or reconnect brings it up to date
  }
}

async function leaveCurrent() {
  const conv = demo.conversations.get(demo.current);
  if (conv?.kind !== 'room') return;
  try {
    await conv.room.leave();
  } finally {
    forget(conv);
    const next = [...demo.conversations.keys()][0];
    if (next) open(next);
    else { demo.current = null; render(); }
  }
}

// ---- sending -----------------------------------------------------------------------------------------------

async function send(text) {
  const conv = demo.conversations.get(demo.current);
  if (!conv) return;
  if (conv.kind === 'room') {
    await conv.room.send(text);  // our own message comes back as a `message` event
  } else {
    const reply = await demo.client.sendPrivate(conv.name, text);
    // the sender gets no event for a private message: show it from the reply
    addMessage(conv, { id: reply.id, to: conv.name, from: demo.user, ts: reply.ts, body: text });
    render();
  }
}

// ---- login and connection ----------------------------------------------------------------------------------

async function fetchToken(settings, user) {
  const request = { user };
  if (params.has('ttl')) request.ttl = Number(params.get('ttl'));
  const response = await fetch(settings.tokenEndpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
  });
  const reply = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new DinoError(reply.code ?? response.status, reply.name ?? `HTTP ${response.status}`,
      reply.message ?? 'the token endpoint refused');
  }
  demo.tokenFetches++;
  return reply;
}

async function login(settings, user) {
  // fetched first to fail early, with the endpoint's message (e.g. a name the protocol does not allow)
  let minted = demo.token = await fetchToken(settings, user);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = new DinoClient({
    url: `${scheme}//${location.host}${settings.wsPath}`,
    // called before every connection attempt: a token is reused until it (nearly) expires, then refreshed
    getToken: async () => {
      if (Date.now() >= minted.expiresAt - 500) minted = demo.token = await fetchToken(settings, user);
      return minted.token;
    },
  });
  demo.client = client;
  demo.user = user;
  wire(client);
  setState('connecting');
  await client.connect();
}

function wire(client) {
  client.on('state', (state) => {
    if (state === 'connecting') setState('connecting');
    else if (state === 'reconnecting') setState('reconnecting');
    else if (state === 'disconnected') setState('offline');
    else if (state === 'closed') setState('failed');
    // 'connected': see the connected event, which says whether everything was recovered
  });
  client.on('connected', (event) => {
    if (!event.reconnected) {
      setState('connected');
      void loadInbox();
      return;
    }
    setState(demo.recoveryFailed ? 'not-recovered' : 'recovered', `node ${event.node}`);
    demo.recoveryFailed = false;
    for (const conv of demo.conversations.values()) {
      if (!conv.room) continue;
      if (conv.reload) {
        conv.reload = false;
        void reloadHistory(conv, 'Could not recover the missed messages: history reloaded', 'warn');
      }
      // members may have come and gone while we were away
      void refreshMembers(conv);
    }
    if (demo.inboxReload) {
      demo.inboxReload = false;
      void loadInbox();
    }
  });
  client.on('disconnected', (event) => {
    if (event.reconnect) setState('reconnecting', event.reason || undefined);
  });
  client.on('inbox', (recovery) => {
    if (!recovery.recovered) {
      demo.recoveryFailed = true;
      demo.inboxReload = true;
    }
  });
  client.on('private', (msg) => {
    const peer = msg.from === demo.user ? msg.to : msg.from;
    const conv = conversation(`user:${peer}`);
    countDelivery(conv, msg);
    if (addMessage(conv, msg)) render();
  });
}

/** Live and recovered messages come from the SDK, which drops duplicates; history pages may overlap them. */
function countDelivery(conv, msg) {
  if (conv.delivered.has(msg.id)) demo.duplicateDeliveries++;
  conv.delivered.add(msg.id);
}

/** The private messages received lately (those sent are not in the inbox; the page shows them from replies). */
async function loadInbox() {
  try {
    const page = await demo.client.inboxHistory({ limit: HISTORY_PAGE });
    for (const msg of page.messages ?? []) {
      const conv = conversation(`user:${msg.from === demo.user ? msg.to : msg.from}`);
      addMessage(conv, msg);
      if (conv.key !== demo.current) conv.unread = 0;  // old news
    }
    render();
  } catch {
    // private messages still arrive live; the inbox history is a nicety
  }
}

function start(settings) {
  const form = $('login-form');
  const input = $('name-input');
  if (!settings.devTokens) {
    showError('login-error', {
      message: 'This node does not hand out demo tokens: its token endpoint works only with dino.dev-mode: true '
        + '(config/dino-dev.yaml). See docs/operations.md.',
    });
    $('login-button').disabled = true;
  }
  async function enter(user) {
    $('login-button').disabled = true;
    showError('login-error', null);
    try {
      await login(settings, user);
      document.getElementById('login').hidden = true;
      document.getElementById('chat').hidden = false;
      $('me').textContent = `signed in as ${user}`;
      $('me').hidden = false;
      await joinRoom(LOBBY);
      for (const room of (params.get('rooms') ?? '').split(',').map((r) => r.trim()).filter(Boolean)) {
        await joinRoom(room);
      }
      open(`room:${LOBBY}`);
    } catch (error) {
      demo.client?.disconnect();
      demo.client = null;
      setState('failed');
      document.getElementById('login').hidden = false;
      document.getElementById('chat').hidden = true;
      showError('login-error', error);
      $('login-button').disabled = !settings.devTokens;
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = input.value.trim();
    if (user) void enter(user);
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = $('message-input');
    const text = box.value.trim();
    if (!text) return;
    showError('send-error', null);
    try {
      await send(text);
      box.value = '';
    } catch (error) {
      showError('send-error', error);
    }
  });
  $('join-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = $('room-input');
    const name = box.value.trim();
    if (!name) return;
    showError('send-error', null);
    try {
      await joinRoom(name);
      box.value = '';
    } catch (error) {
      showError('send-error', error);
    }
  });
  $('leave-button').addEventListener('click', () => void leaveCurrent().catch((error) => showError('send-error', error)));
  if (params.get('user')) {
    input.value = params.get('user');
    void enter(params.get('user'));
  }
}

fetch('settings.json')
  .then((response) => response.json())
  .then(start)
  .catch((error) => showError('login-error', error));
