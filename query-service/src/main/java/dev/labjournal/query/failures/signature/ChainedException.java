package dev.labjournal.query.failures.signature;

import java.util.List;

/**
 * One exception of a stack trace's chain.
 *
 * @param type the exception type as the trace names it ({@code torch.cuda.OutOfMemoryError})
 * @param message its message, possibly several lines; empty when it has none
 * @param frames its frames, innermost (where it was raised) first
 */
public record ChainedException(String type, String message, List<Frame> frames) {

    public ChainedException {
        frames = List.copyOf(frames);
    }
}
