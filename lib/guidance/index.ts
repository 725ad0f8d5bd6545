import { guidanceLinks } from './links';
import { type Guidance, guidanceSchema, type ToolGuidance } from './schema';
import { sources } from './sources';
import { campaignSteps } from './steps';
import { optimiserxGuidance } from './tools/optimiserx';
import { scriptswitchGuidance } from './tools/scriptswitch';

export type {
  CampaignStep,
  Guidance,
  GuidanceLink,
  GuidanceSource,
  SystemGuidance,
  ToolGuidance,
} from './schema';
export { NOT_DOCUMENTED } from './schema';

/** Parsed at load: a malformed guidance file fails every test and the build, not a user. */
export const guidance: Guidance = guidanceSchema.parse({
  lastReviewed: '2026-11-24',
  lmcPosition: {
    text: 'Local Medical Committees (LMCs) support the BMA’s collective action and signpost its guidance, but they are not trade unions and do not call for action beyond the BMA’s. What your practice does is its own decision.',
    sources: [sources.sslmcsNews, sources.kernowUpdate],
  },
  steps: campaignSteps,
  tools: [optimiserxGuidance, scriptswitchGuidance],
  links: guidanceLinks,
});

export function toolGuidanceFor(toolId: string): ToolGuidance | undefined {
  return guidance.tools.find((t) => t.toolId === toolId);
}

/** The id of a tool's guidance section in the popup; the general guidance for tools without one. */
export function guidanceAnchorFor(toolId: string): string {
  return toolGuidanceFor(toolId) ? `guidance-${toolId}` : 'guidance';
}

/**
 * The in-extension guidance page for a tool: `popup.html#guidance-<toolId>` (the general
 * guidance, `popup.html#guidance`, for tools without their own). Pass it to
 * `browser.runtime.getURL('/' + …)` to open it from a content script.
 */
export function guidanceUrlFor(toolId: string): string {
  return `popup.html#${guidanceAnchorFor(toolId)}`;
}
