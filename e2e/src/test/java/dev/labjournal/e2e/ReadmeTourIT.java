package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's tour works as written: its bash blocks are run as they stand. */
class ReadmeTourIT {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theTourRunsAsWrittenAndFindsTheFailure() throws Exception {
        Platform.ensureUp();
        String readme = Files.readString(Platform.ROOT.resolve("README.md"));
        String tour = readme.substring(readme.indexOf("<!-- tour:start -->"), readme.indexOf("<!-- tour:end -->"));
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        Matcher block = BASH_BLOCK.matcher(tour);
        while (block.find()) {
            script.append(block.group(1));
        }

        Process bash = new ProcessBuilder("bash", "-c", script.toString())
                .directory(Platform.ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(bash.waitFor(2, TimeUnit.MINUTES)).as("the tour finished").isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(bash.exitValue())
                .as("exit code of the tour; output:%n%s", output)
                .isZero();
        assertThat(output)
                .contains("\"run_id\": \"run-1\"")
                .contains("\"failure_type\": \"torch.cuda.OutOfMemoryError\"")
                .contains("<em>OutOfMemoryError</em>")
                .contains("\"run_id\": \"run-2\"")
                .contains("NaN loss after warmup")
                .contains("lj-error-code=malformed_json");
    }
}
