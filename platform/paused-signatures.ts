import { storage } from '@wxt-dev/storage';
import { browser } from 'wxt/browser';

/**
 * Practice signatures a page's detector paused because they overran their time budget
 * (lib/content/detect/budget), for the options page: "paused on <host>: took too long". Session
 * storage (gone when the browser closes), signature ids and hosts only; cleared when the
 * settings change, since every page then recompiles its signatures with fresh budgets.
 */
export interface PausedSignature {
  signatureId: string;
  host: string;
}

const MAX_ENTRIES = 50;

export const pausedSignaturesItem = storage.defineItem<PausedSignature[]>('session:pausedSignatures', {
  fallback: [],
});

/** `list` with each of `ids` paused on `host` added once; newest kept when full. */
export function withPaused(
  list: readonly PausedSignature[],
  ids: readonly string[],
  host: string,
): PausedSignature[] {
  const fresh = ids
    .filter((id) => !list.some((p) => p.signatureId === id && p.host === host))
    .map((signatureId) => ({ signatureId, host }));
  return fresh.length === 0 ? [...list] : [...list, ...fresh].slice(-MAX_ENTRIES);
}

export async function recordPaused(ids: readonly string[], host: string): Promise<void> {
  if (ids.length === 0) return;
  const list = await pausedSignaturesItem.getValue();
  const next = withPaused(list, ids, host);
  if (next.length !== list.length) await pausedSignaturesItem.setValue(next);
}

export const readPaused = () => pausedSignaturesItem.getValue().catch(() => [] as PausedSignature[]);
export const clearPaused = () => pausedSignaturesItem.setValue([]).catch(() => undefined);

/** Calls back when the list changes (the options page re-reads it). Returns an unsubscribe. */
export function watchPaused(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'session' && 'pausedSignatures' in changes) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
