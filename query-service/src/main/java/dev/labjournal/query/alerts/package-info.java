/**
 * Alerts (DESIGN D6): rules a tenant subscribes ({@code rules/}), their evaluation against run changes
 * ({@code evaluation/}), the alerts stored once per rule, run and kind ({@code store/}), and their delivery by webhook,
 * Kafka and Server-Sent Events ({@code delivery/}, {@code stream/}).
 */
package dev.labjournal.query.alerts;
