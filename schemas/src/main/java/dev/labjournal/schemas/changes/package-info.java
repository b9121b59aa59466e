/**
 * The run-changes message of topic {@code labjournal.run-changes}, which ingest-service publishes after each committed
 * batch and query-service consumes: {@link dev.labjournal.schemas.changes.RunChange}, the one Java type of that
 * message, and {@link dev.labjournal.schemas.changes.RunChangeCodec}, which writes and reads it as the JSON of
 * {@code labjournal/schemas/run-changes.v1.json}, checked against that schema in both directions.
 */
package dev.labjournal.schemas.changes;
