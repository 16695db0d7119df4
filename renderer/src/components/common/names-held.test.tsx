// @vitest-environment happy-dom
/**
 * Names cut to two lines (Name.tsx) and held whole while a pointer is down (names-held.ts).
 * The page's layout is the browser's (e2e/name-lines.spec.ts, long-names.spec.ts); here, what
 * the page is given: the whole name, its title, the attribute names.css reads, and when.
 */
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HELD, holdNamesWhilePressed } from './names-held';
import { Name } from './Name';

const LONG = `${'Sixty-four characters of a name, '.repeat(2)}`.slice(0, 64);

describe('Name', () => {
  afterEach(cleanup);

  it('is the whole name in the page and its title, cut by its class alone', () => {
    const { getByTestId } = render(<Name text={LONG} testId="name" />);
    const name = getByTestId('name');
    expect([name.tagName, name.className, name.textContent, name.title]).toEqual([
      'SPAN',
      'name-clamp',
      LONG,
      LONG,
    ]);
  });

  it('takes a class beside its own, and another tag', () => {
    const { getByTestId } = render(
      <Name text="Bob" className="party-name" as="strong" testId="name" />,
    );
    const name = getByTestId('name');
    expect([name.tagName, name.className]).toEqual(['STRONG', 'name-clamp party-name']);
  });
});

describe('holdNamesWhilePressed', () => {
  let frames: FrameRequestCallback[];
  let release: () => void;

  /** Names shown whole now (as a keyboard rule in names.css leaves them) carry data-whole. */
  beforeEach(() => {
    frames = [];
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((callback) => {
      frames.push(callback);
      return frames.length;
    });
    vi.spyOn(window, 'getComputedStyle').mockImplementation((element) => {
      const whole = element.hasAttribute('data-whole');
      return {
        webkitLineClamp: whole ? 'none' : '2',
        whiteSpace: whole ? 'normal' : 'nowrap',
      } as CSSStyleDeclaration;
    });
    document.body.innerHTML = `
      <div class="peer-row"><span class="name-clamp" id="whole" data-whole>Ann</span>
        <button id="actions">⋯</button></div>
      <span class="name-clamp" id="cut">Bob</span>
      <div class="voice-peer"><span class="peer-name" id="voice" data-whole>Cy</span></div>
      <div class="screen-sharer"><span class="peer-name" id="sharer" data-whole>Di</span></div>
      <div class="voice-peer"><span class="peer-name" id="voice-cut">Ed</span></div>
      <span class="peer-name" id="elsewhere" data-whole>Flo</span>`;
    release = holdNamesWhilePressed(document);
  });
  afterEach(() => {
    release();
    vi.restoreAllMocks();
  });

  const held = () => [...document.querySelectorAll(`[${HELD}]`)].map((name) => name.id);
  const pointer = (type: string, target: Element = document.getElementById('actions')!) =>
    target.dispatchEvent(new PointerEvent(type, { bubbles: true }));
  const nextFrame = () => frames.splice(0).forEach((callback) => callback(0));

  it('holds each name shown whole while a pointer is down, never one cut', () => {
    pointer('pointerdown');
    expect(held()).toEqual(['whole', 'voice', 'sharer']);
  });

  it('lets them go a frame after the pointer comes up (its click dispatched), not before', () => {
    pointer('pointerdown');
    pointer('pointerup');
    expect(held()).toEqual(['whole', 'voice', 'sharer']);
    nextFrame();
    expect(held()).toEqual([]);
  });

  it('lets them go when the pointer is cancelled too', () => {
    pointer('pointerdown');
    pointer('pointercancel');
    nextFrame();
    expect(held()).toEqual([]);
  });

  it('keeps holding those a second press took before the first one’s frame', () => {
    pointer('pointerdown');
    pointer('pointerup');
    // The second press sees them whole (held): it holds them again.
    pointer('pointerdown');
    nextFrame();
    expect(held()).toEqual(['whole', 'voice', 'sharer']);
  });

  it('holds them even where the press is stopped on its way (a button’s own handler)', () => {
    const button = document.getElementById('actions')!;
    button.addEventListener('pointerdown', (event) => event.stopPropagation());
    pointer('pointerdown', button);
    expect(held()).toEqual(['whole', 'voice', 'sharer']);
  });

  it('holds nothing once removed', () => {
    release();
    pointer('pointerdown');
    expect(held()).toEqual([]);
  });
});
