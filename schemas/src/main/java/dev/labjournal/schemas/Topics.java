package dev.labjournal.schemas;

/** Kafka topic names of the Lab Journal contract (see {@code labjournal/asyncapi.yaml}). */
public final class Topics {
    /** Run events as CloudEvents, keyed by run id. */
    public static final String RUN_EVENTS = "labjournal.run-events";
    /** Rejected run events: the original bytes with {@code lj-error-*} and {@code lj-source-*} headers. */
    public static final String RUN_EVENTS_DLQ = "labjournal.run-events.dlq";
    /**
     * One message per run changed by a committed ingest batch, keyed {@code {tenant}:{runId}}: see {@link
     * dev.labjournal.schemas.changes.RunChangeCodec}.
     */
    public static final String RUN_CHANGES = "labjournal.run-changes";
    /**
     * Fired alerts as CloudEvents ({@code dev.labjournal.alert.fired.v1}), keyed by run id: see {@link
     * dev.labjournal.schemas.alerts.AlertEvents}.
     */
    public static final String ALERTS = "labjournal.alerts";

    private Topics() {}
}
