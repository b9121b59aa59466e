package dev.labjournal.client;

/** A request that did not go through, and of what {@link Kind}: whether to retry, resend alone or give up. */
final class DeliveryException extends Exception {

    /** Why, for the decision: a refusal of the events (400) is worth sending them one by one. */
    enum Kind {
        /** Unreachable, timed out, overloaded, a server error: try again. */
        RETRYABLE,
        /** The server refused the events themselves (400): the others of a batch may pass alone. */
        REFUSED_EVENTS,
        /** The key or the configuration is refused (401, 403, 404): nothing sent this way can pass. */
        REFUSED_CLIENT
    }

    private final Kind kind;

    DeliveryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    DeliveryException(Kind kind, String message) {
        this(kind, message, null);
    }

    Kind kind() {
        return kind;
    }

    /** The kind of an HTTP status that is not a success. */
    static Kind ofStatus(int status) {
        if (status == 400 || status == 413 || status == 422) {
            return Kind.REFUSED_EVENTS;
        }
        if (status == 401 || status == 403 || status == 404) {
            return Kind.REFUSED_CLIENT;
        }
        return Kind.RETRYABLE;
    }
}
