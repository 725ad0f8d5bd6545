import type { BannerView, FrameToolReport, ToolView } from '../../lib/messages';

/** A flagged, high-confidence tool as the background shows it to the banner. */
export function toolView(toolId: string, overrides: Partial<ToolView> = {}): ToolView {
  return {
    toolId,
    name: toolId === 'scriptswitch' ? 'ScriptSwitch' : 'OptimiseRx',
    vendor: 'Vendor',
    summary: 'Summary.',
    verdict: 'flagged',
    frames: 1,
    inSubFrame: false,
    confidence: 'high',
    dismissed: false,
    ...overrides,
  };
}

/** A banner view of `tools`, bottom-right, without the mandated-tools note. */
export function bannerViewOf(tools: ToolView[], overrides: Partial<BannerView> = {}): BannerView {
  return { tools, showMandatedNote: false, corner: 'bottom-right', ...overrides };
}

/** One tool as a frame's detector reports it: one prompt, recognised by its brand. */
export function frameReport(toolId: string): FrameToolReport {
  return {
    toolId,
    signatureIds: [`${toolId}-dialog`],
    confidence: 'high',
    count: 1,
    evidenceKinds: ['brand'],
  };
}
