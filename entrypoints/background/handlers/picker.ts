import type { PracticeSignatures } from '../../../lib/messages';
import type { Settings } from '../../../lib/settings/schema';
import type { WriteResult } from '../../../platform/settings-store';
import type { FrameHandlers } from './types';

export interface PickerDeps {
  readLocalSettings(): Promise<Settings>;
  writeLocalSettings(next: Settings): Promise<WriteResult>;
}

const practiceSignatures = ({ customTools, customSignatures }: Settings): PracticeSignatures => ({
  customTools,
  customSignatures,
});

/**
 * Requests from the picker ("identify a prompt on this page"). Saving writes local
 * settings here, validated as a whole; the settings change then reaches every frame's
 * detector like any other (storage.onChanged → reload).
 */
export function pickerHandlers(
  deps: PickerDeps,
): FrameHandlers<'picker/get-signatures' | 'picker/add-signature'> {
  return {
    'picker/get-signatures': async () => practiceSignatures(await deps.readLocalSettings()),
    async 'picker/add-signature'({ signature, newTool }) {
      const current = await deps.readLocalSettings();
      const customTools =
        newTool && !current.customTools.some((t) => t.id === newTool.id)
          ? [...current.customTools, newTool]
          : current.customTools;
      const result = await deps.writeLocalSettings({
        ...current,
        customTools,
        customSignatures: [...current.customSignatures, signature],
      });
      return result.ok
        ? { ok: true, saved: practiceSignatures(result.settings) }
        : { ok: false, problems: result.problems };
    },
  };
}
