package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.UnknownInterfaceException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Turns {@code capture:start}'s parameters into a {@link CaptureSpec}, checking every value
 * (including compiling the filter and looking up the interfaces) before anything is started.
 * Every failure names the parameter as written in the pom, its user property, the value and the
 * fix, and keeps core's exception as the cause.
 */
public final class SpecFactory {

    /** The raw parameter values, as Maven injected them; {@code null} means unset. */
    public static final class Parameters {
        public String filter;
        public List<String> interfaces;
        public Integer snaplen;
        public String bufferSize;
        public String maxFileSize;
        public String kernelEvidence;
        public String explainFirewall;
        public List<String> explainNamespaces;
        public Path output;
        public String comment;
    }

    private SpecFactory() {
    }

    /**
     * The validated spec.
     *
     * @throws MojoExecutionException naming parameter, value and fix
     */
    public static CaptureSpec create(Parameters p) throws MojoExecutionException {
        CaptureSpec.Builder b = CaptureSpec.builder().output(p.output).comment(p.comment);
        try {
            if (p.interfaces != null) {
                b.interfaces(p.interfaces);
            }
            b.filter(p.filter);
            if (p.snaplen != null) {
                b.snaplen(p.snaplen);
            }
            if (p.bufferSize != null) {
                long bytes = size("bufferSize", p.bufferSize);
                if (bytes > Integer.MAX_VALUE) {
                    throw new MojoExecutionException(Sizes.describe("bufferSize",
                            "capture.bufferSize", p.bufferSize)
                            + " is larger than 1 GiB: use e.g. 32MB (the default)");
                }
                b.bufferSize((int) bytes);
            }
            if (p.maxFileSize != null) {
                b.maxFileSize(size("maxFileSize", p.maxFileSize));
            }
            if (p.kernelEvidence != null) {
                b.kernelEvidence(kernelEvidence(p.kernelEvidence));
            }
            if (p.explainFirewall != null) {
                b.explainFirewall(p.explainFirewall);
            }
            if (p.explainNamespaces != null) {
                b.explainNamespaces(p.explainNamespaces.toArray(String[]::new));
            }
            return b.build().validate();
        } catch (InvalidCaptureSpecException e) {
            String param = e.parameter();
            throw new MojoExecutionException(Sizes.describe(param, "capture." + param,
                    asWritten(p, param, e.value()))
                    + " is refused: " + e.getMessage(), e);
        } catch (InvalidFilterException e) {
            // Core's message already names the filter, libpcap's reason and the fix; Maven appends
            // a cause's message unless ours contains it, so ours contains it verbatim.
            throw new MojoExecutionException(Sizes.describe("filter", "capture.filter", e.filter())
                    + ": " + e.getMessage(), e);
        } catch (UnknownInterfaceException e) {
            throw new MojoExecutionException("<interfaces><interface>" + e.requested()
                    + "</interface></interfaces> (capture.interfaces): " + e.getMessage(), e);
        }
    }

    private static long size(String parameter, String text) throws MojoExecutionException {
        try {
            return Sizes.parse(parameter, "capture." + parameter, text);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    private static KernelEvidence kernelEvidence(String text) throws MojoExecutionException {
        for (KernelEvidence mode : KernelEvidence.values()) {
            if (mode.name().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw new MojoExecutionException(Sizes.describe("kernelEvidence",
                "capture.kernelEvidence", text) + " is not a kernel evidence mode: use one of "
                + Arrays.stream(KernelEvidence.values()).map(Enum::name)
                        .collect(Collectors.joining(", "))
                + " (AUTO records the kernel's drop reasons where this machine allows it)");
    }

    /** The value as the user wrote it (e.g. {@code 1KB}), not as core saw it ({@code 1024}). */
    private static String asWritten(Parameters p, String parameter, String coreValue) {
        switch (parameter) {
            case "bufferSize": return p.bufferSize != null ? p.bufferSize : coreValue;
            case "maxFileSize": return p.maxFileSize != null ? p.maxFileSize : coreValue;
            case "snaplen": return p.snaplen != null ? p.snaplen.toString() : coreValue;
            case "explainNamespaces": return p.explainNamespaces != null ? String.join(",", p.explainNamespaces) : coreValue;
            default: return coreValue;
        }
    }
}
