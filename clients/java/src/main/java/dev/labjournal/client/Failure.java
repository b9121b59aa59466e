package dev.labjournal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;

/** A Throwable as run.finished's {@code failure}: its class, message and stack trace as printStackTrace writes it. */
final class Failure {

    private Failure() {}

    static void addTo(ObjectNode data, Throwable failure, Long step) {
        ObjectNode node = data.putObject("failure")
                .put("type", Limits.cut(failure.getClass().getName(), Limits.FAILURE_TYPE));
        if (failure.getMessage() != null) {
            node.put("message", Limits.cut(failure.getMessage(), Limits.FAILURE_MESSAGE));
        }
        node.put("stacktrace", Limits.cut(stackTrace(failure), Limits.STACKTRACE));
        if (step != null) {
            node.put("step", step);
        }
    }

    /** Exactly {@link Throwable#printStackTrace()}: "Caused by:", "Suppressed:" and "... N more" included. */
    static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            failure.printStackTrace(writer);
        }
        return text.toString();
    }
}
