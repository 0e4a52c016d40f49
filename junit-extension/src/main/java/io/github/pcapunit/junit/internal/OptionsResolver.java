package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Turns {@link DeclaredOptions} into {@link CaptureOptions}: configuration parameters and built-in
 * defaults fill the gaps, and values that cannot work are refused, each with the attribute, the
 * value and the fix. Every check runs before the only side effect, creating the output directory;
 * nothing here starts a capture.
 *
 * <pre>{@code
 * CaptureOptions options = new OptionsResolver(parameters, EngineEnvironment.INSTANCE)
 *         .resolve(declared, "com.example.LoginTest.login()");
 * }</pre>
 *
 * <p>Precedence: what the annotation or builder wrote, then the configuration parameter, then the
 * built-in default. Attributes left at their annotation default count as "not written".
 */
public final class OptionsResolver {

    /** Where files go when nothing else says. */
    public static final String DEFAULT_OUTPUT_DIRECTORY = "target/pcapunit";

    private final ConfigParameters parameters;
    private final CaptureEnvironment environment;

    /** Resolves with {@code parameters}, checking filters and interfaces with {@code environment}. */
    public OptionsResolver(ConfigParameters parameters, CaptureEnvironment environment) {
        this.parameters = parameters;
        this.environment = environment;
    }

    /**
     * The options for {@code declared}, declared on {@code where} (a test or class, for messages).
     *
     * @throws ExtensionConfigurationException naming attribute, value and fix
     */
    public CaptureOptions resolve(DeclaredOptions declared, String where) {
        CaptureSpec spec = spec(declared, where);
        DeclaredOptions.Origin origin = declared.origin();
        if (environment.unavailable().isEmpty()) {
            checkWithLibpcap(spec, origin, where);
        }
        Keep keep = declared.keep() != null ? declared.keep()
                : parameters.enumValue(ConfigParameters.KEEP, Keep.class).orElse(Keep.ON_FAILURE);
        OnUnavailable onUnavailable = declared.onUnavailable() != null ? declared.onUnavailable()
                : parameters.enumValue(ConfigParameters.ON_UNAVAILABLE, OnUnavailable.class).orElse(OnUnavailable.FAIL);
        Scope scope = declared.scope() != null ? declared.scope() : Scope.TEST;
        return new CaptureOptions(origin, spec, keep, outputDirectory(declared, where), onUnavailable, scope);
    }

    /**
     * Interfaces and filter, checked by libpcap. Only where a capture can be made: elsewhere
     * libpcap may be missing, and what the test gets is onUnavailable's skip or failure, which
     * names the reason, instead of the check's error about the loader.
     */
    private void checkWithLibpcap(CaptureSpec spec, DeclaredOptions.Origin origin, String where) {
        List<String> interfaces = spec.interfaces();
        environment.checkInterfaces(interfaces).ifPresent(reason -> {
            throw refuse(origin.describe("interfaces", Literals.of(interfaces)), where,
                    "names an unknown interface: " + reason,
                    "Name interfaces as `ip link` shows them, e.g. \"lo\", or leave interfaces empty for the default.",
                    null);
        });
        String filter = spec.filter().orElse("");
        environment.checkFilter(filter).ifPresent(reason -> {
            throw refuse(origin.describe("filter", Literals.of(filter)), where,
                    "is not a valid capture filter: " + reason, "Use tcpdump filter syntax, e.g. \"tcp port 1433\".",
                    null);
        });
    }

    /**
     * The engine's spec: configuration parameters first, then what was written on top, so a
     * written option wins; the engine's refusal reworded for the annotation or builder.
     */
    private CaptureSpec spec(DeclaredOptions declared, String where) {
        CaptureSpec.Builder spec = CaptureSpec.builder();
        Optional<KernelEvidence> kernelEvidence =
                parameters.enumValue(ConfigParameters.KERNEL_EVIDENCE, KernelEvidence.class);
        kernelEvidence.ifPresent(spec::kernelEvidence);
        parameters.text(ConfigParameters.INTERFACES).map(OptionsResolver::splitList).ifPresent(spec::interfaces);
        try {
            declared.capture().applyTo(spec);
            return spec.build();
        } catch (InvalidCaptureSpecException e) {
            String literal = declared.capture().literal(e.parameter()).orElse(e.value());
            throw refuse(declared.origin().describe(e.parameter(), literal), where,
                    "is refused by the capture engine: " + e.getMessage(),
                    "Leave " + e.parameter() + " unset for the engine's default.", e);
        }
    }

    private Path outputDirectory(DeclaredOptions declared, String where) {
        String text;
        String source;
        if (declared.outputDirectory() != null && !declared.outputDirectory().isBlank()) {
            text = declared.outputDirectory();
            source = declared.origin().describe("outputDirectory", Literals.of(text));
        } else {
            text = parameters.text(ConfigParameters.OUTPUT_DIRECTORY).orElse(DEFAULT_OUTPUT_DIRECTORY);
            source = "Configuration parameter " + ConfigParameters.OUTPUT_DIRECTORY + "=" + text;
        }
        String fix = "Point it at a writable directory, e.g. \"" + DEFAULT_OUTPUT_DIRECTORY + "\".";
        Path dir;
        try {
            dir = Paths.get(text);
        } catch (InvalidPathException e) {
            throw refuse(source, where, "is not a valid path: " + e.getReason(), fix, e);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw refuse(source, where, "names a directory that cannot be created (" + e + ")", fix, e);
        }
        if (!Files.isWritable(dir)) {
            throw refuse(source, where, "names a directory this process may not write to", fix, null);
        }
        return dir;
    }

    static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    /** "{what} on {where} {problem}. {fix}", keeping {@code cause} when there is one. */
    private static ExtensionConfigurationException refuse(String what, String where, String problem, String fix,
            Throwable cause) {
        return new ExtensionConfigurationException(what + " on " + where + " " + problem + ". " + fix, cause);
    }
}
