package dev.labjournal.query.opensearch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "labjournal.search")
public interface SearchConfig {

    /** OpenSearch base URL (env LJ_OPENSEARCH_URL). */
    @WithDefault("http://127.0.0.1:9200")
    String url();

    /**
     * The alias every read and write of run documents goes through; it points at one versioned index, {@code
     * <alias>-v<generation>}, replaced whole by a rebuild.
     */
    @WithDefault("labjournal-runs")
    String index();

    /** The index of the runs OpenSearch refused for their content (one document per run). */
    @WithDefault("labjournal-index-failures")
    String failuresIndex();

    /** How many times a document refused for its content is sent before it is recorded as an index failure. */
    @WithDefault("3")
    int documentAttempts();

    /**
     * How long a rebuild keeps the index it replaced after moving the alias: searches that resolved the alias just
     * before the move still run on it, and deleting it under them would fail them.
     */
    @WithDefault("5s")
    java.time.Duration retireGrace();

    /**
     * Whether this instance creates the indices, and migrates an index from before the alias, at start. Off only
     * for tests that run without OpenSearch.
     */
    @WithDefault("true")
    boolean manageIndices();

    /** Results per page when the request does not say. */
    @WithDefault("20")
    int defaultLimit();

    /** The most results one page may hold. */
    @WithDefault("200")
    int maxLimit();

    /** Values per facet when the request does not say ({@code facet_size}). */
    @WithDefault("10")
    int defaultFacetSize();

    /** The most values per facet a request may ask for. */
    @WithDefault("100")
    int maxFacetSize();

    /**
     * How long the point in time of a relevance-ordered search is kept after its last page was read: its next page
     * must be asked for within this time. Every open one counts against OpenSearch's {@code
     * search.max_open_pit_context} (deploy/local sets 5,000): at one minute, about 80 relevance searches a second
     * that have a next page.
     */
    @WithDefault("1m")
    java.time.Duration pitKeepAlive();
}
