import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_SETTINGS, RunSettings } from '../domain/pipeline/settings.js';
import { DEFAULT_LAYOUT } from '../domain/target-repo/layout.js';
import { ConfigError } from '../errors.js';
import {
  DEFAULT_REPO_CONFIG,
  MAX_REPO_CONFIG_BYTES,
  parseRepoConfig,
  type RepoConfig,
  toRunSettings,
} from './repo-config.js';

const FULL_CONFIG = `
# every key, none at its default
approvers: [alice, bob-smith]
models:
  source-api-researcher: opus
  connector-dev: claude-sonnet-5-5
  connector-tester: us.anthropic.claude-haiku-4-5-20251001-v1:0
modelIds: { sonnet: claude-sonnet-5-5 }
promptCacheTtl: 5m
budgets: { runUsd: 40.5, stageUsd: 10, raiseStepUsd: 2.5 }
maxTestIterations: 8
maxTablesPerBatch: 3
branchPrefix: bots/connector-
labels: { request: new-connector, needsLiveTesting: live-tests-needed, selfReviewed: self-reviewed }
reviewers: [carol]
workflow: connector-ci.yaml
environment: connector live
autoApprove: [research, docs_spec]
selfReview: false
dashboard: false
paths: { sources: src/connectors, tests: tests/connectors, simulatorSpecs: src/simulator/specs }
ci: { appearTimeoutMinutes: 5, runTimeoutMinutes: 90 }
webFetch: { allowedDomains: [readme.io, docs.github.com] }
commands: { requirePrefix: true }
`;

const FULL_EXPECTED: RepoConfig = {
  approvers: ['alice', 'bob-smith'],
  models: {
    'source-api-researcher': 'opus',
    'connector-dev': 'claude-sonnet-5-5',
    'connector-tester': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  },
  modelIds: { sonnet: 'claude-sonnet-5-5' },
  promptCacheTtl: '5m',
  budgets: {
    runUsd: 40.5,
    stageUsd: 10,
    raiseStepUsd: 2.5,
    stageTokens: 4_000_000,
    runTokens: 20_000_000,
    raiseStepTokens: 2_000_000,
  },
  maxTestIterations: 8,
  maxTablesPerBatch: 3,
  branchPrefix: 'bots/connector-',
  labels: { request: 'new-connector', needsLiveTesting: 'live-tests-needed', selfReviewed: 'self-reviewed' },
  reviewers: ['carol'],
  workflow: 'connector-ci.yaml',
  environment: 'connector live',
  autoApprove: ['research', 'docs_spec'],
  selfReview: false,
  dashboard: false,
  paths: { sources: 'src/connectors', tests: 'tests/connectors', simulatorSpecs: 'src/simulator/specs' },
  ci: { appearTimeoutMinutes: 5, runTimeoutMinutes: 90 },
  webFetch: { allowedDomains: ['readme.io', 'docs.github.com'] },
  commands: { requirePrefix: true },
};

