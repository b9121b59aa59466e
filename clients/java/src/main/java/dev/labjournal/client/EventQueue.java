package dev.labjournal.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The run's events waiting for the sender, in the order they were logged. Adding never waits: past the capacity the
 * oldest waiting metric point is dropped, while events other than metrics (start, params, tags, notes, finish) are
 * never dropped and do not count against it.
 */
final class EventQueue {

    private final int capacity;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private int points;
    private long dropped;
    private boolean closed;
    private long closeDeadlineNanos;

    EventQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds the item; returns true when this add dropped the first point ever (the caller warns once). */
    synchronized boolean add(Item item, int wakeAtPoints) {
        boolean firstDrop = false;
        if (item instanceof Item.MetricPoint) {
            if (points >= capacity) {
                dropOldestPoint();
                firstDrop = dropped == 1;
            }
            points++;
        }
        items.addLast(item);
        if (points >= wakeAtPoints || !(item instanceof Item.MetricPoint)) {
            notifyAll();
        }
        return firstDrop;
    }

    private void dropOldestPoint() {
        for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Item.MetricPoint) {
                it.remove();
                points--;
                dropped++;
                return;
            }
        }
    }

    /**
     * The next items to send, in order: at most maxPoints metric points and the other events among and before them.
     * Waits until maxPoints points wait, or linger has passed since items were first seen, or the queue is closed.
     *
     * @return the items; an empty list when nothing came for idle (time for a heartbeat); null when closed and empty
     */
    synchronized List<Item> next(int maxPoints, Duration linger, Duration idle) throws InterruptedException {
        long idleEnd = System.nanoTime() + idle.toNanos();
        while (items.isEmpty() && !closed) {
            long left = idleEnd - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            waitNanos(left);
        }
        long lingerEnd = System.nanoTime() + linger.toNanos();
        while (!closed && points < maxPoints) {
            long left = lingerEnd - System.nanoTime();
            if (left <= 0) {
                break;
            }
            waitNanos(left);
        }
        if (items.isEmpty()) {
            return null;
        }
        List<Item> batch = new ArrayList<>();
        int taken = 0;
        while (!items.isEmpty()) {
            Item head = items.peekFirst();
            if (head instanceof Item.MetricPoint) {
                if (taken == maxPoints) {
                    break;
                }
                taken++;
                points--;
            }
            batch.add(items.pollFirst());
        }
        return batch;
    }

    private void waitNanos(long nanos) throws InterruptedException {
        long millis = Math.max(1, nanos / 1_000_000);
        wait(millis);
    }

    /** No more items will come: the sender sends what waits until the deadline, then gives up. */
    synchronized void close(Duration timeout) {
        closed = true;
        closeDeadlineNanos = System.nanoTime() + timeout.toNanos();
        notifyAll();
    }

    /** The nanoseconds left before the close deadline, or Long.MAX_VALUE while open. */
    synchronized long nanosLeft() {
        return closed ? closeDeadlineNanos - System.nanoTime() : Long.MAX_VALUE;
    }

    synchronized long dropped() {
        return dropped;
    }

    /** The items that never left, when the sender gives up. */
    synchronized int abandon() {
        int left = items.size();
        items.clear();
        points = 0;
        return left;
    }
}
