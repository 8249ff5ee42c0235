package dev.chl.exchange;

/** One thing wrong with an imported workbook, located so a person can find and fix it in the sheet. */
public record RowProblem(String worksheet, int row, String column, String reason) {}
