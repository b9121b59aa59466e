package dev.labjournal.bench.alerts;

import dev.labjournal.bench.BenchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options of the alerts benchmark ({@code --name=value}); defaults suit {@code deploy/local/labjournal up}. */
record AlertOptions(
        int probes,
        int loadPointsPerSecond,
        int loadPointsPerEvent,
        String bootstrap,
        String topic,
        String queryUrl,
        Path adminKeyFile) {

    static final String USAGE = """
            Usage: bench/run alerts [options]

            Creates a tenant with a metric_regression rule (val_loss, goal minimize, baseline best, tolerance 5 %,
            evaluated on finish, channels webhook + sse) through POST /api/v1/alert-rules, finishes a baseline run at
            0.40, then finishes --probes runs at 0.50 one at a time: each probe's latency runs from the Kafka
            acknowledgement of its run.finished event (the event that makes the run regress) to the webhook receiver
            this benchmark runs (a), and to an SSE client of GET /api/v1/alerts/stream (b). Two phases: idle, then
            under a background load of --load-points-per-second metric points, in run.metrics events of
            --load-points-per-event points (1,000 as in bench/run, the shape of an SDK flushing once a second).

              --probes=N                    probes per phase (default 100)
              --load-points-per-second=N    background load of the second phase (default 50000)
              --load-points-per-event=N     points per event of that load, 1..10000 (default 1000)
              --bootstrap, --topic, --query-url, --admin-key-file   as for bench/run (LJ_* environment honoured)
            """;

    static AlertOptions parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new BenchException(0, USAGE);
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new BenchException(2, "unexpected argument '" + arg + "'\n" + USAGE);
            }
            given.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        String stateDir = env("LJ_STATE_DIR", "deploy/local/.state");
        return new AlertOptions(
                number(given, "probes", 100),
                number(given, "load-points-per-second", 50_000),
                perEvent(number(given, "load-points-per-event", 1_000)),
                given.getOrDefault("bootstrap", "127.0.0.1:" + env("LJ_KAFKA_PORT", "9092")),
                given.getOrDefault("topic", "labjournal.run-events"),
                given.getOrDefault("query-url", "http://127.0.0.1:" + env("LJ_QUERY_PORT", "8080")),
                Path.of(given.getOrDefault("admin-key-file", stateDir + "/admin-key")));
    }

    private static int number(Map<String, String> given, String name, int fallback) {
        String value = given.get(name);
        try {
            int n = value == null ? fallback : Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BenchException(2, "--" + name + " must be a non-negative integer, not '" + value + "'");
        }
    }

    private static int perEvent(int points) {
        if (points < 1 || points > 10_000) {
            throw new BenchException(2, "--load-points-per-event must be 1..10000, not " + points);
        }
        return points;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
