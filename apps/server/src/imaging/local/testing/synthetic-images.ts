import sharp from 'sharp';
import type { RawImage, RawMask } from '../raw-image.ts';

/** Deterministic PRNG so generated test images are identical on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fractal value noise in 0..1 (octaves of bilinear-interpolated random grids). */
export function fractalNoise(
  width: number,
  height: number,
  seed: number,
  baseCell = 32,
  octaves = 4,
): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(width * height);
  let amplitude = 1;
  let total = 0;
  for (let o = 0, cell = baseCell; o < octaves; o++, cell = Math.max(1, cell / 2), amplitude *= 0.5) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, rand);
    for (let y = 0; y < height; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      for (let x = 0; x < width; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const a = grid[y0 * gw + x0]! * (1 - fx) + grid[y0 * gw + x0 + 1]! * fx;
        const b = grid[(y0 + 1) * gw + x0]! * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1]! * fx;
        out[y * width + x]! += amplitude * (a * (1 - fy) + b * fy);
      }
    }
    total += amplitude;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A brick wall: staggered bricks with colour jitter, mortar joints, grain and pixel noise. */
export function brickTexture(width: number, height: number, seed = 1): RawImage {
  const rand = seededRandom(seed);
  const grain = fractalNoise(width, height, seed + 1, 8, 3);
  const brickW = 34;
  const brickH = 15;
  const mortar = 3;
  const tints = Array.from({ length: 4096 }, () => [0.75 + 0.35 * rand(), 0.8 + 0.3 * rand()] as const);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / brickH);
    const shift = (row % 2) * (brickW / 2);
    for (let x = 0; x < width; x++) {
      const col = Math.floor((x + shift) / brickW);
      const inMortar = y % brickH < mortar || (x + shift) % brickW < mortar;
      const g = grain[y * width + x]! - 0.5;
      const n = (rand() - 0.5) * 18;
      const i = (y * width + x) * 3;
      if (inMortar) {
        const v = 190 + g * 40 + n;
        data[i] = clampByte(v);
        data[i + 1] = clampByte(v - 8);
        data[i + 2] = clampByte(v - 20);
      } else {
        const [t, s] = tints[(row * 97 + col) % tints.length]!;
        data[i] = clampByte(165 * t + g * 70 + n);
        data[i + 1] = clampByte(75 * t * s + g * 40 + n);
        data[i + 2] = clampByte(55 * t + g * 30 + n);
      }
    }
  }
  return { data, width, height, channels: 3 };
}

/** A grass/gravel-like natural texture: green-brown fractal noise with fine speckle. */
export function naturalTexture(width: number, height: number, seed = 7): RawImage {
  const rand = seededRandom(seed);
  const coarse = fractalNoise(width, height, seed, 24, 5);
  const fine = fractalNoise(width, height, seed + 3, 3, 2);
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const c = coarse[i]!;
    const f = fine[i]! - 0.5;
    const n = (rand() - 0.5) * 20;
    data[i * 3] = clampByte(70 + 90 * c + 60 * f + n);
    data[i * 3 + 1] = clampByte(110 + 80 * c + 70 * f + n);
    data[i * 3 + 2] = clampByte(40 + 40 * c + 40 * f + n);
  }
  return { data, width, height, channels: 3 };
}

/** A filled disc mask (255 inside). */
export function discMask(width: number, height: number, cx: number, cy: number, r: number): RawMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = 255;
  return { data, width, height };
}

/** A filled axis-aligned rectangle mask (255 inside). */
export function rectMask(
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): RawMask {
  const data = new Uint8Array(width * height);
  for (let y = y0; y < y0 + h; y++) data.fill(255, y * width + x0, y * width + x0 + w);
  return { data, width, height };
}

/**
 * A photo-like scene: sky gradient, a shaded sphere, a building with lit windows, text, foliage
 * texture and sensor noise, softened like a lens would. Used where no real photo is available.
 */
