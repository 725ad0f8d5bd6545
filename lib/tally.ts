import { z } from 'zod';
import type { FrameToolReport } from './messages';
import { idSchema, isRecord } from './schema-atoms';

/**
 * The prompt tally: per day, per tool, how many distinct prompts appeared
 * and how many banners were dismissed. Counts only: no page text, no URLs, no host
 * (the issue would allow the host; we store none, so an export cannot reveal which
 * system or practice it came from), nothing about patients. Pure: no browser APIs.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_COUNT = 1_000_000_000;
const DAY_MS = 86_400_000;

const toolIdSchema = idSchema({ minLength: 1 });
const countSchema = z.number().int().min(0).max(MAX_COUNT);

const looseEntrySchema = z.object({ prompts: countSchema, dismissals: countSchema });
export const tallyEntrySchema = z.strictObject(looseEntrySchema.shape);
export type TallyEntry = z.infer<typeof tallyEntrySchema>;

/** A calendar day as `yyyy-mm-dd` that really exists (rejects 2026-02-30). */
export const dayKeySchema = z
  .string()
  .regex(DAY)
  .refine((day) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'not a calendar day');

export const tallySchema = z.strictObject({
  days: z.record(dayKeySchema, z.record(toolIdSchema, tallyEntrySchema)),
});
export type Tally = z.infer<typeof tallySchema>;

/** Frame id → that frame's latest complete report (the shape of `TabRecord.frames`). */
export type FrameReports = Readonly<Record<number, readonly FrameToolReport[]>>;

/** The local calendar day of `date`: the practice's day, not UTC's. */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `day` moved by `offset` calendar days (UTC arithmetic on the key, so no DST surprises). */
export function shiftDay(day: string, offset: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + offset * DAY_MS).toISOString().slice(0, 10);
}

function countsByTool(reports: readonly FrameToolReport[] | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const report of reports ?? [])
    counts.set(report.toolId, (counts.get(report.toolId) ?? 0) + report.count);
  return counts;
}

/**
 * How many NEW distinct prompts each tool showed between two snapshots of a tab's
 * frame reports. Frames report their complete current state, so a new prompt is an
 * increase in a frame's count for a tool: a re-render that keeps the count adds 0,
 * a prompt that closes lowers it (adds 0) and the next one to open raises it again
 * (adds 1). Frames are compared separately, so one frame closing a prompt never
 * hides another frame opening one. Tools with no new prompt are omitted.
 */
export function countNewPrompts(before: FrameReports, after: FrameReports): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [frameId, reports] of Object.entries(after)) {
    const previous = countsByTool(before[Number(frameId)]);
    for (const [toolId, count] of countsByTool(reports)) {
      const increase = count - (previous.get(toolId) ?? 0);
      if (increase > 0) added[toolId] = (added[toolId] ?? 0) + increase;
    }
  }
  return added;
}

/** A prompt that leaves and comes back within this long is the same appearance. */
export const APPEARANCE_WINDOW_MS = 30_000;

/** One frame's prompts of one tool, as far as the tally has counted them. */
export interface Appearance {
  /** Prompts already counted in the current appearance window. */
  counted: number;
  /** Prompts on screen at the last report. */
  shown: number;
  /** When the tool was last known to be on screen in that frame (ms). */
  lastShownAt: number;
}

/** A tab's appearances, keyed by `frameId:toolId`. Memory only: ids and numbers. */
export type AppearanceLog = Readonly<Record<string, Appearance>>;

/**
 * The new prompts a tab's latest frame reports add, counting each prompt once per
 * appearance window: a prompt removed and re-inserted (or re-rendered from scratch)
 * within APPEARANCE_WINDOW_MS of last being on screen is the same prompt, so a page
 * that re-inserts one prompt in a loop counts it once. A window ends only after the
 * tool has been off screen in that frame for longer than the window. `newDocument`
 * names a frame that has just loaded a new document: its prompts are new ones.
 */
export function countAppearances(
  log: AppearanceLog,
  frames: FrameReports,
  now: number,
  newDocument?: number,
): { added: Record<string, number>; log: AppearanceLog } {
  const next: Record<string, Appearance> = {};
  const current = new Map<string, number>();
  for (const [frameId, reports] of Object.entries(frames)) {
    for (const [toolId, count] of countsByTool(reports)) current.set(`${frameId}:${toolId}`, count);
  }
  const added: Record<string, number> = {};
  const keys = new Set([...Object.keys(log), ...current.keys()]);
  for (const key of keys) {
    const frameId = Number(key.slice(0, key.indexOf(':')));
    const toolId = key.slice(key.indexOf(':') + 1);
    const fresh = { counted: 0, shown: 0, lastShownAt: Number.NEGATIVE_INFINITY };
    const was = frameId === newDocument ? fresh : (log[key] ?? fresh);
    const shown = current.get(key) ?? 0;
    // Still on screen at the previous report means on screen until now.
    const lastShownAt = was.shown > 0 || shown > 0 ? now : was.lastShownAt;
    const windowOver = was.shown === 0 && now - was.lastShownAt > APPEARANCE_WINDOW_MS;
    const counted = windowOver ? 0 : was.counted;
    const increase = shown - counted;
    if (increase > 0) added[toolId] = (added[toolId] ?? 0) + increase;
    const entry = { counted: Math.max(counted, shown), shown, lastShownAt };
    // Forget appearances whose window has closed: the log stays as small as the screen.
    if (shown > 0 || now - lastShownAt <= APPEARANCE_WINDOW_MS) next[key] = entry;
  }
  return { added, log: next };
}

