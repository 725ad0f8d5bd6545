/** The picker's styles, inside its own shadow root: nothing leaks into the page. */
export const PICKER_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #212b32; }
.layer { position: fixed; inset: 0; z-index: 2147483645; background: transparent; cursor: crosshair; outline: none; }
.layer:focus-visible { box-shadow: inset 0 0 0 4px #ffeb3b; }
.outline { position: fixed; z-index: 2147483646; pointer-events: none; border: 3px solid #005eb8; outline: 3px solid #ffeb3b; background: rgba(0, 94, 184, 0.08); border-radius: 2px; }
.outline.chosen { border-color: #007f3b; }
.help { position: fixed; z-index: 2147483647; left: 16px; bottom: 16px; max-width: 520px; background: #fff; border: 1px solid #768692; border-left: 6px solid #005eb8; padding: 10px 12px; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
.help button { margin-left: 8px; }
.review { position: fixed; z-index: 2147483647; right: 16px; top: 16px; width: min(460px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto; background: #fff; border: 1px solid #768692; border-top: 6px solid #005eb8; padding: 12px 16px; box-shadow: 0 6px 24px rgba(0,0,0,.25); }
.review h2 { font-size: 18px; margin: 0 0 8px; }
fieldset { border: 1px solid #d8dde0; margin: 0 0 10px; padding: 8px 10px; }
legend { font-weight: 600; padding: 0 4px; }
label { display: block; margin: 4px 0; }
.hint { display: block; color: #4c6272; font-size: 12.5px; }
.warnings li { color: #7a4d00; }
.warnings li.blocking, .problems li { color: #d5281b; }
.done { background: #e6f4ea; border-left: 4px solid #007f3b; padding: 6px 10px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; justify-content: flex-end; margin-top: 10px; }
button { font: inherit; padding: 5px 12px; border: 1px solid #768692; border-radius: 4px; background: #fff; color: #212b32; cursor: pointer; }
button.primary { background: #007f3b; border-color: #007f3b; color: #fff; }
button:disabled { opacity: .5; cursor: not-allowed; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #ffeb3b; box-shadow: 0 0 0 5px #212b32; }
`;
