package dev.chl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the command line says and returns when it is used wrongly or cannot reach a server. */
class CliErrorsTest {
    @TempDir
    Path dir;

    @Test
    void badArgumentsExitWithTwoAndSayWhatIsWrong() throws Exception {
        Path workbook = Files.writeString(dir.resolve("book.xlsx"), "x");
        record Case(List<String> args, String says) {}
        for (Case c : List.of(
                new Case(List.of("import"), "Missing required option: '--from=<from>'"),
                new Case(List.of("export"), "Missing required option: '--to=<to>'"),
                new Case(List.of("export", "--to", dir.resolve("out.txt").toString()), "--to must end in .xlsx"),
                new Case(List.of("import", "--from", dir.resolve("missing.xlsx").toString()), "no such file"),
                new Case(List.of("import", "--from", workbook.toString(), "--dry-rn"), "Unknown option: '--dry-rn'"),
                new Case(List.of("export", "--to", dir.resolve("no-such-folder").resolve("out.xlsx").toString()),
                        "is not a folder this user can write to"),
                new Case(List.of("frobnicate"), "Unmatched argument"),
                new Case(List.of(), "Usage: chl"))) {
            Cli.Run r = Cli.run(Map.of("CHL_PORT", String.valueOf(Cli.closedPort())), c.args().toArray(String[]::new));
            assertThat(r.exitCode()).as("%s: %s", c.args(), r).isEqualTo(2);
            assertThat(r.err()).as("%s: %s", c.args(), r).contains(c.says());
            assertThat(r.out()).as("%s: %s", c.args(), r).isEmpty();
        }
    }

    @Test
    void anUnreachableServerIsNamedWithoutAStackTrace() throws Exception {
        String url = "http://127.0.0.1:" + Cli.closedPort();
        Path workbook = Files.writeString(dir.resolve("book.xlsx"), "x");
        for (List<String> args : List.of(
                List.of("import", "--from", workbook.toString(), "--dry-run"),
                List.of("export", "--to", dir.resolve("out.xlsx").toString()),
                List.of("reindex"),
                List.of("backup"))) {
            String[] withUrl = java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("--url", url)).toArray(String[]::new);
            Cli.Run r = Cli.run(Map.of(), withUrl);
            assertThat(r.exitCode()).as("%s: %s", args, r).isEqualTo(1);
            assertThat(r.err()).as("%s: %s", args, r).contains("no CHL server answers at " + url).contains("./chl serve")
                    .doesNotContain("Exception");
        }
        assertThat(Files.exists(dir.resolve("out.xlsx"))).isFalse();

