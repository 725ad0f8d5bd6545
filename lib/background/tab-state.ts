import type { Tool } from '../catalogue/schema';
import type { BannerView, FrameToolReport, ToolView } from '../messages';
import type { AllowListEntry, Settings } from '../settings/schema';
import { isSnoozedAt } from '../views';

/**
 * Pure tab bookkeeping: what each frame of a tab reported, what the user dismissed,
 * and the verdicts that follow from the allow-list. No browser APIs here.
 */

export interface TabRecord {
  /** Latest complete report per frame id. */
  frames: Record<number, FrameToolReport[]>;
  /** Tools dismissed on this tab until its next navigation. */
  dismissed: string[];
}

export function emptyTab(): TabRecord {
  return { frames: {}, dismissed: [] };
}

export function withFrameReport(tab: TabRecord, frameId: number, tools: FrameToolReport[]): TabRecord {
  const frames = { ...tab.frames };
  if (tools.length === 0) delete frames[frameId];
  else frames[frameId] = tools;
  return { ...tab, frames };
}

/** A navigation or in-app route change ends dismissals, as does "show the banner again". */
export function withoutDismissals(tab: TabRecord): TabRecord {
  return tab.dismissed.length === 0 ? tab : { ...tab, dismissed: [] };
}

export function withDismissed(tab: TabRecord, toolId: string): TabRecord {
  return tab.dismissed.includes(toolId) ? tab : { ...tab, dismissed: [...tab.dismissed, toolId] };
}

export interface ToolDirectory {
  /** Built-in tools and the practice's custom tools. */
  find(toolId: string): Pick<Tool, 'id' | 'name' | 'vendor' | 'summary'> | undefined;
}

export function toolDirectory(builtIn: readonly Tool[], settings: Settings): ToolDirectory {
  return {
    find(toolId) {
      const tool = builtIn.find((t) => t.id === toolId);
      if (tool) return tool;
      const custom = settings.customTools.find((t) => t.id === toolId);
      if (!custom) return undefined;
      return {
        id: custom.id,
        name: custom.name,
        vendor: custom.vendor ?? 'Identified by your practice',
        summary: 'A medicines optimisation prompt your practice taught this extension to recognise.',
      };
    },
  };
}

/**
 * Every tool currently reported by any frame, with its verdict. The allow-list is the
 * only input that decides `mandated`; a tool on it is never `flagged`. A tool that the
 * last policy seen mandated, and nothing in force confirms now (`unconfirmed`, see
 * lib/settings/policy.ts), is `unconfirmed`: never flagged either.
 */
export function toolViews(
  tab: TabRecord,
  settings: Settings,
  directory: ToolDirectory,
  unconfirmed: readonly AllowListEntry[] = [],
): ToolView[] {
  const byTool = new Map<string, ToolView>();
  for (const [frameKey, reports] of Object.entries(tab.frames)) {
    const frameId = Number(frameKey);
    for (const report of reports) {
      const existing = byTool.get(report.toolId);
      if (existing) {
        existing.frames += 1;
        existing.inSubFrame ||= frameId !== 0;
        if (report.confidence === 'high') existing.confidence = 'high';
        continue;
      }
      const tool = directory.find(report.toolId);
      const mandate = settings.allowList.find((entry) => entry.toolId === report.toolId);
      const pending = mandate ? undefined : unconfirmed.find((entry) => entry.toolId === report.toolId);
      const basis = mandate ?? pending;
      byTool.set(report.toolId, {
        toolId: report.toolId,
        name: tool?.name ?? report.toolId,
        vendor: tool?.vendor ?? '',
        summary: tool?.summary ?? '',
        verdict: mandate ? 'mandated' : pending ? 'unconfirmed' : 'flagged',
        frames: 1,
        inSubFrame: frameId !== 0,
        confidence: report.confidence,
        dismissed: tab.dismissed.includes(report.toolId),
        mandate: basis
          ? { reason: basis.reason, reference: basis.reference, reviewBy: basis.reviewBy }
          : undefined,
      });
    }
  }
  return [...byTool.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function bannerView(
  tab: TabRecord,
  settings: Settings,
  directory: ToolDirectory,
  snoozedUntil: number | undefined,
  now: number,
  unconfirmed: readonly AllowListEntry[] = [],
): BannerView {
  return {
    tools: toolViews(tab, settings, directory, unconfirmed),
    snoozedUntil: isSnoozedAt(snoozedUntil, now) ? snoozedUntil : undefined,
    showMandatedNote: settings.banner.showMandatedNote,
    snoozeMinutes: settings.banner.snoozeMinutes,
    corner: settings.banner.corner,
    lmcGuidanceUrl: settings.lmcGuidanceUrl,
  };
}
