import { useId, useRef } from 'react';
import { Section } from './ui';

interface Props {
  onImportFile(file: File): void;
  onExport(): void;
  dirty: boolean;
}

/**
 * One JSON file in and out. The export is the policy format: an IT lead configures one
 * machine, exports, and pushes the file's contents by policy to every machine.
 */
export function ImportExportSection({ onImportFile, onExport, dirty }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <Section
      field="import"
      title="Import and export"
      description={
        <p>
          The exported file uses the same keys as your organisation's policy (see the admin guide), so an IT
          lead can set up one machine, export, and push the file to every machine. Importing replaces these
          settings with the file's, and only if the whole file is valid: a file with any problem changes
          nothing.
        </p>
      }
    >
      <div className="mo-form-group">
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
            if (file) onImportFile(file);
            // Let the same file be chosen again after it is fixed.
            if (input.current) input.current.value = '';
          }}
        />
      </div>
      <button type="button" className="mo-button mo-button--secondary" onClick={onExport}>
        Export settings
      </button>
      {dirty ? (
        <p className="mo-hint">The export holds your saved settings: save your changes first.</p>
      ) : null}
    </Section>
  );
}
