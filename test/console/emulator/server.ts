import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRuleFile } from '../../../src/engine/json-syntax';
import { FaultBoard, FaultRequestSchema, type Fault, type FaultInput, type Resource } from './faults';
import { errorPageHtml, loginPageHtml } from './html';
import { ConsoleModel, type StoredProfile } from './model';
import { deepNestingBody, isProfileShape, profileShapeBody } from './profile-shapes';
import { defaultSeed, type ConsoleSeed, type SeedAccount } from './seed';

export const APP_PREFIX = '/mocana-app-control';
export const REST_PREFIX = `${APP_PREFIX}/rest/`;
export const LOGIN_PAGE_PATH = `${APP_PREFIX}/login.jsp`;

export interface ConsoleEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: ConsoleSeed;
  /** Load the data from this JSON file if it exists, and save every change to it. */
  stateFile?: string;
  /** How long a session lives without use. Default 30 min. */
  sessionTtlMs?: number;
  /** `redirect` (default): login answers 302 to user/ping with the cookie on the redirect; `direct`: answers the ping JSON itself. */
  loginStyle?: 'redirect' | 'direct';
  /** Shape of the catalog: `{"profiles": [...]}` (default) or a bare array. */
  catalogStyle?: 'profiles' | 'bare-array';
  /** Shape of the default-profile answer. Default `settings` (`{"settings": {"profile_id": …}}`). */
  defaultStyle?: 'settings' | 'profile_id' | 'data-string' | 'bare-string';
}

export interface RequestRecord {
  method: string;
  path: string;
  resource: Resource | 'admin' | 'other';
  at: number;
}

export interface ConsoleEmulator {
  /** The REST base URL, e.g. http://127.0.0.1:PORT/mocana-app-control/rest/ */
  url: string;
  origin: string;
  port: number;
  model: ConsoleModel;
  /** The same object as `model`: profiles, default profile id, accounts, policy record. */
  state: ConsoleModel;
  faults: FaultBoard;
  requests: RequestRecord[];
  options: Required<Pick<ConsoleEmulatorOptions, 'loginStyle' | 'catalogStyle' | 'defaultStyle' | 'sessionTtlMs'>>;
  setFault(resource: Resource, fault: FaultInput): void;
  clearFaults(resource?: Resource): void;
  /** Drops every session: the next call meets the login redirect. */
  expireSessions(): void;
  close(): Promise<void>;
}

interface Session {
  account: SeedAccount;
  lastUsed: number;
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string | string[]>;
}

/**
 * A management console emulator on node:http: every call of
 * docs/console-api.md, form login with a servlet-style session cookie, admin
 * and non-admin accounts, and run-time fault injection per resource.
 */
