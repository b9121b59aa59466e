/**
 * The Lab Journal run-event contract: constants for event types, topics and limits, and {@link
 * dev.labjournal.schemas.EventValidator}, which checks a CloudEvents structured-mode JSON event against the JSON
 * Schemas shipped as resources under {@code labjournal/schemas/}.
 */
package dev.labjournal.schemas;
