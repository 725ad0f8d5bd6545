import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bannerView, emptyTab, toolDirectory, withFrameReport } from '../../lib/background/tab-state';
import { builtInTools } from '../../lib/catalogue';
import { readPolicyMemory, rememberPolicy, resolveSettings } from '../../lib/settings/policy';
import { settingsSchema } from '../../lib/settings/schema';
import { badgeText, visibleTools } from '../../lib/views';
import {
  forgetRememberedMandates,
  readEffectiveSettings,
  readRememberedPolicy,
  startEffectiveSettings,
  watchSettingsSources,
} from '../../platform/settings-store';

/**
 * A tool mandated by the last policy seen is never "may be switched off"
 * merely because the policy vanished. The remembered policy is used at once
 * at start; storage.managed's answer re-decides.
 */

const MANDATE = { toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' };
const POLICY = { allowList: [MANDATE] };

afterEach(() => vi.restoreAllMocks());

function verdictOf(effective: ReturnType<typeof resolveSettings>) {
  const tab = withFrameReport(emptyTab(), 0, [
    {
      toolId: 'scriptswitch',
      signatureIds: ['scriptswitch-modal'],
      confidence: 'high',
      count: 1,
      evidenceKinds: ['brand'],
    },
  ]);
  const view = bannerView(
    tab,
    effective.settings,
    toolDirectory(builtInTools, effective.settings),
    undefined,
    0,
    effective.unconfirmedMandates,
  );
  return { verdict: view.tools[0]?.verdict, badge: badgeText(view), visible: visibleTools(view).length };
}

describe('remembered mandates (pure)', () => {
  it('a policy that vanishes leaves its mandate unconfirmed: not flagged, no badge, no banner', () => {
    const memory = rememberPolicy(undefined, POLICY, 1);
    const gone = rememberPolicy(memory, {}, 2);
    expect(gone.mandates).toEqual([MANDATE]);
    const effective = resolveSettings(settingsSchema.parse({}), {}, gone);
    expect(effective.unconfirmedMandates).toEqual([MANDATE]);
    expect(verdictOf(effective)).toEqual({ verdict: 'unconfirmed', badge: '', visible: 0 });
  });

  it('an unreadable allow-list (refused whole) also leaves the mandate unconfirmed', () => {
    const memory = rememberPolicy(rememberPolicy(undefined, POLICY, 1), { allowList: 'scriptswitch' }, 2);
    const effective = resolveSettings(settingsSchema.parse({}), { allowList: 'scriptswitch' }, memory);
    expect(verdictOf(effective).verdict).toBe('unconfirmed');
  });

  it('a new policy that sets an allow-list decides: a tool it leaves out is flagged', () => {
    const memory = rememberPolicy(rememberPolicy(undefined, POLICY, 1), { allowList: [] }, 2);
    expect(memory.mandates).toEqual([]);
    const effective = resolveSettings(settingsSchema.parse({}), { allowList: [] }, memory);
    expect(verdictOf(effective)).toEqual({ verdict: 'flagged', badge: '1', visible: 1 });
  });

  it('the practice allow-listing the tool confirms it; without any memory the tool is flagged', () => {
    const memory = rememberPolicy(rememberPolicy(undefined, POLICY, 1), {}, 2);
    const local = { ...settingsSchema.parse({}), allowList: [{ toolId: 'scriptswitch' }] };
    expect(verdictOf(resolveSettings(local, {}, memory)).verdict).toBe('mandated');
    expect(verdictOf(resolveSettings(settingsSchema.parse({}), {})).verdict).toBe('flagged');
  });

  it('remembers settings keys only, and reads a malformed memory as none', () => {
    expect(rememberPolicy(undefined, { ...POLICY, nhsNumber: '943 476 5919' }, 1).raw).toEqual(POLICY);
    for (const bad of [null, 'x', { raw: 1, readAt: 1 }, { raw: {}, readAt: 'now' }])
      expect(readPolicyMemory(bad)).toBeUndefined();
  });
});

describe('start-up without the storage.managed wait (fakeBrowser)', () => {
  it('no policy ever read: waits for storage.managed, then remembers it', async () => {
    let answer: (v: Record<string, unknown>) => void = () => undefined;
    const managedGet = vi.spyOn(fakeBrowser.storage.managed, 'get').mockReturnValue(
      new Promise((r) => {
        answer = r;
      }) as never,
    );
    let settled = false;
    const started = startEffectiveSettings(() => undefined).then((e) => {
      settled = true;
      return e;
    });
    // Asked, and every task queued meanwhile run: still waiting for the answer.
    await vi.waitFor(() => expect(managedGet).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    answer(POLICY);
    expect((await started).settings.allowList).toEqual([MANDATE]);
    expect((await readRememberedPolicy())?.raw).toEqual(POLICY);
  });

  it('a policy read before: used at once; a fresh answer that differs calls onFresh', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await readEffectiveSettings();
    vi.restoreAllMocks();
    let answer: (v: Record<string, unknown>) => void = () => undefined;
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockReturnValue(
      new Promise((r) => {
        answer = r;
      }) as never,
    );
    const onFresh = vi.fn();
    const effective = await startEffectiveSettings(onFresh);
    expect(effective.policyFromMemory).toBe(true);
    expect(effective.settings.allowList).toEqual([MANDATE]);
    expect(effective.locked).toEqual(['allowList']);
    answer({ allowList: [] });
    await vi.waitFor(() => expect(onFresh).toHaveBeenCalledTimes(1));
    expect((await readRememberedPolicy())?.mandates).toEqual([]);
  });

  it('a fresh answer equal to the memory changes nothing', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await readEffectiveSettings();
    const readBefore = (await readRememberedPolicy())?.readAt;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 });
    const onFresh = vi.fn();
    await startEffectiveSettings(onFresh);
    // The fresh answer is compared and remembered (a new read time) before onFresh would be called.
    await vi.waitFor(async () => expect((await readRememberedPolicy())?.readAt).not.toBe(readBefore));
    await new Promise((r) => setTimeout(r, 0));
    vi.useRealTimers();
    expect(onFresh).not.toHaveBeenCalled();
  });

  it('the options page forgetting the mandates is a settings change (verdicts re-decided)', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await readEffectiveSettings();
    await fakeBrowser.storage.managed.clear();
    const onChange = vi.fn();
    const stop = watchSettingsSources(onChange);
    expect((await readEffectiveSettings()).unconfirmedMandates).toEqual([MANDATE]);
    onChange.mockClear();
    await forgetRememberedMandates();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect((await readEffectiveSettings()).unconfirmedMandates).toEqual([]);
    stop();
  });
});
