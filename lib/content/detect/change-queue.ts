import { PROMPT_CONTAINER_ATTRIBUTES } from '../../dom-vocabulary';

/**
 * What the page changed since the last batch: MutationRecords in, the elements a batch
 * must look at out. The observer's callback only keeps its records; they are read when
 * their batch runs. Nothing here matches evidence.
 */

/**
 * Attributes whose change can turn an element into (or out of) a prompt-like container; a
 * dialog opened or closed is searched afresh too.
 */
const CONTAINER_ATTRIBUTES = new Set([...PROMPT_CONTAINER_ATTRIBUTES, 'open']);

/** Attributes watched only because they show or hide things (never evidence). */
const VISIBILITY_ONLY = new Set(['style', 'hidden', 'inert', 'popover']);

/** What the queue asks of the watcher's findings while it reads. */
export interface ChangeQueueContext {
  /** Removals matter only while something is found (it may have left). */
  watchRemovals(): boolean;
  /** Whether a style, class or hidden change on `target` can show or hide a prompt found. */
  mayShowOrHide(target: Element): boolean;
}

export interface ChangeQueue {
  /** Keeps an observer callback's records, unread. */
  keepRecords(records: MutationRecord[]): void;
  /** Reads the kept records into the pending elements below. */
  readRecords(): void;
  /** Inserted elements, to search. */
  readonly added: Element[];
  /** Elements whose text changed (or lost children). */
  readonly text: Set<Element>;
  /** Elements whose watched attributes changed. */
  readonly attributes: Set<Element>;
  /** Elements whose role, label or modality changed: they may have become a prompt's container. */
  readonly containers: Set<Element>;
  /** Something was removed while a prompt was found. */
  removals: boolean;
  /** Something may have shown or hidden a prompt found (also set by events and the box watch). */
  visibilityChanged: boolean;
  /** Anything left to read or look at. */
  hasPending(): boolean;
  /** Forgets everything pending (the records hold the page's nodes). */
  clear(): void;
}

export function createChangeQueue(context: ChangeQueueContext): ChangeQueue {
  /** The observer's records, read when their batch runs. */
  const keptRecords: MutationRecord[][] = [];
  const queue: ChangeQueue = {
    added: [],
    text: new Set(),
    attributes: new Set(),
    containers: new Set(),
    removals: false,
    visibilityChanged: false,
    // Keeps the records, unread: this runs for every burst of changes the page makes, and
    // in the extension's world the first DOM reads of a callback cost tens of microseconds;
    // the batch reads them once it has paid that anyway.
    keepRecords(records) {
      keptRecords.push(records);
    },
    readRecords() {
      for (let k = 0; k < keptRecords.length; k++) read(keptRecords[k] as MutationRecord[]);
      keptRecords.length = 0;
    },
    hasPending() {
      return (
        keptRecords.length > 0 ||
        queue.added.length > 0 ||
        queue.text.size > 0 ||
        queue.attributes.size > 0 ||
        queue.containers.size > 0
      );
    },
    clear() {
      keptRecords.length = 0;
      queue.added.length = 0;
      queue.text.clear();
      queue.attributes.clear();
      queue.containers.clear();
      queue.removals = false;
    },
  };

  /** Notes what the records changed; matching comes after. Indexed loops, fewest reads. */
  function read(records: MutationRecord[]): void {
    const watchRemovals = context.watchRemovals();
    for (let r = 0; r < records.length; r++) {
      const record = records[r] as MutationRecord;
      const type = record.type;
      if (type === 'childList') {
        const added = record.addedNodes;
        let text = false;
        for (let i = 0; i < added.length; i++) {
          const node = added[i] as Node;
          const nodeType = node.nodeType;
          if (nodeType === 1) queue.added.push(node as Element);
          else if (nodeType === 3) text = true;
        }
        // A childList record with nothing added removed something: its removed nodes
        // (one more list to read) are asked only when it also added some.
        if (watchRemovals && (added.length === 0 || record.removedNodes.length > 0)) {
          queue.removals = true;
          // Removed text or controls can take evidence away from a prompt still shown.
          text = true;
        }
        if (text) {
          const target = record.target;
          if (target.nodeType === 1) queue.text.add(target as Element);
        }
      } else if (type === 'characterData') {
        const parent = record.target.parentElement;
        if (parent) queue.text.add(parent);
      } else {
        const name = record.attributeName ?? '';
        const target = record.target as Element;
        if (name === 'aria-hidden') {
          // Changes the text of the label it sits in (read without its aria-hidden parts).
          queue.text.add(target);
          continue;
        }
        if (VISIBILITY_ONLY.has(name)) {
          if (!queue.visibilityChanged && context.mayShowOrHide(target)) queue.visibilityChanged = true;
          continue;
        }
        if (
          name === 'open' ||
          (name === 'class' && !queue.visibilityChanged && context.mayShowOrHide(target))
        )
          queue.visibilityChanged = true;
        queue.attributes.add(target);
        if (CONTAINER_ATTRIBUTES.has(name)) queue.containers.add(target);
      }
    }
  }

  return queue;
}