export async function startConsoleEmulator(options: ConsoleEmulatorOptions = {}): Promise<ConsoleEmulator> {
  const model = new ConsoleModel(options.seed ?? defaultSeed(), options.stateFile);
  const faults = new FaultBoard();
  const sessions = new Map<string, Session>();
  const requests: RequestRecord[] = [];
  const settings = {
    loginStyle: options.loginStyle ?? 'redirect',
    catalogStyle: options.catalogStyle ?? 'profiles',
    defaultStyle: options.defaultStyle ?? 'settings',
    sessionTtlMs: options.sessionTtlMs ?? 30 * 60_000,
  } satisfies ConsoleEmulator['options'];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, contentType: 'text/plain', body: `emulator error: ${(error as Error).message}` });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const resource = classify(method, url.pathname);
    requests.push({ method, path: url.pathname, resource, at: Date.now() });
    if (resource === 'admin') return admin(method, url.pathname, body, res);
    if (resource === 'other') return send(res, json(404, { status: 'Error', message: `no such resource ${url.pathname}` }));
    let fault = faults.take(resource);
    // Held until the faults change; then the fault set at that moment applies.
    while (fault?.type === 'hold') {
      await faults.hold();
      fault = faults.take(resource);
    }
    if (fault?.type === 'delay') await sleep(fault.ms);
    if (fault?.type === 'expire-session') sessions.clear();
    if (fault && early(fault, res)) return;
    const fields = resource === 'profile' || resource === 'default' ? await readFields(body, req.headers['content-type'] ?? '') : null;
    const reply = route(resource, method, url.pathname, body, req, fields);
    return deliver(res, applyBodyFault(fault, reply, resource));
  }

  /** Faults that replace the answer entirely. True when the request is dealt with. */
  function early(fault: Fault, res: ServerResponse): boolean {
    switch (fault.type) {
      case 'hang':
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'status': {
        const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
        const reply = fault.html
          ? { status: fault.status, contentType: 'text/html;charset=utf-8', body: errorPageHtml(fault.status) }
          : json(fault.status, { status: 'Error', message: `HTTP ${fault.status} injected` });
        send(res, { ...reply, headers });
        return true;
      }
      case 'login-page':
        send(res, { status: 200, contentType: 'text/html;charset=utf-8', body: loginPageHtml() });
        return true;
      case 'login-redirect':
        send(res, redirect(LOGIN_PAGE_PATH));
        return true;
      case 'html-error':
        send(res, { status: 200, contentType: 'text/html;charset=utf-8', body: errorPageHtml() });
        return true;
      case 'redirect':
        send(res, redirect(fault.location, fault.status ?? 302));
        return true;
      default:
        return false;
    }
  }

  function route(resource: Resource, method: string, path: string, body: Buffer, req: IncomingMessage, fields: Fields | null): Reply {
    if (resource === 'login-page') return { status: 200, contentType: 'text/html;charset=utf-8', body: loginPageHtml() };
    if (resource === 'login') return login(body, req);
    const account = authenticate(req);
    if (!account) {
      if (req.headers.authorization) return json(401, { status: 'Error', message: 'Invalid or expired token' });
      return redirect(LOGIN_PAGE_PATH);
    }
    const rest = path.slice(REST_PREFIX.length);
    switch (resource) {
      case 'ping':
        return json(200, pingBody(account));
      case 'catalog': {
        const list = model.live().map(summary);
        return json(200, settings.catalogStyle === 'bare-array' ? list : { message: '', status: 'OK', profiles: list });
      }
      case 'profile':
        return profileCall(method, rest, fields, account);
      case 'default':
        return defaultCall(method, fields, account);
      case 'policy': {
        const ref = rest.replace(/^app-policy\//, '');
        const known = ref === `code/${model.policy.policy_code}` || ref === model.policy.policy_id;
        return known ? json(200, { message: '', status: 'OK', policy: model.policy }) : json(404, { status: 'Error', message: `no policy ${ref}` });
      }
      default:
        return json(404, { status: 'Error', message: 'not found' });
    }
  }

  function login(body: Buffer, req: IncomingMessage): Reply {
    const form = new URLSearchParams(body.toString('utf8'));
    const account = model.accounts.find((a) => a.email === form.get('j_username') && a.password === form.get('j_password'));
    if (!account || !/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      return { status: 200, contentType: 'text/html;charset=utf-8', body: loginPageHtml(true) };
    }
    const token = randomBytes(16).toString('hex').toUpperCase();
    sessions.set(token, { account, lastUsed: Date.now() });
    const cookie = `JSESSIONID=${token}; Path=${APP_PREFIX}; HttpOnly`;
    if (settings.loginStyle === 'redirect') {
      const reply = redirect(`${REST_PREFIX}user/ping`, 302);
      return { ...reply, headers: { ...reply.headers, 'set-cookie': cookie } };
    }
    return { ...json(200, pingBody(account)), headers: { 'set-cookie': cookie } };
  }

  function authenticate(req: IncomingMessage): SeedAccount | null {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer) return model.accounts.find((a) => a.token === bearer) ?? null;
    const token = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (!token || !session) return null;
    if (Date.now() - session.lastUsed > settings.sessionTtlMs) {
      sessions.delete(token);
      return null;
    }
    session.lastUsed = Date.now();
    return session.account;
  }

  function profileCall(method: string, rest: string, fields: Fields | null, account: SeedAccount): Reply {
    const id = decodeURIComponent(rest.replace(/^profile\/?/, ''));
    if (method === 'GET') {
      const profile = model.profiles.get(id);
      if (!profile) return json(404, { status: 'Error', message: `Profile ${id} not found` });
      if (profile.archived) return json(200, { status: 'Error', message: `Profile ${id} has been archived` });
      return json(200, profileBody(profile));
    }
    if (!account.admin) return json(403, { status: 'Error', message: 'Administrator rights are required' });
    if (method === 'DELETE') {
      return model.archive(id)
        ? json(200, { status: 'OK', message: `Profile ${id} archived` })
        : json(404, { status: 'Error', message: `Profile ${id} not found` });
    }
    if (!fields) return json(400, { status: 'Error', message: 'expected multipart/form-data' });
    const data = fields.get('data');
    if (typeof data !== 'string' || !isJson(data)) return json(200, { status: 'Error', message: 'data must be a JSON string' });
    if ((fields.get('type') ?? 'client_certs') !== 'client_certs') return json(200, { status: 'Error', message: 'type must be client_certs' });
    if (method === 'POST' && id === '') {
      const name = fields.get('name');
      if (!name) return json(200, { status: 'Error', message: 'name is required' });
      const profile = model.put(crypto.randomUUID(), name, fields.get('desc') ?? '', data);
      return json(200, profileBody(profile));
    }
    if (method === 'PUT') {
      const existing = model.profiles.get(id);
      if (!existing || existing.archived) return json(404, { status: 'Error', message: `Profile ${id} not found` });
      const profile = model.put(id, fields.get('name') ?? existing.name, fields.get('desc') ?? existing.description, data);
      return json(200, profileBody(profile));
    }
    return json(405, { status: 'Error', message: `${method} not allowed` });
  }

  function defaultCall(method: string, fields: Fields | null, account: SeedAccount): Reply {
    if (method === 'GET') return json(200, defaultBody(model.defaultProfileId));
    if (!account.admin) return json(403, { status: 'Error', message: 'Administrator rights are required' });
    if (method === 'DELETE') {
      model.setDefault(null);
      return json(200, { status: 'OK', message: 'Default profile archived' });
    }
    if (method === 'POST') {
      const id = fields?.get('profile_id') ?? fields?.get('id') ?? null;
      const profile = id ? model.profiles.get(id) : undefined;
      if (!profile || profile.archived) return json(200, { status: 'Error', message: `Profile ${id ?? '(none)'} not found` });
      model.setDefault(profile.id);
      return json(200, defaultBody(profile.id));
    }
    return json(405, { status: 'Error', message: `${method} not allowed` });
  }

  function defaultBody(id: string | null): unknown {
    switch (settings.defaultStyle) {
      case 'bare-string':
        return id ?? '';
      case 'data-string':
        return { message: '', status: 'OK', data: id ?? '' };
      case 'profile_id':
        return { message: '', status: 'OK', profile_id: id };
      default:
        return { message: '', status: 'OK', settings: { profile_id: id } };
    }
  }

  /** Body-level faults: the normal answer, damaged. */
  function applyBodyFault(fault: Fault | null, reply: Reply, resource: Resource): Reply | StreamReply {
    if (!fault) return reply;
    switch (fault.type) {
      case 'truncated':
        return { kind: 'truncated', reply };
      case 'hang-body':
        return { kind: 'hang-body', reply };
      case 'truncated-json':
        return { kind: 'chunked', reply: { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) } };
      case 'invalid-json':
        return { ...reply, body: `${reply.body.slice(0, -1)},}` };
      case 'content-type':
        return { ...reply, contentType: fault.contentType };
      case 'empty-body':
        return { ...reply, body: '' };
      case 'huge-body':
        return { kind: 'huge', reply, bytes: fault.bytes ?? 1024 * 1024 + 1024 };
      case 'status-error':
        return json(200, { status: 'Error', message: fault.message ?? 'Internal error while reading the profile' });
      case 'wrong-shape':
        return json(200, { status: 'OK', message: '', result: 'nothing here' });
      case 'unknown-default':
        return resource === 'default' ? json(200, defaultBody('00000000-0000-4000-8000-000000000000')) : reply;
      case 'no-default':
        return resource === 'default' ? json(200, defaultBody(null)) : reply;
      default:
        if (resource !== 'profile' || reply.status !== 200) return reply;
        if (isProfileShape(fault.type)) return json(200, profileShapeBody(fault.type, JSON.parse(reply.body) as Parameters<typeof profileShapeBody>[1]));
        if (fault.type === 'deep-nesting')
          return {
            ...reply,
            body: deepNestingBody(JSON.parse(reply.body) as Parameters<typeof deepNestingBody>[0], fault.depth ?? 200_000, fault.asObject ?? false),
          };
        return profileFault(fault, reply);
    }
  }

  /** Damaged or variant profile answers; each carries a fresh stamp, as after an edit. */
  function profileFault(fault: Fault, reply: Reply): Reply {
    const envelope = JSON.parse(reply.body) as { profiles?: { profile_id: string; data: Record<string, unknown> } };
    const profile = envelope.profiles;
    if (!profile || typeof profile.data['profile_data'] !== 'string') return reply;
    const data = profile.data;
    const inner = JSON.parse(data['profile_data'] as string) as { clientCertsUrlMatchingRules: unknown[] };
    const rules = inner.clientCertsUrlMatchingRules;
    data['profile_data_stamp'] = `${String(data['profile_data_stamp'])}-${fault.type}`;
    switch (fault.type) {
      case 'double-encoded':
        data['profile_data'] = JSON.stringify(data['profile_data']);
        break;
      case 'profile-data-object':
        data['profile_data'] = inner;
        break;
      case 'rules-string':
        data['profile_data'] = JSON.stringify({ clientCertsUrlMatchingRules: JSON.stringify(rules) });
        break;
      case 'data-direct':
        profile.data = { clientCertsUrlMatchingRules: rules, profile_data_stamp: data['profile_data_stamp'] };
        break;
      case 'unknown-action':
        data['profile_data'] = JSON.stringify({ clientCertsUrlMatchingRules: [...rules, { host: 'extra.example.com', port: '', action: 'allowAlways' }] });
        break;
      case 'invalid-deny':
        data['profile_data'] = JSON.stringify({
          clientCertsUrlMatchingRules: [...rules, { host: 'https://blocked.example.com/', port: '', action: 'noCertificate' }],
        });
        break;
      case 'invalid-allow':
        data['profile_data'] = JSON.stringify({
          clientCertsUrlMatchingRules: [...rules, { host: 'bad host.example.com', port: '', action: 'useEnrollmentCertificate' }],
        });
        break;
      case 'too-many-rules': {
        const count = fault.count ?? 5001;
        const many = Array.from({ length: count }, (_, i) => ({ host: `h${i}.example.com`, port: '', action: 'useEnrollmentCertificate' }));
        data['profile_data'] = JSON.stringify({ clientCertsUrlMatchingRules: many });
        break;
      }
      case 'no-rules-key':
        data['profile_data'] = JSON.stringify({ somethingElse: rules });
        break;
      case 'other-profile':
        profile.profile_id = '11111111-2222-4333-8444-555555555555';
        break;
      default:
        return reply;
    }
    return { ...reply, body: JSON.stringify(envelope) };
  }

  function admin(method: string, path: string, body: Buffer, res: ServerResponse): void {
    const route = path.slice('/__admin/'.length);
    try {
      if (route === 'faults' && method === 'POST') {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
          const request = FaultRequestSchema.parse(item);
          const { resource, ...fault } = request;
          faults.set(resource, fault as FaultInput);
        }
        return send(res, json(200, { faults: faults.list() }));
      }
      if (route === 'faults' && method === 'DELETE') {
        faults.clear();
        return send(res, json(200, { faults: [] }));
      }
      if (route === 'faults' && method === 'GET') return send(res, json(200, { faults: faults.list() }));
      if (route === 'expire-sessions' && method === 'POST') {
        sessions.clear();
        return send(res, json(200, { sessions: 0 }));
      }
      if (route === 'state' && method === 'GET') {
        return send(
          res,
          json(200, {
            defaultProfileId: model.defaultProfileId,
            profiles: [...model.profiles.values()].map(({ data, ...rest }) => ({ ...rest, rules: rulesOf(data) })),
          }),
        );
      }
      if (route === 'requests' && method === 'GET') return send(res, json(200, { requests }));
      const rulesMatch = /^profiles\/([^/]+)\/rules$/.exec(route);
      if (rulesMatch && method === 'POST') {
        // Any form a rules file may take (a bare array, {"clientCertsUrlMatchingRules": [...]}, a profile answer).
        const document = parseRuleFile(body.toString('utf8'));
        if (!document.ok) return send(res, json(400, { error: `expected rules as in a rules file: ${document.message}` }));
        const profile = model.setRules(decodeURIComponent(rulesMatch[1] ?? ''), document.rules);
        return send(res, json(200, { id: profile.id, stamp: profile.stamp, rules: document.rules.length }));
      }
      return send(res, json(404, { error: `unknown admin call ${method} ${route}` }));
    } catch (error) {
      return send(res, json(400, { error: (error as Error).message }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  return {
    url: `${origin}${REST_PREFIX}`,
    origin,
    port: address.port,
    model,
    state: model,
    faults,
    requests,
    options: settings,
    setFault: (resource, fault) => faults.set(resource, fault),
    clearFaults: (resource) => faults.clear(resource),
    expireSessions: () => sessions.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        faults.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type StreamReply =
  { kind: 'truncated'; reply: Reply } | { kind: 'hang-body'; reply: Reply } | { kind: 'chunked'; reply: Reply } | { kind: 'huge'; reply: Reply; bytes: number };

async function deliver(res: ServerResponse, reply: Reply | StreamReply): Promise<void> {
  if (!('kind' in reply)) return send(res, reply);
  const { status, contentType, headers } = reply.reply;
  const body = Buffer.from(reply.reply.body, 'utf8');
  if (reply.kind === 'truncated' || reply.kind === 'hang-body') {
    res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    if (reply.kind === 'truncated') setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (reply.kind === 'chunked') {
    res.writeHead(status, { ...headers, 'content-type': contentType });
    res.end(body);
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': contentType });
  const prefix = '{"status":"OK","message":"","padding":"';
  res.write(prefix);
  let sent = prefix.length;
  const chunk = 'x'.repeat(64 * 1024);
  while (sent < reply.bytes && !res.destroyed) {
    const ok = res.write(chunk);
    sent += chunk.length;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end('"}');
}

function send(res: ServerResponse, reply: Reply): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-type': reply.contentType, 'content-length': String(body.length) });
  res.end(body);
}

function json(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json;charset=utf-8', body: JSON.stringify(value) };
}

function redirect(location: string, status = 302): Reply {
  return { status, contentType: 'text/html;charset=utf-8', body: '', headers: { location } };
}

function pingBody(account: SeedAccount): unknown {
  return {
    message: '',
    status: 'OK',
    user: [{ email: account.email, id: account.id, ua_admin: account.admin ? '1' : '0', first_name: account.admin ? 'Ada' : 'Uma', last_name: 'Demo' }],
  };
}

function summary(profile: StoredProfile): unknown {
  return {
    profile_id: profile.id,
    profile_name: profile.name,
    profile_desc: profile.description,
    profile_type: profile.type,
    profile_url: '',
    profile_data_stamp: profile.stamp,
  };
}

function profileBody(profile: StoredProfile): unknown {
  return {
    message: '',
    profiles: {
      data: { profile_data: profile.data, profile_data_id: profile.dataId, profile_data_stamp: profile.stamp },
      profile_desc: profile.description,
      profile_id: profile.id,
      profile_name: profile.name,
      profile_type: profile.type,
      profile_url: '',
    },
    status: 'OK',
  };
}

function classify(method: string, path: string): Resource | 'admin' | 'other' {
  if (path.startsWith('/__admin/')) return 'admin';
  if (path === LOGIN_PAGE_PATH) return 'login-page';
  if (!path.startsWith(REST_PREFIX)) return 'other';
  const rest = path.slice(REST_PREFIX.length).replace(/\/$/, '');
  if (rest === 'user/ping/j_security_check' && method === 'POST') return 'login';
  if (rest === 'user/ping') return 'ping';
  if (rest === 'profile/catalog/client_certs') return 'catalog';
  if (rest === 'profile' || rest.startsWith('profile/')) return 'profile';
  if (rest === 'settings/client-certs-default-profile') return 'default';
  if (rest.startsWith('app-policy/')) return 'policy';
  return 'other';
}

type Fields = Map<string, string>;

/**
 * The fields of a profile or default call: URL-encoded and multipart bodies
 * through the platform's own parser (Request.formData()), JSON objects with
 * each value as a string. Null for any other type, or a body its type does
 * not describe.
 */
async function readFields(body: Buffer, type: string): Promise<Fields | null> {
  const fields: Fields = new Map();
  if (/application\/json/.test(type)) {
    const value = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    for (const [key, v] of Object.entries(value)) fields.set(key, typeof v === 'string' ? v : JSON.stringify(v));
    return fields;
  }
  if (!/x-www-form-urlencoded|multipart\/form-data/.test(type)) return null;
  let form: FormData;
  try {
    form = await new Request('http://emulator/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) }).formData();
  } catch {
    return null;
  }
  for (const [key, value] of form) fields.set(key, typeof value === 'string' ? value : await value.text());
  return fields;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function rulesOf(data: string): unknown {
  try {
    return (JSON.parse(data) as { clientCertsUrlMatchingRules?: unknown }).clientCertsUrlMatchingRules ?? null;
  } catch {
    return null;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
