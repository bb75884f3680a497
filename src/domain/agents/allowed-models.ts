import { MODEL_ALIASES, type ModelAlias } from './agent-definition.js';
import { DEFAULT_MODEL_IDS } from './models.js';

const isAlias = (value: string): value is ModelAlias => (MODEL_ALIASES as readonly string[]).includes(value);

/**
 * The operator's list of allowed models (`OPERATOR_ALLOWED_MODELS`: comma-separated aliases or full
 * model ids; an alias stands for the bot's built-in id, never a repository's remapping), as model
 * ids; `null` when the list is empty (any model).
 */
export function parseAllowedModels(list: string | undefined): string[] | null {
  const ids = (list ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => (isAlias(item) ? DEFAULT_MODEL_IDS[item] : item));
  return ids.length === 0 ? null : [...new Set(ids)];
}

/**
 * The model an agent runs on under the operator's list: `wanted` when allowed, else the first
 * allowed of `fallbacks` (the agent file's own choice), else the first allowed model.
 */
export function restrictModel(
  wanted: string,
  fallbacks: readonly string[],
  allowed: readonly string[] | null,
): string {
  if (allowed === null || allowed.includes(wanted)) return wanted;
  return fallbacks.find((id) => allowed.includes(id)) ?? allowed[0] ?? wanted;
}

/**
 * One line per model choice of a repository's config the operator does not allow (for the plan):
 * a per-agent `models` entry, or a `modelIds` remapping of an alias.
 */
export function modelClamps(
  asked: {
    models: Readonly<Record<string, string>>;
    modelIds: Readonly<Partial<Record<ModelAlias, string>>>;
  },
  allowed: readonly string[] | null,
): string[] {
  if (allowed === null) return [];
  const allowedText = allowed.map((id) => `\`${id}\``).join(', ');
  const lines: string[] = [];
  for (const [alias, id] of Object.entries(asked.modelIds)) {
    if (id !== undefined && id !== DEFAULT_MODEL_IDS[alias as ModelAlias] && !allowed.includes(id))
      lines.push(`\`modelIds.${alias}\`: asked \`${id}\`, the operator allows ${allowedText}`);
  }
  for (const [agent, choice] of Object.entries(asked.models)) {
    const id = isAlias(choice) ? (asked.modelIds[choice] ?? DEFAULT_MODEL_IDS[choice]) : choice;
    if (!allowed.includes(id))
      lines.push(`\`models.${agent}\`: asked \`${choice}\`, the operator allows ${allowedText}`);
  }
  return lines;
}
