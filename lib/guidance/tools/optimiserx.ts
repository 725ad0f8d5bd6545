import type { ToolGuidance } from '../schema';
import { sources } from '../sources';

/**
 * OptimiseRx (FDB). FDB and an ICB page describe what it does and that it integrates
 * with EMIS Web and SystmOne; no public source says how a practice switches it off.
 */
export const optimiserxGuidance: ToolGuidance = {
  toolId: 'optimiserx',
  name: 'OptimiseRx',
  whatItIs: [
    'OptimiseRx, from FDB (First Databank Europe), shows patient-specific messages at the point of prescribing: best practice, safety, cost and formulary messages.',
    'An ICB may fund it for its practices (NHS Buckinghamshire describes one such arrangement). Formulary messages carry a traffic-light status (red or amber) and may link to a local formulary site.',
    'It integrates with EMIS Web and SystmOne.',
  ],
  systems: [
    { system: 'EMIS Web', switchOff: { status: 'not-documented' } },
    { system: 'SystmOne', switchOff: { status: 'not-documented' } },
    { system: 'Web-based clinical systems', switchOff: { status: 'not-documented' } },
  ],
  sources: [sources.fdbOptimiseRx, sources.bucksOptimiseRx],
  lastReviewed: '2026-11-24',
};
