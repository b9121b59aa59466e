/**
 * Compare N runs of one tenant side by side (GET /api/v1/compare): the params that differ and those shared by all,
 * and the metric summaries of each run, read from PostgreSQL in one query per table for all the runs.
 */
package dev.labjournal.query.compare;
