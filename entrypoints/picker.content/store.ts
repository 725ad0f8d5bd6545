import type { PickerStore } from '../../components/picker/store';
import { requestBackground } from '../../lib/message-client';
import { addSignatureRequestSchema, type PickerToBackground } from '../../lib/messages';
import { describeIssues } from '../../lib/settings/validate';

const NO_ANSWER = 'The extension did not answer: reload the page and try again.';

/**
 * The picker's store over the picker/* messages. A request is checked here with the
 * schema the background checks it with, so a refused signature is reported field by
 * field instead of going unanswered.
 */
export function messageStore(send: (message: PickerToBackground) => Promise<unknown>): PickerStore {
  return {
    async read() {
      const reply = await requestBackground(send, { type: 'picker/get-signatures' });
      if (!reply) throw new Error(NO_ANSWER);
      return reply;
    },
    async addSignature(signature, newTool) {
      const request = addSignatureRequestSchema.safeParse({
        type: 'picker/add-signature',
        signature,
        newTool,
      });
      if (!request.success) return { ok: false, problems: describeIssues(request.error, '') };
      const reply = await requestBackground(send, request.data);
      return reply ?? { ok: false, problems: [{ field: 'settings', reason: NO_ANSWER }] };
    },
  };
}
