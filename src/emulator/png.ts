/**
 * Real, scannable PNG images of QR codes (qrcode builds the matrix, pngjs writes the file): what
 * the emulator answers for mini program codes and `showqrcode`, so a page can show the image.
 */
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
