package dev.labjournal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What run.started tells of where the run ran: {@code environment} (host, JVM, operating system, processors) and
 * {@code source} (the git commit, branch, dirty flag and remote of the working directory, when it is a repository).
 * Captured on the sender's thread; git is given two seconds per command.
 */
final class RunEnvironment {

    private static final long GIT_TIMEOUT_MILLIS = 2000;
    private static final String SOURCE_LAUNCHER = "jdk.compiler/com.sun.tools.javac.launcher.Main";
    /** user:password@ in a remote URL is a credential: it never leaves the machine. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@]+@");

    private RunEnvironment() {}

    static void addTo(ObjectNode data, Path workingDirectory) {
        ObjectNode environment = data.putObject("environment");
        put(environment, "host", hostName());
        put(environment, "java", System.getProperty("java.version"));
        put(environment, "java.vendor", System.getProperty("java.vendor"));
        put(environment, "java.vm", System.getProperty("java.vm.name"));
        put(environment, "os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        put(environment, "arch", System.getProperty("os.arch"));
        put(environment, "cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        put(environment, "max_heap_bytes", Long.toString(Runtime.getRuntime().maxMemory()));
        put(environment, "labjournal.client", "java " + clientVersion());

        String commit = git(workingDirectory, "rev-parse", "HEAD");
        if (commit == null) {
            return;
        }
        ObjectNode source = data.putObject("source").put("commit", commit);
        String branch = git(workingDirectory, "rev-parse", "--abbrev-ref", "HEAD");
        if (branch != null && !branch.equals("HEAD")) {
            source.put("branch", branch);
        }
        String status = git(workingDirectory, "status", "--porcelain", "--untracked-files=no");
        if (status != null) {
            source.put("dirty", !status.isEmpty());
        }
        String remote = git(workingDirectory, "remote", "get-url", "origin");
        if (remote != null && !remote.isEmpty()) {
            source.put("repo", URL_CREDENTIALS.matcher(remote).replaceFirst(""));
        }
        String entrypoint = entrypoint(System.getProperty("sun.java.command"));
        if (entrypoint != null) {
            source.put("entrypoint", Limits.cut(entrypoint, 2000));
        }
    }

    /** The main class or jar (the source file, for "java Train.java"), without the arguments. */
    private static String entrypoint(String command) {
        if (command == null || command.isBlank()) {
            return null;
        }
        String[] words = command.strip().split("\\s+");
        return words[0].equals(SOURCE_LAUNCHER) && words.length > 1 ? words[1] : words[0];
    }

    private static void put(ObjectNode environment, String key, String value) {
        if (value != null) {
            environment.put(key, Limits.cut(value, Limits.ENVIRONMENT_VALUE));
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv("HOSTNAME");
        }
    }

    private static String clientVersion() {
        String version = RunEnvironment.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The trimmed output of a git command that succeeded in time, or null. */
    static String git(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            return null;
        }
        try {
            if (!process.waitFor(GIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return null;
            }
            if (process.exitValue() != 0) {
                return null;
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return null;
        }
    }
}
