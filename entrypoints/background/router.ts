import { hostOf } from '../../lib/match-pattern';
import {
  type BackgroundRequest,
  contentToBackgroundSchema,
  pickerToBackgroundSchema,
  popupToBackgroundSchema,
} from '../../lib/messages';
import type { FrameSender, RouterHandlers } from './handlers/types';

/** The fields of runtime.onMessage's sender the router reads. */
export interface MessageSender {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

/**
 * The one door into the background: a listener for runtime.onMessage. Only this
 * extension's own contexts are heard (a page cannot send runtime messages; another
 * extension is turned away by id). Content scripts (a tab's frames) and extension
 * pages (the popup, also when opened in a tab) have separate sets of requests; each
 * request is parsed with its zod schema, and anything that fails is ignored unanswered.
 */
export function createRouter(handlers: RouterHandlers, extension: { id: string; baseUrl: string }) {
  return (raw: unknown, sender: MessageSender): Promise<unknown> | undefined => {
    if (sender.id !== extension.id) return undefined;
    // An extension page is never a content script, even when it sits in a tab.
    const fromExtensionPage = sender.url?.startsWith(extension.baseUrl) ?? false;
    const tabId = fromExtensionPage ? undefined : sender.tab?.id;
    if (tabId !== undefined) {
      const from: FrameSender = { tabId, frameId: sender.frameId ?? 0, frameHost: hostOf(sender.url) ?? '' };
      const content = contentToBackgroundSchema.safeParse(raw);
      if (content.success) return dispatch(handlers.content, content.data, from);
      // The picker runs in a tab's top frame only.
      if (from.frameId !== 0) return undefined;
      const picker = pickerToBackgroundSchema.safeParse(raw);
      return picker.success ? dispatch(handlers.picker, picker.data, from) : undefined;
    }
    const popup = popupToBackgroundSchema.safeParse(raw);
    return popup.success ? dispatch(handlers.popup, popup.data, undefined) : undefined;
  };
}

/** Calls the handler for `message.type`; the handler tables' types pair each type with its message. */
function dispatch<M extends BackgroundRequest, From>(
  table: { [K in M['type']]: (message: never, from: From) => Promise<unknown> },
  message: M,
  from: From,
): Promise<unknown> {
  const handler = table[message.type as M['type']] as (message: M, from: From) => Promise<unknown>;
  return handler(message, from);
}
