package dev.labjournal.query.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of alert rules and of their evaluation. */
@ConfigMapping(prefix = "labjournal.alerts")
public interface AlertsConfig {

    /** The most live rules a tenant may have: every run change of the tenant is checked against all of them. */
    @WithDefault("1000")
    int maxRulesPerTenant();

    /** Rules per page of GET /api/v1/alert-rules when the request does not say. */
    @WithDefault("50")
    int defaultLimit();

    /** The most rules one page may hold. */
    @WithDefault("200")
    int maxLimit();

    /**
     * The most candidate baseline runs a rule with a filter checks against its filter (in pages, best or newest
     * first): a run that the rule's project allows but its filter does not is skipped, and past this many the rule
     * has no baseline.
     */
    @WithDefault("1000")
    int maxBaselineCandidates();

    /**
     * Whether this instance listens for new alerts on PostgreSQL's notification channel (its SSE streams and
     * delivery workers wake on it); off only where no database is read (the REST slice tests).
     */
    @WithDefault("true")
    boolean listen();
}
