import type { ToolFamily } from './schema';

/**
 * ScriptSwitch Prescribing (Optum Health Solutions UK): a recommendation at the point
 * of prescribing, accepted with one click. Cegedim's Vision help documents the
 * "ScriptSwitch" screen and its three buttons (Accept, Edit Original, Prescribe
 * Original): those cues are `documented`; tokens and URLs are `inferred`.
 */
const cegedimHelp = {
  title: 'Cegedim Healthcare help: Consultation Manager, the ScriptSwitch screen',
  url: 'https://help.cegedim-healthcare.co.uk/',
  accessed: '2026-11-24',
};

export const scriptswitch: ToolFamily = {
  tool: {
    id: 'scriptswitch',
    name: 'ScriptSwitch',
    vendor: 'Optum Health Solutions (UK)',
    summary:
      'Shows a prescribing recommendation (usually a cheaper or formulary-preferred switch) at the point of prescribing, accepted with one click.',
    category: 'mo-prompt',
    sources: [
      cegedimHelp,
      {
        title: 'Digital Marketplace (G-Cloud): ScriptSwitch Prescribing',
        url: 'https://www.applytosupply.digitalmarketplace.service.gov.uk/g-cloud/search?q=ScriptSwitch',
        accessed: '2026-11-24',
      },
    ],
  },
  signatures: [
    {
      id: 'scriptswitch-recommendation',
      toolId: 'scriptswitch',
      description:
        'The ScriptSwitch screen: its Accept / Edit Original / Prescribe Original buttons together, the product name as its title, or vendor tokens and URLs.',
      threshold: 0.8,
      evidence: [
        {
          kind: 'controls',
          labels: ['Accept', 'Edit Original', 'Prescribe Original'],
          minMatches: 3,
          weight: 0.6,
          basis: 'documented',
        },
        {
          kind: 'brand',
          text: { match: 'regex', value: '\\bscript ?switch\\b' },
          positions: ['heading', 'label', 'title', 'alt', 'legend'],
          weight: 0.5,
          basis: 'documented',
        },
        { kind: 'token', value: 'scriptswitch', weight: 0.4, basis: 'inferred' },
        { kind: 'attribute', name: 'data-vendor', contains: 'scriptswitch', weight: 0.4, basis: 'inferred' },
        {
          kind: 'url',
          elements: ['iframe', 'script'],
          contains: 'scriptswitch',
          weight: 0.6,
          basis: 'inferred',
        },
        { kind: 'pageUrl', contains: 'scriptswitch', weight: 0.4, basis: 'inferred' },
      ],
      exclusions: [],
      sources: [cegedimHelp],
    },
  ],
};
