package io.github.pcapunit.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import io.github.pcapunit.core.PublicSignatures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries: the front-ends ({@code assertions}, {@code junit-extension},
 * {@code maven-plugin}) use only core's API packages, never an {@code internal} one, and none of
 * them uses another; only the JUnit extension and the Maven plugin use core's SPI. Core's own
 * layers are checked by core's {@code LayeringTest}.
 */
class ModuleBoundariesTest {

    private static final String ASSERTIONS = "io.github.pcapunit.assertions..";
    private static final String JUNIT = "io.github.pcapunit.junit..";
    private static final String MAVEN = "io.github.pcapunit.maven..";
    private static JavaClasses pcapunit;

    @BeforeAll
    static void importMainClassesOfEveryModule() {
        pcapunit = new ClassFileImporter()
                .withImportOption(ModuleBoundariesTest::isMainCode)
                .importPackages("io.github.pcapunit");
    }

    /** Main classes of the modules: neither test classes nor the core test-jar nor this module. */
    private static boolean isMainCode(Location location) {
        String uri = location.asURI().toString();
        return !uri.contains("/test-classes/") && !uri.contains("-tests.jar") && !uri.contains("/it/");
    }

    @Test
    void everyModuleIsImported() {
        for (String pkg : new String[] {"io.github.pcapunit.core.capture", "io.github.pcapunit.assertions",
                "io.github.pcapunit.junit", "io.github.pcapunit.maven"}) {
            if (pcapunit.stream().noneMatch(c -> c.getPackageName().equals(pkg))) {
                throw new AssertionError("no main class of " + pkg + " on the test classpath: the rules below"
                        + " would pass vacuously");
            }
        }
    }

    @Test
    void frontEndsUseOnlyCoreApiPackages() {
        noClasses().that().resideInAnyPackage(ASSERTIONS, JUNIT, MAVEN)
                .should().dependOnClassesThat().resideInAPackage("io.github.pcapunit.core..internal..")
                .because("a front-end is a user of core like any other: what it needs is public API")
                .check(pcapunit);
    }

    @Test
    void frontEndsDoNotUseEachOther() {
        noClasses().that().resideInAPackage(ASSERTIONS)
                .should().dependOnClassesThat().resideInAnyPackage(JUNIT, MAVEN).check(pcapunit);
        noClasses().that().resideInAPackage(JUNIT)
                .should().dependOnClassesThat().resideInAnyPackage(ASSERTIONS, MAVEN).check(pcapunit);
        noClasses().that().resideInAPackage(MAVEN)
                .should().dependOnClassesThat().resideInAnyPackage(ASSERTIONS, JUNIT).check(pcapunit);
    }

    @Test
    void onlyTheJUnitExtensionAndTheMavenPluginUseTheSpi() {
        noClasses().that().resideOutsideOfPackages("io.github.pcapunit.core.capture..", JUNIT, MAVEN)
                .should().dependOnClassesThat().resideInAPackage("io.github.pcapunit.core.capture.spi..")
                .check(pcapunit);
    }

    @Test
    void noInternalTypeAndNoLibpcapTypeInAnyModulesPublicSignature() {
        PublicSignatures.shouldNotExpose("..internal..", "org.pcap4j..", "com.sun.jna..").check(pcapunit);
    }
}
