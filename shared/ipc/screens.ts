/**
 * Choosing what to share (screen sharing, renderer/src/screen): the desktop app offers its
 * screens and windows, with a small picture of each, and the page says which one the next
 * capture takes. Where the system or the browser asks itself (macOS, headless mode) there is
 * no list, and the page captures straight away.
 */
import { z } from 'zod';

/** A picture of a screen or window: a PNG data URL, 320×180 at most (~50 KB). */
const THUMBNAIL_MAX = 400_000;
/** Screens and windows offered at most: a desktop with more is cut, screens first. */
export const MAX_SCREEN_SOURCES = 64;

export const ScreenSourceKind = { SCREEN: 'screen', WINDOW: 'window' } as const;

export const ScreenSourceSchema = z.object({
  /** The capturer's own id (`screen:0:0`, `window:1234:0`), handed back to choose it. */
  id: z.string().min(1).max(128),
  /** The window's title or the screen's name. */
  name: z.string().max(256),
  kind: z.enum([ScreenSourceKind.SCREEN, ScreenSourceKind.WINDOW]),
  thumbnail: z
    .string()
    .max(THUMBNAIL_MAX)
    .refine((url) => url === '' || url.startsWith('data:image/png;base64,'), {
      message: 'must be a PNG data URL',
    }),
});
export type ScreenSource = z.infer<typeof ScreenSourceSchema>;

const Empty = z.object({}).strict();

export const screensContract = {
  /** What may be shared here, or null when the system or the browser asks itself. */
  listScreenSources: {
    request: Empty,
    response: z.array(ScreenSourceSchema).max(MAX_SCREEN_SOURCES).nullable(),
  },
  /**
   * The next screen capture takes this one (from the last list); `not_found` when it was not
   * offered. A choice not used within a minute is forgotten.
   */
  chooseScreenSource: {
    request: z.object({ id: z.string().min(1).max(128) }).strict(),
    response: z.null(),
  },
} as const;
export type ScreensChannel = keyof typeof screensContract;
