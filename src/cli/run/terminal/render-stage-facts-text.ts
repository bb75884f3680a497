import { assertNever } from '../../../domain/assert-never.js';
import type { StageFacts } from '../../../domain/pipeline/events.js';
import type { Stage } from '../../../domain/pipeline/phase.js';
import { fileLines, nameList } from './text-format.js';

/**
 * What a stage produced, as its verifier read it from the committed files: the same facts as the
 * summary comment's list, one per line, ingestion types as `table (type)`, files by their path in
 * the checkout.
 */
export function renderStageFactsText(stage: Stage, facts: StageFacts): string[] {
  return [...factsOf(stage, facts), ...fileLines('Files', facts.files)];
}

function factsOf(stage: Stage, facts: StageFacts): string[] {
  switch (stage) {
    case 'research':
      return [
        `Tables documented: ${nameList(facts.tables)}`,
        `Auth method: ${authMethod(facts)}`,
        `Deferred tables (for later batches): ${nameList(facts.deferredTables)}`,
      ];
    case 'auth':
      return [
        `Auth method: ${authMethod(facts)}`,
        `Connection parameters: ${nameList(facts.connectionParams)}`,
      ];
    case 'implement':
      return [`Tables implemented: ${ingestionList(facts)}`];
    case 'test':
      return [`Tables under test: ${nameList(facts.tables)}`];
    case 'docs_spec':
      return [
        `Connection parameters in the spec: ${nameList(facts.connectionParams)}`,
        `Tables documented in the README: ${nameList(facts.tables)}`,
      ];
    case 'package':
      return [];
    default:
      return assertNever(stage);
  }
}

/** `tickets (cdc), agents (snapshot)`, plus any typed table not in the list. */
function ingestionList(facts: StageFacts): string {
  const tables = [
    ...facts.tables,
    ...Object.keys(facts.ingestionTypes).filter((table) => !facts.tables.includes(table)),
  ];
  return nameList(
    tables.map((table) => `${table} (${facts.ingestionTypes[table] ?? 'ingestion type not declared'})`),
  );
}

function authMethod(facts: StageFacts): string {
  return facts.authMethod === null ? 'not stated' : facts.authMethod.replace(/\s+/g, ' ').trim();
}