export async function photoLikeScene(size: number, seed = 3): Promise<RawImage> {
  const s = size / 256;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#4a78b8"/><stop offset="1" stop-color="#d9e4f0"/>
      </linearGradient>
      <radialGradient id="ball" cx="0.35" cy="0.35" r="0.7">
        <stop offset="0" stop-color="#ffe0b0"/><stop offset="0.5" stop-color="#e07a30"/><stop offset="1" stop-color="#5a2008"/>
      </radialGradient>
      <linearGradient id="wall" x1="0" y1="0" x2="1" y2="0">
        <stop offset="0" stop-color="#8a8f98"/><stop offset="1" stop-color="#50545c"/>
      </linearGradient>
    </defs>
    <rect width="${size}" height="${size}" fill="url(#sky)"/>
    <rect x="${140 * s}" y="${40 * s}" width="${90 * s}" height="${150 * s}" fill="url(#wall)"/>
    ${Array.from({ length: 12 }, (_, k) => {
      const wx = (150 + (k % 3) * 26) * s;
      const wy = (52 + Math.floor(k / 3) * 32) * s;
      return `<rect x="${wx}" y="${wy}" width="${14 * s}" height="${18 * s}" fill="${k % 4 === 1 ? '#ffd868' : '#2a3440'}"/>`;
    }).join('')}
    <circle cx="${70 * s}" cy="${120 * s}" r="${44 * s}" fill="url(#ball)"/>
    <text x="${12 * s}" y="${36 * s}" font-family="DejaVu Sans" font-weight="bold" font-size="${22 * s}" fill="#1b1b1b">Studio 42</text>
    <text x="${150 * s}" y="${220 * s}" font-family="DejaVu Serif" font-size="${13 * s}" fill="#f4f4f4">open daily</text>
  </svg>`;
  const base = await sharp(Buffer.from(svg))
    .removeAlpha()
    .blur(0.6 * s)
    .raw()
    .toBuffer();
  const foliage = fractalNoise(size, size, seed, 12 * s, 4);
  const rand = seededRandom(seed + 11);
  const data = Buffer.alloc(size * size * 3);
  const horizon = Math.round(190 * s);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const n = (rand() - 0.5) * 6;
      if (y >= horizon) {
        const f = foliage[i]!;
        data[i * 3] = clampByte(40 + 80 * f + n);
        data[i * 3 + 1] = clampByte(70 + 110 * f + n);
        data[i * 3 + 2] = clampByte(30 + 40 * f + n);
      } else {
        data[i * 3] = clampByte(base[i * 3]! + n);
        data[i * 3 + 1] = clampByte(base[i * 3 + 1]! + n);
        data[i * 3 + 2] = clampByte(base[i * 3 + 2]! + n);
      }
    }
  }
  return { data, width: size, height: size, channels: 3 };
}

/**
 * A studio product shot at 512²: a shaded red bottle with a cap, label and soft floor shadow on a
 * light gradient backdrop. The bottle occupies x 196–316, y 64–452.
 */
export async function productScene(): Promise<RawImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
    <defs>
      <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e9edf2"/><stop offset="1" stop-color="#c9d0d8"/></linearGradient>
      <linearGradient id="body" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#7a1010"/><stop offset="0.35" stop-color="#e04040"/><stop offset="0.5" stop-color="#ff9090"/><stop offset="1" stop-color="#601010"/></linearGradient>
      <linearGradient id="cap" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#222"/><stop offset="0.4" stop-color="#777"/><stop offset="1" stop-color="#111"/></linearGradient>
      <radialGradient id="shadow"><stop offset="0" stop-color="#000" stop-opacity="0.35"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>
    </defs>
    <rect width="512" height="512" fill="url(#bg)"/>
    <ellipse cx="256" cy="452" rx="120" ry="18" fill="url(#shadow)"/>
    <path d="M196 170 Q196 140 226 128 L226 96 L286 96 L286 128 Q316 140 316 170 L316 440 Q316 452 304 452 L208 452 Q196 452 196 440 Z" fill="url(#body)"/>
    <rect x="222" y="64" width="68" height="40" rx="6" fill="url(#cap)"/>
    <rect x="196" y="250" width="120" height="90" fill="#f4f0e0" opacity="0.9"/>
    <text x="256" y="305" font-family="DejaVu Sans" font-weight="bold" font-size="26" text-anchor="middle" fill="#7a1010">COLA</text>
  </svg>`;
  const data = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  return { data, width: 512, height: 512, channels: 3 };
}
