// Real processes for the browser tests: provisio serve and the SCIM emulator on 127.0.0.1:0,
// each announcing "listening on http://HOST:PORT"; a tiny JSON client for setup calls.
import { spawn } from 'node:child_process';

export function startProcess(bin, args, env = {}) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${bin} did not announce its port:\n${err}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1], stderr: () => err });
      }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 200000) err = err.slice(-100000); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${bin} exited ${code}:\n${err}`)); });
  });
}

export async function stop(proc) {
  if (!proc || proc.child.exitCode !== null) return;
  const done = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  const t = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

// A JSON client: a session (cookie + CSRF) or a bearer token.
export class Client {
  constructor(base) { this.base = base; this.headers = {}; }
  async signIn(email, password) {
    const r = await fetch(`${this.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    if (r.status !== 200) throw new Error(`sign-in ${email}: ${r.status} ${await r.text()}`);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const { csrf_token } = await r.json();
    this.headers = { Cookie: cookie, 'X-CSRF-Token': csrf_token };
    return this;
  }
  bearer(token) { this.headers = { Authorization: `Bearer ${token}` }; return this; }
  async call(method, path, body, expect = [200, 201, 204]) {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...this.headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!expect.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

export async function eventually(what, fn, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}
