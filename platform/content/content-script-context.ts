import { browser } from 'wxt/browser';

/**
 * The extension's own lifecycle guard for its content scripts. The build resolves
 * `wxt/utils/content-script-context` here (alias in wxt.config.ts), so WXT's content
 * script entry constructs this class instead of its own, with the same API.
 *
 * Why not WXT's: it stops an older copy of a script when a `CustomEvent` named
 * `<extension id>:<script>:wxt:content-script-started` reaches `document`, announces
 * that name to the page with `window.postMessage`, and delivers `wxt:locationchange`
 * as a window event under a name the page can read from that message. A page could
 * therefore stop the detector and banner, and reset dismissals at will (issue 21.1;
 * see docs/browsers.md). Here nothing the page can see or dispatch is involved:
 *
 * - An older copy of the same script in this frame is found in a registry kept on the
 *   content script's own global (the extension's isolated world / sandbox, which the
 *   page cannot read or write), and stopped when a newer copy starts.
 * - A copy whose extension was reloaded, updated or removed notices within a second
 *   (its `runtime.id` is gone) and stops, cleaning up everything tied to it.
 * - Location changes are noticed by the script itself (trusted Navigation API events,
 *   else polling `location.href`) and delivered on a private EventTarget.
 * - Listeners added through `addEventListener` never see untrusted (page-made) events.
 */

const REGISTRY_KEY = Symbol.for('mo-prompt-advisor.content-script-contexts');
const LOCATION_CHANGE = 'wxt:locationchange';
/** How often an orphaned copy checks that its extension is still there. */
const ORPHAN_CHECK_MS = 1000;

type Registry = Map<string, ContentScriptContext>;

function registry(): Registry {
  const global = globalThis as { [REGISTRY_KEY]?: Registry };
  if (!global[REGISTRY_KEY]) {
    Object.defineProperty(globalThis, REGISTRY_KEY, { value: new Map(), enumerable: false });
  }
  return global[REGISTRY_KEY] as Registry;
}

function extensionAlive(): boolean {
  try {
    return browser.runtime?.id != null;
  } catch {
    return false;
  }
}

/** Fired on the context's private target when the frame's URL changes (SPA routing). */
export class LocationChangeEvent extends Event {
  constructor(
    readonly newUrl: URL,
    readonly oldUrl: URL,
  ) {
    super(LOCATION_CHANGE);
  }
}

type NavigationLike = EventTarget;

export class ContentScriptContext implements AbortController {
  private readonly abortController = new AbortController();
  /** Private: only this context dispatches on it, and the page holds no reference. */
  private readonly ownEvents = new EventTarget();
  private watchingLocation = false;

  constructor(
    contentScriptName: string,
    readonly options?: Record<string, unknown>,
  ) {
    const contexts = registry();
    contexts.get(contentScriptName)?.notifyInvalidated();
    contexts.set(contentScriptName, this);
    this.onInvalidated(() => {
      if (contexts.get(contentScriptName) === this) contexts.delete(contentScriptName);
    });
    const orphanCheck = setInterval(() => {
      if (!extensionAlive()) this.notifyInvalidated();
    }, ORPHAN_CHECK_MS);
    this.onInvalidated(() => clearInterval(orphanCheck));
  }

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  abort(reason?: unknown): void {
    this.abortController.abort(reason);
  }

  get isInvalid(): boolean {
    if (!extensionAlive()) this.notifyInvalidated();
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  onInvalidated(cb: () => void): () => void {
    this.signal.addEventListener('abort', cb);
    return () => this.signal.removeEventListener('abort', cb);
  }

  block<T>(): Promise<T> {
    return new Promise(() => undefined);
  }

  setInterval(handler: () => void, timeout?: number): number {
    const id = setInterval(() => {
      if (this.isValid) handler();
    }, timeout) as unknown as number;
    this.onInvalidated(() => clearInterval(id));
    return id;
  }

  setTimeout(handler: () => void, timeout?: number): number {
    const id = setTimeout(() => {
      if (this.isValid) handler();
    }, timeout) as unknown as number;
    this.onInvalidated(() => clearTimeout(id));
    return id;
  }

  requestAnimationFrame(callback: FrameRequestCallback): number {
    const id = requestAnimationFrame((time) => {
      if (this.isValid) callback(time);
    });
    this.onInvalidated(() => cancelAnimationFrame(id));
    return id;
  }

  requestIdleCallback(callback: IdleRequestCallback, options?: IdleRequestOptions): number {
    const id = requestIdleCallback((deadline) => {
      if (!this.signal.aborted) callback(deadline);
    }, options);
    this.onInvalidated(() => cancelIdleCallback(id));
    return id;
  }

  /**
   * Like `target.addEventListener`, removed when the context is invalidated, and never
   * called for an untrusted event: a page cannot fake a pagehide, resize or the like.
   * `wxt:locationchange` is this context's own event, not a window event.
   */
  addEventListener(
    target: EventTarget,
    type: string,
    handler: (event: Event) => void,
    options?: AddEventListenerOptions,
  ): void {
    if (type === LOCATION_CHANGE) {
      this.watchLocation();
      this.ownEvents.addEventListener(type, handler, { ...options, signal: this.signal });
      return;
    }
    target.addEventListener?.(
      type,
      (event) => {
        if (event.isTrusted) handler(event);
      },
      { ...options, signal: this.signal },
    );
  }

  notifyInvalidated(): void {
    if (!this.signal.aborted) this.abort('Content script context invalidated');
  }

  private watchLocation(): void {
    if (this.watchingLocation || this.signal.aborted) return;
    this.watchingLocation = true;
    let last = new URL(location.href);
    const check = () => {
      const now = new URL(location.href);
      if (now.href === last.href) return;
      const old = last;
      last = now;
      this.ownEvents.dispatchEvent(new LocationChangeEvent(now, old));
    };
    const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
    if (typeof navigation?.addEventListener === 'function') {
      // Fires after a same-document navigation commits; the URL is read, not taken from the event.
      navigation.addEventListener(
        'currententrychange',
        (event) => {
          if (event.isTrusted) check();
        },
        { signal: this.signal },
      );
    } else {
      this.setInterval(check, 1000);
    }
  }
}
