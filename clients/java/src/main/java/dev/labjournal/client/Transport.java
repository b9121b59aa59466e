package dev.labjournal.client;

import java.util.List;

/** Sends events, all or failing with a {@link DeliveryException}; sending the same events again is harmless. */
interface Transport extends AutoCloseable {

    void send(List<Outgoing> events) throws DeliveryException;

    @Override
    void close();
}
