// What the Web SDK needs from its host when it runs in Node.
//
// Without a `window` the SDK takes its NODE platform branch, which talks to its host the way
// mini-program runtimes do:
// * the socket is `new WebSocket(url)` from the global, but listeners are registered as
//   `sock.onOpen(cb)`, `onMessage(cb)` (cb({data}) with data handed straight to the protobuf
//   decoder), `onClose(cb)`, `onError(cb)`; frames go out as `sock.send(Uint8Array)`;
// * REST calls go through `global.request({url, data, method, header, timeout, success, fail})`
//   (its XMLHttpRequest branch is for browsers only), success being called for every HTTP status.
// Both are provided here over `ws` and Node's http module. `request` only talks to the target:
// the SDK also posts usage reports to hosts of its vendor, which are refused locally.
'use strict';

const http = require('http');
const https = require('https');
const WebSocket = require('ws');

class SdkSocket extends WebSocket {
  constructor(url) {
    super(url);
    this.on('error', () => {}); // reported through onError; never an uncaught 'error' event
  }

  onOpen(cb) { this.on('open', () => cb({})); }

  onMessage(cb) {
    this.on('message', (data) => cb({ data: Buffer.isBuffer(data) ? data : Buffer.from(data) }));
  }

  onClose(cb) { this.on('close', (code, reason) => cb({ code, reason: reason.toString() })); }

  onError(cb) { this.on('error', (err) => cb({ errMsg: err.message })); }
}

function installNodeEnvironment(allowedOrigins) {
  globalThis.self = globalThis;
  globalThis.WebSocket = SdkSocket;
  globalThis.request = (options) => request(options, allowedOrigins);
}

function request({ url, data, method = 'GET', header = {}, timeout = 15000, success, fail }, allowedOrigins) {
  const target = new URL(url);
  const failWith = (reason) => fail && fail({ errMsg: `request:fail ${reason}` });
  if (!allowedOrigins.has(target.origin)) {
    setImmediate(() => failWith(`${target.origin} is not the target`));
    return;
  }
  const verb = method.toUpperCase();
  let body = null;
  if (verb !== 'GET' && data !== undefined && data !== null) {
    body = typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data);
  }
  const headers = { ...header };
  // Node sends a DELETE body with neither Content-Length nor chunked encoding (the SDK's block list
  // removal has one); a browser always sets the length, so do the same.
  if (body !== null) headers['Content-Length'] = Buffer.byteLength(body);
  const transport = target.protocol === 'https:' ? https : http;
  const req = transport.request(target, { method: verb, headers, timeout }, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed = text;
      try { parsed = JSON.parse(text); } catch (e) { /* not JSON: hand over the text */ }
      success && success({ statusCode: res.statusCode, data: parsed, header: res.headers });
    });
  });
  req.on('timeout', () => { req.destroy(); failWith('timeout'); });
  req.on('error', (err) => failWith(err.message));
  req.end(body);
}

module.exports = { installNodeEnvironment };
