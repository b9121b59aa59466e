// Helper for deploy/local/labjournal (not part of the Maven reactor).
// Creates all given Kafka topics in ONE JVM (each JVM start costs ~2 s on 2 cores); topics that already
// exist are left alone. Compiled once by the script against the broker's libs/ and run as:
//   java -cp "<helper dir>:<kafka libs>/*" EnsureTopics <bootstrap> <topic>:<partitions> [<topic>:<partitions> ...]
// Replication factor is always 1 (single local broker). Exit code 0 when every topic exists afterwards.

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

public class EnsureTopics {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EnsureTopics <bootstrap> <topic>:<partitions>...");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "labjournal-local-ensure-topics");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");

        List<NewTopic> wanted = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int colon = args[i].lastIndexOf(':');
            if (colon <= 0) {
                System.err.println("bad topic spec (want name:partitions): " + args[i]);
                System.exit(2);
            }
            wanted.add(new NewTopic(args[i].substring(0, colon), Integer.parseInt(args[i].substring(colon + 1)), (short) 1));
        }

        int failures = 0;
        try (Admin admin = Admin.create(props)) {
            CreateTopicsResult result = admin.createTopics(wanted);
            List<String> existing = new ArrayList<>();
            for (NewTopic topic : wanted) {
                try {
                    result.values().get(topic.name()).get(60, TimeUnit.SECONDS);
                    System.out.println("created " + topic.name() + " (partitions " + topic.numPartitions() + ")");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        existing.add(topic.name());
                    } else {
                        failures++;
                        System.out.println("FAILED  " + topic.name() + ": " + e.getCause());
                    }
                }
            }
            if (!existing.isEmpty()) {
                Map<String, TopicDescription> described =
                        admin.describeTopics(existing).allTopicNames().get(60, TimeUnit.SECONDS);
                for (String name : existing) {
                    System.out.println("exists  " + name + " (partitions " + described.get(name).partitions().size() + ")");
                }
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
