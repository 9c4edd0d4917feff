#!/usr/bin/env node
// Draws the extension icon (a shield with a check mark) at 16, 32, 48 and 128
// pixels and writes them as PNG to public/icons/. Plain Node (zlib) so the
// icons can be regenerated anywhere without an image tool; the PNGs are
// committed, so the build does not run this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [16, 32, 48, 128];
const SHIELD = [26, 86, 219]; // #1a56db
const SHIELD_EDGE = [17, 55, 140];
const MARK = [255, 255, 255];

/** Half-width of the shield at height y (all coordinates in 0..1), or -1 outside. */
function shieldHalfWidth(y) {
  const top = 0.06;
  const shoulder = 0.5;
  const tip = 0.95;
  if (y < top || y > tip) return -1;
  // Straight sides down to the shoulder, then an elliptic curve to the tip.
  if (y <= shoulder) return 0.39;
  const t = (y - shoulder) / (tip - shoulder);
  return 0.39 * Math.sqrt(Math.max(0, 1 - t * t));
}

function insideShield(x, y, inset = 0) {
  const half = shieldHalfWidth(y - inset * 0.2);
  if (half < 0) return false;
  if (y < 0.06 + inset) return false;
  return Math.abs(x - 0.5) <= half - inset;
}

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onCheckMark(x, y, size) {
  // Thicker strokes at small sizes so the mark survives down-sampling.
  const width = size <= 16 ? 0.085 : size <= 32 ? 0.07 : 0.06;
  return distanceToSegment(x, y, 0.31, 0.49, 0.45, 0.64) <= width || distanceToSegment(x, y, 0.45, 0.64, 0.7, 0.34) <= width;
}

function colourAt(x, y, size) {
  if (!insideShield(x, y)) return null;
  const edge = size <= 16 ? 0.05 : 0.035;
  if (!insideShield(x, y, edge)) return SHIELD_EDGE;
  return onCheckMark(x, y, size) ? MARK : SHIELD;
}

function render(size) {
  const samples = 8;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const offset = (py * size + px) * 4;
      if (covered > 0) {
        pixels[offset] = Math.round(r / covered);
        pixels[offset + 1] = Math.round(g / covered);
        pixels[offset + 2] = Math.round(b / covered);
        pixels[offset + 3] = Math.round((255 * covered) / (samples * samples));
      }
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = resolve(ROOT, 'public/icons');
mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  const file = resolve(outDir, `icon-${size}.png`);
  writeFileSync(file, encodePng(size, render(size)));
  process.stdout.write(`wrote ${file}\n`);
}
