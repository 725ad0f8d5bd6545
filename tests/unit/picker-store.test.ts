import { describe, expect, it, vi } from 'vitest';
import { messageStore } from '../../entrypoints/picker.content/store';
import { builtInSignatures } from '../../lib/catalogue';
import type { PickerToBackground } from '../../lib/messages';

/** The picker's side of picker/*: what it sends, and what it makes of no answer. */

function customSignature() {
  const found = builtInSignatures.find((s) => s.toolId === 'scriptswitch');
  if (!found) throw new Error('the catalogue has no ScriptSwitch signature');
  return { ...found, id: 'custom-formulary-nudge', toolId: 'formulary-nudge' };
}

describe('picker store over messages', () => {
  it('sends the signature and new tool as one picker/add-signature request and returns the answer', async () => {
    const saved = { customTools: [], customSignatures: [] };
    const send = vi.fn(async (_message: PickerToBackground) => ({ ok: true, saved }));
    const tool = { id: 'formulary-nudge', name: 'Formulary Nudge' };
    const result = await messageStore(send).addSignature(customSignature(), tool);
    expect(send).toHaveBeenCalledExactlyOnceWith({
      type: 'picker/add-signature',
      signature: customSignature(),
      newTool: tool,
    });
    expect(result).toEqual({ ok: true, saved });
  });

  it('refuses a signature the background would ignore, field by field, without sending it', async () => {
    const send = vi.fn(async () => undefined);
    const result = await messageStore(send).addSignature({ ...customSignature(), id: 'Not An Id' });
    expect(send).not.toHaveBeenCalled();
    if (result.ok) expect.fail('an invalid signature was accepted');
    expect(result.problems.map((p) => p.field)).toEqual(['signature.id']);
  });

  it('says so when the background does not answer, and reading fails with the same words', async () => {
    const store = messageStore(async () => undefined);
    const result = await store.addSignature(customSignature());
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'settings', reason: expect.stringMatching(/did not answer/) }],
    });
    await expect(store.read()).rejects.toThrow(/did not answer/);
  });
});
