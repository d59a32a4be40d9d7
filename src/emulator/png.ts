/**
 * Real, scannable PNG images of QR codes (qrcode builds the matrix, pngjs writes the file): what
 * the emulator answers for mini program codes and `showqrcode`, so a page can show the image. And
 * users' avatars, generated from a key (avatars.ts serves them).
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

export interface QrImageOptions {
  /** The image's side in pixels (about). */
  width: number;
  /** Colour of the dark modules. */
  color: { r: number; g: number; b: number };
  /** Transparent background instead of white. */
  transparent: boolean;
}

const QUIET_ZONE = 2;

export function renderQrPng(text: string, options: QrImageOptions): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cells = modules.size + 2 * QUIET_ZONE;
  const scale = Math.max(1, Math.floor(options.width / cells));
  const side = cells * scale;
  const png = new PNG({ width: side, height: side, colorType: 6 });
  const { r, g, b } = options.color;
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const row = Math.floor(y / scale) - QUIET_ZONE;
      const col = Math.floor(x / scale) - QUIET_ZONE;
      const inside = row >= 0 && col >= 0 && row < modules.size && col < modules.size;
      const dark = inside && modules.get(row, col) === 1;
      const offset = (y * side + x) * 4;
      png.data[offset] = dark ? r : 255;
      png.data[offset + 1] = dark ? g : 255;
      png.data[offset + 2] = dark ? b : 255;
      png.data[offset + 3] = dark || !options.transparent ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

const AVATAR_CELLS = 5;
const AVATAR_BACKGROUND = { r: 240, g: 240, b: 240 };

/** A hue of the colour wheel (degrees) at WeChat-avatar-like saturation and lightness. */
function avatarColour(hue: number): { r: number; g: number; b: number } {
  const saturation = 0.55;
  const lightness = 0.55;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const sector = Math.floor(hue / 60) % 6;
  const sectors: readonly (readonly [number, number, number])[] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ];
  const [r, g, b] = sectors[sector] ?? [chroma, 0, 0];
  const m = lightness - chroma / 2;
  const byte = (value: number) => Math.round((value + m) * 255);
  return { r: byte(r), g: byte(g), b: byte(b) };
}

/**
 * A user's avatar: a square PNG of `side` pixels with a symmetric 5×5 pattern in a colour of its
 * own, both taken from a hash of `key` (the same key, the same picture; any two keys differ).
 */
export function renderAvatarPng(key: string, side: number): Buffer {
  const digest = createHash('sha256').update(key).digest();
  const colour = avatarColour(digest.readUInt16BE(0) % 360);
  const filled = (row: number, col: number): boolean => {
    const half = Math.min(col, AVATAR_CELLS - 1 - col); // mirrored left to right
    const bit = row * 3 + half;
    return ((digest[2 + Math.floor(bit / 8)] ?? 0) >> (bit % 8)) % 2 === 1;
  };
  const margin = Math.floor(side / 12);
  const cell = (side - 2 * margin) / AVATAR_CELLS;
  const png = new PNG({ width: side, height: side, colorType: 2 });
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const row = Math.floor((y - margin) / cell);
      const col = Math.floor((x - margin) / cell);
      const inside = row >= 0 && col >= 0 && row < AVATAR_CELLS && col < AVATAR_CELLS;
      const { r, g, b } = inside && filled(row, col) ? colour : AVATAR_BACKGROUND;
      const offset = (y * side + x) * 4;
      png.data[offset] = r;
      png.data[offset + 1] = g;
      png.data[offset + 2] = b;
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}
