package dev.chl.settings;

import dev.chl.model.Worksheets;

/**
 * Which spreadsheets exchange uses — the review sheet (export target) and the published sheet (import source) — and
 * the worksheet names of the three tables in them. Settings saved before worksheets existed read as the defaults.
 */
public record SheetSettings(String reviewSheetId, String publishedSheetId, Worksheets worksheets) {
    public static final SheetSettings NONE = new SheetSettings(null, null, Worksheets.DEFAULTS);

    public SheetSettings {
        worksheets = worksheets == null ? Worksheets.DEFAULTS : worksheets;
    }

    public boolean configured() {
        return reviewSheetId != null && publishedSheetId != null;
    }
}
