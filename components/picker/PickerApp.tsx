import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { containerOf } from '../../lib/content/detect/scan';
import { PICKER_LABEL } from '../../lib/dom-vocabulary';
import { candidateContainers, describeCandidate, pageElementAt } from './candidates';
import { Review } from './Review';
import type { PickerStore } from './store';

export interface PickerAppProps {
  doc: Document;
  /** The picker's shadow host: never a candidate, looked through when hit-testing. */
  host: Element;
  store: PickerStore;
  /** Removes the picker and everything it added. */
  onClose(): void;
  /** Hit-testing under the overlay; injectable for tests (happy-dom has no layout). */
  elementAt?: (x: number, y: number) => Element | undefined;
  download?: (fileName: string, json: string) => void;
  /** Whether an event came from the user (trusted); tests, which cannot make trusted events, replace it. */
  isUserEvent?: (event: Event) => boolean;
}

interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

function boxOf(el: Element): Box {
  const r = el.getBoundingClientRect();
  return { top: r.top, left: r.left, width: r.width, height: r.height };
}

/**
 * The overlay picker. A transparent layer over the whole page catches the pointer, so
 * the page's own controls are never clicked while picking; the candidate is outlined
 * by a box drawn in the overlay (page elements are never restyled).
 */
export function PickerApp({
  doc,
  host,
  store,
  onClose,
  elementAt,
  download,
  isUserEvent = (event: Event) => event.isTrusted,
}: PickerAppProps) {
  const [target, setTarget] = useState<Element | undefined>();
  const [chosen, setChosen] = useState<Element | undefined>();
  const [, setTick] = useState(0);
  const layer = useRef<HTMLDivElement>(null);
  const candidates = useMemo(() => candidateContainers(doc, host), [doc, host]);
  const hitTest = useCallback(
    (x: number, y: number) => (elementAt ? elementAt(x, y) : pageElementAt(doc, x, y, host)),
    [elementAt, doc, host],
  );

  useEffect(() => {
    if (!chosen) layer.current?.focus();
  }, [chosen]);

  // Keep the outline on its element while the page scrolls or resizes.
  useEffect(() => {
    const view = doc.defaultView;
    if (!view) return;
    const redraw = () => setTick((t) => t + 1);
    view.addEventListener('scroll', redraw, true);
    view.addEventListener('resize', redraw);
    return () => {
      view.removeEventListener('scroll', redraw, true);
      view.removeEventListener('resize', redraw);
    };
  }, [doc]);

  // Escape leaves from anywhere, including the review step.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      // A page's forged Escape does not close the picker under the user.
      if (e.key === 'Escape' && isUserEvent(e)) {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }
    };
    doc.addEventListener('keydown', onKey, true);
    return () => doc.removeEventListener('keydown', onKey, true);
  }, [doc, onClose, isUserEvent]);

  const containerAt = (x: number, y: number) => {
    const el = hitTest(x, y);
    return el ? containerOf(el).container : undefined;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => setTarget(containerAt(e.clientX, e.clientY));
  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const el = containerAt(e.clientX, e.clientY);
    if (el) setChosen(el);
  };

  const step = (delta: number) => {
    if (candidates.length === 0) return;
    const index = target ? candidates.indexOf(target) : -1;
    const next = candidates[(index + delta + candidates.length) % candidates.length] ?? candidates[0];
    next?.scrollIntoView?.({ block: 'nearest' });
    setTarget(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Tab' || e.key === 'ArrowDown' || e.key === 'ArrowRight') {
      e.preventDefault();
      step(e.key === 'Tab' && e.shiftKey ? -1 : 1);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') {
      e.preventDefault();
      step(-1);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (target) setChosen(target);
    }
  };

  if (chosen) {
    const box = boxOf(chosen);
    return (
      <>
        <div className="outline chosen" style={box} aria-hidden="true" />
        <Review
          element={chosen}
          store={store}
          onBack={() => setChosen(undefined)}
          onClose={onClose}
          download={download}
        />
      </>
    );
  }

  const box = target ? boxOf(target) : undefined;
  return (
    <>
      <div
        ref={layer}
        className="layer"
        role="application"
        // Focused on start; it captures Tab itself, so it need not sit in the tab order.
        tabIndex={-1}
        aria-label={PICKER_LABEL}
        aria-describedby="mo-picker-help"
        data-testid="picker-layer"
        onPointerMove={onPointerMove}
        onClick={onClick}
        onKeyDown={onKeyDown}
      />
      {box ? <div className="outline" style={box} aria-hidden="true" data-testid="picker-outline" /> : null}
      <div className="help" id="mo-picker-help" role="status">
        <strong>Identify a prompt.</strong> Point at the prompt and click, or press Tab / arrow keys to move
        between boxes and Enter to choose. Escape leaves. Nothing on the page is clicked while you pick.
        <span className="current">{target ? ` Now: ${describeCandidate(target)}.` : ''}</span>
        <button type="button" onClick={onClose}>
          Leave
        </button>
      </div>
    </>
  );
}
