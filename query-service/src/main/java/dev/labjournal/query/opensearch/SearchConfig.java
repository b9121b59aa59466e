package dev.labjournal.query.opensearch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "labjournal.search")
public interface SearchConfig {

    /** OpenSearch base URL (env LJ_OPENSEARCH_URL). */
    @WithDefault("http://127.0.0.1:9200")
    String url();

    /** The index holding one document per run. */
    @WithDefault("labjournal-runs")
    String index();

    /** Results per page when the request does not say. */
    @WithDefault("20")
    int defaultLimit();

    /** The most results one page may hold. */
    @WithDefault("200")
    int maxLimit();
}
