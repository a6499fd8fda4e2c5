// What the Web SDK needs from its host when it runs in Node.
//
// Without a `window` the SDK takes its NODE platform branch, which talks to its host the way
// mini-program runtimes do:
// * the socket is `new WebSocket(url)` from the global, but listeners are registered as
//   `sock.onOpen(cb)`, `onMessage(cb)` (cb({data}) with data handed straight to the protobuf
//   decoder), `onClose(cb)`, `onError(cb)`; frames go out as `sock.send(Uint8Array)`;
// * REST calls go through `global.request({url, data, method, header, timeout, success, fail})`
//   (its XMLHttpRequest branch is for browsers only), success being called for every HTTP status.
// * file uploads and downloads (uploadFile, message attachments, shared files) go through
//   `XMLHttpRequest` with a FormData body and a blob response, whatever the platform, and
//   downloaded blobs are read with `FileReader`.
// They are provided here over `ws`, Node's http module and Node's fetch. Both HTTP paths only talk
// to the target: the SDK also posts usage reports to hosts of its vendor, which are refused locally.
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
  globalThis.XMLHttpRequest = xhrOver(allowedOrigins);
  if (typeof globalThis.FileReader === 'undefined') globalThis.FileReader = BlobReader;
}

// The FileReader the SDK reads downloaded blobs with (a combined message's file, a refused
// download's error body): readAsArrayBuffer / readAsText, then load and loadend.
class BlobReader {
  constructor() { this.listeners = {}; this.result = null; this.readyState = 0; }

  addEventListener(type, cb) { (this.listeners[type] = this.listeners[type] || []).push(cb); }

  fire(type) {
    const event = { target: this };
    if (typeof this[`on${type}`] === 'function') this[`on${type}`](event);
    for (const cb of this.listeners[type] || []) cb(event);
  }

  read(blob, convert) {
    this.readyState = 1;
    blob.arrayBuffer()
      .then((buffer) => { this.result = convert(buffer); this.readyState = 2; this.fire('load'); })
      .catch((err) => { this.error = err; this.readyState = 2; this.fire('error'); })
      .finally(() => this.fire('loadend'));
  }

  readAsArrayBuffer(blob) { this.read(blob, (buffer) => buffer); }

  readAsText(blob) { this.read(blob, (buffer) => Buffer.from(buffer).toString('utf8')); }
}

// The part of XMLHttpRequest the SDK's file transfers use (open, setRequestHeader, send, timeout,
// responseType, status, response/responseText, the load/error/timeout/abort listeners, upload
// progress listeners), over fetch.
function xhrOver(allowedOrigins) {
  class Listeners {
    constructor() { this.listeners = {}; }
    addEventListener(type, cb) { (this.listeners[type] = this.listeners[type] || []).push(cb); }
    removeEventListener(type, cb) { this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== cb); }
    fire(type, event = {}) {
      const handler = this[`on${type}`];
      if (typeof handler === 'function') handler.call(this, event);
      for (const cb of this.listeners[type] || []) cb.call(this, event);
    }
  }

  return class NodeXMLHttpRequest extends Listeners {
    constructor() {
      super();
      this.upload = new Listeners();
      this.readyState = 0;
      this.status = 0;
      this.timeout = 0;
      this.responseType = '';
      this.response = null;
      this.responseText = '';
      this.headers = {};
    }

    open(method, url) { this.method = method; this.url = url; this.readyState = 1; }

    setRequestHeader(name, value) { this.headers[name] = String(value); }

    overrideMimeType() {}

    getResponseHeader(name) { return this.responseHeaders ? this.responseHeaders.get(name) : null; }

    abort() { if (this.controller) this.controller.abort(); this.fire('abort', { target: this }); }

    send(body) {
      const target = new URL(this.url);
      if (!allowedOrigins.has(target.origin)) {
        setImmediate(() => this.fire('error', { target: this }));
        return;
      }
      this.controller = new AbortController();
      const timer = this.timeout ? setTimeout(() => { this.timedOut = true; this.controller.abort(); }, this.timeout) : null;
      fetch(this.url, { method: this.method, headers: this.headers, body: body ?? undefined, signal: this.controller.signal })
        .then(async (res) => {
          const bytes = Buffer.from(await res.arrayBuffer());
          this.status = res.status;
          this.responseHeaders = res.headers;
          this.responseText = bytes.toString('utf8');
          this.response = this.responseType === 'blob'
            ? new Blob([bytes], { type: res.headers.get('content-type') || '' })
            : this.responseType === 'arraybuffer' ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
              : this.responseText;
          this.readyState = 4;
          this.fire('readystatechange', { target: this });
          this.fire('load', { target: this });
        })
        .catch(() => this.fire(this.timedOut ? 'timeout' : 'error', { target: this }))
        .finally(() => timer && clearTimeout(timer));
    }
  };
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
