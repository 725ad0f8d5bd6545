import type { GuidanceLink } from './schema';
import { sources } from './sources';

/** Pages a practice may read: the BMA's, LMCs' and the trade press. Links only. */

const lastReviewed = '2026-11-24';

export const guidanceLinks: readonly GuidanceLink[] = [
  {
    id: 'bma-how-to-take-part',
    title: 'How to take part in GP collective action in England',
    publisher: 'BMA',
    kind: 'bma',
    url: sources.bmaHowToTakePart.url,
    about: 'The BMA’s campaign page: each month’s action, the template letter to the ICB and FAQs.',
    sources: [sources.bmaHowToTakePart],
    lastReviewed,
  },
  {
    id: 'bma-statement-may-2026',
    title: 'BMA statement on the start of collective action (1 May 2026)',
    publisher: 'BMA',
    kind: 'bma',
    url: sources.bmaMay2026Statement.url,
    about: 'Why the action started and why it began with data sharing agreements.',
    sources: [sources.bmaMay2026Statement],
    lastReviewed,
  },
  {
    id: 'blmc-collective-action',
    title: 'Collective action',
    publisher: 'Birmingham LMC',
    kind: 'lmc',
    url: sources.blmcCollectiveAction.url,
    about: 'Birmingham LMC’s page on the current collective action.',
    sources: [sources.blmcCollectiveAction],
    lastReviewed,
  },
  {
    id: 'wigan-mo-software',
    title: 'Switching off medicines optimisation software',
    publisher: 'Wigan LMC',
    kind: 'lmc',
    url: sources.wiganMoSoftware.url,
    about:
      'What medicines optimisation software does, why the BMA targets it and how it relates to the contract.',
    sources: [sources.wiganMoSoftware],
    lastReviewed,
  },
  {
    id: 'kernow-update-june-2026',
    title: 'LMC update, 5 June 2026',
    publisher: 'Kernow LMC',
    kind: 'lmc',
    url: sources.kernowUpdate.url,
    about: 'The June action explained, with a note on locally commissioned services.',
    sources: [sources.kernowUpdate],
    lastReviewed,
  },
  {
    id: 'nwlmcs-collective-action',
    title: 'GP collective action: summary',
    publisher: 'North West LMCs',
    kind: 'lmc',
    url: sources.nwlmcsCollectiveAction.url,
    about:
      'Each month’s action, the second template letter, and local schemes in Lancashire and South Cumbria.',
    sources: [sources.nwlmcsCollectiveAction],
    lastReviewed,
  },
  {
    id: 'sslmcs-dsas',
    title: 'GP collective action 2026: data sharing agreements',
    publisher: 'Surrey and Sussex LMCs',
    kind: 'lmc',
    url: sources.sslmcsDsas.url,
    about: 'Practical steps for reviewing data sharing agreements and writing to the ICB.',
    sources: [sources.sslmcsDsas],
    lastReviewed,
  },
  {
    id: 'llr-optum',
    title: 'Optum',
    publisher: 'Leicester, Leicestershire and Rutland LMC',
    kind: 'lmc',
    url: sources.llrOptum.url,
    about: 'How an Optum programme was tied to a local prescribing incentive, and the LMC’s view.',
    sources: [sources.llrOptum],
    lastReviewed,
  },
  {
    id: 'pulse-escalation',
    title: 'BMA goes ahead with GP collective action escalation',
    publisher: 'Pulse',
    kind: 'news',
    url: sources.pulseEscalation.url,
    about: 'News report of the June 2026 action on medicines optimisation software.',
    sources: [sources.pulseEscalation],
    lastReviewed,
  },
];
