import type { Tally } from '../../lib/tally';
import { tallyStore } from '../../platform/tally-store';

/** What the tally panel needs from storage; a fake in tests. */
export interface TallyApi {
  read(retentionDays: number): Promise<Tally>;
  clear(): Promise<void>;
  /** Live updates while the page is open (the background writes as prompts appear). */
  watch?(callback: (tally: Tally) => void): () => void;
}

export function createBrowserTallyApi(): TallyApi {
  return {
    read: (retentionDays) => tallyStore.read({ retentionDays }),
    clear: () => tallyStore.clear(),
    watch: (callback) => tallyStore.watch(callback),
  };
}