function withEntry(tally: Tally, day: string, toolId: string, change: (e: TallyEntry) => TallyEntry): Tally {
  const tools = tally.days[day] ?? {};
  const entry = tools[toolId] ?? { prompts: 0, dismissals: 0 };
  return { days: { ...tally.days, [day]: { ...tools, [toolId]: change(entry) } } };
}

export function addPrompts(tally: Tally, day: string, toolId: string, n: number): Tally {
  if (!Number.isInteger(n) || n <= 0) return tally;
  return withEntry(tally, day, toolId, (e) => ({ ...e, prompts: Math.min(MAX_COUNT, e.prompts + n) }));
}

export function addDismissal(tally: Tally, day: string, toolId: string): Tally {
  return withEntry(tally, day, toolId, (e) => ({ ...e, dismissals: Math.min(MAX_COUNT, e.dismissals + 1) }));
}

/**
 * Keeps the last `retentionDays` days up to and including `today`. A day after today
 * can only come from a wrong clock; it is dropped so it cannot outlive the retention.
 */
export function prune(tally: Tally, today: string, retentionDays: number): Tally {
  const oldest = shiftDay(today, -(Math.max(1, Math.floor(retentionDays)) - 1));
  const days = Object.fromEntries(
    Object.entries(tally.days).filter(([day]) => day >= oldest && day <= today),
  );
  return { days };
}

export interface ToolSeries {
  toolId: string;
  /** One value per day of `TallySeries.days`, oldest first. */
  prompts: number[];
  dismissals: number[];
  totalPrompts: number;
  totalDismissals: number;
}

export interface TallySeries {
  /** The last n days, oldest first, ending with today. */
  days: string[];
  /** Every tool with a count in the window, by tool id. */
  tools: ToolSeries[];
}

export function lastNDays(tally: Tally, today: string, n: number): TallySeries {
  const days = Array.from({ length: Math.max(0, n) }, (_, i) => shiftDay(today, i - n + 1));
  const toolIds = new Set(days.flatMap((day) => Object.keys(tally.days[day] ?? {})));
  const tools = [...toolIds].sort().map((toolId): ToolSeries => {
    const prompts = days.map((day) => tally.days[day]?.[toolId]?.prompts ?? 0);
    const dismissals = days.map((day) => tally.days[day]?.[toolId]?.dismissals ?? 0);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return { toolId, prompts, dismissals, totalPrompts: sum(prompts), totalDismissals: sum(dismissals) };
  });
  return { days, tools };
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The whole tally as CSV (CRLF lines, header first, rows by date then tool id).
 * Dates and tool ids are schema-checked, so no cell can start a spreadsheet formula.
 */
export function toCsv(tally: Tally): string {
  const rows: string[] = ['date,tool_id,prompts,dismissals'];
  for (const day of Object.keys(tally.days).sort()) {
    const tools = tally.days[day] ?? {};
    for (const toolId of Object.keys(tools).sort()) {
      const entry = tools[toolId] as TallyEntry;
      rows.push([day, toolId, entry.prompts, entry.dismissals].map(csvField).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

export interface TallyRepair {
  tally: Tally;
  /** What was dropped, e.g. `days.2026-13-01` or `days.2026-06-01.Bad Tool`. */
  dropped: string[];
}

/**
 * Repairs a stored value: keeps every valid day and entry, drops the rest (and any
 * key other than `days`, so nothing but counts survives). Never throws.
 */
export function repairTally(raw: unknown): TallyRepair {
  const strict = tallySchema.safeParse(raw);
  if (strict.success) return { tally: strict.data, dropped: [] };
  const dropped: string[] = [];
  const days: Tally['days'] = {};
  if (!isRecord(raw)) {
    if (raw !== undefined && raw !== null) dropped.push('(value)');
    return { tally: { days }, dropped };
  }
  for (const key of Object.keys(raw)) if (key !== 'days') dropped.push(key);
  const rawDays = isRecord(raw.days) ? raw.days : {};
  if (raw.days !== undefined && !isRecord(raw.days)) dropped.push('days');
  for (const [day, rawTools] of Object.entries(rawDays)) {
    if (!dayKeySchema.safeParse(day).success || !isRecord(rawTools)) {
      dropped.push(`days.${day}`);
      continue;
    }
    const tools: Record<string, TallyEntry> = {};
    for (const [toolId, rawEntry] of Object.entries(rawTools)) {
      const entry = looseEntrySchema.safeParse(rawEntry);
      if (!toolIdSchema.safeParse(toolId).success || !entry.success) {
        dropped.push(`days.${day}.${toolId}`);
        continue;
      }
      tools[toolId] = entry.data;
      for (const key of Object.keys(rawEntry as object)) {
        if (!(key in entry.data)) dropped.push(`days.${day}.${toolId}.${key}`);
      }
    }
    if (Object.keys(tools).length > 0) days[day] = tools;
  }
  return { tally: { days }, dropped };
}
