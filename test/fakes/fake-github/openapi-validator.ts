import { checkSchema, isObject, type Schema, type SchemaError } from './json-schema-check.js';
import type { MatchedOperation, OpenApiSpec } from './openapi-spec.js';

/** One problem found while checking a request or response against its operation. */
export type ValidationProblem = string;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
}

/**
 * Checks a request against its operation: path parameters, query parameters (unknown or missing
 * required ones are problems) and the JSON body.
 */
export function validateRequest(
  spec: OpenApiSpec,
  matched: MatchedOperation,
  request: { query: URLSearchParams; body: unknown; hasBody: boolean },
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const parameters = parametersOf(spec, matched.operation);
  for (const parameter of parameters.filter((p) => p.in === 'path')) {
    const value = matched.params[parameter.name];
    if (value === undefined) problems.push(`path parameter ${parameter.name} is missing`);
    else problems.push(...format(`path ${parameter.name}`, checkParam(spec, parameter, value)));
  }
  const queryParameters = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const name of new Set(request.query.keys())) {
    const parameter = queryParameters.get(name.replace(/\[\]$/, ''));
    if (parameter === undefined) {
      problems.push(`query parameter ${name} is not in the operation`);
      continue;
    }
    const values = request.query.getAll(name);
    const value = deref(spec, parameter.schema).type === 'array' ? values : (values[0] ?? '');
    problems.push(...format(`query ${name}`, checkParam(spec, parameter, value)));
  }
  for (const parameter of queryParameters.values()) {
    if (parameter.required && !request.query.has(parameter.name)) {
      problems.push(`required query parameter ${parameter.name} is missing`);
    }
  }
  problems.push(...checkRequestBody(spec, matched.operation, request));
  return problems;
}

function checkRequestBody(
  spec: OpenApiSpec,
  operation: Schema,
  request: { body: unknown; hasBody: boolean },
): ValidationProblem[] {
  const requestBody = isObject(operation.requestBody) ? deref(spec, operation.requestBody) : undefined;
  if (requestBody === undefined) return request.hasBody ? ['the operation takes no request body'] : [];
  if (!request.hasBody) return requestBody.required === true ? ['the request body is required'] : [];
  const schema = jsonSchema(requestBody);
  if (schema === undefined) return ['the operation takes no JSON request body'];
  return format('body', checkSchema(schema, request.body, spec.resolve));
}

/**
 * Checks a response: the status must be documented for the operation and a JSON body must match
 * that status's schema. Error statuses (4xx/5xx) that are undocumented or documented without a body
 * are accepted when they carry GitHub's `{ message }` error shape, as GitHub sends one anyway.
 */
export function validateResponse(
  spec: OpenApiSpec,
  operation: Schema,
  response: { status: number; body: unknown; isJson: boolean },
): ValidationProblem[] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const documented = responses[String(response.status)];
  const schema = isObject(documented) ? jsonSchema(deref(spec, documented)) : undefined;
  if (schema === undefined && response.status >= 400 && isErrorShape(response.body)) return [];
  if (!isObject(documented)) return [`status ${response.status} is not documented for the operation`];
  if (schema === undefined) {
    return response.isJson && response.body !== undefined
      ? [`status ${response.status} is documented without a JSON body`]
      : [];
  }
  if (!response.isJson) return [`status ${response.status} must have a JSON body`];
  return format('response', checkSchema(schema, response.body, spec.resolve));
}

/** GitHub's error body, sent for error statuses the description leaves undocumented or body-less. */
function isErrorShape(body: unknown): boolean {
  return isObject(body) && typeof body.message === 'string';
}

function checkParam(spec: OpenApiSpec, parameter: Parameter, raw: string | string[]): SchemaError[] {
  const schema = deref(spec, parameter.schema);
  const value = Array.isArray(raw)
    ? raw.map((item) => coerce(itemSchema(spec, schema), item))
    : coerce(schema, raw);
  return checkSchema(parameter.schema, value, spec.resolve);
}

function itemSchema(spec: OpenApiSpec, schema: Schema): Schema {
  return isObject(schema.items) ? deref(spec, schema.items) : {};
}

function coerce(schema: Schema, raw: string): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw))
    return Number(raw);
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function parametersOf(spec: OpenApiSpec, operation: Schema): Parameter[] {
  const list = Array.isArray(operation.parameters) ? operation.parameters : [];
  return list.filter(isObject).map((raw) => {
    const parameter = deref(spec, raw);
    return {
      name: String(parameter.name),
      in: String(parameter.in),
      required: parameter.required === true,
      schema: isObject(parameter.schema) ? parameter.schema : {},
    };
  });
}

function jsonSchema(container: Schema): Schema | undefined {
  const content = isObject(container.content) ? container.content : {};
  const json = content['application/json'];
  return isObject(json) && isObject(json.schema) ? json.schema : undefined;
}

function deref(spec: OpenApiSpec, schema: Schema): Schema {
  return typeof schema.$ref === 'string' ? deref(spec, spec.resolve(schema.$ref)) : schema;
}

function format(where: string, errors: SchemaError[]): ValidationProblem[] {
  return errors.map((error) => `${where} ${error.at}: ${error.message}`);
}
