/**
 * The platform objects the engine may use: the WHATWG URL and TextEncoder,
 * which the service worker, the pages and Node provide alike. The engine is
 * type-checked with these and the ECMAScript library only
 * (tsconfig.engine.json), so a DOM, browser-extension or Node API in it does
 * not compile. The main tsconfig.json leaves this file out: there the DOM
 * library declares the same objects.
 */

declare class URL {
  constructor(url: string, base?: string | URL);
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  username: string;
  toString(): string;
  toJSON(): string;
}

declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
}
