package io.github.pcapunit.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code core}, each a package, every arrow pointing down (see
 * {@code docs/DESIGN.md}):
 *
 * <pre>
 *   cli → check → analysis → capture (+ spi) → packet → pcapng → (exceptions)
 * </pre>
 *
 * A rule that fails names the offending class and dependency; fix the code, not the rule. The
 * rules that span modules (front-ends use only API packages) are in {@code it}'s
 * {@code ModuleBoundariesTest}; the public-signature rule is shared with it through
 * {@link PublicSignatures}.
 */
class LayeringTest {

    private static final String CORE = "io.github.pcapunit.core";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().importPath(mainClasses(CaptureException.class));
    }

    /** The directory or jar {@code type} was loaded from: main classes only, whatever the build directory. */
    static Path mainClasses(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyArrowPointsDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("exceptions").definedBy(CORE)
                .layer("file format").definedBy(CORE + ".pcapng..")
                .layer("packets").definedBy(CORE + ".packet..")
                .layer("capture engine").definedBy(CORE + ".capture..")
                .layer("analysis").definedBy(CORE + ".analysis..")
                .layer("checks").definedBy(CORE + ".check..")
                .layer("command line").definedBy(CORE + ".cli..")
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("checks").mayOnlyBeAccessedByLayers("command line")
                .whereLayer("analysis").mayOnlyBeAccessedByLayers("checks", "command line")
                .whereLayer("capture engine").mayOnlyBeAccessedByLayers("analysis", "checks", "command line")
                .whereLayer("packets").mayOnlyBeAccessedByLayers("capture engine", "analysis", "checks",
                        "command line")
                .whereLayer("file format").mayOnlyBeAccessedByLayers("packets", "capture engine", "analysis",
                        "checks", "command line")
                .check(core);
    }

    @Test
    void noCyclesBetweenLayersOrTheirSubpackages() {
        slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(core);
        slices().matching(CORE + ".(*).internal.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void theFileFormatLayerUsesNothingButTheJdkAndTheExceptions() {
        classes().that().resideInAPackage(CORE + ".pcapng..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE, CORE + ".pcapng..")
                .check(core);
    }

    @Test
    void libpcapAndJnaStayInTheLibpcapAdapter() {
        noClasses().that().resideOutsideOfPackage(CORE + ".capture.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pcap4j..", "com.sun.jna..")
                .check(core);
    }

    @Test
    void coreKnowsNoTestFrameworkAndNoMaven() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.junit..", "org.assertj..", "org.apache.maven..")
                .check(core);
    }

    @Test
    void noInternalTypeAndNoLibpcapTypeInAPublicSignature() {
        PublicSignatures.shouldNotExpose("..internal..", "org.pcap4j..", "com.sun.jna..").check(core);
    }
}
