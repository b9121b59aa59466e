/**
 * Metric history with server-side downsampling that keeps spikes: {@code GET /api/v1/runs/{id}/metrics/{key}} and
 * its bulk form {@code GET /api/v1/metrics/{key}/history}. A downsampled history is made of real points, the minimum
 * and the maximum of every bucket, read from the rollups ingest keeps per bucket of steps (migration V5).
 */
package dev.labjournal.query.metrics;
