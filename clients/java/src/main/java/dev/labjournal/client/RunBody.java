package dev.labjournal.client;

/** The training of {@link LabJournal#run(RunOptions, RunBody)}: what it throws fails the run, and is rethrown. */
@FunctionalInterface
public interface RunBody<E extends Exception> {

    void accept(Run run) throws E;
}
