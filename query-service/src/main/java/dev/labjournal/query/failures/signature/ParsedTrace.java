package dev.labjournal.query.failures.signature;

import java.util.List;

/**
 * A parsed stack trace: its chain of exceptions and the one that says what went wrong.
 *
 * @param chain every exception of the trace, in the order it prints them
 * @param root the exception that names the failure: Python's first exception of a chain of {@code raise ... from}
 *     causes ending at the raised one (an exception raised while handling another names the failure itself: the
 *     other was incidental); Java's last {@code Caused by}
 */
public record ParsedTrace(List<ChainedException> chain, ChainedException root) {

    public ParsedTrace {
        chain = List.copyOf(chain);
    }

    /** A trace that could not be parsed (not Python, not JVM, or empty). */
    public static final ParsedTrace EMPTY = new ParsedTrace(List.of(), null);

    public boolean isEmpty() {
        return root == null;
    }
}
