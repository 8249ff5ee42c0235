package dev.chl.common;

/** One problem with one input field, phrased so a person knows what to change. */
public record FieldError(String field, String message) {}
