import { describe, expect, it } from 'vitest';
import { PYLINT_FLAGS } from './ci-gates.js';
import { LAKEFLOW_CONNECT, LAKEFLOW_SOURCE, TEST_HARNESS } from './layout.js';
import { repositoryFacts } from './repository-facts.js';

describe('repositoryFacts', () => {
  it('tells the agents the import paths, harness and gates the checks use', () => {
    const text = repositoryFacts().join('\n');
    expect(text).toContain(`from ${LAKEFLOW_SOURCE.module} import ${LAKEFLOW_SOURCE.name}`);
    expect(text).toContain(`from ${LAKEFLOW_CONNECT.module} import ${LAKEFLOW_CONNECT.name}`);
    expect(text).toContain(`\`${TEST_HARNESS.name}\` from \`${TEST_HARNESS.module}\``);
    for (const flag of PYLINT_FLAGS) expect(text).toContain(flag);
    expect(text).not.toContain('interface import LakeflowSource');
  });
});
