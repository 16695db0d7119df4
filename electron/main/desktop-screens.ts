/**
 * The desktop's screens and windows for screen sharing, from Electron's desktopCapturer
 * (injected, so the rules run in Node tests): listed with a picture each for the page's
 * picker, and the one chosen handed to the next capture (window.ts's display-media handler).
 * Where the system has its own picker (macOS) there is no list, and a capture without a
 * choice takes the first screen, as one where the system picker is missing (before macOS 15).
 */
import { MAX_SCREEN_SOURCES, type ScreenSource } from '../../shared/ipc/screens';
import type { ScreenSources } from '../core/app-service/screen-sources';

/** A desktopCapturer source, as far as used here. */
export interface DesktopSource {
  id: string;
  name: string;
  thumbnail: { toDataURL(): string };
}

export type GetSources<S extends DesktopSource> = (options: {
  types: ('screen' | 'window')[];
  thumbnailSize: { width: number; height: number };
  fetchWindowIcons: boolean;
}) => Promise<S[]>;

/** A choice is for the capture the page starts right after it; a later one chooses again. */
export const CHOICE_TTL_MS = 60_000;
const THUMBNAIL = { width: 320, height: 180 };

const kindOf = (id: string): 'screen' | 'window' | null =>
  id.startsWith('screen:') ? 'screen' : id.startsWith('window:') ? 'window' : null;

export class DesktopScreens<S extends DesktopSource> implements ScreenSources {
  private offered = new Set<string>();
  private chosen: { id: string; at: number } | null = null;

  constructor(
    private readonly getSources: GetSources<S>,
    private readonly options: { systemPicker: boolean; now: () => number },
  ) {}

  async list(): Promise<ScreenSource[] | null> {
    if (this.options.systemPicker) return null;
    const sources = await this.getSources({
      types: ['screen', 'window'],
      thumbnailSize: THUMBNAIL,
      fetchWindowIcons: false,
    });
    const listed = sources
      .flatMap((s) => {
        const kind = kindOf(s.id);
        return kind === null ? [] : [{ source: s, kind }];
      })
      // Screens first: a desktop with more windows than the cap keeps every screen.
      .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'screen' ? -1 : 1))
      .slice(0, MAX_SCREEN_SOURCES)
      .map(({ source, kind }) => ({
        id: source.id,
        name: source.name.slice(0, 256),
        kind,
        thumbnail: source.thumbnail.toDataURL(),
      }));
    this.offered = new Set(listed.map((s) => s.id));
    return listed;
  }

  choose(id: string): boolean {
    if (!this.offered.has(id)) return false;
    this.chosen = { id, at: this.options.now() };
    return true;
  }

  /**
   * What a capture takes from the capturer's sources now: the choice (once); none when that
   * window has closed since, or when nothing was chosen where the page has the picker (never
   * a screen the user did not pick); the first screen where the system picker was missing.
   */
  take(sources: readonly S[]): S | null {
    const chosen = this.chosen;
    this.chosen = null;
    if (chosen !== null && this.options.now() - chosen.at <= CHOICE_TTL_MS) {
      return sources.find((s) => s.id === chosen.id) ?? null;
    }
    if (!this.options.systemPicker) return null;
    return sources.find((s) => kindOf(s.id) === 'screen') ?? null;
  }
}
