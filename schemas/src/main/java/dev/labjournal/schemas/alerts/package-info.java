/**
 * The fired-alert CloudEvent of topic {@code labjournal.alerts}, which query-service publishes for every alert of a
 * rule with a Kafka channel: {@link dev.labjournal.schemas.alerts.AlertEvents} names its type, topic and schema
 * ({@code labjournal/schemas/alert.fired.v1.json}).
 */
package dev.labjournal.schemas.alerts;
