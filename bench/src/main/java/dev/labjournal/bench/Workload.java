package dev.labjournal.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The load, built in memory before any clock starts: run.metrics CloudEvents (JSON structured mode, valid against
 * {@code run.metrics.v1.json}) serialised to bytes and keyed by run id, and the very rows ingest must write for them
 * (tenant_id, run_id, key, step, time, value), encoded for COPY.
 *
 * <p>Event {@code i} belongs to run {@code i % runs} and carries that run's steps {@code (i / runs) * pointsPerEvent}
 * onwards, so the events of all runs interleave on the topic and each run's steps grow in order.
 */
final class Workload {

    static final String PROJECT = "bench";
    static final String KEY = "train/loss";
    /** The metric key's ref in the COPY baseline's rows. */
    static final int KEY_REF = 1;

    private static final String DATASCHEMA = "https://labjournal.dev/schemas/run.metrics.v1.json";
    /** Microseconds from the Unix epoch to PostgreSQL's epoch (2000-01-01T00:00:00Z). */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** One event: its Kafka key (the run id) and value, and what its points are. */
    record Event(String runId, byte[] key, byte[] value, long firstStep, Instant time) {}

    final String tenant;
    final int pointsPerEvent;
    final int runs;
    final List<Event> events;
    final long payloadBytes;

    private Workload(String tenant, int pointsPerEvent, int runs, List<Event> events) {
        this.tenant = tenant;
        this.pointsPerEvent = pointsPerEvent;
        this.runs = runs;
        this.events = events;
        this.payloadBytes = events.stream()
                .mapToLong(e -> e.value().length + e.key().length)
                .sum();
    }

    long points() {
        return (long) events.size() * pointsPerEvent;
    }

    static String runId(int run) {
        return String.format("run-%05d", run);
    }

    /** The value of a run's metric at a step: a decaying loss with some noise, deterministic. */
    static double value(int run, long step) {
        return 2.5 * Math.exp(-step / 700.0) + 0.05 + ((run * 31L + step * 17L) % 1000) / 10_000.0;
    }

    static Workload build(String tenant, int events, int pointsPerEvent, int runs) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String source = "/tenants/" + tenant + "/projects/" + PROJECT;
        List<Event> list = new ArrayList<>(events);
        StringBuilder json = new StringBuilder(pointsPerEvent * 60 + 512);
        for (int i = 0; i < events; i++) {
            int run = i % runs;
            String runId = runId(run);
            long firstStep = (long) (i / runs) * pointsPerEvent;
            // Microsecond precision, as PostgreSQL stores it, so the COPY rows are exactly what ingest writes.
            Instant time = base.plus(i * 1_001L, ChronoUnit.MICROS);
            json.setLength(0);
            json.append("{\"specversion\":\"1.0\",\"id\":\"")
                    .append(UUID.randomUUID())
                    .append("\",\"source\":\"")
                    .append(source)
                    .append("\",\"type\":\"dev.labjournal.run.metrics.v1\",\"subject\":\"")
                    .append(runId)
                    .append("\",\"time\":\"")
                    .append(time)
                    .append("\",\"datacontenttype\":\"application/json\",\"dataschema\":\"")
                    .append(DATASCHEMA)
                    .append("\",\"tenant\":\"")
                    .append(tenant)
                    .append("\",\"data\":{\"metrics\":[");
            for (int p = 0; p < pointsPerEvent; p++) {
                long step = firstStep + p;
                if (p > 0) {
                    json.append(',');
                }
                json.append("{\"key\":\"")
                        .append(KEY)
                        .append("\",\"value\":")
                        .append(value(run, step))
                        .append(",\"step\":")
                        .append(step)
                        .append('}');
            }
            json.append("]}}");
            list.add(new Event(
                    runId,
                    runId.getBytes(StandardCharsets.UTF_8),
                    json.toString().getBytes(StandardCharsets.UTF_8),
                    firstStep,
                    time));
        }
        return new Workload(tenant, pointsPerEvent, runs, list);
    }

    /**
     * The rows of all events for {@code COPY metric_points (run_ref, key_ref, step, time, value) FROM STDIN}, in chunks
     * of about {@code chunkBytes}; run {@code run-N} is given the ref N + 1 and the key the ref 1.
     */
    List<ByteBuffer> copyData(Options.CopyFormat format, int chunkBytes) {
        return copyData(format, chunkBytes, 0, 1);
    }

    /** The rows of the runs {@code r} with {@code r % streams == stream}, for one of several parallel COPYs. */
    List<ByteBuffer> copyData(Options.CopyFormat format, int chunkBytes, int stream, int streams) {
        Chunks chunks = new Chunks(chunkBytes);
        if (format == Options.CopyFormat.BINARY) {
            ByteBuffer header = chunks.room(19);
            header.put("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            header.putInt(0); // flags
            header.putInt(0); // header extension length
        }
        for (Event event : events) {
            int run = Integer.parseInt(event.runId().substring(4));
            if (run % streams != stream) {
                continue;
            }
            long runRef = run + 1L;
            long micros =
                    event.time().getEpochSecond() * 1_000_000L + event.time().getNano() / 1_000;
            String csvPrefix = format == Options.CopyFormat.CSV ? runRef + "," + KEY_REF + "," : null;
            String csvTime = "," + event.time() + ",";
            for (int p = 0; p < pointsPerEvent; p++) {
                long step = event.firstStep() + p;
                double value = value(run, step);
                if (format == Options.CopyFormat.BINARY) {
                    ByteBuffer b = chunks.room(2 + 4 * (4 + 8) + 4 + 4);
                    b.putShort((short) 5);
                    b.putInt(8).putLong(runRef);
                    b.putInt(4).putInt(KEY_REF);
                    b.putInt(8).putLong(step);
                    b.putInt(8).putLong(micros - PG_EPOCH_MICROS);
                    b.putInt(8).putDouble(value);
                } else {
                    byte[] line = (csvPrefix + step + csvTime + value + "\n").getBytes(StandardCharsets.UTF_8);
                    chunks.room(line.length).put(line);
                }
            }
        }
        if (format == Options.CopyFormat.BINARY) {
            chunks.room(2).putShort((short) -1);
        }
        return chunks.done();
    }

    /** Fixed-size buffers filled one after the other. */
    private static final class Chunks {
        private final int size;
        private final List<ByteBuffer> full = new ArrayList<>();
        private ByteBuffer current;

        Chunks(int size) {
            this.size = size;
        }

        ByteBuffer room(int bytes) {
            if (current == null || current.remaining() < bytes) {
                if (current != null) {
                    full.add(current.flip());
                }
                current = ByteBuffer.allocate(Math.max(size, bytes));
            }
            return current;
        }

        List<ByteBuffer> done() {
            if (current != null) {
                full.add(current.flip());
                current = null;
            }
            return full;
        }
    }
}
