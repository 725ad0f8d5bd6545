import { beforeEach, describe, expect, it } from 'vitest';
import { signatureSchema } from '../../lib/catalogue/schema';
import {
  liveMatchCount,
  looksGenerated,
  proposeSignature,
  reviewProposal,
} from '../../lib/content/propose-signature';
import { readSimPage } from '../../sim/layout.mjs';

function load(html: string): void {
  document.open();
  document.write(html);
  document.close();
}

const meta = { toolId: 'formulary-nudge' };

describe('proposeSignature on the unknown sim prompt', () => {
  beforeEach(() => load(readSimPage('unknown-prompt.html')));

  it('finds the prompt container from any element inside it', () => {
    const button = document.querySelector('#formulary-nudge button') as Element;
    const proposal = proposeSignature(button, meta);
    expect(proposal.container.id).toBe('formulary-nudge');
    expect(proposal.isPrompt).toBe(true);
  });

  it('proposes stable evidence only: label/heading, controls, data attribute, distinctive tokens', () => {
    const proposal = proposeSignature(document.querySelector('#fn-title') as Element, meta);
    const kinds = proposal.evidenceOptions.map((o) => o.key);
    expect(kinds).toContain('brand:label+heading');
    expect(kinds).toContain('controls');
    expect(kinds).toContain('attribute:data-vendor');
    const sig = proposal.signature;
    expect(sig).toBeDefined();
    expect(signatureSchema.safeParse(sig).success).toBe(true);
    const json = JSON.stringify(sig);
    // Never running text from paragraphs, never positional selectors.
    expect(json).not.toMatch(/Omeprazole|preferred choice|Fictional tool/);
    expect(sig?.evidence.some((e) => e.kind === 'selector')).toBe(false);
    const brand = sig?.evidence.find((e) => e.kind === 'brand');
    expect(brand).toMatchObject({ text: { match: 'exact', value: 'Formulary nudge' } });
    const controls = sig?.evidence.find((e) => e.kind === 'controls');
    expect(controls).toMatchObject({ labels: ['Switch', 'Keep'] });
    expect(sig?.evidence.find((e) => e.kind === 'attribute')).toMatchObject({
      name: 'data-vendor',
      contains: 'formularynudge',
    });
    // Generic class words ("fn" is too short, "card"/"actions" generic) are not proposed.
    expect(kinds.filter((k) => k.startsWith('token:'))).toEqual(['token:formulary-nudge', 'token:fn-panel']);
  });

  it('matches the prompt once and can be saved without warnings', () => {
    const proposal = proposeSignature(document.querySelector('#formulary-nudge') as Element, meta);
    expect(proposal.warnings).toEqual([]);
    expect(proposal.canSave).toBe(true);
    expect(liveMatchCount(proposal.signature as never, document)).toBe(1);
    expect(proposal.signature?.threshold).toBe(0.8);
    expect(proposal.signature?.id).toBe('custom-formulary-nudge');
  });

  it('no single cue reaches the threshold, even in a prompt container', () => {
    const proposal = proposeSignature(document.querySelector('#formulary-nudge') as Element, meta);
    for (const option of proposal.evidenceOptions) {
      const only = proposal.evidenceOptions.map((o) => ({ ...o, checked: o.key === option.key }));
      const reviewed = reviewProposal(proposal.container, true, only, meta);
      expect(reviewed.canSave, option.key).toBe(false);
      expect(reviewed.warnings.map((w) => w.kind)).toContain('too-weak');
      if (reviewed.signature) expect(liveMatchCount(reviewed.signature, document)).toBe(0);
    }
  });

  it('unique id against existing signatures', () => {
    const proposal = proposeSignature(document.querySelector('#formulary-nudge') as Element, {
      ...meta,
      existingIds: ['custom-formulary-nudge'],
    });
    expect(proposal.signature?.id).toBe('custom-formulary-nudge-2');
  });
});

describe('warnings', () => {
  it('refuses to save the clinical system’s own Prescribing Decision Support alert', () => {
    load(readSimPage('negative-emis-pds.html'));
    const proposal = proposeSignature(document.querySelector('#pds-alert button') as Element, meta);
    expect(proposal.container.id).toBe('pds-alert');
    const safety = proposal.warnings.find((w) => w.kind === 'safety-alert');
    expect(safety?.blocksSave).toBe(true);
    expect(proposal.canSave).toBe(false);
  });

  it('refuses an alertdialog with allergy wording even without the PDS name', () => {
    load(`<div role="alertdialog" aria-label="Drug alert" id="a"><h2>Drug alert</h2>
      <p>Patient has a recorded allergy to penicillin.</p><button>Override</button><button>Cancel</button></div>`);
    const proposal = proposeSignature(document.querySelector('#a') as Element, meta);
    expect(proposal.warnings.map((w) => w.kind)).toContain('safety-alert');
    expect(proposal.canSave).toBe(false);
  });

  it('warns and refuses when the signature would also match elsewhere on the page', () => {
    load(`<main>
      <aside id="one" aria-label="Cost hint"><h2>Cost hint</h2><button>Switch</button><button>Keep</button></aside>
      <aside id="two" aria-label="Cost hint"><h2>Cost hint</h2><button>Switch</button><button>Keep</button></aside>
    </main>`);
    const proposal = proposeSignature(document.querySelector('#one') as Element, meta);
    const warning = proposal.warnings.find((w) => w.kind === 'free-text');
    expect(warning?.message).toMatch(/1 other place/);
    expect(proposal.canSave).toBe(false);
    expect(liveMatchCount(proposal.signature as never, document)).toBe(2);
    // The page itself is untouched by the check (it runs on a clone).
    expect(document.querySelectorAll('aside')).toHaveLength(2);
  });

  it('does not warn about the same words in running text', () => {
    load(
      `${readSimPage('negative-free-text.html').replace(
        '</main>',
        '<aside id="p" aria-label="OptimiseRx" data-vendor="fdb"><h2>OptimiseRx</h2><button>Prescribe Original</button><button>Accept</button></aside></main>',
      )}`,
    );
    const proposal = proposeSignature(document.querySelector('#p') as Element, meta);
    expect(proposal.warnings.filter((w) => w.kind === 'free-text')).toEqual([]);
    expect(liveMatchCount(proposal.signature as never, document)).toBe(1);
  });

  it('says when the kept cues are too few to build a signature', () => {
    load('<div id="x"><span>plain</span></div>');
    const proposal = proposeSignature(document.querySelector('#x span') as Element, meta);
    expect(proposal.signature).toBeUndefined();
    expect(proposal.canSave).toBe(false);
    expect(proposal.warnings.map((w) => w.kind)).toContain('invalid');
  });
});

describe('looksGenerated', () => {
  it.each([
    ['styles_panel__3xK9a', true],
    ['css-1x2y3z', true],
    ['sc-bdVaJa', true],
    ['item-12345', true],
    ['a1b2c3', true],
    ['formulary-nudge', false],
    ['fn-panel', false],
    ['optimiserx-message', false],
  ])('%s → %s', (token, generated) => {
    expect(looksGenerated(token)).toBe(generated);
  });
});
