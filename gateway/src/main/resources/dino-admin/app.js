// The Dino admin console: read-only views of the cluster (refreshed on demand, and every 5 s while the tab is
// visible) and the moderation actions, each behind a confirm dialog. Talks only to the admin API (api.js).

import { api, ApiError, credential } from './api.js';
import { confirmAction } from './dialog.js';
import { $, ago, el, time } from './dom.js';

const REFRESH_MS = 5000;
const state = { me: null, channel: 'default', room: null, user: null, history: [], older: false, busy: false };
window.dinoAdmin = state;  // for tests and curious operators

// ---- login -------------------------------------------------------------------------------------------------

async function login(secret, quiet = false) {
  try {
    state.me = await api.me(secret);
  } catch (error) {
    credential.clear();
    showLogin(quiet ? '' : describe(error));
    return;
  }
  credential.set(secret);
  $('login').hidden = true;
  $('console').hidden = false;
  $('who').textContent = `${state.me.by} · ${state.me.kind === 'api-key' ? 'API key' : state.me.roles.join(', ')} · via node ${state.me.node}`;
  await refresh();
}

function showLogin(message) {
  state.me = null;
  $('console').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('login-error').hidden = !message;
  $('login-credential').focus();
}

function describe(error) {
  return error instanceof ApiError ? error.describe() : `the node did not answer (${error.message})`;
}

// ---- refresh -----------------------------------------------------------------------------------------------

async function refresh() {
  if (state.busy || !state.me) return;
  state.busy = true;
  try {
    const loads = [loadNodes(), loadSessions(), loadRooms()];
    if (state.room) loadRoomInto(loads, state.room);
    if (state.user) loads.push(loadUser(state.user));
    const failed = (await Promise.allSettled(loads)).filter((r) => r.status === 'rejected').map((r) => r.reason);
    const refused = failed.find((error) => error instanceof ApiError && error.status === 401);
    if (refused) {
      credential.clear();
      showLogin(`Logged out: ${refused.describe()}`);
      return;
    }
    $('banner').textContent = failed.map(describe).join(' · ');
    $('banner').hidden = failed.length === 0;
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } finally {
    state.busy = false;
  }
}

function loadRoomInto(loads, room) {
  loads.push(loadRoom(room), loadHistory(room, false));
}

setInterval(() => {
  if ($('auto-refresh').checked && !document.hidden && !$('action-dialog').open) refresh();
}, REFRESH_MS);
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });

// ---- nodes and sessions ------------------------------------------------------------------------------------

async function loadNodes() {
  const { nodes } = await api.nodes();
  const sessions = nodes.reduce((sum, node) => sum + node.sessions, 0);
  $('node-summary').textContent = `${nodes.length} live · ${sessions} sessions`;
  $('node-rows').replaceChildren(...nodes.map((node) => el('tr', { 'data-testid': 'node', 'data-node': node.node },
    el('td', {}, el('span', { class: 'mono' }, node.node), ' ', node.self ? el('span', { class: 'tag self' }, 'this node') : ''),
    el('td', {}, node.version || el('span', { class: 'muted' }, 'dev')),
    el('td', { class: 'num' }, node.sessions), el('td', { class: 'num' }, node.users), el('td', { class: 'num' }, node.rooms),
    el('td', {}, ago(node.startedAt)),
    el('td', {}, node.reportedAt ? `${ago(node.reportedAt)} ago` : el('span', { class: 'tag warn' }, 'not yet')))));
}

