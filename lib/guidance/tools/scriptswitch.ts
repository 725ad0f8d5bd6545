import type { ToolGuidance } from '../schema';
import { sources } from '../sources';

/**
 * ScriptSwitch (Optum). Cegedim's Vision help documents the ScriptSwitch screen and its
 * three buttons; no public source says how a practice switches it off.
 */
export const scriptswitchGuidance: ToolGuidance = {
  toolId: 'scriptswitch',
  name: 'ScriptSwitch',
  whatItIs: [
    'ScriptSwitch Prescribing, from Optum Health Solutions (UK), shows a prescribing recommendation at the point of prescribing, usually a cheaper or formulary-preferred switch, accepted with one click.',
    'Optum programmes can form part of local prescribing schemes: in Leicester, Leicestershire and Rutland, signing up to Optum’s Accelerate programme was part of one. Your practice may want to check whether a local service asks it to use ScriptSwitch.',
  ],
  systems: [
    {
      system: 'Vision 3',
      switchOff: { status: 'not-documented' },
      inThePrompt: {
        text: 'The ScriptSwitch screen offers Accept, Edit Original and Prescribe Original. Prescribe Original saves the prescription as you entered it; Edit Original takes you back to it; Accept replaces it with the suggestion.',
        sources: [sources.cegedimScriptSwitch],
      },
    },
    { system: 'Other clinical systems', switchOff: { status: 'not-documented' } },
  ],
  sources: [sources.cegedimScriptSwitch, sources.llrOptum],
  lastReviewed: '2026-11-24',
};
