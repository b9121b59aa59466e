package dev.labjournal.query.failures;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the similar-failures and failure-groups reads. */
@ConfigMapping(prefix = "labjournal.failures")
public interface FailuresConfig {

    /** Similar failures returned when the request gives no {@code limit}. */
    @WithDefault("10")
    int similarDefaultLimit();

    /** The most similar failures one request may ask for. */
    @WithDefault("100")
    int similarMaxLimit();

    /** Failure groups listed when the request gives no {@code limit}. */
    @WithDefault("20")
    int groupsDefaultLimit();

    /** The most failure groups one list may hold. */
    @WithDefault("200")
    int groupsMaxLimit();

    /** The window, in days back from now, that failure groups are counted over when the request gives no {@code days}. */
    @WithDefault("30")
    int groupsDefaultDays();

    /** The widest window a request may ask for, in days. */
    @WithDefault("3650")
    int groupsMaxDays();

    /** Teams listed per failure group, most affected first. */
    @WithDefault("50")
    int teamsPerGroup();

    /** Recent runs listed in one failure group's detail. */
    @WithDefault("20")
    int runsPerGroup();
}
