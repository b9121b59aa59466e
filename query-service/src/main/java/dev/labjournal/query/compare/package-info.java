/** Compare N runs: param diff and metric summaries (GET /api/v1/compare); filled by the search issue. Empty until then: the room exists so that the feature has one place. */
package dev.labjournal.query.compare;
