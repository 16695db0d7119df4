import type { ScreenSource } from '../../../../shared/ipc/screens';
import { Dialog } from '../common/Dialog';

export interface ScreenPickerProps {
  sources: ScreenSource[];
  onPick: (id: string) => void;
  onCancel: () => void;
}

const UNNAMED = { screen: 'Screen', window: 'Untitled window' } as const;

function SourceList({
  title,
  sources,
  onPick,
}: Omit<ScreenPickerProps, 'onCancel'> & { title: string }) {
  if (sources.length === 0) return null;
  return (
    <section className="screen-source-group" aria-label={title}>
      <h3 className="section-title">{title}</h3>
      <ul className="screen-sources">
        {sources.map((source) => (
          <li key={source.id}>
            <button
              type="button"
              className="screen-source"
              data-testid="screen-source"
              data-source-id={source.id}
              onClick={() => onPick(source.id)}
            >
              {source.thumbnail !== '' && <img src={source.thumbnail} alt="" />}
              <span className="screen-source-name">{source.name || UNNAMED[source.kind]}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The desktop app's screens and windows: the one picked is what the party can watch. */
export function ScreenPicker({ sources, onPick, onCancel }: ScreenPickerProps) {
  const screens = sources.filter((s) => s.kind === 'screen');
  const windows = sources.filter((s) => s.kind === 'window');
  return (
    <Dialog title="Choose what to share" testId="screen-picker" onClose={onCancel} wide>
      <p className="hint">Everyone in the party can watch what you choose.</p>
      {sources.length === 0 && <p className="hint">There is no screen or window to share.</p>}
      <SourceList title="Screens" sources={screens} onPick={onPick} />
      <SourceList title="Windows" sources={windows} onPick={onPick} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          data-testid="screen-picker-cancel"
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
