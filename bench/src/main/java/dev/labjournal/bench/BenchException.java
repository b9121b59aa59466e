package dev.labjournal.bench;

/** Ends the benchmark with a message and an exit status (see {@link Options#USAGE}). */
public final class BenchException extends RuntimeException {

    public static final int UNREACHABLE = 2;
    public static final int TIMEOUT = 3;
    public static final int TARGET_MISSED = 4;

    private final int exitCode;

    public BenchException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public BenchException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
