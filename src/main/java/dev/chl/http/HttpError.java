package dev.chl.http;

/** A protocol-level problem found by the HTTP layer itself (bad JSON, wrong content type, missing token). */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String title;

    public HttpError(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
