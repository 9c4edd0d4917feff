import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const IMAGES = path.join(REPO_ROOT, 'docs/images');

/** Every <img> of the README with its source and alt text, and every srcset of a <source>. */
const images = [...README.matchAll(/<img src="([^"]+)"[^>]*\balt="([^"]*)"/g)].map(([, src, alt]) => ({ src: src ?? '', alt: alt ?? '' }));
const darkSources = [...README.matchAll(/<source media="\(prefers-color-scheme: dark\)" srcset="([^"]+)">/g)].map(([, src]) => src ?? '');

describe("the README's pictures (npm run screenshots)", () => {
  it('stays short: at most 250 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('shows each picture of docs/images in light, with its dark twin for a dark theme', () => {
    const taken = readdirSync(IMAGES).filter((file) => file.endsWith('-light.png'));
    expect(images.map((image) => path.basename(image.src)).sort()).toEqual(taken.sort());
    expect(darkSources.map((src) => path.basename(src)).sort()).toEqual(taken.map((file) => file.replace('-light.png', '-dark.png')).sort());
    for (const src of [...images.map((image) => image.src), ...darkSources]) expect(existsSync(path.join(REPO_ROOT, src)), src).toBe(true);
  });

  it('says in each alt text what the picture shows (the page and its state)', () => {
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const { src, alt } of images) {
      expect(alt.length, src).toBeGreaterThan(60);
      expect(alt, src).toMatch(/^(Popup|Guard page|Options page)/);
    }
  });
});
