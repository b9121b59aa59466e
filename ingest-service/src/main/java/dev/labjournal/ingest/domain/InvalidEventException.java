package dev.labjournal.ingest.domain;

/** An event that passed the schema but cannot be stored as it is (e.g. a date-time outside what Java represents). */
public class InvalidEventException extends RuntimeException {

    private final String path;

    public InvalidEventException(String path, String reason) {
        super(reason);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
