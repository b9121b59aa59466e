package dev.labjournal.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Command-line options ({@code --name=value} or {@code --name value}); defaults suit {@code labjournal up}. */
record Options(
        long points,
        int pointsPerEvent,
        int runs,
        String bootstrap,
        String topic,
        String group,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String queryUrl,
        String ingestUrl,
        Path adminKeyFile,
        Path stateDir,
        int timeoutSeconds,
        int settleSeconds,
        Set<Phase> phases,
        CopyFormat copyFormat,
        int copyStreams,
        int batchSize,
        int lingerMs,
        String compression,
        double minPointsPerSecond,
        double minCopyRatio,
        boolean enforceTargets,
        boolean keepData) {

    enum Phase {
        KAFKA,
        COPY,
        E2E,
        HISTORY
    }

    enum CopyFormat {
        BINARY,
        CSV
    }

    static final String USAGE = """
            Usage: bench/run [options]

            Publishes metric points to Kafka and measures end-to-end points/s until all are committed in PostgreSQL,
            next to two raw baselines measured in the same run: Kafka produce of the same events and PostgreSQL COPY
            of the same rows. The three phases run one after the other, never concurrently.

              --points=N              metric points in total (default 2000000)
              --points-per-event=N    points per run.metrics event, 1..10000 (default 1000)
              --runs=N                runs the events are spread over (default 1000)
              --phases=LIST           which phases, comma-separated: kafka,copy,e2e (default all three), and
                                      history (a 1,000,000-point series, p50/p99 of reading it with
                                      max_points=1000; only when named)
              --bootstrap=HOST:PORT   Kafka (default 127.0.0.1:$LJ_KAFKA_PORT or 9092)
              --topic=NAME            run events topic (default labjournal.run-events)
              --group=NAME            the ingest consumer group, for its lag (default labjournal-ingest); --topic
                                      and --group point the benchmark at another ingest instance
              --jdbc-url=URL          PostgreSQL (default jdbc:postgresql://127.0.0.1:$LJ_PG_PORT/$LJ_DB_NAME,
                                      i.e. 5432/labjournal)
              --db-user=NAME          (default $LJ_DB_USER or labjournal)
              --db-password=PW        (default $LJ_DB_PASSWORD or labjournal)
              --query-url=URL         query-service, creates the tenant (default http://127.0.0.1:8080)
              --ingest-url=URL        ingest-service, readiness only (default http://127.0.0.1:8081)
              --admin-key-file=PATH   bootstrap admin key (default $LJ_STATE_DIR/admin-key, i.e.
                                      deploy/local/.state/admin-key)
              --state-dir=PATH        labjournal state dir, for the services' pid files in CPU accounting
                                      (default $LJ_STATE_DIR or deploy/local/.state)
              --timeout=SECONDS       end-to-end phase limit (default 600)
              --settle=SECONDS        wait at most this long for the ingest consumer to be idle before a phase
                                      (default 120)
              --copy-format=F         binary or csv (default binary)
              --copy-streams=N        parallel COPY statements, one connection each, rows split by run (default 1)
              --batch-size=BYTES      producer batch.size, both Kafka phases (default 1048576)
              --linger-ms=MS          producer linger.ms (default 20)
              --compression=TYPE      producer compression.type (default none)
              --min-points-per-second=N  end-to-end target (default 100000)
              --min-copy-ratio=R      end-to-end / COPY target (default 0.40)
              --enforce-targets       exit 4 when a target is missed (default: only report it)
              --keep-data             keep the end-to-end tenant's runs and points in PostgreSQL (by default they
                                      are deleted after the measurement: about 0.6 GB per run)
              --help                  this text

            Exit status: 0 done, 2 a component is not reachable or not ready, 3 timeout, 4 target missed (with
            --enforce-targets), 64 bad option, 1 anything else.
            """;

    private static final Set<String> KNOWN = Set.of(
            "points",
            "points-per-event",
            "runs",
            "bootstrap",
            "topic",
            "group",
            "jdbc-url",
            "db-user",
            "db-password",
            "query-url",
            "ingest-url",
            "admin-key-file",
            "state-dir",
            "timeout",
            "settle",
            "phases",
            "copy-format",
            "copy-streams",
            "batch-size",
            "linger-ms",
            "compression",
            "min-points-per-second",
            "min-copy-ratio",
            "enforce-targets",
            "keep-data");

    static Options parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new BenchException(0, USAGE);
            }
            if (!arg.startsWith("--")) {
                throw usage("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq >= 0 ? arg.substring(2, eq) : arg.substring(2);
            if (!KNOWN.contains(name)) {
                throw usage("unknown option --" + name);
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (name.equals("enforce-targets") || name.equals("keep-data")) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw usage("option --" + name + " needs a value");
            }
            given.put(name, value);
        }
        Reader r = new Reader(given);
        String stateDir = env("LJ_STATE_DIR", "deploy/local/.state");
        Options options = new Options(
                r.longValue("points", 2_000_000L),
                r.intValue("points-per-event", 1_000),
                r.intValue("runs", 1_000),
                r.text("bootstrap", "127.0.0.1:" + env("LJ_KAFKA_PORT", "9092")),
                r.text("topic", "labjournal.run-events"),
                r.text("group", "labjournal-ingest"),
                r.text(
                        "jdbc-url",
                        "jdbc:postgresql://127.0.0.1:" + env("LJ_PG_PORT", "5432") + "/"
                                + env("LJ_DB_NAME", "labjournal")),
                r.text("db-user", env("LJ_DB_USER", "labjournal")),
                r.text("db-password", env("LJ_DB_PASSWORD", "labjournal")),
                r.text("query-url", "http://127.0.0.1:" + env("LJ_QUERY_PORT", "8080")),
                r.text("ingest-url", "http://127.0.0.1:" + env("LJ_INGEST_PORT", "8081")),
                Path.of(r.text("admin-key-file", stateDir + "/admin-key")),
                Path.of(r.text("state-dir", stateDir)),
                r.intValue("timeout", 600),
                r.intValue("settle", 120),
                r.phases("phases"),
                CopyFormat.valueOf(
                        r.choice("copy-format", "binary", "binary", "csv").toUpperCase(Locale.ROOT)),
                r.intValue("copy-streams", 1),
                r.intValue("batch-size", 1 << 20),
                r.intValue("linger-ms", 20),
                r.choice("compression", "none", "none", "lz4", "zstd", "snappy", "gzip"),
                r.doubleValue("min-points-per-second", 100_000),
                r.doubleValue("min-copy-ratio", 0.40),
                Boolean.parseBoolean(r.text("enforce-targets", "false")),
                Boolean.parseBoolean(r.text("keep-data", "false")));
        r.rejectUnknown();
        options.check();
        return options;
    }

    private void check() {
        if (points <= 0 || pointsPerEvent <= 0 || runs <= 0) {
            throw usage("--points, --points-per-event and --runs must be positive");
        }
        if (pointsPerEvent > 10_000) {
            throw usage("--points-per-event must be at most 10000 (the run.metrics limit)");
        }
        if (points % pointsPerEvent != 0) {
            throw usage("--points must be a multiple of --points-per-event");
        }
        if (points / pointsPerEvent < runs) {
            throw usage("--runs must not exceed the number of events (" + points / pointsPerEvent + ")");
        }
        if (points / pointsPerEvent > Integer.MAX_VALUE) {
            throw usage("too many events");
        }
        if (copyStreams < 1 || copyStreams > runs) {
            throw usage("--copy-streams must be between 1 and --runs");
        }
        if (timeoutSeconds <= 0 || settleSeconds < 0) {
            throw usage("--timeout must be positive and --settle not negative");
        }
    }

    int events() {
        return (int) (points / pointsPerEvent);
    }

    static BenchException usage(String message) {
        return new BenchException(64, message + " (see --help)");
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static final class Reader {
        private final Map<String, String> given;

        Reader(Map<String, String> given) {
            this.given = new LinkedHashMap<>(given);
        }

        String text(String name, String fallback) {
            String value = given.remove(name);
            return value == null ? fallback : value;
        }

        long longValue(String name, long fallback) {
            String value = text(name, null);
            try {
                return value == null
                        ? fallback
                        : Long.parseLong(value.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw usage("--" + name + " must be a whole number, not '" + value + "'");
            }
        }

        int intValue(String name, int fallback) {
            long value = longValue(name, fallback);
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                throw usage("--" + name + " is too large");
            }
            return (int) value;
        }

        double doubleValue(String name, double fallback) {
            String value = text(name, null);
            try {
                return value == null ? fallback : Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw usage("--" + name + " must be a number, not '" + value + "'");
            }
        }

        String choice(String name, String fallback, String... allowed) {
            String value = text(name, fallback).toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(value)) {
                    return value;
                }
            }
            throw usage("--" + name + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
        }

        Set<Phase> phases(String name) {
            String value = text(name, "kafka,copy,e2e");
            Set<Phase> phases = EnumSet.noneOf(Phase.class);
            for (String part : value.split(",")) {
                String p = part.trim().toUpperCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    phases.add(Phase.valueOf(p));
                } catch (IllegalArgumentException e) {
                    throw usage("--phases takes kafka, copy, e2e and history, not '" + part + "'");
                }
            }
            if (phases.isEmpty()) {
                throw usage("--phases names no phase");
            }
            return phases;
        }

        void rejectUnknown() {
            if (!given.isEmpty()) {
                throw usage("unknown option --" + given.keySet().iterator().next());
            }
        }
    }
}
