import type { Settings } from '../../lib/settings/schema';
import type { WriteResult } from '../../platform/settings-store';

/** What the review step needs from storage, so it can be tested with a fake. */
export interface PickerStore {
  read(): Promise<Settings>;
  write(next: Settings): Promise<WriteResult>;
}
