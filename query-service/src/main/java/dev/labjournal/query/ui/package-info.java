/** The web UI served by query-service; filled by the web UI issue. Empty until then: the room exists so that the feature has one place. */
package dev.labjournal.query.ui;
