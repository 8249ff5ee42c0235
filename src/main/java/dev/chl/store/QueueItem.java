package dev.chl.store;

import dev.chl.model.Kind;

/** An entry waiting for its embedding, with the attempts made so far. */
public record QueueItem(Kind kind, String id, int attempts) {}
