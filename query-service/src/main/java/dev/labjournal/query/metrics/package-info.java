/** Metric history with server-side downsampling (GET /api/v1/runs/{id}/metrics/{key}); filled by the search issue. Empty until then: the room exists so that the feature has one place. */
package dev.labjournal.query.metrics;
