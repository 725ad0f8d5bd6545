import { h } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createRoot, flushSync } from '../../entrypoints/banner.content/preact-dom';

/**
 * The banner's build runs components/ on Preact through this shim (wxt.config.ts); what
 * the banner relies on from React DOM must hold on it: synchronous renders (the layout
 * measures right after drawing) and `event.nativeEvent` (the trusted-click guard).
 */

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the banner on Preact (preact-dom shim)', () => {
  it('renders and unmounts synchronously', () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    flushSync(() => root.render(h('section', { className: 'banner', 'aria-expanded': false }, 'Note')));
    const section = container.querySelector('section');
    expect(section?.className).toBe('banner');
    expect(section?.getAttribute('aria-expanded')).toBe('false');
    expect(section?.textContent).toBe('Note');
    root.unmount();
    expect(container.childElementCount).toBe(0);
  });

  it("hands a click handler the browser's event as nativeEvent (its isTrusted is what the guard reads)", () => {
    const container = document.createElement('div');
    document.body.append(container);
    const seen: unknown[] = [];
    createRoot(container).render(
      h(
        'button',
        { type: 'button', onClick: (e: Event & { nativeEvent?: Event }) => seen.push(e.nativeEvent) },
        'Snooze',
      ),
    );
    const click = new MouseEvent('click', { bubbles: true });
    container.querySelector('button')?.dispatchEvent(click);
    expect(seen).toEqual([click]);
  });
});
