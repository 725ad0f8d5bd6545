import type { BackgroundRequest, BackgroundToContent, ReplyTo } from './messages';

/**
 * The sending and listening side of lib/messages.ts for the contexts that talk to the
 * background. No zod here (only types from messages.ts): the detector and banner
 * bundles, injected into clinical pages, stay free of schema code.
 */

/**
 * A typed request to the background over `send` (runtime.sendMessage). The answer is
 * typed, not parsed: only the extension's own background answers runtime messages (a
 * page cannot), and it answers each request with BackgroundReplies[type]. Undefined
 * when nobody answered (the service worker was restarting, the extension reloaded).
 */
export async function requestBackground<M extends BackgroundRequest>(
  send: (message: M) => Promise<unknown>,
  message: M,
): Promise<ReplyTo<M> | undefined> {
  return (await send(message)) as ReplyTo<M> | undefined;
}

/**
 * The push of `type`, if `message` is one. A content script's runtime.onMessage hears
 * only the extension itself (never the page), so the type field is all there is to check.
 */
export function pushOf<T extends BackgroundToContent['type']>(
  message: unknown,
  type: T,
): Extract<BackgroundToContent, { type: T }> | undefined {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type
    ? (message as Extract<BackgroundToContent, { type: T }>)
    : undefined;
}
