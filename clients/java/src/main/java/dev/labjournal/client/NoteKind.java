package dev.labjournal.client;

/** What a note is, as run.note's {@code kind}. */
public enum NoteKind {
    /** What we expect. */
    HYPOTHESIS,
    /** What we see. */
    OBSERVATION,
    /** What we learned. */
    CONCLUSION;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
