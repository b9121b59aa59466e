package dev.labjournal.ingest.domain;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** RFC 3339 timestamps as the schemas accept them (lower-case 't' and 'z' included). */
public final class EventTimes {

    private EventTimes() {}

    /** Parses or throws {@link InvalidEventException} naming the path. */
    public static OffsetDateTime parse(String text, String path) {
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(path, "'" + text + "' is not an RFC 3339 date-time this server can store");
        }
    }
}
