package dev.labjournal.bench.search;

import dev.labjournal.bench.BenchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options of the search benchmark ({@code --name=value}); defaults suit {@code deploy/local/labjournal up}. */
record SearchOptions(
        int runs,
        int queries,
        int probes,
        int loadEventsPerSecond,
        String bootstrap,
        String topic,
        String queryUrl,
        String openSearchUrl,
        String index,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        Path adminKeyFile,
        Path indexDefinition,
        int timeoutSeconds,
        String tenant,
        boolean keepData) {

    static final String USAGE = """
            Usage: bench/run search [options]

            Publishes --runs runs through Kafka (20 teams, a third failed with realistic failures), measures how fast
            they become searchable beside a raw OpenSearch bulk of the same documents, then the latency of full-text,
            filter, combined and faceted searches and of similar failures, and the freshness (Kafka acknowledgement
            to searchable) of single failed runs while other events keep arriving. Phases run one after the other.

              --runs=N                     runs to load (default 200000)
              --queries=N                  measured requests per kind, after 20 warm-up ones (default 200)
              --probes=N                   freshness probes (default 200)
              --load-events-per-second=N   run.metrics events of 100 points per second published during the
                                           freshness phase (default 50, i.e. 5,000 points/s)
              --tenant=ID                  reuse a tenant loaded by an earlier run with --keep-data (skips loading;
                                           give the --runs it was loaded with: the similar-failure probes pick
                                           failed runs by number)
              --keep-data                  keep the tenant's runs (by default deleted from PostgreSQL and the index)
              --timeout=SECONDS            loading limit (default 1800)
              --bootstrap, --topic, --query-url, --opensearch-url, --index, --jdbc-url, --db-user, --db-password,
              --admin-key-file, --index-definition   as for bench/run (LJ_* environment variables honoured)
            """;

    static SearchOptions parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new BenchException(0, USAGE);
            }
            if (!arg.startsWith("--")) {
                throw usage("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        String stateDir = env("LJ_STATE_DIR", "deploy/local/.state");
        SearchOptions options = new SearchOptions(
                number(given, "runs", 200_000),
                number(given, "queries", 200),
                number(given, "probes", 200),
                number(given, "load-events-per-second", 50),
                text(given, "bootstrap", "127.0.0.1:" + env("LJ_KAFKA_PORT", "9092")),
                text(given, "topic", "labjournal.run-events"),
                text(given, "query-url", "http://127.0.0.1:" + env("LJ_QUERY_PORT", "8080")),
                text(given, "opensearch-url", "http://127.0.0.1:" + env("LJ_OPENSEARCH_PORT", "9200")),
                text(given, "index", "labjournal-runs"),
                text(
                        given,
                        "jdbc-url",
                        "jdbc:postgresql://127.0.0.1:" + env("LJ_PG_PORT", "5432") + "/"
                                + env("LJ_DB_NAME", "labjournal")),
                text(given, "db-user", env("LJ_DB_USER", "labjournal")),
                text(given, "db-password", env("LJ_DB_PASSWORD", "labjournal")),
                Path.of(text(given, "admin-key-file", stateDir + "/admin-key")),
                Path.of(text(given, "index-definition", "query-service/src/main/resources/search/runs-index.json")),
                number(given, "timeout", 1800),
                text(given, "tenant", null),
                Boolean.parseBoolean(text(given, "keep-data", "false")));
        if (!given.isEmpty()) {
            throw usage("unknown option --" + given.keySet().iterator().next());
        }
        if (options.runs < 3 || options.queries < 1 || options.probes < 1 || options.loadEventsPerSecond < 0) {
            throw usage("--runs must be at least 3, --queries and --probes at least 1");
        }
        return options;
    }

    private static String text(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        return value == null ? fallback : value;
    }

    private static int number(Map<String, String> given, String name, int fallback) {
        String value = text(given, name, null);
        try {
            return value == null
                    ? fallback
                    : Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw usage("--" + name + " must be a whole number, not '" + value + "'");
        }
    }

    private static BenchException usage(String message) {
        return new BenchException(64, message + " (see --help)");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
