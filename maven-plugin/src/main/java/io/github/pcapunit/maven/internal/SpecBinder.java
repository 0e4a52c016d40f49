package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.UnknownInterfaceException;
import io.github.pcapunit.core.capture.CaptureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Binds {@code capture:start}'s parameters, as Maven injected them, straight onto core's
 * {@link CaptureSpec.Builder}: one {@link #option} call per parameter, in the mojo next to the
 * fields. A Maven parameter has the name of the builder method it feeds and the user property
 * {@code capture.<name>}, so a refusal from core (which names its option) is reported in the
 * pom's terms with the value as the user wrote it ({@code 1KB}, not core's {@code 1024}).
 *
 * <pre>{@code
 * CaptureSpec spec = SpecBinder.of(CaptureSpec.builder())
 *         .option("filter", filter, CaptureSpec.Builder::filter)
 *         .option("bufferSize", bufferSize, Sizes::parseInt, CaptureSpec.Builder::bufferSize)
 *         .build();
 * }</pre>
 *
 * <p>Every failure names the parameter as written in the pom, its user property, the value and
 * the fix in the pom's terms ({@code <bufferSize>32MB</bufferSize>}, never a builder call), and
 * keeps core's exception (as the cause, or suppressed where its message speaks Java); nothing is started before {@link #build()}
 * returns.
 */
public final class SpecBinder {

    private final CaptureSpec.Builder builder;
    private final List<String> parameters = new ArrayList<>();
    private final Map<String, String> written = new HashMap<>();

    private SpecBinder(CaptureSpec.Builder builder) {
        this.builder = builder;
    }

    /** A binder that sets the options on {@code builder}, e.g. {@code CaptureSpec.builder()}. */
    public static SpecBinder of(CaptureSpec.Builder builder) {
        return new SpecBinder(builder);
    }

    /**
     * Sets a parameter whose injected type is the builder's, e.g.
     * {@code option("snaplen", snaplen, CaptureSpec.Builder::snaplen)}.
     *
     * @param value the injected value; {@code null} (unset) keeps core's default
     * @throws MojoExecutionException when core refuses the value at once
     */
    public <T> SpecBinder option(String parameter, T value, BiConsumer<CaptureSpec.Builder, T> setter)
            throws MojoExecutionException {
        return option(parameter, value, Function.identity(), setter);
    }

    /**
     * Converts a parameter and sets it, e.g.
     * {@code option("maxFileSize", maxFileSize, Sizes::parse, CaptureSpec.Builder::maxFileSize)}.
     *
     * @param value the injected value; {@code null} (unset) keeps core's default
     * @param convert throws {@link IllegalArgumentException} saying what is wrong and the fix,
     *     e.g. "is not a size: use ..."; the parameter and value are put in front
     * @throws MojoExecutionException when the value cannot be converted or core refuses it
     */
    public <R, T> SpecBinder option(String parameter, R value, Function<R, T> convert,
            BiConsumer<CaptureSpec.Builder, T> setter) throws MojoExecutionException {
        parameters.add(parameter);
        if (value == null) {
            return this;
        }
        String text = value instanceof Collection<?> c
                ? c.stream().map(String::valueOf).collect(Collectors.joining(","))
                : value.toString();
        written.put(parameter, text);
        T converted;
        try {
            converted = convert.apply(value);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(describe(parameter, text) + " " + e.getMessage(), e);
        }
        try {
            setter.accept(builder, converted);
        } catch (InvalidCaptureSpecException e) {
            throw refused(e);
        }
        return this;
    }

    /**
     * The spec, checked by core including what needs libpcap (the filter compiles, the
     * interfaces exist), still without opening a capture.
     *
     * @throws MojoExecutionException naming parameter, value and fix
     */
    public CaptureSpec build() throws MojoExecutionException {
        try {
            return builder.build().validate();
        } catch (InvalidCaptureSpecException e) {
            throw refused(e);
        } catch (InvalidFilterException e) {
            // Core's message already names the filter, libpcap's reason and the fix; Maven appends
            // a cause's message unless ours contains it, so ours contains it verbatim.
            throw new MojoExecutionException(describe("filter", e.filter()) + ": " + e.getMessage(), e);
        } catch (UnknownInterfaceException e) {
            throw new MojoExecutionException("<interfaces><interface>" + e.requested()
                    + "</interface></interfaces> (capture.interfaces): " + e.getMessage(), e);
        }
    }

    /** The parameters bound so far, set or not, in binding order. */
    public List<String> parameters() {
        return List.copyOf(parameters);
    }

    /**
     * Converts text to one of an enum's constants, in any case, e.g.
     * {@code choice(KernelEvidence.class)} for {@code "off"}.
     */
    public static <E extends Enum<E>> Function<String, E> choice(Class<E> type) {
        return text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text.strip())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("is not one of " + Arrays.stream(
                    type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                    + ": use one of these (in any case), e.g. "
                    + type.getEnumConstants()[0].name().toLowerCase(Locale.ROOT));
        };
    }

    private MojoExecutionException refused(InvalidCaptureSpecException e) {
        String parameter = e.parameter();
        String problem = describe(parameter, written.getOrDefault(parameter, e.value())) + " is refused: ";
        Optional<String> inPomTerms = inPomTerms(e);
        if (inPomTerms.isEmpty()) {
            return new MojoExecutionException(problem + e.getMessage(), e);
        }
        // Maven appends a cause's message that ours does not contain, which would put core's
        // builder-call fix back next to ours; core's exception is kept, as a suppressed one (-e).
        MojoExecutionException refused = new MojoExecutionException(problem + inPomTerms.get());
        refused.addSuppressed(e);
        return refused;
    }

    /**
     * The refusal in the pom's terms where core's message gives its fix as a builder call (e.g.
     * {@code bufferSize(32 << 20)}): what is wrong and a value to write instead, as an element and
     * as a user property. Core's message stays the exception's cause; empty keeps it as it is.
     */
    private Optional<String> inPomTerms(InvalidCaptureSpecException e) {
        switch (e.parameter()) {
            case "snaplen":
                return Optional.of("a snaplen below 0 keeps no bytes of a packet: use a positive length,"
                        + " e.g. <snaplen>128</snaplen> (-Dcapture.snaplen=128) for headers only,"
                        + " or 0 (or no <snaplen>) for whole packets");
            case "bufferSize":
                return Optional.of("the kernel buffer must be 64KB to 1GB: use e.g."
                        + " <bufferSize>32MB</bufferSize> (-Dcapture.bufferSize=32MB)");
            case "explainFirewall":
                return Optional.of("it is not one nftables match expression: write the packets to"
                        + " trace in nft syntax, e.g. <explainFirewall>tcp dport 1433</explainFirewall>"
                        + " (-Dcapture.explainFirewall=\"tcp dport 1433\")");
            case "explainNamespaces":
                return written.containsKey("explainFirewall") ? Optional.empty()
                        : Optional.of("the namespaces' firewalls are traced in explain mode only: also"
                        + " set <explainFirewall>, e.g. <explainFirewall>tcp dport 1433</explainFirewall>");
            default:
                return Optional.empty();
        }
    }

    /** {@code <maxFileSize>10 parsecs</maxFileSize> (capture.maxFileSize)}. */
    private static String describe(String parameter, String value) {
        return "<" + parameter + ">" + value + "</" + parameter + "> (capture." + parameter + ")";
    }
}
