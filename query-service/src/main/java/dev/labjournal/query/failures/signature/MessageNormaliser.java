package dev.labjournal.query.failures.signature;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameterises an exception message: what changes from one run of the same failure to the next (numbers, sizes,
 * tensor shapes, devices, ranks, paths, URLs, addresses, hex, UUIDs, times, lists of names) becomes a placeholder, and
 * what names the failure (words, identifiers, quoted names) stays. {@code CUDA out of memory. Tried to allocate 2.00
 * GiB. GPU 3 has a total capacity of 79.15 GiB} becomes {@code CUDA out of memory. Tried to allocate <size>. GPU <n>
 * has a total capacity of <size>}. Digits inside identifiers stay ({@code resnet50}, {@code float16}, {@code
 * ReluBackward0}); digits after {@code _} or {@code -} do not ({@code dense_3}, {@code gpu-node-17}).
 */
public final class MessageNormaliser {

    /** Normalised messages are cut here: the words that name a failure come first. */
    public static final int MAX_CHARS = 1000;

    /** Messages are cut here before normalising, which keeps every rule's work bounded whatever a run sends. */
    static final int MAX_INPUT_CHARS = 8 * 1024;

    /** A replacement: a {@link Matcher#replaceAll(String)} template, or a function of the match when computed. */
    private record Rule(Pattern pattern, String replacement, Function<MatchResult, String> computed) {

