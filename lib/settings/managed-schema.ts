import { z } from 'zod';
import { isRecord } from '../schema-atoms';
import { settingsSchema } from './schema';

/**
 * The enterprise-policy schema (`storage.managed_schema`), derived from the zod
 * settings schema so the two cannot disagree. wxt.config.ts emits it into every build;
 * docs/managed_schema.json is a committed copy for admins, kept equal by a unit test.
 *
 * Chrome accepts a small JSON-Schema subset and checks it strictly
 * (components/policy/core/common/schema.cc): every node needs exactly one `type`;
 * `enum` only on string/integer; `minimum`/`maximum` only on integer; `pattern` only on
 * string (run with RE2); `required` only on objects; no `additionalProperties` or
 * `patternProperties` at the top level. So the zod output is rewritten into that
 * subset: lengths, item counts, formats and defaults are dropped, the evidence union is
 * flattened into one object, and then (buildManagedSchema) every constraint that could
 * make Chrome reject an item is dropped too: the extension's own parse enforces them,
 * item by item, and reports what it refused.
 */

export type ManagedSchemaNode = {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, ManagedSchemaNode>;
  required?: string[];
  items?: ManagedSchemaNode;
  enum?: (string | number)[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
};

type JsonSchema = Record<string, unknown>;

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** zod's integer bounds when none are given: not worth telling Chrome. */
const SAFE_INTEGER_LIMIT = Number.MAX_SAFE_INTEGER;

/** Rewrites one zod JSON-Schema node into Chrome's subset. Throws on anything it cannot represent. */
export function toChromeSchema(node: JsonSchema, path = '(root)'): ManagedSchemaNode {
  const variants = (node.oneOf ?? node.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants)) {
    const merged = mergeObjectVariants(variants, path);
    if (typeof node.description === 'string') merged.description = node.description;
    return merged;
  }
  const type = node.type;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new Error(`managed schema: ${path} has no single supported type (${JSON.stringify(type)})`);
  }
  const out: ManagedSchemaNode = { type: type as ManagedSchemaNode['type'] };
  if (typeof node.description === 'string') out.description = node.description;

  switch (out.type) {
    case 'object': {
      const properties = isRecord(node.properties) ? node.properties : {};
      out.properties = Object.fromEntries(
        Object.entries(properties).map(([key, child]) => [
          key,
          toChromeSchema(child as JsonSchema, `${path}.${key}`),
        ]),
      );
      const required = Array.isArray(node.required) ? (node.required as string[]) : [];
      if (required.length > 0) out.required = [...required];
      break;
    }
    case 'array':
      if (!isRecord(node.items))
        throw new Error(`managed schema: ${path} is an array without one items schema`);
      out.items = toChromeSchema(node.items, `${path}[]`);
      break;
    case 'string': {
      const values = enumValues(node);
      if (values) out.enum = values;
      if (typeof node.pattern === 'string') out.pattern = node.pattern;
      break;
    }
    case 'integer': {
      const values = enumValues(node);
      if (values) out.enum = values;
      if (typeof node.minimum === 'number' && Math.abs(node.minimum) < SAFE_INTEGER_LIMIT)
        out.minimum = node.minimum;
      if (typeof node.maximum === 'number' && Math.abs(node.maximum) < SAFE_INTEGER_LIMIT)
        out.maximum = node.maximum;
      break;
    }
    // number and boolean: Chrome knows only type and description for them.
  }
  return out;
}

function enumValues(node: JsonSchema): (string | number)[] | undefined {
  if (Array.isArray(node.enum)) return [...(node.enum as (string | number)[])];
  if (node.const !== undefined) return [node.const as string | number];
  return undefined;
}

/**
 * One object for a union of objects: every property of every variant, all optional
 * (which variant applies is decided by the extension's own parse); a property that
 * several variants share must agree on its type, and enums are unioned.
 */
function mergeObjectVariants(variants: JsonSchema[], path: string): ManagedSchemaNode {
  const properties: Record<string, ManagedSchemaNode> = {};
  variants.forEach((variant, index) => {
    const object = toChromeSchema(variant, `${path}|${index}`);
    if (object.type !== 'object') throw new Error(`managed schema: ${path} unions non-object variants`);
    for (const [key, child] of Object.entries(object.properties ?? {})) {
      const existing = properties[key];
      properties[key] = existing ? mergeProperty(existing, child, `${path}.${key}`) : child;
    }
  });
  return { type: 'object', properties };
}

function mergeProperty(a: ManagedSchemaNode, b: ManagedSchemaNode, path: string): ManagedSchemaNode {
  if (a.type !== b.type)
    throw new Error(`managed schema: ${path} is ${a.type} in one variant and ${b.type} in another`);
  const out: ManagedSchemaNode = { ...a };
  if (a.enum || b.enum) {
    // A variant without an enum accepts any value: so does the merged property.
    if (a.enum && b.enum) out.enum = [...new Set([...a.enum, ...b.enum])];
    else delete out.enum;
  }
  if (a.pattern !== b.pattern) delete out.pattern;
  if (a.minimum !== b.minimum) {
    if (a.minimum === undefined || b.minimum === undefined) delete out.minimum;
    else out.minimum = Math.min(a.minimum, b.minimum);
  }
  if (a.maximum !== b.maximum) {
    if (a.maximum === undefined || b.maximum === undefined) delete out.maximum;
    else out.maximum = Math.max(a.maximum, b.maximum);
  }
  if (a.items && b.items) out.items = mergeProperty(a.items, b.items, `${path}[]`);
  if (a.properties && b.properties) {
    const merged: Record<string, ManagedSchemaNode> = { ...a.properties };
    for (const [key, child] of Object.entries(b.properties)) {
      const existing = merged[key];
      merged[key] = existing ? mergeProperty(existing, child, `${path}.${key}`) : child;
    }
    out.properties = merged;
    const required = (a.required ?? []).filter((key) => (b.required ?? []).includes(key));
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

/**
 * Loosened so Chrome keeps every item: no `required`, `enum`, `pattern`, `minimum` or
 * `maximum` anywhere, only types. Chrome drops a value (or a whole list) that fails its
 * schema with nothing but "Not set" in chrome://policy, which made one bad allow-list
 * entry remove the mandated tool beside it (issue 21). The extension validates and
 * repairs policy item by item itself (lib/settings/policy.ts) and shows the IT lead
 * every refused value with its reason, on the options page's Policy panel.
 */
export function loosen(node: ManagedSchemaNode): ManagedSchemaNode {
  const { required: _r, enum: _e, pattern: _p, minimum: _min, maximum: _max, ...rest } = node;
  const out: ManagedSchemaNode = { ...rest };
  if (node.properties) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, loosen(v)]));
  }
  if (node.items) out.items = loosen(node.items);
  return out;
}

/** The managed-storage schema Chrome and Edge read policy with. Every key is optional, every value only typed. */
export function buildManagedSchema(): ManagedSchemaNode {
  const json = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  return loosen(toChromeSchema(json));
}

/** The committed/emitted file's exact text (two-space JSON and a final newline). */
export function managedSchemaText(): string {
  return `${JSON.stringify(buildManagedSchema(), null, 2)}\n`;
}
