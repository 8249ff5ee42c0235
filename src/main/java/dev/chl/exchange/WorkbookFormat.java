package dev.chl.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A file format a workbook can be written to and read from. */
interface WorkbookFormat {
    String extension();

    String contentType();

    void write(Workbook workbook, OutputStream out) throws IOException;

    /** Reads a workbook; a file that is not this format, or is hostile, is a {@link dev.chl.common.ValidationException}. */
    Workbook read(java.nio.file.Path file) throws IOException;
}
