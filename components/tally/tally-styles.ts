/**
 * The tally panel's own pieces, in NHS design system colours; buttons, tables and
 * callouts use the options page's shared `mo-*` classes.
 */
export const TALLY_CSS = `
.mo-tally { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #212b32; }
.mo-tally__charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; margin: 16px 0; }
.mo-tally__figure { margin: 0; padding: 12px; border: 1px solid #d8dde0; background: #ffffff; }
.mo-tally__figcaption { font-weight: 700; margin-bottom: 8px; }
.mo-tally__chart { display: block; width: 100%; height: 80px; }
.mo-tally__bar { fill: #005eb8; }
.mo-tally__axis { stroke: #4c6272; stroke-width: 1; }
.mo-tally__range { display: flex; justify-content: space-between; margin: 4px 0 0; font-size: 14px; }
.mo-tally__totals { padding-left: 20px; }
.mo-tally__table { width: 100%; border-collapse: collapse; margin: 16px 0; }
.mo-tally__table caption { text-align: left; font-weight: 700; padding-bottom: 8px; }
.mo-tally__table th, .mo-tally__table td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d8dde0; }
.mo-tally__table tfoot th, .mo-tally__table tfoot td { font-weight: 700; border-top: 2px solid #212b32; }
.mo-tally__actions { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.mo-tally__confirm { margin: 12px 0; }
.mo-tally__legend { font-weight: 700; padding: 0; }
.mo-tally__danger { background: #d5281b; color: #ffffff; }
.mo-tally__off { border-left: 8px solid #005eb8; padding: 8px 16px; background: #e8edee; }
`;
