package dev.chl.store;

/** A settings row: a key, its JSON value and validation metadata. Never holds secret bytes. */
public record SettingRow(String key, String valueJson, String checksum, String validatedAt, String notes, String updatedAt) {}
