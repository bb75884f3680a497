/**
 * A minimal JSON Schema (OpenAPI 3.0 flavour) checker. `ajv` is not installed in this project, so
 * this covers what GitHub's description uses for shapes: `$ref` (local pointers), `type` (also as an
 * array), `nullable`, `enum`, `required`, `properties`, `additionalProperties`, `items`,
 * `minItems`/`maxItems`, `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`, `allOf`,
 * `anyOf` and `oneOf` (exactly one branch). `format`, `discriminator`, `readOnly`/`writeOnly`,
 * `not`, `uniqueItems` and `multipleOf` are ignored.
 */

/** A JSON Schema object as it appears in the OpenAPI description. */
export type Schema = { [key: string]: unknown };

/** Resolves a local `$ref` such as `#/components/schemas/issue-comment`. */
export type ResolveRef = (ref: string) => Schema;

/** Where a value breaks its schema (`$.user.login`) and how. */
export interface SchemaError {
  at: string;
  message: string;
}

const MAX_ERRORS = 20;

/** Every way `value` breaks `schema` (at most 20); an empty list when it conforms. */
export function checkSchema(schema: Schema, value: unknown, resolve: ResolveRef, at = '$'): SchemaError[] {
  const errors: SchemaError[] = [];
  visit(schema, value, at, resolve, errors);
  return errors.slice(0, MAX_ERRORS);
}

function visit(input: Schema, value: unknown, at: string, resolve: ResolveRef, errors: SchemaError[]): void {
  const schema = deref(input, resolve);
  if (value === null && schema.nullable === true) return;
  for (const part of schemaList(schema.allOf)) visit(part, value, at, resolve, errors);
  if (schema.anyOf !== undefined) checkBranches(schema, 'anyOf', value, at, resolve, errors);
  if (schema.oneOf !== undefined) checkBranches(schema, 'oneOf', value, at, resolve, errors);
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    errors.push({
      at,
      message: `must be one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}`,
    });
    return;
  }
  const types = typeList(schema.type);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) {
    errors.push({ at, message: `must be ${types.join(' or ')}, got ${describe(value)}` });
    return;
  }
  if (typeof value === 'string') checkString(schema, value, at, errors);
  if (typeof value === 'number') checkNumber(schema, value, at, errors);
  if (Array.isArray(value)) checkArray(schema, value, at, resolve, errors);
  else if (isObject(value)) checkObject(schema, value, at, resolve, errors);
}

function checkBranches(
  schema: Schema,
  keyword: 'anyOf' | 'oneOf',
  value: unknown,
  at: string,
  resolve: ResolveRef,
  errors: SchemaError[],
): void {
  const results = schemaList(schema[keyword]).map((branch) => {
    const branchErrors: SchemaError[] = [];
    visit(branch, value, at, resolve, branchErrors);
    return branchErrors;
  });
  const matches = results.filter((result) => result.length === 0).length;
  if (keyword === 'oneOf' && matches > 1) {
    errors.push({ at, message: `matches ${matches} branches of oneOf, expected exactly one` });
  }
  if (matches > 0) return;
  const closest = results.reduce<SchemaError[] | undefined>(
    (best, result) => (best === undefined || result.length < best.length ? result : best),
    undefined,
  );
  errors.push({ at, message: `matches no branch of ${keyword}` }, ...(closest ?? []));
}

function checkString(schema: Schema, value: string, at: string, errors: SchemaError[]): void {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
    errors.push({ at, message: `must have at least ${schema.minLength} characters` });
  }
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
    errors.push({ at, message: `must have at most ${schema.maxLength} characters` });
  }
  if (typeof schema.pattern === 'string' && !safePattern(schema.pattern).test(value)) {
    errors.push({ at, message: `must match ${schema.pattern}` });
  }
}

function checkNumber(schema: Schema, value: number, at: string, errors: SchemaError[]): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) {
    errors.push({ at, message: `must be >= ${schema.minimum}` });
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    errors.push({ at, message: `must be <= ${schema.maximum}` });
  }
}

function checkArray(
  schema: Schema,
  value: unknown[],
  at: string,
  resolve: ResolveRef,
  errors: SchemaError[],
) {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    errors.push({ at, message: `must have at least ${schema.minItems} items` });
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    errors.push({ at, message: `must have at most ${schema.maxItems} items` });
  }
  if (!isObject(schema.items)) return;
  for (const [index, item] of value.entries()) {
    if (errors.length >= MAX_ERRORS) return;
    visit(schema.items, item, `${at}[${index}]`, resolve, errors);
  }
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  at: string,
  resolve: ResolveRef,
  errors: SchemaError[],
): void {
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof name === 'string' && !(name in value))
      errors.push({ at, message: `misses required "${name}"` });
  }
  for (const [name, item] of Object.entries(value)) {
    if (errors.length >= MAX_ERRORS) return;
    const property = properties[name];
    if (property !== undefined) visit(property, item, `${at}.${name}`, resolve, errors);
    else if (schema.additionalProperties === false)
      errors.push({ at, message: `has unknown property "${name}"` });
    else if (isObject(schema.additionalProperties)) {
      visit(schema.additionalProperties, item, `${at}.${name}`, resolve, errors);
    }
  }
}

function deref(schema: Schema, resolve: ResolveRef): Schema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string'; hops += 1) {
    if (hops > 32) throw new Error(`$ref loop at ${String(current.$ref)}`);
    current = resolve(current.$ref);
  }
  return current;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'string' ? `string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((item): item is string => typeof item === 'string') : [];
}

function schemaList(list: unknown): Schema[] {
  return Array.isArray(list) ? list.filter(isObject) : [];
}

const patterns = new Map<string, RegExp>();

function safePattern(source: string): RegExp {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source, 'u');
    } catch {
      pattern = /[\s\S]*/;
    }
    patterns.set(source, pattern);
  }
  return pattern;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
