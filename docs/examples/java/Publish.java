import dev.labjournal.client.LabJournal;
import dev.labjournal.client.RunOptions;

/**
 * Publishes one Lab Journal run with the Java SDK (clients/java): run.started, three loss points, run.finished. The
 * SDK reads its target from the environment: LABJOURNAL_API_KEY with LABJOURNAL_URL (the server tells the tenant and
 * the ingest address), or with LABJOURNAL_INGEST_URL and LABJOURNAL_TENANT; LABJOURNAL_KAFKA_BOOTSTRAP and
 * LABJOURNAL_TENANT for Kafka.
 *
 * <p>Usage: java -cp "$SDK_CLASSPATH" Publish.java RUN_ID
 */
public class Publish {
    public static void main(String[] args) {
        var options = RunOptions.builder()
                .project("demo")
                .runId(args[0])
                .name("java example")
                .param("lr", "0.1")
                .build();
        try (var run = LabJournal.startRun(options)) { // close(): finished as succeeded, after the queue drains
            for (double loss : new double[] {0.9, 0.5, 0.3}) {
                run.logMetric("loss", loss); // steps 0, 1, 2
            }
        }
        System.out.println("published run " + args[0]);
    }
}
