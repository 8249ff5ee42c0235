package dev.chl;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §11, "the house", as executable rules over the production classes:
 * <pre>
 *   adapters (api, http, mcp, web, cli)  →  features  →  infrastructure (store, index, embed)  →  model, common
 *   app is the one composition root and may use everything.
 * </pre>
 * Packages that do not exist yet (search, workers, mcp, web, …) are named already; a rule over them passes while empty.
 */
class ArchitectureTest {
    static final String ROOT = "dev.chl";
    static final List<String> FEATURES = List.of("entries", "audit", "settings", "telemetry",
            "search", "workers", "ops", "exchange", "index", "embed");
    static final List<String> ADAPTERS = List.of("api", "http", "mcp", "web", "cli");
    /** The adapters that must hold no SQL (http is the shared HTTP plumbing of the adapters). */
    static final List<String> SQL_FREE_ADAPTERS = List.of("api", "mcp", "web", "cli");
    /** Libraries that mean "talks to the database directly". */
    static final String[] DATABASE_LIBRARIES = {"org.jdbi..", "java.sql..", "javax.sql..", "org.flywaydb..", "org.sqlite..", "com.zaxxer.hikari.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    static String[] packages(List<String> names) {
        return names.stream().map(n -> ROOT + "." + n + "..").toArray(String[]::new);
    }

    static String pkg(String name) {
        return ROOT + "." + name + "..";
    }

    // --- the rules ---------------------------------------------------------------------------------------------------

    static ArchRule commonIsSelfContained() {
        return noClasses().that().resideInAPackage(pkg("common"))
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(pkg("common")))))
                .because("common is the bottom layer: every package may use it, it uses no other dev.chl package")
                .allowEmptyShould(true);
    }

    static ArchRule modelUsesOnlyCommon() {
        return noClasses().that().resideInAPackage(pkg("model"))
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAnyPackage(pkg("model"), pkg("common")))))
                .because("the domain model may use common and nothing else of CHL")
                .allowEmptyShould(true);
    }

    static ArchRule storeUsesOnlyCommonAndModel() {
        return noClasses().that().resideInAPackage(pkg("store"))
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAnyPackage(pkg("store"), pkg("model"), pkg("common")))))
                .because("store is infrastructure: it knows SQL, the model and common, never a feature or an adapter")
                .allowEmptyShould(true);
    }

    static ArchRule featuresDoNotDependOnAdaptersOrApp() {
        String[] forbidden = Arrays.copyOf(packages(ADAPTERS), ADAPTERS.size() + 1);
        forbidden[ADAPTERS.size()] = pkg("app");
        return noClasses().that().resideInAnyPackage(packages(FEATURES))
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("features are called by adapters and wired by app, never the other way round")
                .allowEmptyShould(true);
    }

    static ArchRule adaptersHoldNoSql() {
        return noClasses().that().resideInAnyPackage(packages(SQL_FREE_ADAPTERS))
                .should().dependOnClassesThat().resideInAPackage(pkg("store"))
                .because("adapters parse, call one feature service and render; only store knows SQL")
                .allowEmptyShould(true);
    }

    static ArchRule onlyStoreTalksToTheDatabase() {
        return noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(pkg("store"))
                .should().dependOnClassesThat().resideInAnyPackage(DATABASE_LIBRARIES)
                .because("only store knows SQL (JDBI, JDBC, Flyway, the SQLite driver, the pool)")
                .allowEmptyShould(true);
    }

    static List<ArchRule> rules() {
        return List.of(commonIsSelfContained(), modelUsesOnlyCommon(), storeUsesOnlyCommonAndModel(),
                featuresDoNotDependOnAdaptersOrApp(), adaptersHoldNoSql(), onlyStoreTalksToTheDatabase());
    }

    // --- the production code keeps them -----------------------------------------------------------------------------

    @Test
    void theImportSeesTheLayers() {
        // guards against a silently empty import, which would make every rule pass
        for (String name : List.of("common", "model", "store", "entries", "audit", "settings", "telemetry", "http", "api", "app", "cli")) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(ROOT + "." + name)))
                    .as("production classes in %s.%s", ROOT, name).isTrue();
        }
        assertThat(production.stream().noneMatch(c -> c.getPackageName().contains("archfixture")))
                .as("test fixtures are not part of the production import").isTrue();
    }

    @Test
    void commonDependsOnNoOtherChlPackage() {
        commonIsSelfContained().check(production);
    }

    @Test
    void modelDependsOnlyOnCommon() {
        modelUsesOnlyCommon().check(production);
    }

    @Test
    void storeDependsOnlyOnCommonAndModel() {
        storeUsesOnlyCommonAndModel().check(production);
    }

    @Test
    void featuresNeverDependOnAdaptersOrTheCompositionRoot() {
        featuresDoNotDependOnAdaptersOrApp().check(production);
    }

    @Test
    void adaptersNeverDependOnTheStore() {
        adaptersHoldNoSql().check(production);
    }

    @Test
    void onlyTheStoreUsesJdbiJdbcOrFlyway() {
        onlyStoreTalksToTheDatabase().check(production);
    }

    // --- and the rules can fail --------------------------------------------------------------------------------------

    @Test
    void everyRuleCatchesADeliberateViolation() {
        JavaClasses fixtures = new ClassFileImporter().importPackages(
                "dev.chl.api.archfixture", "dev.chl.entries.archfixture", "dev.chl.common.archfixture",
                "dev.chl.model.archfixture", "dev.chl.store.archfixture");
        assertThat(fixtures.size()).isEqualTo(5);
        assertThat(commonIsSelfContained().evaluate(fixtures).hasViolation()).as("common → model").isTrue();
        assertThat(modelUsesOnlyCommon().evaluate(fixtures).hasViolation()).as("model → store").isTrue();
        assertThat(storeUsesOnlyCommonAndModel().evaluate(fixtures).hasViolation()).as("store → entries").isTrue();
        assertThat(featuresDoNotDependOnAdaptersOrApp().evaluate(fixtures).getFailureReport().getDetails())
                .as("entries → api and entries → app")
                .anyMatch(d -> d.contains("dev.chl.api.HealthApi"))
                .anyMatch(d -> d.contains("dev.chl.app.Config"));
        assertThat(adaptersHoldNoSql().evaluate(fixtures).getFailureReport().getDetails())
                .anyMatch(d -> d.contains("dev.chl.store.Database"));
        assertThat(onlyStoreTalksToTheDatabase().evaluate(fixtures).getFailureReport().getDetails())
                .anyMatch(d -> d.contains("org.jdbi.v3.core.Jdbi"))
                .anyMatch(d -> d.contains("java.sql.Connection"));
    }

    @Test
    void rulesOverPackagesThatDoNotExistYetPass() {
        JavaClasses onlyCommon = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.chl.common");
        assertThat(onlyCommon.size()).isPositive();
        for (ArchRule rule : rules()) {
            assertThat(rule.evaluate(onlyCommon).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }
}
