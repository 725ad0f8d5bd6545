/**
 * Runs `callback` once the page's next layout is done, before that frame is painted: box
 * and style reads then find the page laid out and force no layout or style recalculation
 * of their own. A resize observer reports an element's first observation in the
 * rendering step after layout. A hidden tab renders nothing: the callback waits until it
 * is shown. Returns a cancel function.
 */
export function afterNextLayout(callback: () => void, doc: Document = document): () => void {
  let done = false;
  const observer = new ResizeObserver(() => {
    observer.disconnect();
    if (done) return;
    done = true;
    callback();
  });
  observer.observe(doc.documentElement);
  return () => {
    done = true;
    observer.disconnect();
  };
}
