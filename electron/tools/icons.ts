/**
 * LANrage's icons, drawn in code: four tray icons (the heartbeat indicator) and the app
 * icon. Shapes are described in unit coordinates and rasterised with 4×4 supersampling.
 */
import type { RgbaImage } from '../core/tray/png';
import type { TrayIcon } from '../core/tray/tray-model';

type Rgba = readonly [number, number, number, number];
/** Whether the unit-square point (x, y) is inside the shape. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  color: Rgba;
}

const SAMPLES = 4;

export const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

export const ring =
  (cx: number, cy: number, r: number, width: number): Shape =>
  (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= r && d >= r - width;
  };

export const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

export const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Shape =>
  (x, y) => {
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
  };

/** A thick line from (ax, ay) to (bx, by) with round caps. */
export const segment =
  (ax: number, ay: number, bx: number, by: number, width: number): Shape =>
  (x, y) => {
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    return Math.hypot(x - (ax + t * vx), y - (ay + t * vy)) <= width / 2;
  };

/** A triangle pointing up, grown by `pad` on every side (for outlines). */
export const triangle =
  (cx: number, top: number, bottom: number, halfWidth: number, pad = 0): Shape =>
  (x, y) => {
    if (y > bottom + pad || y < top - pad) return false;
    const along = (y - top) / (bottom - top);
    return Math.abs(x - cx) <= halfWidth * Math.max(0, along) + pad;
  };

function blend(pixels: Uint8Array, at: number, color: Rgba, coverage: number): void {
  const a = (color[3] / 255) * coverage;
  if (a <= 0) return;
  const below = pixels[at + 3]! / 255;
  const out = a + below * (1 - a);
  for (let c = 0; c < 3; c++) {
    const mixed = (color[c]! * a + pixels[at + c]! * below * (1 - a)) / out;
    pixels[at + c] = Math.round(mixed);
  }
  pixels[at + 3] = Math.round(out * 255);
}

export function render(size: number, layers: readonly Layer[]): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      for (const { shape, color } of layers) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) {
            const x = (px + (sx + 0.5) / SAMPLES) / size;
            const y = (py + (sy + 0.5) / SAMPLES) / size;
            if (shape(x, y)) hits++;
          }
        }
        blend(pixels, (py * size + px) * 4, color, hits / (SAMPLES * SAMPLES));
      }
    }
  }
  return { width: size, height: size, pixels };
}

const OUTLINE: Rgba = [16, 18, 24, 255];
const WHITE: Rgba = [255, 255, 255, 255];
export const TRAY_COLORS: Readonly<Record<TrayIcon, Rgba>> = {
  idle: [150, 156, 166, 255],
  healthy: [46, 204, 113, 255],
  late: [245, 166, 35, 255],
  offline: [231, 76, 60, 255],
};

/** Distinct colour and shape per state, outlined so they read on light and dark trays. */
const TRAY_LAYERS: Readonly<Record<TrayIcon, readonly Layer[]>> = {
  idle: [
    { shape: ring(0.5, 0.5, 0.44, 0.24), color: OUTLINE },
    { shape: ring(0.5, 0.5, 0.38, 0.12), color: TRAY_COLORS.idle },
  ],
  healthy: [
    { shape: circle(0.5, 0.5, 0.46), color: OUTLINE },
    { shape: circle(0.5, 0.5, 0.38), color: TRAY_COLORS.healthy },
  ],
  late: [
    { shape: triangle(0.5, 0.1, 0.86, 0.44, 0.06), color: OUTLINE },
    { shape: triangle(0.5, 0.14, 0.84, 0.38), color: TRAY_COLORS.late },
  ],
  offline: [
    { shape: circle(0.5, 0.5, 0.46), color: OUTLINE },
    { shape: circle(0.5, 0.5, 0.38), color: TRAY_COLORS.offline },
    { shape: rect(0.24, 0.42, 0.76, 0.58), color: WHITE },
  ],
};

export function trayIconImage(icon: TrayIcon, size: number): RgbaImage {
  return render(size, TRAY_LAYERS[icon]);
}

const ACCENT: Rgba = [255, 61, 90, 255];
const NODES: readonly [number, number, number][] = [
  [0.5, 0.3, 0.085],
  [0.28, 0.68, 0.085],
  [0.72, 0.68, 0.085],
];

/** The app icon: three linked peers on a dark rounded square. */
export function appIconImage(size: number): RgbaImage {
  const layers: Layer[] = [
    { shape: roundedRect(0.04, 0.04, 0.96, 0.96, 0.2), color: [20, 22, 30, 255] },
  ];
  for (let i = 0; i < NODES.length; i++) {
    const [ax, ay] = NODES[i]!;
    const [bx, by] = NODES[(i + 1) % NODES.length]!;
    layers.push({ shape: segment(ax, ay, bx, by, 0.05), color: [255, 61, 90, 170] });
  }
  for (const [cx, cy, r] of NODES) {
    layers.push({ shape: circle(cx, cy, r + 0.03), color: [20, 22, 30, 255] });
    layers.push({ shape: circle(cx, cy, r), color: ACCENT });
    layers.push({ shape: circle(cx, cy, r * 0.45), color: WHITE });
  }
  return render(size, layers);
}
