import { z } from 'zod';

// Extension pages forbid eval (CSP): stop zod probing for it, which only logs CSP errors.
z.config({ jitless: true });
