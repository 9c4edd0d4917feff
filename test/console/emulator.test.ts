import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { startConsoleEmulator, type ConsoleEmulator } from './emulator/index';
import { CORPORATE_PROFILE_ID, DEMO_ADMIN, DEMO_USER } from './emulator/seed';
import { runCli } from '../helpers/run-cli';
import { startupText } from './emulator/banner';
import { failureOf, nodeClient } from './helpers';

let emulator: ConsoleEmulator;
beforeAll(async () => {
  emulator = await startConsoleEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('console emulator', () => {
  it('redirects an unauthenticated call to the HTML login page, same origin', async () => {
    const response = await fetch(`${emulator.url}profile/catalog/client_certs`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '', emulator.url).origin).toBe(emulator.origin);
    const page = await fetch(`${emulator.url}profile/catalog/client_certs`);
    expect(page.headers.get('content-type')).toMatch(/html/);
    expect(await page.text()).toContain('j_security_check');
  });

  it('sets the session cookie with a Path on the login redirect (the documented curl -L -b -c flow)', async () => {
    const response = await fetch(`${emulator.url}user/ping/j_security_check`, {
      method: 'POST',
      body: new URLSearchParams({ j_username: DEMO_ADMIN.email, j_password: DEMO_ADMIN.password }),
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie()[0]).toMatch(/^JSESSIONID=[0-9A-F]+; Path=\/mocana-app-control; HttpOnly$/);
  });

  it('takes faults over HTTP at /__admin/faults, limited by "times", and clears them', async () => {
    const set = await fetch(`${emulator.origin}/__admin/faults`, {
      method: 'POST',
      body: JSON.stringify([
        { resource: 'profile', type: 'status', status: 503, retryAfter: '7', times: 1 },
        { resource: 'catalog', type: 'invalid-json' },
      ]),
    });
    expect(set.status).toBe(200);
    const { client } = nodeClient(emulator.url);
    expect(await failureOf(client.getProfile(CORPORATE_PROFILE_ID))).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 7000 });
    expect((await client.getProfile(CORPORATE_PROFILE_ID)).name).toBe('Corporate');
    expect((await failureOf(client.catalog())).kind).toBe('bad-data');
    const listed = (await (await fetch(`${emulator.origin}/__admin/faults`)).json()) as { faults: unknown[] };
    expect(listed.faults).toEqual([{ resource: 'catalog', type: 'invalid-json' }]);
    await fetch(`${emulator.origin}/__admin/faults`, { method: 'DELETE' });
    expect(await client.catalog()).not.toHaveLength(0);
  });

  it('holds a request under a "hold" fault until the faults change; it then meets the fault set then, or none', async () => {
    emulator.setFault('catalog', { type: 'hold' });
    const { client } = nodeClient(emulator.url);
    let answered = false;
    const catalog = client.catalog().then((list) => {
      answered = true;
      return list;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    emulator.clearFaults('catalog');
    expect(await catalog).not.toHaveLength(0);
    // Cleared: the next call is not held.
    expect(await client.catalog()).not.toHaveLength(0);
    emulator.setFault('catalog', { type: 'hold' });
    const failing = failureOf(client.catalog());
    await new Promise((resolve) => setTimeout(resolve, 300));
    emulator.setFault('catalog', { type: 'status', status: 503, times: 1 });
    expect(await failing).toMatchObject({ kind: 'http', status: 503 });
  });

  it('refuses an unknown fault with 400', async () => {
    const response = await fetch(`${emulator.origin}/__admin/faults`, { method: 'POST', body: JSON.stringify({ resource: 'profile', type: 'gremlins' }) });
    expect(response.status).toBe(400);
  });

  it("changes a profile's rules through the admin endpoint with a new stamp", async () => {
    const { client } = nodeClient(emulator.url);
    const before = await client.getProfile(CORPORATE_PROFILE_ID);
    const rules = [{ host: 'changed.example.com', port: '', action: 'useEnrollmentCertificate' }];
    const response = await fetch(`${emulator.origin}/__admin/profiles/${CORPORATE_PROFILE_ID}/rules`, { method: 'POST', body: JSON.stringify(rules) });
    expect(response.status).toBe(200);
    const after = await client.getProfile(CORPORATE_PROFILE_ID);
    expect(after.rules).toEqual(rules);
    expect(after.stamp).not.toBe(before.stamp);
    emulator.model.setRules(CORPORATE_PROFILE_ID, before.rules);
  });

  it('reads multipart profile fields as the platform parses them: quoted boundary, a file part, CR LF inside a value; refuses a body its boundary does not delimit', async () => {
    const before = emulator.model.profiles.get(CORPORATE_PROFILE_ID)!;
    const rules = [{ host: 'multipart.example.com', port: '', action: 'noCertificate' }];
    const boundary = 'b=1:x';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="data"; filename="rules.json"',
      'Content-Type: application/json',
      '',
      JSON.stringify({ clientCertsUrlMatchingRules: rules }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="desc"',
      '',
      'two\r\nlines',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const put = (payload: string, type: string) =>
      fetch(`${emulator.url}profile/${CORPORATE_PROFILE_ID}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${DEMO_ADMIN.token}`, 'content-type': type },
        body: payload,
      });
    try {
      const response = await put(body, `multipart/form-data; boundary="${boundary}"`);
      expect(await response.json()).toMatchObject({ status: 'OK' });
      const stored = emulator.model.profiles.get(CORPORATE_PROFILE_ID)!;
      expect(JSON.parse(stored.data)).toEqual({ clientCertsUrlMatchingRules: rules });
      expect(stored.description).toBe('two\r\nlines');

      // A body its boundary does not delimit is not a form: refused, nothing changed.
      const broken = await put(body, 'multipart/form-data; boundary=other');
      expect(broken.status).toBe(400);
      expect(await broken.json()).toEqual({ status: 'Error', message: 'expected multipart/form-data' });
      expect(emulator.model.profiles.get(CORPORATE_PROFILE_ID)!.data).toBe(stored.data);
    } finally {
      emulator.model.put(CORPORATE_PROFILE_ID, before.name, before.description, before.data);
    }
  });

  it('keeps its data in a JSON file across restarts when asked', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'console-emulator-')), 'console.json');
    const first = await startConsoleEmulator({ stateFile: file });
    const id = await nodeClient(first.url).client.createProfile({ name: 'Persisted', rules: [] });
    await first.close();
    expect(readFileSync(file, 'utf8')).toContain('Persisted');
    const second = await startConsoleEmulator({ stateFile: file });
    expect((await nodeClient(second.url).client.getProfile(id)).name).toBe('Persisted');
    await second.close();
  });

  it('`npm run console -- --port N` starts it and prints where it listens and the demo credentials', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/console/cli.ts', '--port', '0'], { cwd: REPO_ROOT });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Profiles:')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const base = /REST base URL:\s+(\S+)/.exec(out)?.[1] ?? '';
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mocana-app-control\/rest\/$/);
      for (const secret of [DEMO_ADMIN.email, DEMO_ADMIN.password, DEMO_USER.email, DEMO_USER.password]) expect(out).toContain(secret);
      expect((await nodeClient(base).client.ping()).admin).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('npm run console: how to load your own rules, and a first sync', () => {
  it('the start-up text names the built command-line tool, and each of its examples works as printed', async () => {
    const text = startupText(emulator, undefined);
    expect(text).not.toContain('src/cli/bin.ts');
    const curl = /curl --data-binary @my-rules\.json (\S+)/.exec(text);
    const example = /e\.g\. my-rules\.json: (.+)/.exec(text);
    const sync = /(\S+)=(\S+) node dist\/cli\/cert-rules\.mjs (sync .+)/.exec(text);
    if (!curl?.[1] || !example?.[1] || !sync?.[3]) throw new Error(`an example is missing from:\n${text}`);
    const before = (await nodeClient(emulator.url).client.getProfile(CORPORATE_PROFILE_ID)).rules;
    try {
      const loaded = await fetch(curl[1], { method: 'POST', body: example[1] });
      expect(loaded.status).toBe(200);
      expect(await loaded.json()).toMatchObject({ id: CORPORATE_PROFILE_ID, rules: 1 });
      const state = path.join(mkdtempSync(path.join(tmpdir(), 'banner-')), 'state.json');
      const argv = sync[3].replace('/tmp/cert-rules-state.json', state).split(' ');
      const run = await runCli(argv, '', { [sync[1] as string]: sync[2] });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({ ok: true, rules: 1 });
      expect(JSON.parse(readFileSync(state, 'utf8')).lastGood.rules).toEqual(JSON.parse(example[1]));
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, before);
    }
  });

  it('the rules endpoint takes a rules file in any form, and says where JSON that is not valid goes wrong', async () => {
    const url = `${emulator.origin}/__admin/profiles/${CORPORATE_PROFILE_ID}/rules`;
    const before = (await nodeClient(emulator.url).client.getProfile(CORPORATE_PROFILE_ID)).rules;
    try {
      const rules = [{ host: 'document.example.com', port: '443', action: 'noCertificate' }];
      expect((await fetch(url, { method: 'POST', body: JSON.stringify({ clientCertsUrlMatchingRules: rules }) })).status).toBe(200);
      expect((await nodeClient(emulator.url).client.getProfile(CORPORATE_PROFILE_ID)).rules).toEqual(rules);
      const broken = await fetch(url, { method: 'POST', body: '[\n  {"host": "a"}\n  {"host": "b"}\n]' });
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as { error: string }).error).toContain('not valid JSON at line 3, column 3');
      expect((await fetch(url, { method: 'POST', body: '{"rules": []}' })).status).toBe(400);
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, before);
    }
  });
});
