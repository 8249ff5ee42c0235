package dev.chl.mcp;

import static dev.chl.mcp.ToolSchemas.CATEGORY;
import static dev.chl.mcp.ToolSchemas.ENTITY_TYPE;
import static dev.chl.mcp.ToolSchemas.freeObject;
import static dev.chl.mcp.ToolSchemas.integer;
import static dev.chl.mcp.ToolSchemas.object;
import static dev.chl.mcp.ToolSchemas.oneOf;
import static dev.chl.mcp.ToolSchemas.props;
import static dev.chl.mcp.ToolSchemas.string;
import static dev.chl.mcp.ToolSchemas.strings;

import dev.chl.common.ConflictException;
import dev.chl.common.Input;
import dev.chl.common.Text;
import dev.chl.common.NotFoundException;
import dev.chl.common.UnavailableException;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.entries.LibrarySeed;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP face of CHL: six tools, the guides and entries as resources, and two workflow prompts. Every tool calls
 * the {@link Library}, which is the feature services (in-process or through the HTTP API) — no rule lives here.
 */
public final class ChlMcpServer {
    private static final Logger LOG = LoggerFactory.getLogger(ChlMcpServer.class);
    static final String VERSION = "0.1.0";
    private static final String ENTRY_URI_PREFIX = "chl://entries/";

    private final Library library;
    private final ReadEntries reader;
    private final JsonMapper json;

    ChlMcpServer(Library library, JsonMapper json) {
        this.library = library;
        this.reader = new ReadEntries(library);
        this.json = json;
    }

    String instructions() {
        return "CHL is your team's curated library of engineering heuristics. Before a task: list_categories, then "
                + "read_entries with a query like '[SEARCH] short phrase [TASK] what you are about to do', and apply the few "
                + "entries that fit. After a task: check_duplicates, then create_entry for a reusable lesson (or update_entry). "
                + "get_guidelines explains both workflows. Served from: " + library.description() + ".";
    }

    /** Adds tools, resources and prompts to a server specification and builds it. */
    McpSyncServer build(McpServer.SyncSpecification<?> spec) {
        return spec.serverInfo("chl", VERSION)
                .jsonMapper(new McpParams(json).serverMapper())
                .instructions(instructions())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
                .tools(tools())
                .resources(resources())
                .resourceTemplates(entryTemplate())
                .prompts(prompts())
                .build();
    }

