import { connectorPaths } from '../target-repo/connector-paths.js';
import type { VerifyInput } from './types.js';

/** The paths of the `acme_crm` fixture connector. */
export const P = connectorPaths('acme_crm');

const API_DOC = `# Acme CRM API

## Authorization

Method: API key

Send the key as \`Authorization: Bearer <api_key>\` to \`https://{subdomain}.acme.example/api/v2\`.

## Object List

The object list is static.

| Table | Endpoint |
|---|---|
| \`contacts\` | \`GET /contacts\` |
| \`deals\` | \`GET /deals\` |
| \`companies\` | \`GET /companies\` |

## Object Schema

Fields follow.

## Deferred Tables

- \`companies\`: needs an enterprise plan.
`;

const SPEC = `display_name: Acme CRM
connection:
  parameters:
    - name: api_key
      type: string
      required: true
      secret: true
      description: An Acme API key, e.g. <your-api-key>.
    - name: subdomain
      type: string
      required: true
      description: Your Acme subdomain.
external_options_allowlist: "max_records_per_batch"
tables:
  - contacts
  - deals
`;

const CONNECTOR = `"""Acme CRM connector."""
from datetime import datetime, timezone
from typing import Iterator

import requests
from pyspark.sql.types import LongType, StringType, StructField, StructType

from databricks.labs.community_connector.interface import LakeflowConnect

SCHEMAS = {
    "contacts": StructType([StructField("id", LongType()), StructField("updated_at", StringType())]),
    "deals": StructType([StructField("id", LongType()), StructField("name", StringType())]),
}

METADATA = {
    "contacts": {"primary_keys": ["id"], "cursor_field": "updated_at", "ingestion_type": "cdc"},
    "deals": {"primary_keys": ["id"], "ingestion_type": "snapshot"},
}


class AcmeCrmLakeflowConnect(LakeflowConnect):
    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._base = f"https://{options['subdomain']}.acme.example/api/v2"
        self._headers = {"Authorization": f"Bearer {options.get('api_key')}"}
        self._init_ts = datetime.now(timezone.utc).isoformat()

    def list_tables(self) -> list[str]:
        return list(SCHEMAS.keys())

    def get_table_schema(self, table_name, table_options):
        return SCHEMAS[table_name]

    def read_table_metadata(self, table_name, table_options):
        return METADATA[table_name]

    def read_table(self, table_name, start_offset, table_options) -> tuple[Iterator[dict], dict]:
        limit = int(table_options.get("max_records_per_batch", "100"))
        url = f"{self._base}/{table_name}"
        rows = requests.get(url, headers=self._headers, params={"limit": limit}, timeout=30).json()
        return iter(rows), {"done": True}
`;

const INIT = `from databricks.labs.community_connector.sparkpds import LakeflowSource

from .acme_crm import AcmeCrmLakeflowConnect


class AcmeCrmDataSource(LakeflowSource):
    _lakeflow_connect_cls = AcmeCrmLakeflowConnect


__all__ = ["AcmeCrmLakeflowConnect", "AcmeCrmDataSource"]
`;

const ENDPOINTS = `endpoints:
  - path: /api/v2/contacts
    method: GET
    corpus: contacts
  - path: /api/v2/deals
    method: GET
    corpus: deals
`;

const TEST_FILE = `from databricks.labs.community_connector.sources.acme_crm.acme_crm import AcmeCrmLakeflowConnect
from tests.unit.sources.test_suite import LakeflowConnectTests


class TestAcmeCrmConnector(LakeflowConnectTests):
    connector_class = AcmeCrmLakeflowConnect
    simulator_source = "acme_crm"
    replay_config = {"api_key": "fake-key", "subdomain": "fake"}
`;

const README = `# Lakeflow Acme CRM Community Connector

## Prerequisites

An Acme CRM account.

## Setup

### Required Connection Parameters

| Name | Type | Required |
|---|---|---|
| api_key | string | yes |
| subdomain | string | yes |

## Supported Objects

| Table | Primary key | Ingestion |
|---|---|---|
| contacts | id | cdc |
| deals | id | snapshot |

## How to Run

Copy the connector and configure your pipeline.
`;

const PYPROJECT = `[build-system]
requires = ["setuptools>=61.0", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "lakeflow-community-connectors-acme_crm"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [
    "requests>=2.28.0,<3.0",
    "lakeflow-community-connectors>=0.1.0",
]

[project.optional-dependencies]
dev = ["pyspark>=4.2.0.dev0", "pytest>=7.0.0,<9.0"]

[tool.setuptools]
packages = ["databricks.labs.community_connector.sources.acme_crm"]

[tool.setuptools.package-dir]
"databricks.labs.community_connector.sources.acme_crm" = "."
`;

/** A complete, correct `acme_crm` connector as committed at the branch head. */
export function goodFiles(): Map<string, string> {
  return new Map([
    [P.apiDoc, API_DOC],
    [P.spec, SPEC],
    [
      P.authTest,
      'import os\nimport pytest\nimport requests\n\nif not os.environ.get("CONNECTOR_TEST_CONFIG_JSON"):\n    pytest.skip("no credentials", allow_module_level=True)\n',
    ],
    [P.implementation, CONNECTOR],
    [P.init, INIT],
    [P.simulatorEndpoints, ENDPOINTS],
    [`${P.simulatorCorpus}contacts.json`, '[{"id": 1, "updated_at": "2024-01-01T00:00:00Z"}]'],
    [`${P.simulatorCorpus}deals.json`, '[{"id": 7, "name": "Big deal"}]'],
    [P.testsInit, ''],
    [P.testFile, TEST_FILE],
    [P.readme, README],
    [P.pyproject, PYPROJECT],
    [
      P.mergedSource,
      `# auto-generated\ndef register_lakeflow_source(spark):\n${CONNECTOR.replace(/^/gm, '    ')}`,
    ],
  ]);
}

/** The good connector's input: batch 1 builds `contacts` and `deals`. */
export function goodInput(files: Map<string, string> = goodFiles()): VerifyInput {
  return { source: 'acme_crm', files, batchTables: ['contacts', 'deals'], completedTables: [] };
}
