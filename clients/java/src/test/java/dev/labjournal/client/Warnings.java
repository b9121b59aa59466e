package dev.labjournal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the client's warnings (System.Logger goes to java.util.logging) while a test runs. */
final class Warnings extends Handler implements AutoCloseable {

    private static final Logger CLIENT = Logger.getLogger(LabJournal.class.getPackageName());
    private final List<String> messages = new ArrayList<>();

    Warnings() {
        CLIENT.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            messages.add(record.getMessage());
        }
    }

    synchronized List<String> containing(String text) {
        return messages.stream().filter(message -> message.contains(text)).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        CLIENT.removeHandler(this);
    }
}
