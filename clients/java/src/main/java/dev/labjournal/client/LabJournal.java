package dev.labjournal.client;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Records training runs in Lab Journal.
 *
 * <pre>{@code
 * try (Run run = LabJournal.startRun(RunOptions.builder().project("nlp").name("bert").param("lr", "0.1").build())) {
 *     run.logMetrics(Map.of("loss", 0.3));
 * }
 * }</pre>
 *
 * <p>or, so that an exception becomes a failed run with its stack trace:
 *
 * <pre>{@code
 * LabJournal.run(options, run -> train(run));
 * }</pre>
 *
 * Where the events go is {@link LabJournalConfig#fromEnv()} unless the options name a configuration.
 */
public final class LabJournal {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private LabJournal() {}

    /** Starts a run: run.started is queued (with the environment) and the run's sender thread starts. */
    public static Run startRun(RunOptions options) {
        LabJournalConfig config = options.config() != null ? options.config() : LabJournalConfig.fromEnv();
        return new Run(options, config, HTTP);
    }

    /**
     * Runs the body in a run: when it returns, the run succeeded; when it throws (any Throwable), the run failed with
     * the throwable's class, message and stack trace, and the throwable is rethrown as it is. The run is closed
     * either way, which waits for its events to be delivered (at most the close timeout).
     */
    public static <E extends Exception> void run(RunOptions options, RunBody<E> body) throws E {
        try (Run run = startRun(options)) {
            try {
                body.accept(run);
            } catch (Throwable failure) {
                run.fail(failure);
                throw failure;
            }
        }
    }
}
