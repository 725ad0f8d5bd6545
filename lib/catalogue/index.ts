import { globalExclusions } from './exclusions';
import { optimiserx } from './optimiserx';
import type { Signature, Tool, ToolFamily } from './schema';
import { scriptswitch } from './scriptswitch';

/** Every built-in tool family. Adding a tool = one file here plus its fixtures. */
export const toolFamilies: readonly ToolFamily[] = [optimiserx, scriptswitch];

export const builtInTools: readonly Tool[] = toolFamilies.map((f) => f.tool);
export const builtInSignatures: readonly Signature[] = toolFamilies.flatMap((f) => f.signatures);
export { globalExclusions };

export function findBuiltInTool(toolId: string): Tool | undefined {
  return builtInTools.find((t) => t.id === toolId);
}
