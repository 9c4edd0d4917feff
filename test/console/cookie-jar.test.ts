import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/console/cookie-jar';

describe('cookie jar', () => {
  const base = new URL('http://127.0.0.1:9/mocana-app-control/rest/user/ping/j_security_check');

  it('sends a cookie only under its path and only to its host', () => {
    const jar = new CookieJar();
    jar.store(base, ['JSESSIONID=ABC; Path=/mocana-app-control; HttpOnly']);
    expect(jar.header(new URL('http://127.0.0.1:9/mocana-app-control/rest/profile/x'))).toBe('JSESSIONID=ABC');
    expect(jar.header(new URL('http://127.0.0.1:9/mocana-app-controlX/'))).toBeNull();
    expect(jar.header(new URL('http://127.0.0.1:9/other/'))).toBeNull();
    expect(jar.header(new URL('http://localhost:9/mocana-app-control/rest/'))).toBeNull();
  });

  it('defaults the path to the directory of the URL that set it', () => {
    const jar = new CookieJar();
    jar.store(base, ['a=1']);
    expect(jar.header(new URL('http://127.0.0.1:9/mocana-app-control/rest/user/ping/other'))).toBe('a=1');
    expect(jar.header(new URL('http://127.0.0.1:9/mocana-app-control/rest/profile'))).toBeNull();
  });

  it('replaces, expires and deletes cookies', () => {
    let now = 1_000_000;
    const jar = new CookieJar(() => now);
    jar.store(base, ['s=1; Path=/', 't=2; Path=/; Max-Age=10']);
    jar.store(base, ['s=3; Path=/']);
    expect(jar.header(new URL('http://127.0.0.1:9/'))).toBe('s=3; t=2');
    now += 11_000;
    expect(jar.header(new URL('http://127.0.0.1:9/'))).toBe('s=3');
    jar.store(base, ['s=; Path=/; Max-Age=0']);
    expect(jar.header(new URL('http://127.0.0.1:9/'))).toBeNull();
  });

  it('keeps Secure cookies off plain http except on loopback', () => {
    const jar = new CookieJar();
    jar.store(new URL('http://console.example.com/'), ['s=1; Secure; Path=/']);
    expect(jar.header(new URL('http://console.example.com/'))).toBeNull();
    expect(jar.header(new URL('https://console.example.com/'))).toBe('s=1');
  });

  it('counts as loopback only what the console address check does: 127.0.0.0/8, localhost, [::1]', () => {
    const jar = new CookieJar();
    const hosts = ['127.0.0.2', 'localhost', '[::1]', '127.evil.example', 'localhost.', '127.0.0.1.nip.io'];
    for (const host of hosts) jar.store(new URL(`https://${host}/`), ['s=1; Secure; Path=/']);
    const sent = hosts.filter((host) => jar.header(new URL(`http://${host}/`)) !== null);
    expect(sent).toEqual(['127.0.0.2', 'localhost', '[::1]']);
  });
});
