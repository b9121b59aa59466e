package dev.labjournal.schemas;

/** The documented size limits of run events, enforced by {@link EventValidator} and the JSON Schemas. */
public final class Limits {
    /** Maximum size of one event, in bytes of its UTF-8 JSON encoding (1 MiB). */
    public static final int MAX_EVENT_BYTES = 1_048_576;
    /** Maximum length of a param, tag, metric or environment key, in characters. */
    public static final int MAX_KEY_LENGTH = 250;
    /** Maximum length of a param value, in characters. */
    public static final int MAX_PARAM_VALUE_LENGTH = 6_000;
    /** Maximum length of a tag value, in characters. */
    public static final int MAX_TAG_VALUE_LENGTH = 5_000;
    /** Maximum number of metric points in one {@link EventTypes#RUN_METRICS} event. */
    public static final int MAX_METRIC_POINTS = 10_000;

    private Limits() {}
}
