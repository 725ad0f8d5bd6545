import { z } from 'zod';
import { EVIDENCE_KINDS } from './catalogue/constants';
import { idSchema } from './schema-atoms';
import { clinicalHostSchema } from './settings/schema';

/**
 * Every message crosses this one typed, checked door. The background parses what it
 * receives with these schemas and ignores what fails. Payloads carry tool ids,
 * signature ids, counts and evidence kinds: never page text, never URLs.
 */

const id = idSchema({ minLength: 1 });

export const frameToolReportSchema = z.object({
  toolId: id,
  signatureIds: z.array(id).max(50),
  confidence: z.enum(['high', 'moderate']),
  /** Distinct prompts of this tool currently in the frame. */
  count: z.number().int().min(1).max(10_000),
  evidenceKinds: z.array(z.enum(EVIDENCE_KINDS)).max(20),
});
export type FrameToolReport = z.infer<typeof frameToolReportSchema>;

export const contentToBackgroundSchema = z.discriminatedUnion('type', [
  /**
   * A frame's complete current findings (idempotent: replaces the frame's previous
   * report). `first` marks a new document: in the top frame, a navigation.
   */
  z.object({
    type: z.literal('frame/findings'),
    tools: z.array(frameToolReportSchema).max(100),
    first: z.boolean().optional(),
    /** Practice signatures paused in this frame: they overran their time budget (lib/detect/budget). */
    pausedSignatureIds: z.array(id).max(50).optional(),
  }),
  /** The frame's URL changed without a new document (in-app route change). */
  z.object({ type: z.literal('frame/route') }),
  /** A frame asks for the practice's custom signatures. */
  z.object({ type: z.literal('frame/config') }),
  /** The top frame's banner asks for the tab's verdicts. */
  z.object({ type: z.literal('banner/get-state') }),
  z.object({ type: z.literal('banner/dismiss'), toolId: id }),
  z.object({ type: z.literal('banner/snooze') }),
]);
export type ContentToBackground = z.infer<typeof contentToBackgroundSchema>;

export const popupToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('popup/get-state'), tabId: z.number().int().min(0) }),
  z.object({ type: z.literal('popup/reshow-banner'), tabId: z.number().int().min(0) }),
  /** After the popup obtained host permission with the user's gesture. */
  z.object({
    type: z.literal('popup/watch-site'),
    tabId: z.number().int().min(0),
    pattern: clinicalHostSchema,
  }),
]);
export type PopupToBackground = z.infer<typeof popupToBackgroundSchema>;

/**
 * `unconfirmed`: the last policy seen mandated the tool, and the policy has since
 * vanished or become unreadable; never shown as "may be switched off" (issue 21).
 */
export type Verdict = 'flagged' | 'mandated' | 'unconfirmed';

/** One tool as the banner and popup show it. */
export interface ToolView {
  toolId: string;
  name: string;
  vendor: string;
  summary: string;
  verdict: Verdict;
  /** How many frames of the tab currently show it. */
  frames: number;
  /** Whether any report came from a sub-frame (iframe). */
  inSubFrame: boolean;
  confidence: 'high' | 'moderate';
  dismissed: boolean;
  /** Basis of the mandate, for allow-listed tools (and unconfirmed mandates). */
  mandate?: { reason?: string; reference?: string; reviewBy?: string };
}

/** What the top frame's banner renders. Sent only once settings (the allow-list) are known. */
export interface BannerView {
  tools: ToolView[];
  /** Epoch ms until which the banner is snoozed, if snoozed. */
  snoozedUntil?: number;
  showMandatedNote: boolean;
  /** How long "snooze" hides the banner, for its button text. */
  snoozeMinutes?: number;
  corner: 'bottom-right' | 'bottom-left';
  lmcGuidanceUrl?: string;
}

export interface PopupView extends BannerView {
  watched: boolean;
  /** The site is on the clinical-hosts list (settings or policy), granted or not. */
  listed: boolean;
  /** Host of the tab (shown to the user; never stored). */
  host?: string;
  /** Whether the extension is allowed to run on this site. */
  hasPermission: boolean;
  /** Settings fields locked by policy. */
  lockedFields: string[];
}

export interface DetectionConfig {
  /** Practice signatures (already validated by the background). */
  customSignatures: unknown[];
}

export type BackgroundToContent =
  | { type: 'tab/state'; view: BannerView }
  | { type: 'frame/config'; config: DetectionConfig };
