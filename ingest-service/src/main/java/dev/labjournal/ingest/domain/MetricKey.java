package dev.labjournal.ingest.domain;

/** A metric name within a tenant. */
public record MetricKey(String tenant, String key) {}
