// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VolumeSlider } from './VolumeSlider';

afterEach(cleanup);

describe('VolumeSlider', () => {
  it('follows a volume saved since, and keeps the one being moved until then', () => {
    const props = { name: 'Bob', onPreview: vi.fn(), onSave: vi.fn() };
    const { rerender } = render(<VolumeSlider {...props} saved={30} />);
    const slider = screen.getByTestId<HTMLInputElement>('voice-volume');
    fireEvent.change(slider, { target: { value: '60' } });
    // A render for another reason (a heartbeat) leaves the slider where the user put it.
    rerender(<VolumeSlider {...props} saved={30} />);
    expect(slider.value).toBe('60');
    rerender(<VolumeSlider {...props} saved={80} />);
    expect(slider.value).toBe('80');
    expect(screen.getByText('80 %')).toBeTruthy();
    expect(screen.getByText('Volume of Bob')).toBeTruthy();
  });
});
