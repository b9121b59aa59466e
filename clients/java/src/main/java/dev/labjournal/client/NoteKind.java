package dev.labjournal.client;

import java.util.Locale;

/** What a note is, as run.note's {@code kind}. */
public enum NoteKind {
    /** What we expect. */
    HYPOTHESIS,
    /** What we see. */
    OBSERVATION,
    /** What we learned. */
    CONCLUSION;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
