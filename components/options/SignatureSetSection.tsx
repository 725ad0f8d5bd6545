import { useEffect, useId, useRef, useState } from 'react';
import type { Settings } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';
import {
  applySignatureSetMerge,
  exportSignatureSet,
  parseSignatureSet,
  planSignatureSetMerge,
  type SignatureSet,
  type SignatureSetPlan,
  signatureSetFileName,
  signatureSetJson,
} from '../../lib/signature-set';
import { Section } from './ui';

interface Props {
  /** The saved settings: what is exported and what an import merges into. */
  saved: Settings;
  locked: boolean;
  download(filename: string, text: string): void;
  /** Saves merged settings; resolves to false when refused. */
  onSave(next: Settings, message: string): Promise<boolean>;
  onProblems(fileName: string, problems: FieldProblem[]): void;
}

interface Pending {
  fileName: string;
  set: SignatureSet;
  plan: SignatureSetPlan;
}

/**
 * Sharing what a practice taught: export the saved custom signatures as a set, or import
 * another practice's set. An import is validated like everything else, previewed, and
 * merged by id; a signature or tool that exists here with other content is kept unless
 * the user confirms the file's version should replace it.
 */
export function SignatureSetSection({ saved, locked, download, onSave, onProblems }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [pending, setPending] = useState<Pending>();
  const [replace, setReplace] = useState(false);
  useEffect(() => {
    if (pending) heading.current?.focus();
  }, [pending]);

  async function choose(file: File) {
    setPending(undefined);
    setReplace(false);
    const parsed = parseSignatureSet(await file.text());
    if (!parsed.ok) {
      onProblems(file.name, parsed.problems);
      return;
    }
    setPending({ fileName: file.name, set: parsed.set, plan: planSignatureSetMerge(saved, parsed.set) });
  }

  async function confirm() {
    if (!pending) return;
    const next = applySignatureSetMerge(saved, pending.set, { replaceConflicts: replace });
    const added = pending.plan.added.signatures.length;
    const replaced = replace ? pending.plan.conflicts.signatures.length : 0;
    const ok = await onSave(
      next,
      `Imported the signature set ${pending.fileName}: ${added} added${replaced ? `, ${replaced} replaced` : ''}, saved.`,
    );
    if (ok) setPending(undefined);
  }

  const { plan } = pending ?? {};
  const conflicts = plan ? plan.conflicts.signatures.length + plan.conflicts.tools.length : 0;
  const changes = plan
    ? plan.added.signatures.length + plan.added.tools.length + (replace ? conflicts : 0)
    : 0;
  return (
    <Section
      field="signatureSets"
      title="Share signatures with another practice"
      locked={locked}
      description={
        <p>
          Export this practice's saved custom signatures (with the tool names they use) as a signature set, or
          import a set another practice exported. An import shows what it adds first; nothing of yours is
          replaced unless you choose so.
        </p>
      }
    >
      <button
        type="button"
        className="mo-button mo-button--secondary"
        disabled={saved.customSignatures.length === 0}
        onClick={() =>
          download(
            signatureSetFileName(),
            signatureSetJson(exportSignatureSet(saved.customSignatures, saved.customTools)),
          )
        }
      >
        Export signature set
      </button>
      {locked ? null : (
        <div className="mo-form-group">
          <label className="mo-label" htmlFor={`${id}-file`}>
            Import a signature set
          </label>
          <input
            ref={input}
            id={`${id}-file`}
            className="mo-file-upload"
            type="file"
            accept=".json,application/json"
            data-testid="import-signature-set"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void choose(file);
              if (input.current) input.current.value = '';
            }}
          />
        </div>
      )}
      {pending && plan ? (
        <section className="mo-callout" data-testid="signature-set-preview" aria-labelledby={`${id}-preview`}>
          <h3 className="mo-callout__title" id={`${id}-preview`} ref={heading} tabIndex={-1}>
            {pending.fileName}: {pending.set.customSignatures.length} signature
            {pending.set.customSignatures.length === 1 ? '' : 's'}
          </h3>
          <ul className="mo-change-list">
            {pending.set.customSignatures.map((s) => {
              const status = plan.added.signatures.includes(s.id)
                ? 'new'
                : plan.identical.signatures.includes(s.id)
                  ? 'already here'
                  : 'already here with other content';
              return (
                <li key={s.id} data-signature={s.id} data-status={status}>
                  <code>{s.id}</code> (tool <code>{s.toolId}</code>): {s.description} —{' '}
                  <strong>{status}</strong>
                </li>
              );
            })}
          </ul>
          {conflicts > 0 ? (
            <div className="mo-checkboxes__item">
              <input
                id={`${id}-replace`}
                className="mo-checkboxes__input"
                type="checkbox"
                checked={replace}
                onChange={(e) => setReplace(e.target.checked)}
              />
              <label className="mo-label mo-checkboxes__label" htmlFor={`${id}-replace`}>
                Replace this practice's {conflicts} conflicting {conflicts === 1 ? 'item' : 'items'} with the
                file's version
              </label>
            </div>
          ) : null}
          <div className="mo-button-group">
            <button
              type="button"
              className="mo-button"
              disabled={changes === 0}
              onClick={() => void confirm()}
            >
              {changes === 0
                ? 'Nothing to add'
                : `Add ${changes} ${changes === 1 ? 'item' : 'items'} and save`}
            </button>
            <button
              type="button"
              className="mo-button mo-button--secondary"
              onClick={() => setPending(undefined)}
            >
              Cancel
            </button>
          </div>
        </section>
      ) : null}
    </Section>
  );
}
