package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.InvalidCaptureSpecException;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Fills the gaps in {@link CaptureOptions} from configuration parameters and built-in defaults,
 * and refuses values that cannot work, each with the attribute, the value and the fix. Nothing
 * here starts a capture; the only side effect is creating the output directory.
 *
 * <p>Precedence: a value the user wrote on the annotation or builder, then the configuration
 * parameter, then the built-in default. Attributes left at their annotation default count as
 * "not written".
 */
public final class SettingsResolver {

    /** Where files go when nothing else says. */
    public static final String DEFAULT_OUTPUT_DIRECTORY = "target/pcapunit";

    private final ConfigParameters parameters;
    private final CaptureEnvironment environment;

    /** Resolves with {@code parameters}, checking filters and interfaces with {@code environment}. */
    public SettingsResolver(ConfigParameters parameters, CaptureEnvironment environment) {
        this.parameters = parameters;
        this.environment = environment;
    }

    /**
     * The settings for {@code options}, declared on {@code where} (a test or class, for messages).
     *
     * @throws ExtensionConfigurationException naming attribute, value and fix
     */
    public CaptureSettings resolve(CaptureOptions options, String where) {
        CaptureOptions.Origin origin = options.origin();
        if (options.snaplen() < 0) {
            throw refuse(origin.describe("snaplen", String.valueOf(options.snaplen())), where,
                    "is negative",
                    "Use a positive number of bytes per packet, or 0 for whole packets.");
        }
        List<String> interfaces = options.interfaces().isEmpty()
                ? parameters.text(ConfigParameters.INTERFACES).map(SettingsResolver::splitList).orElse(List.of())
                : options.interfaces();
        for (String name : interfaces) {
            if (name.isBlank()) {
                throw refuse(origin.describe("interfaces", quoteAll(interfaces)), where,
                        "contains a blank interface name", "Name interfaces as `ip link` shows them, e.g. \"lo\".");
            }
        }
        environment.checkInterfaces(interfaces).ifPresent(reason -> {
            throw refuse(origin.describe("interfaces", quoteAll(interfaces)), where, "names an unknown interface: " + reason,
                    "Name interfaces as `ip link` shows them, e.g. \"lo\", or leave interfaces empty for the default.");
        });
        environment.checkFilter(options.filter()).ifPresent(reason -> {
            throw refuse(origin.describe("filter", quote(options.filter())), where,
                    "is not a valid capture filter: " + reason,
                    "Use tcpdump filter syntax, e.g. \"tcp port 1433\".");
        });
        Keep keep = options.keep() != null ? options.keep()
                : parameters.enumValue(ConfigParameters.KEEP, Keep.class).orElse(Keep.ON_FAILURE);
        KernelEvidence kernel = options.kernelEvidence() != null ? options.kernelEvidence()
                : parameters.enumValue(ConfigParameters.KERNEL_EVIDENCE, KernelEvidence.class).orElse(KernelEvidence.AUTO);
        OnUnavailable onUnavailable = options.onUnavailable() != null ? options.onUnavailable()
                : parameters.enumValue(ConfigParameters.ON_UNAVAILABLE, OnUnavailable.class).orElse(OnUnavailable.FAIL);
        checkExplain(options, where);
        Path output = outputDirectory(options, where);
        return new CaptureSettings(options, options.filter(), interfaces, options.snaplen(), options.headersOnly(),
                keep, output, kernel, onUnavailable, options.scope() == null ? Scope.TEST : options.scope(),
                options.explainFirewall(), options.explainNamespaces());
    }

    /** The engine's own checks of the explain options, worded for the annotation or builder. */
    private static void checkExplain(CaptureOptions options, String where) {
        CaptureSpec.Builder spec = CaptureSpec.builder();
        if (!options.explainFirewall().isEmpty()) {
            spec.explainFirewall(options.explainFirewall());
        }
        spec.explainNamespaces(options.explainNamespaces().toArray(String[]::new));
        try {
            spec.build();
        } catch (InvalidCaptureSpecException e) {
            String value = e.parameter().equals("explainNamespaces") ? quoteAll(options.explainNamespaces())
                    : quote(options.explainFirewall());
            throw refuse(options.origin().describe(e.parameter(), value), where, "is refused: " + e.getMessage(),
                    "Give one nft match expression, e.g. explainFirewall = \"tcp dport 1433\".", e);
        }
    }

    private Path outputDirectory(CaptureOptions options, String where) {
        String text;
        String source;
        if (options.outputDirectory() != null && !options.outputDirectory().isBlank()) {
            text = options.outputDirectory();
            source = options.origin().describe("outputDirectory", quote(text));
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
            throw refuse(source, where, "names a directory this process may not write to", fix);
        }
        return dir;
    }

    static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String quoteAll(List<String> values) {
        return values.stream().map(SettingsResolver::quote).collect(Collectors.joining(", ", "{", "}"));
    }

    private static ExtensionConfigurationException refuse(String what, String where, String problem, String fix) {
        return new ExtensionConfigurationException(what + " on " + where + " " + problem + ". " + fix);
    }

    private static ExtensionConfigurationException refuse(String what, String where, String problem, String fix,
            Throwable cause) {
        return new ExtensionConfigurationException(what + " on " + where + " " + problem + ". " + fix, cause);
    }
}
