export interface SimServer {
  port: number;
  /** http://127.0.0.1:PORT — where pages are opened. */
  origin: string;
  /** http://localhost:PORT — a different origin on the same server (cross-origin frames). */
  crossOrigin: string;
  /** Absolute URL of a page at `origin`, e.g. url('scriptswitch-modal.html'). */
  url(page: string): string;
  close(): Promise<void>;
}

export const PAGES_DIR: string;

export function startSimServer(options?: { port?: number; pagesDir?: string }): Promise<SimServer>;
