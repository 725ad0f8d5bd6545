import type {
  BackgroundReplies,
  ContentToBackground,
  PickerToBackground,
  PopupToBackground,
  RequestOf,
  RequestType,
} from '../../../lib/messages';
import type { EffectiveSettings } from '../../../lib/settings/validate';

/** Where a content script's request came from: the browser says so, the page cannot forge it. */
export interface FrameSender {
  tabId: number;
  frameId: number;
  /** The frame's host, for the options page's "paused on" note; never stored with findings. */
  frameHost: string;
}

/** Answers one request type with its reply type (lib/messages.ts, BackgroundReplies). */
export type Handler<T extends RequestType, From> = (
  message: RequestOf<T>,
  from: From,
) => Promise<BackgroundReplies[T]>;

export type FrameHandlers<T extends RequestType> = { [K in T]: Handler<K, FrameSender> };
export type PageHandlers<T extends RequestType> = { [K in T]: Handler<K, undefined> };

/** One handler per request, by who may send it. */
export interface RouterHandlers {
  /** The detector (every frame) and the banner (top frame). */
  content: FrameHandlers<ContentToBackground['type']>;
  /** The picker (top frame). */
  picker: FrameHandlers<PickerToBackground['type']>;
  /** The popup and other extension pages. */
  popup: PageHandlers<PopupToBackground['type']>;
}

/** The settings in force: loaded before any verdict (every handler awaits them). */
export type SettingsSource = () => Promise<EffectiveSettings>;
