import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ToolCard } from '../../components/popup/ToolCard';
import { toolView } from '../support/views';

/** A tool a vanished policy mandated is never shown as "may switch this off". */
describe('popup tool card for an unconfirmed mandate', () => {
  it('says "mandate not confirmed — check with your practice", shows the basis, and never suggests switching off', () => {
    render(
      <ul>
        <ToolCard
          tool={toolView('scriptswitch', { verdict: 'unconfirmed', mandate: { reason: 'BSol ESO 2026/27' } })}
          onOpenGuidance={() => undefined}
        />
      </ul>,
    );
    const card = screen.getByText('ScriptSwitch').closest('li') as HTMLElement;
    expect(card.getAttribute('data-verdict')).toBe('unconfirmed');
    expect(card.textContent).toContain('Mandate not confirmed — check with your practice');
    expect(card.textContent).toContain('BSol ESO 2026/27');
    expect(card.textContent).not.toMatch(/switch (this|it) off|Non-contractual/);
  });
});
