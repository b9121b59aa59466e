package dev.labjournal.bench;

/** Ends the benchmark with a message and an exit status (see {@link Options#USAGE}). */
final class BenchException extends RuntimeException {

    static final int UNREACHABLE = 2;
    static final int TIMEOUT = 3;
    static final int TARGET_MISSED = 4;

    private final int exitCode;

    BenchException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    BenchException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
