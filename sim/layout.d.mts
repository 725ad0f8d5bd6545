export const PAGES_DIR: string;
export function composeSimPage(html: string): string;
export function readSimPage(name: string): string;
