import type { CampaignStep } from './schema';
import { sources } from './sources';

/**
 * The three immediate practice steps of the BMA's 2026 GP collective action, as the BMA
 * and LMCs describe them. Advisory wording only: what a practice does is its decision.
 */

const lastReviewed = '2026-11-24';

export const moSoftwareStep: CampaignStep = {
  id: 'mo-software',
  title: 'Medicines optimisation software',
  since: 'June 2026',
  summary:
    'The BMA asks practices to switch off or ignore non-contractual medicines optimisation software for new prescriptions, and to make acute prescribing choices in the patient’s best interests, even where they fall outside the ICB formulary.',
  points: [
    'These tools flag cheaper alternatives, suggest formulary-preferred medicines and prompt switches, often for ICB prescribing budgets.',
    'There is no requirement in the core GMS contract to use medicines optimisation software.',
    'Your clinical system’s own safety checks (interactions, allergies, duplicates) are not medicines optimisation software: this extension never flags them.',
    'The BMA says taking part in this action is lawful.',
  ],
  exception:
    'Where a locally commissioned service requires a tool, your practice may not be able to switch it off: for example, the Enhanced Service Offer (ESO) in Birmingham and Solihull. Your LMC can advise on the local position, and your practice can record such tools in Settings so the extension does not flag them.',
  sources: [
    sources.pulseEscalation,
    sources.wiganMoSoftware,
    sources.kernowUpdate,
    sources.nwlmcsCollectiveAction,
    sources.bsolEso,
  ],
  lastReviewed,
};

export const dataSharingStep: CampaignStep = {
  id: 'data-sharing',
  title: 'Data sharing agreements',
  since: 'May 2026',
  summary:
    'The BMA asks practices to stop signing new voluntary data sharing agreements (DSAs) for secondary uses of GP patient data.',
  points: [
    'Your practice may review the DSAs and data flows it is already part of: where data goes, for what purpose, on what legal basis and with what safeguards.',
    'Your practice can decline new voluntary secondary-use DSAs unless it is satisfied about their governance and legal safeguards.',
  ],
  sources: [
    sources.bmaHowToTakePart,
    sources.bmaMay2026Statement,
    sources.sslmcsDsas,
    sources.nwlmcsCollectiveAction,
  ],
  lastReviewed,
};

export const icbLetterStep: CampaignStep = {
  id: 'icb-letter',
  title: 'Letter to your ICB',
  since: 'May 2026',
  summary:
    'The BMA asks practices to send their ICB its template letter asking for a review of existing automated data extractions and data sharing agreements.',
  points: [
    'The BMA’s campaign page has the template letter.',
    'Where an ICB sent a stock reply, GPC England has drafted a second template; your practice can choose which parts fit its reply.',
  ],
  sources: [
    sources.bmaHowToTakePart,
    sources.nwlmcsCollectiveAction,
    sources.pulseTemplateLetter,
    sources.sslmcsDsas,
  ],
  lastReviewed,
};

export const campaignSteps: readonly CampaignStep[] = [moSoftwareStep, dataSharingStep, icbLetterStep];
