import type { Signature } from '../../lib/catalogue/schema';
import type { PracticeSignatures, SaveSignatureResult } from '../../lib/messages';
import type { CustomTool } from '../../lib/settings/schema';

/** What the review step asks of the background (picker/* messages), so it can be tested with a fake. */
export interface PickerStore {
  /** The practice's own tools and signatures. */
  read(): Promise<PracticeSignatures>;
  /** Saves one new signature, and `newTool` if the user named a tool not yet listed. */
  addSignature(signature: Signature, newTool?: CustomTool): Promise<SaveSignatureResult>;
}
