/** Alert rules and alerts on metric regressions, failures and duplicates (D6); filled by the alerts issue. Empty until then: the room exists so that the feature has one place. */
package dev.labjournal.query.alerts;
