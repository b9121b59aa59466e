package dev.labjournal.query.search.filter;

/** A filter that cannot be parsed or used, with the 1-based column where it went wrong. */
public final class FilterException extends RuntimeException {

    private final int column;

    public FilterException(int column, String message) {
        super(message + " at column " + column);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
