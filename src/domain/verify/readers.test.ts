import { describe, expect, it } from 'vitest';
import { ingestionTypes } from './connector-code.js';
import { disallowedImports } from './imports.js';
import { listedNames } from '../target-repo/markdown.js';
import { hasBase, methodBody, pythonClasses, returnedNames } from './python-source.js';
import { credentialLiterals } from '../target-repo/read-spec.js';
import { readToml } from './toml.js';

/** The names a connector module's `list_tables` returns, read statically. */
function listTables(module: string): string[] | null {
  const [cls] = pythonClasses(module);
  const body = cls ? methodBody(cls.body, 'list_tables') : null;
  return body === null ? null : returnedNames(body, module);
}

const method = (ret: string) => `class A(LakeflowConnect):\n    def list_tables(self):\n        ${ret}\n`;

describe('returnedNames', () => {
  it.each([
    ['a literal list', method('return ["a", \'b\']'), ['a', 'b']],
    [
      'a multi-line literal',
      method('return [\n            "a",  # first\n            "b",\n        ]'),
      ['a', 'b'],
    ],
    ['list(TABLES) of a module list', `TABLES = ["x", "y"]\n${method('return list(TABLES)')}`, ['x', 'y']],
    ['an annotated tuple', `TABLES: tuple[str, ...] = ("x",)\n${method('return list(TABLES)')}`, ['x']],
    [
      'dict keys with nested values',
      `SCHEMAS = {\n    "x": {"k": "v", "n": [1, 2]},\n    "y": StructType([]),\n}\n${method('return list(SCHEMAS.keys())')}`,
      ['x', 'y'],
    ],
    [
      'a class attribute through self',
      'class A(LakeflowConnect):\n    TABLES = ["t"]\n\n    def list_tables(self):\n        return self.TABLES\n',
      ['t'],
    ],
    ['a computed list', method('return [t["name"] for t in self._fetch()]'), null],
    ['a call', method('return self._discover()'), null],
  ])('reads %s', (_name, module, expected) => {
    expect(listTables(module)).toEqual(expected);
  });
});

describe('pythonClasses', () => {
  it('sees a LakeflowConnect subclass with mixins and a dotted base', () => {
    const [cls] = pythonClasses('class A(SupportsPartition, interface.LakeflowConnect):\n    pass\n');
    expect(cls && hasBase(cls, 'LakeflowConnect')).toBe(true);
  });
});

describe('disallowedImports', () => {
  it('allows stdlib, requests, pyspark, the framework and relative imports, and names the rest', () => {
    const source = [
      'import json, os.path as p',
      'from typing import Any',
      'import requests',
      'from pyspark.sql.types import StructType',
      'from databricks.labs.community_connector.libs.utils import parse_value',
      'from .acme_utils import helper',
      'import pandas',
      'from databricks.sdk import WorkspaceClient',
      '    import yaml',
      '"""Docs.',
      'import data from Acme',
      'from pandas import DataFrame',
      '"""',
    ].join('\n');
    expect(disallowedImports(source)).toEqual(['pandas', 'yaml', 'databricks.sdk']);
  });
});

describe('listedNames', () => {
  it('reads list items and first table cells, skipping header rows and prose', () => {
    const body = '- `a_b`: x\n- **c** — y\n* Not a name\n\n| name | pk |\n|---|---|\n| d | id |\n';
    expect(listedNames(body)).toEqual(['a_b', 'c', 'd']);
  });
});

describe('ingestionTypes', () => {
  it('applies a single module-wide ingestion type to every table', () => {
    const source =
      'def read_table_metadata(self, t, o):\n    return {"primary_keys": ["id"], "ingestion_type": "snapshot"}\n';
    expect(ingestionTypes(source, ['a', 'b'])).toEqual({ a: 'snapshot', b: 'snapshot' });
  });
});

describe('credentialLiterals', () => {
  it('flags token shapes and long secrets but not placeholders or prose', () => {
    const doc = {
      a: 'AKIAABCDEFGHIJKLMNOP',
      b: '<your-api-key>',
      c: 'Find it under Settings > API.',
      d: 'f3a9c1d27b6e4a0f9d8c7b6a5e4d3c2b1a0f9e8d',
    };
    expect(credentialLiterals(doc)).toEqual(['a', 'd']);
  });
});

describe('readToml', () => {
  it('reads strings and multi-line arrays per table', () => {
    const toml = readToml(
      '[project]\nname = "x" # the wheel\ndeps = [\n  "a>=1",\n  \'b\',\n]\n[tool.setuptools]\npackages = ["p"]\n',
    );
    expect(toml?.get('project')?.get('name')).toBe('x');
    expect(toml?.get('project')?.get('deps')).toEqual(['a>=1', 'b']);
    expect(toml?.get('tool.setuptools')?.get('packages')).toEqual(['p']);
  });

  it('rejects a line that is neither a header nor a pair', () => {
    expect(readToml('[project]\nname\n')).toBeNull();
  });
});
