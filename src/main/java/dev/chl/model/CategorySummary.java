package dev.chl.model;

/** A category with how many entries of each kind it holds. */
public record CategorySummary(Category category, long experienceCount, long manualCount) {}
