package dev.chl.model;

import java.util.List;

/** The nearest existing entries to a text and what the writer should do about them. */
public record DuplicateReport(List<DuplicateMatch> matches, String guidance) {}
