package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of invalid row is reported with its worksheet, row and column, and an import with any invalid row
 * changes nothing. Unknown columns are warnings, not errors.
 */
class InvalidRowsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static ExchangeClient x;
    private static String code;
    private static String existing;

    @BeforeAll
    static void library() {
        x = new ExchangeClient(server.server());
        code = Fixtures.newCategory(x.http);
        existing = TestBook.experienceId(code, 1);
        x.db.insertGlobalExperience(existing, code, "Already published", "embedded", "2025-01-01T00:00:00.000Z");
        Fixtures.createExperience(x.http, code, "A local draft");
    }

    /** The library as it is (so a valid import of it would change nothing), plus one new valid row at Experiences row N. */
    private static TestBook baseline() {
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        book.experiences().add(TestBook.experienceRow(TestBook.experienceId(code, 100), code, "A new valid row"));
        return book;
    }

    private static int nextRow(TestBook.Table table) {
        return table.rows().size() + 2; // header is row 1
    }

    record Case(String name, String worksheet, String column, String reason, Consumer<Fixture> breaker) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a breaker gets: the book, and where the broken row goes. */
    record Fixture(TestBook book, String code) {
        Map<String, String> newExperience(String title) {
            return book.experiences().add(TestBook.experienceRow(TestBook.experienceId(code, 200 + book.experiences().rows().size()),
                    code, title));
        }

        Map<String, String> newManual(String title) {
            return book.manuals().add(TestBook.manualRow(TestBook.manualId(code, 300 + book.manuals().rows().size()), code, title));
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("bad section", Columns.EXPERIENCES, "section", "useful",
                        f -> f.newExperience("Bad section").put("section", "helpful")),
                new Case("title over 120 characters", Columns.EXPERIENCES, "title", "120",
                        f -> f.newExperience("x".repeat(121))),
                new Case("manual title over 120 characters", Columns.MANUALS, "title", "120",
                        f -> f.newManual("y".repeat(121))),
                new Case("empty playbook", Columns.EXPERIENCES, "playbook", "required",
                        f -> f.newExperience("No playbook").put("playbook", null)),
                new Case("empty manual content", Columns.MANUALS, "content", "required",
                        f -> f.newManual("No content").put("content", null)),
                new Case("empty title", Columns.EXPERIENCES, "title", "required",
                        f -> f.newExperience("ignored").put("title", null)),
                new Case("empty id", Columns.EXPERIENCES, "id", "required",
                        f -> f.newExperience("No id").put("id", null)),
                new Case("bad id format", Columns.EXPERIENCES, "id", "EXP-ABC-20260101-120000000",
                        f -> f.newExperience("Bad id").put("id", "EXP-abc-1")),
                new Case("manual id in the Experiences worksheet", Columns.EXPERIENCES, "id", "not an experience id",
                        f -> f.newExperience("Wrong kind").put("id", TestBook.manualId(f.code(), 900))),
                new Case("experience id in the Manuals worksheet", Columns.MANUALS, "id", "not a manual id",
                        f -> f.newManual("Wrong kind").put("id", TestBook.experienceId(f.code(), 901))),
                new Case("duplicate id", Columns.EXPERIENCES, "id", "more than once",
                        f -> f.newExperience("Duplicate").put("id", TestBook.experienceId(f.code(), 100))),
                new Case("unknown category", Columns.EXPERIENCES, "category_code", "unknown category",
                        f -> f.newExperience("Nowhere").put("category_code", Fixtures.NEVER_CREATED)),
                new Case("bad created_at", Columns.EXPERIENCES, "created_at", "ISO-8601",
                        f -> f.newExperience("Bad time").put("created_at", "yesterday")),
                new Case("bad synced_at", Columns.MANUALS, "synced_at", "ISO-8601",
                        f -> f.newManual("Bad time").put("synced_at", "2025-13-45T99:00:00Z")),
                // stored times have four-digit years; year -1 (2 BC) was stored as 0002
                new Case("created_at after the year 9999", Columns.EXPERIENCES, "created_at", "outside the years 0001 to 9999",
                        f -> f.newExperience("Far future").put("created_at", "+10000-01-01T00:00:00Z")),
                new Case("updated_at before the year 1", Columns.MANUALS, "updated_at", "outside the years 0001 to 9999",
                        f -> f.newManual("Far past").put("updated_at", "-0001-01-01T00:00:00Z")),
                // it would become the entry's version, and every later edit would be stamped after it
                new Case("updated_at in the future", Columns.EXPERIENCES, "updated_at", "is in the future",
                        f -> f.newExperience("Time traveller").put("updated_at", "9999-12-31T23:59:59.999Z")),
                new Case("bad source", Columns.EXPERIENCES, "source", "",
                        f -> f.newExperience("Bad source").put("source", "remote")),
                new Case("bad sync_status", Columns.EXPERIENCES, "sync_status", "",
                        f -> f.newExperience("Bad sync").put("sync_status", "maybe")),
                new Case("bad embedding_status", Columns.MANUALS, "embedding_status", "",
                        f -> f.newManual("Bad embedding").put("embedding_status", "done")),
                new Case("playbook over 2000 characters", Columns.EXPERIENCES, "playbook", "2000",
                        f -> f.newExperience("Long playbook").put("playbook", "p".repeat(2001))),
                new Case("multi-line title", Columns.EXPERIENCES, "title", "one line",
                        f -> f.newExperience("Two\nlines")),
                new Case("bad category code in Categories", Columns.CATEGORIES, "code", "three upper-case",
                        f -> f.book().categories().add(TestBook.categoryRow("ab1", "Bad code"))),
                new Case("category without a name", Columns.CATEGORIES, "name", "required",
                        f -> f.book().categories().add(TestBook.categoryRow(Fixtures.uniqueCode(), null))),
                new Case("category listed twice", Columns.CATEGORIES, "code", "twice",
                        f -> f.book().categories().add(TestBook.categoryRow(f.code(), "Again"))));
    }

    static Stream<Arguments> casesInBothFormats() {
        return cases().flatMap(c -> Stream.of(Arguments.of(c, "xlsx"), Arguments.of(c, "csv")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("casesInBothFormats")
    void anInvalidRowIsReportedWhereItIsAndNothingChanges(Case c, String format) throws Exception {
        TestBook book = baseline();
        TestBook.Table table = book.table(c.worksheet());
        int row = nextRow(table);
        c.breaker().accept(new Fixture(book, code));
        String upload = format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book);

        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        long backups = backups();

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        JsonNode invalid = preview.path("invalid_rows");
        assertThat(invalid).as("exactly the broken row: %s", invalid).hasSize(1);
        JsonNode problem = invalid.get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo(c.worksheet());
        assertThat(problem.path("row").asInt()).isEqualTo(row);
        assertThat(problem.path("column").asString()).isEqualTo(c.column());
        assertThat(problem.path("reason").asString()).isNotBlank().contains(c.reason());
        assertThat(preview.path("counts").path("invalid").asInt()).isEqualTo(1);
        assertThat(x.snapshot()).as("a dry run changes nothing").isEqualTo(before);

        JsonNode applied = x.runImport(upload, false);
        assertThat(applied.path("status").asString()).as("%s", applied).isEqualTo("failed");
        assertThat(applied.path("error").asString()).contains("invalid").contains("nothing was imported");
        assertThat(x.snapshot()).as("a refused import changes nothing").isEqualTo(before);
        assertThat(backups()).as("no backup is taken for an import that is refused").isEqualTo(backups);
    }

    private static long backups() throws Exception {
        Path folder = server.server().dataDir().resolve("backups");
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void aMissingManualsWorksheetIsRefusedRatherThanRetiringEveryPublishedManual() {
        TestBook book = baseline();
        book.tables().removeIf(t -> t.name().equals(Columns.MANUALS));
        String upload = x.uploadXlsx(book);
        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).isFalse();
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo(Columns.MANUALS);
        assertThat(problem.path("reason").asString()).contains("missing").contains("retire every published manual");
        assertThat(preview.path("counts").path("retire").asInt()).as("what an apply would have retired")
                .isEqualTo(preview.path("retire").size());
        JsonNode applied = x.runImport(upload, false);
        assertThat(applied.path("status").asString()).isEqualTo("failed");
    }

    @Test
    void everyInvalidRowIsReportedNotJustTheFirst() {
        TestBook book = baseline();
        Fixture f = new Fixture(book, code);
        List<Integer> rows = new ArrayList<>();
        for (Case c : cases().filter(c -> c.worksheet().equals(Columns.EXPERIENCES)).toList()) {
            if (c.name().equals("duplicate id")) {
                continue; // its row would duplicate others' ids too
            }
            rows.add(nextRow(book.experiences()));
            c.breaker().accept(f);
        }
        JsonNode preview = x.preview(x.uploadXlsx(book));
        List<Integer> reported = new ArrayList<>();
        preview.path("invalid_rows").forEach(p -> reported.add(p.path("row").asInt()));
        assertThat(reported).as("%s", preview.path("invalid_rows")).containsExactlyInAnyOrderElementsOf(rows);
    }

    @Test
    void aRowWithSeveralProblemsReportsEachColumn() {
        TestBook book = baseline();
        int row = nextRow(book.experiences());
        Map<String, String> bad = new Fixture(book, code).newExperience("z".repeat(130));
        bad.put("section", "sometimes");
        bad.put("updated_at", "not a time");
        JsonNode preview = x.preview(x.uploadXlsx(book));
        List<String> columns = new ArrayList<>();
        preview.path("invalid_rows").forEach(p -> {
            assertThat(p.path("row").asInt()).isEqualTo(row);
            columns.add(p.path("column").asString());
        });
        assertThat(columns).containsExactlyInAnyOrder("title", "section", "updated_at");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void aRequiredColumnMissingFromTheHeaderIsReportedOnRowOne(String format) {
        TestBook book = baseline();
        book.experiences().columns().remove("title");
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        String upload = format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).isFalse();
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(preview.path("invalid_rows")).hasSize(1);
        assertThat(problem.path("worksheet").asString()).isEqualTo(Columns.EXPERIENCES);
        assertThat(problem.path("row").asInt()).isEqualTo(1);
        assertThat(problem.path("column").asString()).isEqualTo("title");
        assertThat(problem.path("reason").asString()).contains("missing");

        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    static Stream<Arguments> dataColumnsInBothFormats() {
        return Stream.of(Arguments.of(Columns.EXPERIENCES, "author"), Arguments.of(Columns.EXPERIENCES, "context"),
                        Arguments.of(Columns.MANUALS, "summary"), Arguments.of(Columns.MANUALS, "author"),
                        Arguments.of(Columns.CATEGORIES, "description"))
                .flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], "xlsx"), Arguments.of(a.get()[0], a.get()[1], "csv")));
    }

    /** Without the column every entry would read as having none, and the import would clear the field library-wide. */
    @ParameterizedTest(name = "{0} without {1} ({2})")
    @MethodSource("dataColumnsInBothFormats")
    void aMissingOptionalDataColumnIsAProblemNotAWipe(String worksheet, String column, String format) {
        x.db.exec("UPDATE experiences SET author = 'someone', context = 'some context' WHERE id = ?", existing);
        TestBook book = baseline();
        book.table(worksheet).columns().remove(column);
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        String upload = format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        assertThat(preview.path("invalid_rows")).as("%s", preview.path("invalid_rows")).hasSize(1);
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo(worksheet);
        assertThat(problem.path("row").asInt()).isEqualTo(1);
        assertThat(problem.path("column").asString()).isEqualTo(column);
        assertThat(problem.path("reason").asString()).contains("missing").contains("add").contains("may be empty");

        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void informativeColumnsMayBeMissingWithAWarning(String format) {
        TestBook book = baseline();
        book.experiences().columns().removeAll(List.of("embedding_status", "exported_at", "synced_at"));
        book.categories().columns().remove("created_at");

        JsonNode preview = x.preview(format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book));
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isTrue();
        assertThat(ExchangeClient.texts(preview.path("add"))).containsExactly(TestBook.experienceId(code, 100));
        assertThat(preview.path("counts").path("update").asInt()).as("%s", preview).isZero();
        List<String> warnings = ExchangeClient.texts(preview.path("warnings"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Experiences").contains("embedding_status")
                .contains("exported_at").contains("synced_at"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Categories").contains("created_at"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void aRepeatedColumnIsAProblemNamingBothPositions(String format) {
        TestBook book = baseline();
        book.experiences().columns().add("title"); // the 15th column, O; the first title is the 4th, D
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        String upload = format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        assertThat(preview.path("invalid_rows")).as("%s", preview.path("invalid_rows")).hasSize(1);
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo(Columns.EXPERIENCES);
        assertThat(problem.path("row").asInt()).isEqualTo(1);
        assertThat(problem.path("column").asString()).isEqualTo("title");
        assertThat(problem.path("reason").asString()).contains("column 4 (D)").contains("column 15 (O)");
        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    /** experiences.csv with one line appended as given (it may have more or fewer cells than the header). */
    private static String uploadCsvWithLine(TestBook book, String line) {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (TestBook.Table t : book.tables()) {
            String text = TestBook.csv(t) + (t.name().equals(Columns.EXPERIENCES) ? line + "\r\n" : "");
            files.put(CsvFormat.fileName(t.name()), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return x.upload("book.zip", TestBook.zip(files));
    }

    @Test
    void aCsvRowWithFewerCellsThanTheHeaderIsAProblemNotAWipe() {
        TestBook book = baseline();
        // the published entry again, cut after its playbook: context, author and the rest would read as empty
        Map<String, String> published = book.experiences().entry(existing);
        book.experiences().remove(existing);
        int row = nextRow(book.experiences());
        String cut = String.join(",", published.get("id"), published.get("category_code"), published.get("section"),
                published.get("title"), "\"" + published.get("playbook") + "\"");
        assertThat(x.entry(existing).get("author")).as("an author the cut row would clear").isNotNull();
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        String upload = uploadCsvWithLine(book, cut);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        assertThat(preview.path("invalid_rows")).as("%s", preview.path("invalid_rows")).hasSize(1);
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo(Columns.EXPERIENCES);
        assertThat(problem.path("row").asInt()).isEqualTo(row);
        assertThat(problem.path("column").asString()).isEqualTo("context");
        assertThat(problem.path("reason").asString()).contains("5 cells").contains("14");
        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    @Test
    void aCsvRowWithMoreCellsThanTheHeaderIsAProblem() {
        TestBook book = baseline();
        int row = nextRow(book.experiences());
        Map<String, String> extra = TestBook.experienceRow(TestBook.experienceId(code, 150), code, "An unquoted, comma");
        List<String> cells = new ArrayList<>();
        for (String column : book.experiences().columns()) {
            cells.add(extra.get(column) == null ? "" : extra.get(column).contains(",") && !column.equals("title")
                    ? "\"" + extra.get(column) + "\"" : extra.get(column));
        }
        JsonNode preview = x.preview(uploadCsvWithLine(book, String.join(",", cells)));
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        JsonNode problem = preview.path("invalid_rows").get(0);
        assertThat(preview.path("invalid_rows")).as("%s", preview.path("invalid_rows")).hasSize(1);
        assertThat(problem.path("row").asInt()).isEqualTo(row);
        assertThat(problem.path("reason").asString()).contains("15 cells").contains("14");
    }

    /** The row check trims a section, so the entry is built from the trimmed value too (it used to abort the dry run). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void aSectionOrCategoryWithSurroundingWhitespaceIsReadTrimmed(String format) {
        TestBook book = baseline();
        Map<String, String> spaced = new Fixture(book, code).newExperience("Spaced section");
        spaced.put("section", " useful ");
        Map<String, String> broken = new Fixture(book, code).newExperience("Section with a line break");
        broken.put("section", "harmful\n");
        broken.put("category_code", " " + code + "\t");

        JsonNode preview = x.preview(format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book));
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isTrue();
        assertThat(ExchangeClient.texts(preview.path("add"))).contains(spaced.get("id"), broken.get("id"));
    }

    /** An id is trimmed like every other cell: a trailing blank or tab (copy-paste) neither refuses the row nor retires its entry. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void anIdWithSurroundingBlanksIsReadTrimmed(String format) {
        TestBook book = baseline();
        book.experiences().entry(existing).put("id", existing + " \t");
        Map<String, String> added = book.experiences().entry(TestBook.experienceId(code, 100));
        added.put("id", " " + added.get("id") + " ");

        JsonNode preview = x.preview(format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book));
        assertThat(preview.path("invalid_rows")).as("%s", preview).isEmpty();
        assertThat(ExchangeClient.texts(preview.path("retire"))).doesNotContain(existing);
        assertThat(ExchangeClient.texts(preview.path("update"))).doesNotContain(existing);
        assertThat(ExchangeClient.texts(preview.path("add"))).containsExactly(TestBook.experienceId(code, 100));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void unknownColumnsAreWarningsAndIgnored(String format) {
        TestBook book = baseline();
        book.experiences().columns().add("reviewer_notes");
        book.experiences().rows().forEach(r -> r.put("reviewer_notes", "=looks fine"));
        book.categories().columns().add("colour");
        String newId = TestBook.experienceId(code, 100);

        JsonNode preview = x.preview(format.equals("xlsx") ? x.uploadXlsx(book) : x.uploadCsv(book));
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isTrue();
        assertThat(preview.path("invalid_rows")).isEmpty();
        List<String> warnings = ExchangeClient.texts(preview.path("warnings"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Experiences").contains("reviewer_notes"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Categories").contains("colour"));
        assertThat(ExchangeClient.texts(preview.path("add"))).containsExactly(newId);
        assertThat(preview.path("counts").path("update").asInt()).as("the extra column changes no entry").isZero();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xlsx", "csv"})
    void aWorkbookWithNoEntryWorksheetsIsRefusedNotTakenAsAnEmptyPublishedSet(String format) {
        // e.g. the worksheets kept a spreadsheet's default names, or the zip holds other CSV files: read as "no entries",
        // the import would retire every published entry
        TestBook book = baseline();
        TestBook renamed = new TestBook();
        for (TestBook.Table t : book.tables()) {
            renamed.addTable(t.name().equals(Columns.CATEGORIES) ? t.name() : "Sheet " + t.name().charAt(0), t.columns()).rows()
                    .addAll(t.rows());
        }
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();
        String upload = format.equals("xlsx") ? x.uploadXlsx(renamed) : x.uploadCsv(renamed);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isFalse();
        assertThat(preview.path("invalid_rows").get(0).path("reason").asString()).contains("Experiences").contains("Manuals");
        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
        assertThat(x.entry(existing)).as("the published entry is not retired").isNotNull();
    }

    @Test
    void anUnknownWorksheetIsAWarning() {
        TestBook book = baseline();
        book.addTable("Notes", List.of("anything")).rows().add(new java.util.HashMap<>(Map.of("anything", "at all")));
        JsonNode preview = x.preview(x.uploadXlsx(book));
        assertThat(preview.path("valid").asBoolean()).isTrue();
        assertThat(ExchangeClient.texts(preview.path("warnings"))).anySatisfy(w -> assertThat(w).contains("Notes"));
    }
}
