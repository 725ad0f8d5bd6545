import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { ImportMode, SettingsChange } from '../../lib/settings/import';
import { describeField, Section } from './ui';

interface Props {
  onImportFile(file: File, mode: ImportMode): void;
  onExport(): void;
  dirty: boolean;
  /** The preview of a file being imported, or the undo button after one. */
  children?: ReactNode;
}

/**
 * One JSON file in and out. The export is the policy format: an IT lead configures one
 * machine, exports, and pushes the file's contents by policy to every machine. An
 * import changes only the keys the file holds, unless "replace all settings" is chosen.
 */
export function ImportExportSection({ onImportFile, onExport, dirty, children }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [replaceAll, setReplaceAll] = useState(false);
  return (
    <Section
      field="import"
      title="Import and export"
      description={
        <p>
          The exported file uses the same keys as your organisation's policy (see the admin guide), so an IT
          lead can set up one machine, export, and push the file to every machine. An import changes only the
          settings the file holds; you see every change and confirm it first, and can undo it after. A file
          with any problem changes nothing.
        </p>
      }
    >
      <div className="mo-form-group">
        <div className="mo-checkboxes__item">
          <input
            id={`${id}-replace`}
            className="mo-checkboxes__input"
            type="checkbox"
            checked={replaceAll}
            onChange={(e) => setReplaceAll(e.target.checked)}
            aria-describedby={`${id}-replace-hint`}
          />
          <label className="mo-label mo-checkboxes__label" htmlFor={`${id}-replace`}>
            Replace all settings
          </label>
          <div className="mo-hint" id={`${id}-replace-hint`}>
            Settings the file does not hold go back to their defaults (hosts, allow-list, LMC link…).
          </div>
        </div>
        <label className="mo-label" htmlFor={`${id}-file`}>
          Import settings from a file
        </label>
        <div className="mo-hint" id={`${id}-file-hint`}>
          A .json file exported from this page{dirty ? '; your unsaved changes will be replaced' : ''}
        </div>
        <input
          ref={input}
          id={`${id}-file`}
          className="mo-file-upload"
          type="file"
          accept=".json,application/json"
          aria-describedby={`${id}-file-hint`}
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onImportFile(file, replaceAll ? 'replace' : 'merge');
            // Let the same file be chosen again after it is fixed.
            if (input.current) input.current.value = '';
          }}
        />
      </div>
      {children}
      <button type="button" className="mo-button mo-button--secondary" onClick={onExport}>
        Export saved settings
      </button>
      <p className="mo-hint">
        The export holds your saved settings{dirty ? ', not your unsaved changes: save them first' : ''}.
      </p>
    </Section>
  );
}

const KIND_WORDS: Record<SettingsChange['kind'], string> = {
  added: 'Added',
  changed: 'Changed',
  removed: 'Removed',
};

interface PreviewProps {
  fileName: string;
  mode: ImportMode;
  changes: SettingsChange[];
  onConfirm(): void;
  onCancel(): void;
}

/** Every change an import would make, to confirm before anything is written. Takes focus where the user is. */
export function ImportPreview({ fileName, mode, changes, onConfirm, onCancel }: PreviewProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="mo-callout" data-testid="import-preview" aria-labelledby="import-preview-title">
      <h3 className="mo-callout__title" id="import-preview-title" ref={heading} tabIndex={-1}>
        Import {fileName}? {changes.length} {changes.length === 1 ? 'change' : 'changes'}
        {mode === 'replace' ? ' (replacing all settings)' : ''}
      </h3>
      <ul className="mo-change-list">
        {changes.map((c) => (
          <li key={`${c.kind}:${c.field}:${c.item}`} data-change={c.kind}>
            <strong>{KIND_WORDS[c.kind]}</strong> {describeField(c.field)}
            {c.item ? (
              <>
                : <code>{c.item}</code>
              </>
            ) : null}
            {c.kind === 'changed' ? (
              <>
                {' '}
                (<code>{c.before}</code> → <code>{c.after}</code>)
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="mo-button-group">
        <button type="button" className="mo-button" onClick={onConfirm}>
          Import and save these changes
        </button>
        <button type="button" className="mo-button mo-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
