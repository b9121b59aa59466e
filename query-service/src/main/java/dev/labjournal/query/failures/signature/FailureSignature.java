package dev.labjournal.query.failures.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a failure is, independent of the run it happened in: its exception, parameterised message and normalised
 * frames, and its group — a stable short hash that the same failure gets in every run, team and project.
 *
 * <p>The group is the root exception's simple type plus the kernel of its parameterised message ({@link
 * MessageNormaliser#kernel}), and, when the message says
 * nothing once parameterised (no message, or only numbers), the innermost frames of the root exception. Error trackers group by type and top in-app frames, which suits one codebase; across an organisation the
 * same ML failure ({@code CUDA out of memory}, an NCCL timeout) passes through every team's own code but always through
 * the same library and with the same message template, so the frames of one team would split one failure into a group
 * per team. The frames still weigh in the similarity ranking. A failure whose message says nothing once parameterised
 * (a bare {@code AssertionError}) is grouped by the innermost frames of its root exception, project or library: where
 * it was raised is then all there is to tell it by, and a library's assertion is raised in the same place for every
 * team.
 *
 * @param group the failure group: 12 hex digits
 * @param exceptionType the root exception's type as the trace names it (the run's failure type without a trace)
 * @param normalisedMessage the root exception's message, parameterised ({@link MessageNormaliser})
 * @param exceptionTypes every type of the chain and the run's own failure type, simple names, deduplicated
 * @param appFrames the project's frames, innermost first, deduplicated, at most {@link #MAX_FRAMES}
 * @param libraryFrames library and runtime frames, likewise
 */
public record FailureSignature(
        String group,
        String exceptionType,
        String normalisedMessage,
        List<String> exceptionTypes,
        List<String> appFrames,
        List<String> libraryFrames) {

    public static final int MAX_FRAMES = 24;

    /** How many innermost frames of the root exception stand in for a message that says nothing. */
    static final int GROUP_FRAMES = 3;

    public FailureSignature {
        exceptionTypes = List.copyOf(exceptionTypes);
        appFrames = List.copyOf(appFrames);
        libraryFrames = List.copyOf(libraryFrames);
    }

    /**
     * The signature of a failure from what a run reports: its type, message and stack trace, each possibly null.
     * Null when there is nothing to go on (no type, message or trace).
     */
    public static FailureSignature of(String type, String message, String stacktrace) {
        ParsedTrace trace = StackTraceParser.parse(stacktrace);
        String rootType = !trace.isEmpty() && !trace.root().type().isEmpty()
                ? trace.root().type()
                : blankToEmpty(type);
        String rootMessage = !trace.isEmpty() && !trace.root().message().isEmpty()
                ? trace.root().message()
                : blankToEmpty(message);
        if (rootType.isEmpty() && rootMessage.isEmpty() && trace.isEmpty()) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        types.add(simple(rootType));
        trace.chain().forEach(e -> types.add(simple(e.type())));
        types.add(simple(blankToEmpty(type)));
        types.remove("");

        Set<String> app = new LinkedHashSet<>();
        Set<String> library = new LinkedHashSet<>();
        List<ChainedException> rootFirst = new ArrayList<>();
        if (!trace.isEmpty()) {
            rootFirst.add(trace.root());
            trace.chain().stream().filter(e -> e != trace.root()).forEach(rootFirst::add);
        }
        for (ChainedException e : rootFirst) {
            for (Frame frame : e.frames()) {
                Set<String> into = frame.inApp() ? app : library;
                if (into.size() < MAX_FRAMES) {
                    into.add(frame.normalised());
                }
            }
        }
        String normalised = MessageNormaliser.normalise(rootMessage);
        List<String> rootFrames = trace.isEmpty()
                ? List.of()
                : trace.root().frames().stream().map(Frame::normalised).toList();
        return new FailureSignature(
                group(simple(rootType), normalised, rootFrames),
                rootType,
                normalised,
                List.copyOf(types),
                List.copyOf(app),
                List.copyOf(library));
    }

    private static String group(String type, String normalised, List<String> rootFrames) {
        StringBuilder key = new StringBuilder(type.toLowerCase(Locale.ROOT)).append('\n');
        String message = MessageNormaliser.kernel(normalised).toLowerCase(Locale.ROOT);
        key.append(message);
        if (!saysSomething(message)) {
            rootFrames.stream()
                    .limit(GROUP_FRAMES)
                    .forEach(f -> key.append('\n').append(f));
        }
        return hash(key.toString());
    }

    /** Whether a parameterised message has a word of its own, not only placeholders and punctuation. */
    private static boolean saysSomething(String normalised) {
        return normalised
                        .replaceAll("<[a-z]+>", "")
                        .chars()
                        .filter(Character::isLetter)
                        .count()
                >= 3;
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String simple(String type) {
        String t = type.strip();
        int paren = t.indexOf('(');
        String name = paren < 0 ? t : t.substring(0, paren);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
