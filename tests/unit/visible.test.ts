import { describe, expect, it } from 'vitest';
import { expectVisible } from './visible';

describe('expectVisible', () => {
  it('passes a drawn element and fails one that is hidden, not displayed, invisible or detached', () => {
    document.body.innerHTML = `
      <p id="shown">shown</p>
      <div hidden><p id="in-hidden">x</p></div>
      <div style="display: none"><p id="in-none">x</p></div>
      <p id="invisible" style="visibility: hidden">x</p>`;
    const byId = (id: string) => document.getElementById(id) as HTMLElement;
    expectVisible(byId('shown'));
    expect(() => expectVisible(byId('in-hidden'))).toThrow(/is hidden/);
    expect(() => expectVisible(byId('in-none'))).toThrow(/display: none/);
    expect(() => expectVisible(byId('invisible'))).toThrow(/visibility: hidden/);
    expect(() => expectVisible(document.createElement('p'))).toThrow(/in the document/);
  });
});
