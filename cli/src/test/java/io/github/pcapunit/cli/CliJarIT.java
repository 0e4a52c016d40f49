package io.github.pcapunit.cli;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpEcho;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Diagnosis;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.check.TrafficRule;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar run as a user runs it ({@code java -jar pcapunit-cli-VERSION.jar}), on a
 * pcapng written by our writer, the classic pcap tcpdump writes from it, and their {@code .gz}:
 * exit codes, {@code check}'s message equal to what core's rule (the one capture:verify uses)
 * says for the same file, and {@code diagnose}'s verdicts and diagnoses equal to core's.
 */
class CliJarIT {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000001Z");

    @TempDir
    Path dir;

    private Path pcapng;

    /** A SYN from 10.0.1.10 to 10.0.1.20:1433 refused with a RST: one drop to port 1433. */
    @BeforeEach
    void refusedConnection() {
        pcapng = dir.resolve("refused.pcapng");
        byte[] syn = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50122, 1433, 1000, 0, 0x02, 64240, 0)));
        byte[] rst = ethernet(0x0800, ipv4(6, "10.0.1.20", "10.0.1.10", tcp(1433, 50122, 0, 1001, 0x14, 0, 0)));
        try (PcapngWriter w = PcapngWriter.open(pcapng, SectionHeader.builder().build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writePacket(0, T0, syn.length, syn, 0, syn.length,
                    PacketOptions.builder().direction(Direction.OUTBOUND).build());
            w.writePacket(0, T0.plusNanos(41_000), rst.length, rst, 0, rst.length,
                    PacketOptions.builder().direction(Direction.INBOUND).build());
        }
    }

    private record Run(int status, String out, String err) {
    }

    private Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("pcapunit.cli.jar")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
    }

    private Path gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        return gz;
    }

    /** What capture:verify says about the file: core's rule, evaluated in-process. */
    private static String coreMessage(Path file, TrafficRule rule, List<String> hosts, Integer port) {
        return rule.expectation(hosts, port).check(CapturedTraffic.read(file)).orElseThrow().message();
    }

    @Test
    void check_brokenRule_exits1_withCoresMessage() throws Exception {
        Run run = cli("check", pcapng.toString(), "--no-drops-to", "1433", "--complete");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out().strip()).isEqualTo(coreMessage(pcapng, TrafficRule.NO_DROPS_TO, List.of(), 1433));
        assertThat(run.out()).contains("to have no dropped packets to port 1433")
                .contains("SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433");
        assertThat(run.err()).as("nothing but the verdict, no SLF4J or JNA noise").isEmpty();
    }

    @Test
    void check_passingRules_exit0_andNameThem() throws Exception {
        Run run = cli("check", pcapng.toString(), "--complete", "--no-drops-to", "10.0.1.20:5432",
                "--allow-no-traffic");

        assertThat(run.status()).isZero();
        assertThat(run.out().strip()).isEqualTo("pcapunit: 2 rules passed: complete, noDropsTo(10.0.1.20:5432)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void check_onTcpdumpsClassicPcapAndOnGzip_givesTheSameVerdict() throws Exception {
        Path pcap = dir.resolve("refused.pcap");
        Process tcpdump = new ProcessBuilder("tcpdump", "-r", pcapng.toString(), "-w", pcap.toString())
                .redirectErrorStream(true).start();
        assertThat(tcpdump.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tcpdump.exitValue()).as("tcpdump rewrote the file as classic pcap").isZero();

        // The .gz is decompressed as it is read: the message names the .gz the user gave.
        String expected = withoutPath(coreMessage(pcap, TrafficRule.NONE_RESET, List.of(), 1433));
        assertThat(expected).contains("SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433");
        for (Path file : List.of(pcap, gzip(pcap), gzip(pcapng))) {
            Run run = cli("check", file.toString(), "--none-reset", "1433");
            assertThat(run.status()).as("exit status for %s", file).isEqualTo(1);
            assertThat(withoutPath(run.out().strip())).as("%s", file).isEqualTo(expected);
            assertThat(run.out()).contains("captured in " + file);
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void cutGzip_exits2_namingTheUsersFileAndTheCheck() throws Exception {
        Path gz = gzip(pcapng);
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        for (String command : List.of("check", "diagnose", "format")) {
            Run run = command.equals("check") ? cli(command, gz.toString(), "--complete") : cli(command, gz.toString());
            assertThat(run.status()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).startsWith("pcapunit " + command + ": " + gz + " (decompressed): the gzip"
                    + " data ends before its end marker").contains("gzip -t " + gz);
            assertThat(run.out()).as("%s prints nothing before the error", command).isEmpty();
        }
    }

    private static String withoutPath(String message) {
        return message.replaceAll("captured in /\\S+", "captured in FILE");
    }

    @Test
    void badUsage_exits2_sayingWhatIsWrongAndTheFix() throws Exception {
        Run noPort = cli("check", pcapng.toString(), "--no-drops-to");
        assertThat(noPort.status()).isEqualTo(2);
        assertThat(noPort.err()).startsWith("pcapunit check: --no-drops-to needs [HOST:]PORT: e.g. --no-drops-to 1433.\n");

        Run unknown = cli("check", pcapng.toString(), "--no-drop-to", "1433");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("pcapunit check: check has no option '--no-drop-to': the rules are"
                + " --complete, --no-drops, --no-drops-to, --only-talks-to, --no-traffic-to,"
                + " --all-established, --none-reset, --none-retransmitted, --echo-requests-answered,"
                + " and --allow-no-traffic.\n");

        Run refused = cli("check", pcapng.toString(), "--none-reset", "70000");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).startsWith("pcapunit check: --none-reset 70000 is refused: ").contains("70000");

        Run missing = cli("check", dir.resolve("missing.pcapng").toString(), "--complete");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("pcapunit check: ").contains("missing.pcapng");

        Run noCommand = cli();
        assertThat(noCommand.status()).isEqualTo(2);
        assertThat(noCommand.err()).contains("usage: java -jar pcapunit-cli.jar check FILE RULE...");
    }

    @Test
    void diagnose_givesTheVerdictAndTheDiagnosis_onTheGzipToo() throws Exception {
        Path gz = gzip(pcapng);
        Run run = cli("diagnose", gz.toString());

        // core's own verdict and diagnosis of the same file, in-process
        CapturedTraffic traffic = CapturedTraffic.read(pcapng);
        Verdict refused = traffic.verdicts().get(0);
        assertThat(refused.fate()).isEqualTo(Fate.REFUSED);
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(String.join("\n",
                gz + ": 2 packets, complete capture, kernel evidence none in file",
                "1 flow: 1 refused by the server",
                "1 destination, 1 not reachable:",
                "  [NOT REACHABLE] " + traffic.diagnosis("10.0.1.20", 1433).sentence(),
                "1 flow failed or lost packets:",
                "  " + refused,
                "    " + String.join("\n    ", refused.evidence()),
                ""));
        assertThat(run.out()).contains("the server refuses the port")
                .contains("SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433");
        assertThat(run.err()).isEmpty();
    }

    /**
     * A port a firewall blocks silently: SYNs to 10.0.1.20:1433 sent three times, never answered,
     * while the host answers ping and port 443 works.
     */
    @Test
    void diagnose_ofABlockedPort_saysPingPassesButThePortIsFiltered() throws Exception {
        Path blocked = dir.resolve("blocked.pcapng");
        byte[] ping = ethernet(0x0800, ipv4(1, "10.0.1.10", "10.0.1.20", icmpEcho(8, 7, 1)));
        byte[] pong = ethernet(0x0800, ipv4(1, "10.0.1.20", "10.0.1.10", icmpEcho(0, 7, 1)));
        byte[] syn = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50200, 1433, 1000, 0, 0x02, 64240, 0)));
        byte[] syn443 = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50300, 443, 5000, 0, 0x02, 64240, 0)));
        byte[] synAck = ethernet(0x0800, ipv4(6, "10.0.1.20", "10.0.1.10", tcp(443, 50300, 9000, 5001, 0x12, 64240, 0)));
        byte[] ack = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50300, 443, 5001, 9001, 0x10, 64240, 0)));
        PacketOptions out = PacketOptions.builder().direction(Direction.OUTBOUND).build();
        PacketOptions in = PacketOptions.builder().direction(Direction.INBOUND).build();
        try (PcapngWriter w = PcapngWriter.open(blocked, SectionHeader.builder().build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writePacket(0, T0, ping.length, ping, 0, ping.length, out);
            w.writePacket(0, T0.plusMillis(1), pong.length, pong, 0, pong.length, in);
            w.writePacket(0, T0.plusMillis(2), syn443.length, syn443, 0, syn443.length, out);
            w.writePacket(0, T0.plusMillis(3), synAck.length, synAck, 0, synAck.length, in);
            w.writePacket(0, T0.plusMillis(4), ack.length, ack, 0, ack.length, out);
            for (int i = 0; i < 3; i++) {
                w.writePacket(0, T0.plusMillis(10 + 1000L * i), syn.length, syn, 0, syn.length, out);
            }
        }

        Run run = cli("diagnose", blocked.toString());

        CapturedTraffic traffic = CapturedTraffic.read(blocked);
        Diagnosis port1433 = traffic.diagnosis("10.0.1.20", 1433);
        assertThat(port1433.isReachable()).isFalse();
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("  [NOT REACHABLE] " + port1433.sentence() + "\n")
                .contains("  [reachable] " + traffic.diagnosis("10.0.1.20", 443).sentence() + "\n")
                .contains("ICMP echo answered (the network path works); port 1433: ")
                .contains("ICMP gets through but this traffic does not: a port-specific filter")
                .contains("[UNANSWERED, ");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void format_ofTheGzip_isTheFormatOfTheFile() throws Exception {
        Run plain = cli("format", pcapng.toString());
        Run gz = cli("format", gzip(pcapng).toString());

        assertThat(plain.status()).isZero();
        assertThat(gz.status()).isZero();
        assertThat(gz.out()).isEqualTo(plain.out()).contains("[SYN]").contains("[RST, ACK]");
        assertThat(new String(gz.err().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEmpty();
    }

    /** {@code target/pcapunit} with its class-data archive in {@code cds}, more JVM options in {@code javaOpts}. */
    private Run launcher(Path cds, String javaOpts, String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("pcapunit.cli.jar")).resolveSibling("pcapunit");
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().put("PCAPUNIT_CDS_DIR", cds.toString());
        b.environment().put("PCAPUNIT_JAVA_OPTS", javaOpts);
        Process p = b.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
    }

    /**
     * The launcher next to the jar prints what {@code java -jar} prints, with its status; its
     * first check writes the class-data archive (no temporary file left), later runs load the
     * classes from it; a cache directory it cannot create is skipped, not fatal.
     */
    @Test
    void launcher_printsWhatTheJarPrints_andKeepsItsClassDataArchive() throws Exception {
        Path cds = dir.resolve("cds");
        String file = pcapng.toString();
        List<String[]> commands = List.of(new String[] {"check", file, "--no-drops-to", "1433"},
                new String[] {"diagnose", file}, new String[] {"format", file}, new String[] {"help"},
                new String[] {"check", file});
        for (String[] args : commands) {
            Run jar = cli(args);
            assertThat(launcher(cds, "", args)).as(String.join(" ", args)).isEqualTo(jar);
        }
        List<String> archives;
        try (var files = Files.list(cds)) {
            archives = files.map(f -> f.getFileName().toString()).toList();
        }
        assertThat(archives).hasSize(1).allMatch(n -> n.matches("pcapunit-cli-\\d+\\.jsa"));

        Path classes = dir.resolve("classes.txt");
        Run mapped = launcher(cds, "-Xlog:class+load=info:file=" + classes, "diagnose", file);
        assertThat(mapped).isEqualTo(cli("diagnose", file));
        assertThat(Files.readString(classes)).contains("io.github.pcapunit.cli.Main source: shared objects file (top)");

        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        assertThat(launcher(notADirectory.resolve("cds"), "", "check", file, "--no-drops-to", "1433"))
                .isEqualTo(cli("check", file, "--no-drops-to", "1433"));
    }
}
