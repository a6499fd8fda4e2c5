// Drives the official Easemob Web SDK (easemob-websdk) for the interop tests.
//
// stdin: one JSON command per line, {"id": n, "op": "...", ...}
// stdout: one JSON object per line:
//   {"kind": "ready", "sdk": "<version>", "node": "<version>"}            once, at start
//   {"kind": "result", "id": n, "ok": true, "value": ...}                 one per command
//   {"kind": "result", "id": n, "ok": false, "error": {type, message, data}}
//   {"kind": "event", "conn": "<name>", "name": "onTextMessage", "data": ...}
// The SDK's own log goes to stderr.
//
// Ops: create {conn, options}, open {conn, user, pwd | accessToken}, send {conn, message},
//      call {conn, method, args}, upload {conn, method, params}, download {conn, method, params},
//      drop {conn}, logLevel {level}, bench {sender, receiver, to, count, window}, exit.
'use strict';

const readline = require('readline');
const util = require('util');
const { installNodeEnvironment } = require('./environment');

const out = (obj) => process.stdout.write(JSON.stringify(obj, jsonSafe()) + '\n');
process.stdout.on('error', () => process.exit(0)); // the test side went away

// The SDK logs through console.*: keep stdout for the line protocol.
for (const level of ['log', 'info', 'debug', 'warn', 'trace']) {
  console[level] = (...args) => process.stderr.write(util.formatWithOptions({ depth: 4, breakLength: Infinity }, ...args) + '\n');
}

const allowedOrigins = new Set();
installNodeEnvironment(allowedOrigins);
const sdk = require('easemob-websdk');
const WebIM = sdk.default || sdk;

// Every event the SDK's connection can fire (EventHandlerType in types/eventHandler.d.ts).
const EVENTS = [
  'onOpened', 'onConnected', 'onDisconnected', 'onReconnecting', 'onClosed', 'onOnline', 'onOffline',
  'onError', 'onTokenWillExpire', 'onTokenExpired', 'onOfflineMessageSyncStart',
  'onOfflineMessageSyncFinish', 'onReceivedMessage', 'onTextMessage', 'onImageMessage',
  'onAudioMessage', 'onVideoMessage', 'onFileMessage', 'onLocationMessage', 'onCmdMessage',
  'onCustomMessage', 'onCombineMessage', 'onChannelMessage', 'onReadMessage', 'onDeliveredMessage',
  'onRecallMessage', 'onModifiedMessage', 'onReactionChange', 'onGroupEvent', 'onGroupChange',
  'onChatroomEvent', 'onChatroomChange', 'onChatThreadChange', 'onMultiDeviceEvent',
  'onMessagePinEvent', 'onStatisticMessage', 'onPresence', 'onPresenceStatusChange',
  'onContactInvited', 'onContactDeleted', 'onContactAdded', 'onContactRefuse', 'onContactAgreed',
];

const connections = new Map();
const initialLogLevel = WebIM.logger.getLevel ? WebIM.logger.getLevel() : 'trace';

function jsonSafe() {
  const seen = new WeakSet();
  return (key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value && typeof value === 'object') {
      if (seen.has(value)) return undefined;
      seen.add(value);
      if (typeof value.toNumber === 'function' && 'low' in value && 'high' in value) return value.toString();
    }
    return value;
  };
}

// A file arrives as {"$file": base64, "name": ..., "type": ...}: the SDK's file object
// {data: File, filename, filetype, url}, as a browser's file input gives it.
function reviveFile(value) {
  if (!value || typeof value !== 'object' || typeof value.$file !== 'string') return value;
  const data = new File([Buffer.from(value.$file, 'base64')], value.name, { type: value.type || '' });
  const dot = value.name.lastIndexOf('.');
  return { data, filename: value.name, filetype: dot < 0 ? '' : value.name.slice(dot + 1).toLowerCase(), url: `file:///${value.name}` };
}

async function blobBase64(blob) {
  return Buffer.from(await blob.arrayBuffer()).toString('base64');
}

// Ext values JSON cannot carry arrive as {"$js": kind, "value": text} markers.
function reviveJs(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value.$js !== 'string') return value;
  switch (value.$js) {
    case 'undefined': return undefined;
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case 'bigint': return BigInt(value.value);
    case 'symbol': return Symbol(value.value);
    case 'function': return new Function(`return (${value.value});`)();
    default: throw new Error(`unknown JS value marker ${value.$js}`);
  }
}

function reviveValues(obj) {
  if (!obj || typeof obj !== 'object') return obj;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, reviveJs(v)]));
}

function errorOf(err) {
  if (err instanceof Error) return { type: null, message: err.message, data: err.stack };
  if (err && typeof err === 'object') return { type: err.type ?? null, message: err.message ?? null, data: err.data ?? null };
  return { type: null, message: String(err), data: null };
}

function connection(name) {
  const conn = connections.get(name);
  if (!conn) throw new Error(`no connection named ${name}`);
  return conn;
}

