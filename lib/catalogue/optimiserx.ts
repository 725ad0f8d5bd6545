import type { ToolFamily } from './schema';

/**
 * OptimiseRx (FDB, First Databank Europe): patient-specific messages at the point of
 * prescribing (best practice, safety, cost, formulary with red/amber status).
 * Public sources name the product and what it does; none shows its markup in a web
 * clinical system, so every UI cue below is `inferred` and weighted so that no
 * single one is enough.
 */
export const optimiserx: ToolFamily = {
  tool: {
    id: 'optimiserx',
    name: 'OptimiseRx',
    vendor: 'FDB (First Databank Europe)',
    summary:
      'Shows patient-specific medicines optimisation messages at the point of prescribing: cheaper or formulary-preferred alternatives, best-practice and safety messages.',
    category: 'mo-prompt',
    sources: [
      {
        title: 'FDB: OptimiseRx medicines optimisation at the point of prescribing',
        url: 'https://www.fdbhealth.co.uk/solutions/optimiserx',
        accessed: '2026-11-24',
      },
      {
        title: 'Buckinghamshire: OptimiseRx (ICB-funded prescribing decision support)',
        url: 'https://www.buckinghamshireccg.nhs.uk/optimise-rx/',
        accessed: '2026-11-24',
      },
    ],
  },
  signatures: [
    {
      id: 'optimiserx-message',
      toolId: 'optimiserx',
      description:
        'An OptimiseRx message: the product name as a dialog/region label, heading, frame title or logo, with vendor tokens or URLs.',
      threshold: 0.8,
      evidence: [
        {
          kind: 'brand',
          text: { match: 'regex', value: '\\boptimise ?rx\\b' },
          positions: ['heading', 'label', 'title', 'alt', 'legend'],
          weight: 0.5,
          basis: 'inferred',
        },
        { kind: 'token', value: 'optimiserx', weight: 0.4, basis: 'inferred' },
        { kind: 'token', value: 'optimise-rx', weight: 0.4, basis: 'inferred' },
        { kind: 'attribute', name: 'data-vendor', contains: 'optimiserx', weight: 0.4, basis: 'inferred' },
        {
          kind: 'url',
          elements: ['iframe', 'script'],
          contains: 'optimiserx',
          weight: 0.6,
          basis: 'inferred',
        },
        { kind: 'pageUrl', contains: 'optimiserx', weight: 0.4, basis: 'inferred' },
      ],
      exclusions: [],
      sources: [
        {
          title: 'FDB: OptimiseRx medicines optimisation at the point of prescribing',
          url: 'https://www.fdbhealth.co.uk/solutions/optimiserx',
          accessed: '2026-11-24',
        },
      ],
    },
  ],
};
