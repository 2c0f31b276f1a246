"""Cross-module API tests: error bodies, health, schema and docs, schemathesis."""
