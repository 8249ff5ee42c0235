package dev.chl.model;

import java.util.List;

/** One page of a listing and the cursor for the next one (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {}
