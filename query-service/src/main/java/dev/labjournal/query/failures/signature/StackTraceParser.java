package dev.labjournal.query.failures.signature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Python tracebacks (with their {@code The above exception was the direct cause of the following exception}
 * and {@code During handling of the above exception, another exception occurred} chains) and JVM stack traces (with
 * {@code Caused by:}, {@code ... N more} and {@code Suppressed:}) into a {@link ParsedTrace}. Lines it does not
 * understand (log lines before a traceback, source lines) are skipped; text that is neither gives {@link
 * ParsedTrace#EMPTY}. Pure and linear in the length of the text.
 */
public final class StackTraceParser {

    /** Longer traces are cut here: the frames that matter are near the top of a JVM trace and the end of Python's. */
    static final int MAX_CHARS = 64 * 1024;

    private static final String PY_TRACEBACK = "Traceback (most recent call last):";
    private static final String PY_CAUSE = "The above exception was the direct cause of the following exception";
    private static final String PY_CONTEXT = "During handling of the above exception, another exception occurred";
    private static final Pattern PY_FRAME = Pattern.compile("^\\s*File \"(.+)\", line \\d+(?:, in (.+))?$");
    private static final Pattern EXCEPTION_LINE =
            Pattern.compile("^([A-Za-z_][\\w.]*(?:\\([\\w.]+\\))?)(?::\\s?(.*))?$");
    private static final Pattern JVM_FRAME = Pattern.compile("^\\s*at ([^\\s(]+)\\(.*\\)\\s*$");
    private static final Pattern JVM_MORE = Pattern.compile("^\\s*\\.\\.\\. \\d+ (?:more|common frames omitted)\\s*$");
    private static final Pattern THREAD_PREFIX = Pattern.compile("^Exception in thread \"[^\"]*\"\\s+");
    private static final Pattern JVM_CAUSED_BY = Pattern.compile("^Caused by: (.*)$");

    private StackTraceParser() {}

    public static ParsedTrace parse(String text) {
        if (text == null || text.isBlank()) {
            return ParsedTrace.EMPTY;
        }
        String trace = text.length() > MAX_CHARS ? text.substring(text.length() - MAX_CHARS) : text;
        List<String> lines = trace.lines().toList();
        if (trace.contains(PY_TRACEBACK)) {
            return python(lines);
        }
        if (lines.stream().anyMatch(line -> JVM_FRAME.matcher(line).matches())) {
            return jvm(
                    text.length() > MAX_CHARS
                            ? text.substring(0, MAX_CHARS).lines().toList()
                            : lines);
        }
        return ParsedTrace.EMPTY;
    }

    private enum Link {
        CAUSE,
        CONTEXT
    }

    private static ParsedTrace python(List<String> lines) {
        List<ChainedException> chain = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith(PY_TRACEBACK)) {
            i++;
        }
        while (i < lines.size()) {
            i++;
            List<Frame> frames = new ArrayList<>();
            while (i < lines.size()
                    && (lines.get(i).isEmpty()
                            || Character.isWhitespace(lines.get(i).charAt(0)))) {
                Matcher frame = PY_FRAME.matcher(lines.get(i));
                if (frame.matches()) {
                    frames.add(Frames.python(frame.group(1), frame.group(2) == null ? "?" : frame.group(2)));
                }
                i++;
            }
            StringBuilder header = new StringBuilder();
            Link next = null;
            while (i < lines.size()) {
                String line = lines.get(i);
                if (line.startsWith(PY_TRACEBACK)) {
                    break;
                }
                if (line.startsWith(PY_CAUSE)) {
                    next = Link.CAUSE;
                } else if (line.startsWith(PY_CONTEXT)) {
                    next = Link.CONTEXT;
                } else if (next == null) {
                    header.append(header.isEmpty() ? "" : "\n").append(line);
                }
                i++;
            }
            Collections.reverse(frames);
            chain.add(exception(header.toString().strip(), frames));
            if (i < lines.size()) {
                links.add(next == null ? Link.CONTEXT : next);
            }
        }
        int root = chain.size() - 1;
        while (root > 0 && links.get(root - 1) == Link.CAUSE) {
            root--;
        }
        return new ParsedTrace(chain, chain.get(root));
    }

    private static ParsedTrace jvm(List<String> lines) {
        List<ChainedException> chain = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        String header = null;
        StringBuilder message = new StringBuilder();
        List<Frame> frames = new ArrayList<>();
        boolean suppressed = false;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher causedBy = JVM_CAUSED_BY.matcher(line);
            Matcher frame = JVM_FRAME.matcher(line);
            if (header == null) {
                header = THREAD_PREFIX.matcher(line.strip()).replaceFirst("");
            } else if (causedBy.matches()) {
                chain.add(exception(joined(header, message), frames));
                header = causedBy.group(1).strip();
                message.setLength(0);
                frames = new ArrayList<>();
                suppressed = false;
            } else if (line.stripLeading().startsWith("Suppressed: ")) {
                suppressed = true;
            } else if (frame.matches()) {
                if (!suppressed) {
                    frames.add(Frames.jvm(frame.group(1)));
                }
            } else if (!JVM_MORE.matcher(line).matches() && frames.isEmpty() && !suppressed) {
                message.append('\n').append(line);
            }
        }
        if (header != null) {
            chain.add(exception(joined(header, message), frames));
        }
        return chain.isEmpty() ? ParsedTrace.EMPTY : new ParsedTrace(chain, chain.get(chain.size() - 1));
    }

    private static String joined(String header, StringBuilder message) {
        return (header + message).strip();
    }

    /** An exception from its header ({@code type: message}, possibly several lines) and frames. */
    private static ChainedException exception(String header, List<Frame> frames) {
        int newline = header.indexOf('\n');
        String first = newline < 0 ? header : header.substring(0, newline);
        String rest = newline < 0 ? "" : header.substring(newline + 1);
        Matcher m = EXCEPTION_LINE.matcher(first);
        if (!m.matches()) {
            return new ChainedException("", header, frames);
        }
        String message = m.group(2) == null ? "" : m.group(2);
        String full = rest.isEmpty() ? message : (message + "\n" + rest);
        return new ChainedException(m.group(1), full.strip(), frames);
    }
}
