package dev.chl.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a test needs to run CHL's main class in a JVM of its own: the java binary and the classpath. */
public final class ChildJvm {
    private ChildJvm() {}

    /** The java binary of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** target/classes first, then the test runtime classpath (test classes, so logback-test.xml keeps stderr quiet). */
    public static String classpath() {
        List<String> entries = new ArrayList<>();
        Path classes = Path.of("target", "classes").toAbsolutePath();
        entries.add(classes.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).toAbsolutePath().equals(classes)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
