package dev.chl.mcp;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * How an {@link McpError} goes on the wire. The SDK's HTTP transport (2.1.0) answers a bad request — no Accept header,
 * unknown session, a body that is not JSON — by handing the exception itself to the JSON mapper, which wrote all its
 * bean properties, stack frames included. This writes the JSON-RPC error response the client can act on instead:
 * {@code {"jsonrpc":"2.0","id":null,"error":{"code":…,"message":…}}} (the id is null: the transport has not read it).
 */
final class McpErrorJson extends StdSerializer<McpError> {
    McpErrorJson() {
        super(McpError.class);
    }

    /** The module that installs this serializer on a mapper. */
    static SimpleModule module() {
        return new SimpleModule("chl-mcp-errors").addSerializer(McpError.class, new McpErrorJson());
    }

    @Override
    public void serialize(McpError error, JsonGenerator out, SerializationContext context) {
        McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
        out.writeStartObject();
        out.writeStringProperty("jsonrpc", McpSchema.JSONRPC_VERSION);
        out.writeNullProperty("id");
        out.writeName("error");
        out.writeStartObject();
        out.writeNumberProperty("code", rpc == null || rpc.code() == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : rpc.code());
        out.writeStringProperty("message", rpc == null ? error.getMessage() : rpc.message());
        out.writeEndObject();
        out.writeEndObject();
    }
}
