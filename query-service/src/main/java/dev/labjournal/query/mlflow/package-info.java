/**
 * The MLflow-compatible REST API (/api/2.0/mlflow/..., D8), for existing MLflow clients: not built yet (no issue has
 * asked for it so far; the SDKs of issue 10 publish events directly). Empty until then: the room exists so that the
 * feature has one place.
 */
package dev.labjournal.query.mlflow;
