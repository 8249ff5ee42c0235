package dev.chl.mcp;

/** A tool call that cannot be served, with a message that says what to do (start the server, set the token…). */
final class ToolFailure extends RuntimeException {
    ToolFailure(String message) {
        super(message);
    }
}