async function loadSessions() {
  const { sessions, total, truncated } = await api.sessions();
  $('session-summary').textContent = truncated ? `${sessions.length} of ${total}` : `${total}`;
  $('session-rows').replaceChildren(...(sessions.length ? sessions.map((session) => el('tr',
    { 'data-testid': 'session', 'data-user': session.user },
    el('td', {}, userLink(session.user)),
    el('td', { class: 'mono', title: session.session }, session.session.slice(-8)),
    el('td', { class: 'mono' }, session.peer || '—'),
    el('td', {}, time(session.since)),
    el('td', {}, session.rooms.map((room) => roomTag(room))),
    el('td', { class: 'actions' }, disconnectButton(session.user))))
    : [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No sessions on this node.'))]));
}

// ---- rooms -------------------------------------------------------------------------------------------------

async function loadRooms() {
  const [{ channels }, rooms] = await Promise.all([api.channels(), api.rooms(state.channel)]);
  $('channel').replaceChildren(...channels.map((channel) => el('option',
    { value: channel.id, selected: channel.id === state.channel },
    !channel.name || channel.name === channel.id ? channel.id : `${channel.name} (${channel.id})`)));
  const rows = [
    ...rooms.rooms.map((room) => roomRow(room.id, room.name, room.kind, room.users)),
    ...rooms.held.filter((held) => !rooms.rooms.some((room) => room.id === held.id))
      .map((held) => roomRow(held.id, '', 'open', held.users)),
  ];
  $('room-rows').replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No registered rooms in this channel, and no sessions in rooms here.'))]));
}

function roomRow(id, name, kind, users) {
  return el('tr', { 'data-testid': 'room', 'data-room': id, class: id === state.room ? 'selected' : '' },
    el('td', {}, el('button', { class: 'link mono', onclick: () => openRoom(id) }, id)),
    el('td', {}, name), el('td', {}, el('span', { class: 'tag' }, kind)), el('td', { class: 'num' }, users));
}

async function openRoom(room) {
  state.room = room;
  state.history = [];
  state.older = false;
  $('room-title').textContent = room;
  const loads = [];
  loadRoomInto(loads, room);
  try {
    await Promise.all(loads);
    await loadRooms();  // marks the selected row
  } catch (error) {
    $('room-body').replaceChildren(el('p', { class: 'error', 'data-testid': 'room-error' }, describe(error)));
  }
}

async function loadRoom(room) {
  const info = await api.room(room);
  if (state.room !== room) return;
  const record = info.record;
  $('room-meta').textContent = record ? `${record.name} · ${record.kind} · channel ${record.channel}` : 'open room';
  const memberRows = info.members.map((user) => el('tr', { 'data-testid': 'member', 'data-user': user },
    el('td', {}, userLink(user)),
    el('td', { class: 'actions' },
      el('button', { class: 'small danger', 'data-testid': 'kick', onclick: () => kick(room, user) }, 'Kick'),
      el('button', { class: 'small danger', 'data-testid': 'mute', onclick: () => mute(room, user) }, 'Mute'),
      el('button', { class: 'small danger', 'data-testid': 'ban', onclick: () => ban(user, 'room', room) }, 'Ban'))));
  const members = el('table', { 'data-testid': 'members' },
    el('thead', {}, el('tr', {}, el('th', {}, `Members (${info.members.length})`), el('th', {}))),
    el('tbody', {}, memberRows.length ? memberRows
      : el('tr', {}, el('td', { colspan: 2, class: 'empty' }, 'Nobody is in this room.'))));
  const sanctions = [
    ...info.bans.map((ban) => sanctionRow('ban', ban, () => unban(ban))),
    ...info.mutes.map((mute) => sanctionRow('mute', mute, () => unmute(room, mute.user))),
  ];
  $('room-body').className = '';
  $('room-body').replaceChildren(members,
    el('div', { class: 'sub' }, 'Bans and mutes'),
    sanctions.length ? el('table', { 'data-testid': 'sanctions' }, el('tbody', {}, sanctions)) : el('div', { class: 'empty' }, 'None.'),
    el('div', { class: 'sub' }, 'History (newest last)'),
    el('div', { id: 'history' }));
  renderHistory(room);
}

function sanctionRow(kind, sanction, lift) {
  return el('tr', { 'data-testid': kind, 'data-user': sanction.user },
    el('td', {}, el('span', { class: 'tag warn' }, kind), userLink(sanction.user)),
    el('td', { class: 'muted' }, sanction.until ? `until ${time(sanction.until)}` : 'permanent'),
    el('td', { class: 'muted' }, `by ${sanction.by}${sanction.reason ? `: ${sanction.reason}` : ''}`),
    el('td', { class: 'actions' }, el('button', { class: 'small', onclick: lift }, kind === 'ban' ? 'Unban' : 'Unmute')));
}

async function loadHistory(room, older) {
  const before = older && state.history.length ? state.history[0].offset : 0;
  const page = await api.history(room, before);
  if (state.room !== room) return;
  const known = new Set(state.history.map((m) => m.id));
  const fresh = page.messages.filter((m) => !known.has(m.id));
  if (older) {
    state.history = [...fresh, ...state.history];
    state.older = page.messages.length > 0;
  } else {
    // the newest page replaces what it covers (deleted messages go), older pages loaded stay
    const oldest = page.messages[0]?.offset ?? Infinity;
    state.history = [...state.history.filter((m) => m.offset < oldest), ...page.messages];
    if (!state.older) state.older = page.messages.length >= 20;
  }
  renderHistory(room);
}

/** A body as text: a string as it is, an object's `text` field, else its JSON. */
function bodyText(body) {
  if (typeof body === 'string') return body;
  if (typeof body?.text === 'string') return body.text;
  return JSON.stringify(body);
}

function renderHistory(room) {
  const box = $('history');
  if (!box) return;
  const rows = state.history.map((m) => el('tr', { 'data-testid': 'history-message', 'data-id': m.id },
    el('td', { class: 'muted' }, time(m.ts)), el('td', {}, userLink(m.from)),
    el('td', { class: 'body', title: JSON.stringify(m.body) }, bodyText(m.body)),
    el('td', { class: 'actions' }, el('button', { class: 'small danger', 'data-testid': 'delete',
      onclick: () => deleteMessage(room, m) }, 'Delete'))));
  box.replaceChildren(
    state.older ? el('button', { class: 'small', onclick: () => loadHistory(room, true).catch(showError) }, 'Older messages') : '',
    rows.length ? el('table', { 'data-testid': 'history' }, el('tbody', {}, rows)) : el('div', { class: 'empty' }, 'No messages.'));
}

// ---- users -------------------------------------------------------------------------------------------------

async function openUser(user) {
  state.user = user;
  $('user-input').value = user;
  try {
    await loadUser(user);
  } catch (error) {
    $('user-body').replaceChildren(el('p', { class: 'error', 'data-testid': 'user-error' }, describe(error)));
  }
}

async function loadUser(user) {
  const info = await api.user(user);
  if (state.user !== user) return;
  $('user-body').className = '';
  $('user-body').replaceChildren(
    el('p', { 'data-testid': 'user-summary' }, el('b', {}, info.user), ' ',
      el('span', { class: `tag status-${info.status}` }, info.status),
      info.status === 'offline' && info.lastOnline ? el('span', { class: 'muted' }, ` last online ${time(info.lastOnline)}`) : ''),
    el('div', { class: 'sub' }, 'Rooms (cluster-wide)'),
    info.rooms.length ? el('div', { 'data-testid': 'user-rooms' }, info.rooms.map((room) => roomTag(room))) : el('div', { class: 'empty' }, 'None.'),
    el('div', { class: 'sub' }, `Sessions on node ${info.node}`),
    info.sessionsHere.length ? el('div', {}, info.sessionsHere.map((s) => el('div', { class: 'mono' },
      `${s.session} from ${s.peer || '?'} since ${time(s.since)}`))) : el('div', { class: 'empty' }, 'None here (the user may be on another node).'),
    el('div', { class: 'sub' }, 'Roles'),
    info.grants.length ? el('div', {}, info.grants.map((g) => el('span', { class: 'tag' }, `${g.role} of ${g.scope} ${g.target}`)))
      : el('div', { class: 'empty' }, 'No granted roles (token roles are not stored).'),
    el('div', { class: 'sub' }, 'Bans'),
    info.bans.length ? el('table', {}, el('tbody', {}, info.bans.map((b) => sanctionRow('ban', b, () => unban(b)))))
      : el('div', { class: 'empty' }, 'None.'),
    el('div', { class: 'row-actions' }, disconnectButton(info.user, 'Disconnect'),
      el('button', { class: 'small danger', 'data-testid': 'user-ban', onclick: () => ban(info.user, 'global', '') }, 'Ban…')));
}

function userLink(user) {
  return el('button', { class: 'link', 'data-testid': 'user-link', onclick: () => openUser(user) }, user);
}

function roomTag(room) {
  return el('button', { class: 'tag', onclick: () => openRoom(room) }, room);
}

// ---- actions -----------------------------------------------------------------------------------------------

async function act(spec, done) {
  const result = await confirmAction(spec);
  if (!result) return;
  $('notice').textContent = done(result);
  $('notice').hidden = false;
  await refresh();
}

function disconnectButton(user, label = 'Disconnect') {
  return el('button', { class: 'small danger', 'data-testid': 'disconnect', onclick: () => act({
    title: `Disconnect ${user}`, text: `Closes every session of ${user} on every node.`, action: 'disconnect',
    body: { user }, confirm: 'Disconnect',
  }, (r) => `Disconnected ${user}: ${r.sessions} session(s) closed.`) }, label);
}

const kick = (room, user) => act({
  title: `Kick ${user} from ${room}`, text: `Takes every session of ${user} out of ${room}; they may join again.`,
  action: 'kick', body: { room, user }, confirm: 'Kick',
}, (r) => `Kicked ${user} from ${room}: ${r.sessions} session(s) removed.`);

const mute = (room, user) => act({
  title: `Mute ${user} in ${room}`, text: `${user} can read ${room} but not send to it.`, action: 'mute', body: { room, user },
  fields: [{ name: 'duration', label: 'Duration (30s, 10m, 2h, 7d or permanent)', value: '10m' }], confirm: 'Mute',
}, (r) => `Muted ${user} in ${room} ${r.until ? `until ${time(r.until)}` : 'permanently'}.`);

const ban = (user, scope, target) => act({
  title: `Ban ${user}`, text: `Takes ${user} out of the scope's rooms and refuses their joins (global: refuses connecting).`,
  action: 'ban', body: { user },
  fields: [{ name: 'scope', label: 'Scope', options: ['room', 'channel', 'global'], value: scope },
    { name: 'target', label: 'Room or channel id (empty for global)', value: target },
    { name: 'duration', label: 'Duration (30s, 10m, 2h, 7d or permanent)', value: '1h' }], confirm: 'Ban',
}, (r) => `Banned ${user} ${r.until ? `until ${time(r.until)}` : 'permanently'}: ${r.sessions} session(s) removed.`);

const unban = (b) => act({
  title: `Unban ${b.user}`, text: `Lifts the ${b.scope} ban${b.target ? ` of ${b.target}` : ''}.`, action: 'unban',
  body: { user: b.user, scope: b.scope, target: b.target }, confirm: 'Unban',
}, (r) => (r.removed ? `Unbanned ${b.user}.` : `${b.user} was not banned there.`));

const unmute = (room, user) => act({
  title: `Unmute ${user} in ${room}`, text: `${user} may send to ${room} again.`, action: 'unmute', body: { room, user },
  confirm: 'Unmute',
}, (r) => (r.removed ? `Unmuted ${user} in ${room}.` : `${user} was not muted in ${room}.`));

const deleteMessage = (room, m) => act({
  title: 'Delete message', text: `Deletes ${m.from}'s message ${m.id} in ${room} for everyone.`, action: 'delete',
  body: { room, messageId: m.id, offset: m.offset }, confirm: 'Delete',
}, (r) => (r.changed ? `Deleted message ${m.id}.` : `Message ${m.id} was already deleted.`));

function showError(error) {
  $('banner').textContent = describe(error);
  $('banner').hidden = false;
}

// ---- wiring ------------------------------------------------------------------------------------------------

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  login($('login-credential').value.trim());
});
$('logout').addEventListener('click', () => { credential.clear(); showLogin(''); });
$('refresh').addEventListener('click', () => refresh());
$('channel').addEventListener('change', () => { state.channel = $('channel').value; loadRooms().catch(showError); });
$('room-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room-input').value.trim();
  if (room) openRoom(room);
});
$('user-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('user-input').value.trim();
  if (user) openUser(user);
});

const saved = credential.get();
if (saved) login(saved, true);
else showLogin('');
