package dev.labjournal.ingest.normalise.service;

import dev.labjournal.ingest.domain.InvalidEventException;
import io.vertx.pgclient.PgException;

/** Tells failures that lie in the data (retrying cannot help) from transient ones (retry the same batch). */
final class StorageErrors {

    private StorageErrors() {}

    /**
     * Permanent: PostgreSQL data exceptions (22), integrity violations (23), syntax or access rule violations (42)
     * and program limits (54), and events this server cannot represent. Everything else, connection loss included,
     * is transient.
     */
    static boolean isPermanent(Throwable t) {
        if (t instanceof InvalidEventException || t instanceof IllegalArgumentException) {
            return true;
        }
        if (t instanceof PgException pg && pg.getSqlState() != null) {
            String sqlClass = pg.getSqlState().substring(0, 2);
            return sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("42") || sqlClass.equals("54");
        }
        return false;
    }
}
