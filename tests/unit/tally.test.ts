import { describe, expect, it } from 'vitest';
import type { FrameToolReport } from '../../lib/messages';
import {
  type AppearanceLog,
  addDismissal,
  addPrompts,
  countAppearances,
  countNewPrompts,
  dayKey,
  type FrameReports,
  lastNDays,
  prune,
  repairTally,
  shiftDay,
  type Tally,
  tallySchema,
  toCsv,
} from '../../lib/tally';

function report(toolId: string, count: number): FrameToolReport {
  return { toolId, signatureIds: [`${toolId}-dialog`], confidence: 'high', count, evidenceKinds: ['brand'] };
}

/** Replays successive complete reports of frames, summing the new prompts per tool. */
function replay(steps: [frameId: number, tools: FrameToolReport[]][]): Record<string, number> {
  let frames: FrameReports = {};
  const total: Record<string, number> = {};
  for (const [frameId, tools] of steps) {
    const next = { ...frames, [frameId]: tools };
    if (tools.length === 0) delete next[frameId];
    for (const [toolId, n] of Object.entries(countNewPrompts(frames, next)))
      total[toolId] = (total[toolId] ?? 0) + n;
    frames = next;
  }
  return total;
}

describe('countNewPrompts', () => {
  it('counts a first prompt once', () => {
    expect(countNewPrompts({}, { 0: [report('optimiserx', 1)] })).toEqual({ optimiserx: 1 });
  });

  it('does not count a re-render that keeps the count', () => {
    expect(
      replay([
        [0, [report('optimiserx', 1)]],
        [0, [report('optimiserx', 1)]],
        [0, [report('optimiserx', 1)]],
      ]),
    ).toEqual({ optimiserx: 1 });
  });

  it('counts a prompt closing then a new one opening as one more', () => {
    expect(
      replay([
        [0, [report('scriptswitch', 1)]],
        [0, []],
        [0, [report('scriptswitch', 1)]],
        [0, [report('scriptswitch', 1)]],
      ]),
    ).toEqual({ scriptswitch: 2 });
  });

  it('counts only the increase when prompts stack and partly close', () => {
    expect(
      replay([
        [0, [report('optimiserx', 1)]],
        [0, [report('optimiserx', 3)]],
        [0, [report('optimiserx', 2)]],
        [0, [report('optimiserx', 2)]],
        [0, [report('optimiserx', 3)]],
      ]),
    ).toEqual({ optimiserx: 4 });
  });

  it('keeps frames apart: one closing does not hide another opening', () => {
    const before: FrameReports = { 0: [report('optimiserx', 1)] };
    const after: FrameReports = { 3: [report('optimiserx', 1)] };
    expect(countNewPrompts(before, after)).toEqual({ optimiserx: 1 });
    expect(
      replay([
        [0, [report('optimiserx', 1)]],
        [7, [report('optimiserx', 1), report('scriptswitch', 2)]],
        [0, [report('optimiserx', 1)]],
        [7, [report('scriptswitch', 2)]],
      ]),
    ).toEqual({ optimiserx: 2, scriptswitch: 2 });
  });

  it('omits tools with nothing new', () => {
    expect(countNewPrompts({ 0: [report('optimiserx', 2)] }, { 0: [report('optimiserx', 1)] })).toEqual({});
  });
});