/** Nine aliases of nine aliases of …: expands to 9^4 strings without the alias limit. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
].join('\n');

function errorOf(text: string): ConfigError {
  try {
    parseRepoConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(text.slice(0, 80))}`);
}

describe('parseRepoConfig', () => {
  it.each([
    ['no file', null],
    ['an empty file', ''],
    ['whitespace', '  \n\n'],
    ['only comments', '# lakeflow-connector-bot config\n# nothing set yet\n'],
    ['an explicit null document', '~'],
    ['an empty mapping', '{}'],
  ])('gives the defaults for %s', (_name, text) => {
    expect(parseRepoConfig(text)).toEqual(DEFAULT_REPO_CONFIG);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_REPO_CONFIG).toEqual({
      approvers: [],
      models: {},
      modelIds: {},
      promptCacheTtl: '1h',
      budgets: {
        runUsd: 25,
        stageUsd: 8,
        raiseStepUsd: 5,
        stageTokens: 4_000_000,
        runTokens: 20_000_000,
        raiseStepTokens: 2_000_000,
      },
      maxTestIterations: 5,
      maxTablesPerBatch: 5,
      branchPrefix: 'lakeflow-connector/',
      labels: {
        request: 'lakeflow-connector',
        needsLiveTesting: 'needs-live-testing',
        selfReviewed: 'connector-self-reviewed',
      },
      reviewers: [],
      workflow: 'lakeflow-connector-tests.yml',
      environment: 'lakeflow-live',
      autoApprove: [],
      selfReview: true,
      dashboard: true,
      paths: {
        sources: 'src/databricks/labs/community_connector/sources',
        tests: 'tests/unit/sources',
        simulatorSpecs: 'src/databricks/labs/community_connector/source_simulator/specs',
      },
      ci: { appearTimeoutMinutes: 10, runTimeoutMinutes: 45 },
      webFetch: { allowedDomains: [] },
      commands: { requirePrefix: false },
    });
  });

  it('reads a config that sets every key', () => {
    expect(parseRepoConfig(FULL_CONFIG)).toEqual(FULL_EXPECTED);
  });

  it('fills the keys a partial config leaves out, inside nested objects too', () => {
    const config = parseRepoConfig('budgets:\n  runUsd: 50\nlabels: { request: connector }\n');

    expect(config.budgets).toEqual({ ...DEFAULT_REPO_CONFIG.budgets, runUsd: 50 });
    expect(config.labels).toEqual({ ...DEFAULT_REPO_CONFIG.labels, request: 'connector' });
    expect(config.paths).toEqual(DEFAULT_REPO_CONFIG.paths);
  });

  it('accepts the commented example of docs/github-app.md, which sets every key', () => {
    const doc = readFileSync(new URL('../../docs/github-app.md', import.meta.url), 'utf8');
    const example = /```yaml\n(# \.github\/lakeflow-connector-bot\.yml\n[\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const config = parseRepoConfig(example);

    const defaults = new Map(Object.entries(DEFAULT_REPO_CONFIG));
    const unchanged = Object.entries(config).filter(([key, value]) =>
      isDeepStrictEqual(value, defaults.get(key)),
    );

    expect(unchanged.map(([key]) => key)).toEqual([]);
  });

  it('accepts a few YAML aliases', () => {
    expect(parseRepoConfig('approvers: &team [alice, bob]\nreviewers: *team\n').reviewers).toEqual([
      'alice',
      'bob',
    ]);
  });

  it('returns a fresh object each time, never the shared defaults', () => {
    const config = parseRepoConfig(null);
    config.approvers.push('mallory');

    expect(parseRepoConfig(null).approvers).toEqual([]);
    expect(DEFAULT_REPO_CONFIG.approvers).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', 'apporvers: [alice]', 'apporvers: unknown key; known keys: approvers,'],
    ['an unknown nested key', 'budgets: { runUSD: 5 }', 'budgets.runUSD: unknown key; known keys: runUsd,'],
    ['a negative budget', 'budgets: { runUsd: -1 }', 'budgets.runUsd: expected a positive number'],
    ['a zero budget', 'budgets: { stageUsd: 0 }', 'budgets.stageUsd: expected a positive number'],
    ['a string for a number', 'budgets: { raiseStepUsd: "5" }', 'budgets.raiseStepUsd: expected a positive'],
    ['an infinite budget', 'budgets: { runUsd: .inf }', 'budgets.runUsd: expected a positive number'],
    ['too many test iterations', 'maxTestIterations: 21', 'maxTestIterations: expected a whole number'],
    ['a fractional batch size', 'maxTablesPerBatch: 2.5', 'maxTablesPerBatch: expected a whole number'],
    ['a branch prefix with a space', 'branchPrefix: "my bots/"', 'branchPrefix: expected a git branch'],
    ['a branch prefix with ..', 'branchPrefix: a..b/', 'branchPrefix: expected a git branch prefix'],
    ['a branch prefix not ending in / or -', 'branchPrefix: bots', 'branchPrefix: expected a git branch'],
    ['an unknown stage', 'autoApprove: [research, deploy]', 'autoApprove[1]: expected a list of stages'],
    ['a phase that is not a stage', 'autoApprove: [docs]', 'autoApprove[0]: expected a list of stages'],
    ['a login with a space', 'approvers: [alice, "bob smith"]', 'approvers[1]: expected a GitHub login'],
    ['a string for a list', 'reviewers: carol', 'reviewers: expected a list of GitHub logins'],
    ['a misspelt model alias', 'models: { connector-dev: sonet }', 'models.connector-dev: expected sonnet,'],
    ['a badly named agent', 'models: { Connector Dev: opus }', 'models["Connector Dev"]: agent names are'],
    ['an unknown alias override', 'modelIds: { gpt: claude-x }', 'modelIds.gpt: unknown key'],
    ['a cache lifetime the API lacks', 'promptCacheTtl: 24h', "promptCacheTtl: expected '5m' or '1h'"],
    ['an empty label', 'labels: { request: "" }', 'labels.request: expected a label name'],
    ['a path escaping the repo', 'paths: { tests: ../elsewhere }', 'paths.tests: expected a relative path'],
    ['a path into .github', 'paths: { sources: .github/workflows }', 'paths.sources: expected a relative'],
    ['an absolute path', 'paths: { sources: /etc }', 'paths.sources: expected a relative path'],
    [
      'a web_fetch domain with a scheme',
      'webFetch: { allowedDomains: [https://readme.io] }',
      'webFetch.allowedDomains[0]: expected a lower-case host name',
    ],
    [
      'a web_fetch domain with a path',
      'webFetch: { allowedDomains: [readme.io/docs] }',
      'webFetch.allowedDomains[0]: expected a lower-case host',
    ],
    [
      'a web_fetch wildcard',
      'webFetch: { allowedDomains: ["*.readme.io"] }',
      'webFetch.allowedDomains[0]: expected a lower-case host',
    ],
    [
      'a web_fetch IP address',
      'webFetch: { allowedDomains: [readme.io, 169.254.169.254] }',
      'webFetch.allowedDomains[1]: expected a lower-case',
    ],
    [
      'web_fetch on localhost',
      'webFetch: { allowedDomains: [localhost] }',
      'webFetch.allowedDomains[0]: expected a lower-case',
    ],
    [
      'web_fetch on an internal name',
      'webFetch: { allowedDomains: [wiki.corp.internal] }',
      'webFetch.allowedDomains[0]: expected',
    ],
    [
      'a prefix requirement that is not a boolean',
      'commands: { requirePrefix: yes please }',
      'commands.requirePrefix: expected true or false, got "yes please"',
    ],
    [
      'an unknown commands key',
      'commands: { prefix: lakeflow }',
      'commands.prefix: unknown key; known keys: requirePrefix',
    ],
    [
      'an unknown webFetch key',
      'webFetch: { blockedDomains: [x.com] }',
      'webFetch.blockedDomains: unknown key; known keys: allowedDomains',
    ],
    ['a workflow that is not YAML', 'workflow: tests.sh', 'workflow: expected a workflow file name'],
    ['yes for a boolean', 'selfReview: "yes"', 'selfReview: expected true or false'],
    ['a __proto__ key', '__proto__: { selfReview: false }', '__proto__: unknown key'],
    ['a list at the top level', '- approvers\n- reviewers', '(top level): expected a mapping of settings'],
    ['a scalar at the top level', 'lakeflow', '(top level): expected a mapping of settings'],
    ['a YAML syntax error', 'approvers: [alice\nreviewers: [bob]', 'line 2, column 1: Flow sequence'],
    ['a duplicated key', 'selfReview: true\nselfReview: false', 'line 2, column 1: Map keys must be unique'],
    ['tab indentation', 'budgets:\n\trunUsd: 5', 'line 2, column 1: Tabs are not allowed'],
    ['two YAML documents', 'selfReview: true\n---\nselfReview: false', 'line 2, column 1: Source contains'],
    ['an alias bomb', ALIAS_BOMB, '(top level): the YAML could not be read: Excessive alias count'],
    ['a file over 64 KB', `# ${'x'.repeat(MAX_REPO_CONFIG_BYTES)}`, 'the file is 65538 bytes; the limit'],
  ])('refuses %s, naming where', (_name, text, expected) => {
    const error = errorOf(text);

    expect(error.message).toMatch(/^Invalid \.github\/lakeflow-connector-bot\.yml:\n- /);
    expect(error.message).toContain(`\n- ${expected}`);
    expect(error.retryable).toBe(false);
  });

  it('lists every problem, one per line, with the offending value', () => {
    const error = errorOf('budgets: { runUsd: -1, stageUsd: x }\nmaxTestIterations: 0\nextra: 1\n');

    expect(error.message).toBe(
      [
        'Invalid .github/lakeflow-connector-bot.yml:',
        '- budgets.runUsd: expected a positive number of US dollars, at most 10000, got -1',
        '- budgets.stageUsd: expected a positive number of US dollars, at most 10000, got "x"',
        '- maxTestIterations: expected a whole number from 1 to 20, got 0',
        `- extra: unknown key; known keys: ${Object.keys(DEFAULT_REPO_CONFIG).join(', ')}`,
      ].join('\n'),
    );
  });

  it('counts bytes, not characters, against the size limit', () => {
    const text = `# ${'é'.repeat(MAX_REPO_CONFIG_BYTES / 2)}`;

    expect(text.length).toBeLessThan(MAX_REPO_CONFIG_BYTES);
    expect(errorOf(text).message).toContain('the limit is 65536 (64 KB)');
  });
});

describe('toRunSettings', () => {
  it('maps the defaults to DEFAULT_RUN_SETTINGS', () => {
    expect(toRunSettings(DEFAULT_REPO_CONFIG)).toEqual(DEFAULT_RUN_SETTINGS);
  });

  it('carries over what a run snapshots, and nothing else', () => {
    const settings = toRunSettings(FULL_EXPECTED);

    expect(settings).toEqual({
      maxTestIterations: 8,
      budget: {
        runUsd: 40.5,
        stageUsd: 10,
        raiseStepUsd: 2.5,
        stageTokens: 4_000_000,
        runTokens: 20_000_000,
        raiseStepTokens: 2_000_000,
      },
      autoApprove: ['research', 'docs_spec'],
      maxTablesPerBatch: 3,
      branchPrefix: 'bots/connector-',
      needsLiveTestingLabel: 'live-tests-needed',
      reviewers: ['carol'],
      selfReview: false,
      selfReviewedLabel: 'self-reviewed',
      ci: { appearTimeoutMinutes: 5, runTimeoutMinutes: 90 },
      layout: { sources: 'src/connectors', tests: 'tests/connectors', simulatorSpecs: 'src/simulator/specs' },
      webFetch: { allowedDomains: ['readme.io', 'docs.github.com'] },
      environment: 'connector live',
    });
    expect(RunSettings.parse(settings)).toEqual(settings);
  });

  it('snapshots paths.* as the run layout, the upstream folders for any key left out', () => {
    const settings = toRunSettings(
      parseRepoConfig('paths:\n  sources: connectors/sources\n  tests: connectors/tests\n'),
    );

    expect(settings.layout).toEqual({
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: DEFAULT_LAYOUT.simulatorSpecs,
    });
    expect(toRunSettings(DEFAULT_REPO_CONFIG).layout).toEqual(DEFAULT_LAYOUT);
  });

  it('gives a run saved before the layout existed the upstream layout, and refuses a bad folder', () => {
    const { layout: _layout, ...before } = toRunSettings(DEFAULT_REPO_CONFIG);

    expect(RunSettings.parse(before).layout).toEqual(DEFAULT_LAYOUT);
    for (const bad of ['/abs', 'trailing/', 'a/../b', '..', '']) {
      const layout = { ...DEFAULT_LAYOUT, tests: bad };
      expect(RunSettings.safeParse({ ...before, layout }).success, bad).toBe(false);
    }
  });

  it('gives a run saved before the environment was snapshotted lakeflow-live, and refuses a bad name', () => {
    const { environment: _environment, ...before } = toRunSettings(FULL_EXPECTED);

    expect(RunSettings.parse(before).environment).toBe('lakeflow-live');
    for (const bad of ['', ' live', 'a  b', 'live\n', 'a$(id)', 'x'.repeat(256)]) {
      expect(RunSettings.safeParse({ ...before, environment: bad }).success, bad).toBe(false);
    }
  });

  it('gives a run saved before webFetch existed no extra web_fetch domains', () => {
    const { webFetch: _webFetch, ...before } = toRunSettings(FULL_EXPECTED);

    expect(RunSettings.parse(before).webFetch).toEqual({ allowedDomains: [] });
  });

  it('copies the lists, so a run snapshot does not share them with the config', () => {
    const config = parseRepoConfig('autoApprove: [research]');
    const settings = toRunSettings(config);
    config.autoApprove.push('test');
    config.budgets.runUsd = 1;

    expect(settings.autoApprove).toEqual(['research']);
    expect(settings.budget.runUsd).toBe(25);
  });
});
