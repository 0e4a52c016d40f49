package io.github.pcapunit.cli;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficRule;
import io.github.pcapunit.core.check.Violation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code check FILE RULE...}: the rules of {@code capture:verify} as options, one per core
 * {@link TrafficRule} ({@code noDropsTo} is {@code --no-drops-to}), with the same checks and the
 * same failure messages. Prints {@code pcapunit: 2 rules passed: ...} and exits 0, or prints every
 * broken rule's message (separated by a blank line, as Maven shows them) and exits 1.
 *
 * <pre>
 * check app.pcapng --no-drops-to 1433 --only-talks-to 127.0.0.0/8,::1 --complete
 * </pre>
 */
final class CheckCommand {

    private static final String ALLOW_NO_TRAFFIC = "--allow-no-traffic";

    /** A rule as given on the command line, e.g. {@code --no-drops-to 10.0.1.20:1433}. */
    private record Given(TrafficRule rule, String asWritten, List<String> hosts, Integer port) {
    }

    private CheckCommand() {
    }

    /** {@code noDropsTo} → {@code --no-drops-to}. */
    static String option(TrafficRule rule) {
        return "--" + rule.parameter().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** One usage line per rule, from core's list. */
    static String ruleUsage() {
        List<String> lines = new ArrayList<>();
        for (TrafficRule rule : TrafficRule.values()) {
            lines.add("  " + option(rule) + argument(rule.shape()));
        }
        lines.add("  " + ALLOW_NO_TRAFFIC + "   (a rule about some traffic passes when none was captured)");
        return String.join("\n", lines);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<Given> rules = new ArrayList<>();
        List<String> files = new ArrayList<>();
        boolean allowNoTraffic = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(ALLOW_NO_TRAFFIC)) {
                allowNoTraffic = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                files.add(arg);
                continue;
            }
            Optional<TrafficRule> rule = Arrays.stream(TrafficRule.values())
                    .filter(r -> option(r).equals(arg)).findFirst();
            if (rule.isEmpty()) {
                return usage(err, "check has no option '" + arg + "': the rules are "
                        + Arrays.stream(TrafficRule.values()).map(CheckCommand::option)
                                .collect(Collectors.joining(", ")) + ", and " + ALLOW_NO_TRAFFIC);
            }
            TrafficRule r = rule.get();
            if (r.shape() == TrafficRule.Shape.FLAG) {
                rules.add(new Given(r, arg, List.of(), null));
                continue;
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                return usage(err, arg + " needs" + argument(r.shape()) + ": e.g. " + example(r));
            }
            String value = args[++i];
            Given given;
            try {
                given = parse(r, arg, value);
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
            }
            Optional<String> missing = r.missing(given.hosts(), given.port());
            if (missing.isPresent()) {
                return usage(err, given.asWritten() + " needs " + missing.get() + ": e.g. " + example(r));
            }
            rules.add(given);
        }
        if (files.size() != 1) {
            return usage(err, "check takes exactly one file, got " + files.size() + " " + files);
        }
        if (rules.isEmpty()) {
            return usage(err, "check needs at least one rule, e.g. --no-drops-to 1433");
        }
        // Evaluation order is core's rule order, as in capture:verify.
        rules.sort((a, b) -> Integer.compare(a.rule().ordinal(), b.rule().ordinal()));
        List<String> names = new ArrayList<>();
        List<Expectation> expectations = new ArrayList<>();
        for (Given g : rules) {
            Expectation e;
            try {
                e = g.rule().expectation(g.hosts(), g.port());
            } catch (IllegalArgumentException ex) {
                return usage(err, g.asWritten() + " is refused: " + ex.getMessage());
            }
            names.add(g.rule().shownAs(g.hosts(), g.port()));
            expectations.add(allowNoTraffic ? e.allowingNoTraffic() : e);
        }
        CapturedTraffic traffic;
        List<String> failures = new ArrayList<>();
        try {
            traffic = CapturedTraffic.read(Path.of(files.get(0)));
            for (Expectation e : expectations) {
                e.check(traffic).map(Violation::message).ifPresent(failures::add);
            }
        } catch (CaptureException e) {
            err.println("pcapunit check: " + e.getMessage());
            return 2;
        }
        if (failures.isEmpty()) {
            out.println("pcapunit: " + names.size() + (names.size() == 1 ? " rule passed: "
                    : " rules passed: ") + String.join(", ", names));
            return 0;
        }
        out.println(String.join(System.lineSeparator() + System.lineSeparator(), failures));
        return 1;
    }

    /** {@code --no-drops-to 10.0.1.20:1433}: hosts and port by the rule's shape. */
    private static Given parse(TrafficRule rule, String option, String value) {
        String asWritten = option + " " + value;
        switch (rule.shape()) {
            case PORT:
                return new Given(rule, asWritten, List.of(), port(asWritten, value, rule));
            case HOSTS:
                return new Given(rule, asWritten, Arrays.stream(value.split(","))
                        .map(String::strip).filter(h -> !h.isEmpty()).toList(), null);
            case PORT_ON_HOST:
            case HOST_WITH_PORT:
                String host;
                String port;
                if (value.startsWith("[") && value.contains("]")) {
                    host = value.substring(1, value.indexOf(']'));
                    String after = value.substring(value.indexOf(']') + 1);
                    port = after.startsWith(":") ? after.substring(1) : null;
                } else if (value.chars().filter(c -> c == ':').count() == 1) {
                    host = value.substring(0, value.indexOf(':'));
                    port = value.substring(value.indexOf(':') + 1);
                } else if (rule.shape() == TrafficRule.Shape.PORT_ON_HOST && value.matches("\\d+")) {
                    host = null;
                    port = value;
                } else {
                    host = value;
                    port = null;
                }
                return new Given(rule, asWritten, host == null || host.isEmpty() ? List.of()
                        : List.of(host), port == null ? null : port(asWritten, port, rule));
            default:
                throw new AssertionError(rule.shape());
        }
    }

    private static Integer port(String asWritten, String text, TrafficRule rule) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(asWritten + ": '" + text + "' is not a port number:"
                    + " e.g. " + example(rule));
        }
    }

    private static String argument(TrafficRule.Shape shape) {
        switch (shape) {
            case FLAG:
                return "";
            case PORT:
                return " PORT";
            case PORT_ON_HOST:
                return " [HOST:]PORT";
            case HOST_WITH_PORT:
                return " HOST[:PORT]";
            case HOSTS:
                return " HOST[,HOST...]";
            default:
                throw new AssertionError(shape);
        }
    }

    private static String example(TrafficRule rule) {
        switch (rule.shape()) {
            case FLAG:
                return option(rule);
            case PORT:
            case PORT_ON_HOST:
                return option(rule) + " 1433";
            case HOST_WITH_PORT:
                return option(rule) + " 10.0.0.0/8";
            case HOSTS:
                return option(rule) + " 127.0.0.0/8,::1";
            default:
                throw new AssertionError(rule.shape());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("pcapunit check: " + problem + ".\n" + Main.USAGE);
        return 2;
    }
}
