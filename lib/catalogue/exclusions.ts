import type { Exclusion } from './schema';

/**
 * Vetoes applied to every signature, built-in or practice-defined: a candidate whose
 * container carries one of these is never flagged. They encode the false-positive
 * traps in the domain notes; erring here means a missed note, never a wrong one.
 */
export const globalExclusions: Exclusion[] = [
  {
    id: 'emis-prescribing-decision-support',
    description:
      "EMIS Web's own Prescribing Decision Support (interactions, contraindications, allergies): the clinical system's safety checking, not ICB MO software.",
    text: { match: 'word', value: 'Prescribing Decision Support' },
    sources: [
      {
        title: 'Hero Health: EMIS Web Prescribing Decision Support alerts',
        url: 'https://www.herohealthsoftware.net/',
        accessed: '2026-11-24',
      },
    ],
  },
  {
    id: 'optimizerx-us-namesake',
    description: 'OptimizeRx (with a z) is an unrelated US pharma-marketing company.',
    text: { match: 'word', value: 'OptimizeRx' },
    urlContains: 'optimizerx',
    sources: [],
  },
  {
    id: 'emis-proscript',
    description: 'EMIS ProScript is community-pharmacy dispensing software, not an MO prompt.',
    text: { match: 'word', value: 'ProScript' },
    sources: [],
  },
];
