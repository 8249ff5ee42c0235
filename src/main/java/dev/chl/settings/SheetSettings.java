package dev.chl.settings;

/** Which spreadsheets exchange uses: the review sheet (export target) and the published sheet (import source). */
public record SheetSettings(String reviewSheetId, String publishedSheetId) {
    public static final SheetSettings NONE = new SheetSettings(null, null);

    public boolean configured() {
        return reviewSheetId != null && publishedSheetId != null;
    }
}
