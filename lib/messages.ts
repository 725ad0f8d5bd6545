import { z } from 'zod';
import { EVIDENCE_KINDS } from './catalogue/constants';
import { type Signature, signatureSchema } from './catalogue/schema';
import { idSchema } from './schema-atoms';
import type { FieldProblem } from './settings/problems';
import { clinicalHostSchema, customToolSchema, type Settings } from './settings/schema';

/**
 * Every message crosses this one typed, checked door: a zod schema per request (the
 * background parses what it receives and ignores what fails) and a reply type per
 * request (BackgroundReplies). Detector and banner payloads carry tool ids, signature
 * ids, counts and evidence kinds: never page text, never URLs. The picker's save
 * carries the one signature the user chose to keep (settings data, as the options
 * page stores it).
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
    /** Practice signatures paused in this frame: they overran their time budget (lib/content/detect/budget). */
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

/** The picker saves one new signature, and the new tool it names if the user named one. */
export const addSignatureRequestSchema = z.object({
  type: z.literal('picker/add-signature'),
  signature: signatureSchema,
  newTool: customToolSchema.optional(),
});

/** From the picker (a content script the popup injects into a tab's top frame only). */
export const pickerToBackgroundSchema = z.discriminatedUnion('type', [
  /** The practice's own tools and signatures, to choose from and to export. */
  z.object({ type: z.literal('picker/get-signatures') }),
  addSignatureRequestSchema,
]);
export type PickerToBackground = z.infer<typeof pickerToBackgroundSchema>;

export type BackgroundRequest = ContentToBackground | PickerToBackground | PopupToBackground;
export type RequestType = BackgroundRequest['type'];

/** The practice's custom tools and signatures (local settings), as the picker shows them. */
export type PracticeSignatures = Pick<Settings, 'customTools' | 'customSignatures'>;

/** A save either succeeded (with what is now stored) or changed nothing, saying which field and why. */
export type SaveSignatureResult =
  | { ok: true; saved: PracticeSignatures }
  | { ok: false; problems: FieldProblem[] };

/** What each request is answered with; `undefined` is an acknowledgement only. */
export interface BackgroundReplies {
  'frame/findings': undefined;
  'frame/route': undefined;
  'frame/config': DetectionConfig;
  'banner/get-state': BannerView;
  'banner/dismiss': undefined;
  'banner/snooze': undefined;
  'picker/get-signatures': PracticeSignatures;
  'picker/add-signature': SaveSignatureResult;
  'popup/get-state': PopupView;
  'popup/reshow-banner': undefined;
  'popup/watch-site': undefined;
}
export type ReplyTo<M extends BackgroundRequest> = BackgroundReplies[M['type']];
export type RequestOf<T extends RequestType> = Extract<BackgroundRequest, { type: T }>;

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
  customSignatures: Signature[];
}

/** What the background pushes to a tab (tabs.sendMessage): new verdicts to the banner, new signatures to detectors. */
export type BackgroundToContent =
  | { type: 'tab/state'; view: BannerView }
  | { type: 'frame/config'; config: DetectionConfig };