    List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(
                tool("list_categories", "List the library's shelves (categories) with how many experiences and manuals each holds. "
                                + "Call this first to pick where to look or write.",
                        object(props()), (actor, args) -> {
                            new Input(args).allowOnly(Set.of()).check();
                            return Map.of("categories", library.categories());
                        }),
                tool("read_entries", "Read library entries. By query: hybrid search ranked by relevance (write queries as "
                                + "'[SEARCH] short phrase [TASK] what you are about to do'). By category_code: browse a shelf (small "
                                + "shelves come whole, large ones as previews). By ids: full entries. fields=full returns full bodies.",
                        object(props("entity_type", ENTITY_TYPE, "category_code", CATEGORY,
                                "query", string("what you are looking for"),
                                "ids", strings("entry ids to fetch in full"),
                                "fields", oneOf("preview (id, title, snippet) or full (whole entries)", "preview", "full"),
                                "limit", integer("how many entries, default 10", 1, ReadEntries.MAX_LIMIT)), "entity_type"),
                        (actor, args) -> reader.read(args)),
                tool("create_entry", "Record a new entry. An experience needs data {section: useful|harmful|contextual, title "
                                + "(≤120 chars, one line), playbook (≤2000 chars), context?}; a manual needs data {title, content, summary?}. "
                                + "The answer includes the nearest existing entries and guidance: refactor or differentiate when told.",
                        object(props("entity_type", ENTITY_TYPE, "category_code", CATEGORY,
                                "data", freeObject("the entry's fields (see the description)")), "entity_type", "category_code", "data"),
                        (actor, args) -> {
                            Input in = new Input(args).allowOnly(Set.of("entity_type", "category_code", "data"));
                            String kind = kind(in);
                            String category = in.requiredText("category_code", 3);
                            Map<String, Object> data = fields(in, args.get("data"), "data");
                            in.check();
                            Map<String, Object> body = new LinkedHashMap<>(data);
                            if (body.containsKey("category_code") && !category.equals(body.get("category_code"))) {
                                throw new ValidationException("data.category_code", "differs from category_code; give the category once");
                            }
                            body.put("category_code", category);
                            return library.create(actor, kind, body);
                        }),
                tool("update_entry", "Change some fields of an entry (the others keep their value), e.g. sharpen a title or "
                                + "playbook after check_duplicates found it too close to yours. Pass expected_updated_at (the "
                                + "entry's updated_at from read_entries with ids) so an edit made since you read it is never overwritten.",
                        object(props("entity_type", ENTITY_TYPE, "entry_id", string("the id to change, e.g. EXP-TST-20260101-120000000"),
                                "updates", freeObject("the fields to change"),
                                "expected_updated_at", string("optional: the updated_at you read; if the entry changed since, "
                                        + "nothing is saved and the answer is a conflict with the current updated_at")),
                                "entity_type", "entry_id", "updates"),
                        (actor, args) -> {
                            Input in = new Input(args).allowOnly(Set.of("entity_type", "entry_id", "updates", "expected_updated_at"));
                            String kind = kind(in);
                            String id = in.requiredText("entry_id", 64);
                            Map<String, Object> updates = fields(in, args.get("updates"), "updates");
                            Instant readAt = in.parsed("expected_updated_at", v -> Times.parseInput("expected_updated_at", v));
                            in.check();
                            return Map.of("entry", library.update(actor, kind, id, updates, readAt));
                        }),
                tool("check_duplicates", "Before writing: find existing entries close to a title and body, with guidance "
                                + "by the library's similarity thresholds (settings; by default 0.85 and up is too close: update "
                                + "or refactor instead; 0.60 and up is related: differentiate). Follow the guidance it returns.",
                        object(props("entity_type", ENTITY_TYPE, "category_code", CATEGORY, "title", string("the title you plan"),
                                "body", string("the playbook or content you plan")), "entity_type", "title", "body"),
                        (actor, args) -> {
                            Input in = new Input(args).allowOnly(Set.of("entity_type", "category_code", "title", "body"));
                            String kind = kind(in);
                            String category = in.string("category_code");
                            in.check();
                            if (category != null && !category.isEmpty()) {
                                // "No close entries" on a shelf that does not exist would mislead.
                                reader.requireCategory(category);
                            }
                            Map<String, Object> body = new LinkedHashMap<>(args);
                            body.remove("entity_type");
                            body.put("kind", kind);
                            return library.duplicates(body);
                        }),
                tool("get_guidelines", "How to use CHL: the generator guide (before a task) or the evaluator guide (after a task).",
                        object(props("guide_type", oneOf("generator or evaluator", "generator", "evaluator")), "guide_type"),
                        (actor, args) -> {
                            Input in = new Input(args).allowOnly(Set.of("guide_type"));
                            String type = in.string("guide_type");
                            if (!"generator".equals(type) && !"evaluator".equals(type)) {
                                in.error("guide_type", "use generator or evaluator");
                            }
                            in.check();
                            Map<String, Object> guide = library.entry(guideId(type));
                            return Map.of("guide_type", type, "id", guide.get("id"), "title", guide.get("title"), "content", guide.get("content"));
                        }));
    }

    private List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(
                resource("chl://guides/generator", "generator-guide", "How to use CHL before a task", "text/markdown",
                        uri -> (String) library.entry(LibrarySeed.GENERATOR_GUIDE_ID).get("content")),
                resource("chl://guides/evaluator", "evaluator-guide", "How to record what a task taught", "text/markdown",
                        uri -> (String) library.entry(LibrarySeed.EVALUATOR_GUIDE_ID).get("content")),
                resource("chl://categories", "categories", "The library's shelves with entry counts", "application/json",
                        uri -> json.writeValueAsString(Map.of("categories", library.categories()))));
    }

    private McpServerFeatures.SyncResourceTemplateSpecification entryTemplate() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
                .uriTemplate(ENTRY_URI_PREFIX + "{id}").name("entry").title("One library entry by id")
                .mimeType("application/json").build();
        return new McpServerFeatures.SyncResourceTemplateSpecification(template, (exchange, request) -> {
            String text = json.writeValueAsString(entryResource(request.uri()));
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(request.uri(), "application/json", text)));
        });
    }

    /** The entry a chl://entries/{id} URI names; a missing one is MCP's resource-not-found, as an unknown URI is. */
    private Map<String, Object> entryResource(String uri) {
        String id = uri.substring(ENTRY_URI_PREFIX.length());
        try {
            return library.entry(id);
        } catch (NotFoundException e) {
            throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message(e.getMessage()).data(Map.of("uri", uri)).build();
        }
    }

    private List<McpServerFeatures.SyncPromptSpecification> prompts() {
        return List.of(
                prompt("before-task", "Find and apply the library's heuristics before starting a task", LibrarySeed.GENERATOR_GUIDE_ID,
                        "Before starting, consult CHL for this task: "),
                prompt("after-task", "Record what a finished task taught, without duplicating the library", LibrarySeed.EVALUATOR_GUIDE_ID,
                        "The task is done. Decide what to record in CHL about it: "));
    }

    private McpServerFeatures.SyncPromptSpecification prompt(String name, String description, String guideId, String lead) {
        McpSchema.Prompt prompt = new McpSchema.Prompt(name, description,
                List.of(new McpSchema.PromptArgument("task", "what the task is (or was)", true)));
        return new McpServerFeatures.SyncPromptSpecification(prompt, (exchange, request) -> {
            Object task = request.arguments() == null ? null : request.arguments().get("task");
            if (task == null || task.toString().isBlank()) {
                // Declared required: the specification answers a missing required argument with invalid params.
                throw McpParams.invalid("Invalid params for prompts/get: the prompt '" + name + "' needs the argument task "
                        + "(what the task is or was), e.g. {\"name\": \"" + name + "\", \"arguments\": {\"task\": \"add retries to the client\"}}");
            }
            String guide = (String) library.entry(guideId).get("content");
            String text = lead + task + "\n\nFollow this guide:\n\n" + guide;
            return new McpSchema.GetPromptResult(description,
                    List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent(text))));
        });
    }

    private McpServerFeatures.SyncResourceSpecification resource(String uri, String name, String description, String mime,
                                                                 Function<String, String> reader) {
        McpSchema.Resource resource = McpSchema.Resource.builder().uri(uri).name(name).description(description).mimeType(mime).build();
        return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) ->
                new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, mime, reader.apply(uri)))));
    }

    @FunctionalInterface
    interface ToolBody {
        Map<String, Object> call(String actor, Map<String, Object> args);
    }

    private McpServerFeatures.SyncToolSpecification tool(String name, String description, Map<String, Object> schema, ToolBody body) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(schema).build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> call(name, body, exchange, request))
                .build();
    }

    /** Runs one tool call; expected failures become tool errors that say what to fix, never stack traces. */
    McpSchema.CallToolResult call(String name, ToolBody body, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        try {
            Map<String, Object> result = body.call(actor(exchange), args);
            return McpSchema.CallToolResult.builder().structuredContent(result).addTextContent(json.writeValueAsString(result)).build();
        } catch (ValidationException e) {
            List<Map<String, String>> errors = e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList();
            String text = "Invalid input — fix and call again: " + String.join("; ",
                    e.errors().stream().map(f -> f.field() + " " + f.message()).toList());
            return error(text, Map.of("error", "invalid_input", "errors", errors));
        } catch (NotFoundException e) {
            return error(e.getMessage(), Map.of("error", "not_found", "message", e.getMessage()));
        } catch (ConflictException e) {
            Map<String, Object> structured = new LinkedHashMap<>(e.extensions());
            structured.put("error", "conflict");
            structured.put("message", e.getMessage());
            return error(e.getMessage(), structured);
        } catch (ToolFailure e) {
            return error(e.getMessage(), Map.of("error", "unavailable", "message", e.getMessage()));
        } catch (UnavailableException e) {
            Map<String, Object> structured = new LinkedHashMap<>(e.extensions());
            structured.put("error", "unavailable");
            structured.put("message", e.getMessage());
            return error(e.getMessage(), structured);
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("MCP tool {} failed (ref {})", name, ref, e);
            return error("CHL failed to run " + name + "; its log has the details under ref " + ref,
                    Map.of("error", "internal", "ref", ref));
        }
    }

    private McpSchema.CallToolResult error(String text, Map<String, Object> structured) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(text).structuredContent(structured).build();
    }

    private static String actor(McpSyncServerExchange exchange) {
        try {
            McpSchema.Implementation client = exchange == null ? null : exchange.getClientInfo();
            if (client != null && client.name() != null) {
                // The name becomes an author and an audit actor: the text rules of every stored field apply (no control
                // characters or lone surrogates, one line), whichever mode this process serves in.
                String name = Text.oneLine(client.name());
                if (!name.isEmpty()) {
                    return Text.truncate(name, 100);
                }
            }
        } catch (RuntimeException ignored) {
            // stateless exchanges have no client info
        }
        return "mcp-client";
    }

    private static String kind(Input in) {
        String kind = in.string("entity_type");
        if (kind == null) {
            in.error("entity_type", "is required; use experience or manual");
        } else if (!kind.equals("experience") && !kind.equals("manual")) {
            in.error("entity_type", "'" + kind + "' is not allowed; use experience or manual");
        }
        return kind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Input in, Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        in.error(field, value == null ? "is required: an object of fields" : "must be an object of fields");
        return Map.of();
    }

    private static String guideId(String type) {
        return "generator".equals(type) ? LibrarySeed.GENERATOR_GUIDE_ID : LibrarySeed.EVALUATOR_GUIDE_ID;
    }
}