describe('adding and pruning', () => {
  it('adds prompts and dismissals per day and tool, ignoring non-positive counts', () => {
    let tally = addPrompts({ days: {} }, '2026-06-01', 'optimiserx', 2);
    tally = addPrompts(tally, '2026-06-01', 'optimiserx', 1);
    tally = addPrompts(tally, '2026-06-01', 'optimiserx', 0);
    tally = addPrompts(tally, '2026-06-01', 'optimiserx', -4);
    tally = addDismissal(tally, '2026-06-01', 'optimiserx');
    tally = addDismissal(tally, '2026-06-02', 'scriptswitch');
    expect(tally).toEqual({
      days: {
        '2026-06-01': { optimiserx: { prompts: 3, dismissals: 1 } },
        '2026-06-02': { scriptswitch: { prompts: 0, dismissals: 1 } },
      },
    });
  });

  it('keeps exactly the last retentionDays days up to today', () => {
    const tally: Tally = {
      days: {
        '2026-03-02': { optimiserx: { prompts: 1, dismissals: 0 } },
        '2026-03-03': { optimiserx: { prompts: 2, dismissals: 0 } },
        '2026-05-31': { optimiserx: { prompts: 3, dismissals: 0 } },
        '2026-06-01': { optimiserx: { prompts: 4, dismissals: 0 } },
        '2026-06-02': { optimiserx: { prompts: 5, dismissals: 0 } },
      },
    };
    // 90 days ending 2026-05-31 start on 2026-03-03.
    expect(Object.keys(prune(tally, '2026-05-31', 90).days)).toEqual(['2026-03-03', '2026-05-31']);
    expect(Object.keys(prune(tally, '2026-06-01', 1).days)).toEqual(['2026-06-01']);
  });

  it('shifts days across month, year and DST boundaries', () => {
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDay('2025-12-31', 1)).toBe('2026-01-01');
    expect(shiftDay('2026-03-29', 1)).toBe('2026-03-30');
    expect(dayKey(new Date(2026, 5, 3, 23, 59))).toBe('2026-06-03');
  });
});

describe('lastNDays', () => {
  it('gives a series per tool over the window, oldest first, with totals', () => {
    const tally: Tally = {
      days: {
        '2026-05-01': { optimiserx: { prompts: 9, dismissals: 9 } },
        '2026-06-01': { optimiserx: { prompts: 2, dismissals: 1 } },
        '2026-06-03': {
          optimiserx: { prompts: 1, dismissals: 0 },
          scriptswitch: { prompts: 4, dismissals: 2 },
        },
      },
    };
    const series = lastNDays(tally, '2026-06-03', 3);
    expect(series.days).toEqual(['2026-06-01', '2026-06-02', '2026-06-03']);
    expect(series.tools).toEqual([
      {
        toolId: 'optimiserx',
        prompts: [2, 0, 1],
        dismissals: [1, 0, 0],
        totalPrompts: 3,
        totalDismissals: 1,
      },
      {
        toolId: 'scriptswitch',
        prompts: [0, 0, 4],
        dismissals: [0, 0, 2],
        totalPrompts: 4,
        totalDismissals: 2,
      },
    ]);
  });
});

describe('toCsv', () => {
  it('writes a sorted RFC 4180 file whose rows are exactly the stored counts', () => {
    const tally: Tally = {
      days: {
        '2026-06-02': {
          scriptswitch: { prompts: 4, dismissals: 2 },
          optimiserx: { prompts: 1, dismissals: 0 },
        },
        '2026-06-01': { optimiserx: { prompts: 2, dismissals: 1 } },
      },
    };
    const csv = toCsv(tally);
    expect(csv).toBe(
      'date,tool_id,prompts,dismissals\r\n2026-06-01,optimiserx,2,1\r\n2026-06-02,optimiserx,1,0\r\n2026-06-02,scriptswitch,4,2\r\n',
    );
    // Round trip: parsing the rows gives back the stored value.
    const back: Tally = { days: {} };
    for (const line of csv.trim().split('\r\n').slice(1)) {
      const [date, toolId, prompts, dismissals] = line.split(',') as [string, string, string, string];
      back.days[date] = {
        ...back.days[date],
        [toolId]: { prompts: Number(prompts), dismissals: Number(dismissals) },
      };
    }
    expect(back).toEqual(tally);
  });

  it('has just the header when empty', () => {
    expect(toCsv({ days: {} })).toBe('date,tool_id,prompts,dismissals\r\n');
  });
});

