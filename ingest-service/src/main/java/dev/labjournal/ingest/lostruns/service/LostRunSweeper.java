package dev.labjournal.ingest.lostruns.service;

import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.ingest.kafka.KafkaPublisher;
import dev.labjournal.ingest.kafka.RunChanges;
import dev.labjournal.ingest.normalise.repository.RunRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Marks runs that went silent as lost, and tells the query service. Safe to run on every instance at once. */
@ApplicationScoped
public class LostRunSweeper {

    private static final Logger LOG = Logger.getLogger(LostRunSweeper.class);

    private final Pool pool;
    private final RunRepository runs;
    private final KafkaPublisher publisher;
    private final IngestConfig config;

    public LostRunSweeper(Pool pool, RunRepository runs, KafkaPublisher publisher, IngestConfig config) {
        this.pool = pool;
        this.runs = runs;
        this.publisher = publisher;
        this.config = config;
    }

    @Scheduled(
            every = "${labjournal.ingest.lost-check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return runs.markLost(
                        pool, config.lostAfter(), config.lostCheckInterval().multipliedBy(3))
                .invoke(lost -> {
                    if (!lost.isEmpty()) {
                        LOG.debugf("%d runs marked lost recently (new ones and re-sends)", lost.size());
                    }
                })
                .chain(lost -> publisher.sendAll(RunChanges.reannouncements(lost)))
                .onFailure()
                .invoke(e -> LOG.warnf("looking for lost runs failed (retried next time): %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
