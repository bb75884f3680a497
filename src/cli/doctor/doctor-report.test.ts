import { describe, expect, it } from 'vitest';
import {
  buildDoctorReport,
  DoctorReport,
  isHealthy,
  renderCounts,
  renderDoctorJson,
  renderDoctorTable,
} from './doctor-report.js';

const SIMULATOR = {
  check: 'simulator',
  file: 'src/databricks/labs/community_connector/source_simulator/specs/acme/endpoints.yaml',
  message:
    '`source_simulator/specs/acme/endpoints.yaml` serves corpus `deals`, but `corpus/deals.json` is missing.',
};
const README = {
  check: 'readme',
  file: 'src/databricks/labs/community_connector/sources/acme/README.md',
  message: '`sources/acme/README.md` is missing.',
};
const WORKFLOW = {
  check: 'installed_file',
  file: '.github/workflows/lakeflow-connector-tests.yml',
  message:
    '`.github/workflows/lakeflow-connector-tests.yml` is missing: run `npx lakeflow-connector-bot init`.',
};

describe('buildDoctorReport', () => {
  it('derives ok from the problems and keeps exactly check, file and message', () => {
    const report = buildDoctorReport({
      repoProblems: [],
      connectors: [
        { source: 'acme', problems: [{ ...README, line: 3 } as typeof README] },
        { source: 'zeta', problems: [] },
      ],
    });

    expect(report).toEqual({
      repo: { ok: true, problems: [] },
      connectors: [
        { source: 'acme', ok: false, problems: [README] },
        { source: 'zeta', ok: true, problems: [] },
      ],
    });
    expect(isHealthy(report)).toBe(false);
  });

  it('is healthy only when the repository and every connector pass', () => {
    const clean = buildDoctorReport({ repoProblems: [], connectors: [{ source: 'acme', problems: [] }] });
    const repoOnly = buildDoctorReport({ repoProblems: [WORKFLOW], connectors: [] });

    expect(isHealthy(clean)).toBe(true);
    expect(isHealthy(repoOnly)).toBe(false);
  });

  it('refuses a problem without a check', () => {
    expect(() => buildDoctorReport({ repoProblems: [{ ...WORKFLOW, check: '' }], connectors: [] })).toThrow();
  });
});

describe('renderDoctorJson', () => {
  it('prints the report as one JSON document that parses back to it', () => {
    const report = buildDoctorReport({
      repoProblems: [WORKFLOW],
      connectors: [{ source: 'acme', problems: [SIMULATOR] }],
    });

    const text = renderDoctorJson(report);

    expect(text.endsWith('}\n')).toBe(true);
    expect(DoctorReport.parse(JSON.parse(text))).toEqual(report);
    expect(Object.keys(JSON.parse(text))).toEqual(['repo', 'connectors']);
  });
});

describe('renderDoctorTable', () => {
  it('lists the repository first, one row per connector, each problem below it with its file', () => {
    const report = buildDoctorReport({
      repoProblems: [WORKFLOW],
      connectors: [
        { source: 'acme', problems: [SIMULATOR, README] },
        { source: 'zeta', problems: [] },
      ],
    });

    expect(renderDoctorTable(report)).toMatchInlineSnapshot(`
      "   connector     failed checks
      ❌ (repository)  installed_file
           installed_file  .github/workflows/lakeflow-connector-tests.yml  is missing: run \`npx lakeflow-connector-bot init\`.
      ❌ acme          simulator, readme
           simulator       source_simulator/specs/acme/endpoints.yaml      serves corpus \`deals\`, but \`corpus/deals.json\` is missing.
           readme          sources/acme/README.md                          is missing.
      ✅ zeta

      repository ❌ (1 problem) · 2 connectors: 1 ✅ 1 ❌ (2 problems)
      "
    `);
  });

  it('indents the further lines of a multi-line message under the first', () => {
    const config = {
      check: 'config',
      file: '.github/lakeflow-connector-bot.yml',
      message: 'Invalid .github/lakeflow-connector-bot.yml:\n- paths.tests: expected a relative path',
    };
    const report = buildDoctorReport({ repoProblems: [config], connectors: [] });

    const lines = renderDoctorTable(report).split('\n');

    expect(lines[2]).toBe(
      '     config  .github/lakeflow-connector-bot.yml  Invalid .github/lakeflow-connector-bot.yml:',
    );
    expect(lines[3]).toBe(`${' '.repeat(5 + 6 + 2 + 34 + 2)}- paths.tests: expected a relative path`);
  });

  it('keeps a message that is only the file name', () => {
    const report = buildDoctorReport({
      repoProblems: [],
      connectors: [{ source: 'acme', problems: [{ check: 'x', file: 'a.py', message: '`a.py`' }] }],
    });

    expect(renderDoctorTable(report)).toContain('x  a.py  `a.py`\n');
  });
});

describe('renderCounts', () => {
  it('counts a clean checkout', () => {
    const report = buildDoctorReport({
      repoProblems: [],
      connectors: [
        { source: 'a', problems: [] },
        { source: 'b', problems: [] },
      ],
    });

    expect(renderCounts(report)).toBe('repository ✅ · 2 connectors: 2 ✅ 0 ❌ (0 problems)');
  });

  it('counts a checkout without connectors', () => {
    const report = buildDoctorReport({ repoProblems: [], connectors: [] });

    expect(renderCounts(report)).toBe('repository ✅ · 0 connectors: 0 ✅ 0 ❌ (0 problems)');
  });
});
