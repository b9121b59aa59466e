/** The MLflow-compatible REST API (/api/2.0/mlflow/..., D8); filled by the clients issue. Empty until then: the room exists so that the feature has one place. */
package dev.labjournal.query.mlflow;
