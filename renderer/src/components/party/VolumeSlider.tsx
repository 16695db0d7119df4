import { useState } from 'react';

export interface VolumeSliderProps {
  /** Whose voice, for screen readers. */
  name: string;
  /** The saved volume, in percent. */
  saved: number;
  /** The slider moved: play at this volume now. */
  onPreview: (volume: number) => void;
  /** The slider was let go on a new volume: save it. */
  onSave: (volume: number) => void;
}

/**
 * How loud one member plays here. It moves freely and is heard at once; it is saved once let
 * go (a drag would otherwise write the settings file dozens of times a second).
 */
export function VolumeSlider({ name, saved, onPreview, onSave }: VolumeSliderProps) {
  const [value, setValue] = useState(saved);
  // A newly saved volume (this slider's, or one set elsewhere) moves it, during render as React
  // advises for state that follows a prop.
  const [shownSaved, setShownSaved] = useState(saved);
  if (shownSaved !== saved) {
    setShownSaved(saved);
    setValue(saved);
  }
  const commit = () => {
    if (value !== saved) onSave(value);
  };
  return (
    <label className="voice-volume" title={`How loud ${name} is for you`}>
      <span className="visually-hidden">Volume of {name}</span>
      <input
        type="range"
        min={0}
        max={100}
        step={5}
        value={value}
        data-testid="voice-volume"
        aria-valuetext={`${value} %`}
        onChange={(event) => {
          const volume = Number(event.currentTarget.value);
          setValue(volume);
          onPreview(volume);
        }}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
      <span className="voice-volume-value" aria-hidden="true">
        {value} %
      </span>
    </label>
  );
}
