package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Drives {@code deploy/local/labjournal} to break and mend parts of the running platform. */
final class LocalStack {

    private LocalStack() {}

    static void run(String... args) throws IOException, InterruptedException {
        runWith(Map.of(), args);
    }

    /** Runs {@code deploy/local/labjournal} with these environment variables added. */
    static void runWith(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Platform.ROOT.resolve("deploy/local/labjournal").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(Platform.ROOT.toFile()).inheritIO();
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES))
                .as("labjournal %s finished", args[0])
                .isTrue();
        assertThat(process.exitValue())
                .as("exit code of labjournal %s", String.join(" ", args))
                .isZero();
    }

    /** Kills a component the hard way (SIGKILL), as a crash would. */
    static void kill9(String component) throws IOException, InterruptedException {
        Path pidFile = stateDir().resolve("run").resolve(component + ".pid");
        String pid = Files.readString(pidFile).trim();
        Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -9 %s (%s)", pid, component).isZero();
    }

    private static Path stateDir() {
        return Path.of(Platform.env(
                "LJ_STATE_DIR", Platform.ROOT.resolve("deploy/local/.state").toString()));
    }
}
