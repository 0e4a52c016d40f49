package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * 9. Both entry points on the same scenario give the same verdict: "SQL Server" in a namespace
 * behind {@code tcp dport 1433 drop} on its input; once a {@code @CaptureTraffic} test asserts
 * {@code hasNoDroppedPacketsTo(1433)}, once a real Maven build runs its Failsafe IT between
 * {@code capture:start} and {@code capture:stop} and {@code capture:verify} checks
 * {@code <noDropsTo><port>1433</port></noDropsTo>}. Both fail, with the same message once the
 * file path, addresses, ports, times and pids are masked.
 *
 * <p>The Maven build uses the plugin that the maven-plugin module's invoker ITs installed into
 * {@code maven-plugin/target/it-repo} (so run the whole reactor: {@code ./mvnw verify}). Both
 * write under this module's build directory ({@link #buildDirectory()}), so builds sharing a work
 * tree with {@code -Dpcapunit.build.directory} keep their files apart.
 */
class BothEntryPointsIT {

    /** Under the module's build directory, {@code target} or {@code -Dpcapunit.build.directory}'s. */
    private static final Path WORK = buildDirectory().resolve("pcapunit").resolve("both-entry-points");

    private NetLab lab;
    private JvmLink db;

    @BeforeEach
    void databaseBehindDropRule() {
        NetLab.assumeAvailable();
        lab = NetLab.create();
        db = lab.linkToJvm("db");
        db.host().tcpEchoServer(1433);
        db.host().firewall().dropInput("tcp dport 1433");
    }

    @AfterEach
    void removeLab() {
        System.clearProperty(DbBehindFirewallTestCases.DB_PROPERTY);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void junitExtensionAndMavenGoals_failWithTheSameVerdict() throws IOException {
        String junitMessage = junitVerdict();
        MavenVerdict maven = mavenVerdict();

        assertThat(junitMessage).contains("to have no dropped packets to port 1433", "NETFILTER_DROP",
                "netfilter (nftables", db.host().address() + ":1433");
        assertThat(maven.message()).contains("to have no dropped packets to port 1433", "NETFILTER_DROP",
                "netfilter (nftables", db.host().address() + ":1433", maven.pcapng().toString());
        assertThat(mask(maven.message())).as("Maven's verdict, masked, vs JUnit's:%n%s%n---%n%s",
                maven.message(), junitMessage).isEqualTo(mask(junitMessage));
        if (BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")).isEmpty()) {
            // with eBPF here, both waited for bpftrace: the first SYN's drop is observed, not inferred
            for (String message : List.of(junitMessage, maven.message())) {
                // the drops are observed; only the process that connect()ed the flow is inferred
                // (a SYN dropped on the server's INPUT has no socket there), and says so
                assertThat(message).contains("eBPF, observed");
                assertThat(message.replace("(inferred: the kernel journal's only connect() to it)", ""))
                        .doesNotContain("inferred");
                Matcher m = Pattern.compile("(\\d+) packets? dropped there .*; SYN sent (\\d+)×").matcher(message);
                assertThat(m.find()).as("drop and SYN counts in:%n%s", message).isTrue();
                assertThat(m.group(1)).as("SYNs eBPF recorded vs SYNs sent, in:%n%s", message).isEqualTo(m.group(2));
            }
        }

        // Both files hold the same story: SYNs to 1433 on the wire, the kernel's drop entries.
        CapturedTraffic fromMaven = CapturedTraffic.read(maven.pcapng()).filter("host " + db.host().address());
        assertThat(fromMaven.packetsTo(db.host().address(), 1433)).as("SYNs in the Maven build's file").isPositive();
        Referee.assertReadable(maven.pcapng());
    }

    private String junitVerdict() throws IOException {
        Path output = Files.createDirectories(WORK.resolve("junit"));
        System.setProperty(DbBehindFirewallTestCases.DB_PROPERTY, db.host().address());
        // eBPF on (where available) in both: the run's shared capture and capture:start wait for
        // bpftrace to attach before capturing, so both record the SYN drops with eBPF from the first.
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("pcapunit.output.directory", output.toString())
                .selectors(selectClass(DbBehindFirewallTestCases.class))
                .execute()
                .testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Event failed = tests.failed().stream().findFirst().orElseThrow();
        Throwable failure = failed.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
        return failure.getMessage();
    }

    private record MavenVerdict(String message, Path pcapng) {
    }

    private MavenVerdict mavenVerdict() throws IOException {
        ChildMaven build = ChildMaven.of("sql-server-build", WORK);
        Path pcapng = build.project().resolve("target/pcapunit/sql-server-build.pcapng");
        Shell.Result result = Shell.run(Duration.ofMinutes(5),
                build.command("-Ddb.address=" + db.host().address(), "verify"));
        String text = Files.readString(build.log(), StandardCharsets.UTF_8);
        assertThat(result.exitCode()).as("the build fails in capture:verify:%n%s", text).isNotZero();
        assertThat(text).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
        return new MavenVerdict(failureMessage(text), pcapng);
    }

    /**
     * The build directory this class was compiled into: the parent of its {@code test-classes}
     * (Failsafe runs the classes from there), e.g. {@code it/target-foo} with
     * {@code -Dpcapunit.build.directory=target-foo}; {@code target} if the classes come from
     * elsewhere (a jar).
     */
    static Path buildDirectory() {
        try {
            Path classes = Path.of(BothEntryPointsIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getFileName().toString().equals("test-classes")) {
                return classes.getParent().toAbsolutePath();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source: the default below
        }
        return Path.of("target").toAbsolutePath();
    }

    /** The goal's failure message as Maven prints it: after "on project ...: ", then [ERROR] lines. */
    static String failureMessage(String log) {
        String head = "[ERROR] Failed to execute goal io.github.pcapunit:capture-maven-plugin:";
        int at = log.indexOf(head);
        assertThat(at).as("capture:verify failed the build:%n%s", log).isNotNegative();
        List<String> lines = log.substring(at).lines().toList();
        assertThat(lines.get(0)).contains(":verify (capture) on project sql-server-build: ");
        String onProject = "on project sql-server-build: ";
        List<String> message = new ArrayList<>();
        message.add(lines.get(0).substring(lines.get(0).indexOf(onProject) + onProject.length()));
        for (String line : lines.subList(1, lines.size())) {
            if (line.equals("[ERROR] -> [Help 1]") || !line.startsWith("[ERROR] ")) {
                break;
            }
            message.add(line.substring("[ERROR] ".length()));
        }
        return String.join("\n", message);
    }

    /** Masks what differs between two runs of one scenario: file, addresses, ports, times, pids, counts. */
    static String mask(String message) {
        return message.strip()
                .replaceAll("(?m)^Expecting the traffic captured in .*$", "Expecting the traffic captured in FILE")
                .replaceAll("\\S+\\.pcapng", "FILE")
                .replaceAll("10\\.200\\.\\d+\\.\\d+", "ADDR")
                .replaceAll("ADDR:(?!1433\\b)\\d+", "ADDR:PORT")
                .replaceAll("[+-]?\\d+\\.\\d+ s", "T s")
                .replaceAll("pid \\d+", "pid N")
                .replaceAll("\\b\\d+\\b(?! ?s\\b)", "N")
                .strip();
    }
}
