package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK's own tests (clients/python/run-tests: pytest, unit tests and tests against this platform, among
 * them an ingest-service outage mid-training and a SIGKILL then `labjournal sync`), run as part of the build. The
 * pytest report is clients/python/target/pytest-report.xml; its output is in the failure message.
 */
class PythonClientIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void thePythonSdkPassesItsTestsAgainstThePlatform() throws Exception {
        Platform.ensureUp();
        Path log = Files.createTempFile("python-sdk-tests-", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Platform.ROOT.resolve("clients/python/run-tests").toString(), "-q")
                .directory(Platform.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("clients/python/run-tests did not finish in %s; output:%n%s", TIMEOUT, Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(process.exitValue())
                .as("clients/python/run-tests exit code; output:%n%s", output)
                .isZero();
        assertThat(output).as("pytest's summary").containsPattern("\\d+ passed").doesNotContain("skipped");
    }
}
