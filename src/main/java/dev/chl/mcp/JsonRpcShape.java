package dev.chl.mcp;

import tools.jackson.databind.JsonNode;

/**
 * What a JSON-RPC 2.0 message must look like before the SDK sees it, for both doors (stdio and /mcp): the SDK (2.1.0)
 * answers anything else with Java class names (HTTP) or stops reading for good (stdio).
 */
final class JsonRpcShape {
    private JsonRpcShape() {}

    /** Why a JSON value is not a message the SDK can take, as a sentence to send back; null when it is one. */
    static String problem(JsonNode message) {
        if (message == null) {
            return "the message is empty";
        }
        if (message.isArray()) {
            return "batches are not supported; send each message on its own";
        }
        if (!message.isObject()) {
            return "a message is a JSON object";
        }
        if (!"2.0".equals(message.path("jsonrpc").asString(null))) {
            return "\"jsonrpc\" must be \"2.0\"";
        }
        JsonNode id = message.get("id");
        if (message.has("method")) {
            if (!message.get("method").isString()) {
                return "\"method\" must be a string";
            }
            return id == null || validId(id) ? null : "\"id\" must be a string or a whole number (leave it out for a notification)";
        }
        if (!validId(id)) {
            return "a message without \"method\" is a response and needs the string or whole-number \"id\" it answers";
        }
        return isResponse(message) ? null : "a response needs \"result\" or \"error\"";
    }

    /** A JSON-RPC error response: {jsonrpc, id (null when unknown), error {code, message}}. */
    static java.util.Map<String, Object> error(JsonNode id, int code, String message) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("jsonrpc", "2.0");
        error.put("id", id);
        error.put("error", java.util.Map.of("code", code, "message", message));
        return error;
    }

    /** The message's id when it is one a reply may carry, else null (a reply then names no id). */
    static JsonNode replyId(JsonNode message) {
        JsonNode id = message != null && message.isObject() ? message.get("id") : null;
        return validId(id) ? id : null;
    }

    /** Whether a message is a response: an id and a result or an error, no method. */
    static boolean isResponse(JsonNode message) {
        return message != null && message.isObject() && !message.has("method") && message.has("id")
                && (message.has("result") || message.has("error"));
    }

    /** Whether a message is a request (a method and an id), as opposed to a notification or a response. */
    static boolean isRequest(JsonNode message) {
        return message != null && message.isObject() && message.has("method") && message.has("id");
    }

    private static boolean validId(JsonNode id) {
        return id != null && (id.isString() || id.isIntegralNumber() && id.canConvertToLong());
    }
}
