import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { TestCase } from '../../domain/pipeline/run.js';
import { InvariantError } from '../../errors.js';

/** Most test cases kept (the `ci_completed` event's limit); failing ones are kept first. */
export const MAX_TEST_CASES = 500;
/** Characters kept of one test's failure message. */
export const MAX_TEST_MESSAGE_CHARS = 2_000;
const MAX_NAME_CHARS = 300;
/** Nested `<testsuite>`s followed; deeper ones are ignored. */
const MAX_SUITE_DEPTH = 8;

const Text = z.object({ '#text': z.string().optional(), $: z.record(z.string(), z.string()).optional() });
const Outcome = z.array(Text).optional();
const Case = z.object({
  $: z.object({ name: z.string(), classname: z.string().optional() }),
  failure: Outcome,
  error: Outcome,
  skipped: Outcome,
});
interface Suite {
  testcase?: unknown[];
  testsuite?: Suite[];
}
const Suite: z.ZodType<Suite> = z.lazy(() =>
  z.object({ testcase: z.array(z.unknown()).optional(), testsuite: z.array(Suite).optional() }),
);
const Document = z.object({
  testsuites: z
    .object({ testsuite: z.array(Suite).optional() })
    .or(z.literal(''))
    .optional(),
  testsuite: z.array(Suite).optional(),
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '$',
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
  textNodeName: '#text',
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

/**
 * Parses pytest's JUnit XML (`--junitxml`) into the domain's test table. Accepts a `<testsuites>`
 * or a bare `<testsuite>` root and nested suites. Names are `module::Class::test` (the package path
 * before the test module is dropped); messages are the `message` attribute plus the end of the
 * traceback, at most {@link MAX_TEST_MESSAGE_CHARS}. Throws an `InvariantError` saying what is wrong
 * when the text is not XML or not JUnit.
 */
export function parseJunitXml(xml: string): TestCase[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new InvariantError(`junit.xml is not valid XML (line ${line}, column ${col}): ${msg}`);
  }
  const document = Document.safeParse(parser.parse(xml));
  const suites = document.success
    ? [
        ...(typeof document.data.testsuites === 'object' ? (document.data.testsuites.testsuite ?? []) : []),
        ...(document.data.testsuite ?? []),
      ]
    : [];
  if (
    !document.success ||
    (document.data.testsuites === undefined && document.data.testsuite === undefined)
  ) {
    throw new InvariantError(
      'junit.xml is not JUnit XML: expected a <testsuites> or <testsuite> root element',
    );
  }
  const cases = collectCases(suites, 0).map(toTestCase);
  return keepFailingFirst(cases);
}

function collectCases(suites: readonly Suite[], depth: number): unknown[] {
  if (depth >= MAX_SUITE_DEPTH) return [];
  return suites.flatMap((suite) => [
    ...(suite.testcase ?? []),
    ...collectCases(suite.testsuite ?? [], depth + 1),
  ]);
}

function toTestCase(raw: unknown, index: number): TestCase {
  const parsed = Case.safeParse(raw);
  if (!parsed.success) {
    throw new InvariantError(
      `junit.xml is not JUnit XML: <testcase> number ${index + 1} has no name attribute`,
    );
  }
  const { $: attributes, failure, error, skipped } = parsed.data;
  const name = testName(attributes.classname ?? '', attributes.name);
  if (failure?.[0]) return { name, outcome: 'failed', message: messageOf(failure[0]) };
  if (error?.[0]) return { name, outcome: 'error', message: messageOf(error[0]) };
  if (skipped?.[0]) return { name, outcome: 'skipped', message: messageOf(skipped[0]) };
  return { name, outcome: 'passed', message: null };
}

/** `tests.unit.sources.crm.test_crm.TestCrm` + `test_read` → `test_crm::TestCrm::test_read`. */
function testName(classname: string, name: string): string {
  const parts = classname.split('.').filter((part) => part !== '');
  const module = parts.findLastIndex((part) => part.startsWith('test'));
  const kept = module >= 0 ? parts.slice(module) : parts.slice(-2);
  const full = [...kept, name].join('::');
  return full.length <= MAX_NAME_CHARS ? full : `…${full.slice(-(MAX_NAME_CHARS - 1))}`;
}

function messageOf(element: z.infer<typeof Text>): string | null {
  const summary = (element.$?.message ?? '').trim();
  const details = (element['#text'] ?? '').trim();
  const text =
    details === '' || details === summary ? summary : summary === '' ? details : `${summary}\n${details}`;
  if (text === '') return null;
  if (text.length <= MAX_TEST_MESSAGE_CHARS) return text;
  // Keep the start (the assertion) and the end of the traceback (where pytest prints `E   …`).
  const head = text.slice(0, 600);
  return `${head}\n…\n${text.slice(-(MAX_TEST_MESSAGE_CHARS - head.length - 3))}`;
}

function keepFailingFirst(cases: TestCase[]): TestCase[] {
  if (cases.length <= MAX_TEST_CASES) return cases;
  const failing = new Set(
    cases.filter((test) => test.outcome === 'failed' || test.outcome === 'error').slice(0, MAX_TEST_CASES),
  );
  let room = MAX_TEST_CASES - failing.size;
  return cases.filter((test) => {
    if (failing.has(test)) return true;
    if (room <= 0) return false;
    room -= 1;
    return true;
  });
}
