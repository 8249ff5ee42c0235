package dev.chl.entries;

import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;

/** A newly written entry and the duplicate check made for it at write time. */
public record CreatedEntry(Entry entry, DuplicateReport duplicates) {}