        String apply(String text) {
            Matcher matcher = pattern.matcher(text);
            return computed == null ? matcher.replaceAll(replacement) : matcher.replaceAll(computed);
        }
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement, null);
    }

    /** POSIX signal numbers name the failure (a kill, a termination, an abort): they become names, not numbers. */
    private static final Map<String, String> SIGNALS = Map.of(
            "1", "SIGHUP", "2", "SIGINT", "6", "SIGABRT", "7", "SIGBUS", "9", "SIGKILL", "11", "SIGSEGV", "15",
            "SIGTERM");

    private static Rule signalNumbers() {
        return new Rule(
                Pattern.compile("(?i)\\b(signal:?\\s*)(\\d{1,2})\\b"),
                null,
                match -> Matcher.quoteReplacement(
                        match.group(1) + SIGNALS.getOrDefault(match.group(2), "SIG" + match.group(2))));
    }

    private static final String NUM = "(?<![A-Za-z0-9.])[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?";

    /**
     * In order: the wide things first (a URL holds a path, a path holds numbers). Every repeated group is possessive
     * ({@code ++}, {@code *+}): Java matches a greedy repeated group by recursion, one level per repetition, so a
     * long list of names or numbers in a message would overflow the stack; a possessive one is matched in a loop.
     */
    private static final List<Rule> RULES = List.of(
            rule("https?://\\S+", "<url>"),
            signalNumbers(),
            rule("(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", "<uuid>"),
            rule("\\b\\d{4}-\\d{2}-\\d{2}[T _]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?", "<time>"),
            rule("\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b", "<time>"),
            rule("\\b\\d{4}-\\d{2}-\\d{2}\\b", "<date>"),
            rule("/job:[\\w-]+/replica:\\d+/task:\\d+(?:/device:[A-Za-z_]+:\\d+)?", "<device>"),
            rule("(?i)\\b(cuda|gpu|tpu|xla|mps|npu|hpu|device:gpu|device:tpu|device:cpu)[:_]\\d+\\b", "$1:<n>"),
            rule("(['\"])[^'\"\\n]*\\1(?:\\s*+,\\s*+(['\"])[^'\"\\n]*+\\2)++", "<names>"),
            rule("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b", "<ip>"),
            rule("(?i)\\b(host(?:name)?|node)(\\s*[:=]\\s*)[\\w.-]+", "$1$2<host>"),
            rule("[A-Za-z]:\\\\(?:[^\\\\\\s'\"]++\\\\)*+[^\\\\\\s'\":]*", "<path>"),
            rule("(?<![\\w.:/])(?:\\.{1,2})?(?:/[\\w.@+-]++){2,}+/?", "<path>"),
            rule("(?<![\\w/])(?:[\\w-]++/)++[\\w-]+\\.[A-Za-z]\\w{0,4}\\b", "<path>"),
            rule(
                    "\\b[\\w-]+\\.(?:py|pyx|java|scala|kt|cu|cuh|cc|cpp|c|h|hpp|json|yaml|yml|pt|pth|ckpt|bin|safetensors)\\b",
                    "<file>"),
            rule("\\b0x[0-9a-fA-F]+\\b", "<hex>"),
            rule("\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\\d)[0-9a-f]{8,}\\b", "<hex>"),
            rule("torch\\.Size\\(\\[[^\\]]*\\]\\)", "<shape>"),
            rule("\\[\\s*(?:-?\\d+|None|\\?)(?:\\s*+,\\s*+(?:-?\\d++|None|\\?))*+\\s*,?\\s*\\]", "<shape>"),
            rule("\\(\\s*(?:-?\\d+|None)(?:\\s*+,\\s*+(?:-?\\d++|None))++\\s*,?\\s*\\)", "<shape>"),
            rule("\\b\\d+(?:x\\d++)++\\b", "<shape>"),
            rule(NUM + "\\s?(?:[KMGTPE]i?B|bytes|[KMGTP]B?)\\b", "<size>"),
            rule(NUM + "\\s?(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|h)\\b", "<duration>"),
            rule("(?<![A-Za-z0-9.])v?\\d+(?:\\.\\d++){2,}+\\b", "<version>"),
            rule(NUM, "<n>"),
            rule("<n>(?:(?:\\s*+,\\s*+|\\s++)<n>)++", "<numbers>"),
            rule("\\s+", " "));

    /**
     * What {@link #kernel} also takes out of a normalised message: the names a failure mentions but that change
     * with the model, layer, estimator, function, host or config of the run (quoted names, CamelCase classes,
     * snake_case and dotted identifiers, {@code key=value} settings, slashed names, dtypes, numbered hosts and
     * layers), and ML libraries' known variable clauses (PyTorch's {@code (when checking argument ...)}, JAX's
     * {@code jit(<function>)}).
     */
    private static final List<Rule> KERNEL_RULES = List.of(
            rule("'[^'\\n]*'|\"[^\"\\n]*\"|`[^`\\n]*`", "<name>"),
            rule("\\(when checking argument[^)]*\\)", ""),
            rule("\\b(jit|pjit|pmap|vmap|xmap)\\([^)]*\\)", "$1(<fn>)"),
            rule("\\b(\\w+)=[^\\s,)]+", "$1=<v>"),
            rule("\\S*\\w/\\w\\S*", "<id>"),
            rule(
                    "(?i)\\b(?:c10::)?(?:bfloat16|float(?:16|32|64)?|half|double|u?int(?:8|16|32|64)?|long|bool"
                            + "|complex(?:64|128)?)\\b",
                    "<dtype>"),
            rule("\\b[A-Za-z_]\\w*(?:\\.\\w++)++\\b", "<id>"),
            rule("\\b[A-Z]+[a-z0-9]+[A-Z]\\w*\\b|\\b[a-z]+[A-Z]\\w*\\b", "<id>"),
            rule("\\b\\w*[A-Za-z]\\w*_\\w+\\b", "<id>"),
            rule("\\b[\\w-]*[A-Za-z][\\w-]*[-_]<n>(?:[\\w.-]|<n>)*+", "<id>"),
            rule("<numbers>", "<n>"),
            rule("\\s+", " "));

    private MessageNormaliser() {}

    /**
     * The part of a normalised message that names the failure whatever model, layer or host it happened in: {@link
     * #normalise}'s result with the names of {@link #KERNEL_RULES} parameterised too. Groups are made of it; the
     * normalised message, which keeps the names, is what is shown and matched.
     */
    public static String kernel(String normalised) {
        return apply(KERNEL_RULES, normalised);
    }

    public static String normalise(String message) {
        if (message == null) {
            return "";
        }
        String text =
                apply(RULES, message.length() > MAX_INPUT_CHARS ? message.substring(0, MAX_INPUT_CHARS) : message);
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    }

    private static String apply(List<Rule> rules, String text) {
        String result = text;
        for (Rule rule : rules) {
            result = rule.apply(result);
        }
        return result.strip();
    }
}
