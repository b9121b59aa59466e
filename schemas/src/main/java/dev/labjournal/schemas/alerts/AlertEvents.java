package dev.labjournal.schemas.alerts;

import dev.labjournal.schemas.DocumentValidator;

/**
 * The fired-alert CloudEvent: JSON structured mode on {@link dev.labjournal.schemas.Topics#ALERTS}, keyed by the run
 * id, with {@code id} = the alert's stable id (the same on every redelivery) and {@code data} = the alert document
 * every channel carries.
 */
public final class AlertEvents {

    /** The CloudEvents type of a fired alert. */
    public static final String TYPE = "dev.labjournal.alert.fired.v1";

    /** The schema of the whole event, under {@code labjournal/schemas/}. */
    public static final String SCHEMA_FILE = "alert.fired.v1.json";

    /** The {@code dataschema} attribute of the event. */
    public static final String DATA_SCHEMA = "https://labjournal.dev/schemas/" + SCHEMA_FILE;

    /** The {@code content-type} record header of structured mode. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private AlertEvents() {}

    /** A validator of fired-alert events against {@link #SCHEMA_FILE}. */
    public static DocumentValidator validator() {
        return new DocumentValidator(SCHEMA_FILE, "fired-alert event");
    }

    /** The event's {@code source}: the rule that fired, in its tenant. */
    public static String source(String tenant, String ruleId) {
        return "/tenants/" + tenant + "/alert-rules/" + ruleId;
    }
}