describe('repairTally', () => {
  it('passes a valid value through untouched', () => {
    const tally: Tally = { days: { '2026-06-01': { optimiserx: { prompts: 1, dismissals: 0 } } } };
    expect(repairTally(tally)).toEqual({ tally, dropped: [] });
  });

  it('drops bad days, bad entries and anything that is not a count, never throwing', () => {
    const raw = {
      host: 'clinical.example.nhs.uk',
      days: {
        '2026-06-01': {
          optimiserx: { prompts: 2, dismissals: 1, pageText: 'Mrs Smith, amoxicillin' },
          'Bad Tool': { prompts: 1, dismissals: 0 },
          scriptswitch: { prompts: -1, dismissals: 0 },
        },
        '2026-02-30': { optimiserx: { prompts: 1, dismissals: 0 } },
        'not-a-day': { optimiserx: { prompts: 1, dismissals: 0 } },
        '2026-06-02': 'oops',
        '2026-06-03': { scriptswitch: { prompts: 1.5, dismissals: 0 } },
      },
    };
    const { tally, dropped } = repairTally(raw);
    expect(tally).toEqual({ days: { '2026-06-01': { optimiserx: { prompts: 2, dismissals: 1 } } } });
    expect(tallySchema.safeParse(tally).success).toBe(true);
    expect(dropped).toEqual(
      expect.arrayContaining([
        'host',
        'days.2026-06-01.optimiserx.pageText',
        'days.2026-06-01.Bad Tool',
        'days.2026-06-01.scriptswitch',
        'days.2026-02-30',
        'days.not-a-day',
        'days.2026-06-02',
        'days.2026-06-03.scriptswitch',
      ]),
    );
    expect(JSON.stringify(tally)).not.toMatch(/Smith|clinical|host/);
  });

  it.each([null, undefined, 42, 'text', [], { days: [] }, { days: null }])(
    'turns %j into an empty tally',
    (raw) => {
      expect(repairTally(raw).tally).toEqual({ days: {} });
    },
  );
});

describe('countAppearances: once per tab per appearance window', () => {
  /** Replays [time ms, frames] steps through one tab's log, summing what is counted. */
  function run(steps: [at: number, frames: FrameReports, newDocument?: number][]): Record<string, number> {
    let log: AppearanceLog = {};
    const total: Record<string, number> = {};
    for (const [at, frames, newDocument] of steps) {
      const result = countAppearances(log, frames, at, newDocument);
      log = result.log;
      for (const [toolId, n] of Object.entries(result.added)) total[toolId] = (total[toolId] ?? 0) + n;
    }
    return total;
  }
  const on = { 0: [report('scriptswitch', 1)] };
  const off = {};

  it('a prompt re-inserted eleven times in six seconds counts once', () => {
    const steps: [number, FrameReports][] = [];
    for (let i = 0; i < 11; i += 1) steps.push([i * 550, on], [i * 550 + 270, off]);
    expect(run(steps)).toEqual({ scriptswitch: 1 });
  });

  it('a prompt back within 30 s of leaving counts once; back after more than 30 s counts again', () => {
    expect(
      run([
        [0, on],
        [10_000, off],
        [39_000, on],
      ]),
    ).toEqual({ scriptswitch: 1 });
    expect(
      run([
        [0, on],
        [10_000, off],
        [40_001, on],
      ]),
    ).toEqual({ scriptswitch: 2 });
  });

  it('the window runs from when the prompt was last on screen, however long it stayed', () => {
    expect(
      run([
        [0, on],
        [120_000, on],
        [125_000, off],
        [150_000, on],
      ]),
    ).toEqual({ scriptswitch: 1 });
  });

  it('a second prompt of the same tool beside the first counts; re-inserting both does not', () => {
    const two = { 0: [report('scriptswitch', 2)] };
    expect(
      run([
        [0, on],
        [1000, two],
        [2000, off],
        [3000, two],
      ]),
    ).toEqual({ scriptswitch: 2 });
  });

  it('a new document in the frame (navigation) starts afresh; other frames and tools are separate', () => {
    expect(
      run([
        [0, on],
        [1000, on, 0],
      ]),
    ).toEqual({ scriptswitch: 2 });
    const inFrame = { 3: [report('scriptswitch', 1)] };
    expect(
      run([
        [0, on],
        [1000, { ...on, ...inFrame }],
      ]),
    ).toEqual({ scriptswitch: 2 });
    expect(
      run([
        [0, on],
        [1000, { 0: [report('optimiserx', 1)] }],
      ]),
    ).toEqual({ scriptswitch: 1, optimiserx: 1 });
  });

  it('forgets windows that have closed, so the log holds only what is or was just on screen', () => {
    const { log } = countAppearances(countAppearances({}, on, 0).log, off, 1000);
    expect(Object.keys(log)).toEqual(['0:scriptswitch']);
    expect(countAppearances(log, off, 40_000).log).toEqual({});
  });
});