const ops = {
  // quiet: forward no events of this connection (benchmarks count messages inside Node)
  async create({ conn: name, options, quiet = false }) {
    if (connections.has(name)) throw new Error(`connection ${name} exists`);
    allowedOrigins.add(new URL(options.apiUrl).origin);
    const conn = new WebIM.connection({ isHttpDNS: false, ...options });
    const handler = {};
    for (const event of EVENTS) {
      handler[event] = quiet ? () => {}
        : (data) => out({ kind: 'event', conn: name, name: event, data: data === undefined ? null : data });
    }
    conn.addEventHandler('im-e2e-driver', handler);
    connections.set(name, conn);
    return { version: conn.version ?? null };
  },
  async open({ conn: name, user, pwd, accessToken }) {
    const conn = connection(name);
    const result = await conn.open(accessToken !== undefined ? { user, accessToken } : { user, pwd });
    return { result, resource: conn.clientResource ?? conn.context?.jid?.clientResource ?? null };
  },
  async send({ conn: name, message }) {
    const spec = { ...message };
    for (const key of ['ext', 'customExts']) if (spec[key]) spec[key] = reviveValues(spec[key]);
    if (spec.file) spec.file = reviveFile(spec.file);
    const msg = WebIM.message.create(spec);
    return connection(name).send(msg);
  },
  // conn.modifyMessage({messageId, modifiedMessage}) with the new message made by WebIM.message.create
  async modify({ conn: name, messageId, message }) {
    const spec = { ...message };
    for (const key of ['ext', 'customExts']) if (spec[key]) spec[key] = reviveValues(spec[key]);
    return (await connection(name).modifyMessage({ messageId, modifiedMessage: WebIM.message.create(spec) })) ?? null;
  },
  async call({ conn: name, method, args }) {
    const conn = connection(name);
    if (typeof conn[method] !== 'function') throw new Error(`connection has no method ${method}`);
    return (await conn[method](...(args || []))) ?? null;
  },
  // conn[method]({...params, file, onFileUploadComplete, onFileUploadError}) (uploadGroupSharedFile,
  // uploadChatRoomSharedFile): resolves with what onFileUploadComplete got
  async upload({ conn: name, method, params }) {
    const conn = connection(name);
    return new Promise((resolve, reject) => {
      conn[method]({ ...params, file: reviveFile(params.file), onFileUploadComplete: resolve,
        onFileUploadError: (err) => reject(errorOf(err)) });
    });
  },
  // conn[method]({...params, onFileDownloadComplete, onFileDownloadError}) (downloadGroupSharedFile):
  // resolves with the downloaded bytes, base64
  async download({ conn: name, method, params }) {
    const conn = connection(name);
    const blob = await new Promise((resolve, reject) => {
      conn[method]({ ...params, onFileDownloadComplete: resolve,
        onFileDownloadError: (err) => reject({ type: err?.type ?? null, message: `download failed (${err?.xhr?.status})`, data: null }) });
    });
    return { base64: await blobBase64(blob) };
  },
  // SDK log level (trace, debug, info, warn, error, silent); the SDK starts with everything on.
  async logLevel({ level }) {
    WebIM.logger.setLevel(level);
    return null;
  },
  // `count` texts from one connection to another, `window` sends in flight; resolves when the
  // receiver has fired onTextMessage for all of them. Timing and this process's CPU time.
  async bench({ sender, receiver, to, count, window = 100 }) {
    const from = connection(sender);
    const into = connection(receiver);
    const marker = `bench-${Date.now()}`;
    let received = 0;
    let allReceived;
    const finished = new Promise((resolve) => { allReceived = resolve; });
    into.addEventHandler('im-e2e-bench', {
      onTextMessage: (msg) => { if (msg.msg.startsWith(marker) && ++received === count) allReceived(); },
    });
    const cpu0 = process.cpuUsage();
    const started = process.hrtime.bigint();
    let next = 0;
    const pump = async () => {
      while (next < count) {
        const n = next++;
        await from.send(WebIM.message.create({ type: 'txt', chatType: 'singleChat', to, msg: `${marker} ${n}` }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, count) }, pump));
    await finished;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    into.removeEventHandler('im-e2e-bench');
    return { count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  },
  // A lost network: the socket dies without a close handshake (no LOGOUT, no close frame).
  async drop({ conn: name }) {
    const sock = connection(name).sock;
    if (!sock || typeof sock.terminate !== 'function') throw new Error('no open socket to drop');
    sock.terminate();
    return null;
  },
  // Between two tests in one driver process: every connection closed and forgotten, SDK log level
  // back to where it started. Resolves with how many connections were closed.
  async reset() {
    const closed = connections.size;
    for (const conn of connections.values()) {
      try { conn.removeEventHandler('im-e2e-driver'); conn.close(); } catch (e) { /* already closed */ }
    }
    connections.clear();
    WebIM.logger.setLevel(initialLogLevel);
    return { closed };
  },
  async exit() {
    for (const conn of connections.values()) {
      try { conn.close(); } catch (e) { /* already closed */ }
    }
    setTimeout(() => process.exit(0), 50);
    return null;
  },
};

async function run(line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    out({ kind: 'result', id: null, ok: false, error: { type: null, message: `bad command line: ${e.message}`, data: line } });
    return;
  }
  const op = ops[command.op];
  try {
    if (!op) throw new Error(`unknown op ${command.op}`);
    out({ kind: 'result', id: command.id, ok: true, value: await op(command) });
  } catch (err) {
    out({ kind: 'result', id: command.id, ok: false, error: errorOf(err) });
  }
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${JSON.stringify(errorOf(reason))}\n`);
});

readline.createInterface({ input: process.stdin }).on('line', (line) => { if (line.trim()) run(line); })
  .on('close', () => ops.exit());

out({ kind: 'ready', sdk: require('easemob-websdk/package.json').version, node: process.version });