        Cli.Run status = Cli.run(Map.of(), "status", "--url", url);
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.err()).contains("no CHL server answers at " + url);
    }

    @Test
    void aServerThatStopsAnsweringMidCommandIsSaidInWords() {
        TestServer server = TestServer.start();
        String url = server.baseUrl();
        try (ServerConnection connection = ServerConnection.open(dev.chl.app.Config.fromEnv(Map.of()), url,
                new java.io.PrintWriter(new java.io.StringWriter()))) {
            server.close();
            assertThatThrownBy(() -> connection.get("/api/v1/operations/jobs"))
                    .isInstanceOf(ServerConnection.CliException.class)
                    .hasMessageContaining("the CHL server at " + url + " stopped answering");
        }
    }

    @Test
    void aServerThatNeedsATokenGetsTheOneFromTheEnvironment() {
        String token = "cli-test-token-0123456789";
        try (TestServer server = TestServer.startWithToken(token)) {
            Cli.Run without = Cli.run(Map.of(), "backup", "--url", server.baseUrl());
            assertThat(without.exitCode()).as(without.toString()).isEqualTo(1);
            assertThat(without.err()).contains("CHL_API_TOKEN");

            Cli.Run status = Cli.run(Map.of(), "status", "--url", server.baseUrl());
            assertThat(status.out()).as(status.toString()).contains("set CHL_API_TOKEN");
            Cli.Run wrong = Cli.run(Map.of("CHL_API_TOKEN", "not-the-token-0123456789"), "status", "--url", server.baseUrl());
            assertThat(wrong.out()).as(wrong.toString()).contains("the server refused CHL_API_TOKEN");

            Cli.Run with = Cli.run(Map.of("CHL_API_TOKEN", token), "backup", "--url", server.baseUrl());
            assertThat(with.exitCode()).as(with.toString()).isZero();
            assertThat(with.out()).startsWith("backup succeeded");
        }
    }

    @Test
    void withoutAServerAnOperationRunsInThisProcessOnTheDataDirectory() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        try {
            Cli.Run r = Cli.run(Map.of("CHL_DATA_DIR", dir.toString(), "CHL_PORT", String.valueOf(Cli.closedPort())), "backup");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).contains("no server at").contains("running on " + dir + " in this process");
            try (var backups = Files.list(dir.resolve("backups"))) {
                assertThat(backups.filter(p -> p.toString().endsWith(".db")).count()).isEqualTo(1);
            }
        } finally {
            root.setLevel(level); // the in-process server quietens logging for the terminal; give the test JVM its level back
        }
    }

    @Test
    void aDataDirectoryAServerUsesIsNotOpenedASecondTime() {
        // A CLI command that misses the server (wrong port) used to open the same files in process: it replaced the
        // live index it could not lock and marked the server's jobs failed.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        try (TestServer server = TestServer.start()) {
            String checksum = server.http().get("/api/v1/index").json().path("checksum").asString();
            Cli.Run r = Cli.run(Map.of("CHL_DATA_DIR", server.dataDir().toString(), "CHL_PORT", String.valueOf(Cli.closedPort())),
                    "reindex");
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.err()).contains("another CHL process is using the data directory").contains("--url");
            Http.Response index = server.http().get("/api/v1/index");
            assertThat(index.status()).as(index.toString()).isEqualTo(200);
            assertThat(index.json().path("checksum").asString()).isEqualTo(checksum);
            assertThat(server.http().get("/api/v1/operations/jobs?type=index-rebuild").json().path("jobs"))
                    .allSatisfy(j -> assertThat(j.path("status").asString()).isNotEqualTo("failed"));
            // the same from another process, which the OS lock (not the JVM's own bookkeeping) must stop
            Cli.Run launched = Cli.launch(Map.of("CHL_DATA_DIR", server.dataDir().toString(),
                    "CHL_PORT", String.valueOf(Cli.closedPort())), "backup");
            assertThat(launched.exitCode()).as(launched.toString()).isNotZero();
            assertThat(launched.err()).contains("another CHL process is using the data directory").contains("pid ");
            assertThat(server.http().get("/api/v1/index").json().path("checksum").asString()).isEqualTo(checksum);
        } finally {
            root.setLevel(level);
        }
    }

    @Test
    void aUrlWithATrailingSlashNamesTheSameServer() {
        try (TestServer server = TestServer.start()) {
            Cli.Run status = Cli.run(Map.of(), "status", "--url", server.baseUrl() + "/");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("server     " + server.baseUrl() + "  ok").contains("categories");
            Cli.Run backup = Cli.run(Map.of(), "backup", "--url", server.baseUrl() + "//");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
        }
        Cli.Run notHttp = Cli.run(Map.of(), "status", "--url", "ftp://127.0.0.1:8000");
        assertThat(notHttp.exitCode()).as(notHttp.toString()).isNotZero();
        assertThat(notHttp.err()).contains("not an http(s) address").doesNotContain("Exception");
    }

    @Test
    void aUrlWithAQueryOrFragmentIsRefusedAndAnAnswerThatIsNotChlsIsNotAServer() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String url : List.of(server.baseUrl() + "?x=1", server.baseUrl() + "#top")) {
                Cli.Run r = Cli.run(Map.of(), "status", "--url", url);
                assertThat(r.exitCode()).as(r.toString()).isNotZero();
                assertThat(r.err()).contains("--url takes the server's address").doesNotContain("Unrecognized token");
            }
            Cli.Run console = Cli.run(Map.of(), "status", "--url", server.baseUrl() + "/ui");
            assertThat(console.exitCode()).as(console.toString()).isEqualTo(3);
            assertThat(console.err()).contains("no CHL server answers at").doesNotContain("CHL_API_TOKEN");
        }
    }

    @Test
    void aLibraryTheServerRefusedToListIsNotReportedEmpty() {
        String token = "0123456789abcdef-status";
        try (TestServer server = TestServer.startWithToken(token)) {
            for (int i = 0; i < 10; i++) {
                new Http(server.baseUrl(), "wrong-token-0123456789").get("/api/v1/categories");
            }
            Cli.Run status = Cli.run(Map.of("CHL_API_TOKEN", token), "status", "--url", server.baseUrl());
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
            assertThat(status.out()).contains("library    (not read: the server answered 429").doesNotContain("0 categories");
        }
    }

    @Test
    void anExportThatCannotBeSavedHereSaysSoAndLeavesNoCutFile() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path folderNamedLikeAFile = Files.createDirectory(dir.resolve("taken.xlsx"));
            Cli.Run r = Cli.run(Map.of(), "export", "--to", folderNamedLikeAFile.toString(), "--url", server.baseUrl());
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.err()).contains("cannot save to " + folderNamedLikeAFile).doesNotContain("stopped answering");
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no partial file beside it").containsExactly("taken.xlsx");
            }
        }
    }

    @Test
    void everyCommandTakesHelpAndChlHelpNamesThem() {
        for (String command : List.of("status", "serve", "mcp", "import", "export", "reindex", "backup")) {
            Cli.Run r = Cli.run(Map.of(), command, "--help");
            assertThat(r.exitCode()).as("%s: %s", command, r).isZero();
            assertThat(r.out()).as(command).contains("Usage: chl " + command);
        }
        Cli.Run help = Cli.run(Map.of(), "help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("status", "export", "backup");
    }

    @Test
    void aWorkbookLargerThanAnUploadMayBeIsRefusedBeforeItIsRead() throws Exception {
        Path huge = dir.resolve("huge.zip");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: 3 GB that take no disk
        }
        try (TestServer server = TestServer.start()) {
            Cli.Run r = Cli.run(Map.of(), "import", "--from", huge.toString(), "--dry-run", "--url", server.baseUrl());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("3072 MB, more than the 50 MB").doesNotContain("Exception");
        }
    }
}
